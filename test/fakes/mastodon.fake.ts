import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, pathMatcher, Script } from './fake-http-server';
import { bearerToken, requestParams, sendBytes, sendJson, type RecordedRequest } from './recorded-request';

/*
 * Mastodon fake. Sources: providers.md § Mastodon; docs.joinmastodon.org: POST /api/v2/media
 * (200 when processed, 202 with `url: null` while processing), GET /api/v1/media/:id (206 while
 * processing, 200 once `url` is set), POST /api/v1/statuses (`status`, `media_ids[]`,
 * `visibility`; an `Idempotency-Key` header makes a retry return the first status instead of a
 * duplicate; 422 "Cannot attach files that have not finished processing"; 500-character limit),
 * GET /api/v1/statuses/:id with favourites/reblogs/replies counts, GET
 * /api/v1/accounts/verify_credentials; errors as `{error}`; 429 with X-RateLimit-* headers.
 */

export type MastodonFailureKind = 'unauthorized' | 'rate_limit' | 'server_error';

export interface MastodonFakeOptions {
  /** When set, other bearer tokens get 401. */
  accessToken?: string;
  /** GETs of a new media attachment answered 206 (url null) before it is ready (default 0). */
  processingPolls?: number;
  account?: { id: string; username: string; display_name: string };
}

export interface MastodonMedia {
  id: string;
  description?: string;
  size: number;
  type: string;
  bytes: Buffer;
  pollsLeft: number;
}

export interface MastodonStatus {
  id: string;
  text: string;
  mediaIds: string[];
  visibility: string;
  idempotencyKey?: string;
  createdAt: Date;
  counts: { favourites_count: number; reblogs_count: number; replies_count: number };
}

export class MastodonFake extends FakeHttpServer {
  readonly media = new Map<string, MastodonMedia>();
  /** Statuses that exist on the instance (a deduplicated retry does not add one). */
  readonly statuses: MastodonStatus[] = [];
  private readonly failures = new Script<MastodonFailureKind>();
  private processingPolls: number;
  private hangNext = false;
  private ids = 113_000_000_000_000_000n;

  constructor(private readonly options: MastodonFakeOptions = {}) {
    super();
    this.processingPolls = options.processingPolls ?? 0;
  }

  failNext(kind: MastodonFailureKind, options: { path?: string | RegExp } = {}): void {
    this.failures.push(kind, pathMatcher(options.path));
  }

  setProcessingPolls(polls: number): void {
    this.processingPolls = polls;
  }

  /** The next status is created, then its connection is destroyed (unknown outcome). */
  hangNextStatus(): void {
    this.hangNext = true;
  }

