import { getQueueToken } from '@nestjs/bull';
import { createHmac, randomUUID } from 'node:crypto';
import type { Queue } from 'bull';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QueueName } from '../libs/core/src';
import { imageJobId } from '../libs/images/src';
import { PublishingCron } from '../libs/scheduler/src';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { createAccount, createImage, createPost } from './scheduler-helpers';
import { awaitJob } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, fakeClientIp, login, type TestUser } from './support/users';

const FIEF_SECRET = 'fief-webhook-secret-for-deletion-tests';

/** DELETE /me erases the account: every token dies at once, nothing of it is published or shown. */
describe('account deletion', () => {
  let t: TestApp;
  let hooks: WebhookReceiverFake;

  beforeAll(async () => {
    // Any delivery at all is a failure here, signed or not.
    hooks = await startWebhookReceiverFake({
      secret: `whsec_${Buffer.from('unused-secret-0123456789').toString('base64')}`,
    });
    t = await startTestApp({
      FEATURES: 'images,processing,scheduler',
      ALLOW_PRIVATE_WEBHOOKS: 'true',
      FIEF_WEBHOOK_SECRET: FIEF_SECRET,
    });
  });

  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  const deleteMe = (user: TestUser) =>
    t.http.delete('/api/v1/me').set(user.auth).send({ password: user.password }).expect(204);

  it('kills the access tokens of every session at once', async () => {
    const user = await createUser(t);
    const phone = await login(t, user.email, user.password);
    const phoneAuth = { Authorization: `Bearer ${phone.accessToken}` };
    await t.http.post('/api/v1/folders').set(phoneAuth).send({ name: 'Before' }).expect(201);

    await deleteMe(user);

    for (const auth of [user.auth, phoneAuth]) {
      const res = await t.http.post('/api/v1/folders').set(auth).send({ name: 'After' });
      expect(res.status).toBe(401);
      await t.http.get('/api/v1/social-accounts').set(auth).expect(401);
      await t.http.post('/api/v1/schedules').set(auth).send({}).expect(401);
    }
    await t.http
      .post('/api/v1/auth/refresh')
      .set('x-forwarded-for', fakeClientIp())
      .send({ refreshToken: phone.refreshToken })
      .expect(401);
  });

  it('a password change ends the other sessions’ access tokens at once, not the caller’s', async () => {
    const user = await createUser(t);
    const other = await login(t, user.email, user.password);
    const newPassword = `${user.password}-new`;
    await t.http
      .post('/api/v1/auth/password/change')
      .set(user.auth)
      .send({ currentPassword: user.password, newPassword })
      .expect((res) => expect(res.status).toBeLessThan(300));
    await t.http
      .get('/api/v1/me')
      .set({ Authorization: `Bearer ${other.accessToken}` })
      .expect(401);
    await t.http.get('/api/v1/me').set(user.auth).expect(200);
  });

  it('a scheduled post never publishes', async () => {
    const user = await createUser(t);
    const account = await createAccount(t, user, { platform: 'webhook', webhookUrl: hooks.hookUrl });
    const imageId = await createImage(t, user);
    const post = await createPost(t, user, {
      imageId,
      socialAccountId: account.id,
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });

    await deleteMe(user);

    // Whatever was due now is claimed and published by this tick; the deleted user's post is not there.
    await t.db.query(`UPDATE posts SET scheduled_at = now() - interval '1 minute' WHERE id = $1`, [post.id]);
    await t.app.get(PublishingCron).publishDuePosts();
    const rows: unknown[] = await t.db.query('SELECT id FROM posts WHERE id = $1', [post.id]);
    expect(rows).toHaveLength(0);
    const accounts: unknown[] = await t.db.query('SELECT id FROM social_accounts WHERE owner_id = $1', [
      user.id,
    ]);
    expect(accounts).toHaveLength(0);
    expect(hooks.deliveries).toHaveLength(0);
  });

  it('a shared image leaves the gallery and its files are purged from storage', async () => {
    const user = await createUser(t);
    const imageId = await createImage(t, user, { title: 'erase-me-harbour' });
    await t.http.post(`/api/v1/images/${imageId}/share`).set(user.auth).expect(200);
    const before = await t.http.get('/api/v1/gallery?q=erase-me-harbour').expect(200);
    expect(before.body.items.map((i: { id: string }) => i.id)).toEqual([imageId]);
    const [image] = await t.db.query('SELECT original_key, thumbnail_key FROM images WHERE id = $1', [
      imageId,
    ]);
    const files = [image.original_key, image.thumbnail_key].map((key: string) => join(t.storageDir, key));
    expect(files.every((file) => existsSync(file))).toBe(true);

    await deleteMe(user);

    const after = await t.http.get('/api/v1/gallery?q=erase-me-harbour').expect(200);
    expect(after.body.items).toEqual([]);
    await t.http.get(`/api/v1/images/${imageId}/content`).expect((res) => expect(res.status).toBe(404));
    await awaitJob(t.app.get<Queue>(getQueueToken(QueueName.Media)), imageJobId.purge(imageId));
    expect(files.filter((file) => existsSync(file))).toEqual([]);
    const [row] = await t.db.query('SELECT title, is_public, deleted_at FROM images WHERE id = $1', [
      imageId,
    ]);
    expect(row).toMatchObject({ title: null, is_public: false, deleted_at: expect.any(Date) });
  });

  it('a Fief user.deleted webhook erases the linked account the same way', async () => {
    const user = await createUser(t);
    const fiefId = randomUUID();
    await t.db.query('UPDATE users SET external_id = $2 WHERE id = $1', [user.id, fiefId]);
    const imageId = await createImage(t, user, { title: 'fief-erased-harbour' });
    await t.http.post(`/api/v1/images/${imageId}/share`).set(user.auth).expect(200);

    const body = JSON.stringify({ type: 'user.deleted', data: { id: fiefId } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', FIEF_SECRET).update(`${timestamp}.${body}`).digest('hex');
    await t.http
      .post('/api/v1/webhooks/fief')
      .set('content-type', 'application/json')
      .set('x-fief-webhook-signature', signature)
      .set('x-fief-webhook-timestamp', timestamp)
      .send(body)
      .expect(200);

    await t.http.post('/api/v1/folders').set(user.auth).send({ name: 'After' }).expect(401);
    const gallery = await t.http.get('/api/v1/gallery?q=fief-erased-harbour').expect(200);
    expect(gallery.body.items).toEqual([]);
  });
});
