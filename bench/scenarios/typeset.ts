import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { loadFonts, typeset, type LayerSpec, type RawImage } from '../../src/typeset/index.js';
import type { Figure } from '../lib/figures.js';
import { median, round } from '../lib/stats.js';

/**
 * Scenario 8 (issue 22): one copy layer set into a 1080×1080 frame, beside the bare Skia work of
 * the same text with the same fonts: word-wrap with Intl.Segmenter, a binary search over sizes
 * measuring each candidate line, a scrim where asked (a fixed one: no contrast analysis), the
 * lines drawn, the touched pixels read back. Every round sets a text neither has seen (the
 * sample's words shuffled, a number appended), so the typesetter's caches of earlier rounds do
 * not help it. Time is this process's CPU time
 * (user + system): on a shared machine wall time measured the load more than the work, and both
 * sides are single-threaded.
 */
export interface TypesetOptions {
  readonly rounds: number;
}

const SIDE = 1080;
const BOX = { x: 86, y: 60, width: 908, height: 320 };
const SIZE = { min: 24, max: 120 };
const SAMPLES = [
  { script: 'Latin', locale: 'en-US', text: 'Trade in any old desk lamp this spring and save up to 30% on Lumen', files: ['noto-sans/700Bold/NotoSans_700Bold.ttf'] },
  { script: 'Arabic', locale: 'ar-SA', text: 'استبدل مصباح مكتبك القديم هذا الربيع ووفّر حتى 30% على Lumen', files: ['noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf', 'noto-sans/700Bold/NotoSans_700Bold.ttf'] },
  { script: 'Thai', locale: 'th-TH', text: 'นำโคมไฟตั้งโต๊ะเครื่องเก่ามาแลกในฤดูใบไม้ผลินี้ รับส่วนลดสูงสุด 30%', files: ['noto-sans-thai/700Bold/NotoSansThai_700Bold.ttf', 'noto-sans/700Bold/NotoSans_700Bold.ttf'] },
  { script: 'Japanese', locale: 'ja-JP', text: 'この春、お手持ちのデスクライトを下取りに出すと最大30%オフ', files: ['noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'] },
] as const;

function frame(light: boolean): RawImage & { data: Uint8Array } {
  const data = new Uint8Array(SIDE * SIDE * 4);
  for (let i = 0; i < data.length; i += 4) {
    const v = light ? 200 + ((i >> 4) % 40) : 20 + ((i >> 4) % 30);
    data[i] = v;
    data[i + 1] = v;
    data[i + 2] = v;
    data[i + 3] = 255;
  }
  return { data, width: SIDE, height: SIDE, channels: 4 };
}

/** The bare Skia wrap + fit + draw of a text: what the layer is measured against. */
function bareSkia(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, text: string, locale: string, families: string, scrim: boolean): void {
  const words = [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)].map((s) => s.segment);
  const wrap = (size: number) => {
    ctx.font = `${size}px ${families}`;
    const lines: string[] = [];
    let line = '';
    for (const w of words) {
      if (line !== '' && ctx.measureText((line + w).trimEnd()).width > BOX.width) {
        lines.push(line);
        line = w.trimStart();
      } else line += w;
    }
    lines.push(line);
    return lines;
  };
  const fits = (size: number) => {
    const lines = wrap(size);
    return lines.length * size * 1.2 <= BOX.height && lines.every((l) => ctx.measureText(l).width <= BOX.width) ? lines : undefined;
  };
  let lo = SIZE.min;
  let hi = SIZE.max;
  let best = fits(lo) ?? wrap(lo);
  let bestSize = lo;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const lines = fits(mid);
    if (lines) {
      best = lines;
      bestSize = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  ctx.font = `${bestSize}px ${families}`;
  if (scrim) {
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(BOX.x, BOX.y, BOX.width, BOX.height);
  }
  ctx.fillStyle = '#ffffff';
  best.forEach((l, i) => ctx.fillText(l, BOX.x, BOX.y + (i + 0.9) * bestSize * 1.2));
  ctx.getImageData(BOX.x, BOX.y, BOX.width, BOX.height);
}

/** The text's words in an order of its own for round `seed`. */
function shuffled(text: string, locale: string, seed: number): string {
  const words = [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)].map((w) => w.segment);
  let state = seed * 7919 + 17;
  const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  return words.join('').replace(/\s+/g, ' ').trim();
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export async function benchTypeset(options: TypesetOptions): Promise<Figure[]> {
  const require = createRequire(import.meta.url);
  const fonts = loadFonts({});
  const figures: Figure[] = [];
  for (const scrim of [false, true]) {
    for (const sample of SAMPLES) {
      const families = sample.files
        .map((f) => {
          const [pkg, ...rest] = f.split('/');
          const file = join(dirname(require.resolve(`@expo-google-fonts/${pkg}/package.json`)), ...rest);
          const name = `bench-${pkg}`;
          if (!GlobalFonts.has(name)) GlobalFonts.registerFromPath(file, name);
          return `"${name}"`;
        })
        .join(', ');
      const canvas = createCanvas(SIDE, SIDE);
      const ctx = canvas.getContext('2d');
      const image = frame(scrim);
      const layer = (text: string): LayerSpec => ({
        field: 'headline',
        text,
        locale: sample.locale,
        box: BOX,
        style: { size: SIZE, maxLines: 3, inset: 0.2, background: 'auto', color: '#ffffff' },
      });
      // Warm-up: fonts read and registered, code compiled.
      typeset({ ...image, data: Uint8Array.from(image.data) }, [layer(`${sample.text} 0`)], fonts);
      bareSkia(ctx, `${sample.text} 0`, sample.locale, families, scrim);
      const ours: number[] = [];
      const bare: number[] = [];
      let treatment = '';
      for (let r = 1; r <= options.rounds; r++) {
        const text = `${shuffled(sample.text, sample.locale, r)} ${1000 + r}`;
        // A fresh frame each round (typeset draws in place), copied outside the timing.
        const fresh = { ...image, data: Uint8Array.from(image.data) };
        let t = process.cpuUsage();
        treatment = typeset(fresh, [layer(text)], fonts).layers[0]!.contrast.treatment;
        ours.push(cpuMs(t));
        t = process.cpuUsage();
        bareSkia(ctx, text, sample.locale, families, scrim);
        bare.push(cpuMs(t));
      }
      const o = median(ours);
      const b = median(bare);
      figures.push({
        scenario: '8 typesetting',
        name: `${sample.script}${scrim ? ', scrim' : ''}: layer / bare Skia`,
        value: round(o / b, 2),
        unit: '×',
        reference: `layer ${round(o, 1)} ms CPU (${treatment}), bare Skia ${round(b, 1)} ms`,
        target: '≤ 1.5×',
        pass: o / b <= 1.5,
      });
    }
  }
  return figures;
}
