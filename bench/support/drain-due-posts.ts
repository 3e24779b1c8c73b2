import type { PublishingCron } from '../../libs/scheduler/src';

/**
 * What the cron does over several ticks, without the 30 s wait: enqueue due posts (500 a call)
 * until none is left `scheduled`. Posts enqueued but not claimed yet come back in the next call
 * (enqueueing is idempotent by job id), so it pauses between calls instead of spinning.
 */
export async function drainDuePosts(cron: PublishingCron, pauseMs = 100): Promise<number> {
  let calls = 0;
  while ((await cron.publishDuePosts()).length > 0) {
    calls++;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return calls;
}
