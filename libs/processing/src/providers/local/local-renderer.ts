import sharp from 'sharp';
import { deriveScene, paintScene } from './local-scene';
import { applyStyleOperation, RgbImage, StyleOperation } from './style-operations';

export { parseStyleOperations, StyleOperationsError, type StyleOperation } from './style-operations';

/**
 * The built-in `local` provider's pictures: no model, no network. A prompt and seed are hashed
 * into a palette and a few shapes that are painted straight into a pixel buffer, so the same
 * inputs always give byte-identical files and different prompts give visibly different images.
 * Fast enough (a few tens of ms for 1024×1024 PNG) to stand in for a real provider in dev and tests.
 */
export type LocalOutputFormat = 'png' | 'jpeg' | 'webp';

export interface GenerateInput {
  prompt: string;
  negativePrompt?: string;
  seed: number;
  width: number;
  height: number;
  outputFormat: LocalOutputFormat;
}

export interface EditInput {
  source: Buffer;
  /** PNG of the same picture; transparent pixels mark the area to edit (OpenAI semantics). */
  mask?: Buffer;
  prompt: string;
  seed: number;
  outputFormat: LocalOutputFormat;
}

export interface StyleTransferInput {
  source: Buffer;
  operations: readonly StyleOperation[];
  outputFormat: LocalOutputFormat;
}

/** An input the renderer cannot work with (bad size, unreadable image, mask without alpha). */
export class LocalRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRenderError';
  }
}

export const LOCAL_MAX_SIDE = 4096;
const PREVIEW_LONG_SIDE = 256;
/** Without a mask the pattern is laid over the whole picture at this opacity (of 255). */
const TINT_OPACITY = 90;

export async function renderGenerate(input: GenerateInput): Promise<Buffer> {
  assertSize(input.width, input.height);
  const scene = deriveScene(input.prompt, input.negativePrompt ?? '', input.seed);
  return encodeRaw(
    paintScene(scene, input.width, input.height),
    input.width,
    input.height,
    3,
    input.outputFormat,
  );
}

/**
 * Progress previews of the picture renderGenerate would return: small (long side ≤ 256 px) and
 * blurred, each sharper than the one before, in the requested format.
 */
export async function renderPartials(input: GenerateInput, count = 2): Promise<Buffer[]> {
  assertSize(input.width, input.height);
  if (!Number.isInteger(count) || count < 0 || count > 3) {
    throw new LocalRenderError(`partial image count must be an integer from 0 to 3, got ${count}`);
  }
  const scale = Math.min(1, PREVIEW_LONG_SIDE / Math.max(input.width, input.height));
  const width = Math.max(1, Math.round(input.width * scale));
  const height = Math.max(1, Math.round(input.height * scale));
  const pixels = paintScene(deriveScene(input.prompt, input.negativePrompt ?? '', input.seed), width, height);
  const previews: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const sigma = (8 * (count - i)) / (count + 1);
    const blurred = sharp(pixels, { raw: { width, height, channels: 3 } }).blur(Math.max(0.3, sigma));
    previews.push(await encode(blurred, input.outputFormat));
  }
  return previews;
}

/** Paints a prompt-derived pattern where the mask is transparent; keeps the source size. */
export async function renderEdit(input: EditInput): Promise<Buffer> {
  const source = await decode(sharp(input.source), 'source image');
  const { width, height } = source;
  const keep = input.mask ? await decodeMaskAlpha(input.mask, width, height) : undefined;
  const pattern = paintScene(deriveScene(input.prompt, '', input.seed), width, height);
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    // keepAlpha = 255 leaves the source pixel exactly as it was (integer arithmetic, no drift).
    const keepAlpha = keep ? keep[p] : 255 - TINT_OPACITY;
    const paint = 255 - keepAlpha;
    const s = p * 4;
    const t = p * 3;
    out[s] = (source.rgba[s] * keepAlpha + pattern[t] * paint + 127) / 255;
    out[s + 1] = (source.rgba[s + 1] * keepAlpha + pattern[t + 1] * paint + 127) / 255;
    out[s + 2] = (source.rgba[s + 2] * keepAlpha + pattern[t + 2] * paint + 127) / 255;
    // Painted pixels are opaque, even where the source was transparent.
    out[s + 3] = keep ? (source.rgba[s + 3] * keepAlpha + 255 * paint + 127) / 255 : source.rgba[s + 3];
  }
  const image = sharp(out, { raw: { width, height, channels: 4 } });
  return encode(source.hasAlpha ? image : image.removeAlpha(), input.outputFormat);
}

