import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, pathMatcher, Script } from './fake-http-server';
import { graphError, type GraphFailure } from './graph-errors';
import { requestParams, sendJson, type RecordedRequest } from './recorded-request';

/*
 * Instagram Graph + Facebook Page fake under `/{version}/…`. Sources: providers.md § Social
 * platforms; developers.facebook.com Instagram content publishing (POST /{ig-user-id}/media →
 * container id; GET /{container}?fields=status_code → IN_PROGRESS | FINISHED | ERROR | EXPIRED;
 * POST /{ig-user-id}/media_publish {creation_id} → {id}; media fields, /insights?metric=);
 * Pages API (POST /{page-id}/photos {url | source, caption, published} → {id, post_id});
 * Graph error handling (`{error:{message,type,code,error_subcode,fbtrace_id}}`, 190 = invalid or
 * expired token, 4/17/32/613 = throttling with `x-app-usage`). Graph answers OAuthException
 * errors with HTTP 400 (5xx for transient codes 1/2), so clients must classify by `code`, not by
 * status. Parameters are read from query, urlencoded, multipart or JSON alike, as Graph does.
 * Re-publishing an already published container is refused here with code 100 (the fake's
 * choice, so a duplicate publish is visible rather than silently "succeeding").
 */

export interface GraphFakeOptions {
  /** When set, only these tokens are valid; others get code 190. */
  accessTokens?: string[];
  /** GETs of a container answered IN_PROGRESS before FINISHED (default 0). */
  inProgressPolls?: number;
  me?: { id: string; name: string };
  /** Fetch `image_url` when a container is created, like Instagram does (ERROR when it fails). */
  fetchImageUrls?: boolean;
}

export type { GraphFailure } from './graph-errors';

export interface GraphContainer {
  id: string;
  igUserId: string;
  imageUrl?: string;
  caption?: string;
  params: Record<string, unknown>;
  polls: number;
  outcome: 'FINISHED' | 'ERROR' | 'EXPIRED';
  imageFetch?: { status: number; size: number; contentType: string | null } | { error: string };
  publishedMediaId?: string;
}

/** One externally visible post: count these to prove "exactly one post". */
export interface GraphPublished {
  platform: 'instagram' | 'facebook';
  id: string;
  /** IG user id or page id. */
  ownerId: string;
  containerId?: string;
  postId?: string;
  caption?: string;
  imageUrl?: string;
  sourceSize?: number;
  permalink: string;
  publishedAt: Date;
}

export class GraphFake extends FakeHttpServer {
  readonly containers = new Map<string, GraphContainer>();
  readonly published: GraphPublished[] = [];
  private readonly failures = new Script<GraphFailure>();
  private readonly insights = new Map<string, Record<string, number>>();
  private readonly expired = new Set<string>();
  private nextContainerOutcome?: 'ERROR' | 'EXPIRED';
  private inProgressPolls: number;
  private ids = 17_900_000_000_000_000n;

  constructor(private readonly options: GraphFakeOptions = {}) {
    super();
    this.inProgressPolls = options.inProgressPolls ?? 0;
  }

  failNext(failure: GraphFailure): void {
    this.failures.push(failure, pathMatcher(failure.path));
  }

  setInProgressPolls(polls: number): void {
    this.inProgressPolls = polls;
  }

  /** The next container ends in ERROR or EXPIRED instead of FINISHED. */
  failNextContainer(outcome: 'ERROR' | 'EXPIRED' = 'ERROR'): void {
    this.nextContainerOutcome = outcome;
  }

  /** From now on this token gets code 190 (expired or revoked). */
  expireToken(token: string): void {
    this.expired.add(token);
  }

  setInsights(mediaId: string, values: Record<string, number>): void {
    this.insights.set(mediaId, values);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(req.path);
    if (!match) return this.error(res, { code: 2500, message: 'Unknown path components: ' + req.path });
    const path = match[2];
    const params = requestParams(req);
    const scripted = this.failures.take({ ...req, path });
    if (scripted) return this.error(res, scripted);
    const token = String(
      params.access_token ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '',
    );
    if (!token) {
      return this.error(res, {
        code: 2500,
        message: 'An active access token must be used to query information.',
      });
    }
    if (
      this.expired.has(token) ||
      (this.options.accessTokens && !this.options.accessTokens.includes(token))
    ) {
      return this.error(res, { code: 190, subcode: 463 });
    }
    await this.pause(req);
    const [, id, edge] = path.split('/');
    if (req.method === 'GET' && id === 'me' && !edge) {
      return this.ok(res, this.options.me ?? { id: '1000', name: 'Atelier Test User' });
    }
    if (req.method === 'POST' && edge === 'media') return this.createContainer(res, id, params);
    if (req.method === 'POST' && edge === 'media_publish') return this.publish(res, id, params);
    if (req.method === 'POST' && edge === 'photos') return this.postPhoto(res, req, id, params);
    if (req.method === 'GET' && edge === 'insights') return this.answerInsights(res, id, params);
    if (req.method === 'GET' && !edge) return this.read(res, id, String(params.fields ?? 'id'));
    return this.error(res, { code: 100, subcode: 33, message: `Unsupported ${req.method} request.` });
  }

