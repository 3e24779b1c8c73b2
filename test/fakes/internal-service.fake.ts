import type { ServerResponse } from 'node:http';
import { FakeHttpServer } from './fake-http-server';
import type { RecordedRequest } from './recorded-request';

/**
 * A service on the server's private network (an admin panel, a metadata endpoint) that a user must
 * never reach through Atelier. It answers like a Mastodon instance would, with a secret in the
 * body, so a test can tell both "nothing arrived" and "nothing leaked". `redirector` is a second
 * server that answers every request with a 302 to the internal one.
 */
export class InternalServiceFake extends FakeHttpServer {
  static readonly SECRET = 'internal-secret-7f3a';

  protected handle(_req: RecordedRequest, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: '1',
        username: InternalServiceFake.SECRET,
        display_name: InternalServiceFake.SECRET,
      }),
    );
  }
}

export class RedirectorFake extends FakeHttpServer {
  constructor(private readonly target: () => string) {
    super();
  }

  protected handle(req: RecordedRequest, res: ServerResponse): void {
    res.writeHead(302, { location: `${this.target()}${req.path}` }).end();
  }
}

export async function startInternalService(): Promise<{
  internal: InternalServiceFake;
  redirector: RedirectorFake;
}> {
  const internal = await new InternalServiceFake().listen();
  const redirector = await new RedirectorFake(() => internal.url).listen();
  return { internal, redirector };
}
