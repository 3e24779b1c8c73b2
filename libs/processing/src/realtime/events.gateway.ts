import { InjectQueue } from '@nestjs/bull';
import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Queue } from 'bull';
import type { Namespace, Socket } from 'socket.io';
import { EventBus, JwtAuthGuard, QueueName } from '@atelier/core';
import { ComfyUIProvider } from '../comfyui/comfyui.provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { QueuePositions } from './queue-positions';

export const QUEUE_STATUS_INTERVAL_MS = 3000;
const USER_ROOM = 'user:';
const userRoom = (userId: string) => USER_ROOM + userId;

/**
 * socket.io namespace `/events`: a client authenticates with its access token in the handshake
 * (`auth: { token }`) and receives its own jobs' events (`job.event`, the same payload as SSE) from
 * whichever process ran them, plus `queue.status` every few seconds: the generation queue's
 * waiting / active / delayed counts and the caller's position (queued jobs ahead of its oldest
 * queued one; null when it has none).
 */
@WebSocketGateway({ namespace: '/events' })
export class EventsGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
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

  async handleConnection(client: Socket): Promise<void> {
    const token = (client.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      const user = await this.auth.verify(typeof token === 'string' ? token : undefined);
      await client.join(userRoom(user.id));
      client.emit('ready', { userId: user.id });
    } catch {
      client.emit('unauthorized', { code: 'unauthenticated', message: 'A valid access token is required.' });
      client.disconnect(true);
    }
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
