import sharp from 'sharp';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { quotaUsed, streamJobEvents, submitJob, uniqueKey, uploadImage, waitForJobEnd } from './support/jobs';

describe('Processing: jobs on the local provider', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'images,processing' });
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
  });
  afterAll(() => t?.close());

  it('generates images, streams the events in order and stores results readable as image content', async () => {
    const before = await quotaUsed(t, alice.id, 'generation');
    const submitted = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'a lighthouse at dusk',
      params: { size: '256x192', n: 2, seed: 42 },
      tags: ['coast'],
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ status: 'queued', provider: 'local', model: 'local-v1' });
    expect(submitted.body.params).toMatchObject({ width: 256, height: 192, n: 2, seed: 42 });

    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('queued');
    expect(types[1]).toBe('started');
    expect(types.filter((type) => type === 'preview')).toHaveLength(2);
    expect(types[types.length - 1]).toBe('completed');
    const seqs = events.map((e) => e.data.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    expect(job).toMatchObject({ status: 'succeeded', progress: 100, attempts: 1, error: null });
    expect(job.resultImageIds).toHaveLength(2);
    expect(job.results.map((r: { id: string }) => r.id)).toEqual(job.resultImageIds);
    expect(events[events.length - 1].data.data.imageIds).toEqual(job.resultImageIds);

    for (const imageId of job.resultImageIds) {
      const content = await t.http.get(`/api/v1/images/${imageId}/content`).set(alice.auth).buffer(true);
      expect(content.status).toBe(200);
      const meta = await sharp(content.body as Buffer).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([256, 192, 'png']);
      // The thumbnail is there as soon as the job has completed.
      const thumbnail = await t.http
        .get(`/api/v1/images/${imageId}/content?variant=thumbnail`)
        .set(alice.auth)
        .buffer(true);
      expect(thumbnail.headers['content-type']).toBe('image/webp');
    }
    expect(job.results.every((result) => result.thumbnailUrl)).toBe(true);
    const rows: { source: string; job_index: number; prompt: string }[] = await t.db.query(
      'SELECT source, job_index, prompt FROM images WHERE job_id = $1 ORDER BY job_index',
      [job.id],
    );
    expect(rows).toEqual([
      { source: 'generated', job_index: 0, prompt: 'a lighthouse at dusk' },
      { source: 'generated', job_index: 1, prompt: 'a lighthouse at dusk' },
    ]);
    expect(await quotaUsed(t, alice.id, 'generation')).toBe(before + 2);
  });

  it('returns the original job for a repeated Idempotency-Key (200), per user', async () => {
    const key = uniqueKey();
    const body = { type: 'generate', prompt: 'a red kite', params: { size: '128x128' } };
    const first = await submitJob(t, alice, body, key);
    const again = await submitJob(t, alice, body, key);
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.body.id).toBe(first.body.id);
    const other = await submitJob(t, bob, body, key);
    expect(other.status).toBe(202);
    expect(other.body.id).not.toBe(first.body.id);
    const [{ count }] = await t.db.query(
      'SELECT count(*)::int AS count FROM jobs WHERE owner_id = $1 AND idempotency_key = $2',
      [alice.id, key],
    );
    expect(count).toBe(1);
    await Promise.all([waitForJobEnd(t, alice, first.body.id), waitForJobEnd(t, bob, other.body.id)]);
  });

  it('rejects what the provider or plan cannot do with a 400 naming the field', async () => {
    const tooBig = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'x',
      params: { size: '2048x2048' },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors).toEqual([{ field: 'params.size', message: expect.stringContaining('1024') }]);
    const noSource = await submitJob(t, alice, { type: 'edit', prompt: 'x' });
    expect(noSource.status).toBe(400);
    expect(noSource.body.errors.map((e: { field: string }) => e.field)).toEqual(['sourceImageId']);
    const unknown = await submitJob(t, alice, { type: 'generate', prompt: 'x', provider: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('provider_unknown');
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM jobs WHERE prompt = $1', ['x']);
    expect(count).toBe(0);
  });

  it("edits the caller's own image, and 404s on someone else's", async () => {
    const source = await sharp({ create: { width: 160, height: 120, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const sourceId = await uploadImage(t, alice, source);
    const editsBefore = await quotaUsed(t, alice.id, 'edit');
    const submitted = await submitJob(t, alice, {
      type: 'edit',
      prompt: 'add a moon',
      sourceImageId: sourceId,
    });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    const [image] = await t.db.query(
      'SELECT source, parent_image_id, width, height FROM images WHERE id = $1',
      [job.resultImageIds[0]],
    );
    expect(image).toEqual({ source: 'edited', parent_image_id: sourceId, width: 160, height: 120 });
    expect(await quotaUsed(t, alice.id, 'edit')).toBe(editsBefore + 1);

    const stolen = await submitJob(t, bob, { type: 'edit', prompt: 'mine now', sourceImageId: sourceId });
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('image_not_found');
  });

  it("restyles an image with a catalogue style's operations and counts the style's use", async () => {
    const [style] = await t.db.query(
      `SELECT id, usage_count FROM styles
       WHERE active AND NOT premium AND jsonb_array_length(image_operations) > 0 LIMIT 1`,
    );
    const source = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#20a060' } })
      .png()
      .toBuffer();
    const sourceId = await uploadImage(t, alice, source);
    const submitted = await submitJob(t, alice, {
      type: 'style_transfer',
      styleId: style.id,
      sourceImageId: sourceId,
      params: { outputFormat: 'webp' },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.params.operations).toEqual(expect.any(Array));
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    const [image] = await t.db.query('SELECT source, style_id, mime FROM images WHERE id = $1', [
      job.resultImageIds[0],
    ]);
    expect(image).toEqual({ source: 'styled', style_id: style.id, mime: 'image/webp' });
    const [after] = await t.db.query('SELECT usage_count FROM styles WHERE id = $1', [style.id]);
    expect(after.usage_count).toBe(style.usage_count + 1);
  });

  it("hides a user's jobs from everyone else (404 to read, cancel or stream)", async () => {
    const submitted = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'private',
      params: { size: '64x64' },
    });
    const id = submitted.body.id;
    await waitForJobEnd(t, alice, id);
    expect((await t.http.get(`/api/v1/jobs/${id}`).set(bob.auth)).status).toBe(404);
    expect((await t.http.post(`/api/v1/jobs/${id}/cancel`).set(bob.auth)).status).toBe(404);
    expect((await t.http.post(`/api/v1/jobs/${id}/retry`).set(bob.auth)).status).toBe(404);
    expect((await t.http.get(`/api/v1/jobs/${id}/events`).set(bob.auth)).status).toBe(404);
    const list = await t.http.get('/api/v1/jobs').set(bob.auth);
    expect(list.body.items.map((j: { id: string }) => j.id)).not.toContain(id);
    // Cancelling a finished job is a conflict for its owner.
    const late = await t.http.post(`/api/v1/jobs/${id}/cancel`).set(alice.auth);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('job_already_finished');
  });

  it('lists jobs newest first with filters and keyset pages', async () => {
    const all = await t.http.get('/api/v1/jobs?limit=2').set(alice.auth);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http.get(`/api/v1/jobs?limit=2&cursor=${all.body.nextCursor}`).set(alice.auth);
    const ids = [...all.body.items, ...next.body.items].map((j: { id: string }) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    const edits = await t.http.get('/api/v1/jobs?type=edit&status=succeeded').set(alice.auth);
    expect(edits.body.items.length).toBeGreaterThan(0);
    expect(edits.body.items.every((j: { type: string }) => j.type === 'edit')).toBe(true);
  });

  it('lists the configured providers with their capabilities', async () => {
    const res = await t.http.get('/api/v1/providers');
    expect(res.status).toBe(200);
    const local = res.body.items.find((p: { name: string }) => p.name === 'local');
    expect(local).toMatchObject({ edit: true, streaming: true, maxN: 4, negativePrompt: true });
    // No OpenAI key and no HF token in this app: those providers are not offered.
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['local']);
  });

  it('lets admins manage templates whose defaults jobs take under their own params', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const forbidden = await t.http
      .post('/api/v1/templates')
      .set(alice.auth)
      .send({ name: 'nope', jobType: 'generate' });
    expect(forbidden.status).toBe(403);
    const created = await t.http
      .post('/api/v1/templates')
      .set(admin.auth)
      .send({
        name: 'Small thumbs',
        jobType: 'generate',
        provider: 'local',
        defaultParams: { size: '96x64', n: 2 },
      });
    expect(created.status).toBe(201);
    const listed = await t.http.get('/api/v1/templates').set(alice.auth);
    expect(listed.body.items.map((x: { name: string }) => x.name)).toContain('Small thumbs');

    const job = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'templated',
      templateId: created.body.id,
      params: { n: 1 },
    });
    expect(job.status).toBe(202);
    expect(job.body.params).toMatchObject({ width: 96, height: 64, n: 1 });
    expect(job.body.templateId).toBe(created.body.id);
    await waitForJobEnd(t, alice, job.body.id);

    const patched = await t.http
      .patch(`/api/v1/templates/${created.body.id}`)
      .set(admin.auth)
      .send({ active: false });
    expect(patched.body.active).toBe(false);
    const inactive = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'x2',
      templateId: created.body.id,
    });
    expect(inactive.status).toBe(404);
    expect((await t.http.delete(`/api/v1/templates/${created.body.id}`).set(admin.auth)).status).toBe(204);
  });

  describe('socket.io /events', () => {
    const connectWith = (options: Partial<ManagerOptions & SocketOptions>) =>
      io(`${t.url}/events`, { transports: ['websocket'], reconnection: false, ...options });
    const connect = (token?: string) => connectWith({ auth: token ? { token } : {} });

    /** The first of `ready` (connected and authenticated) or `connect_error` on a socket. */
    const outcome = (socket: Socket) =>
      new Promise<{ ready?: { userId: string }; error?: Error & { data?: { code: string } } }>((resolve) => {
        socket.once('ready', (ready: { userId: string }) => resolve({ ready }));
        socket.once('connect_error', (error) => resolve({ error }));
      });

    it.each([
      ['no token', () => connect()],
      ['a forged token', () => connect('not-a-token')],
      ['a bad Authorization header', () => connectWith({ extraHeaders: { authorization: 'Bearer nope' } })],
    ])('refuses %s in the handshake with connect_error, never a connection', async (_case, open) => {
      const socket = open();
      let connected = false;
      socket.on('connect', () => (connected = true));
      try {
        const { error } = await outcome(socket);
        expect(error?.message).toBe('A valid access token is required.');
        expect(error?.data).toEqual({ code: 'unauthenticated' });
        expect(connected).toBe(false);
      } finally {
        socket.close();
      }
    });

    it.each([
      ['auth.token', () => connect(alice.accessToken)],
      [
        'an Authorization: Bearer header',
        () => connectWith({ extraHeaders: { authorization: `Bearer ${alice.accessToken}` } }),
      ],
      ['the token query parameter', () => connectWith({ query: { token: alice.accessToken } })],
    ])('accepts the access token as %s', async (_case, open) => {
      const socket = open();
      try {
        const { ready, error } = await outcome(socket);
        expect(error).toBeUndefined();
        expect(ready).toEqual({ userId: alice.id });
      } finally {
        socket.close();
      }
    });

    it("sends queue.status with the queue counts and the caller's position", async () => {
      const socket = connect(alice.accessToken);
      try {
        const status = await new Promise<Record<string, unknown>>((resolve) =>
          socket.once('queue.status', (s: Record<string, unknown>) => resolve(s)),
        );
        expect(status).toMatchObject({
          queue: 'generation',
          waiting: expect.any(Number),
          active: expect.any(Number),
          position: null,
        });
      } finally {
        socket.close();
      }
    });

    it("relays the caller's own job events, in order", async () => {
      const socket: Socket = connect(alice.accessToken);
      const bobSocket: Socket = connect(bob.accessToken);
      try {
        await Promise.all(
          [socket, bobSocket].map((s) => new Promise<void>((resolve) => s.once('ready', () => resolve()))),
        );
        const bobSaw: unknown[] = [];
        bobSocket.on('job.event', (e) => bobSaw.push(e));
        const seen: { jobId: string; type: string; seq: number }[] = [];
        const done = new Promise<void>((resolve) =>
          socket.on('job.event', (event: { jobId: string; type: string; seq: number }) => {
            seen.push(event);
            if (event.type === 'completed') resolve();
          }),
        );
        const submitted = await submitJob(t, alice, {
          type: 'generate',
          prompt: 'live',
          params: { size: '64x64' },
        });
        await done;
        const mine = seen.filter((e) => e.jobId === submitted.body.id);
        expect(mine[0].type).toBe('queued');
        expect(mine[mine.length - 1].type).toBe('completed');
        expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((a, b) => a - b));
        expect(bobSaw).toEqual([]);
      } finally {
        socket.close();
        bobSocket.close();
      }
    });
  });

  it('replays a finished job from its recorded events', async () => {
    const submitted = await submitJob(t, alice, {
      type: 'generate',
      prompt: 'replay',
      params: { size: '64x64' },
    });
    const live = await streamJobEvents(t, alice, submitted.body.id);
    const replay = await streamJobEvents(t, alice, submitted.body.id);
    expect(replay.map((e) => e.data.seq)).toEqual(live.map((e) => e.data.seq));
  });
});
