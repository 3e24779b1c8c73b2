import { parseStyleOperations } from '../libs/processing/src/providers/local/style-operations';
import {
  STYLE_BACKGROUNDS,
  STYLE_OUTPUT_FORMATS,
  STYLE_QUALITIES,
  STYLE_SIZES,
} from '../libs/styles/src/entities/style.entity';
import { templateProblem } from '../libs/styles/src/style-template';
import { STYLE_CATALOG } from '../seeds/styles.seed';

// The starter catalogue is JSON, so the compiler cannot check it: this spec does.
describe('seeds/styles.json', () => {
  const { categories, styles } = STYLE_CATALOG;

  it('has at least 5 categories and 20 styles with unique slugs', () => {
    expect(categories.length).toBeGreaterThanOrEqual(5);
    expect(styles.length).toBeGreaterThanOrEqual(20);
    expect(new Set(categories.map((c) => c.slug)).size).toBe(categories.length);
    expect(new Set(styles.map((s) => s.slug)).size).toBe(styles.length);
    for (const name of ['anime', 'cartoon', 'painting', 'photography', '3d']) {
      expect(categories.map((c) => c.slug)).toContain(name);
    }
  });

  it.each(styles.map((s) => [s.slug, s] as const))('%s is a valid style', (_slug, style) => {
    expect(categories.map((c) => c.slug)).toContain(style.category);
    expect(templateProblem(style.promptTemplate)).toBeUndefined();
    expect(STYLE_QUALITIES).toContain(style.defaultQuality);
    expect(STYLE_BACKGROUNDS).toContain(style.defaultBackground);
    expect(STYLE_OUTPUT_FORMATS).toContain(style.defaultOutputFormat);
    expect(STYLE_SIZES).toContain(style.defaultSize);
    if (style.defaultBackground === 'transparent') expect(style.supportsTransparency).toBe(true);
    expect(style.imageOperations.length).toBeGreaterThan(0);
    expect(() => parseStyleOperations(style.imageOperations)).not.toThrow();
  });

  it('seeds a few examples whose URLs fit the 2048-character columns', () => {
    const examples = styles.flatMap((style) => style.examples ?? []);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      for (const url of [example.beforeImageUrl, example.afterImageUrl]) {
        expect(url).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/=]+$/);
        expect(url!.length).toBeLessThanOrEqual(2048);
      }
      expect((example.caption ?? '').length).toBeLessThanOrEqual(300);
    }
  });
});
