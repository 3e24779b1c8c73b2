/*
 * Writes the seeded style examples into seeds/styles.json: for each style below, a scene the
 * `local` provider generates and the same scene after that style's own image operations, as small
 * WebP data URLs (they fit the 2048-character URL columns, and need no storage or outside host).
 * Deterministic: run again after changing a style's operations.
 *   npx ts-node --transpile-only scripts/render-style-examples.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  parseStyleOperations,
  renderGenerate,
  renderStyleTransfer,
} from '../libs/processing/src/providers/local/local-renderer';

const EXAMPLES: Record<string, string> = {
  anime: 'a lighthouse on a cliff at dusk',
  'comic-book': 'a city street after rain',
  'oil-painting': 'a harbour with sailing boats',
  watercolor: 'a meadow with a lone tree',
  'pixel-art': 'a castle on a hill',
  'vintage-photo': 'a seaside pier in summer',
};

const path = join(__dirname, '..', 'seeds', 'styles.json');

async function dataUrl(image: Buffer): Promise<string> {
  const webp = await sharp(image).webp({ quality: 50 }).toBuffer();
  return `data:image/webp;base64,${webp.toString('base64')}`;
}

async function main(): Promise<void> {
  const catalog = JSON.parse(readFileSync(path, 'utf8')) as {
    styles: Array<{ slug: string; imageOperations: unknown; examples?: unknown[] }>;
  };
  for (const style of catalog.styles) {
    const prompt = EXAMPLES[style.slug];
    if (!prompt) continue;
    const before = await renderGenerate({ prompt, seed: 7, width: 96, height: 72, outputFormat: 'png' });
    const operations = parseStyleOperations(style.imageOperations);
    const after = await renderStyleTransfer({ source: before, operations, outputFormat: 'png' });
    style.examples = [
      { caption: prompt, beforeImageUrl: await dataUrl(before), afterImageUrl: await dataUrl(after) },
    ];
  }
  writeFileSync(path, `${JSON.stringify(catalog, null, 2)}\n`);
}

void main();