  setCounts(statusId: string, counts: Partial<MastodonStatus['counts']>): void {
    const status = this.statuses.find((item) => item.id === statusId);
    if (status) Object.assign(status.counts, counts);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const file = /^\/system\/media_attachments\/files\/(\d+)\/original\/.+$/.exec(req.path);
    if (req.method === 'GET' && file) {
      const media = this.media.get(file[1]);
      if (!media) return sendJson(res, 404, { error: 'Record not found' });
      return sendBytes(res, 200, media.bytes, media.type);
    }
    const scripted = this.failures.take(req);
    if (scripted) return this.fail(res, scripted);
    const token = bearerToken(req);
    if (!token || (this.options.accessToken && token !== this.options.accessToken)) {
      return this.fail(res, 'unauthorized');
    }
    await this.pause(req);
    if (req.method === 'GET' && req.path === '/api/v1/accounts/verify_credentials') {
      return sendJson(res, 200, this.account());
    }
    if (req.method === 'POST' && req.path === '/api/v2/media') return this.upload(req, res);
    const mediaMatch = /^\/api\/v1\/media\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && mediaMatch) {
      const media = this.media.get(mediaMatch[1]);
      if (!media) return sendJson(res, 404, { error: 'Record not found' });
      if (media.pollsLeft > 0) {
        media.pollsLeft--;
        return sendJson(res, 206, this.attachment(media, false));
      }
      return sendJson(res, 200, this.attachment(media, true));
    }
    if (req.method === 'POST' && req.path === '/api/v1/statuses') return this.post(req, res);
    const statusMatch = /^\/api\/v1\/statuses\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && statusMatch) {
      const status = this.statuses.find((item) => item.id === statusMatch[1]);
      if (!status) return sendJson(res, 404, { error: 'Record not found' });
      return sendJson(res, 200, this.view(status));
    }
    sendJson(res, 404, { error: 'Record not found' });
  }

  private upload(req: RecordedRequest, res: ServerResponse): void {
    const part = req.multipart?.files.find((item) => item.field === 'file');
    if (!part) return sendJson(res, 422, { error: "Validation failed: File can't be blank" });
    const description = req.multipart?.fields.description as string | undefined;
    const media: MastodonMedia = {
      id: this.nextId(),
      description,
      size: part.size,
      type: part.type || 'application/octet-stream',
      bytes: part.bytes,
      pollsLeft: this.processingPolls,
    };
    this.media.set(media.id, media);
    const ready = media.pollsLeft === 0;
    sendJson(res, ready ? 200 : 202, this.attachment(media, ready));
  }

  private post(req: RecordedRequest, res: ServerResponse): void {
    const key = req.headers['idempotency-key'] as string | undefined;
    const previous = key ? this.statuses.find((status) => status.idempotencyKey === key) : undefined;
    if (previous) return sendJson(res, 200, this.view(previous));
    const params = requestParams(req);
    const text = String(params.status ?? '');
    const rawIds = params.media_ids ?? params['media_ids[]'] ?? [];
    const mediaIds = (Array.isArray(rawIds) ? rawIds : [rawIds]).map(String);
    if (!text && mediaIds.length === 0)
      return sendJson(res, 422, { error: "Validation failed: Text can't be blank" });
    if ([...text].length > 500) {
      return sendJson(res, 422, { error: 'Validation failed: Text character limit of 500 exceeded' });
    }
    for (const id of mediaIds) {
      const media = this.media.get(id);
      if (!media) return sendJson(res, 422, { error: `Validation failed: media ${id} not found` });
      if (media.pollsLeft > 0) {
        return sendJson(res, 422, {
          error: 'Cannot attach files that have not finished processing. Try again in a moment!',
        });
      }
    }
    const status: MastodonStatus = {
      id: this.nextId(),
      text,
      mediaIds,
      visibility: String(params.visibility ?? 'public'),
      idempotencyKey: key,
      createdAt: new Date(),
      counts: { favourites_count: 0, reblogs_count: 0, replies_count: 0 },
    };
    this.statuses.push(status);
    this.emit('status', status);
    if (this.hangNext) {
      this.hangNext = false;
      res.socket?.destroy();
      return;
    }
    sendJson(res, 200, this.view(status));
  }

  private account() {
    const account = this.options.account ?? {
      id: '109000000000000001',
      username: 'atelier',
      display_name: 'Atelier Test',
    };
    return {
      ...account,
      acct: account.username,
      url: `${this.url}/@${account.username}`,
      followers_count: 0,
    };
  }

  private attachment(media: MastodonMedia, ready: boolean) {
    const url = `${this.url}/system/media_attachments/files/${media.id}/original/image`;
    return {
      id: media.id,
      type: 'image',
      url: ready ? url : null,
      preview_url: url,
      remote_url: null,
      meta: {},
      description: media.description ?? null,
      blurhash: null,
    };
  }

  private view(status: MastodonStatus) {
    const account = this.account();
    return {
      id: status.id,
      created_at: status.createdAt.toISOString(),
      uri: `${this.url}/users/${account.username}/statuses/${status.id}`,
      url: `${this.url}/@${account.username}/${status.id}`,
      content: `<p>${status.text}</p>`,
      visibility: status.visibility,
      media_attachments: status.mediaIds.map((id) => this.attachment(this.media.get(id)!, true)),
      account,
      ...status.counts,
    };
  }

  private fail(res: ServerResponse, kind: MastodonFailureKind): void {
    if (kind === 'unauthorized') return sendJson(res, 401, { error: 'The access token is invalid' });
    if (kind === 'rate_limit') {
      return sendJson(
        res,
        429,
        { error: 'Too many requests' },
        {
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(Date.now() + 60_000).toISOString(),
        },
      );
    }
    sendJson(res, 500, { error: "We're sorry, but something went wrong." });
  }

  private nextId(): string {
    this.ids += 1n + BigInt(randomBytes(2).readUInt16BE(0));
    return this.ids.toString();
  }
}

export async function startMastodonFake(options: MastodonFakeOptions = {}): Promise<MastodonFake> {
  return new MastodonFake(options).listen();
}
