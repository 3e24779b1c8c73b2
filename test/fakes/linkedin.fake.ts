import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, pathMatcher, Script } from './fake-http-server';
import { bearerToken, sendBytes, sendJson, type RecordedRequest } from './recorded-request';

/*
 * LinkedIn Community Management API fake. Sources: providers.md § LinkedIn; learn.microsoft.com
 * linkedin/marketing: Images API (POST /rest/images?action=initializeUpload
 * `{initializeUploadRequest:{owner}}` → `{value:{uploadUrlExpiresAt, uploadUrl, image}}`, PUT the
 * bytes to uploadUrl → 201, GET /rest/images/{urn} status WAITING_UPLOAD | AVAILABLE), Posts API
 * (POST /rest/posts → 201 with the post URN in `x-restli-id`, empty body); versioning (every
 * /rest call needs `LinkedIn-Version: YYYYMM`, and Rest.li 2.0 needs `X-Restli-Protocol-Version:
 * 2.0.0`; the fake answers 400 when either is missing); Sign In with LinkedIn (GET /v2/userinfo,
 * OpenID claims); errors `{status, code?, serviceErrorCode?, message}`.
 */

export type LinkedInFailureKind = 'unauthorized' | 'rate_limit' | 'server_error';

export interface LinkedInFakeOptions {
  /** When set, other bearer tokens get 401. */
  accessToken?: string;
  userinfo?: { sub: string; name: string; email: string };
}

export interface LinkedInImage {
  urn: string;
  owner: string;
  uploaded?: { size: number; contentType?: string };
}

export interface LinkedInPost {
  urn: string;
  author: string;
  commentary: string;
  mediaId?: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

export class LinkedInFake extends FakeHttpServer {
  readonly images = new Map<string, LinkedInImage>();
  readonly posts: LinkedInPost[] = [];
  private readonly failures = new Script<LinkedInFailureKind>();
  private hangNext = false;
  private counter = 7_000_000_000_000_000_000n;

  constructor(private readonly options: LinkedInFakeOptions = {}) {
    super();
  }

  failNext(kind: LinkedInFailureKind, options: { path?: string | RegExp } = {}): void {
    this.failures.push(kind, pathMatcher(options.path));
  }

  /** The next post is created, then its connection is destroyed (unknown outcome). */
  hangNextPost(): void {
    this.hangNext = true;
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const scripted = this.failures.take(req);
    if (scripted) return this.fail(res, scripted);
    const token = bearerToken(req);
    if (!token || (this.options.accessToken && token !== this.options.accessToken)) {
      return this.fail(res, 'unauthorized');
    }
    if (req.method === 'GET' && req.path === '/v2/userinfo') {
      const user = this.options.userinfo ?? {
        sub: 'abc123',
        name: 'Ada Lovelace',
        email: 'ada@example.test',
      };
      const [given, ...family] = user.name.split(' ');
      return sendJson(res, 200, {
        ...user,
        given_name: given,
        family_name: family.join(' '),
        picture: null,
        email_verified: true,
        locale: { country: 'US', language: 'en' },
      });
    }
    const upload = /^\/upload\/images\/([^/]+)$/.exec(req.path);
    if (req.method === 'PUT' && upload) return this.receiveUpload(req, res, upload[1]);
    if (!req.path.startsWith('/rest/')) return sendJson(res, 404, { status: 404, message: 'Not Found' });

    const version = String(req.headers['linkedin-version'] ?? '');
    if (!/^\d{6}(\.\d{2})?$/.test(version)) {
      return sendJson(res, 400, {
        status: 400,
        code: 'VERSION_MISSING',
        message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      });
    }
    if (req.headers['x-restli-protocol-version'] !== '2.0.0') {
      return sendJson(res, 400, {
        status: 400,
        message: 'X-Restli-Protocol-Version: 2.0.0 header is required',
      });
    }
    await this.pause(req);
    if (
      req.method === 'POST' &&
      req.path === '/rest/images' &&
      req.query.get('action') === 'initializeUpload'
    ) {
      return this.initializeUpload(req, res);
    }
    const image = /^\/rest\/images\/(.+)$/.exec(req.path);
    if (req.method === 'GET' && image) {
      const found = this.images.get(decodeURIComponent(image[1]));
      if (!found) return sendJson(res, 404, { status: 404, message: 'Not Found' });
      return sendJson(res, 200, {
        id: found.urn,
        owner: found.owner,
        status: found.uploaded ? 'AVAILABLE' : 'WAITING_UPLOAD',
        downloadUrl: found.uploaded ? `${this.url}/media/${encodeURIComponent(found.urn)}` : undefined,
      });
    }
    if (req.method === 'POST' && req.path === '/rest/posts') return this.createPost(req, res);
    sendJson(res, 404, { status: 404, message: 'Not Found' });
  }

