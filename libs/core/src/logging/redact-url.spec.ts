import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('redacts every credential query parameter and keeps the rest', () => {
    expect(redactUrl('/api/v1/jobs/1/events?access_token=eyJ.a.b&x=1')).toBe(
      '/api/v1/jobs/1/events?access_token=[redacted]&x=1',
    );
    expect(redactUrl('/files/a.png?expires=9&sig=abc&signature=def')).toBe(
      '/files/a.png?expires=9&sig=[redacted]&signature=[redacted]',
    );
    expect(redactUrl('/verify?TOKEN=secret')).toBe('/verify?TOKEN=[redacted]');
    expect(redactUrl('/jobs?my_token=kept')).toBe('/jobs?my_token=kept');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
