import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  ExternalErrorCode,
  ExternalServiceError,
  type Env,
  type ErrorDialect,
  OutboundHttp,
  OutboundRequestError,
  UnsafeUrlError,
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
  /**
   * The URL comes from the user (a Mastodon instance): sent through the guarded OutboundHttp, and a
   * refusal's body is never repeated back, as it may come from a service the user cannot see.
   */
  userSuppliedUrl?: boolean;
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

  constructor(
    config: ConfigService<Env, true>,
    private readonly outbound: OutboundHttp,
  ) {
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
    let response: { status: number; headers: Headers; text: string };
    try {
      response = req.userSuppliedUrl
        ? await this.guarded(req, headers, body, signal)
        : await this.trusted(req, headers, body, AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw refusedAddress(req.service, error);
      throw classifyNetworkFailure(error instanceof OutboundRequestError ? error.cause : error, {
        requestSent: req.createsPost === true,
        service: req.service,
        signal,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpFailure(
        {
          status: response.status,
          headers: response.headers,
          body: req.userSuppliedUrl ? jsonOnly(response.text) : response.text,
          service: req.service,
        },
        req.dialect,
      );
    }
    return { status: response.status, headers: response.headers, body: parseJson(response.text) as T };
  }

  private async trusted(
    req: PlatformRequest,
    headers: Record<string, string>,
    body: RequestInit['body'],
    signal: AbortSignal,
  ) {
    const response = await fetch(req.url, { method: req.method ?? 'GET', headers, body, signal });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  private async guarded(
    req: PlatformRequest,
    headers: Record<string, string>,
    body: RequestInit['body'],
    signal: AbortSignal,
  ) {
    const response = await this.outbound.request(req.url, {
      method: req.method ?? 'GET',
      headers,
      body: body as string | Uint8Array | FormData | URLSearchParams | undefined,
      signal,
      timeoutMs: this.timeoutMs,
    });
    const answerHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return { status: response.status, headers: answerHeaders, text: response.body.toString('utf8') };
  }
}

/** The guard refused the address (not public): a final refusal, no retry can change it. */
export function refusedAddress(service: string, error: UnsafeUrlError): ExternalServiceError {
  return new ExternalServiceError({
    kind: 'rejected',
    code: ExternalErrorCode.ProviderRejected,
    service,
    message: `${service}: ${error.message}`,
    cause: error,
  });
}

/** A platform's JSON error explains itself; any other body (an HTML page, some service's text) is dropped. */
function jsonOnly(text: string): unknown {
  const parsed = parseJson(text);
  return typeof parsed === 'object' ? parsed : undefined;
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
