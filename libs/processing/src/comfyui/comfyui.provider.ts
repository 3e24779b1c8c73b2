import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Env, ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import { ImagesService } from '@atelier/images';
import { workflowSpecOf } from '../catalog/workflow-job';
import { WorkflowsService } from '../catalog/workflows.service';
import { Job } from '../jobs/job.entity';
import type { ImageProvider, ProgressSink, ProviderJob, ProviderResult } from '../providers/image-provider';
import { WorkflowParamsError } from '../workflows/workflow-params';
import { fillGraph, type WorkflowGraph } from '../workflows/workflow-template';
import { COMFYUI_SERVICE, type ComfyUIClient } from './comfyui-client';
import { ComfyUIPool } from './comfyui-pool';

export interface ComfyQueueSummary {
  servers: number;
  healthy: number;
  running: number;
  pending: number;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * Runs `workflow` jobs on ComfyUI: uploads the job's image parameters, fills the workflow's
 * graph with the values recorded at submission, queues it on the least busy server and follows
 * it (progress → job progress, previews → preview events), then fetches the output node's images.
 * A cancel (the abort signal) takes the prompt off the server: deleted if waiting, interrupted if
 * running.
 */
@Injectable()
export class ComfyUIProvider implements ImageProvider {
  readonly name = comfyUIDescriptor.name;
  readonly configured: boolean;
  readonly capabilities = comfyUIDescriptor.capabilities;
  readonly pool: ComfyUIPool;
  private readonly logger = new Logger(ComfyUIProvider.name);

  constructor(
    config: ConfigService<Env, true>,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly workflows: WorkflowsService,
    private readonly images: ImagesService,
  ) {
    this.pool = new ComfyUIPool(config.get('COMFYUI_URL', { infer: true }) ?? []);
    this.configured = this.pool.size > 0;
  }

  /** The servers' queues summed up for the live `queue.status` broadcast (no server URLs: users see it). */
  async queueStatus(): Promise<ComfyQueueSummary> {
    const servers = await this.pool.status();
    const healthy = servers.filter((s) => s.healthy);
    return {
      servers: servers.length,
      healthy: healthy.length,
      running: healthy.reduce((sum, s) => sum + s.running, 0),
      pending: healthy.reduce((sum, s) => sum + s.pending, 0),
    };
  }

  async run(job: ProviderJob, signal: AbortSignal, sink: ProgressSink): Promise<ProviderResult> {
    const row = await this.jobs.findOneByOrFail({ id: job.id });
    const spec = workflowSpecOf(job.params);
    const workflow = row.workflowId
      ? await this.workflows.get(row.workflowId).catch(() => undefined)
      : undefined;
    if (!spec || !workflow) throw rejected('the job names no workflow, or its workflow was deleted');

    const client = await this.pool.pick();
    const values = { ...spec.values };
    for (const { name, imageId } of spec.images) {
      values[name] = await this.uploadImage(client, row.ownerId, imageId, `${job.id}-${name}`, signal);
    }
    const graph = fill(workflow.graph, values);
    const clientId = `atelier-${randomBytes(8).toString('hex')}`;
    // Sink calls write to the database and storage: they run one after another, in arrival order.
    let reports = Promise.resolve();
    const report = (write: () => Promise<void>) => {
      reports = reports.then(write).catch((err: unknown) => {
        this.logger.warn({ jobId: job.id, err: String(err) }, 'Could not record ComfyUI progress');
      });
    };
    let lastPercent = -1;
    // Listening before queueing: a fast prompt's first progress and preview frames can come before
    // the answer to POST /prompt.
    const follower = await client.connect(clientId, {
      signal,
      onProgress: (value, max) => {
        const percent = max > 0 ? Math.floor((value / max) * 100) : 0;
        if (percent === lastPercent) return;
        lastPercent = percent;
        report(() => sink.progress(percent));
      },
      onPreview: (buffer, mime) => report(() => sink.preview(buffer, mime)),
    });
    let promptId: string;
    try {
      ({ promptId } = await client.queuePrompt(graph, clientId, signal));
    } catch (err) {
      follower.close();
      throw err;
    }

    const cancelPrompt = () => {
      client.cancel(promptId).catch((err: unknown) => {
        this.logger.warn(
          { jobId: job.id, promptId, err: String(err) },
          'Could not cancel the ComfyUI prompt',
        );
      });
    };
    signal.addEventListener('abort', cancelPrompt, { once: true });
    if (signal.aborted) cancelPrompt();
    try {
      const entry = await follower.follow(promptId);
      await reports;
      const outputs = entry.outputs[spec.outputNodeId]?.images ?? [];
      if (!outputs.length) throw rejected(`output node ${spec.outputNodeId} produced no images`);
      const images = await Promise.all(
        outputs.map((image) => client.view(image.filename, image.subfolder, image.type, signal)),
      );
      // The server's address is operator configuration, for the log only: users see `usage`.
      this.logger.log({ jobId: job.id, server: client.baseUrl, promptId }, 'ComfyUI prompt finished');
      return { images, providerRequestId: promptId, usage: { promptId } };
    } finally {
      signal.removeEventListener('abort', cancelPrompt);
    }
  }

  /** Returns the name a LoadImage node must use for the uploaded copy. */
  private async uploadImage(
    client: ComfyUIClient,
    ownerId: string,
    imageId: string,
    baseName: string,
    signal: AbortSignal,
  ): Promise<string> {
    const image = await this.images.findOwned(ownerId, imageId).catch(() => undefined);
    if (!image) throw rejected(`input image ${imageId} no longer exists`);
    const buffer = await this.images.readOriginal(image);
    const uploaded = await client.uploadImage(
      buffer,
      `atelier-${baseName}.${EXTENSIONS[image.mime] ?? 'png'}`,
      signal,
    );
    return uploaded.subfolder ? `${uploaded.subfolder}/${uploaded.name}` : uploaded.name;
  }
}

/** ComfyUI workflows, as the provider registry lists it (provider-descriptors.ts). Its HTTP failures need no dialect. */
export const comfyUIDescriptor = {
  name: COMFYUI_SERVICE,
  implementation: ComfyUIProvider,
  capabilities: {
    types: new Set(['workflow'] as const),
    sizes: { kind: 'range', min: 64, max: 4096, multipleOf: 8 },
    maxN: 1,
    streaming: true,
    negativePrompt: true,
    // Models and workflows come from the catalogue (GET /models, GET /workflows).
    models: [] as string[],
    defaultModel: '',
  },
} as const;

/** The workflow changed since submission and needs a value the job lacks: the job cannot run. */
function fill(graph: WorkflowGraph, values: Record<string, unknown>): WorkflowGraph {
  try {
    return fillGraph(graph, values);
  } catch (err) {
    if (err instanceof WorkflowParamsError)
      throw rejected(`the workflow no longer fits this job: ${err.message}`);
    throw err;
  }
}

function rejected(message: string): ExternalServiceError {
  return new ExternalServiceError({
    kind: 'rejected',
    code: ExternalErrorCode.ProviderRejected,
    service: COMFYUI_SERVICE,
    message: `${COMFYUI_SERVICE}: ${message}`,
  });
}
