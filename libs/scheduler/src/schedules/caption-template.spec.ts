import { checkCaption, xWeightedLength } from '../posts/caption-limits';
import { fitCaption, renderCaptionTemplate } from './caption-template';

describe('renderCaptionTemplate', () => {
  const date = new Date('2026-03-29T22:30:00Z');

  it.each([
    ['{title} — {prompt}', { title: 'Dawn', prompt: 'a red fox' }, 'Dawn — a red fox'],
    ['Posted {date}', {}, 'Posted 2026-03-30'],
    ['{title} {prompt}', { title: null, prompt: 'only prompt' }, 'only prompt'],
    ['{unknown} stays', { title: 'x' }, '{unknown} stays'],
    ['{title}{title}', { title: 'a' }, 'aa'],
  ])('%s', (template, values, expected) => {
    expect(renderCaptionTemplate(template, { ...values, date, timeZone: 'Europe/Paris' })).toBe(expected);
  });

  it('formats {date} in the schedule time zone', () => {
    expect(renderCaptionTemplate('{date}', { date, timeZone: 'America/New_York' })).toBe('2026-03-29');
  });
});

describe('fitCaption', () => {
  it('keeps a caption that already fits', () => {
    expect(fitCaption('x', 'short', ['art'])).toBe('short');
  });

  it('shortens a long caption with an ellipsis so that caption and hashtags fit', () => {
    const caption = 'word '.repeat(100);
    const fitted = fitCaption('x', caption, ['art', 'ai'])!;
    expect(fitted.endsWith('…')).toBe(true);
    expect(checkCaption('x', fitted, ['art', 'ai'])).toEqual([]);
    // As long as possible: one more character would not fit.
    expect(xWeightedLength(`${fitted}\n\n#art #ai`)).toBeGreaterThan(270);
  });

  it('counts wide characters the way the platform does', () => {
    const fitted = fitCaption('x', '漢'.repeat(300), [])!;
    expect(checkCaption('x', fitted, [])).toEqual([]);
    expect([...fitted].length).toBeLessThanOrEqual(140);
  });

  it('returns null when the hashtags alone exceed the limit', () => {
    const tags = Array.from({ length: 31 }, (_, i) => `tag${String.fromCharCode(97 + (i % 26))}${i}`);
    expect(fitCaption('instagram', 'hello', tags)).toBeNull();
  });
});
