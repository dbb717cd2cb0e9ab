import { createHash } from 'node:crypto';
import type { Sharp } from 'sharp';
import type { OutputFormat } from '../core/campaign.js';
import type { CutSettings, RawPixels } from '../compose/index.js';
import { loadSharp, MAX_INPUT_PIXELS, readImageHeader } from '../image/sharp.js';
import { errorOf, PressroomError } from '../core/errors.js';
import { WriteError, writeOutputFile } from '../fs/write-error.js';
import { keepCut, keptCut, sourceKey, type KeptCut } from './cut-memo.js';
import { encodeWithin } from './encode.js';

export type DeliveryFormat = OutputFormat;
export type { RawPixels };

export interface DeliveryTarget extends CutSettings {
  /** Absolute path to write. */
  readonly file: string;
  /** Shown in messages (`out/<campaign>/<file>`); default the file or the size. */
  readonly shown?: string;
  /** Drawn over the cut image before it is encoded (layers): raw pixels in, raw pixels out. */
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

/** A target whose file could not be written (full disk, I/O error, a folder in the way), or not within its byte cap. */
export interface FailedFile {
  readonly file: string;
  readonly error: WriteError | PressroomError;
}

/**
 * Crops and scales one generated image into every delivery size. The source is decoded once to raw
 * pixels; each target is cut from those, so a 2048x2048 JPEG is not decompressed once per size.
 * Targets are encoded one after another: the build already runs jobs side by side on two cores.
 * Throws PressroomError `E_IMAGE_DECODE` for bytes that are not an image, `E_IMAGE_TARGET` for a bad target,
 * `E_BYTE_CAP` for a file over its cap at the format's floor, WriteError (`E_DISK_FULL`, `E_IO`,
 * `E_WRITE`) naming the file that could not be written.
 */
export function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[]): Promise<DerivedFile[]>;
/** With `writeErrors: 'per-target'`, a file that cannot be written (or fit its cap) is returned as such and the next target is still tried. */
export function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[], options: { writeErrors: 'per-target' }): Promise<(DerivedFile | FailedFile)[]>;
export async function deriveDeliveries(source: Uint8Array, targets: readonly DeliveryTarget[], options?: { writeErrors: 'per-target' }): Promise<(DerivedFile | FailedFile)[]> {
  const derived: (DerivedFile | FailedFile)[] = [];
  await cutEach(source, targets, async (target, bytes) => {
    if (bytes instanceof PressroomError) {
      if (!options) throw bytes;
      derived.push({ file: target.file, error: bytes });
      return;
    }
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
    if (data instanceof PressroomError) throw data;
    images.push({ width: target.width, height: target.height, format: target.format, data, sha256: createHash('sha256').update(data).digest('hex') });
  });
  return images;
}

/**
 * Each target cut, drawn over and encoded in turn; a target over its byte cap is handed on as its
 * error. Targets of one geometry (every locale of a size, over one background) share one cut.
 */
async function cutEach<T extends ImageTarget>(source: Uint8Array, targets: readonly T[], each: (target: T, bytes: Buffer | PressroomError) => Promise<void>): Promise<void> {
  for (const target of targets) checkTarget(target);
  if (targets.length === 0) return;
  const cuts = cutter(source, targets);
  for (const target of targets) {
    const cut = await cuts.cut(target);
    let raw: RawPixels = { data: cut.data, width: cut.info.width, height: cut.info.height, channels: cut.info.channels === 4 ? 4 : 3 };
    if (target.draw) raw = await target.draw(raw);
    const shown = target.shown ?? (target as { file?: string }).file ?? `a ${target.width}x${target.height} image`;
    try {
      await each(target, await encodeWithin(raw, target, cut.sourceAlpha, shown));
    } catch (err) {
      if (!(err instanceof PressroomError && err.code === 'E_BYTE_CAP')) throw err;
      await each(target, err);
    }
  }
}

