import sharp from 'sharp';

export type FakeImageFormat = 'png' | 'jpeg' | 'webp';

const cache = new Map<string, Promise<Buffer>>();

/**
 * A real, decodable image of the given size: flat colour, cached, so fakes answer with bytes the
 * app's sharp pipeline can read (thumbnails, dimensions) without slowing tests down.
 */
export function fakeImage(
  width: number,
  height: number,
  format: FakeImageFormat = 'png',
  color: { r: number; g: number; b: number } = { r: 200, g: 120, b: 40 },
): Promise<Buffer> {
  const key = `${width}x${height}.${format}.${color.r},${color.g},${color.b}`;
  let image = cache.get(key);
  if (!image) {
    image = sharp({ create: { width, height, channels: 3, background: color } })
      .toFormat(format)
      .toBuffer();
    cache.set(key, image);
    image.catch(() => cache.delete(key)); // never cache a failure
  }
  return image;
}

export const contentTypeOf: Record<FakeImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};
