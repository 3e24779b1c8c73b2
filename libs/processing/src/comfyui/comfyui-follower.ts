import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { ComfyUIClient } from './comfyui-client';
import {
  BINARY_PREVIEW_IMAGE,
  describeExecutionError,
  PREVIEW_MIME,
  type ComfyHistoryEntry,
} from './comfyui-wire';

export interface FollowOptions {
  onProgress?(value: number, max: number, node: string | null): void;
  onPreview?(buffer: Buffer, mime: string): void;
  signal?: AbortSignal;
}

const SERVICE = 'comfyui';

/**
 * Follows one prompt: WebSocket events while the socket lives, `/history` polling (bounded) once
 * it drops or cannot open. The socket is opened with {@link connect} before the prompt is queued,
 * because ComfyUI starts running a prompt while `POST /prompt` is still answering: frames sent in
 * that gap are kept and replayed once {@link follow} knows the prompt id. The end is always read
 * from `/history`, because ComfyUI announces `execution_success` before it stores the history
 * entry (main.py prompt_worker).
 */
export class ComfyFollower {
  private socket?: WebSocket;
  private socketClosed = false;
  /** Set by {@link follow}; until then frames wait in {@link backlog}. */
  private promptId?: string;
  private backlog: Array<{ data: Buffer; isBinary: boolean }> = [];
  private settled = false;
  private polling = false;
  private resolve!: (entry: ComfyHistoryEntry) => void;
  private reject!: (err: unknown) => void;
  private lastPreviewAt = 0;
  private pendingPreview?: { buffer: Buffer; mime: string };
  private previewTimer?: NodeJS.Timeout;
  private readonly pollAbort = new AbortController();

  constructor(
    private readonly client: ComfyUIClient,
    private readonly clientId: string,
    private readonly options: FollowOptions,
  ) {}

