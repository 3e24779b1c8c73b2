import type { Type } from '@nestjs/common';
import type { ErrorDialect, FieldError, ProviderName } from '@atelier/core';
import type { JobParams } from '../jobs/job.entity';
import type { JobType } from '../processing.types';

/** Image sizes a provider accepts: a fixed list (`1024x1024`…) or any size within bounds. */
export type SizeRule =
  | { kind: 'fixed'; sizes: readonly string[] }
  | { kind: 'range'; min: number; max: number; multipleOf: number };

export interface ProviderCapabilities {
  types: ReadonlySet<JobType>;
  sizes: SizeRule;
  maxN: number;
  streaming: boolean;
  negativePrompt: boolean;
  models: readonly string[];
  defaultModel: string;
}

/** What a provider gets to work with: the job's inputs, with source images already loaded. */
export interface ProviderJob {
  id: string;
  type: JobType;
  prompt: string;
  negativePrompt: string | null;
  model: string;
  params: JobParams;
  source?: { buffer: Buffer; mime: string };
  mask?: { buffer: Buffer; mime: string };
}

/** Where a provider reports how far it got; previews are partial pictures, never results. */
export interface ProgressSink {
  progress(percent: number): Promise<void>;
  preview(buffer: Buffer, mime: string): Promise<void>;
}

export interface ProviderResult {
  images: Buffer[];
  usage?: Record<string, unknown>;
  providerRequestId?: string;
}

/**
 * A generation backend. Failures are thrown as ExternalServiceError (the shared classification
 * decides retry or fail); an abort of `signal` is rethrown as is.
 */
export interface ImageProvider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** False when the provider lacks its credentials or URL: it is then not offered. */
  readonly configured: boolean;
  /** Model-specific rules beyond the capabilities (e.g. dall-e-3 makes one image per call). */
  check?(job: Pick<ProviderJob, 'type' | 'model' | 'params'>): FieldError[];
  run(job: ProviderJob, signal: AbortSignal, progress: ProgressSink): Promise<ProviderResult>;
}

/**
 * What a provider declares about itself, in its own file next to its class: the registry
 * (provider-descriptors.ts) lists these, one line each, and everything else is built from it.
 */
export interface ProviderDescriptor {
  readonly name: ProviderName;
  /** The class that runs its jobs; Nest constructs it with its dependencies. */
  readonly implementation: Type<ImageProvider>;
  /** Job types, sizes, models and limits, as `GET /providers` shows them. */
  readonly capabilities: ProviderCapabilities;
  /** Its documented error bodies → the shared classes, where the status alone would misread them. */
  readonly errorDialect?: ErrorDialect;
}

/** Nest injection token for the list of providers (one entry per provider class). */
export const IMAGE_PROVIDERS = Symbol('IMAGE_PROVIDERS');
