import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StaleTemporaryFilesCron, STALE_TEMPORARY_FILE_MS } from '../libs/storage/src';
import { awaitImageJobs, imageBytes } from './support/images';
import { uploadImage } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/**
 * A process killed mid-write leaves its `<key>.<random>.part` beside the object it was writing
 * (local storage writes a temporary file and renames it). At 1bcb13e nothing removed them.
 */
describe('Storage: temporary files left by killed processes', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'images' });
    user = await createUser(t);
  });
  afterAll(() => t?.close());

  it('removes stale .part files and keeps objects and writes still in progress', async () => {
    const imageId = await uploadImage(t, user, await imageBytes('png', 64, 48, 1));
    // Its thumbnail is written in the background: let it land before listing the directory.
    await awaitImageJobs(t, imageId);
    const dir = join(t.storageDir, 'users', user.id, 'images', imageId);
    const before = await readdir(dir, { recursive: true });
    const stale = join(dir, 'original.png.1a2b3c4d5e6f.part');
    const inProgress = join(dir, 'thumbnail.webp.0f9e8d7c6b5a.part');
    await writeFile(stale, 'half an image');
    await writeFile(inProgress, 'being written');
    const longAgo = new Date(Date.now() - STALE_TEMPORARY_FILE_MS - 60_000);
    await utimes(stale, longAgo, longAgo);

    expect(await t.app.get(StaleTemporaryFilesCron).sweep()).toBe(1);
    const after = await readdir(dir, { recursive: true });
    expect(after.sort()).toEqual([...before, 'thumbnail.webp.0f9e8d7c6b5a.part'].sort());
    const content = await t.http.get(`/api/v1/images/${imageId}/content`).set(user.auth);
    expect(content.status).toBe(200);
  });
});
