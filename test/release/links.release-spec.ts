import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { expectStatus } from './api-client';
import { linkIn, logIn, samplePng } from './accounts';
import { publishToWebhook } from './publishing';
import { startReleaseStack, type ReleaseStack } from './release-stack';
import { uploadImage } from './uploads';

/**
 * The links Atelier hands out, followed by what follows them in real life: a browser for mailed
 * links (no web client configured), a platform fetching the image URL the worker signed. Local
 * storage on one directory shared by both processes, as the compose file's media volume is.
 */
describe('release: links that work on the built server', () => {
  let stack: ReleaseStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startReleaseStack({ storage: 'local' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('the verification and reset links finish both flows in a plain browser', async () => {
    const name = `b${randomBytes(5).toString('hex')}`;
    const email = `${name}@example.test`;
    expectStatus(
      await stack.api.post('auth/register', { email, username: name, password: 'first-Secret-123' }),
      201,
      'register',
    );
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused/i.test(message.text())) blocked.push(message.text());
    });

    const verification = await stack.smtp.waitForMail(
      (m) => m.to.includes(email) && /confirm/i.test(m.subject),
    );
    const verifyLink = linkIn(verification.text);
    expect(verifyLink.startsWith(`${stack.url}/api/v1/auth/verify-email?token=`)).toBe(true);
    const opened = await page.goto(verifyLink);
    expect(opened?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Email confirmed');
    expect((await logIn(stack.api, email, 'first-Secret-123')).user.emailVerified).toBe(true);

    expectStatus(await stack.api.post('auth/password/forgot', { email }), 202, 'forgot');
    const reset = await stack.smtp.waitForMail((m) => m.to.includes(email) && /reset/i.test(m.subject));
    const resetLink = linkIn(reset.text);
    expect(resetLink.startsWith(`${stack.url}/api/v1/auth/password/reset?token=`)).toBe(true);
    await page.goto(resetLink);
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    await page.locator('#message', { hasText: /\S/ }).waitFor();
    expect(await page.textContent('#message')).not.toMatch(/password is set/);
    await page.fill('#password', 'second-Secret-456');
    await page.click('button[type=submit]');
    await page.locator('#message', { hasText: 'password is set' }).waitFor();
    expect((await stack.api.post('auth/login', { login: email, password: 'first-Secret-123' })).status).toBe(
      401,
    );
    await logIn(stack.api, email, 'second-Secret-456');

    const again = await page.goto(verifyLink);
    expect(again?.status()).toBe(400);
    expect(await page.textContent('h1')).toBe('This link does not work');
    expect(blocked).toEqual([]);
  });

  it('points at the api on its own port and serves the image there', async () => {
    const { client: me } = await logIn(stack.api, stack.admin.email, stack.admin.password);
    const image = expectStatus(await uploadImage(me, await samplePng(7)), 201, 'upload');
    const delivery = await publishToWebhook(me, image.id);
    expect(delivery.verified).toBe(true);
    const url = (delivery.json as { image: { url: string } }).image.url;
    expect(url.startsWith(`${stack.url}/api/v1/files/`)).toBe(true);
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
  });

  it('starts up quietly: JSON lines, no route mapping at info, one line naming the API, /docs and /admin/queues', () => {
    const lines = stack.processes.api.output.split('\n').filter(Boolean);
    expect(lines.every((line) => line.startsWith('{'))).toBe(true);
    expect(lines.some((line) => /Mapped \{/.test(line))).toBe(false);
    const ready = lines.filter((line) => line.includes('/docs') && line.includes('/admin/queues'));
    expect(ready).toHaveLength(1);
    expect(JSON.parse(ready[0]).msg).toBe(
      `Atelier API at ${stack.url}/api/v1 · Swagger UI ${stack.url}/docs · queue dashboard ${stack.url}/admin/queues`,
    );
  });

  it('answered every request above as the served OpenAPI document says', () => {
    expect(stack.contract.violations).toEqual([]);
  });
});
