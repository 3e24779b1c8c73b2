import { Injectable } from '@nestjs/common';
import { ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { ImageProvider, ProgressSink, ProviderJob, ProviderResult } from '../image-provider';
import {
  LOCAL_MAX_SIDE,
  LocalRenderError,
  parseStyleOperations,
  renderEdit,
  renderGenerate,
  renderPartials,
  renderStyleTransfer,
  StyleOperationsError,
  type StyleOperation,
} from './local-renderer';

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
/** A style transfer without operations of its own gets a recognisable, neutral look. */
const DEFAULT_STYLE: StyleOperation[] = [{ op: 'sepia' }, { op: 'contrast', amount: 1.2 }];

/** The embedded provider: deterministic pictures from prompt + seed, no network, no key. */
@Injectable()
export class LocalProvider implements ImageProvider {
  readonly name = localDescriptor.name;
  readonly configured = true;
  readonly capabilities = localDescriptor.capabilities;

  async run(job: ProviderJob, signal: AbortSignal, sink: ProgressSink): Promise<ProviderResult> {
    try {
      return await this.render(job, signal, sink);
    } catch (err) {
      if (err instanceof LocalRenderError || err instanceof StyleOperationsError) {
        throw new ExternalServiceError({
          kind: 'rejected',
          code: ExternalErrorCode.ProviderRejected,
          service: this.name,
          message: `local: ${err.message}`,
          cause: err,
        });
      }
      throw err;
    }
  }

  private async render(job: ProviderJob, signal: AbortSignal, sink: ProgressSink): Promise<ProviderResult> {
    const { params } = job;
    const images: Buffer[] = [];
    const baseSeed = params.seed ?? 0;
    for (let index = 0; index < params.n; index++) {
      signal.throwIfAborted();
      const seed = baseSeed + index;
      if (job.type === 'generate') {
        const input = {
          prompt: job.prompt,
          negativePrompt: job.negativePrompt ?? undefined,
          seed,
          width: params.width,
          height: params.height,
          outputFormat: params.outputFormat,
        };
        if (index === 0) {
          for (const preview of await renderPartials(input, 2)) {
            signal.throwIfAborted();
            await sink.preview(preview, MIME[params.outputFormat]);
          }
        }
        images.push(await renderGenerate(input));
      } else if (job.type === 'edit') {
        images.push(
          await renderEdit({
            source: this.required(job.source, 'source image'),
            mask: job.mask?.buffer,
            prompt: job.prompt,
            seed,
            outputFormat: params.outputFormat,
          }),
        );
      } else {
        const operations = params.operations ? parseStyleOperations(params.operations) : DEFAULT_STYLE;
        images.push(
          await renderStyleTransfer({
            source: this.required(job.source, 'source image'),
            operations,
            outputFormat: params.outputFormat,
          }),
        );
      }
      await sink.progress(Math.round(((index + 1) / params.n) * 90));
    }
    signal.throwIfAborted();
    return { images, usage: { images: images.length } };
  }

  private required(input: ProviderJob['source'], what: string): Buffer {
    if (!input) throw new LocalRenderError(`${what} is required`);
    return input.buffer;
  }
}

/** The embedded provider, as the provider registry lists it (provider-descriptors.ts). */
export const localDescriptor = {
  name: 'local',
  implementation: LocalProvider,
  capabilities: {
    types: new Set(['generate', 'edit', 'style_transfer'] as const),
    sizes: { kind: 'range', min: 64, max: LOCAL_MAX_SIDE, multipleOf: 1 },
    maxN: 4,
    streaming: true,
    negativePrompt: true,
    models: ['local-v1'],
    defaultModel: 'local-v1',
  },
} as const;
