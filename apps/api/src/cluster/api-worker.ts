import type { INestApplicationContext } from '@nestjs/common';
import cluster from 'node:cluster';
import type { Server as IoServer, ServerOptions } from 'socket.io';
import { CorsIoAdapter, type Env } from '@atelier/core';
import { createApiApp } from '../create-api-app';
import { SERVING_MESSAGE, STOP_MESSAGE } from './api-primary';
import { ClusterSocketSessions } from './socket-sessions';

/**
 * One process of an api cluster: the whole api on the shared PORT, its socket.io sessions
 * reachable from every other process (ClusterSocketSessions). The primary has prepared the
 * database and infrastructure, whose URLs this process inherits.
 */
export async function serveAsClusterWorker(env: Env): Promise<void> {
  // The primary asks each worker to stop; a Ctrl-C in a terminal has already signalled the whole
  // process group, and a second signal would cut the graceful shutdown short. A worker still
  // starting has nothing to drain: it exits at once.
  let serving = false;
  let signalled = false;
  const stop = () => {
    if (!serving) process.exit(0);
    signalled = true;
  };
  for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, stop);
  process.on('message', (message) => {
    if (message === STOP_MESSAGE && !signalled) process.kill(process.pid, 'SIGTERM');
  });
  const sessions = new ClusterSocketSessions(cluster.worker!.id, process.ppid);
  const app = await createApiApp(env);
  app.useWebSocketAdapter(new ClusterIoAdapter(app, env.CORS_ORIGINS, sessions));
  await app.init();
  await sessions.attach(app.getHttpServer());
  await app.listen({ port: env.PORT, host: env.HOST });
  serving = true;
  process.send?.(SERVING_MESSAGE);
}

/** The api's socket.io server, issuing session ids that name this process. */
class ClusterIoAdapter extends CorsIoAdapter {
  constructor(
    app: INestApplicationContext,
    origins: readonly string[],
    private readonly sessions: ClusterSocketSessions,
  ) {
    super(app, origins);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const io = super.createIOServer(port, options) as IoServer;
    this.sessions.issueIds(io);
    return io;
  }
}
