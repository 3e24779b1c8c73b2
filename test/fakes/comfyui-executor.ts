import type { EventEmitter } from 'node:events';
import { executionOrder, isSampler, outputSize, type ComfyGraph } from './comfyui-graph';
import type { ComfySocketHub } from './comfyui-socket';
import { fakeImage } from './fake-image';

/*
 * The ComfyUI fake's prompt queue and "execution". Order of events follows execution.py
 * (execution_start, execution_cached, then per node executing / progress + binary preview /
 * executed; execution_success, execution_error or execution_interrupted) and main.py
 * prompt_worker, which stores the history entry and only THEN sends `executing {node: null}`.
 * Only nodes the output nodes depend on run. Emits on the owning fake: 'prompt-finished'
 * (promptId) and 'step-waiting' (manual-step mode).
 */

export interface ComfyPromptRecord {
  promptId: string;
  number: number;
  clientId?: string;
  graph: ComfyGraph;
  extraData: Record<string, unknown>;
}

export interface ComfyExecutionFailure {
  /** Node that fails (default: the first sampler, else the last node). */
  nodeId?: string;
  exceptionType?: string;
  exceptionMessage?: string;
}

export interface QueueEntry extends ComfyPromptRecord {
  outputsToExecute: string[];
  interrupted: boolean;
  failure?: ComfyExecutionFailure;
}

export interface ComfyHistoryEntry {
  prompt: [number, string, ComfyGraph, Record<string, unknown>, string[]];
  outputs: Record<string, { images: Array<{ filename: string; subfolder: string; type: string }> }>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, object]> };
  meta: Record<string, object>;
}

export type ComfyFiles = Map<string, Buffer>;

export function fileKey(type: string, subfolder: string, filename: string): string {
  return `${type}/${subfolder ? `${subfolder}/` : ''}${filename}`;
}

type Emit = (type: string, data: Record<string, unknown>, keep?: boolean) => void;

export class ComfyExecutor {
  readonly pending: QueueEntry[] = [];
  running?: QueueEntry;
  readonly history = new Map<string, ComfyHistoryEntry>();
  steps: number;
  manualSteps: boolean;
  previewFormat: 'jpeg' | 'png';
  /** Set while a manual-step prompt waits for {@link step}. */
  waitingStep?: { promptId: string; node: string; value: number; max: number };
  private permits = 0;
  private wakeStep?: () => void;
  private imageCounter = 0;

  constructor(
    private readonly hub: ComfySocketHub,
    private readonly files: ComfyFiles,
    private readonly events: EventEmitter,
    options: { steps?: number; manualSteps?: boolean; previewFormat?: 'jpeg' | 'png' },
  ) {
    this.steps = options.steps ?? 3;
    this.manualSteps = options.manualSteps ?? false;
    this.previewFormat = options.previewFormat ?? 'jpeg';
  }

  get queueRemaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  enqueue(entry: QueueEntry): void {
    this.pending.push(entry);
    this.broadcastStatus();
    setImmediate(() => void this.drain());
  }

  step(count: number): void {
    this.permits += count;
    this.wakeStep?.();
  }

  setManualSteps(on: boolean): void {
    this.manualSteps = on;
    if (!on) this.wakeStep?.();
  }

  /** Interrupts the running prompt (only if it is `promptId`, when given); returns its id. */
  interrupt(promptId: string | null): string | undefined {
    const target =
      this.running && (promptId === null || promptId === this.running.promptId) ? this.running : undefined;
    if (target) target.interrupted = true;
    this.wakeStep?.();
    return target?.promptId;
  }

  remove(promptId: string): void {
    const index = this.pending.findIndex((entry) => entry.promptId === promptId);
    if (index >= 0) this.pending.splice(index, 1);
  }

  stopAll(): void {
    for (const entry of [this.running, ...this.pending]) if (entry) entry.interrupted = true;
    this.pending.length = 0;
    this.wakeStep?.();
  }

  broadcastStatus(): void {
    this.hub.send(null, 'status', { status: { exec_info: { queue_remaining: this.queueRemaining } } });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    while (this.pending.length > 0) {
      this.running = this.pending.shift()!;
      try {
        await this.execute(this.running);
      } finally {
        this.running = undefined;
      }
    }
  }

