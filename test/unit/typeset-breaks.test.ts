import { describe, expect, it } from 'vitest';
import { breakUnits } from '../../src/typeset/breaks.js';

const units = (text: string, locale: string) => breakUnits(text, locale)[0]!;

describe('breakUnits', () => {
  it('breaks Latin after spaces, keeping punctuation with its word', () => {
    expect(units('Hydration, refined. (New)', 'en-US')).toEqual(['Hydration, ', 'refined. ', '(New)']);
  });

  it('does not break at a no-break space', () => {
    expect(units('Prix\u00A0: 20\u202F€', 'fr-FR')).toEqual(['Prix\u00A0: ', '20\u202F€']);
  });

  it('breaks after a hyphen inside a word', () => {
    expect(units('Temperatur-Anzeige', 'de-DE')).toEqual(['Temperatur-', 'Anzeige']);
  });

  it.each([
    ['th-TH', 'ภาษาไทยไม่มีช่องว่างระหว่างคำ', 'ภาษา'],
    ['lo-LA', 'ການດື່ມນ້ຳທີ່ສະຫຼາດ', 'ການດື່ມ'],
    ['km-KH', 'ការផឹកទឹកឆ្លាតវៃ', 'ការ'],
  ])('breaks %s between dictionary words though it has no spaces', (locale, text, firstWord) => {
    const u = units(text, locale);
    expect(u.join('')).toBe(text);
    expect(u.length).toBeGreaterThan(2);
    expect(u[0]).toBe(firstWord);
    // Never before a combining vowel or tone mark: a line must not start with one.
    for (const piece of u) expect(piece).not.toMatch(/^\p{M}/u);
  });

  it('breaks Chinese and Japanese between characters, but never before closing punctuation or small kana', () => {
    const ja = units('「新しい」ボトル、登場。もっと賢く！', 'ja-JP');
    expect(ja.join('')).toBe('「新しい」ボトル、登場。もっと賢く！');
    for (const piece of ja) {
      expect(piece).not.toMatch(/^[」、。！っゃゅょァィゥェォッャュョー]/u);
      expect(piece).not.toMatch(/[「（]$/u);
    }
    expect(ja).toContain('「新');
    expect(ja).toContain('場。');
    const zh = units('智能温度追踪，让每一口都恰到好处。', 'zh-CN');
    expect(zh.length).toBe(15);
    expect(zh).toContain('踪，');
  });

  it('breaks between CJK and Latin or digits, but keeps Latin words whole', () => {
    expect(units('新AQUA ONEで15分', 'ja-JP')).toEqual(['新', 'AQUA ', 'ONE', 'で', '15', '分']);
    // Where a reader expects a break (phrases), the number stays with its counter.
    expect(breakUnits('新AQUA ONEで15分', 'ja-JP', { kinds: ['normal'] })[0]!.at(-1)).toBe('15分');
  });

  it('never splits a grapheme cluster (Devanagari conjuncts, Tamil vowel signs)', () => {
    expect(units('स्मार्ट तापमान', 'hi-IN')).toEqual(['स्मार्ट ', 'तापमान']);
    expect(units('ஸ்மார்ட் வெப்பநிலை', 'ta-IN')).toEqual(['ஸ்மார்ட் ', 'வெப்பநிலை']);
  });

  it('keeps Korean words whole (breaks at spaces)', () => {
    expect(units('스마트 온도 추적', 'ko-KR')).toEqual(['스마트 ', '온도 ', '추적']);
  });

  it('splits paragraphs at hard line breaks', () => {
    expect(breakUnits('One two\nThree', 'en-US')).toEqual([['One ', 'two'], ['Three']]);
  });

  it('accepts pseudo and malformed locale tags', () => {
    expect(units('[Ĥéļļö ŵöŕļð]', 'en-XA')).toEqual(['[Ĥéļļö ', 'ŵöŕļð]']);
    expect(units('a b', 'not a tag!')).toEqual(['a ', 'b']);
  });
});
