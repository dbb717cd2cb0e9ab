import { createHash } from 'node:crypto';
import type { Sharp } from 'sharp';
import { loadSharp, MAX_INPUT_PIXELS, readImageHeader } from '../image/sharp.js';
import { errorOf } from '../core/errors.js';
import { WriteError, writeOutputFile } from '../fs/write-error.js';

export type DeliveryFormat = 'png' | 'jpeg' | 'webp';

export interface DeliveryTarget {
  /** Absolute path to write. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: DeliveryFormat;
  /** 1-100; ignored for PNG. */
  readonly quality: number;
  /** Drawn over the cut image before it is encoded (text layers): raw pixels in, raw pixels out. */
  readonly draw?: (image: RawPixels) => Promise<RawPixels>;
  /**
   * The sha256 the file must have (build --frozen: the approved file's). Other bytes are not
   * written: the file on disk stays as it was, and the result says `refused`.
   */
  readonly expectSha256?: string;
}

/** A cut in memory: what a target would be, without a file. */
export type ImageTarget = Omit<DeliveryTarget, 'file' | 'expectSha256'>;

export interface DerivedImage {
  readonly width: number;
  readonly height: number;
  readonly format: DeliveryFormat;
  readonly data: Buffer;
  readonly sha256: string;
}

export interface RawPixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

export interface DerivedFile {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: DeliveryFormat;
  readonly bytes: number;
  readonly sha256: string;
  /** The bytes were not the expected ones: nothing was written. */
  readonly refused?: boolean;
}

/** A target whose file could not be written (full disk, I/O error, a folder in the way). */
export interface FailedFile {
  readonly file: string;
  readonly error: WriteError;
}

/** Moderate: level 9 takes several times as long for a few percent on photographic images. */
const PNG_COMPRESSION = 6;

/**
 * Crops and scales one generated image into every delivery size. The source is decoded once to raw
 * pixels; each target is cut from those, so a 2048x2048 JPEG is not decompressed once per size.
 * Targets are encoded one after another: the build already runs jobs side by side on two cores.
 * Throws PressroomError `E_IMAGE_DECODE` for bytes that are not an image, `E_IMAGE_TARGET` for a bad target,
 * WriteError (`E_DISK_FULL`, `E_IO`, `E_WRITE`) naming the file that could not be written.
 */
export function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[]): Promise<DerivedFile[]>;
/** With `writeErrors: 'per-target'`, a file that cannot be written is returned as such and the next target is still tried. */
export function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[], options: { writeErrors: 'per-target' }): Promise<(DerivedFile | FailedFile)[]>;
export async function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[], options?: { writeErrors: 'per-target' }): Promise<(DerivedFile | FailedFile)[]> {
  const derived: (DerivedFile | FailedFile)[] = [];
  await cutEach(source, targets, async (target, bytes) => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const refused = target.expectSha256 !== undefined && target.expectSha256 !== sha256;
    if (!refused) {
      try {
        await writeOutputFile(target.file, bytes);
      } catch (err) {
        if (!(options && err instanceof WriteError)) throw err;
        derived.push({ file: target.file, error: err });
        return;
      }
    }
    derived.push({ file: target.file, width: target.width, height: target.height, format: target.format, bytes: bytes.length, sha256, ...(refused ? { refused } : {}) });
  });
  return derived;
}

/** The same cuts as deriveDeliveries, kept in memory (approving a candidate, a diff): nothing is written. */
export async function deriveImages(source: Uint8Array, targets: readonly ImageTarget[]): Promise<DerivedImage[]> {
  const images: DerivedImage[] = [];
  await cutEach(source, targets, async (target, data) => {
    images.push({ width: target.width, height: target.height, format: target.format, data, sha256: createHash('sha256').update(data).digest('hex') });
  });
  return images;
}

async function cutEach<T extends ImageTarget>(source: Uint8Array, targets: readonly T[], each: (target: T, bytes: Buffer) => Promise<void>): Promise<void> {
  const sharp = await loadSharp();
  for (const target of targets) checkTarget(target);
  if (targets.length === 0) return;
  const decoded = await decode(source);
  for (const target of targets) {
    let pipeline = sharp(decoded.data, { raw: decoded.info }).resize(target.width, target.height, {
      fit: 'cover',
      // Centre rather than 'attention': a predictable crop, and the generation size already has the
      // delivery's aspect, so little is cut.
      position: 'centre',
    });
    const hasAlpha = decoded.info.channels === 4;
    if (target.draw) {
      // The typesetter draws into RGBA in place: cut with an alpha channel, dropped again below.
      const cut = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const drawn = await target.draw({ data: cut.data, width: cut.info.width, height: cut.info.height, channels: 4 });
      pipeline = sharp(drawn.data, { raw: { width: drawn.width, height: drawn.height, channels: drawn.channels } });
      // The typesetter works in RGBA; an opaque background stays an opaque file.
      if (!hasAlpha && drawn.channels === 4) pipeline = pipeline.removeAlpha();
    }
    await each(target, await encode(pipeline, target, hasAlpha).toBuffer());
  }
}

interface Decoded {
  readonly data: Buffer;
  readonly info: { readonly width: number; readonly height: number; readonly channels: 3 | 4 };
}

async function decode(source: Uint8Array): Promise<Decoded> {
  const sharp = await loadSharp();
  // What the header declares decides before a pixel is decoded: a small file can declare gigabytes.
  const header = await readImageHeader(source).catch(() => undefined);
  if (header?.width && header.height && header.width * header.height > MAX_INPUT_PIXELS) {
    throw errorOf('E_IMAGE_DECODE', { kind: 'too-many-pixels', width: header.width, height: header.height, limit: MAX_INPUT_PIXELS });
  }
  try {
    // Upright and in sRGB before any crop, so an EXIF-rotated or wide-gamut source crops as seen.
    const { data, info } = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels === 4 ? 4 : 3;
    if (info.channels !== channels) throw new Error(`unexpected ${info.channels}-channel image`);
    return { data, info: { width: info.width, height: info.height, channels } };
  } catch (err) {
    throw errorOf('E_IMAGE_DECODE', { kind: 'undecodable', said: (err as Error).message }, { cause: err });
  }
}

function encode(pipeline: Sharp, target: ImageTarget, hasAlpha: boolean): Sharp {
  // Metadata is dropped by default (no keepMetadata/withMetadata): no EXIF, no provider comments.
  switch (target.format) {
    case 'png':
      return pipeline.png({ compressionLevel: PNG_COMPRESSION, adaptiveFiltering: false });
    case 'jpeg':
      // JPEG has no alpha: a transparent source becomes white, as it would on a page.
      return (hasAlpha ? pipeline.flatten({ background: '#ffffff' }) : pipeline).jpeg({ quality: target.quality, mozjpeg: false });
    case 'webp':
      return pipeline.webp({ quality: target.quality, effort: 4 });
  }
}

function checkTarget(target: ImageTarget & { readonly file?: string }): void {
  const { width, height, quality, format } = target;
  const file = target.file ?? `a ${width}x${height} image`;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) throw errorOf('E_IMAGE_TARGET', { file, kind: 'size', width, height });
  if (!['png', 'jpeg', 'webp'].includes(format)) throw errorOf('E_IMAGE_TARGET', { file, kind: 'format', format });
  if (format !== 'png' && (!Number.isInteger(quality) || quality < 1 || quality > 100)) throw errorOf('E_IMAGE_TARGET', { file, kind: 'quality', quality });
}
