import { startTestApp, TestApp } from './support/test-app';

const TOKEN = 'scraper-secret-0123456789';

describe('/metrics is for the scraper only', () => {
  // startTestApp leaves its settings in process.env: the app without a token boots first.
  describe('in production without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ NODE_ENV: 'production' });
    });
    afterAll(() => t.close());

    it('is off: 404', async () => {
      const res = await t.http.get('/metrics');
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'not_found' });
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ METRICS_TOKEN: TOKEN });
    });
    afterAll(() => t.close());

    it('answers the bearer token and refuses anyone else with 401', async () => {
      const scraped = await t.http.get('/metrics').set('authorization', `Bearer ${TOKEN}`).expect(200);
      expect(scraped.text).toContain('http_request_duration_seconds');
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Basic ${Buffer.from(TOKEN).toString('base64')}`,
      ]) {
        const req = t.http.get('/metrics');
        if (authorization) req.set('authorization', authorization);
        const res = await req;
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 401,
          code: 'metrics_token_required',
        });
        expect(res.headers['www-authenticate']).toContain('Bearer');
        expect(res.text).not.toContain('http_request_duration_seconds');
      }
    });
  });
});