  private initializeUpload(req: RecordedRequest, res: ServerResponse): void {
    const owner = (req.json as { initializeUploadRequest?: { owner?: string } } | undefined)
      ?.initializeUploadRequest?.owner;
    if (!owner || !/^urn:li:(person|organization):/.test(owner)) {
      return sendJson(res, 400, {
        status: 400,
        message: 'initializeUploadRequest.owner must be a person or organization URN',
      });
    }
    const id = `D4E${randomBytes(9).toString('base64url')}`;
    const urn = `urn:li:image:${id}`;
    this.images.set(urn, { urn, owner });
    sendJson(res, 200, {
      value: {
        uploadUrlExpiresAt: Date.now() + 3_600_000,
        uploadUrl: `${this.url}/upload/images/${id}?ca=vector_feedshare&sig=fake`,
        image: urn,
      },
    });
  }

  private receiveUpload(req: RecordedRequest, res: ServerResponse, id: string): void {
    const image = this.images.get(`urn:li:image:${id}`);
    if (!image) return sendJson(res, 404, { status: 404, message: 'Unknown upload' });
    if (req.body.length === 0) return sendJson(res, 400, { status: 400, message: 'Empty upload' });
    image.uploaded = { size: req.body.length, contentType: req.headers['content-type'] };
    this.emit('upload', image);
    sendBytes(res, 201, Buffer.alloc(0), 'text/plain');
  }

  private createPost(req: RecordedRequest, res: ServerResponse): void {
    const body = (req.json ?? {}) as Record<string, unknown> & {
      author?: string;
      commentary?: string;
      content?: { media?: { id?: string } };
    };
    const invalid = (message: string) => sendJson(res, 422, { status: 422, message });
    for (const field of ['author', 'commentary', 'visibility', 'distribution', 'lifecycleState']) {
      if (body[field] === undefined)
        return invalid(`/${field} :: field is required but not found and has no default value`);
    }
    if (String(body.commentary).length > 3000)
      return invalid('/commentary :: length exceeds 3000 characters');
    const mediaId = body.content?.media?.id;
    if (mediaId && !this.images.get(mediaId)?.uploaded) {
      return invalid(`Image ${mediaId} is not available (upload it first)`);
    }
    this.counter += 1n + BigInt(randomBytes(2).readUInt16BE(0));
    const post: LinkedInPost = {
      urn: `urn:li:share:${this.counter}`,
      author: String(body.author),
      commentary: String(body.commentary),
      mediaId,
      body,
      createdAt: new Date(),
    };
    this.posts.push(post);
    this.emit('post', post);
    if (this.hangNext) {
      this.hangNext = false;
      res.socket?.destroy();
      return;
    }
    sendBytes(res, 201, Buffer.alloc(0), 'text/plain', { 'x-restli-id': post.urn });
  }

  private fail(res: ServerResponse, kind: LinkedInFailureKind): void {
    if (kind === 'unauthorized') {
      return sendJson(res, 401, {
        status: 401,
        serviceErrorCode: 65600,
        code: 'INVALID_ACCESS_TOKEN',
        message: 'Invalid access token',
      });
    }
    if (kind === 'rate_limit') {
      return sendJson(res, 429, {
        status: 429,
        message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
      });
    }
    sendJson(res, 500, { status: 500, message: 'Internal Server Error' });
  }
}

export async function startLinkedInFake(options: LinkedInFakeOptions = {}): Promise<LinkedInFake> {
  return new LinkedInFake(options).listen();
}
