import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { signUp, type SignedUp } from './accounts';
import { expectStatus } from './api-client';
import { recordSocketJobEvents } from './job-events';
import { startReleaseStack, type ReleaseStack } from './release-stack';

/**
 * The api as the release stage runs it, API_WORKERS=2: two processes serve the one port, and
 * socket.io clients with default transports (long-polling, then the upgrade) connect every time,
 * whichever process each of their connections lands on.
 */
describe('release: the api cluster', () => {
  let stack: ReleaseStack;
  let alice: SignedUp;

  beforeAll(async () => {
    stack = await startReleaseStack();
    alice = await signUp(stack.api, stack.smtp);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('runs two api processes under the one started, and both answer on the shared port', async () => {
    const workers = childProcesses(stack.processes.api.pid);
    expect(workers).toHaveLength(2);

    // Eight connections held open at once: the primary hands them round, so each process owns some.
    const port = Number(new URL(stack.url).port);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () => status(`${stack.url}/health/live`, agent)),
      );
      expect(statuses).toEqual(Array(8).fill(200));
      const connections = workers.map((pid) => acceptedConnections(pid, port));
      // (The stack's own clients may hold a few more.)
      expect(connections.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(8);
      expect(connections.every((n) => n > 0)).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('connects socket.io clients with default transports again and again, polling then upgrading', async () => {
    // Five at a time, so sessions start on both processes and requests cross between them.
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 5 }, () => connectAndUpgrade(stack.url, alice.client.token!)));
    }
  });

  it('keeps long-polling-only sessions, and relays job events to each whichever process holds it', async () => {
    const sockets: Socket[] = [];
    try {
      // Each `ready` needs three requests of the session (open, namespace connect, poll) at its process.
      for (let i = 0; i < 6; i++) {
        const socket = io(`${stack.url}/events`, {
          transports: ['polling'],
          auth: { token: alice.client.token },
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        await ready(socket);
      }
      const relayed = sockets.map((socket) => recordSocketJobEvents(socket));
      const submitted = await alice.client.post('jobs', {
        type: 'generate',
        prompt: 'a ferry',
        params: { size: '64x64' },
      });
      const jobId = expectStatus(submitted, 202, 'job').id as string;
      const finals = await Promise.all(relayed.map(async (r) => (await r.finished(jobId)).at(-1)?.type));
      expect(finals).toEqual(Array(sockets.length).fill('completed'));
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});

/** Connects with socket.io's defaults and resolves once the server says ready and the upgrade is done. */
async function connectAndUpgrade(url: string, token: string): Promise<void> {
  const socket = io(`${url}/events`, { auth: { token }, reconnection: false, forceNew: true });
  try {
    const upgraded = new Promise<void>((resolve) => socket.io.engine.once('upgrade', () => resolve()));
    await ready(socket);
    await upgraded;
    expect(socket.io.engine.transport.name).toBe('websocket');
  } finally {
    socket.close();
  }
}

function ready(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
    socket.once('disconnect', (reason) => reject(new Error(`socket.io disconnected: ${reason}`)));
  });
}

function status(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** The processes whose parent is `pid` (from /proc: field 4 of /proc/<pid>/stat). */
function childProcesses(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** Established TCP connections on local `port` whose socket the process `pid` holds. */
function acceptedConnections(pid: number, port: number): number {
  const held = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))?.[1])
      .filter(Boolean),
  );
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, local, , state, , , , , , inode]) => local?.endsWith(portHex) && state === '01' && held.has(inode),
    ).length;
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
