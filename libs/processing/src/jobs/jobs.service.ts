import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  AuthUser,
  Env,
  hydrateRow,
  isUniqueViolation,
  keysetPage,
  namedFieldErrors,
  OutboundHttp,
  Page,
  ProblemException,
  referencedBy,
} from '@atelier/core';
import { FoldersService, Image, ImagesService } from '@atelier/images';
import { StylesService } from '@atelier/styles';
import { PlansService, QuotaService } from '@atelier/users';
import type { CreateJobDto } from '../dto/create-job.dto';
import type { ListJobsQuery } from '../dto/list-jobs.query';
import { ProcessingErrorCode } from '../processing.errors';
import { ProviderRegistry } from '../providers/provider-registry';
import { TemplatesService } from '../templates/templates.service';
import { WorkflowCatalog } from '../catalog/workflow-catalog';
import { workflowJobParams, workflowSpecOf } from '../catalog/workflow-job';
import { Job } from './job.entity';
import { ChangeWithEvent, JobEventsService } from './job-events.service';
import { JOB_WEBHOOK_EVENTS } from '../webhooks/job-webhook-events';
import { layerParams, normaliseParams, styleParamsFor } from './job-params';
import { JobQueueService } from './job-queue.service';
import { JobStateService } from './job-state.service';

