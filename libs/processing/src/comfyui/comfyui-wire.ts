/**
 * The shapes ComfyUI sends and accepts (server.py / execution.py), as far as Atelier reads them.
 * See providers.md § ComfyUI.
 */
export interface ComfyImageRef {
  filename: string;
  subfolder: string;
  type: string;
}

export interface ComfyHistoryEntry {
  outputs: Record<string, { images?: ComfyImageRef[] }>;
  status?: {
    status_str: 'success' | 'error';
    completed: boolean;
    messages: Array<[string, Record<string, unknown>]>;
  };
}

export interface ComfyQueueState {
  running: string[];
  pending: string[];
}

export interface ComfyQueuedPrompt {
  promptId: string;
  number: number;
}

export interface ComfyUploadedImage {
  name: string;
  subfolder: string;
  type: string;
}

/** `/prompt` refused the graph: `{error: {type, message, details}, node_errors: {id: {errors, class_type}}}`. */
export interface ComfyNodeErrors {
  [nodeId: string]: {
    class_type?: string;
    errors?: Array<{ type?: string; message?: string; details?: string }>;
  };
}

/** Binary socket frames: uint32 BE event type, uint32 BE image format, then the image. */
export const BINARY_PREVIEW_IMAGE = 1;
export const PREVIEW_MIME: Record<number, string> = { 1: 'image/jpeg', 2: 'image/png' };

/** One line per failing node: `node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name…`. */
export function describeNodeErrors(nodeErrors: ComfyNodeErrors): string {
  return Object.entries(nodeErrors)
    .map(([id, node]) => {
      const messages = (node.errors ?? [])
        .map((e) => [e.message, e.details].filter(Boolean).join(': '))
        .join('; ');
      return `node ${id} (${node.class_type ?? 'unknown'}): ${messages || 'invalid'}`;
    })
    .join('; ');
}

/** `execution_error` data → `node 3 (KSampler): RuntimeError: CUDA out of memory`. */
export function describeExecutionError(data: Record<string, unknown>): string {
  const type = typeof data.exception_type === 'string' ? `${data.exception_type}: ` : '';
  return `node ${String(data.node_id)} (${String(data.node_type)}): ${type}${String(data.exception_message ?? 'failed')}`;
}
