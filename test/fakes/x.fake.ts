import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, pathMatcher, Script } from './fake-http-server';
import { bearerToken, requestParams, sendJson, type RecordedRequest } from './recorded-request';

/*
 * X (Twitter) API v2 fake. Sources: providers.md § X; docs.x.com: POST /2/media/upload (multipart
 * `media`, `media_category`) → `{data:{id, media_key, size, expires_after_secs}}`; POST /2/tweets
 * `{text, media:{media_ids}}` → 201 `{data:{id, text, edit_history_tweet_ids}}`; GET /2/users/me;
 * GET /2/tweets/:id (an unknown id is HTTP 200 with `errors[]`, as X does); OAuth 2.0 refresh
 * (POST /2/oauth2/token grant_type=refresh_token; refresh tokens are single-use and rotate);
 * errors as problem JSON `{title, detail, type, status}`; 429 with `x-rate-limit-reset` (epoch
 * seconds); duplicate text refused with 403 "duplicate content" (so double posting is visible).
 */

export type XFailureKind = 'rate_limit' | 'unauthorized' | 'unavailable';

export interface XFailureOptions {
  /** Only fail requests to this path (default: any). */
  path?: string | RegExp;
  /** Epoch seconds for `x-rate-limit-reset` (default: now + 60). */
  resetAt?: number;
}

export interface XFakeOptions {
  /** Initial valid access token; when omitted any bearer token is accepted. */
  accessToken?: string;
  /** Initial refresh token (default 'x-refresh-0'). */
  refreshToken?: string;
  user?: { id: string; name: string; username: string };
}

export interface XTweet {
  id: string;
  text: string;
  mediaIds: string[];
  createdAt: Date;
  metrics: {
    retweet_count: number;
    reply_count: number;
    like_count: number;
    quote_count: number;
    impression_count: number;
  };
}

export class XFake extends FakeHttpServer {
  readonly media: Array<{ id: string; size: number; type: string; category?: string }> = [];
  /** Tweets that exist on "X" (including ones whose answer was lost by {@link hangNextTweet}). */
  readonly tweets: XTweet[] = [];
  readonly refreshes: Array<{ usedRefreshToken: string; accessToken: string; refreshToken: string }> = [];
  refreshToken: string;
  private readonly accessTokens = new Set<string>();
  /** Only issued tokens are accepted (from the start with `accessToken`, or after an expiry). */
  private strictTokens: boolean;
  private readonly failures = new Script<{ kind: XFailureKind; options: XFailureOptions }>();
  private hang?: { create: boolean; mode: 'destroy' | 'hang' };
  private ids = 1_870_000_000_000_000_000n;

  constructor(private readonly options: XFakeOptions = {}) {
    super();
    this.refreshToken = options.refreshToken ?? 'x-refresh-0';
    this.strictTokens = Boolean(options.accessToken);
    if (options.accessToken) this.accessTokens.add(options.accessToken);
  }

  failNext(kind: XFailureKind, options: XFailureOptions = {}): void {
    this.failures.push({ kind, options }, pathMatcher(options.path));
  }

  /**
   * The next tweet is read and (unless `create: false`) created, then its connection is destroyed
   * (`mode: 'destroy'`, default) or left unanswered (`'hang'`): the "unknown outcome" case.
   */
  hangNextTweet(options: { create?: boolean; mode?: 'destroy' | 'hang' } = {}): void {
    this.hang = { create: options.create ?? true, mode: options.mode ?? 'destroy' };
  }

