import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  ComfyExecutor,
  fileKey,
  type ComfyExecutionFailure,
  type ComfyHistoryEntry,
  type ComfyPromptRecord,
  type QueueEntry,
} from './comfyui-executor';
import {
  DEFAULT_OUTPUT_NODE_TYPES,
  OBJECT_INFO,
  validateGraph,
  type ComfyGraph,
  type ComfyNodeError,
} from './comfyui-graph';
import { ComfySocketHub } from './comfyui-socket';
import { FakeHttpServer } from './fake-http-server';
import { sendBytes, sendJson, type RecordedRequest } from './recorded-request';
import { waitFor, type WaitOptions } from './wait-for';

/*
 * ComfyUI fake (HTTP + WebSocket on one port). Sources: providers.md § ComfyUI and ComfyUI's
 * server.py for the routes: POST /prompt → `{prompt_id, number, node_errors}` or 400
 * `{error, node_errors}`; POST /upload/image (multipart `image`, `type`, `subfolder`,
 * `overwrite`; without overwrite a clash is renamed "name (1).ext"); GET /history[/{id}] (`{}`
 * until finished); GET /view; GET /queue; POST /queue {delete|clear}; POST /interrupt (with
 * `prompt_id`, only when it is the running prompt); GET /system_stats; GET /object_info.
 * Socket side in comfyui-socket.ts, execution in comfyui-executor.ts, validation in comfyui-graph.ts.
 */

export type { ComfyExecutionFailure, ComfyHistoryEntry, ComfyPromptRecord } from './comfyui-executor';

export interface ComfyUIFakeOptions {
  /** Progress steps of each sampler node (default 3). */
  steps?: number;
  /** Progress waits for {@link ComfyUIFake.step} (deterministic live-progress tests). */
  manualSteps?: boolean;
  /** Class types that count as output nodes (a prompt needs one; default SaveImage, PreviewImage…). */
  outputNodeTypes?: string[];
  /** Format of binary preview frames (default jpeg). */
  previewFormat?: 'jpeg' | 'png';
}

const DEFAULT_REJECTION: Record<string, ComfyNodeError> = {
  '4': {
    errors: [
      {
        type: 'value_not_in_list',
        message: 'Value not in list',
        details: "ckpt_name: 'x' not in []",
        extra_info: {},
      },
    ],
    dependent_outputs: ['9'],
    class_type: 'CheckpointLoaderSimple',
  },
};

