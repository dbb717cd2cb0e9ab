import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { SCRIPT_SAMPLES } from './typeset.js';

/**
 * Reading typeset text back with tesseract (Debian: tesseract-ocr and tesseract-ocr-<lang>).
 * Settings measured to read best: the text's crop with a margin, greyscale, inverted to dark on
 * light, about 600 px wide, block mode (`--psm 6`: automatic layout returned nothing for Korean).
 */

/** Installed tesseract languages, or undefined when tesseract is absent. */
export const OCR_LANGUAGES: ReadonlySet<string> | undefined = (() => {
  const run = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  return run.status === 0 ? new Set(run.stdout.split('\n').slice(1).map((l) => l.trim())) : undefined;
})();

const EXTRA: Readonly<Record<string, string>> = {
  'es-ES': 'spa',
  'fr-FR': 'fra',
  'fi-FI': 'fin',
  'sr-RS': 'srp',
  'hy-AM': 'hye',
  'ka-GE': 'kat',
  'fa-IR': 'fas',
  'ur-PK': 'urd',
  'pa-IN': 'pan',
  'gu-IN': 'guj',
  'or-IN': 'ori',
  'te-IN': 'tel',
  'kn-IN': 'kan',
  'ml-IN': 'mal',
  'si-LK': 'sin',
  'my-MM': 'mya',
  'bo-CN': 'bod',
};

/** The tesseract language that reads `locale`, if known. */
export function ocrLanguageOf(locale: string): string | undefined {
  return SCRIPT_SAMPLES.find((s) => s.locale === locale)?.ocr ?? EXTRA[locale];
}

/** 1 − edit distance / longer length, ignoring whitespace (OCR spaces CJK and Thai at will). */
export function similarity(a: string, b: string): number {
  const x = [...a.replace(/\s+/gu, '').normalize('NFC')];
  const y = [...b.replace(/\s+/gu, '').normalize('NFC')];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return 1 - prev[y.length]! / Math.max(x.length, y.length, 1);
}

/** The text tesseract reads in `region` of the image file (light text on a darker ground unless `invert: false`). */
export async function readRegion(
  file: string,
  region: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
  lang: string,
  scratch: string,
  options: { readonly invert?: boolean; readonly psm?: number; readonly margin?: number; readonly width?: number } = {},
): Promise<string> {
  const meta = await sharp(file).metadata();
  const margin = options.margin ?? 12;
  const left = Math.max(0, region.x - margin);
  const top = Math.max(0, region.y - margin);
  const crop = {
    left,
    top,
    width: Math.min(meta.width! - left, region.width + 2 * margin),
    height: Math.min(meta.height! - top, region.height + 2 * margin),
  };
  const grey = sharp(file).extract(crop).greyscale();
  await (options.invert === false ? grey : grey.negate({ alpha: false })).resize({ width: options.width ?? 600 }).png().toFile(scratch);
  const read = spawnSync('tesseract', [scratch, 'stdout', '-l', lang, '--psm', String(options.psm ?? 6)], { encoding: 'utf8' });
  if (read.status !== 0) throw new Error(`tesseract failed: ${read.stderr}`);
  return read.stdout.trim();
}
