import { startWebhookReceiverFake } from '../../test/fakes/webhook-receiver.fake';
import { Scenario } from '../support/report';
import { seedImages } from '../support/seed-images';
import { createBenchUser, stackDb, stackPids, startBaseline, startBenchStack } from '../support/stack';
import { interleave, pool, until } from '../support/stats';
import { treeCpuMs } from '../support/proc-tree';

/** Two worker processes × PublishPostProcessor's concurrency (4): the baseline loop gets the same. */
const CONCURRENCY = 8;
/** Two worker processes × the publishing cron's batch (16 posts sent side by side). */
const DUE_CONCURRENCY = 32;

/**
 * Posts to a webhook account, delivered by two worker processes racing on the same queue and
 * database until every post is `published`, with zero duplicate deliveries, two ways:
 * - scheduled: posts come due together and the workers' publishing crons claim and send them in
 *   batches (how a platform publishes most posts); posts per second from the first delivery to
 *   the last (the wait for the 30 s tick is scheduling, not throughput);
 * - publish-now: one api request (`POST /posts/:id/publish-now`, 8 at a time) and one queue job
 *   per post, timed from the first request.
 * Baseline for each: the same number of signed webhook POSTs sent to the same receiver by a plain
 * loop in its own process, at the same concurrency.
 */
