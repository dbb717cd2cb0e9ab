import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { deriveDeliveries, type DeliveryTarget } from '../../src/post/derive.js';
import type { SheetTile } from '../../src/post/contact-sheet.js';
import { SHEET } from '../../src/post/sheet-layout.js';
import { commandExists, runNode, runProcess } from '../lib/child.js';
import type { Figure } from '../lib/figures.js';
import { round } from '../lib/stats.js';

export interface PostOptions {
  readonly workDir: string;
  /** Generated 2048x2048 images (a few distinct ones, copied: decoding cost does not care). */
  readonly images: number;
  /** Images the one-pipeline-per-size reference derives (its rate is the figure). */
  readonly naiveSample: number;
  /** Sheet pages montage really draws; its time for all tiles is extrapolated per tile. */
  readonly montagePages: number;
}

const SIDE = 2048;
const DISTINCT = 10;
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'ja-JP'];
const SIZES = [
  { id: 'square', width: 1080, height: 1080 },
  { id: 'story', width: 1080, height: 1920 },
  { id: 'link-ad', width: 1200, height: 628 },
] as const;
const FORMAT = 'jpeg';
const QUALITY = 85;
/** montage's pages: a grid of this many tiles (our pages hold about as many). */
const MONTAGE_TILES_PER_PAGE = 48;
const WORKER = fileURLToPath(new URL('./post-sheet-worker.js', import.meta.url));

/**
 * Something a model could have returned: smooth colour fields (upscaled noise) with fine grain,
 * as a PNG. A flat colour would decode and compress unrealistically fast.
 */
async function syntheticPhoto(seed: number): Promise<Buffer> {
  const base = await sharp({ create: { width: 48, height: 48, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 40 + seed * 15, sigma: 60 } } })
    .png()
    .toBuffer();
  const grain = await sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 6 } } })
    .png()
    .toBuffer();
  return sharp(base).resize(SIDE, SIDE, { kernel: 'cubic' }).composite([{ input: grain, blend: 'soft-light' }]).png({ compressionLevel: 6 }).toBuffer();
}

interface Source {
  readonly file: string;
  readonly variant: string;
  readonly locale: string;
}

async function makeSources(dir: string, count: number): Promise<Source[]> {
  mkdirSync(dir, { recursive: true });
  const distinct: string[] = [];
  for (let i = 0; i < Math.min(DISTINCT, count); i++) {
    const file = join(dir, `distinct-${i}.png`);
    await writeFile(file, await syntheticPhoto(i));
    distinct.push(file);
  }
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `gen-${String(i).padStart(3, '0')}.png`);
    copyFileSync(distinct[i % distinct.length]!, file);
    return { file, variant: `v${String(Math.floor(i / LOCALES.length) + 1).padStart(2, '0')}`, locale: LOCALES[i % LOCALES.length]! };
  });
}

const targetsFor = (outDir: string, s: Source): DeliveryTarget[] =>
  SIZES.map((size) => ({ file: join(outDir, s.locale, `${s.variant}-${size.id}.jpg`), width: size.width, height: size.height, format: FORMAT, quality: QUALITY }));

/** As the build runs it: one deriveDeliveries per generated image, as many at once as cores. */
async function deriveAll(sources: readonly Source[], outDir: string): Promise<number> {
  const limit = pLimit(Math.max(1, availableParallelism()));
  const started = performance.now();
  await Promise.all(sources.map((s) => limit(async () => deriveDeliveries(await readFile(s.file), targetsFor(outDir, s)))));
  return performance.now() - started;
}

/** The obvious sharp script: one pipeline per delivery, so the source is decoded once per size. */
async function deriveNaive(sources: readonly Source[], outDir: string): Promise<number> {
  const limit = pLimit(Math.max(1, availableParallelism()));
  const started = performance.now();
  await Promise.all(
    sources.map((s) =>
      limit(async () => {
        const bytes = await readFile(s.file);
        for (const t of targetsFor(outDir, s)) {
          mkdirSync(join(outDir, s.locale), { recursive: true });
          await sharp(bytes).resize(t.width, t.height, { fit: 'cover' }).jpeg({ quality: QUALITY }).toFile(t.file);
        }
      }),
    ),
  );
  return performance.now() - started;
}

/** The sheet's tiles in the build's order: per variant, per size, per locale. */
function tilesOf(sources: readonly Source[], outDir: string): SheetTile[] {
  return sources.flatMap((s) =>
    SIZES.map((size) => ({ file: join(outDir, s.locale, `${s.variant}-${size.id}.jpg`), variant: s.variant, locale: s.locale, size: size.id, width: size.width, height: size.height, caption: `Headline ${s.locale}` })),
  );
}

interface MontageResult {
  readonly ms: number;
  readonly tiles: number;
  readonly maxRssMb?: number;
  readonly pages: number;
  readonly ok: boolean;
}

/**
 * ImageMagick montage on the same files, page by page like our sheet (one montage per page, the
 * same grid), with the JPEG shrink-on-load hint any careful user would give it.
 */
