import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import OpenAI, { toFile } from 'openai';
import type { ImagesResponse } from 'openai/resources/images';
import { Env, ExternalErrorCode, ExternalServiceError, FieldError } from '@atelier/core';
import type { ImageProvider, ProgressSink, ProviderJob, ProviderResult } from '../image-provider';
import { fromOpenAIError, openAIErrorDialect } from './openai-errors';

const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536'];
const DALLE3_SIZES = ['1024x1024', '1792x1024', '1024x1792'];
const PARTIAL_IMAGES = 2;
const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/**
 * OpenAI Images through the official SDK. The SDK's own retries are off (`maxRetries: 0`) so
 * Bull's attempts are the only retry policy; every failure goes through fromOpenAIError.
 */
@Injectable()
export class OpenAIProvider implements ImageProvider {
  readonly name = openAIDescriptor.name;
  readonly configured: boolean;
  readonly capabilities = openAIDescriptor.capabilities;
  private readonly client?: OpenAI;

  constructor(config: ConfigService<Env, true>) {
    const apiKey = config.get('OPENAI_API_KEY', { infer: true });
    this.configured = Boolean(apiKey);
    if (apiKey) {
      this.client = new OpenAI({
        apiKey,
        baseURL: config.get('OPENAI_BASE_URL', { infer: true }) ?? undefined,
        maxRetries: 0,
        timeout: config.get('PROVIDER_TIMEOUT_SECONDS', { infer: true }) * 1000,
      });
    }
  }

  check(job: Pick<ProviderJob, 'type' | 'model' | 'params'>): FieldError[] {
    const size = `${job.params.width}x${job.params.height}`;
    if (job.model === 'dall-e-3') {
      const errors: FieldError[] = [];
      if (job.type !== 'generate') errors.push({ field: 'model', message: 'dall-e-3 can only generate' });
      if (job.params.n > 1) errors.push({ field: 'params.n', message: 'dall-e-3 makes one image per job' });
      if (!DALLE3_SIZES.includes(size)) {
        errors.push({ field: 'params.size', message: `must be one of ${DALLE3_SIZES.join(', ')}` });
      }
      return errors;
    }
    return GPT_SIZES.includes(size)
      ? []
      : [{ field: 'params.size', message: `must be one of ${GPT_SIZES.join(', ')}` }];
  }

  async run(job: ProviderJob, signal: AbortSignal, sink: ProgressSink): Promise<ProviderResult> {
    if (!this.client) throw this.notConfigured();
    try {
      return await this.call(this.client, job, signal, sink);
    } catch (err) {
      throw fromOpenAIError(err, { requestSent: true, signal });
    }
  }

  private async call(
    client: OpenAI,
    job: ProviderJob,
    signal: AbortSignal,
    sink: ProgressSink,
  ): Promise<ProviderResult> {
    const { params } = job;
    const gpt = job.model.startsWith('gpt-image');
    const common = {
      model: job.model,
      prompt: job.prompt,
      n: params.n,
      size: `${params.width}x${params.height}` as '1024x1024',
      ...(gpt
        ? {
            output_format: params.outputFormat,
            ...(params.quality ? { quality: params.quality as 'auto' } : {}),
            ...(params.background ? { background: params.background as 'auto' } : {}),
            ...(params.outputCompression !== undefined
              ? { output_compression: params.outputCompression }
              : {}),
          }
        : { response_format: 'b64_json' as const }),
    };
    // Streaming yields one image; with n > 1 the plain call is the only way to get them all.
    const stream = gpt && params.n === 1;
    const options = { signal };
    if (job.type === 'generate') {
      if (stream) {
        const { data, request_id } = await client.images
          .generate({ ...common, stream: true, partial_images: PARTIAL_IMAGES }, options)
          .withResponse();
        return this.collectStream(data, request_id, params.outputFormat, sink);
      }
      const { data, request_id } = await client.images.generate(common, options).withResponse();
      return this.collect(data, request_id);
    }
    const source = job.source;
    if (!source) throw this.rejected('a source image is required');
    const edit = {
      ...common,
      image: await toFile(source.buffer, `source.${extension(source.mime)}`, { type: source.mime }),
      ...(job.type === 'edit' && job.mask
        ? { mask: await toFile(job.mask.buffer, 'mask.png', { type: 'image/png' }) }
        : {}),
    };
    if (stream) {
      const { data, request_id } = await client.images
        .edit({ ...edit, stream: true, partial_images: PARTIAL_IMAGES }, options)
        .withResponse();
      return this.collectStream(data, request_id, params.outputFormat, sink);
    }
    const { data, request_id } = await client.images.edit(edit, options).withResponse();
    return this.collect(data, request_id);
  }

  private async collectStream(
    events: AsyncIterable<{ type: string; b64_json: string; usage?: unknown }>,
    requestId: string | null,
    format: keyof typeof MIME,
    sink: ProgressSink,
  ): Promise<ProviderResult> {
    const images: Buffer[] = [];
    let usage: Record<string, unknown> | undefined;
    let partials = 0;
    for await (const event of events) {
      if (event.type.endsWith('.partial_image')) {
        partials += 1;
        await sink.preview(Buffer.from(event.b64_json, 'base64'), MIME[format]);
        await sink.progress(Math.round((partials / (PARTIAL_IMAGES + 1)) * 90));
      } else if (event.type.endsWith('.completed')) {
        images.push(Buffer.from(event.b64_json, 'base64'));
        usage = event.usage as Record<string, unknown> | undefined;
      }
    }
    if (images.length === 0) throw this.rejected('the stream ended without an image', requestId);
    return { images, usage, providerRequestId: requestId ?? undefined };
  }

  private async collect(response: ImagesResponse, requestId: string | null): Promise<ProviderResult> {
    const images = (response.data ?? []).map((item) => {
      if (!item.b64_json) throw this.rejected('the answer carried no image data', requestId);
      return Buffer.from(item.b64_json, 'base64');
    });
    if (images.length === 0) throw this.rejected('the answer carried no image', requestId);
    return {
      images,
      usage: response.usage as unknown as Record<string, unknown> | undefined,
      providerRequestId: requestId ?? undefined,
    };
  }

  private rejected(message: string, requestId?: string | null): ExternalServiceError {
    return new ExternalServiceError({
      kind: 'rejected',
      code: ExternalErrorCode.ProviderRejected,
      service: this.name,
      message: `openai: ${message}`,
      providerRequestId: requestId ?? undefined,
    });
  }

  private notConfigured(): ExternalServiceError {
    return new ExternalServiceError({
      kind: 'auth',
      code: ExternalErrorCode.ProviderAuth,
      service: this.name,
      message: 'openai: OPENAI_API_KEY is not set',
    });
  }
}

/** OpenAI Images, as the provider registry lists it (provider-descriptors.ts). */
export const openAIDescriptor = {
  name: 'openai',
  implementation: OpenAIProvider,
  capabilities: {
    types: new Set(['generate', 'edit', 'style_transfer'] as const),
    sizes: { kind: 'fixed', sizes: [...new Set([...GPT_SIZES, ...DALLE3_SIZES])] },
    maxN: 4,
    streaming: true,
    negativePrompt: false,
    models: ['gpt-image-1', 'dall-e-3'],
    defaultModel: 'gpt-image-1',
  },
  errorDialect: openAIErrorDialect,
} as const;

function extension(mime: string): string {
  return mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
}
