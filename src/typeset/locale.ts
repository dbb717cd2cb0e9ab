/**
 * Pseudo-locales for stress tests, derived from the source locale's strings:
 * - `en-XA`: every letter accented and the text about 40 % longer, in brackets, so truncation,
 *   missing glyphs and tight boxes show up before a translator is paid;
 * - `ar-XB`: every word forced right to left (RLO…PDF inside RLMs), so mirroring and RTL
 *   alignment show up without reading Arabic.
 * Placeholders (`{{var}}`, `{name}`, `%s`) are left as they are.
 */
import { directionOf } from '../core/text.js';

export { directionOf };

/** The tag Skia gets on every measure and draw: pseudo-locales (en-XA, ar-XB) read as their language. */
export const langOf = (locale: string): string => locale.replace(/-x[a-z]$/i, '').replace(/_/g, '-');

export type PseudoLocale = 'en-XA' | 'ar-XB';

export const PSEUDO_LOCALES: readonly PseudoLocale[] = ['en-XA', 'ar-XB'];

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [
    c,
    [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]!,
  ]),
);

const PLACEHOLDER = /(\{\{[^}]*\}\}|\{[^}]*\}|%[sd@]|%\d+\$[sd])/u;
const FILLER = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

export function pseudoText(kind: PseudoLocale, text: string): string {
  const parts = text.split(PLACEHOLDER);
  if (kind === 'ar-XB') {
    return parts.map((p, i) => (i % 2 ? p : p.replace(/[^\s]+/gu, (w) => `\u200F\u202E${w}\u202C\u200F`))).join('');
  }
  const accented = parts.map((p, i) => (i % 2 ? p : [...p].map((c) => ACCENTED[c] ?? c).join(''))).join('');
  const target = Math.ceil([...text].length * 1.4);
  const words: string[] = [];
  let length = [...accented].length + 2;
  for (let i = 0; length < target; i++) {
    const w = FILLER[i % FILLER.length]!;
    words.push(w);
    length += w.length + 1;
  }
  return `[${accented}${words.length ? ` ${words.join(' ')}` : ''}]`;
}

/** Every string of a locale, pseudo-localised. */
export function pseudoLocale(kind: PseudoLocale, strings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(strings).map(([k, v]) => [k, pseudoText(kind, v)]));
}

/** The box seen in a mirror: right-to-left layouts put what sits left in LTR on the right. */
export function mirrorBox<B extends { readonly x: number; readonly width: number }>(box: B, imageWidth: number): B {
  return { ...box, x: imageWidth - box.x - box.width };
}

/** A layer's box for a locale: mirrored in right-to-left locales unless the layer says `mirror: false`. */
export function boxForLocale<B extends { readonly x: number; readonly width: number }>(box: B, imageWidth: number, locale: string, mirror = true): B {
  return mirror && directionOf(locale) === 'rtl' ? mirrorBox(box, imageWidth) : box;
}