async function montage(tiles: readonly SheetTile[], outDir: string, maxPages: number): Promise<MontageResult> {
  mkdirSync(outDir, { recursive: true });
  const columns = LOCALES.length;
  const rows = Math.floor(MONTAGE_TILES_PER_PAGE / columns);
  // A row per (variant, size), a column per locale.
  const grid = new Map<string, SheetTile>();
  for (const t of tiles) grid.set(`${t.variant}|${t.size}|${t.locale}`, t);
  const rowKeys = [...new Set(tiles.map((t) => `${t.variant}|${t.size}`))];
  // Its default font (Helvetica) is rarely installed; give it the Noto Sans file our sheet uses.
  const fontDir = join(dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/package.json')), '400Regular');
  const font = join(fontDir, readdirSync(fontDir).find((n) => n.endsWith('.ttf'))!);
  let ms = 0;
  let maxRss: number | undefined;
  let pages = 0;
  let drawn = 0;
  for (let r = 0; r < rowKeys.length && pages < maxPages; r += rows) {
    const files = rowKeys.slice(r, r + rows).flatMap((key) => LOCALES.map((l) => grid.get(`${key}|${l}`)!.file!));
    const result = await runProcess(
      'montage',
      ['-font', font, '-define', `jpeg:size=${SHEET.box * 2}x${SHEET.box * 2}`, '-label', '%t', ...files, '-tile', `${columns}x`, '-geometry', `${SHEET.box}x${SHEET.box}+10+10`, '-background', '#f6f8fa', join(outDir, `montage-${pages + 1}.png`)],
      { timeoutMs: 180_000, rss: 'time' },
    );
    if (result.code !== 0) return { ms, tiles: drawn, maxRssMb: maxRss, pages, ok: false };
    ms += result.wallMs;
    drawn += files.length;
    maxRss = Math.max(maxRss ?? 0, result.maxRssMb ?? 0) || undefined;
    pages++;
  }
  return { ms, tiles: drawn, maxRssMb: maxRss, pages, ok: true };
}

export async function benchPost(o: PostOptions): Promise<Figure[]> {
  const scenario = `3 post-processing (${o.images} x ${SIDE}px)`;
  const sources = await makeSources(join(o.workDir, 'generated'), o.images);
  const outDir = join(o.workDir, 'out');
  const deriveMs = await deriveAll(sources, outDir);
  const naiveSources = sources.slice(0, o.naiveSample);
  const naiveMs = await deriveNaive(naiveSources, join(o.workDir, 'naive'));
  const perSecond = (ms: number, n = o.images) => round(n / (ms / 1000), 2);

  const tiles = tilesOf(sources, outDir);
  const tilesFile = join(o.workDir, 'tiles.json');
  await writeFile(tilesFile, JSON.stringify(tiles));
  const sheet = await runNode([WORKER, tilesFile, join(o.workDir, 'sheet')], { timeoutMs: 180_000, rss: 'hook' });
  if (sheet.code !== 0) throw new Error(`contact-sheet worker failed (exit ${sheet.code}): ${sheet.stderr.slice(0, 500)}`);
  const { ms: sheetMs, pages } = JSON.parse(sheet.stdout) as { ms: number; pages: number };

  const hasMontage = commandExists('montage');
  const im = hasMontage ? await montage(tiles, join(o.workDir, 'montage'), o.montagePages) : undefined;
  // Extrapolated per tile when montage drew only some pages (its pages are independent runs).
  const montageMs = im?.ok && im.tiles > 0 ? (im.ms / im.tiles) * tiles.length : undefined;
  const speedup = montageMs !== undefined ? montageMs / sheet.wallMs : null;

  return [
    {
      scenario,
      name: 'derive: generated images per second',
      value: perSecond(deriveMs),
      unit: 'img/s',
      reference: `one sharp pipeline per size: ${perSecond(naiveMs, naiveSources.length)} img/s`,
      note: `${o.images} PNG sources -> ${SIZES.length} ${FORMAT} deliveries each (${SIZES.map((s) => `${s.width}x${s.height}`).join(', ')}), ${availableParallelism()} at a time; ${round(deriveMs / 1000)} s`,
    },
    {
      scenario,
      name: 'contact sheet: whole-process time',
      value: round(sheet.wallMs, 0),
      unit: 'ms',
      reference: im ? (montageMs !== undefined ? `montage ${round(montageMs, 0)} ms` : 'montage failed') : 'montage not installed',
      note: `${tiles.length} tiles on ${pages} pages; ${round(sheetMs, 0)} ms inside writeContactSheets, the rest is Node and libvips start-up`,
    },
    {
      scenario,
      name: 'contact sheet: speed-up over montage',
      value: speedup === null ? null : round(speedup, 2),
      unit: 'x',
      reference: im?.ok ? `ImageMagick montage` : 'skipped: `montage` not found (apt-get install imagemagick)',
      target: '>= 5x',
      pass: speedup === null ? undefined : speedup >= 5,
      note: im?.ok
        ? `montage drew ${im.pages} page(s), ${im.tiles} tiles, in ${round(im.ms, 0)} ms and is extrapolated per tile to ${tiles.length}; ours is the whole process, start-up included`
        : undefined,
    },
    {
      scenario,
      name: 'contact sheet: peak RSS',
      value: sheet.maxRssMb === undefined ? null : round(sheet.maxRssMb, 0),
      unit: 'MB',
      reference: im?.maxRssMb !== undefined ? `montage ${round(im.maxRssMb, 0)} MB (largest page)` : 'montage: not measured',
      target: '< 300 MB',
      pass: sheet.maxRssMb === undefined ? undefined : sheet.maxRssMb < 300,
    },
  ];
}
