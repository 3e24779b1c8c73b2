import {
  classifyHttpFailure,
  classifyNetworkFailure,
  ExternalErrorCode,
  ExternalServiceError,
} from '@atelier/core';
import { ComfyFollower, type FollowOptions } from './comfyui-follower';
import {
  describeNodeErrors,
  type ComfyHistoryEntry,
  type ComfyNodeErrors,
  type ComfyQueuedPrompt,
  type ComfyQueueState,
  type ComfyUploadedImage,
} from './comfyui-wire';

export const COMFYUI_SERVICE = 'comfyui';

export interface ComfyUIClientOptions {
  /** Bound on each HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** History polling after the socket dropped: interval (default 500 ms) and bound (default 15 min). */
  pollIntervalMs?: number;
  maxPollMs?: number;
  /** Previews are passed on at most once per this many ms (default 250: four a second). */
  minPreviewIntervalMs?: number;
}

type RequestOptions = { method?: string; json?: unknown; form?: FormData; signal?: AbortSignal };

/**
 * One ComfyUI server over its HTTP API and WebSocket (no SDK exists). Every failure leaves as an
 * ExternalServiceError classified by the shared rules, except a cancel by the caller's signal,
 * which is rethrown as is.
 */
export class ComfyUIClient {
  readonly baseUrl: string;
  readonly options: Required<ComfyUIClientOptions>;

  constructor(baseUrl: string, options: ComfyUIClientOptions = {}) {
    // A trailing slash makes relative paths resolve under a base path (`http://host/comfy/`).
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    this.options = {
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      maxPollMs: options.maxPollMs ?? 15 * 60_000,
      minPreviewIntervalMs: options.minPreviewIntervalMs ?? 250,
    };
  }

  /** Queues an API-format graph; a graph ComfyUI refuses is a final error naming each node's problem. */
  async queuePrompt(graph: unknown, clientId: string, signal?: AbortSignal): Promise<ComfyQueuedPrompt> {
    const res = await this.send(
      'prompt',
      { method: 'POST', json: { prompt: graph, client_id: clientId }, signal },
      {
        allow400: true,
      },
    );
    const body = parseObject(await res.text());
    const nodeErrors = body.node_errors as ComfyNodeErrors | undefined;
    const hasNodeErrors = nodeErrors && typeof nodeErrors === 'object' && Object.keys(nodeErrors).length > 0;
    if (res.status === 400 || hasNodeErrors) {
      const error = (body.error ?? {}) as { message?: string; details?: string };
      const text = hasNodeErrors
        ? describeNodeErrors(nodeErrors)
        : [error.message, error.details].filter(Boolean).join(': ') || 'invalid prompt';
      throw new ExternalServiceError({
        kind: 'rejected',
        code: ExternalErrorCode.ProviderRejected,
        service: COMFYUI_SERVICE,
        status: res.status,
        message: `${COMFYUI_SERVICE}: prompt rejected: ${text}`,
        details: hasNodeErrors ? { nodeErrors } : undefined,
      });
    }
    return { promptId: String(body.prompt_id), number: Number(body.number) };
  }

  /** Puts an input image where a `LoadImage` node can name it; answers the name ComfyUI stored it under. */
  async uploadImage(buffer: Buffer, name: string, signal?: AbortSignal): Promise<ComfyUploadedImage> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(buffer)]), name);
    form.append('type', 'input');
    form.append('overwrite', 'true');
    const res = await this.send('upload/image', { method: 'POST', form, signal });
    return (await res.json()) as ComfyUploadedImage;
  }

  /** The finished prompt's record, or undefined while it is queued or running. */
  async history(promptId: string, signal?: AbortSignal): Promise<ComfyHistoryEntry | undefined> {
    const res = await this.send(`history/${encodeURIComponent(promptId)}`, { signal });
    const body = (await res.json()) as Record<string, ComfyHistoryEntry>;
    return body[promptId];
  }

  async view(filename: string, subfolder: string, type: string, signal?: AbortSignal): Promise<Buffer> {
    const query = new URLSearchParams({ filename, subfolder, type });
    const res = await this.send(`view?${query}`, { signal });
    return Buffer.from(await res.arrayBuffer());
  }

  async queue(signal?: AbortSignal): Promise<ComfyQueueState> {
    const res = await this.send('queue', { signal });
    const body = (await res.json()) as { queue_running?: unknown[][]; queue_pending?: unknown[][] };
    const ids = (items: unknown[][] | undefined) => (items ?? []).map((item) => String(item[1]));
    return { running: ids(body.queue_running), pending: ids(body.queue_pending) };
  }

  async deletePending(promptId: string): Promise<void> {
    await this.send('queue', { method: 'POST', json: { delete: [promptId] } });
  }

  /**
   * Stops `promptId` if it is the prompt running now. `/interrupt` stops whatever runs, on
   * versions that ignore `prompt_id` too, so someone else's prompt must never be hit: the queue
   * is read first. Returns whether an interrupt was sent.
   */
  async interrupt(promptId: string): Promise<boolean> {
    const { running } = await this.queue();
    if (!running.includes(promptId)) return false;
    await this.send('interrupt', { method: 'POST', json: { prompt_id: promptId } });
    return true;
  }

  /** Takes a prompt off the server however far it got: removed if waiting, interrupted if running. */
  async cancel(promptId: string): Promise<'deleted' | 'interrupted' | 'finished'> {
    const { running, pending } = await this.queue();
    if (pending.includes(promptId)) {
      await this.deletePending(promptId);
      return 'deleted';
    }
    if (running.includes(promptId) && (await this.interrupt(promptId))) return 'interrupted';
    return 'finished';
  }

  async systemStats(signal?: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.send('system_stats', { signal });
    return (await res.json()) as Record<string, unknown>;
  }

  /**
   * Opens the progress socket for `clientId` before the prompt is queued (see ComfyFollower);
   * `follow(promptId)` on the result then resolves with the history entry (the truth about
   * outputs), falling back to polling `/history` when the socket drops.
   */
  async connect(clientId: string, options: FollowOptions = {}): Promise<ComfyFollower> {
    const follower = new ComfyFollower(this, clientId, options);
    await follower.connect();
    return follower;
  }

  /** Follows a prompt already queued: the socket opens now, so history covers what came before. */
  async follow(promptId: string, clientId: string, options: FollowOptions = {}): Promise<ComfyHistoryEntry> {
    return (await this.connect(clientId, options)).follow(promptId);
  }

  socketUrl(clientId: string): string {
    const url = new URL(`ws?clientId=${encodeURIComponent(clientId)}`, this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  private async send(path: string, request: RequestOptions, { allow400 = false } = {}): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method: request.method ?? 'GET',
        headers: request.json !== undefined ? { 'content-type': 'application/json' } : undefined,
        body: request.json !== undefined ? JSON.stringify(request.json) : request.form,
        signal,
      });
    } catch (err) {
      // Prompts are safe to queue again, so a lost answer is retryable rather than unknown.
      throw classifyNetworkFailure(err, {
        requestSent: false,
        service: COMFYUI_SERVICE,
        signal: request.signal,
      });
    }
    if (res.ok || (allow400 && res.status === 400)) return res;
    throw classifyHttpFailure({
      status: res.status,
      headers: res.headers,
      body: await res.text().catch(() => ''),
      service: COMFYUI_SERVICE,
    });
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
