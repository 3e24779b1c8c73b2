import { InjectQueue } from '@nestjs/bull';
import { BeforeApplicationShutdown, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Queue } from 'bull';
import type { Namespace, Socket } from 'socket.io';
import { bearerToken, EventBus, JwtAuthGuard, QueueName } from '@atelier/core';
import { ComfyUIProvider } from '../comfyui/comfyui.provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { QueuePositions } from './queue-positions';

export const QUEUE_STATUS_INTERVAL_MS = 3000;
const USER_ROOM = 'user:';
const userRoom = (userId: string) => USER_ROOM + userId;

/**
 * socket.io namespace `/events`: a client authenticates with its access token in the handshake
 * (`auth: { token }`, an `Authorization: Bearer` header, or `?token=`); a namespace middleware
 * refuses anything else, so the client gets `connect_error` and never a connection. A connected
 * client receives `ready`, its own jobs' events (`job.event`, the same payload as SSE) from
 * whichever process ran them, plus `queue.status` every few seconds: the generation queue's
 * waiting / active / delayed counts and the caller's position (queued jobs ahead of its oldest
 * queued one; null when it has none). The README documents the events.
 */
@WebSocketGateway({ namespace: '/events' })
export class EventsGateway
  implements OnGatewayInit, OnGatewayConnection, OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(EventsGateway.name);
  @WebSocketServer() private readonly server: Namespace;
  private unsubscribe?: () => Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly auth: JwtAuthGuard,
    private readonly bus: EventBus,
    @InjectQueue(QueueName.Generation) private readonly queue: Queue,
    private readonly positions: QueuePositions,
    private readonly providers: ProviderRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe('user.*', (channel, payload) => {
      this.server?.to(userRoom(channel.slice('user.'.length))).emit('job.event', payload);
    });
    this.timer = setInterval(() => void this.broadcastQueueStatus(), QUEUE_STATUS_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.();
  }

  afterInit(namespace: Namespace): void {
    namespace.use((client, next) => {
      this.auth.verify(handshakeToken(client)).then(
        (user) => {
          (client.data as SocketData).userId = user.id;
          next();
        },
        () => next(unauthenticated()),
      );
    });
  }

  /** Clients hear the server leave (and may reconnect elsewhere) instead of a dropped transport. */
  beforeApplicationShutdown(): void {
    this.server?.disconnectSockets(true);
  }

  async handleConnection(client: Socket): Promise<void> {
    const { userId } = client.data as SocketData;
    await client.join(userRoom(userId));
    client.emit('ready', { userId });
  }

  /** ComfyUI's own queues (GET /queue on each server), when ComfyUI is configured. */
  private async comfyQueue() {
    const comfyui = this.providers.find('comfyui');
    return comfyui instanceof ComfyUIProvider && comfyui.configured ? comfyui.queueStatus() : null;
  }

  private async broadcastQueueStatus(): Promise<void> {
    const rooms = [...(this.server?.adapter.rooms.keys() ?? [])].filter((room) => room.startsWith(USER_ROOM));
    if (rooms.length === 0) return;
    try {
      const counts = await this.queue.getJobCounts();
      const positions = await this.positions.forUsers(rooms.map((room) => room.slice(USER_ROOM.length)));
      const status = {
        queue: QueueName.Generation,
        waiting: counts.waiting,
        active: counts.active,
        delayed: counts.delayed,
        comfyui: await this.comfyQueue(),
        at: new Date().toISOString(),
      };
      for (const room of rooms) {
        this.server
          .to(room)
          .emit('queue.status', { ...status, position: positions.get(room.slice(USER_ROOM.length)) ?? null });
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Queue status unavailable');
    }
  }
}

interface SocketData {
  userId: string;
}

/** The token from `auth.token`, an `Authorization: Bearer` header, or the `token` query parameter. */
function handshakeToken(client: Socket): string | undefined {
  const { auth, headers, query } = client.handshake;
  const candidates: unknown[] = [
    (auth as { token?: unknown }).token,
    bearerToken(headers.authorization),
    query.token,
  ];
  return candidates.find((value): value is string => typeof value === 'string' && value.length > 0);
}

/** What the client's `connect_error` carries: `err.message`, and `err.data.code` to branch on. */
function unauthenticated(): Error {
  return Object.assign(new Error('A valid access token is required.'), { data: { code: 'unauthenticated' } });
}
