/*
 * Pure helpers of the ComfyUI fake: prompt validation and node ordering. Shapes follow ComfyUI's
 * server.py / execution.py (`validate_prompt`): a 400 body is `{error:{type,message,details,
 * extra_info}, node_errors}`; a prompt needs at least one output node; a LoadImage must name a
 * file present in the input folder ("Value not in list").
 */

export interface ComfyNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

export type ComfyGraph = Record<string, ComfyNode>;

export interface ComfyNodeError {
  errors: Array<{ type: string; message: string; details: string; extra_info: Record<string, unknown> }>;
  dependent_outputs: string[];
  class_type: string;
}

export interface ComfyValidationError {
  error: { type: string; message: string; details: string; extra_info: Record<string, unknown> };
  node_errors: Record<string, ComfyNodeError> | [];
}

export const DEFAULT_OUTPUT_NODE_TYPES = ['SaveImage', 'PreviewImage', 'SaveImageWebsocket'];

function topLevel(type: string, message: string, details = ''): ComfyValidationError {
  return { error: { type, message, details, extra_info: {} }, node_errors: [] };
}

/** Returns the 400 body ComfyUI would send for this graph, or undefined when it would queue it. */
export function validateGraph(
  graph: unknown,
  outputNodeTypes: readonly string[],
  inputFiles: ReadonlySet<string>,
): ComfyValidationError | undefined {
  if (!graph || typeof graph !== 'object' || Array.isArray(graph)) {
    return topLevel('no_prompt', 'No prompt provided', 'No prompt provided');
  }
  const nodes = Object.entries(graph as Record<string, Partial<ComfyNode>>);
  for (const [id, node] of nodes) {
    if (!node || typeof node.class_type !== 'string') {
      return topLevel(
        'invalid_prompt',
        'Cannot execute because a node is missing the class_type property.',
        `Node ID '#${id}'`,
      );
    }
  }
  const outputs = nodes.filter(([, node]) => outputNodeTypes.includes(node.class_type as string));
  if (outputs.length === 0) return topLevel('prompt_no_outputs', 'Prompt has no outputs');

  const nodeErrors: Record<string, ComfyNodeError> = {};
  for (const [id, node] of nodes) {
    if (node.class_type !== 'LoadImage') continue;
    const image = String(node.inputs?.image ?? '');
    if (!inputFiles.has(image)) {
      nodeErrors[id] = {
        errors: [
          {
            type: 'value_not_in_list',
            message: 'Value not in list',
            details: `image: '${image}' not in [${[...inputFiles].map((name) => `'${name}'`).join(', ')}]`,
            extra_info: { input_name: 'image', received_value: image },
          },
        ],
        dependent_outputs: outputs.map(([outputId]) => outputId),
        class_type: 'LoadImage',
      };
    }
  }
  if (Object.keys(nodeErrors).length > 0) {
    return {
      ...topLevel('prompt_outputs_failed_validation', 'Prompt outputs failed validation'),
      node_errors: nodeErrors,
    };
  }
  return undefined;
}

/**
 * Node ids in dependency order (an input `[nodeId, slot]` is a link), as ComfyUI executes them:
 * only what the output nodes need runs, unlinked nodes are skipped.
 */
export function executionOrder(graph: ComfyGraph, outputs: readonly string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    if (state.get(id) || !graph[id]) return;
    state.set(id, 'visiting');
    for (const value of Object.values(graph[id].inputs ?? {})) {
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string') visit(value[0]);
    }
    state.set(id, 'done');
    order.push(id);
  };
  outputs.forEach(visit);
  return order;
}

/** Output size and batch: the first node with numeric width/height (EmptyLatentImage…), else 512². */
export function outputSize(graph: ComfyGraph): { width: number; height: number; batch: number } {
  for (const node of Object.values(graph)) {
    const { width, height, batch_size: batch } = node.inputs ?? {};
    if (typeof width === 'number' && typeof height === 'number') {
      return { width, height, batch: typeof batch === 'number' ? batch : 1 };
    }
  }
  return { width: 512, height: 512, batch: 1 };
}

export function isSampler(node: ComfyNode): boolean {
  return /Sampler/i.test(node.class_type);
}

/** Minimal `/object_info` catalogue: the nodes a txt2img / img2img graph uses. */
export const OBJECT_INFO: Record<string, object> = Object.fromEntries(
  [
    [
      'CheckpointLoaderSimple',
      'loaders',
      { ckpt_name: [['sd_xl_base_1.0.safetensors']] },
      ['MODEL', 'CLIP', 'VAE'],
      false,
    ],
    [
      'CLIPTextEncode',
      'conditioning',
      { text: ['STRING', { multiline: true }], clip: ['CLIP'] },
      ['CONDITIONING'],
      false,
    ],
    [
      'EmptyLatentImage',
      'latent',
      {
        width: ['INT', { default: 512 }],
        height: ['INT', { default: 512 }],
        batch_size: ['INT', { default: 1 }],
      },
      ['LATENT'],
      false,
    ],
    [
      'KSampler',
      'sampling',
      {
        model: ['MODEL'],
        seed: ['INT'],
        steps: ['INT', { default: 20 }],
        cfg: ['FLOAT'],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        denoise: ['FLOAT'],
      },
      ['LATENT'],
      false,
    ],
    ['VAEDecode', 'latent', { samples: ['LATENT'], vae: ['VAE'] }, ['IMAGE'], false],
    ['VAEEncode', 'latent', { pixels: ['IMAGE'], vae: ['VAE'] }, ['LATENT'], false],
    ['LoadImage', 'image', { image: [[], { image_upload: true }] }, ['IMAGE', 'MASK'], false],
    [
      'SaveImage',
      'image',
      { images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] },
      [],
      true,
    ],
    ['PreviewImage', 'image', { images: ['IMAGE'] }, [], true],
  ].map(([name, category, required, output, outputNode]) => [
    name as string,
    {
      input: { required },
      output,
      output_name: output,
      name,
      display_name: name,
      category,
      output_node: outputNode,
    },
  ]),
);
