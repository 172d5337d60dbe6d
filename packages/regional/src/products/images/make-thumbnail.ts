import sharp from 'sharp';
import { THUMBNAIL_SIZE } from './image-files.ts';

/** More pixels than this is refused before decoding (a small file can declare a huge image). */
export const MAX_INPUT_PIXELS = 50_000_000;
const DECODABLE_FORMATS = new Set(['jpeg', 'png', 'webp']);

export type Thumbnail = { ok: true; webp: Buffer; width: number; height: number } | { ok: false };

/**
 * A WebP thumbnail that fits in THUMBNAIL_SIZE² (aspect kept, never enlarged, EXIF orientation
 * applied) and the original's size in pixels; `ok: false` when the bytes are not a JPEG, PNG or
 * WebP image sharp can decode whole, or it has more than MAX_INPUT_PIXELS.
 */
export async function makeThumbnail(original: Buffer): Promise<Thumbnail> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;
  try {
    const metadata = await sharp(original, options).metadata();
    if (!DECODABLE_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) return { ok: false };
    const webp = await sharp(original, options).rotate().resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    const oriented = (metadata.orientation ?? 1) >= 5;
    return { ok: true, webp, width: oriented ? metadata.height : metadata.width, height: oriented ? metadata.width : metadata.height };
  } catch {
    // sharp's errors are about the input (truncated, corrupt, too many pixels): the image is unusable, not Keel.
    return { ok: false };
  }
}
