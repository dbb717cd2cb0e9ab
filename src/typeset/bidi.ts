import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type { Direction } from './face.js';

/**
 * The Unicode bidirectional algorithm (UAX #9) as a typesetter needs it: embedding levels are
 * resolved over the whole paragraph (so `16,` after Hebrew text stays where Hebrew context puts
 * it even when a line starts there), lines are broken on the logical text, then each line is
 * reordered (rules L1 and L2) into visual runs. Each run is one direction, drawn whole: brackets
 * in a right-to-left run are mirrored by the shaper (HarfBuzz mirrors in RTL runs).
 */

let loaded: Bidi | undefined;
/** Loaded when first asked (it is compiled on load, without the CLI's code cache): a run that sets no text never pays for it. */
const bidi = (): Bidi => (loaded ??= (createRequire(import.meta.url)('bidi-js') as () => Bidi)());

/** Embedding level of each UTF-16 code unit of a paragraph; even is left to right. */
export function paragraphLevels(text: string, direction: Direction): Uint8Array {
  return bidi().getEmbeddingLevels(text, direction).levels;
}

export interface VisualRun {
  /** UTF-16 offsets into the paragraph, logical. */
  readonly start: number;
  readonly end: number;
  readonly level: number;
}

/** Whitespace and isolate/embedding controls that rule L1 puts back at the paragraph level at the end of a line. */
const TRAILING = /[\s\u200B\u2066-\u2069\u202A-\u202E\u200E\u200F\u061C]/u;

/**
 * The runs of line [start, end) of a paragraph, left to right as drawn: same-level stretches,
 * reversed from the highest level down to the lowest odd one (L2).
 */
export function visualRuns(text: string, levels: Uint8Array, start: number, end: number, base: number): VisualRun[] {
  const lv = Array.from(levels.subarray(start, end));
  for (let i = lv.length - 1; i >= 0 && TRAILING.test(text[start + i]!); i--) lv[i] = base;
  const runs: VisualRun[] = [];
  for (let i = 0; i < lv.length; ) {
    let j = i + 1;
    while (j < lv.length && lv[j] === lv[i]) j++;
    // A surrogate pair never splits: both halves carry one level.
    runs.push({ start: start + i, end: start + j, level: lv[i]! });
    i = j;
  }
  if (runs.length <= 1) return runs;
  const max = Math.max(...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < runs.length; ) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs;
}

/** Explicit embeddings, overrides, isolates and marks: resolved above, drawn as nothing. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
