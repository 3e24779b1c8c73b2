import { Injectable } from '@nestjs/common';

/** Counts one kind of thing a user owns (their images, their jobs). */
export type UsageCounter = (userId: string) => Promise<number>;

/**
 * Where libs that own per-user content report how much of it a user has, for the admin view of a
 * user. The users lib cannot import those libs (they import it), and each lib counts its own table.
 */
@Injectable()
export class UserUsageRegistry {
  private readonly counters = new Map<string, UsageCounter>();

  register(name: string, counter: UsageCounter): void {
    this.counters.set(name, counter);
  }

  /** `{ images: 12, jobs: 30 }`: one entry per registered lib (features switched off are absent). */
  async countsFor(userId: string): Promise<Record<string, number>> {
    const entries = await Promise.all(
      [...this.counters].map(async ([name, count]) => [name, await count(userId)] as const),
    );
    return Object.fromEntries(entries);
  }
}
