import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PublishingCron } from '../../libs/scheduler/src';
import { startWebhookReceiverFake, type WebhookReceiverFake } from '../../test/fakes/webhook-receiver.fake';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { createUser } from '../../test/support/users';
import { drainDuePosts } from '../support/drain-due-posts';
import { Scenario } from '../support/report';
import { seedImages } from '../support/seed-images';
import { pool, until } from '../support/stats';

const ROOT = join(__dirname, '..', '..');
/** Two workers × PublishPostProcessor's concurrency (4): the baseline loop gets the same. */
const CONCURRENCY = 8;

/**
 * Many posts due at once to a webhook account, published by two workers racing (the app's embedded
 * worker and a second process on the same database and Redis prefix), until every post is
 * `published`; zero duplicate deliveries allowed. Baseline: the same number of signed webhook POSTs
 * sent to the same receiver by a plain loop at the same concurrency.
 */
export const publishScenario: Scenario = {
  name: 'publish',
  description: 'posts due at once to a webhook, two workers racing, zero duplicates',
  async run(size) {
    const total = size === 'full' ? 10_000 : 50;
    const hooks = await startWebhookReceiverFake({
      secret: `whsec_${Buffer.from('0'.repeat(24)).toString('base64')}`,
    });
    const t = await startTestApp({
      LOG_LEVEL: 'warn',
      FEATURES: 'images,scheduler',
      ALLOW_PRIVATE_WEBHOOKS: 'true',
      DATABASE_POOL_SIZE: '20',
    });
    let worker: ChildProcess | undefined;
    try {
      const user = await createUser(t);
      const res = await t.http
        .post('/api/v1/social-accounts')
        .set(user.auth)
        .send({ platform: 'webhook', webhookUrl: hooks.hookUrl });
      if (res.status !== 201) throw new Error(`publish: account ${res.status} ${JSON.stringify(res.body)}`);
      const secret: string = res.body.webhookSecret;
      hooks.setSecret(secret);
      const imageId = await seedPostableImage(t, user.id);
      await seedDuePosts(t, { ownerId: user.id, imageId, accountId: res.body.id, total });

      worker = await startSecondWorker(t);
      const started = performance.now();
      const drained = Promise.all([
        drainDuePosts(t.app.get(PublishingCron)),
        tell(worker, 'publish', 'drained'),
      ]);
      const counts = () => postCounts(t);
      await until(async () => (await counts()).settled >= total, {
        timeoutMs: 120_000 + total * 30,
        describe: async () => `posts: ${JSON.stringify(await counts())}`,
      });
      const seconds = (performance.now() - started) / 1000;
      await drained;
      const { published } = await counts();
      if (published !== total) throw new Error(`publish: ${published} of ${total} published`);
      const deliveries = hooks.deliveries.splice(0);
      const duplicates = deliveries.length - new Set(deliveries.map((d) => d.webhookId)).size;
      const bad = deliveries.filter((d) => !d.verified || d.status !== 200).length;
      if (duplicates !== 0 || bad !== 0 || deliveries.length !== total) {
        throw new Error(
          `publish: ${deliveries.length} deliveries, ${duplicates} duplicates, ${bad} not verified/200`,
        );
      }

      const baselineSeconds = await plainLoop(hooks, secret, total);
      return [
        {
          scenario: 'publish',
          metric: 'posts/s',
          atelier: total / seconds,
          baseline: total / baselineSeconds,
          note: `${total} posts, 2 workers × 4; baseline: signed POSTs from a plain loop, concurrency ${CONCURRENCY}`,
        },
        {
          scenario: 'publish',
          metric: 'duplicate deliveries',
          atelier: duplicates,
          target: { op: '<', value: 1, on: 'atelier' },
        },
      ];
    } finally {
      if (worker && worker.exitCode === null) {
        const exited = new Promise((done) => worker!.once('exit', done));
        worker.kill('SIGTERM');
        await exited;
      }
      await t.close();
      await hooks.close();
    }
  },
};

/** One image row that may be posted: validated and moderated safe (as seed-images loads them). */
async function seedPostableImage(t: TestApp, ownerId: string): Promise<string> {
  await seedImages(t.db, ownerId, 1, { gallery: false });
  await t.db.query(`UPDATE images SET status = 'validated', moderation_state = 'safe' WHERE owner_id = $1`, [
    ownerId,
  ]);
  const [image]: { id: string }[] = await t.db.query('SELECT id FROM images WHERE owner_id = $1', [ownerId]);
  return image.id;
}

/** `total` posts due now, a millisecond apart so the cron's "oldest first" batches are stable. */
async function seedDuePosts(
  t: TestApp,
  p: { ownerId: string; imageId: string; accountId: string; total: number },
): Promise<void> {
  await t.db.query(
    `INSERT INTO posts (owner_id, image_id, social_account_id, caption, scheduled_at)
     SELECT $1, $2, $3, 'Bench post ' || g, now() - interval '1 minute' + (g || ' milliseconds')::interval
       FROM generate_series(1, $4::int) AS g`,
    [p.ownerId, p.imageId, p.accountId, p.total],
  );
  await t.db.query('ANALYZE posts');
}

async function postCounts(t: TestApp): Promise<{ published: number; settled: number; failed: number }> {
  const [row]: { published: number; settled: number; failed: number }[] = await t.db.query(
    `SELECT count(*) FILTER (WHERE status = 'published')::int AS published,
            count(*) FILTER (WHERE status IN ('published', 'failed', 'cancelled'))::int AS settled,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM posts`,
  );
  return row;
}

/** `node apps/worker`'s module in a child process with the app's environment; resolves when ready. */
async function startSecondWorker(t: TestApp): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', './scripts/ts-register.js', 'bench/support/publish-worker.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, ...t.env, WORKER_EMBEDDED: 'true', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  await tell(child, undefined, 'ready');
  return child;
}

/** Sends `message` (if any) and resolves on the child's `expected` reply; rejects if it exits first. */
function tell(child: ChildProcess, message: string | undefined, expected: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: unknown) => {
      if (reply !== expected && !String(reply).startsWith('error')) return;
      cleanup();
      if (reply === expected) resolve();
      else reject(new Error(`second worker: ${String(reply)}`));
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`second worker exited with ${code}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}

/** The floor: the same signed deliveries, straight from a loop; returns the seconds it took. */
async function plainLoop(hooks: WebhookReceiverFake, secret: string, total: number): Promise<number> {
  const signer = new Webhook(secret);
  const started = performance.now();
  await pool(total, CONCURRENCY, async (i) => {
    const id = `baseline-${i}`;
    const payload = JSON.stringify({ type: 'post.published', post: { id, caption: `Bench post ${i}` } });
    const sentAt = new Date();
    const res = await fetch(hooks.hookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signer.sign(id, sentAt, payload),
      },
      body: payload,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`publish baseline: receiver answered ${res.status}`);
  });
  const seconds = (performance.now() - started) / 1000;
  hooks.deliveries.splice(0);
  return seconds;
}