/** Applies the operations in the given order and keeps the source's size and transparency. */
export async function renderStyleTransfer(input: StyleTransferInput): Promise<Buffer> {
  const source = await decode(sharp(input.source), 'source image');
  const { width, height } = source;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  const alpha = Buffer.allocUnsafe(width * height);
  for (let p = 0; p < width * height; p++) {
    rgb[p * 3] = source.rgba[p * 4];
    rgb[p * 3 + 1] = source.rgba[p * 4 + 1];
    rgb[p * 3 + 2] = source.rgba[p * 4 + 2];
    alpha[p] = source.rgba[p * 4 + 3];
  }
  let image: RgbImage = { data: rgb, width, height };
  for (const operation of input.operations) image = await applyStyleOperation(image, operation);
  const result = sharp(image.data, { raw: { width, height, channels: 3 } });
  if (source.hasAlpha) result.joinChannel(alpha, { raw: { width, height, channels: 1 } });
  return encode(result, input.outputFormat);
}

function assertSize(width: number, height: number): void {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > LOCAL_MAX_SIDE) {
      throw new LocalRenderError(`${name} must be an integer from 1 to ${LOCAL_MAX_SIDE}, got ${value}`);
    }
  }
}

interface DecodedImage {
  rgba: Buffer;
  width: number;
  height: number;
  hasAlpha: boolean;
}

/** Decodes to upright 8-bit RGBA; an unreadable buffer becomes a LocalRenderError. */
async function decode(image: sharp.Sharp, what: string): Promise<DecodedImage> {
  try {
    const { hasAlpha } = await image.metadata();
    const { data, info } = await image
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { rgba: data, width: info.width, height: info.height, hasAlpha: Boolean(hasAlpha) };
  } catch (err) {
    throw new LocalRenderError(`${what} is not a readable image: ${(err as Error).message}`);
  }
}

/** The mask's alpha channel at the source's size: 0 = paint here, 255 = keep the source. */
async function decodeMaskAlpha(mask: Buffer, width: number, height: number): Promise<Buffer> {
  const decoded = await decode(sharp(mask), 'mask');
  if (!decoded.hasAlpha) {
    throw new LocalRenderError(
      'mask must be a PNG with an alpha channel (transparent pixels mark the area to edit)',
    );
  }
  const alpha = Buffer.allocUnsafe(decoded.width * decoded.height);
  for (let p = 0; p < alpha.length; p++) alpha[p] = decoded.rgba[p * 4 + 3];
  if (decoded.width === width && decoded.height === height) return alpha;
  return sharp(alpha, { raw: { width: decoded.width, height: decoded.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'nearest' })
    .raw()
    .toBuffer();
}

function encodeRaw(
  pixels: Buffer,
  width: number,
  height: number,
  channels: 3 | 4,
  format: LocalOutputFormat,
) {
  return encode(sharp(pixels, { raw: { width, height, channels } }), format);
}

function encode(image: sharp.Sharp, format: LocalOutputFormat): Promise<Buffer> {
  switch (format) {
    case 'png':
      // Unfiltered level-6 deflate: about half the time of adaptive filtering on these flat images.
      return image.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
    case 'jpeg':
      return image.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    default:
      throw new LocalRenderError(`unsupported output format ${JSON.stringify(format)}`);
  }
}