  /**
   * Opens the socket; resolves once it is open, or once it failed or took longer than a request
   * may (then {@link follow} polls `/history` instead). Never rejects.
   */
  connect(): Promise<void> {
    const socket = new WebSocket(this.client.socketUrl(this.clientId));
    this.socket = socket;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.settled) return;
      if (this.promptId === undefined) this.backlog.push({ data, isBinary });
      else this.onFrame(data, isBinary);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.socketClosed = true;
      if (!this.settled && this.promptId !== undefined) void this.poll();
    });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.client.options.requestTimeoutMs);
      const done = () => (clearTimeout(timer), resolve());
      socket.once('open', done);
      socket.once('close', done);
    });
  }

  /** Follows the prompt queued after {@link connect} to its end. */
  follow(promptId: string): Promise<ComfyHistoryEntry> {
    this.promptId = promptId;
    const done = new Promise<ComfyHistoryEntry>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const { signal } = this.options;
    if (signal?.aborted) {
      this.finish(() => this.reject(signal.reason));
      return done;
    }
    const onAbort = () => this.finish(() => this.reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    void done.finally(() => signal?.removeEventListener('abort', onAbort)).catch(() => undefined);
    const backlog = this.backlog;
    this.backlog = [];
    for (const frame of backlog) if (!this.settled) this.onFrame(frame.data, frame.isBinary);
    if (this.settled) return done;
    if (this.socketClosed || this.socket?.readyState !== WebSocket.OPEN) void this.poll();
    // The prompt may have ended before the socket opened: history says so.
    else void this.checkHistoryOnce();
    return done;
  }

  /** Drops the socket when the prompt could not be queued after all. */
  close(): void {
    this.finish(() => undefined);
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) this.onBinary(data);
    else this.onText(data.toString('utf8'));
  }

  private onText(text: string): void {
    let message: { type?: string; data?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const data = message.data ?? {};
    if (data.prompt_id !== this.promptId) return;
    switch (message.type) {
      case 'progress':
        this.options.onProgress?.(Number(data.value), Number(data.max), (data.node as string) ?? null);
        break;
      case 'execution_error':
        this.fail(describeExecutionError(data), data);
        break;
      case 'execution_interrupted':
        this.interrupted();
        break;
      case 'execution_success':
        void this.poll();
        break;
      case 'executing':
        if (data.node === null) void this.poll();
        break;
    }
  }

  private onBinary(frame: Buffer): void {
    if (frame.length < 8 || frame.readUInt32BE(0) !== BINARY_PREVIEW_IMAGE) return;
    const mime = PREVIEW_MIME[frame.readUInt32BE(4)] ?? 'image/jpeg';
    this.preview(Buffer.from(frame.subarray(8)), mime);
  }

  /** At most one preview per interval; the latest one held back is sent when the interval ends. */
  private preview(buffer: Buffer, mime: string): void {
    const wait = this.lastPreviewAt + this.client.options.minPreviewIntervalMs - Date.now();
    if (wait <= 0 && !this.previewTimer) {
      this.lastPreviewAt = Date.now();
      this.options.onPreview?.(buffer, mime);
      return;
    }
    this.pendingPreview = { buffer, mime };
    this.previewTimer ??= setTimeout(() => {
      this.previewTimer = undefined;
      const held = this.pendingPreview;
      this.pendingPreview = undefined;
      if (held && !this.settled) {
        this.lastPreviewAt = Date.now();
        this.options.onPreview?.(held.buffer, held.mime);
      }
    }, wait);
  }

  private async checkHistoryOnce(): Promise<void> {
    try {
      const entry = await this.client.history(this.promptId!, this.pollAbort.signal);
      if (entry) this.settleFrom(entry);
    } catch {
      // The socket is still there to tell us; polling takes over if it drops.
    }
  }

  /** Polls `/history` until the entry is there, within `maxPollMs`; used for the end and after a drop. */
  private async poll(): Promise<void> {
    if (this.polling || this.settled) return;
    this.polling = true;
    const deadline = Date.now() + this.client.options.maxPollMs;
    let lastError: unknown;
    while (!this.settled && Date.now() < deadline) {
      try {
        const entry = await this.client.history(this.promptId!, this.pollAbort.signal);
        if (entry && this.settleFrom(entry)) return;
      } catch (err) {
        if (this.settled) return;
        lastError = err;
      }
      try {
        await sleep(this.client.options.pollIntervalMs, undefined, { signal: this.pollAbort.signal });
      } catch {
        return;
      }
    }
    if (!this.settled) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      this.finish(() =>
        this.reject(
          new ExternalServiceError({
            kind: 'retryable',
            code: ExternalErrorCode.ProviderUnavailable,
            service: SERVICE,
            message: `${SERVICE}: prompt ${this.promptId} did not finish within ${this.client.options.maxPollMs} ms${reason}`,
            cause: lastError,
          }),
        ),
      );
    }
  }

  /** Settles from a history entry when it shows an end; returns whether it did. */
  private settleFrom(entry: ComfyHistoryEntry): boolean {
    if (this.settled) return true;
    const status = entry.status;
    if (status?.status_str === 'error') {
      const messages = status.messages ?? [];
      const failed = messages.find(([event]) => event === 'execution_error');
      if (failed) this.fail(describeExecutionError(failed[1]), failed[1]);
      else if (messages.some(([event]) => event === 'execution_interrupted')) this.interrupted();
      else this.fail('the prompt failed', {});
      return true;
    }
    if (status?.completed || Object.keys(entry.outputs ?? {}).length > 0) {
      // The last preview held back by the rate limit is the closest to the result: pass it on.
      const held = this.pendingPreview;
      this.finish(() => {
        if (held) this.options.onPreview?.(held.buffer, held.mime);
        this.resolve(entry);
      });
      return true;
    }
    return false;
  }

  private fail(message: string, data: Record<string, unknown>): void {
    this.finish(() =>
      this.reject(
        new ExternalServiceError({
          kind: 'rejected',
          code: ExternalErrorCode.ProviderRejected,
          service: SERVICE,
          message: `${SERVICE}: ${message}`,
          details: definedOnly({
            nodeId: data.node_id,
            nodeType: data.node_type,
            exceptionType: data.exception_type,
          }),
        }),
      ),
    );
  }

  /** Our own cancel ends as the abort; anyone else's interrupt is a failure of this prompt. */
  private interrupted(): void {
    const { signal } = this.options;
    if (signal?.aborted) return this.finish(() => this.reject(signal.reason));
    this.fail('the prompt was interrupted on the server', {});
  }

  private finish(settle: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.previewTimer);
    this.pendingPreview = undefined;
    this.pollAbort.abort();
    this.socket?.removeAllListeners('close');
    this.socket?.terminate();
    settle();
  }
}

function definedOnly(values: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}
