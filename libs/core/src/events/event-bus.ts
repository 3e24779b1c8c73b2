import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config';

type Handler = (channel: string, payload: unknown) => void;

/**
 * Redis pub/sub between processes: a worker publishes (`job.<id>`, `user.<id>`…) and every api
 * process relays to its SSE and socket.io clients. Channels are namespaced by QUEUE_PREFIX so
 * parallel deployments (and test runs) sharing one Redis do not hear each other.
 */
@Injectable()
export class EventBus implements OnModuleDestroy {
  private readonly logger = new Logger(EventBus.name);
  private readonly namespace: string;
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(typed: ConfigService<Env, true>) {
    this.namespace = `${typed.get('QUEUE_PREFIX', { infer: true })}:events:`;
    this.publisher = new Redis(typed.get('REDIS_URL', { infer: true }) ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      // A job event goes to two channels at once: commands of one tick leave in one write.
      enableAutoPipelining: true,
    });
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    await this.publisher.publish(this.namespace + channel, JSON.stringify(payload));
  }

  /** Subscribes to a channel pattern (`job.*`); returns a function that unsubscribes. */
  async subscribe(pattern: string, handler: Handler): Promise<() => Promise<void>> {
    const subscriber = this.ensureSubscriber();
    const key = this.namespace + pattern;
    let set = this.handlers.get(key);
    if (!set) {
      set = new Set();
      this.handlers.set(key, set);
      await subscriber.psubscribe(key);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(key) === set) {
        this.handlers.delete(key);
        await subscriber.punsubscribe(key);
      }
    };
  }

  /** The connection used for publishing; health checks ping it. */
  get client(): Redis {
    return this.publisher;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber?.quit()]);
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    this.subscriber = this.publisher.duplicate({ enableAutoPipelining: false });
    this.subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      const handlers = this.handlers.get(pattern);
      if (!handlers) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        this.logger.warn({ channel }, 'Dropped a malformed event');
        return;
      }
      const local = channel.slice(this.namespace.length);
      for (const handler of handlers) handler(local, payload);
    });
    return this.subscriber;
  }
}