export class ComfyUIFake extends FakeHttpServer {
  readonly prompts: ComfyPromptRecord[] = [];
  readonly uploads: Array<{
    name: string;
    subfolder: string;
    type: string;
    size: number;
    overwrite: boolean;
  }> = [];
  readonly interrupts: Array<{ promptId: string | null; interrupted: string | null }> = [];
  readonly deletes: string[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly hub: ComfySocketHub;
  private readonly executor: ComfyExecutor;
  private counter = 0;
  private nextFailure?: ComfyExecutionFailure;
  private nextRejection?: Record<string, ComfyNodeError>;
  private answerAfterRunning = false;

  constructor(private readonly options: ComfyUIFakeOptions = {}) {
    super();
    this.hub = new ComfySocketHub(this.server, this, () => ({
      status: { exec_info: { queue_remaining: this.executor.queueRemaining } },
    }));
    this.executor = new ComfyExecutor(this.hub, this.files, this, options);
  }

  /** Every text frame sent over the socket, in order (`clientId: null` = broadcast). */
  get sent() {
    return this.hub.sent;
  }

  get history(): ReadonlyMap<string, ComfyHistoryEntry> {
    return this.executor.history;
  }

  /** Set while a manual-step prompt waits for {@link step}. */
  get waitingStep() {
    return this.executor.waitingStep;
  }

  get connectedClients(): string[] {
    return this.hub.connectedClients;
  }

  setSteps(steps: number): void {
    this.executor.steps = steps;
  }

  setManualSteps(on: boolean): void {
    this.executor.setManualSteps(on);
  }

  /** Lets `count` progress steps run in manual-step mode. */
  step(count = 1): void {
    this.executor.step(count);
  }

  /** The next prompt to run fails with `execution_error` at a node. */
  failNextExecution(failure: ComfyExecutionFailure = {}): void {
    this.nextFailure = failure;
  }

  /** The next `POST /prompt` is refused with 400 and these node_errors. */
  rejectNextPrompt(nodeErrors: Record<string, ComfyNodeError> = DEFAULT_REJECTION): void {
    this.nextRejection = nodeErrors;
  }

  /**
   * The next `POST /prompt` is answered only once the prompt has run: a fast server whose
   * execution frames (server.py queues the prompt, then answers; the worker thread runs at once)
   * reach the socket before the HTTP answer reaches the client.
   */
  answerNextAfterRunning(): void {
    this.answerAfterRunning = true;
  }

  /** The next socket to receive `count` more frames (text or binary) is then terminated. */
  dropSocketAfter(count: number): void {
    this.hub.dropAfterFrames(count);
  }

  waitForHistory(promptId: string, options?: WaitOptions): Promise<ComfyHistoryEntry> {
    return waitFor(this, 'prompt-finished', () => this.executor.history.get(promptId), {
      description: `history of prompt ${promptId}`,
      ...options,
    });
  }

  waitForStepWaiting(options?: WaitOptions) {
    return waitFor(this, 'step-waiting', () => this.executor.waitingStep, {
      description: 'a manual step',
      ...options,
    });
  }

  waitForClient(clientId: string, options?: WaitOptions): Promise<true> {
    return waitFor(this, 'ws-connection', () => this.hub.connectedClients.includes(clientId) || undefined, {
      description: `a socket for client ${clientId}`,
      ...options,
    });
  }

  override async close(): Promise<void> {
    this.executor.stopAll();
    this.hub.close();
    await super.close();
  }

  protected handle(req: RecordedRequest, res: ServerResponse): Promise<void> | void {
    const route = `${req.method} ${req.path}`;
    const body = (req.json ?? {}) as Record<string, unknown>;
    const empty = () => sendBytes(res, 200, Buffer.alloc(0), 'text/plain');
    if (route === 'POST /prompt') return this.submit(body, res);
    if (route === 'GET /prompt') {
      return sendJson(res, 200, { exec_info: { queue_remaining: this.executor.queueRemaining } });
    }
    if (route === 'POST /upload/image') return this.upload(req, res);
    if (route === 'GET /history') return sendJson(res, 200, Object.fromEntries(this.executor.history));
    if (req.method === 'GET' && req.path.startsWith('/history/')) {
      const id = decodeURIComponent(req.path.slice('/history/'.length));
      const entry = this.executor.history.get(id);
      return sendJson(res, 200, entry ? { [id]: entry } : {});
    }
    if (route === 'GET /view') {
      const q = req.query;
      const filename = q.get('filename') ?? '';
      const file = this.files.get(fileKey(q.get('type') ?? 'output', q.get('subfolder') ?? '', filename));
      if (!file) return sendBytes(res, 404, Buffer.from('404: Not Found'), 'text/plain');
      return sendBytes(res, 200, file, filename.endsWith('.png') ? 'image/png' : 'image/jpeg');
    }
    if (route === 'GET /queue') {
      const item = (e: QueueEntry) => [e.number, e.promptId, e.graph, e.extraData, e.outputsToExecute];
      const running = this.executor.running;
      return sendJson(res, 200, {
        queue_running: running ? [item(running)] : [],
        queue_pending: this.executor.pending.map(item),
      });
    }
    if (route === 'POST /queue') {
      const ids = Array.isArray(body.delete) ? body.delete.map(String) : [];
      if (body.clear === true) ids.push(...this.executor.pending.map((entry) => entry.promptId));
      for (const id of ids) this.executor.remove(id);
      this.deletes.push(...ids);
      this.executor.broadcastStatus();
      return empty();
    }
    if (route === 'POST /interrupt') {
      const promptId = typeof body.prompt_id === 'string' ? body.prompt_id : null;
      const interrupted = this.executor.interrupt(promptId) ?? null;
      this.interrupts.push({ promptId, interrupted });
      this.emit('interrupt', { promptId, interrupted });
      return empty();
    }
    if (route === 'GET /system_stats') return sendJson(res, 200, SYSTEM_STATS);
    if (route === 'GET /object_info') return sendJson(res, 200, OBJECT_INFO);
    if (req.method === 'GET' && req.path.startsWith('/object_info/')) {
      const name = decodeURIComponent(req.path.slice('/object_info/'.length));
      return sendJson(res, 200, OBJECT_INFO[name] ? { [name]: OBJECT_INFO[name] } : {});
    }
    sendBytes(res, 404, Buffer.from('404: Not Found'), 'text/plain');
  }

  private async submit(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const outputTypes = this.options.outputNodeTypes ?? DEFAULT_OUTPUT_NODE_TYPES;
    const inputs = new Set(
      [...this.files.keys()]
        .filter((key) => key.startsWith('input/'))
        .map((key) => key.slice('input/'.length)),
    );
    const invalid = validateGraph(body.prompt, outputTypes, inputs);
    if (invalid) return sendJson(res, 400, invalid);
    if (this.nextRejection) {
      const nodeErrors = this.nextRejection;
      this.nextRejection = undefined;
      const error = { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' };
      return sendJson(res, 400, {
        error: { ...error, details: '', extra_info: {} },
        node_errors: nodeErrors,
      });
    }
    const graph = body.prompt as ComfyGraph;
    const clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
    const entry: QueueEntry = {
      promptId: typeof body.prompt_id === 'string' ? body.prompt_id : randomUUID(),
      number: this.counter++,
      clientId,
      graph,
      extraData: { ...((body.extra_data as object) ?? {}), ...(clientId ? { client_id: clientId } : {}) },
      outputsToExecute: Object.keys(graph).filter((id) => outputTypes.includes(graph[id].class_type)),
      interrupted: false,
      failure: this.nextFailure,
    };
    this.nextFailure = undefined;
    this.prompts.push(entry);
    const answer = () =>
      sendJson(res, 200, { prompt_id: entry.promptId, number: entry.number, node_errors: {} });
    if (this.answerAfterRunning) {
      this.answerAfterRunning = false;
      this.executor.enqueue(entry);
      await this.waitForHistory(entry.promptId);
      return answer();
    }
    answer();
    this.executor.enqueue(entry);
  }

  private upload(req: RecordedRequest, res: ServerResponse): void {
    const image = req.multipart?.files.find((file) => file.field === 'image');
    if (!image) return sendBytes(res, 400, Buffer.alloc(0), 'text/plain');
    const fields = req.multipart!.fields;
    const type = String(fields.type ?? 'input');
    const subfolder = String(fields.subfolder ?? '');
    const overwrite = ['true', '1'].includes(String(fields.overwrite ?? 'false'));
    let name = image.filename;
    for (let n = 1; !overwrite && this.files.has(fileKey(type, subfolder, name)); n++) {
      name = image.filename.replace(/(\.[^.]*)?$/, ` (${n})$1`);
    }
    this.files.set(fileKey(type, subfolder, name), image.bytes);
    this.uploads.push({ name, subfolder, type, size: image.size, overwrite });
    sendJson(res, 200, { name, subfolder, type });
  }
}

const SYSTEM_STATS = {
  system: {
    os: 'posix',
    ram_total: 8e9,
    ram_free: 4e9,
    comfyui_version: '0.3.60',
    python_version: '3.12.0',
    pytorch_version: '2.7.0',
    embedded_python: false,
    argv: ['main.py'],
  },
  devices: [
    {
      name: 'cpu',
      type: 'cpu',
      index: null,
      vram_total: 0,
      vram_free: 0,
      torch_vram_total: 0,
      torch_vram_free: 0,
    },
  ],
};

export async function startComfyUIFake(options: ComfyUIFakeOptions = {}): Promise<ComfyUIFake> {
  return new ComfyUIFake(options).listen();
}
