import sharp from 'sharp';
import { z } from 'zod';

/**
 * Image operations the `local` provider applies for a style transfer. A style stores a list of
 * them as JSON, so they are validated with `parseStyleOperations` before use. Together they are
 * enough to suggest cartoon (posterize + saturation), painting (median + modulate), photo
 * (contrast + sharpen), vintage (sepia + blur) and similar looks without a model.
 */
export type StyleOperation =
  | { op: 'grayscale' }
  | { op: 'sepia' }
  | { op: 'negate' }
  | { op: 'tint'; color: string }
  | { op: 'modulate'; brightness?: number; saturation?: number; hue?: number; lightness?: number }
  | { op: 'contrast'; amount: number }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen'; sigma?: number }
  | { op: 'median'; size: number }
  | { op: 'posterize'; levels: number };

export class StyleOperationsError extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(`invalid style operations: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'StyleOperationsError';
  }
}

const MAX_OPERATIONS = 16;
const hexColor = z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a hex colour such as #a0522d');

const operationSchemas = [
  z.strictObject({ op: z.literal('grayscale') }),
  z.strictObject({ op: z.literal('sepia') }),
  z.strictObject({ op: z.literal('negate') }),
  z.strictObject({ op: z.literal('tint'), color: hexColor }),
  z
    .strictObject({
      op: z.literal('modulate'),
      brightness: z.number().min(0).max(10).optional(),
      saturation: z.number().min(0).max(10).optional(),
      hue: z.number().int().min(-360).max(360).optional(),
      lightness: z.number().min(-100).max(100).optional(),
    })
    .refine((o) => Object.keys(o).length > 1, 'modulate needs brightness, saturation, hue or lightness'),
  z.strictObject({ op: z.literal('contrast'), amount: z.number().min(0).max(4) }),
  // sharp's own limits: blur sigma 0.3..1000 (capped lower: larger only wastes time), sharpen 0.000001..10.
  z.strictObject({ op: z.literal('blur'), sigma: z.number().min(0.3).max(100) }),
  z.strictObject({ op: z.literal('sharpen'), sigma: z.number().min(0.01).max(10).optional() }),
  z.strictObject({ op: z.literal('median'), size: z.number().int().min(3).max(15) }),
  z.strictObject({ op: z.literal('posterize'), levels: z.number().int().min(2).max(64) }),
] as const;

const KNOWN_OPS = operationSchemas.map((s) => s.shape.op.value);
const operationsSchema = z.array(z.discriminatedUnion('op', operationSchemas)).max(MAX_OPERATIONS);

/** Validates a style's stored `operations` JSON; throws StyleOperationsError listing every problem. */
export function parseStyleOperations(json: unknown): StyleOperation[] {
  const result = operationsSchema.safeParse(json);
  if (result.success) return result.data;
  throw new StyleOperationsError(
    result.error.issues.map((issue) => {
      const field = ['operations', ...issue.path]
        .map((part, i) =>
          typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
        )
        .join('');
      if (issue.code === 'invalid_union' && issue.path.at(-1) === 'op') {
        const received = valueAt(json, issue.path);
        return {
          field,
          message: `unknown operation ${JSON.stringify(received) ?? 'undefined'}; expected one of ${KNOWN_OPS.join(', ')}`,
        };
      }
      return { field, message: issue.message };
    }),
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );
}

/** Raw, alpha-free sRGB pixels: the shape every operation takes and returns. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

// Rec. 601 luma, the weights most image editors use for "desaturate".
const LUMA: [number, number, number] = [0.299, 0.587, 0.114];
const SEPIA: sharp.Matrix3x3 = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];

/** Applies one operation. Each runs as its own sharp pipeline because sharp reorders chained calls. */
export async function applyStyleOperation(image: RgbImage, operation: StyleOperation): Promise<RgbImage> {
  if (operation.op === 'posterize') return posterize(image, operation.levels);
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  switch (operation.op) {
    case 'grayscale':
      pipeline.recomb([LUMA, LUMA, LUMA]);
      break;
    case 'sepia':
      pipeline.recomb(SEPIA);
      break;
    case 'negate':
      pipeline.negate({ alpha: false });
      break;
    case 'tint':
      pipeline.tint(operation.color);
      break;
    case 'modulate': {
      const { brightness, saturation, hue, lightness } = operation;
      pipeline.modulate(definedOnly({ brightness, saturation, hue, lightness }));
      break;
    }
    case 'contrast':
      // Stretch around mid-grey so the image does not get brighter or darker overall.
      pipeline.linear(operation.amount, 128 * (1 - operation.amount));
      break;
    case 'blur':
      pipeline.blur(operation.sigma);
      break;
    case 'sharpen':
      pipeline.sharpen(operation.sigma === undefined ? undefined : { sigma: operation.sigma });
      break;
    case 'median': {
      // libvips refuses a window larger than the image; tiny images simply get a smaller one.
      const size = Math.min(operation.size, oddAtMost(Math.min(image.width, image.height)));
      if (size < 3) return image;
      pipeline.median(size);
      break;
    }
  }
  const { data, info } = await pipeline.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function posterize(image: RgbImage, levels: number): RgbImage {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    table[v] = Math.round((Math.round((v / 255) * (levels - 1)) * 255) / (levels - 1));
  }
  const data = Buffer.allocUnsafe(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = table[image.data[i]];
  return { ...image, data };
}

function oddAtMost(n: number): number {
  return n % 2 === 1 ? n : n - 1;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
