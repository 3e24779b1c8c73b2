import {
  CAPTION_LIMITS,
  CaptionPlatform,
  captionLength,
  checkCaption,
  composeCaption,
  InvalidHashtagError,
  normalizeHashtags,
  xWeightedLength,
} from './caption-limits';

const tags = (n: number, prefix = 'tag') => Array.from({ length: n }, (_, i) => `${prefix}${i}x`);

describe('normalizeHashtags', () => {
  it.each<[string[], string[]]>([
    [
      ['#Sunset', 'sunset', ' ##SUNSET ', 'beach'],
      ['Sunset', 'beach'],
    ],
    [
      ['café', 'über_alles', '東京', 'मुंबई', '_private'],
      ['café', 'über_alles', '東京', 'मुंबई', '_private'],
    ],
    [
      ['2024art', 'art2024'],
      ['2024art', 'art2024'],
    ],
    [['Cafe\u0301', 'café'], ['Café']], // decomposed and composed é are one tag; first spelling kept
    [[], []],
  ])('%j → %j', (input, expected) => {
    expect(normalizeHashtags(input)).toEqual({ tags: expected, errors: [] });
  });

  it.each<[string[], string, RegExp]>([
    [['hello world'], 'hashtags.0', /only letters, digits and underscores/],
    [['ok', 'foo-bar'], 'hashtags.1', /only letters/],
    [['a', 'b', 'c.d'], 'hashtags.2', /only letters/],
    [['emoji😀'], 'hashtags.0', /only letters/],
    [['#'], 'hashtags.0', /must not be empty/],
    [['   '], 'hashtags.0', /must not be empty/],
    [['2024'], 'hashtags.0', /must contain a letter/],
    [['a'.repeat(101)], 'hashtags.0', /at most 100/],
  ])('%j is refused at %s', (input, field, message) => {
    const { errors } = normalizeHashtags(input);
    expect(errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  });
});

describe('composeCaption', () => {
  it.each<[string, string[], string]>([
    ['Hello', ['a', '#b'], 'Hello\n\n#a #b'],
    ['  Hello  ', [], 'Hello'],
    ['', ['a'], '#a'],
    ['Love #Sunset time', ['sunset', 'beach'], 'Love #Sunset time\n\n#beach'],
    ['Recipe: https://example.com/#sunset', ['sunset'], 'Recipe: https://example.com/#sunset\n\n#sunset'],
    ['#a', ['A', 'a'], '#a'],
  ])('(%j, %j) → %j', (caption, hashtags, expected) => {
    expect(composeCaption(caption, hashtags)).toBe(expected);
  });

  it('throws InvalidHashtagError naming the bad tag', () => {
    expect(() => composeCaption('Hi', ['fine', 'not fine'])).toThrow(InvalidHashtagError);
    try {
      composeCaption('Hi', ['fine', 'not fine']);
    } catch (error) {
      expect((error as InvalidHashtagError).errors.map((e) => e.field)).toEqual(['hashtags.1']);
    }
  });
});

describe('xWeightedLength (X counting)', () => {
  it.each<[string, string, number]>([
    ['ASCII', 'hello', 5],
    ['280 ASCII', 'a'.repeat(280), 280],
    ['CJK counts 2', '日本語', 6],
    ['Hangul counts 2', '안녕', 4],
    ['Cyrillic counts 1', 'Привет', 6],
    ['Arabic counts 1', 'مرحبا', 5],
    ['decomposed é is NFC-normalised to one', 'e\u0301', 1],
    ['em dash counts 1', '—', 1],
    ['ellipsis counts 2', '…', 2],
    ['euro sign counts 2', '€', 2],
    ['emoji counts 2', '😀', 2],
    ['ZWJ family counts 2', '👨‍👩‍👧‍👦', 2],
    ['skin tone modifier counts 2', '👍🏽', 2],
    ['flag counts 2', '🇫🇷', 2],
    ['heart with VS16 counts 2', '❤️', 2],
    ['keycap counts 2', '1️⃣', 2],
    ['URL counts 23', 'https://example.com/a/very/long/path?with=query&and=more', 23],
    ['text + URL', 'Check https://example.com/x', 6 + 23],
    ['trailing period is text', 'see https://example.com.', 4 + 23 + 1],
    ['www URL counts 23', 'www.example.com/some/page', 23],
    ['two URLs', 'http://a.co http://b.co', 23 + 1 + 23],
  ])('%s', (_name, text, expected) => {
    expect(xWeightedLength(text)).toBe(expected);
  });
});

describe('captionLength', () => {
  it.each<[CaptionPlatform, string, number]>([
    ['instagram', '😀', 1], // counted in characters (code points), not UTF-16 units
    ['linkedin', '日本語', 3],
    ['mastodon', `https://example.com/${'x'.repeat(100)} hi`, 23 + 3],
    ['webhook', 'https://example.com/long', 24],
    ['x', '日本語', 6],
  ])('%s counts %j as %d', (platform, text, expected) => {
    expect(captionLength(platform, text)).toBe(expected);
  });
});

describe('checkCaption', () => {
  const fits: Array<[string, CaptionPlatform, string, string[]]> = [
    ['instagram at 2,200', 'instagram', 'a'.repeat(2_200), []],
    ['instagram with 30 hashtags', 'instagram', 'Hi', tags(30)],
    ['instagram with duplicate tags counted once', 'instagram', '#tag0x hi', [...tags(30), 'TAG0X']],
    ['facebook at 63,206', 'facebook', 'a'.repeat(63_206), []],
    ['x at 280', 'x', 'a'.repeat(280), []],
    ['x with 140 CJK', 'x', '日'.repeat(140), []],
    ['x with a long URL', 'x', `${'a'.repeat(256)} https://example.com/${'p'.repeat(200)}`, []],
    ['mastodon at 500', 'mastodon', 'a'.repeat(500), []],
    ['mastodon with a URL', 'mastodon', `https://example.com/ ${'a'.repeat(476)}`, []],
    ['linkedin at 3,000', 'linkedin', 'a'.repeat(3_000), []],
    ['webhook at 10,000', 'webhook', 'a'.repeat(10_000), []],
    ['empty caption', 'x', '', []],
  ];

  it.each(fits)('accepts %s', (_name, platform, caption, hashtags) => {
    expect(checkCaption(platform, caption, hashtags)).toEqual([]);
  });

  const tooLong: Array<[string, CaptionPlatform, string, string[]]> = [
    ['instagram at 2,201', 'instagram', 'a'.repeat(2_201), []],
    ['instagram pushed over by hashtags', 'instagram', 'a'.repeat(2_190), ['sunsetbeach']],
    ['facebook at 63,207', 'facebook', 'a'.repeat(63_207), []],
    ['x at 281', 'x', 'a'.repeat(281), []],
    ['x with 141 CJK', 'x', '日'.repeat(141), []],
    ['x with 139 emoji + 3 letters', 'x', `${'😀'.repeat(139)}abc`, []],
    ['x with hashtags (273 + 2 + 7)', 'x', 'a'.repeat(273), ['sunset']],
    ['mastodon at 501', 'mastodon', 'a'.repeat(501), []],
    ['linkedin at 3,001', 'linkedin', 'a'.repeat(3_001), []],
    ['webhook at 10,001', 'webhook', 'a'.repeat(10_001), []],
  ];

  it.each(tooLong)('refuses %s with a caption error', (_name, platform, caption, hashtags) => {
    const errors = checkCaption(platform, caption, hashtags);
    expect(errors).toEqual([
      {
        field: 'caption',
        message: expect.stringContaining(`allows at most ${CAPTION_LIMITS[platform].maxLength}`),
      },
    ]);
  });

  it('refuses 31 hashtags on instagram, counting tags written in the caption', () => {
    expect(checkCaption('instagram', 'Hi', tags(31))).toEqual([
      { field: 'hashtags', message: '31 hashtags; instagram allows at most 30' },
    ]);
    const inline = tags(25, 'inline')
      .map((t) => `#${t}`)
      .join(' ');
    expect(checkCaption('instagram', inline, tags(6))).toEqual([
      { field: 'hashtags', message: '31 hashtags; instagram allows at most 30' },
    ]);
    expect(checkCaption('facebook', 'Hi', tags(31))).toEqual([]);
  });

  it('reports invalid hashtags before measuring', () => {
    expect(checkCaption('x', 'a'.repeat(500), ['ok', 'no way'])).toEqual([
      { field: 'hashtags.1', message: expect.stringContaining('only letters') },
    ]);
  });

  it('reports both length and hashtag count when both are over', () => {
    const errors = checkCaption('instagram', 'a'.repeat(2_200), tags(31));
    expect(errors.map((e) => e.field)).toEqual(['caption', 'hashtags']);
  });
});
