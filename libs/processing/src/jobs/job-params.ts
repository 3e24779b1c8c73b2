import { randomInt } from 'node:crypto';
import type { FieldError } from '@atelier/core';
import type { ImageProvider, ProviderCapabilities } from '../providers/image-provider';
import { OUTPUT_FORMATS, type JobType, type OutputFormat } from '../processing.types';
import type { JobParams } from './job.entity';

/** Parameters as a client (or a template) may send them, before normalisation. */
export interface RequestedParams {
  size?: string;
  width?: number;
  height?: number;
  n?: number;
  quality?: string;
  background?: string;
  outputFormat?: string;
  outputCompression?: number;
  seed?: number;
  steps?: number;
  guidance?: number;
  operations?: unknown[];
}

export interface RequestedJob {
  type: JobType;
  prompt?: string;
  negativePrompt?: string;
  model: string;
  sourceImageId?: string;
  maskImageId?: string;
  params: RequestedParams;
}

const DEFAULT_SIDE = 1024;
const SIZE_PATTERN = /^(\d{1,5})x(\d{1,5})$/;

/**
 * Turns requested parameters into the stored shape (explicit width, height, n, format and seed,
 * so a retry renders the same thing) and lists every field the provider or plan cannot honour.
 */
export function normaliseParams(
  job: RequestedJob,
  capabilities: ProviderCapabilities,
  maxImageSide: number,
): { params: JobParams; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const requested = job.params;
  let width = requested.width;
  let height = requested.height;
  if (requested.size !== undefined) {
    const match = SIZE_PATTERN.exec(requested.size);
    if (match) [width, height] = [Number(match[1]), Number(match[2])];
    else errors.push({ field: 'params.size', message: 'must look like 1024x1024' });
  } else if ((width === undefined) !== (height === undefined)) {
    errors.push({ field: 'params.width', message: 'width and height go together' });
  }
  if (width === undefined || height === undefined) [width, height] = defaultSize(capabilities);

  const sizeProblem = checkSize(capabilities, width, height);
  if (sizeProblem) errors.push({ field: 'params.size', message: sizeProblem });
  if (Math.max(width, height) > maxImageSide) {
    errors.push({ field: 'params.size', message: `your plan allows at most ${maxImageSide} px a side` });
  }

  const n = requested.n ?? 1;
  if (n > capabilities.maxN) {
    errors.push({
      field: 'params.n',
      message: `this provider makes at most ${capabilities.maxN} images a job`,
    });
  }
  const outputFormat = (requested.outputFormat ?? 'png') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(outputFormat)) {
    errors.push({ field: 'params.outputFormat', message: `must be one of ${OUTPUT_FORMATS.join(', ')}` });
  }

  if (!capabilities.types.has(job.type)) {
    errors.push({ field: 'type', message: `this provider cannot run ${job.type} jobs` });
  }
  if (!capabilities.models.includes(job.model)) {
    errors.push({ field: 'model', message: `must be one of ${capabilities.models.join(', ')}` });
  }
  if (job.negativePrompt && !capabilities.negativePrompt) {
    errors.push({ field: 'negativePrompt', message: 'this provider does not take a negative prompt' });
  }
  if (job.type !== 'style_transfer' && !job.prompt?.trim()) {
    errors.push({ field: 'prompt', message: 'is required' });
  }
  if ((job.type === 'edit' || job.type === 'style_transfer') && !job.sourceImageId) {
    errors.push({ field: 'sourceImageId', message: `is required for ${job.type}` });
  }
  if (job.type !== 'edit' && job.maskImageId) {
    errors.push({ field: 'maskImageId', message: 'is only used by edit jobs' });
  }

  const params: JobParams = {
    width,
    height,
    n,
    outputFormat,
    seed: requested.seed ?? randomInt(0, 2 ** 31 - 1),
  };
  for (const key of [
    'quality',
    'background',
    'outputCompression',
    'steps',
    'guidance',
    'operations',
  ] as const) {
    if (requested[key] !== undefined) (params as Record<string, unknown>)[key] = requested[key];
  }
  return { params, errors };
}

/**
 * Layers requested parameters, later layers winning (a style's, then a template's, then the
 * user's own). A later `width`/`height` also replaces an earlier `size`, which would otherwise win.
 */
export function layerParams(...layers: RequestedParams[]): RequestedParams {
  return layers.reduce<RequestedParams>((merged, layer) => {
    const defined = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined));
    const { size, ...rest } = merged;
    const keepSize = layer.width === undefined && layer.height === undefined;
    return { ...rest, ...(keepSize && size !== undefined ? { size } : {}), ...defined };
  }, {});
}

/**
 * A style's parameters limited to what this provider, model and plan accept: a style made for
 * OpenAI's 1536x1024 must not make a job on a provider with other sizes fail, so a size that does
 * not fit is left to the provider's default. Providers ignore the parameters they do not take.
 */
export function styleParamsFor(
  defaults: RequestedParams,
  job: Pick<RequestedJob, 'type' | 'model'>,
  provider: Pick<ImageProvider, 'capabilities' | 'check'>,
  maxImageSide: number,
): RequestedParams {
  const { size, ...rest } = defaults;
  const match = size === undefined ? null : SIZE_PATTERN.exec(size);
  if (!match) return rest;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const params: JobParams = { width, height, n: 1, outputFormat: 'png' };
  const fits =
    !checkSize(provider.capabilities, width, height) &&
    Math.max(width, height) <= maxImageSide &&
    !(provider.check?.({ ...job, params }) ?? []).some((error) => error.field === 'params.size');
  return fits ? { ...rest, size } : rest;
}

function defaultSize(capabilities: ProviderCapabilities): [number, number] {
  const rule = capabilities.sizes;
  if (rule.kind === 'fixed') {
    const [w, h] = rule.sizes[0].split('x').map(Number);
    return [w, h];
  }
  const side = Math.min(DEFAULT_SIDE, rule.max);
  return [side, side];
}

function checkSize(capabilities: ProviderCapabilities, width: number, height: number): string | undefined {
  const rule = capabilities.sizes;
  if (rule.kind === 'fixed') {
    return rule.sizes.includes(`${width}x${height}`)
      ? undefined
      : `this provider supports ${rule.sizes.join(', ')}`;
  }
  const ok = [width, height].every(
    (side) => Number.isInteger(side) && side >= rule.min && side <= rule.max && side % rule.multipleOf === 0,
  );
  if (ok) return undefined;
  const multiple = rule.multipleOf > 1 ? `, multiples of ${rule.multipleOf}` : '';
  return `sides must be from ${rule.min} to ${rule.max} px${multiple}`;
}
