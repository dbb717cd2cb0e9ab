import { graphemeSegments } from './graphemes.js';
import type { FontFace } from './face.js';
import { clusterScript, COMMON, EMOJI, INVISIBLE, scriptOf } from './scripts.js';

/**
 * Which face draws which part of a text. Every word is drawn whole by one face where any face
 * has all of its letters: a brand font that lacks one letter of an Urdu word does not set the
 * rest of it. Digits and punctuation take the face of the word they stand in; a word of only
 * digits and punctuation ("30%") the locale's own script's face. Skia is never left to fall back
 * by itself (it would fall back to the machine's fonts): each run names exactly one face.
 */

export interface FaceRun {
  /** UTF-16 offsets into the text. */
  readonly start: number;
  readonly end: number;
  readonly face: FontFace;
}

export interface MissingChar {
  readonly char: string;
  /** `U+0E01`. */
  readonly codePoint: string;
  /** ISO 15924 code of the character's script (`Zzzz` for one the table does not know). */
  readonly script: string;
  /** npm packages that would set it but are not installed. */
  readonly packages: readonly string[];
}

export interface TextFonts {
  /** In text order, covering the whole text. */
  readonly runs: readonly FaceRun[];
  /** The faces that draw something, in order of first use. */
  readonly faces: readonly FontFace[];
  readonly missing: readonly MissingChar[];
}

export interface FaceChains {
  /** Faces to try for a script, best first; `uninstalled` names the packages that would add more. */
  forScript(script: string, hint: 'ja' | 'ko' | undefined): { readonly faces: readonly FontFace[]; readonly uninstalled: readonly string[] };
  covers(face: FontFace, codePoint: number): boolean;
}

const SPACE = /^\s+$/u;

interface Cluster {
  readonly start: number;
  readonly text: string;
  /** Code points that need a glyph. */
  readonly visible: readonly number[];
  readonly script: string;
  readonly space: boolean;
}

function clustersOf(text: string): Cluster[] {
  return graphemeSegments(text).map(({ segment, index }) => {
    const visible = [...segment].filter((c) => !INVISIBLE.test(c)).map((c) => c.codePointAt(0)!);
    return { start: index, text: segment, visible, script: visible.length ? clusterScript(segment) : COMMON, space: SPACE.test(segment) };
  });
}

/** Clusters of one word split where its script changes; shared characters join the script before them (or after, at the start). */
function segments(word: readonly Cluster[]): { script: string; clusters: Cluster[] }[] {
  const out: { script: string; clusters: Cluster[] }[] = [];
  for (const c of word) {
    const last = out[out.length - 1];
    const s = c.script;
    if (last && s !== EMOJI && last.script !== EMOJI && (s === COMMON || last.script === COMMON || last.script === s)) {
      if (last.script === COMMON) last.script = s;
      last.clusters.push(c);
    } else out.push({ script: s, clusters: [c] });
  }
  return out;
}

export function itemize(text: string, locale: string, chains: FaceChains): TextFonts {
  const hint = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text) ? 'ja' : /\p{Script=Hangul}/u.test(text) ? 'ko' : undefined;
  const chainCache = new Map<string, ReturnType<FaceChains['forScript']>>();
  const chain = (script: string) => {
    let c = chainCache.get(script);
    if (!c) chainCache.set(script, (c = chains.forScript(script, hint)));
    return c;
  };
  const coversAll = (f: FontFace, cps: readonly number[]) => cps.every((cp) => chains.covers(f, cp));
  const clusters = clustersOf(text);
  const others = [...new Set(clusters.map((c) => c.script).filter((s) => s !== COMMON && s !== EMOJI)), 'Hani', EMOJI];
  const assigned: (FontFace | undefined)[] = clusters.map(() => undefined);
  const missing = new Map<number, MissingChar>();

  let i = 0;
  while (i < clusters.length) {
    if (clusters[i]!.space) {
      i++;
      continue;
    }
    let j = i;
    while (j < clusters.length && !clusters[j]!.space) j++;
    let at = i;
    for (const seg of segments(clusters.slice(i, j))) {
      const own = chain(seg.script);
      const needed = seg.clusters.flatMap((c) => c.visible);
      const whole = own.faces.find((f) => coversAll(f, needed));
      if (whole || needed.length === 0) {
        seg.clusters.forEach((_, k) => (assigned[at + k] = whole));
      } else {
        // No one face has the whole word: the best face per character, the shared chain after the
        // script's, then (for punctuation and symbols) the faces of the text's other scripts, CJK, emoji.
        const base = [...new Set([...own.faces, ...chain(COMMON).faces])];
        seg.clusters.forEach((c, k) => {
          // A letter of a script with no face costs no reading of every font before it is reported.
          const fallback = c.script === COMMON ? [...new Set([...base, ...others.flatMap((s) => chain(s).faces)])] : base;
          const f = fallback.find((x) => coversAll(x, c.visible));
          assigned[at + k] = f ?? fallback[0];
          if (f) return;
          for (const cp of c.visible) {
            if (fallback.some((x) => chains.covers(x, cp)) || missing.has(cp)) continue;
            const char = String.fromCodePoint(cp);
            const script = c.script === EMOJI ? EMOJI : scriptOf(char);
            missing.set(cp, {
              char,
              codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`,
              script: script === COMMON ? seg.script : script,
              packages: [...new Set([...own.uninstalled, ...(script === COMMON ? chain(COMMON).uninstalled : [])])],
            });
          }
        });
      }
      at += seg.clusters.length;
    }
    i = j;
  }

  // Spaces and marks that draw nothing go with the word before them (or after, at the start).
  const primary = chain(COMMON).faces[0];
  const space = 0x20;
  for (let k = 0; k < clusters.length; k++) {
    if (assigned[k]) continue;
    const prev = assigned[k - 1];
    if (prev && chains.covers(prev, space)) assigned[k] = prev;
  }
  for (let k = clusters.length - 1; k >= 0; k--) if (!assigned[k]) assigned[k] = assigned[k + 1] ?? primary;

  const runs: FaceRun[] = [];
  clusters.forEach((c, k) => {
    const face = assigned[k];
    if (!face) return;
    const last = runs[runs.length - 1];
    const end = c.start + c.text.length;
    if (last && last.face === face) runs[runs.length - 1] = { ...last, end };
    else runs.push({ start: c.start, end, face });
  });
  const used = [...new Set(runs.map((r) => r.face))];
  if (used.length === 0 && primary) used.push(primary);
  return { runs, faces: used, missing: [...missing.values()] };
}
