import sharp from 'sharp';
import { fakeImage } from './fakes/fake-image';
import { startSmtpFake, SmtpFake, tokenFromMail } from './fakes/smtp.fake';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp, login } from './support/users';

jest.setTimeout(60_000);

describe('users: my account', () => {
  let t: TestApp;
  let smtp: SmtpFake;
  beforeAll(async () => {
    smtp = await startSmtpFake();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('shows and edits the profile', async () => {
    const user = await createUser(t);
    const me = await t.http.get('/api/v1/me').set(user.auth).expect(200);
    expect(me.body).toMatchObject({
      id: user.id,
      email: user.email,
      role: 'user',
      emailVerified: true,
      avatarUrl: null,
    });

    const patched = await t.http
      .patch('/api/v1/me')
      .set(user.auth)
      .send({
        displayName: 'Ada L.',
        bio: 'Poetical science',
        preferences: { theme: 'dark' },
        socialHandles: { x: '@ada' },
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      displayName: 'Ada L.',
      bio: 'Poetical science',
      preferences: { theme: 'dark' },
      socialHandles: { x: '@ada' },
    });
    const bad = await t.http.patch('/api/v1/me').set(user.auth).send({ role: 'admin' }).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    await t.http.get('/api/v1/me').expect(401);
  });

  it('re-verifies a changed email, with the link sent to the new address', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const taken = await t.http
      .patch('/api/v1/me')
      .set(user.auth)
      .send({ email: other.email.toUpperCase() })
      .expect(409);
    expect(taken.body.code).toBe('email_taken');

    const newEmail = `new-${user.username}@example.test`;
    const changed = await t.http.patch('/api/v1/me').set(user.auth).send({ email: newEmail }).expect(200);
    expect(changed.body).toMatchObject({ email: newEmail, emailVerified: false });
    // Unverified again: content creation is refused until the new address is confirmed.
    const png = await fakeImage(40, 40);
    const refused = await t.http
      .put('/api/v1/me/avatar')
      .set(user.auth)
      .attach('file', png, 'a.png')
      .expect(403);
    expect(refused.body.code).toBe('email_not_verified');

    const mail = await smtp.waitForMail((m) => m.to.includes(newEmail), 10_000);
    const verified = await t.http
      .post('/api/v1/auth/verify-email')
      .send({ token: tokenFromMail(mail) })
      .expect(200);
    expect(verified.body.emailVerified).toBe(true);
    await login(t, newEmail, user.password);
  });

  it('refuses content creation to unverified accounts (403 email_not_verified)', async () => {
    const user = await createUser(t, { verified: false });
    const png = await fakeImage(64, 64);
    const res = await t.http
      .put('/api/v1/me/avatar')
      .set(user.auth)
      .attach('file', png, 'me.png')
      .expect(403);
    expect(res.body).toMatchObject({ code: 'email_not_verified', status: 403 });
  });

  it('stores the avatar as a 256 px webp, judged by content not by name', async () => {
    const user = await createUser(t);
    const notAnImage = Buffer.from('GIF89a but not really an image at all');
    const bad = await t.http
      .put('/api/v1/me/avatar')
      .set(user.auth)
      .attach('file', notAnImage, 'me.png')
      .expect(400);
    expect(bad.body.code).toBe('invalid_image');
    const missing = await t.http.put('/api/v1/me/avatar').set(user.auth).field('note', 'no file').expect(400);
    expect(missing.body.code).toBe('file_required');
    const json = await t.http.put('/api/v1/me/avatar').set(user.auth).send({}).expect(415);
    expect(json.body).toMatchObject({ code: 'unsupported_media_type', accepted: ['multipart/form-data'] });

    const jpeg = await fakeImage(800, 600, 'jpeg');
    const res = await t.http
      .put('/api/v1/me/avatar')
      .set(user.auth)
      .attach('file', jpeg, { filename: 'holiday.txt', contentType: 'text/plain' })
      .expect(200);
    expect(res.body.avatarUrl).toMatch(new RegExp(`^/api/v1/users/${user.id}/avatar`));

    const avatar = await fetch(`${t.url}${res.body.avatarUrl}`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await avatar.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
  });

  it('deletes the account after password confirmation, anonymising it', async () => {
    const user = await createUser(t);
    const wrong = await t.http
      .delete('/api/v1/me')
      .set(user.auth)
      .send({ password: 'not-my-password' })
      .expect(400);
    expect(wrong.body.code).toBe('wrong_password');
    await t.http.delete('/api/v1/me').set(user.auth).send({ password: user.password }).expect(204);

    const [row] = await t.db.query(
      'SELECT email, username, password_hash, deleted_at FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.email).not.toContain(user.username);
    expect(row.username).not.toBe(user.username);
    expect(row.password_hash).toBeNull();
    expect(row.deleted_at).not.toBeNull();

    const me = await t.http.get('/api/v1/me').set(user.auth).expect(401);
    expect(me.body.code).toBe('invalid_token');
    await t.http
      .post('/api/v1/auth/refresh')
      .set('x-forwarded-for', fakeClientIp())
      .send({ refreshToken: user.refreshToken })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', fakeClientIp())
      .send({ login: user.email, password: user.password })
      .expect(401);
    // The email and username are free again for someone new.
    await createUser(t, { email: user.email, username: `${user.username}x` });
  });

  it('documents its routes in OpenAPI', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    for (const path of [
      'me',
      'me/avatar',
      'me/quota',
      'users/{id}/avatar',
      'plans',
      'plans/{id}',
      'users/{id}/plan',
      'webhooks/fief',
    ]) {
      expect(body.paths).toHaveProperty([`/api/v1/${path}`]);
    }
  });
});
