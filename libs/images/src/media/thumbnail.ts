import sharp from 'sharp';

const THUMBNAIL_SIZE = 512;

/** The 512 px WebP thumbnail of an image (never enlarged), as lists and `?variant=thumbnail` serve it. */
export function renderThumbnail(original: Buffer): Promise<Buffer> {
  return sharp(original)
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}
