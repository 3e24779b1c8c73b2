import { jobHandlerProblems } from './job-handlers.check';

describe('jobHandlerProblems', () => {
  it('accepts processors that match the declared job names', () => {
    expect(
      jobHandlerProblems(
        { media: ['thumbnail', 'purge-objects'], mail: ['send'] },
        { media: ['purge-objects', 'thumbnail'], mail: ['send'], generation: [] },
      ),
    ).toEqual([]);
  });

  it('names a declared job without a processor', () => {
    expect(jobHandlerProblems({ generation: ['run'] }, {})).toEqual(['generation: no processor for "run"']);
  });

  it('names a processor for a job nobody declared (a typo, or a module loaded twice)', () => {
    expect(jobHandlerProblems({ mail: ['send'] }, { mail: ['send', 'sned'] })).toEqual([
      'mail: processor for undeclared "sned"',
    ]);
  });

  it('reports every problem at once, queue by queue', () => {
    expect(
      jobHandlerProblems({ media: ['thumbnail'], moderation: ['moderate'] }, { analytics: ['sync'] }),
    ).toEqual([
      'media: no processor for "thumbnail"',
      'moderation: no processor for "moderate"',
      'analytics: processor for undeclared "sync"',
    ]);
  });
});
