import { describe, expect, it } from 'vitest';
import { renderBlock } from '../../src/typeset/index.js';
import { lineExtent, paragraph } from '../../src/typeset/measure.js';
import { fonts } from '../helpers/typeset.js';

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);
const squeeze = (s: string) => s.replace(/[\s…]/gu, '');

/** Columns holding any ink, as [first, last]. */
function inkColumns(block: { data: Buffer; width: number; height: number }): [number, number] {
  let first = block.width;
  let last = -1;
  for (let y = 0; y < block.height; y++) {
    for (let x = 0; x < block.width; x++) {
      if (block.data[(y * block.width + x) * 4 + 3]! > 0) {
        first = Math.min(first, x);
        last = Math.max(last, x);
      }
    }
  }
  return [first, last];
}

describe('renderBlock', () => {
  it.each([
    ['en-US', 'Hydration, refined. Smart temperature tracking for every bottle.'],
    ['th-TH', 'ความชุ่มชื่นที่ผ่านการขัดเกลาอย่างพิถีพิถันทุกวัน'],
    ['ja-JP', '水分補給をもっと賢く、毎日のボトルで。'],
  ])('%s: wraps at legal breaks into lines that fit, losing nothing', (locale, text) => {
    const block = renderBlock(text, locale, 24, '#ffffff', 260, fonts());
    expect(block.lines.length).toBeGreaterThan(1);
    expect(squeeze(block.lines.join(''))).toBe(squeeze(text));
    const measure = (line: string) => fonts().measurer.line(paragraph(line, 'ltr', fonts().fontsFor(line, locale, 400).runs, locale), 0, line.length, 24);
    for (const line of block.lines) expect(lineExtent(measure(line))).toBeLessThanOrEqual(258);
    expect(block.width).toBe(260);
    expect(block.height).toBeGreaterThanOrEqual(Math.floor(block.lines.length * 24 * 1.3));
    expect(block.missing).toEqual([]);
  });

  it('keeps hard line breaks', () => {
    expect(renderBlock('one\ntwo', 'en-US', 16, '#000000', 400, fonts()).lines).toEqual(['one', 'two']);
  });

  it('drops lines past maxLines and ends the last one with an ellipsis', () => {
    const block = renderBlock('word '.repeat(200), 'en-US', 20, '#000000', 200, fonts(), { maxLines: 3 });
    expect(block.lines).toHaveLength(3);
    expect(block.lines[2]).toMatch(/…$/);
    expect(block.lines.slice(0, 2).some((l) => l.includes('…'))).toBe(false);
  });

  it('breaks a word wider than the box between graphemes, never inside one', () => {
    const word = `E_PROVIDER_MODERATION${'👍🏽'.repeat(12)}नमस्ते`;
    const block = renderBlock(word, 'en-US', 16, '#000000', 90, fonts());
    expect(block.lines.length).toBeGreaterThan(2);
    expect(block.lines.join('')).toBe(word);
    const whole = new Set(graphemes(word));
    for (const line of block.lines) for (const g of graphemes(line)) expect(whole.has(g), `"${g}" is a broken cluster`).toBe(true);
  });

  it('aligns to the start: left in left-to-right text, right in right-to-left text', () => {
    const ltr = inkColumns(renderBlock('Hydration', 'en-US', 24, '#ffffff', 400, fonts()));
    const rtl = inkColumns(renderBlock('ترطيب', 'ar-SA', 24, '#ffffff', 400, fonts()));
    const end = inkColumns(renderBlock('Hydration', 'en-US', 24, '#ffffff', 400, fonts(), { align: 'end' }));
    expect(ltr[0]).toBeLessThan(4);
    expect(ltr[1]).toBeLessThan(200);
    expect(rtl[1]).toBeGreaterThan(395);
    expect(rtl[0]).toBeGreaterThan(200);
    expect(end[1]).toBeGreaterThan(395);
  });

  it('reports characters no font has', () => {
    expect(renderBlock('ok ᏣᎳᎩ', 'en-US', 16, '#000000', 400, fonts()).missing.map((m) => m.codePoint)).toEqual(['U+13E3', 'U+13B3', 'U+13A9']);
  });

  it('bounds the work on runaway text: only what the lines can show is read', () => {
    const block = renderBlock('x'.repeat(2_000_000), 'en-US', 20, '#000000', 200, fonts(), { maxLines: 2 });
    expect(block.lines).toHaveLength(2);
    expect(block.lines[1]).toMatch(/…$/);
  });
});
