// Images as Parley stores them: decoded and encoded again by sharp, so that what is served is pixels Parley
// wrote, with no metadata, no trailing payload and no polyglot left of the upload (decision 013).
import sharp, { type Sharp } from 'sharp';
import { ParleyError } from '../../../protocol/errors.ts';

// Only the four decoders of the allowed types can run, whatever bytes reach sharp: SVG, PDF, HEIF, TIFF,
// ImageMagick and the other loaders libvips ships are never reachable from an upload.
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({
  operation: ['VipsForeignLoadPng', 'VipsForeignLoadJpeg', 'VipsForeignLoadNsgif', 'VipsForeignLoadWebp'],
});

/** Decompression bombs stop here: 40 megapixels is a large photo, and about 160 MB decoded. */
const MAX_INPUT_PIXELS = 40_000_000;
const THUMBNAIL_SIZE = 320;

export interface EncodedImage {
  bytes: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
}

type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

function encode(image: Sharp, contentType: ImageType): Sharp {
  switch (contentType) {
    case 'image/png':
      return image.png();
    case 'image/jpeg':
      return image.jpeg({ quality: 90, mozjpeg: true });
    case 'image/gif':
      return image.gif();
    case 'image/webp':
      return image.webp({ quality: 90 });
  }
}

function unreadable(): ParleyError {
  return new ParleyError('attachment_type_not_allowed', 'the image cannot be read');
}

/**
 * The image in its own format, upright (EXIF orientation applied, then every metadata dropped), animation
 * kept for GIF and WebP; and a WebP thumbnail of its first frame. An image that does not decode is refused.
 */
export async function reencodeImage(bytes: Buffer, contentType: ImageType): Promise<EncodedImage> {
  const animated = contentType === 'image/gif' || contentType === 'image/webp';
  const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated });
  try {
    const { data, info } = await encode(input().autoOrient(), contentType).toBuffer({
      resolveWithObject: true,
    });
    const thumbnail = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { bytes: data, width: info.width, height: info.pageHeight ?? info.height, thumbnail };
  } catch {
    // What fails here is the upload's bytes: a truncated or forged image, one over the pixel limit, or a
    // format whose decoder is blocked. The uploader hears so; nothing is stored.
    throw unreadable();
  }
}

export const isImageType = (contentType: string): contentType is ImageType =>
  ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(contentType);