export const publishScenario: Scenario = {
  name: 'publish',
  description: 'posts published by two worker processes racing, zero duplicates, vs a signed-POST loop',
  async prepare({ size }) {
    const total = size === 'full' ? 3_000 : 30;
    const hooks = await startWebhookReceiverFake({
      secret: `whsec_${Buffer.from('0'.repeat(24)).toString('base64')}`,
    });
    const stack = await startBenchStack({ storage: 'local', workers: 2 }).catch(async (error) => {
      await hooks.close();
      throw error;
    });
    const db = stackDb(stack);
    const close = async () => {
      await db.end();
      await stack.stop();
      await hooks.close();
    };
    try {
      const user = await createBenchUser(stack, db);
      const res = await fetch(`${stack.url}/api/v1/social-accounts`, {
        method: 'POST',
        headers: { ...user.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ platform: 'webhook', webhookUrl: hooks.hookUrl }),
      });
      const account = (await res.json()) as { id: string; webhookSecret: string };
      if (res.status !== 201) throw new Error(`publish: account ${res.status} ${JSON.stringify(account)}`);
      hooks.setSecret(account.webhookSecret);
      await seedImages(db, user.id, 1, { gallery: false });
      const { rows: images } = await db.query<{ id: string }>(
        `UPDATE images SET status = 'validated', moderation_state = 'safe' WHERE owner_id = $1 RETURNING id`,
        [user.id],
      );

      const insertPosts = async (scheduledAt: string) => {
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO posts (owner_id, image_id, social_account_id, caption, scheduled_at)
           SELECT $1, $2, $3, 'Bench post ' || g, ${scheduledAt}
             FROM generate_series(1, $4::int) AS g RETURNING id`,
          [user.id, images[0].id, account.id, total],
        );
        return rows.map((row) => row.id);
      };
      /** Waits for every post's delivery and `published`; checks them; CPU from `cpuBefore`. */
      const delivered = async (posts: string[], pids: number[], cpuBefore: number) => {
        const published = async () =>
          Number(
            (
              await db.query(
                `SELECT count(*) AS n FROM posts WHERE status = 'published' AND id = ANY($1::uuid[])`,
                [posts],
              )
            ).rows[0].n,
          );
        await until(() => hooks.deliveries.length >= total, {
          timeoutMs: 60_000 + total * 50,
          describe: async () =>
            `${hooks.deliveries.length} deliveries, ${await published()} published of ${total}`,
        });
        const lastAt = performance.now();
        await until(async () => (await published()) === total, {
          timeoutMs: 30_000,
          describe: async () => `${await published()} of ${total} published`,
        });
        const cpuMs = treeCpuMs(pids) - cpuBefore;
        const deliveries = hooks.deliveries.splice(0);
        const duplicates = deliveries.length - new Set(deliveries.map((d) => d.webhookId)).size;
        const bad = deliveries.filter((d) => !d.verified || d.status !== 200).length;
        if (bad !== 0)
          throw new Error(`publish: ${bad} of ${deliveries.length} deliveries not verified or not 200`);
        const span = deliveries.at(-1)!.receivedAt.getTime() - deliveries[0].receivedAt.getTime();
        return { lastAt, span, cpuPerPost: cpuMs / total, duplicates };
      };

      const publishNow = async () => {
        // Scheduled an hour ahead: "publish now" is what publishes them, not the cron.
        const posts = await insertPosts(`now() + interval '1 hour'`);
        hooks.deliveries.splice(0);
        const pids = stackPids(stack);
        const cpuBefore = treeCpuMs(pids);
        const started = performance.now();
        await pool(posts.length, CONCURRENCY, async (i) => {
          const answer = await fetch(`${stack.url}/api/v1/posts/${posts[i]}/publish-now`, {
            method: 'POST',
            headers: user.auth,
          });
          await answer.arrayBuffer();
          if (answer.status !== 202) throw new Error(`publish: publish-now answered ${answer.status}`);
        });
        const result = await delivered(posts, pids, cpuBefore);
        return { ...result, postsPerSecond: total / ((result.lastAt - started) / 1000) };
      };
      const scheduled = async () => {
        hooks.deliveries.splice(0);
        const pids = stackPids(stack);
        const cpuBefore = treeCpuMs(pids);
        // Due now: the next tick of each worker's publishing cron sends them.
        const posts = await insertPosts('now()');
        const result = await delivered(posts, pids, cpuBefore);
        return { ...result, postsPerSecond: (total - 1) / (result.span / 1000) };
      };
      const baseline = async (concurrency: number) => {
        const loop = await startBaseline('signed-post-loop.js', {
          HOOK_URL: hooks.hookUrl,
          SECRET: account.webhookSecret,
          TOTAL: String(total),
          CONCURRENCY: String(concurrency),
        });
        await loop.process.waitForOutput(/^\{.*\}$/m, 120_000);
        await loop.stop();
        const result = JSON.parse(/^\{.*\}$/m.exec(loop.process.output)![0]) as {
          seconds: number;
          cpuMs: number;
        };
        const delivered = hooks.deliveries.splice(0).filter((d) => d.verified && d.status === 200).length;
        if (delivered !== total) throw new Error(`publish baseline: ${delivered} of ${total} delivered`);
        return { postsPerSecond: total / result.seconds, cpuPerPost: result.cpuMs / total };
      };

      return {
        async round(index) {
          const [due, dueBase] = await interleave(index, scheduled, () => baseline(DUE_CONCURRENCY));
          const [now, nowBase] = await interleave(index, publishNow, () => baseline(CONCURRENCY));
          return [
            {
              scenario: 'publish',
              metric: 'scheduled posts/s, 2 workers',
              atelier: due.postsPerSecond,
              baseline: dueBase.postsPerSecond,
              target: { op: '>=', value: 0.5, on: 'ratio' },
              note: `${total} posts due together, sent by both workers' publishing crons (batches of 16 each), first to last delivery; local storage; baseline: signed POSTs from a plain loop process, concurrency ${DUE_CONCURRENCY}`,
            },
            {
              scenario: 'publish',
              metric: 'scheduled CPU per post',
              unit: 'ms',
              atelier: due.cpuPerPost,
              baseline: dueBase.cpuPerPost,
              note: 'api tree + both workers (from /proc) vs the loop process (process.cpuUsage)',
            },
            {
              scenario: 'publish',
              metric: 'publish-now posts/s, 2 workers',
              atelier: now.postsPerSecond,
              baseline: nowBase.postsPerSecond,
              note: `${total} posts by publish-now, ${CONCURRENCY} at a time (an api request and a queue job each), 2 worker processes × 4; baseline concurrency ${CONCURRENCY}`,
            },
            {
              scenario: 'publish',
              metric: 'publish-now CPU per post',
              unit: 'ms',
              atelier: now.cpuPerPost,
              baseline: nowBase.cpuPerPost,
            },
            {
              scenario: 'publish',
              metric: 'duplicate deliveries',
              atelier: due.duplicates + now.duplicates,
              target: { op: '<', value: 1, on: 'atelier' },
            },
          ];
        },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  },
};