  /** Every access token issued so far stops working (401) until a refresh. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
    this.strictTokens = true;
  }

  setMetrics(tweetId: string, metrics: Partial<XTweet['metrics']>): void {
    const tweet = this.tweets.find((item) => item.id === tweetId);
    if (tweet) Object.assign(tweet.metrics, metrics);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const scripted = this.failures.take(req);
    if (scripted) return this.fail(res, scripted.kind, scripted.options);
    if (req.method === 'POST' && req.path === '/2/oauth2/token') return this.refresh(req, res);
    const token = bearerToken(req);
    if (!token || (this.strictTokens && !this.accessTokens.has(token))) {
      return this.fail(res, 'unauthorized', {});
    }
    await this.pause(req);
    const user = this.options.user ?? { id: '2244994945', name: 'Atelier Test', username: 'atelier_test' };
    if (req.method === 'GET' && req.path === '/2/users/me') return sendJson(res, 200, { data: user });
    if (req.method === 'POST' && req.path === '/2/media/upload') return this.upload(req, res);
    if (req.method === 'POST' && req.path === '/2/tweets') return this.tweet(req, res);
    const single = /^\/2\/tweets\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && single) return this.lookup(res, single[1]);
    if (req.method === 'GET' && /^\/2\/users\/[^/]+\/tweets$/.test(req.path)) {
      const data = [...this.tweets].reverse().map((tweet) => this.view(tweet));
      const meta = { result_count: data.length, newest_id: data[0]?.id, oldest_id: data.at(-1)?.id };
      return sendJson(res, 200, { data, meta });
    }
    sendJson(res, 404, problem(404, 'Not Found Error', `No route ${req.method} ${req.path}`));
  }

  private upload(req: RecordedRequest, res: ServerResponse): void {
    const file = req.multipart?.files.find((part) => part.field === 'media');
    if (!file) return sendJson(res, 400, problem(400, 'Invalid Request', 'The `media` field is required.'));
    const id = this.nextId();
    const category = req.multipart?.fields.media_category as string | undefined;
    this.media.push({ id, size: file.size, type: file.type, category });
    sendJson(res, 200, { data: { id, media_key: `3_${id}`, size: file.size, expires_after_secs: 86400 } });
  }

  private tweet(req: RecordedRequest, res: ServerResponse): void {
    const body = (req.json ?? {}) as { text?: string; media?: { media_ids?: string[] } };
    const text = body.text ?? '';
    const mediaIds = body.media?.media_ids ?? [];
    const invalid = (detail: string) =>
      sendJson(res, 400, {
        ...problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.'),
        errors: [{ message: detail }],
      });
    if (!text && mediaIds.length === 0) return invalid('Either text or media is required.');
    if ([...text].length > 280) return invalid('Tweet text is too long.');
    const unknown = mediaIds.find((id) => !this.media.some((item) => item.id === id));
    if (unknown) return invalid(`Your media IDs are invalid: ${unknown}.`);
    if (this.tweets.some((tweet) => tweet.text === text)) {
      return sendJson(
        res,
        403,
        problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.'),
      );
    }
    const hang = this.hang;
    this.hang = undefined;
    const tweet: XTweet = {
      id: this.nextId(),
      text,
      mediaIds,
      createdAt: new Date(),
      metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, impression_count: 0 },
    };
    if (!hang || hang.create) {
      this.tweets.push(tweet);
      this.emit('tweet', tweet);
    }
    if (hang) {
      this.emit('tweet-hung', tweet);
      if (hang.mode === 'destroy') res.socket?.destroy();
      return;
    }
    sendJson(res, 201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } });
  }

  private lookup(res: ServerResponse, id: string): void {
    const tweet = this.tweets.find((item) => item.id === id);
    if (!tweet) {
      return sendJson(res, 200, {
        errors: [
          {
            value: id,
            detail: `Could not find tweet with id: [${id}].`,
            title: 'Not Found Error',
            resource_type: 'tweet',
            parameter: 'id',
            resource_id: id,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
    }
    sendJson(res, 200, { data: this.view(tweet) });
  }

  private view(tweet: XTweet) {
    return {
      id: tweet.id,
      text: tweet.text,
      edit_history_tweet_ids: [tweet.id],
      created_at: tweet.createdAt.toISOString(),
      public_metrics: { ...tweet.metrics },
    };
  }

  private refresh(req: RecordedRequest, res: ServerResponse): void {
    const params = requestParams(req);
    if (params.grant_type !== 'refresh_token' || params.refresh_token !== this.refreshToken) {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'Value passed for the token was invalid.',
      });
    }
    const accessToken = `x-access-${randomBytes(8).toString('hex')}`;
    const refreshToken = `x-refresh-${randomBytes(8).toString('hex')}`;
    this.refreshes.push({ usedRefreshToken: this.refreshToken, accessToken, refreshToken });
    this.refreshToken = refreshToken;
    this.accessTokens.add(accessToken);
    sendJson(res, 200, {
      token_type: 'bearer',
      expires_in: 7200,
      access_token: accessToken,
      scope: 'tweet.read tweet.write users.read media.write offline.access',
      refresh_token: refreshToken,
    });
  }

  private fail(res: ServerResponse, kind: XFailureKind, options: XFailureOptions): void {
    if (kind === 'rate_limit') {
      const reset = options.resetAt ?? Math.floor(Date.now() / 1000) + 60;
      return sendJson(res, 429, problem(429, 'Too Many Requests', 'Too Many Requests'), {
        'x-rate-limit-limit': '17',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(reset),
      });
    }
    if (kind === 'unauthorized') return sendJson(res, 401, problem(401, 'Unauthorized', 'Unauthorized'));
    sendJson(res, 503, problem(503, 'Service Unavailable', 'Service Unavailable'));
  }

  private nextId(): string {
    this.ids += 1n + BigInt(randomBytes(2).readUInt16BE(0));
    return this.ids.toString();
  }
}

function problem(status: number, title: string, detail: string) {
  return { title, detail, type: 'about:blank', status };
}

export async function startXFake(options: XFakeOptions = {}): Promise<XFake> {
  return new XFake(options).listen();
}
