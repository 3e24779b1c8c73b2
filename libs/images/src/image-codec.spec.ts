import sharp from 'sharp';
import { decodeUntrustedImage, sniffFormat } from './image-codec';

const solid = (format: 'png' | 'jpeg' | 'webp' | 'gif', width = 8, height = 6) =>
  sharp({ create: { width, height, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .toFormat(format)
    .toBuffer();

describe('sniffFormat', () => {
  it.each(['png', 'jpeg', 'webp', 'gif'] as const)('recognises %s from its bytes', async (format) => {
    expect(sniffFormat(await solid(format))).toBe(format);
  });

  it.each([
    ['text', Buffer.from('hello, I am a .png')],
    ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['tiff', Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0])],
    ['empty', Buffer.alloc(0)],
  ])('rejects %s', (_name, bytes) => {
    expect(sniffFormat(bytes)).toBeNull();
  });
});

describe('decodeUntrustedImage', () => {
  it('re-encodes in the same format and reports size and checksum', async () => {
    const decoded = await decodeUntrustedImage(await solid('webp', 30, 20), 1_000_000);
    expect(decoded).toMatchObject({ format: 'webp', mime: 'image/webp', width: 30, height: 20 });
    expect(decoded.bytes).toBe(decoded.buffer.length);
    expect(decoded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['unsupported_media_type', 415, Buffer.from('GIF? no')],
    ['image_too_large', 413, null],
    ['corrupt_image', 400, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])],
  ])('fails with %s (%i)', async (code, status, bytes) => {
    const input = bytes ?? (await solid('png', 100, 100));
    await expect(decodeUntrustedImage(input, 5_000)).rejects.toMatchObject({ code, status });
  });
});
