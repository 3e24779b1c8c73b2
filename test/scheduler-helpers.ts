import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '../libs/core/src';
import { PublishingCron, publishJobId } from '../libs/scheduler/src';
import { awaitImageJobs, awaitJob, imageBytes, upload } from './support/images';
import type { TestApp } from './support/test-app';
import type { TestUser } from './support/users';

let seed = 1;

export interface ImageSetup {
  status?: 'generated' | 'validated' | 'rejected';
  moderation?: 'safe' | 'skipped' | 'flagged' | 'pending';
  title?: string;
  folderId?: string;
  tags?: string[];
}

/** Uploads an image through the API, waits for its media jobs, then sets its review state. */
export async function createImage(t: TestApp, user: TestUser, setup: ImageSetup = {}): Promise<string> {
  const fields: Record<string, string | string[]> = {};
  if (setup.title) fields.title = setup.title;
  if (setup.folderId) fields.folderId = setup.folderId;
  if (setup.tags) fields.tags = setup.tags;
  const res = await upload(t, user, await imageBytes('png', 32, 24, seed++), 'photo.png', fields);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id: string = res.body.id;
  await awaitImageJobs(t, id);
  await t.db.query('UPDATE images SET status = $2, moderation_state = $3 WHERE id = $1', [
    id,
    setup.status ?? 'validated',
    setup.moderation ?? 'safe',
  ]);
  return id;
}

export async function createAccount(t: TestApp, user: TestUser, body: Record<string, unknown>) {
  const res = await t.http.post('/api/v1/social-accounts').set(user.auth).send(body);
  if (res.status !== 201) throw new Error(`account failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; externalId: string; webhookSecret?: string };
}

export async function createPost(t: TestApp, user: TestUser, body: Record<string, unknown>) {
  const res = await t.http.post('/api/v1/posts').set(user.auth).send(body);
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export function publishingQueue(t: TestApp): Queue {
  return t.app.get<Queue>(getQueueToken(QueueName.Publishing));
}

/**
 * Waits (bounded) until the post's publishing job is finished for good: Bull reports every failed
 * attempt as "failed", so a rejection while the job is delayed for a retry means "keep waiting".
 */
export async function awaitPublishJob(t: TestApp, postId: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const queue = publishingQueue(t);
  for (;;) {
    const job = await queue.getJob(publishJobId(postId));
    if (!job) throw new Error(`No publishing job for post ${postId}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`Publishing job of post ${postId} did not finish in ${timeoutMs} ms`);
    try {
      await awaitJob(queue, publishJobId(postId), left);
      return;
    } catch (error) {
      if (/did not finish/.test((error as Error).message)) throw error;
      const state = await job.getState();
      if (state === 'failed' || state === 'completed') return;
    }
  }
}

/**
 * Waits for the post's publishing job when it has one. The cron sends due posts itself and returns
 * once their first attempt has ended; only a post that needs a retry (or was published "now") has a job.
 */
export async function awaitPublishJobIfAny(t: TestApp, postId: string): Promise<void> {
  if (await publishingQueue(t).getJob(publishJobId(postId))) await awaitPublishJob(t, postId);
}

/** Runs the cron's work now (the post's first attempt), then waits for its retries if any. */
export async function publishDue(t: TestApp, postId: string): Promise<void> {
  await t.app.get(PublishingCron).publishDuePosts();
  await awaitPublishJobIfAny(t, postId);
}

export async function getPost(t: TestApp, user: TestUser, postId: string) {
  const res = await t.http.get(`/api/v1/posts/${postId}`).set(user.auth);
  if (res.status !== 200) throw new Error(`get post failed: ${res.status}`);
  return res.body as Record<string, unknown> & { status: string; errorCode: string | null };
}
