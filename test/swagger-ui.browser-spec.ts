import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the API, lists operations and offers bearer authorization', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/docs`);
    await page.waitForSelector('.opblock-summary-path');
    expect(await page.textContent('.info .title')).toContain('Atelier API');
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.textContent));
    expect(paths).toContain('/health/live');
    await page.click('button.authorize');
    await page.waitForSelector('.auth-container input');
    expect(await page.textContent('.auth-container')).toContain('bearer');
    expect(errors).toEqual([]);
  });
});
