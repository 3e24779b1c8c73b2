import { createHash } from 'node:crypto';

/**
 * The pictures of the `local` provider, as pixels: a prompt, negative prompt and seed are hashed
 * into a palette, a gradient and a few shapes (a "scene"), painted straight into an RGB buffer.
 * Plain loops over bytes: no SVG rasteriser or fonts are involved, so the pixels depend on this
 * code alone and painting 1024×1024 takes about 15 ms (PNG encoding about as long again).
 */
type Rgb = [number, number, number];
interface Shape {
  kind: 'circle' | 'rect';
  /** Centre and half-extent in fractions of the picture, so a scene looks alike at any size. */
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  color: Rgb;
  /** 0..256, used as a fixed-point blend weight. */
  opacity: number;
}
export interface Scene {
  from: Rgb;
  to: Rgb;
  angle: number;
  shapes: Shape[];
}

const HUE_SCHEMES = [
  [0, 30, 60, -30, 15],
  [0, 180, 30, 210, 0],
  [0, 120, 240, 60, 180],
  [0, 150, 210, 0, 30],
];

export function deriveScene(prompt: string, negativePrompt: string, seed: number): Scene {
  const digest = createHash('sha256')
    .update(JSON.stringify([prompt, negativePrompt, seed]))
    .digest();
  const random = sfc32(
    digest.readUInt32LE(0),
    digest.readUInt32LE(4),
    digest.readUInt32LE(8),
    digest.readUInt32LE(12),
  );
  const baseHue = random() * 360;
  const scheme = HUE_SCHEMES[Math.floor(random() * HUE_SCHEMES.length)];
  const palette = scheme.map((offset) => hsl(baseHue + offset, 0.45 + random() * 0.45, 0.3 + random() * 0.4));
  const shapes: Shape[] = [];
  const shapeCount = 4 + Math.floor(random() * 4);
  for (let i = 0; i < shapeCount; i++) {
    const kind = random() < 0.6 ? 'circle' : 'rect';
    const size = 0.06 + random() * 0.22;
    shapes.push({
      kind,
      cx: random(),
      cy: random(),
      rx: size,
      ry: kind === 'circle' ? size : 0.04 + random() * 0.3,
      color: palette[1 + Math.floor(random() * (palette.length - 1))],
      opacity: Math.round(140 + random() * 100),
    });
  }
  return {
    from: palette[0],
    to: hsl(baseHue + 180, 0.3, 0.15 + random() * 0.2),
    angle: random() * 2 * Math.PI,
    shapes,
  };
}

/** Renders a scene into packed RGB bytes: a linear gradient, then the shapes blended over it. */
export function paintScene(scene: Scene, width: number, height: number): Buffer {
  const pixels = Buffer.allocUnsafe(width * height * 3);
  const ramp = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    for (let c = 0; c < 3; c++) ramp[i * 3 + c] = scene.from[c] + ((scene.to[c] - scene.from[c]) * i) / 255;
  }
  const dx = Math.cos(scene.angle);
  const dy = Math.sin(scene.angle);
  const span = Math.abs(dx) + Math.abs(dy);
  const stepX = (dx / span / width) * 255;
  for (let y = 0, o = 0; y < height; y++) {
    let t = (0.5 + (-0.5 * dx + (y / height - 0.5) * dy) / span) * 255;
    for (let x = 0; x < width; x++, o += 3, t += stepX) {
      const r = (t < 0 ? 0 : t > 255 ? 255 : t | 0) * 3;
      pixels[o] = ramp[r];
      pixels[o + 1] = ramp[r + 1];
      pixels[o + 2] = ramp[r + 2];
    }
  }
  const minSide = Math.min(width, height);
  for (const shape of scene.shapes) {
    const cx = shape.cx * width;
    const cy = shape.cy * height;
    const rx = shape.rx * (shape.kind === 'circle' ? minSide : width);
    const ry = shape.ry * (shape.kind === 'circle' ? minSide : height);
    const [cr, cg, cb] = shape.color;
    const a = shape.opacity;
    const y0 = Math.max(0, Math.ceil(cy - ry));
    const y1 = Math.min(height - 1, Math.floor(cy + ry));
    for (let y = y0; y <= y1; y++) {
      const half = shape.kind === 'circle' ? Math.sqrt(Math.max(0, ry * ry - (y - cy) * (y - cy))) : rx;
      const x0 = Math.max(0, Math.ceil(cx - half));
      const x1 = Math.min(width - 1, Math.floor(cx + half));
      for (let x = x0, o = (y * width + x0) * 3; x <= x1; x++, o += 3) {
        pixels[o] = (pixels[o] * (256 - a) + cr * a) >> 8;
        pixels[o + 1] = (pixels[o + 1] * (256 - a) + cg * a) >> 8;
        pixels[o + 2] = (pixels[o + 2] * (256 - a) + cb * a) >> 8;
      }
    }
  }
  return pixels;
}

/** Small, fast, well-distributed PRNG (PractRand-tested sfc32); seeded from the prompt hash. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function hsl(hueDegrees: number, saturation: number, lightness: number): Rgb {
  const h = (((hueDegrees % 360) + 360) % 360) / 60;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs((h % 2) - 1));
  const m = lightness - chroma / 2;
  const [r, g, b] =
    h < 1
      ? [chroma, x, 0]
      : h < 2
        ? [x, chroma, 0]
        : h < 3
          ? [0, chroma, x]
          : h < 4
            ? [0, x, chroma]
            : h < 5
              ? [x, 0, chroma]
              : [chroma, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