/**
 * Cuts of one source: decoded once when a cut is first needed, each geometry cut once and held
 * only while a later target still needs it; a target that draws gets a copy while one does.
 */
function cutter(source: Uint8Array, targets: readonly ImageTarget[]): { cut(target: ImageTarget): Promise<KeptCut> } {
  // Layers draw into RGBA in place: cut with an alpha channel (an opaque background stays an opaque file).
  const geometryOf = (t: ImageTarget) => JSON.stringify([t.width, t.height, t.focus ?? null, t.draw !== undefined]);
  const uses = new Map<string, number>();
  for (const t of targets) uses.set(geometryOf(t), (uses.get(geometryOf(t)) ?? 0) + 1);
  const id = sourceKey(source);
  let decoded: Promise<Decoded> | undefined;
  const made = new Map<string, KeptCut>();
  const make = async (target: ImageTarget, geometry: string): Promise<KeptCut> => {
    const kept = id === undefined ? undefined : keptCut(`${id}\u0000${geometry}`);
    if (kept) return kept;
    const sharp = await loadSharp();
    const { data, info } = await (decoded ??= decode(source));
    let pipeline = crop(sharp(data, { raw: info }), info, target, sharp.strategy.attention);
    if (target.draw) pipeline = pipeline.ensureAlpha();
    const out = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const cut: KeptCut = { data: out.data, info: out.info, sourceAlpha: info.channels === 4 };
    if (id !== undefined) keepCut(`${id}\u0000${geometry}`, cut);
    return cut;
  };
  return {
    async cut(target) {
      const geometry = geometryOf(target);
      const cut = made.get(geometry) ?? (await make(target, geometry));
      const left = uses.get(geometry)! - 1;
      uses.set(geometry, left);
      if (left === 0) {
        made.delete(geometry);
        return cut;
      }
      made.set(geometry, cut);
      return target.draw ? { ...cut, data: Buffer.from(cut.data) } : cut;
    },
  };
}

/**
 * The target's crop of the source, scaled to cover it: centred (a predictable crop; the generation
 * size already has the delivery's aspect, so little is cut), around the variant's focus point
 * (kept in frame, as near the middle as the edges allow), or where sharp's attention strategy looks.
 */
function crop(pipeline: Sharp, source: { readonly width: number; readonly height: number }, target: ImageTarget, attention: number): Sharp {
  const { width, height, focus } = target;
  if (focus === undefined) return pipeline.resize(width, height, { fit: 'cover', position: 'centre' });
  if (focus === 'attention') return pipeline.resize(width, height, { fit: 'cover', position: attention });
  const scale = Math.max(width / source.width, height / source.height);
  const scaledW = Math.max(width, Math.round(source.width * scale));
  const scaledH = Math.max(height, Math.round(source.height * scale));
  const left = Math.min(scaledW - width, Math.max(0, Math.round(focus.x * scaledW - width / 2)));
  const top = Math.min(scaledH - height, Math.max(0, Math.round(focus.y * scaledH - height / 2)));
  return pipeline.resize(scaledW, scaledH, { fit: 'fill' }).extract({ left, top, width, height });
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

function checkTarget(target: ImageTarget & { readonly file?: string }): void {
  const { width, height, quality, format } = target;
  const file = target.file ?? `a ${width}x${height} image`;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) throw errorOf('E_IMAGE_TARGET', { file, kind: 'size', width, height });
  if (!['png', 'jpeg', 'webp', 'avif'].includes(format)) throw errorOf('E_IMAGE_TARGET', { file, kind: 'format', format });
  // A PNG's quality matters only when a byte cap makes it choose among its compression steps.
  if ((format !== 'png' || target.maxBytes !== undefined) && (!Number.isInteger(quality) || quality < 1 || quality > 100)) throw errorOf('E_IMAGE_TARGET', { file, kind: 'quality', quality });
}
