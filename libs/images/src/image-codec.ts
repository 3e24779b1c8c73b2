import { HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { ProblemException } from '@atelier/core';
import { ImageErrorCode } from './images.errors';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

export const MIME_BY_FORMAT: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};
export const EXTENSION_BY_FORMAT: Record<ImageFormat, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  gif: 'gif',
};

export interface DecodedImage {
  buffer: Buffer;
  format: ImageFormat;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

/**
 * The format from the first bytes, whatever the file name or declared type says. Only these
 * four reach the decoder, so sharp's other loaders (SVG, TIFF, HEIF…) are never exposed.
 */
export function sniffFormat(bytes: Buffer): ImageFormat | null {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * Validates and re-encodes an untrusted image: sniffed type (415), pixel cap checked on the
 * header before decoding and enforced by libvips while decoding (decompression bombs), full
 * decode (corrupt → 400), orientation applied and all metadata (EXIF, GPS) dropped by
 * re-encoding in the same format.
 */
export async function decodeUntrustedImage(input: Buffer, maxPixels: number): Promise<DecodedImage> {
  const format = sniffFormat(input);
  if (!format) {
    throw new ProblemException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ImageErrorCode.UnsupportedMediaType,
      'Only PNG, JPEG, WebP and GIF images are accepted.',
    );
  }
  const animated = format === 'gif' || format === 'webp';
  const open = () => sharp(input, { limitInputPixels: maxPixels, animated, failOn: 'error' });
  const header = await open()
    .metadata()
    .catch((error: Error) => {
      throw decodeFailure(error, maxPixels);
    });
  const pixels = (header.width ?? 0) * (header.pageHeight ?? header.height ?? 0) * (header.pages ?? 1);
  if (!header.width || !header.height) throw corrupt();
  if (pixels > maxPixels) throw tooLarge(maxPixels);

  let pipeline = open();
  // Animated images keep their frames; stills get EXIF orientation applied before it is dropped.
  if ((header.pages ?? 1) === 1) pipeline = pipeline.rotate();
  const encoded = await pipeline
    .toFormat(format)
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => {
      throw decodeFailure(error, maxPixels);
    });
  return {
    buffer: encoded.data,
    format,
    mime: MIME_BY_FORMAT[format],
    width: encoded.info.width,
    height: encoded.info.pageHeight ?? encoded.info.height,
    bytes: encoded.data.length,
    sha256: createHash('sha256').update(encoded.data).digest('hex'),
  };
}

function decodeFailure(error: Error, maxPixels: number): ProblemException {
  return /pixel limit/i.test(error.message) ? tooLarge(maxPixels) : corrupt();
}

function corrupt(): ProblemException {
  return ProblemException.badRequest(ImageErrorCode.CorruptImage, 'The file is not a readable image.');
}

function tooLarge(maxPixels: number): ProblemException {
  return new ProblemException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    ImageErrorCode.ImageTooLarge,
    `The image has more than ${maxPixels} pixels.`,
    { extensions: { maxPixels } },
  );
}
