import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  ExternalErrorCode,
  ExternalServiceError,
  type Env,
  type ErrorDialect,
} from '@atelier/core';

export interface PlatformRequest {
  /** Platform name for messages and error classification (`instagram`, `x`…). */
  service: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (sets content-type). */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  body?: FormData | Buffer;
  /**
   * This request creates the post. Once it is on its way a lost answer means the post may exist:
   * it is classified `unknown_outcome` instead of `retryable`, so nobody re-sends it blindly.
   */
  createsPost?: boolean;
  /** The platform's own reading of its error bodies (declared in its publisher's file). */
  dialect?: ErrorDialect;
}

/** Requests to one platform: its name and error dialect are filled in. */
export interface PlatformClient {
  request<T = unknown>(
    req: Omit<PlatformRequest, 'service' | 'dialect'>,
    signal: AbortSignal,
  ): Promise<PlatformResponse<T>>;
}

export interface PlatformResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The one place publishers talk HTTP: global fetch with a per-request timeout, and every failure
 * (HTTP status or transport) turned into an ExternalServiceError by the shared classification.
 */
@Injectable()
export class PlatformHttp {
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.timeoutMs = config.get('PROVIDER_TIMEOUT_SECONDS', { infer: true }) * 1000;
  }

  forPlatform(service: string, dialect: ErrorDialect): PlatformClient {
    return {
      request: <T>(req: Omit<PlatformRequest, 'service' | 'dialect'>, signal: AbortSignal) =>
        this.request<T>({ ...req, service, dialect }, signal),
    };
  }

  async request<T = unknown>(req: PlatformRequest, signal: AbortSignal): Promise<PlatformResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: RequestInit['body'];
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      body = new URLSearchParams(req.form);
    } else if (req.body) {
      body = req.body instanceof Buffer ? new Uint8Array(req.body) : req.body;
    }
    // The caller's signal cancels; the timeout is separate so a timeout is never mistaken for a cancel.
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(req.url, {
        method: req.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.any([signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      throw classifyNetworkFailure(error, {
        requestSent: req.createsPost === true,
        service: req.service,
        signal,
      });
    }
    if (!response.ok) {
      throw classifyHttpFailure(
        { status: response.status, headers: response.headers, body: text, service: req.service },
        req.dialect,
      );
    }
    return { status: response.status, headers: response.headers, body: parseJson(text) as T };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A platform answered 2xx but not what the protocol promises: the request did not achieve its goal. */
export function unexpectedAnswer(service: string, what: string): ExternalServiceError {
  return new ExternalServiceError({
    kind: 'rejected',
    code: ExternalErrorCode.ProviderRejected,
    service,
    message: `${service}: ${what}`,
  });
}

/**
 * Polls `check` with a growing pause (250 ms doubling to 5 s) until it returns a value, for
 * platforms that process media asynchronously (Instagram containers, Mastodon attachments).
 */
export async function pollUntil<T>(
  service: string,
  check: () => Promise<T | undefined>,
  signal: AbortSignal,
  maxWaitMs = 120_000,
): Promise<T> {
  const started = Date.now();
  let pause = 250;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started + pause > maxWaitMs) {
      throw new ExternalServiceError({
        kind: 'retryable',
        code: ExternalErrorCode.ProviderUnavailable,
        service,
        message: `${service}: media still processing after ${Math.round(maxWaitMs / 1000)} s`,
      });
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, pause);
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
    pause = Math.min(pause * 2, 5000);
  }
}
