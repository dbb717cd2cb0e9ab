import { describe, expect, it } from 'vitest';
import { paragraphLevels, visualRuns } from '../../src/typeset/bidi.js';
import { breakOpportunities } from '../../src/typeset/breaks.js';
import { readImportGraph, unitOf } from '../helpers/import-graph.js';

/** The line [start, end) of a paragraph as read left to right on screen: visual runs, right-to-left ones reversed. */
function visual(text: string, direction: 'ltr' | 'rtl', start = 0, end = text.length): string {
  const levels = paragraphLevels(text, direction);
  return visualRuns(text, levels, start, end, direction === 'rtl' ? 1 : 0)
    .map((r) => {
      const s = text.slice(r.start, r.end);
      return r.level % 2 ? [...s].reverse().join('') : s;
    })
    .join('')
    .trimEnd();
}

describe('paragraph bidi', () => {
  it('resolves levels over the whole paragraph, so a line that starts with a number keeps its context', () => {
    const text = 'מבצע האביב על iPhone 16, Galaxy S25 ו-Pixel 9.';
    const start = text.indexOf('16,');
    // The line "16, Galaxy S25 ו-Pixel 9." after a Hebrew line, as Chromium draws it with the same break.
    expect(visual(text, 'rtl', start)).toBe('.Pixel 9-ו 16, Galaxy S25');
  });

  it('puts a Latin brand name and its number in one left-to-right run', () => {
    const text = 'ترقية إلى iPhone 16 الآن';
    const runs = visualRuns(text, paragraphLevels(text, 'rtl'), 0, text.length, 1);
    const latin = runs.filter((r) => r.level % 2 === 0).map((r) => text.slice(r.start, r.end).trim());
    expect(latin).toEqual(['iPhone 16']);
    // Right to left: the first Arabic word is the rightmost run.
    expect(text.slice(runs.at(-1)!.start, runs.at(-1)!.end).trim()).toBe('ترقية إلى');
  });

  it('reorders each line on its own after breaking (rule L2), trailing spaces at the paragraph level (L1)', () => {
    const text = 'abc אבג def';
    expect(visual(text, 'ltr', 0, 8)).toBe('abc גבא');
    // The space that ends the line goes to the paragraph's end: the left in right-to-left text.
    expect(visual(text, 'rtl', 0, 8)).toBe(' גבא abc');
  });
});

describe('breaking like a typesetter', () => {
  const cuts = (text: string, locale: string, options = {}) => breakOpportunities(text, locale, options).map((b) => `${text.slice(0, b.at)}|${b.kind}`);

  it('never breaks inside a keep phrase', () => {
    const text = 'Trade in for iPhone 16 or Galaxy S25 today';
    const at = breakOpportunities(text, 'en-US', { keep: ['iPhone 16', 'Galaxy S25'] }).map((b) => b.at);
    expect(at).not.toContain(text.indexOf('16'));
    expect(at).not.toContain(text.indexOf('S25'));
    expect(at).toContain(text.indexOf('today'));
  });

  it('never leaves a short number alone: it stays with the word before it', () => {
    const text = 'Jetzt bis zu 30% sparen mit Pixel 9';
    const at = breakOpportunities(text, 'de-DE').map((b) => b.at);
    expect(at).not.toContain(text.indexOf('30%'));
    expect(at).not.toContain(text.indexOf('9'));
    expect(at).toContain(text.indexOf('sparen'));
  });

  it('honours soft hyphens, and hyphenates long words by dictionary unless told not to', () => {
    const soft = 'Bild\u00ADschirm\u00ADschutz';
    expect(cuts(soft, 'de-DE', { hyphenate: false }).filter((c) => c.endsWith('hyphen'))).toEqual(['Bild\u00AD|hyphen', 'Bild\u00ADschirm\u00AD|hyphen']);
    const fi = 'älypuhelinvaihtokampanja';
    const points = breakOpportunities(fi, 'fi-FI').filter((b) => b.kind === 'hyphen').map((b) => fi.slice(0, b.at));
    expect(points).toContain('älypuhelin');
    expect(breakOpportunities(fi, 'fi-FI', { hyphenate: false })).toEqual([]);
    // A name is never hyphenated.
    expect(breakOpportunities('AquaFlaschenverschluss', 'de-DE').filter((b) => b.kind === 'hyphen')).toEqual([]);
  });

  it('breaks Japanese between phrases (BudouX), inside a phrase only as an emergency', () => {
    const text = 'あなたの一日に寄り添う光';
    const normal = breakOpportunities(text, 'ja-JP').filter((b) => b.kind === 'normal').map((b) => text.slice(0, b.at));
    expect(normal).toEqual(['あなたの', 'あなたの一日に', 'あなたの一日に寄り添う']);
    expect(breakOpportunities(text, 'ja-JP').some((b) => b.kind === 'emergency')).toBe(true);
  });
});

describe('the typesetting library', () => {
  it('imports nothing of ours but src/core/', () => {
    const outside = readImportGraph('src')
      .filter((e) => e.from.startsWith('typeset/'))
      .map((e) => unitOf(e.to))
      .filter((u) => u !== 'typeset' && u !== 'core');
    expect(outside).toEqual([]);
  });
});