  private async createContainer(res: ServerResponse, igUserId: string, params: Record<string, unknown>) {
    const imageUrl = params.image_url === undefined ? undefined : String(params.image_url);
    const caption = params.caption === undefined ? undefined : String(params.caption);
    if (!imageUrl) return this.error(res, { code: 100, message: 'The parameter image_url is required.' });
    if (caption && (caption.length > 2200 || (caption.match(/#/g) ?? []).length > 30)) {
      return this.error(res, {
        code: 100,
        subcode: 2207028,
        message: 'The caption is too long or has too many hashtags.',
      });
    }
    const container: GraphContainer = {
      id: this.nextId(),
      igUserId,
      imageUrl,
      caption,
      params,
      polls: 0,
      outcome: this.nextContainerOutcome ?? 'FINISHED',
    };
    this.nextContainerOutcome = undefined;
    if (this.options.fetchImageUrls) {
      try {
        const response = await fetch(imageUrl);
        const size = (await response.arrayBuffer()).byteLength;
        const contentType = response.headers.get('content-type');
        container.imageFetch = { status: response.status, size, contentType };
        if (!response.ok || !contentType?.startsWith('image/')) container.outcome = 'ERROR';
      } catch (error) {
        container.imageFetch = { error: String(error) };
        container.outcome = 'ERROR';
      }
    }
    this.containers.set(container.id, container);
    this.ok(res, { id: container.id });
  }

  private publish(res: ServerResponse, igUserId: string, params: Record<string, unknown>) {
    const container = this.containers.get(String(params.creation_id ?? ''));
    if (!container) return this.error(res, { code: 100, subcode: 33, message: 'Unsupported post request.' });
    if (container.publishedMediaId) {
      return this.error(res, { code: 100, message: 'This media container has already been published.' });
    }
    if (container.outcome !== 'FINISHED' || container.polls < this.inProgressPolls) {
      return this.error(res, { code: 9007, subcode: 2207027, message: 'Media ID is not available' });
    }
    const id = this.nextId();
    container.publishedMediaId = id;
    this.record({
      platform: 'instagram',
      id,
      ownerId: igUserId,
      containerId: container.id,
      caption: container.caption,
      imageUrl: container.imageUrl,
      permalink: `https://www.instagram.com/p/FAKE${id.slice(-8)}/`,
      publishedAt: new Date(),
    });
    this.ok(res, { id });
  }

  private postPhoto(
    res: ServerResponse,
    req: RecordedRequest,
    pageId: string,
    params: Record<string, unknown>,
  ) {
    const source = req.multipart?.files.find((file) => file.field === 'source');
    if (!params.url && !source) return this.error(res, { code: 324, message: '(#324) Requires upload file' });
    const id = this.nextId();
    const postId = `${pageId}_${this.nextId()}`;
    if (String(params.published ?? 'true') !== 'false') {
      this.record({
        platform: 'facebook',
        id,
        ownerId: pageId,
        postId,
        caption:
          params.caption === undefined ? (params.message as string | undefined) : String(params.caption),
        imageUrl: params.url === undefined ? undefined : String(params.url),
        sourceSize: source?.size,
        permalink: `https://www.facebook.com/${pageId}/posts/${postId.split('_')[1]}`,
        publishedAt: new Date(),
      });
    }
    this.ok(res, { id, post_id: postId });
  }

  private read(res: ServerResponse, id: string, fields: string) {
    const container = this.containers.get(id);
    const wanted = fields.split(',').map((field) => field.trim());
    if (container) {
      const inProgress = container.polls < this.inProgressPolls;
      container.polls++;
      const status_code = inProgress ? 'IN_PROGRESS' : container.outcome;
      const status = inProgress
        ? 'In Progress'
        : container.outcome === 'FINISHED'
          ? 'Finished'
          : `${status_code}: fake`;
      return this.ok(res, pick({ id, status_code, status }, wanted));
    }
    const media = this.published.find((item) => item.id === id || item.postId === id);
    if (!media)
      return this.error(res, { code: 100, subcode: 33, message: `Object with ID '${id}' does not exist.` });
    const values = this.insights.get(media.id) ?? {};
    return this.ok(
      res,
      pick(
        {
          id,
          permalink: media.permalink,
          permalink_url: media.permalink,
          caption: media.caption,
          media_type: 'IMAGE',
          media_url: media.imageUrl,
          timestamp: media.publishedAt.toISOString().replace('Z', '+0000'),
          like_count: values.likes ?? 0,
          comments_count: values.comments ?? 0,
        },
        wanted,
      ),
    );
  }

  private answerInsights(res: ServerResponse, id: string, params: Record<string, unknown>) {
    const media = this.published.find((item) => item.id === id);
    if (!media)
      return this.error(res, { code: 100, subcode: 33, message: `Object with ID '${id}' does not exist.` });
    const values = this.insights.get(id) ?? {};
    const metrics = String(params.metric ?? '')
      .split(',')
      .filter(Boolean);
    if (metrics.length === 0)
      return this.error(res, { code: 100, message: 'The parameter metric is required.' });
    this.ok(res, {
      data: metrics.map((name) => ({
        name,
        period: 'lifetime',
        values: [{ value: values[name] ?? 0 }],
        title: name,
        description: `Fake ${name}`,
        id: `${id}/insights/${name}/lifetime`,
      })),
    });
  }

  private record(item: GraphPublished): void {
    this.published.push(item);
    this.emit('published', item);
  }

  private nextId(): string {
    this.ids += 1n + BigInt(randomBytes(1)[0]);
    return this.ids.toString();
  }

  private ok(res: ServerResponse, body: unknown): void {
    sendJson(res, 200, body, {
      'x-app-usage': JSON.stringify({ call_count: 1, total_cputime: 1, total_time: 1 }),
    });
  }

  private error(res: ServerResponse, failure: GraphFailure): void {
    const { status, body, headers } = graphError(failure);
    sendJson(res, status, body, headers);
  }
}

function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(source).filter(
      ([key, value]) => (key === 'id' || fields.includes(key)) && value !== undefined,
    ),
  );
}

export async function startGraphFake(options: GraphFakeOptions = {}): Promise<GraphFake> {
  return new GraphFake(options).listen();
}