  private async execute(entry: QueueEntry): Promise<void> {
    const { promptId, clientId = null, graph } = entry;
    const messages: Array<[string, object]> = [];
    const emit: Emit = (type, data, keep = false) => {
      const full = keep
        ? { ...data, prompt_id: promptId, timestamp: Date.now() }
        : { ...data, prompt_id: promptId };
      if (keep) messages.push([type, full]);
      this.hub.send(clientId, type, full);
    };
    this.broadcastStatus();
    emit('execution_start', {}, true);
    emit('execution_cached', { nodes: [] }, true);
    const order = executionOrder(graph, entry.outputsToExecute);
    const failAt = entry.failure
      ? (entry.failure.nodeId ?? order.find((id) => isSampler(graph[id])) ?? order[order.length - 1])
      : undefined;
    const outputs: ComfyHistoryEntry['outputs'] = {};
    const executed: string[] = [];
    let outcome: 'success' | 'error' | 'interrupted' = 'success';
    let stoppedAt: string | undefined;
    for (const nodeId of order) {
      const node = graph[nodeId];
      if (!entry.interrupted) emit('executing', { node: nodeId, display_node: nodeId });
      if (!entry.interrupted && nodeId === failAt) {
        outcome = 'error';
        emit('execution_error', this.errorData(entry, nodeId, executed), true);
        break;
      }
      if (entry.interrupted || (isSampler(node) && !(await this.sample(entry, nodeId, emit)))) {
        outcome = 'interrupted';
        stoppedAt = nodeId;
        break;
      }
      if (entry.outputsToExecute.includes(nodeId)) {
        outputs[nodeId] = { images: await this.saveOutputs(graph, nodeId) };
        emit('executed', { node: nodeId, display_node: nodeId, output: outputs[nodeId] });
      }
      executed.push(nodeId);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (outcome === 'interrupted') {
      emit(
        'execution_interrupted',
        { node_id: stoppedAt, node_type: graph[stoppedAt!]?.class_type, executed },
        true,
      );
    } else if (outcome === 'success') {
      emit('execution_success', {}, true);
    }
    this.history.set(promptId, {
      prompt: [entry.number, promptId, graph, entry.extraData, entry.outputsToExecute],
      outputs,
      status: {
        status_str: outcome === 'success' ? 'success' : 'error',
        completed: outcome === 'success',
        messages,
      },
      meta: Object.fromEntries(
        Object.keys(outputs).map((id) => [
          id,
          { node_id: id, display_node: id, parent_node: null, real_node_id: id },
        ]),
      ),
    });
    this.events.emit('prompt-finished', promptId);
    emit('executing', { node: null });
    this.broadcastStatus();
  }

  private errorData(entry: QueueEntry, nodeId: string, executed: string[]): Record<string, unknown> {
    return {
      node_id: nodeId,
      node_type: entry.graph[nodeId].class_type,
      executed,
      exception_message: entry.failure?.exceptionMessage ?? 'Fake failure injected by the test',
      exception_type: entry.failure?.exceptionType ?? 'RuntimeError',
      traceback: ['  File "execution.py", line 1, in fake\n'],
      current_inputs: {},
      current_outputs: {},
    };
  }

  /** Runs a sampler's progress steps, each followed by a binary preview; false if interrupted. */
  private async sample(entry: QueueEntry, nodeId: string, emit: Emit): Promise<boolean> {
    const preview = await fakeImage(64, 64, this.previewFormat, { r: 90, g: 90, b: 90 });
    const header = Buffer.alloc(8);
    header.writeUInt32BE(1, 0); // PREVIEW_IMAGE
    header.writeUInt32BE(this.previewFormat === 'jpeg' ? 1 : 2, 4);
    for (let value = 1; value <= this.steps; value++) {
      if (this.manualSteps) {
        while (this.permits === 0 && this.manualSteps && !entry.interrupted) {
          this.waitingStep = { promptId: entry.promptId, node: nodeId, value, max: this.steps };
          this.events.emit('step-waiting', this.waitingStep);
          await new Promise<void>((resolve) => (this.wakeStep = resolve));
          this.waitingStep = undefined;
        }
        if (this.permits > 0) this.permits--;
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (entry.interrupted) return false;
      emit('progress', { value, max: this.steps, node: nodeId });
      this.hub.sendBinary(entry.clientId ?? null, Buffer.concat([header, preview]));
    }
    return true;
  }

  private async saveOutputs(graph: ComfyGraph, nodeId: string) {
    const { width, height, batch } = outputSize(graph);
    const temp = graph[nodeId].class_type === 'PreviewImage';
    const prefix = String(graph[nodeId].inputs.filename_prefix ?? (temp ? 'ComfyUI_temp' : 'ComfyUI'));
    const slash = prefix.lastIndexOf('/');
    const subfolder = slash >= 0 ? prefix.slice(0, slash) : '';
    const bytes = await fakeImage(width, height, 'png');
    return Array.from({ length: batch }, () => {
      const filename = `${prefix.slice(slash + 1)}_${String(++this.imageCounter).padStart(5, '0')}_.png`;
      const type = temp ? 'temp' : 'output';
      this.files.set(fileKey(type, subfolder, filename), bytes);
      return { filename, subfolder, type };
    });
  }
}
