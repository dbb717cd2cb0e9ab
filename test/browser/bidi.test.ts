import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitText, type FitSpec } from '../../src/typeset/index.js';
import { layoutFor } from '../../src/typeset/fit.js';
import { paragraph } from '../../src/typeset/measure.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_MESSAGE, launchChromium } from '../helpers/browser.js';
import { fonts } from '../helpers/typeset.js';

/**
 * Glyph order against Chromium's: the same paragraph, the same fonts and the same line breaks,
 * right-to-left copy with Latin brand names and numbers in it. Compared per line, token by token
 * (a run of letters, of digits, or one other character), left to right as drawn: our order comes
 * from the pieces the typesetter draws, Chromium's from where it put each character.
 */
if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

const SAMPLES = [
  ['he-IL', 'מבצע האביב: החליפו את הטלפון הישן וקבלו עד 30% הנחה על iPhone 16, Galaxy S25 ו-Pixel 9.'],
  ['ar-SA', 'وفّر حتى 30% عند استبدال هاتفك القديم بـ iPhone 16 أو Galaxy S25 (عرض محدود حتى 31 مايو)'],
  ['fa-IR', 'تا ۳۰٪ تخفیف برای iPhone 16 و Galaxy S25؛ فقط تا ۱۰ خرداد (با تحویل رایگان)'],
  ['ur-PK', 'پرانا فون دیں اور iPhone 16 پر 30% تک رعایت پائیں (صرف 15 دن، Pixel 9 بھی)'],
] as const;

const TOKEN = /[\p{L}\p{M}]+|\p{Nd}+|[^\s]/gu;

interface Line {
  readonly start: number;
  readonly end: number;
  /** Logical indices, left to right as drawn. */
  readonly order: readonly number[];
}

/** Token strings of a line, left to right, given the x (or rank) of each logical index. */
function tokens(text: string, line: Line, position: (i: number) => number | undefined): string[] {
  const found = [...text.slice(line.start, line.end).matchAll(TOKEN)].map((m) => {
    const at = line.start + m.index;
    const xs = [...Array(m[0].length).keys()].map((k) => position(at + k)).filter((x): x is number => x !== undefined);
    return { token: m[0], x: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length) };
  });
  return found.sort((a, b) => a.x - b.x).map((t) => t.token);
}

/**
 * Our lines at a box width (0: a line per word, so lines start with "16," after "iPhone" and
 * the paragraph's context decides their order): each line's logical indices in the order its
 * pieces draw them.
 */
function ourLines(text: string, locale: string, width: number): { lines: Line[]; files: string[] } {
  const spec: FitSpec = { text, locale, direction: 'rtl', box: { width: width || 2000, height: 2000 }, style: { size: { min: 28, max: 28 }, maxLines: 20, weight: 400 } };
  const fit = fitText(spec, fonts());
  const words = [...text.matchAll(/\S+\s*/gu)].map((m) => [m.index, m.index + m[0].length] as const);
  const p = paragraph(text, 'rtl', fonts().fontsFor(text, locale, 400).runs, locale);
  const drawn = width ? layoutFor(spec, fit, fonts())!.lines : words.map(([s, e]) => fonts().measurer.line(p, s, e, 28));
  let offset = 0;
  const lines = drawn.map((l) => {
    const order = [...l.pieces].sort((a, b) => a.x - b.x).flatMap((p) => {
      const idx = [...Array(p.end - p.start).keys()].map((k) => p.start + k);
      return p.rtl ? idx.reverse() : idx;
    });
    const start = Math.min(...l.pieces.map((p) => p.start));
    const end = Math.max(...l.pieces.map((p) => p.end));
    offset = end;
    return { start, end, order };
  });
  void offset;
  const files = fit.fontFiles.map((f) => join(import.meta.dirname, '../../node_modules', f));
  return { lines, files };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

describe.skipIf(!HAVE_CHROMIUM)('bidi against Chromium (same fonts, same line breaks)', () => {
  let chromium: { context: BrowserContext; close: () => Promise<void> };
  let dir: string;
  beforeAll(async () => {
    chromium = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'pressroom-bidi-'));
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SAMPLES)('%s: every line draws its tokens in Chromium\'s order', async (locale, text) => {
    const page = await chromium.context.newPage();
    let compared = 0;
    for (const width of [0, 260, 420, 640]) {
      const { lines, files } = ourLines(text, locale, width);
      const faces = files.map((f, i) => `@font-face { font-family: f${i}; src: url(${pathToFileURL(f).href}); }`).join('\n');
      // Each line's text in a span that cannot wrap; the spaces between lines outside: a 1 px wide
      // block then breaks exactly where we did, and bidi still runs over the whole paragraph.
      let html = '';
      let at = 0;
      lines.forEach((l, i) => {
        html += escape(text.slice(at, l.start));
        html += `<span id="l${i}" style="white-space:nowrap">${escape(text.slice(l.start, l.end))}</span>`;
        at = l.end;
      });
      html += escape(text.slice(at));
      const file = join(dir, `${locale}-${width}.html`);
      writeFileSync(file, `<!doctype html><meta charset="utf-8"><style>${faces}\nbody { margin: 0 } div { font: 28px ${files.map((_, i) => `f${i}`).join(', ')}; width: 1px; }</style><div dir="rtl" lang="${locale}">${html}</div>`);
      await page.goto(pathToFileURL(file).href);
      await page.evaluate('document.fonts.ready');
      const xs: (number | null)[][] = await page.evaluate((n) => {
        // This runs in the page; the test's own types have no DOM.
        interface Box { x: number; width: number }
        interface Doc {
          getElementById(id: string): { firstChild: { length: number } } | null;
          createRange(): { setStart(n: unknown, k: number): void; setEnd(n: unknown, k: number): void; getBoundingClientRect(): Box };
        }
        const document = (globalThis as unknown as { document: Doc }).document;
        const out: (number | null)[][] = [];
        for (let i = 0; i < n; i++) {
          const node = document.getElementById(`l${i}`)!.firstChild;
          const row: (number | null)[] = [];
          for (let k = 0; k < node.length; k++) {
            const r = document.createRange();
            r.setStart(node, k);
            r.setEnd(node, k + 1);
            const b = r.getBoundingClientRect();
            row.push(b.width > 0 ? b.x + b.width / 2 : null);
          }
          out.push(row);
        }
        return out;
      }, lines.length);
      lines.forEach((line, i) => {
        const rank = new Map(line.order.map((idx, k) => [idx, k]));
        const ours = tokens(text, line, (idx) => rank.get(idx));
        const theirs = tokens(text, line, (idx) => xs[i]![idx - line.start] ?? undefined);
        expect(ours, `${locale} at ${width} px, line ${i + 1}: "${text.slice(line.start, line.end)}"`).toEqual(theirs);
        compared++;
      });
    }
    await page.close();
    expect(compared).toBeGreaterThan(6);
  }, 60_000);
});
