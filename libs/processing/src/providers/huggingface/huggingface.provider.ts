import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
} from '@huggingface/inference';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  Env,
  type ErrorDialect,
  ExternalErrorCode,
  ExternalServiceError,
} from '@atelier/core';
import type { ImageProvider, ProgressSink, ProviderJob, ProviderResult } from '../image-provider';

export const HF_DEFAULT_MODEL = 'black-forest-labs/FLUX.1-dev';

/** Hugging Face's cold start: 503 with the seconds it expects the model to need to load. */
export const huggingFaceErrorDialect: ErrorDialect = ({ status, body, header }) => {
  if (status !== 503 || typeof body?.estimated_time !== 'number' || header('retry-after') !== undefined) {
    return undefined;
  }
  return {
    kind: 'retryable',
    code: ExternalErrorCode.ProviderUnavailable,
    retryAfterMs: Math.max(0, Math.ceil(body.estimated_time * 1000)),
  };
};

/**
 * Hugging Face text-to-image through @huggingface/inference. The SDK's serverless route is fixed
 * to router.huggingface.co, so a configured base URL (HF_BASE_URL, a proxy or test fake) is
 * reached as `endpointUrl = {base}/models/{model}`; HF_ENDPOINT_URL is a dedicated endpoint.
 * `retry_on_error: false` because the SDK would otherwise retry a loading model forever.
 */
@Injectable()
export class HuggingFaceProvider implements ImageProvider {
  readonly name = huggingFaceDescriptor.name;
  readonly configured: boolean;
  readonly capabilities = huggingFaceDescriptor.capabilities;
  private readonly client?: InferenceClient;
  private readonly endpointUrl?: string;
  private readonly baseUrl?: string;

  constructor(config: ConfigService<Env, true>) {
    const token = config.get('HF_TOKEN', { infer: true });
    this.configured = Boolean(token);
    this.endpointUrl = config.get('HF_ENDPOINT_URL', { infer: true }) ?? undefined;
    this.baseUrl = config.get('HF_BASE_URL', { infer: true })?.replace(/\/+$/, '');
    if (token) this.client = new InferenceClient(token);
  }

  async run(job: ProviderJob, signal: AbortSignal, sink: ProgressSink): Promise<ProviderResult> {
    const client = this.client;
    if (!client) {
      throw new ExternalServiceError({
        kind: 'auth',
        code: ExternalErrorCode.ProviderAuth,
        service: this.name,
        message: 'huggingface: HF_TOKEN is not set',
      });
    }
    const { params } = job;
    const images: Buffer[] = [];
    for (let index = 0; index < params.n; index++) {
      signal.throwIfAborted();
      try {
        const blob = await client.textToImage(
          {
            model: job.model,
            ...this.route(job.model),
            inputs: job.prompt,
            parameters: {
              width: params.width,
              height: params.height,
              ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}),
              ...(params.steps !== undefined ? { num_inference_steps: params.steps } : {}),
              ...(params.guidance !== undefined ? { guidance_scale: params.guidance } : {}),
              ...(params.seed !== undefined ? { seed: params.seed + index } : {}),
            },
          },
          { outputType: 'blob', retry_on_error: false, signal },
        );
        images.push(Buffer.from(await blob.arrayBuffer()));
      } catch (err) {
        throw this.classify(err, signal);
      }
      await sink.progress(Math.round(((index + 1) / params.n) * 90));
    }
    return { images, usage: { images: images.length } };
  }

  private route(model: string): { endpointUrl?: string } {
    if (this.endpointUrl) return { endpointUrl: this.endpointUrl };
    if (this.baseUrl) return { endpointUrl: `${this.baseUrl}/models/${model}` };
    return {};
  }

  private classify(err: unknown, signal: AbortSignal): ExternalServiceError {
    if (err instanceof InferenceClientProviderApiError || err instanceof InferenceClientHubApiError) {
      const { status, body, requestId } = err.httpResponse;
      return classifyHttpFailure(
        {
          status,
          body,
          headers: requestId ? { 'x-request-id': requestId } : undefined,
          service: this.name,
        },
        huggingFaceErrorDialect,
      );
    }
    if (err instanceof InferenceClientInputError || err instanceof InferenceClientProviderOutputError) {
      return new ExternalServiceError({
        kind: 'rejected',
        code: ExternalErrorCode.ProviderRejected,
        service: this.name,
        message: `huggingface: ${err.message}`,
        cause: err,
      });
    }
    // Text-to-image is safe to repeat, so a lost answer is retryable rather than unknown.
    return classifyNetworkFailure(err, { requestSent: false, service: this.name, signal });
  }
}

/** Hugging Face inference, as the provider registry lists it (provider-descriptors.ts). */
export const huggingFaceDescriptor = {
  name: 'huggingface',
  implementation: HuggingFaceProvider,
  capabilities: {
    types: new Set(['generate'] as const),
    sizes: { kind: 'range', min: 256, max: 2048, multipleOf: 8 },
    maxN: 4,
    streaming: false,
    negativePrompt: true,
    models: [HF_DEFAULT_MODEL, 'stabilityai/stable-diffusion-xl-base-1.0'],
    defaultModel: HF_DEFAULT_MODEL,
  },
  errorDialect: huggingFaceErrorDialect,
} as const;
