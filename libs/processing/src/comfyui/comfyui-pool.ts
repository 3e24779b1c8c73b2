import { ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import { ComfyUIClient, COMFYUI_SERVICE, type ComfyUIClientOptions } from './comfyui-client';

export interface ComfyServerStatus {
  url: string;
  healthy: boolean;
  running: number;
  pending: number;
}

/** Health checks must not hold a job up for long: a server that cannot answer this fast is skipped. */
const HEALTH_TIMEOUT_MS = 3000;

/**
 * The configured ComfyUI servers (`COMFYUI_URL`, comma-separated). Each job goes to the least
 * busy server that answers `/queue`; equal loads go to the first listed, so one server setups
 * behave exactly like a single client.
 */
export class ComfyUIPool {
  readonly clients: ComfyUIClient[];

  constructor(urls: readonly string[], options: ComfyUIClientOptions = {}) {
    this.clients = urls.map((url) => new ComfyUIClient(url, options));
  }

  get size(): number {
    return this.clients.length;
  }

  /** Every server's queue, for the `queue.status` broadcast; an unreachable one is `healthy: false`. */
  async status(): Promise<ComfyServerStatus[]> {
    return Promise.all(
      this.clients.map(async (client) => {
        try {
          const { running, pending } = await client.queue(AbortSignal.timeout(HEALTH_TIMEOUT_MS));
          return { url: client.baseUrl, healthy: true, running: running.length, pending: pending.length };
        } catch {
          return { url: client.baseUrl, healthy: false, running: 0, pending: 0 };
        }
      }),
    );
  }

  /** The least busy healthy server; none healthy is retryable (the job waits for one to return). */
  async pick(): Promise<ComfyUIClient> {
    const statuses = await this.status();
    let best: { client: ComfyUIClient; load: number } | undefined;
    statuses.forEach((status, index) => {
      const load = status.running + status.pending;
      if (status.healthy && (!best || load < best.load)) best = { client: this.clients[index], load };
    });
    if (!best) {
      throw new ExternalServiceError({
        kind: 'retryable',
        code: ExternalErrorCode.ProviderUnavailable,
        service: COMFYUI_SERVICE,
        // No addresses: this message becomes the job's error, which its owner reads.
        message: `${COMFYUI_SERVICE}: ${this.clients.length ? 'no server answered' : 'no server configured'}`,
      });
    }
    return best.client;
  }
}
