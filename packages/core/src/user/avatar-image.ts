/**
 * The image work on an uploaded avatar, pure (bytes in, bytes out) with sharp (libvips, prebuilt binaries
 * from npm). Imported only by the processor, never by the API, so the API bundle carries no native code.
 */
import sharp from "sharp";

export const AVATAR_SIZE = 256;

/** Refuse to decode anything larger than this many pixels: a small file can claim a huge canvas. */
export const MAX_INPUT_PIXELS = 40_000_000;

export type AvatarImageType = "image/png" | "image/jpeg" | "image/webp";

const formats: Record<string, AvatarImageType> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };

/** Runs one image at a time per process: a Lambda instance handles one event at a time anyway. */
sharp.concurrency(1);

/**
 * What the bytes are, by their signature (libvips' loaders read the magic bytes, not the name or the
 * declared type), or null when they are no PNG, JPEG or WebP.
 */
export async function detectImageType(bytes: Buffer): Promise<AvatarImageType | null> {
  try {
    const { format } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    return formats[format ?? ""] ?? null;
  } catch {
    return null;
  }
}

export class NotAnImage extends Error {
  override readonly name = "NotAnImage";
}

/**
 * A 256×256 WebP cover crop of the image: EXIF orientation applied, then every piece of metadata (EXIF,
 * GPS, ICC, XMP) dropped, which is sharp's default. Images over MAX_INPUT_PIXELS and bytes that do not
 * decode fully are NotAnImage.
 */
export async function toAvatarWebp(bytes: Buffer): Promise<Buffer> {
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", sequentialRead: true })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch (error) {
    throw new NotAnImage((error as Error).message, { cause: error });
  }
}