/** Submitting, reading, cancelling and retrying jobs on behalf of their owner. */
@Injectable()
export class JobsService {
  private readonly defaultProvider: string;

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly providers: ProviderRegistry,
    private readonly plans: PlansService,
    private readonly quota: QuotaService,
    private readonly images: ImagesService,
    private readonly folders: FoldersService,
    private readonly templates: TemplatesService,
    private readonly styles: StylesService,
    private readonly workflowCatalog: WorkflowCatalog,
    private readonly events: JobEventsService,
    private readonly queue: JobQueueService,
    private readonly state: JobStateService,
    private readonly outbound: OutboundHttp,
    config: ConfigService<Env, true>,
  ) {
    this.defaultProvider = config.get('DEFAULT_PROVIDER', { infer: true });
  }

  /**
   * Validates against the provider and the plan, checks every id the request names (each one's
   * 404 names its field), takes the quota, records the row and enqueues it. Nothing is paid for
   * before all of that passed: a bad folder id used to be found only when results were stored. `created` is false when the Idempotency-Key matched an earlier job, which is returned.
   */
  async submit(
    user: AuthUser,
    dto: CreateJobDto,
    idempotencyKey?: string,
    retryOfId?: string,
  ): Promise<{ job: Job; created: boolean }> {
    if (idempotencyKey) {
      const existing = await this.jobs.findOneBy({ ownerId: user.id, idempotencyKey });
      if (existing) return { job: existing, created: false };
    }
    const template = dto.templateId
      ? await referencedBy('templateId', this.templates.getActive(dto.templateId))
      : undefined;
    if (template && template.jobType !== dto.type) {
      throw ProblemException.invalidField('templateId', `is a template for ${template.jobType} jobs`);
    }
    const provider = this.providers.get(
      dto.provider ?? template?.provider ?? (dto.type === 'workflow' ? 'comfyui' : this.defaultProvider),
    );
    const plan = await this.plans.planForUser(user.id);
    if (!plan.allowedProviders.includes(provider.name)) {
      throw ProblemException.forbidden(
        ProcessingErrorCode.PlanForbids,
        `Your plan (${plan.slug}) does not include the ${provider.name} provider.`,
      );
    }
    // Workflow jobs: plan links, typed parameters and image ownership are checked by the catalogue.
    const workflow =
      dto.type === 'workflow'
        ? await referencedBy(
            'workflowId',
            this.workflowCatalog.prepare(user, dto.workflowId ?? '', dto.params as Record<string, unknown>),
          )
        : undefined;
    const model =
      workflow?.model?.identifier ??
      dto.model ??
      (template?.provider === provider.name ? template.model : null) ??
      provider.capabilities.defaultModel;
    // 404 for an unknown style, 403 plan_forbids for a premium style on a free plan.
    const style = dto.styleId
      ? await referencedBy('styleId', this.styles.resolveForJob(user.id, dto.styleId, plan))
      : undefined;
    const styleParams = style
      ? styleParamsFor(style.defaults, { type: dto.type, model }, provider, plan.maxImageSide)
      : {};
    const request = {
      type: dto.type,
      prompt: dto.prompt,
      negativePrompt: dto.negativePrompt,
      model,
      sourceImageId: dto.sourceImageId,
      maskImageId: dto.maskImageId,
      params: layerParams(styleParams, template?.defaultParams ?? {}, dto.params ?? {}),
    };
    const { params, errors } = workflow
      ? { params: workflowJobParams(workflow, dto.params ?? {}), errors: [] }
      : normaliseParams(request, provider.capabilities, plan.maxImageSide);
    if (style && params.operations === undefined && style.operations.length)
      params.operations = style.operations;
    errors.push(...(provider.check?.({ type: dto.type, model, params }) ?? []));
    if (errors.length) {
      throw ProblemException.validationFailed(errors, namedFieldErrors(errors));
    }
    const source = dto.sourceImageId
      ? await referencedBy('sourceImageId', this.ownedImage(user.id, dto.sourceImageId))
      : undefined;
    if (dto.maskImageId) await referencedBy('maskImageId', this.ownedImage(user.id, dto.maskImageId));
    if (dto.folderId) await referencedBy('folderId', this.folders.findOwned(user.id, dto.folderId));
    const webhookUrl = dto.webhookUrl
      ? await this.outbound.checkField('webhookUrl', dto.webhookUrl, ProcessingErrorCode.UnsafeWebhookUrl)
      : null;
    if (source?.moderationState === 'flagged') {
      throw ProblemException.conflict(
        ProcessingErrorCode.ModerationBlocked,
        'The source image was flagged by moderation and cannot be sent to a provider.',
      );
    }

    const quotaKind = dto.type === 'generate' || dto.type === 'workflow' ? 'generation' : 'edit';
    const quotaDay = new Date().toISOString().slice(0, 10);
    await this.quota.consume(user.id, quotaKind, params.n, plan);
    let created: ChangeWithEvent | undefined;
    try {
      const insert = this.jobs
        .createQueryBuilder()
        .insert()
        .values({
          ownerId: user.id,
          type: dto.type,
          provider: provider.name,
          model,
          // With a style, the provider gets the user's words inside the style's template.
          prompt: style ? style.renderPrompt(dto.prompt ?? '') : (dto.prompt ?? ''),
          negativePrompt: dto.negativePrompt ?? null,
          // TypeORM serialises jsonb itself; its deep-partial type cannot follow `unknown` values.
          params: params as Record<string, unknown> as Record<string, never>,
          styleId: dto.styleId ?? null,
          templateId: dto.templateId ?? null,
          workflowId: workflow?.workflow.id ?? null,
          sourceImageId: dto.sourceImageId ?? null,
          maskImageId: dto.maskImageId ?? null,
          folderId: dto.folderId ?? null,
          tags: dto.tags ?? [],
          webhookUrl,
          webhookEvents: webhookUrl ? (dto.webhookEvents ?? [...JOB_WEBHOOK_EVENTS]) : [],
          idempotencyKey: idempotencyKey ?? null,
          quotaKind,
          quotaUnits: params.n,
          quotaDay,
          queuePriority: plan.queuePriority,
          retryOfId: retryOfId ?? null,
        })
        .returning('*');
      // The row and its `queued` event in one statement.
      const queued = { provider: provider.name, model };
      created = await this.events.recordWithChange(
        this.jobs.manager,
        insert.getQueryAndParameters(),
        'queued',
        queued,
      );
    } catch (err) {
      await this.quota.refund(user.id, quotaKind, params.n, quotaDay);
      // Two requests with one Idempotency-Key raced: the other one won, answer with its job.
      if (idempotencyKey && isUniqueViolation(err)) {
        const existing = await this.jobs.findOneByOrFail({ ownerId: user.id, idempotencyKey });
        return { job: existing, created: false };
      }
      throw err;
    }
    if (!created) throw new Error('the job INSERT returned no row');
    const job = hydrateRow(this.jobs.manager, Job, created.row);
    await this.events.announce(job, created.event);
    await this.queue.enqueue(job);
    return { job, created: true };
  }

  async list(user: AuthUser, query: ListJobsQuery): Promise<Page<Job>> {
    const qb = this.jobs.createQueryBuilder('j').where('j.ownerId = :ownerId', { ownerId: user.id });
    if (query.status) qb.andWhere('j.status = :status', { status: query.status });
    if (query.type) qb.andWhere('j.type = :type', { type: query.type });
    if (query.provider) qb.andWhere('j.provider = :provider', { provider: query.provider });
    return keysetPage(qb, {
      sortColumn: 'j.createdAt',
      idColumn: 'j.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (job) => job,
    });
  }

  /** The caller's job; someone else's is a 404, as if it did not exist. */
  async getOwned(user: AuthUser, id: string): Promise<Job> {
    const job = await this.jobs.findOneBy({ id, ownerId: user.id });
    if (!job) throw ProblemException.notFound(ProcessingErrorCode.JobNotFound, 'Job not found.');
    return job;
  }

  /**
   * Waiting jobs leave the queue; running ones are told to abort (`job.cancel` reaches whichever
   * process runs them). The row is cancelled here, so a dead worker cannot leave it running.
   */
  async cancel(user: AuthUser, id: string): Promise<Job> {
    const job = await this.getOwned(user, id);
    const cancelled = await this.state.cancel(job.id);
    if (!cancelled) {
      throw ProblemException.conflict(
        ProcessingErrorCode.JobFinished,
        `The job already ended (${job.status}).`,
        {
          status: (await this.jobs.findOneByOrFail({ id })).status,
        },
      );
    }
    await this.queue.removeWaiting(job.id);
    await this.events.requestAbort(job.id);
    return cancelled;
  }

  /** A failed or cancelled job runs again as a new job with the same inputs (and a new seed if unset). */
  async retry(user: AuthUser, id: string): Promise<Job> {
    const job = await this.getOwned(user, id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw ProblemException.conflict(
        ProcessingErrorCode.JobNotRetryable,
        `Only failed or cancelled jobs can be retried (this one is ${job.status}).`,
      );
    }
    const { width, height, n, outputFormat, ...rest } = job.params;
    const dto: CreateJobDto = {
      type: job.type,
      prompt: job.prompt || undefined,
      negativePrompt: job.negativePrompt ?? undefined,
      provider: job.provider,
      model: job.model ?? undefined,
      styleId: job.styleId ?? undefined,
      workflowId: job.workflowId ?? undefined,
      sourceImageId: job.sourceImageId ?? undefined,
      maskImageId: job.maskImageId ?? undefined,
      folderId: job.folderId ?? undefined,
      tags: job.tags,
      webhookUrl: job.webhookUrl ?? undefined,
      webhookEvents: job.webhookEvents as CreateJobDto['webhookEvents'],
      params: (workflowSpecOf(job.params)?.supplied ?? {
        ...rest,
        width,
        height,
        n,
        outputFormat,
      }) as CreateJobDto['params'],
    };
    return (await this.submit(user, dto, undefined, job.id)).job;
  }

  private async ownedImage(ownerId: string, imageId: string): Promise<Image> {
    const image = await this.images.findOwned(ownerId, imageId).catch(() => null);
    if (!image)
      throw ProblemException.notFound(ProcessingErrorCode.ImageNotFound, `Image ${imageId} not found.`);
    return image;
  }
}
