import { createHmac, randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users';

jest.setTimeout(60_000);

const SECRET = 'fief-webhook-secret-for-tests';

describe('users: Fief identity-provider webhooks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FIEF_WEBHOOK_SECRET: SECRET });
  });
  afterAll(() => t.close());

  /** Signs the exact bytes sent, as Fief does: hex HMAC-SHA256 of "{timestamp}.{body}". */
  function deliver(event: object, options: { secret?: string; timestamp?: number; body?: string } = {}) {
    const body = options.body ?? JSON.stringify(event, null, 1); // whitespace Fief's encoder might use
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', options.secret ?? SECRET)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    return {
      signature,
      timestamp,
      send: (sig = signature) =>
        t.http
          .post('/api/v1/webhooks/fief')
          .set('content-type', 'application/json')
          .set('x-fief-webhook-signature', sig)
          .set('x-fief-webhook-timestamp', timestamp)
          .send(body),
    };
  }

  const userRow = async (fiefId: string) =>
    (
      await t.db.query(
        'SELECT id, email, username, email_verified_at, password_hash, deleted_at FROM users WHERE external_id = $1',
        [fiefId],
      )
    )[0];

  it('creates a local user from user.created, once, however often it is delivered', async () => {
    const fiefId = randomUUID();
    const delivery = deliver({
      type: 'user.created',
      data: {
        id: fiefId,
        email: 'Fief.User@Example.test',
        email_verified: true,
        fields: { username: 'fiefling' },
      },
    });
    await delivery.send().expect(200, { status: 'processed' });
    await delivery.send().expect(200, { status: 'duplicate' });
    const row = await userRow(fiefId);
    expect(row).toMatchObject({ email: 'fief.user@example.test', username: 'fiefling', password_hash: null });
    expect(row.email_verified_at).not.toBeNull();
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM users WHERE external_id = $1', [
      fiefId,
    ]);
    expect(count).toBe(1);
  });

  it('refuses a bad signature, another secret and a stale (replayed) timestamp with 401', async () => {
    const event = { type: 'user.created', data: { id: randomUUID(), email: 'mallory@example.test' } };
    const good = deliver(event);
    const bad = await good.send('0'.repeat(64)).expect(401);
    expect(bad.body.code).toBe('invalid_signature');
    await deliver(event, { secret: 'someone-else' }).send().expect(401);

    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const stale = await deliver(event, { timestamp: tenMinutesAgo }).send().expect(401);
    expect(stale.body.code).toBe('stale_signature');

    // The signature covers the exact bytes: re-encoding the same JSON breaks it.
    const tampered = await t.http
      .post('/api/v1/webhooks/fief')
      .set('x-fief-webhook-signature', good.signature)
      .set('x-fief-webhook-timestamp', good.timestamp)
      .send(event)
      .expect(401);
    expect(tampered.body.code).toBe('invalid_signature');
    await t.http.post('/api/v1/webhooks/fief').send(event).expect(401);
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'mallory@example.test'`)).toHaveLength(0);
  });

  it('links an existing account by email, follows updates and anonymises on delete', async () => {
    const local = await createUser(t, { verified: false });
    const fiefId = randomUUID();
    await deliver({ type: 'user.updated', data: { id: fiefId, email: local.email, email_verified: true } })
      .send()
      .expect(200, { status: 'processed' });
    expect(await userRow(fiefId)).toMatchObject({ id: local.id, email: local.email });
    expect((await userRow(fiefId)).email_verified_at).not.toBeNull();

    await deliver({
      type: 'user.updated',
      data: { id: fiefId, email: 'moved@example.test', email_verified: true },
    })
      .send()
      .expect(200);
    expect(await userRow(fiefId)).toMatchObject({ id: local.id, email: 'moved@example.test' });

    // Explicit timestamps: two deliveries signed in the same second would be one redelivery.
    const deletedAt = Math.floor(Date.now() / 1000);
    await deliver({ type: 'user.deleted', data: { id: fiefId } }, { timestamp: deletedAt })
      .send()
      .expect(200, { status: 'processed' });
    const [gone] = await t.db.query('SELECT email, deleted_at, external_id FROM users WHERE id = $1', [
      local.id,
    ]);
    expect(gone.deleted_at).not.toBeNull();
    expect(gone.email).not.toBe('moved@example.test');
    expect(gone.external_id).toBeNull();
    await t.http.get('/api/v1/me').set(local.auth).expect(401);
    // Deleting again (a second, separately signed delivery) is a no-op.
    await deliver({ type: 'user.deleted', data: { id: fiefId } }, { timestamp: deletedAt - 1 })
      .send()
      .expect(200, { status: 'processed' });
  });

  it('acknowledges event types it does not handle', async () => {
    await deliver({ type: 'client.created', data: { id: randomUUID() } })
      .send()
      .expect(200, { status: 'ignored' });
  });
});
