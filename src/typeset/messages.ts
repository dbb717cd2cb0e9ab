import { messageOf } from '../core/errors.js';
import type { CoverageFacts, FitFacts } from '../core/text-facts.js';
import type { FitResult } from './fit.js';
import type { MissingChar } from './itemize.js';
import { EMOJI, scriptName, UNKNOWN } from './scripts.js';

/** Characters no font draws, as the catalogue's facts: per script, in the order met; undefined when there are none. */
export function coverageFacts(label: string, missing: readonly MissingChar[]): CoverageFacts | undefined {
  if (missing.length === 0) return undefined;
  const byScript = new Map<string, MissingChar[]>();
  for (const m of missing) byScript.set(m.script, [...(byScript.get(m.script) ?? []), m]);
  const scripts = [...byScript].map(([script, chars]) => ({
    name: script === UNKNOWN ? 'a script' : scriptName(script),
    emoji: script === EMOJI,
    key: script === UNKNOWN ? 'default' : script,
    chars: chars.map((c) => ({ char: c.char, codePoint: c.codePoint })),
    packages: [...new Set(chars.flatMap((c) => c.packages))],
  }));
  return { label, scripts };
}

/** Why the copy does not fit, as the catalogue's facts; undefined when it fits. */
export function fitFacts(label: string, box: string, result: FitResult): FitFacts | undefined {
  if (result.fits) return undefined;
  const head = { label, box, size: result.size };
  switch (result.reason) {
    case 'word':
      return { ...head, reason: 'word', longest: [...result.lines].sort((a, b) => b.length - a.length)[0] ?? '' };
    case 'height':
      return { ...head, reason: 'height' };
    case 'hierarchy':
      return { ...head, reason: 'hierarchy', below: result.below! };
    default:
      return { ...head, reason: 'lines', needLines: result.needLines, holdsLines: result.holdsLines };
  }
}

/**
 * The coverage problem in words, or undefined: "ml-IN copy: no font has these Malayalam characters:
 * 'മ', 'ല', 'യ', 'ാ', 'ള' and 33 more; the fix: npm install @expo-google-fonts/noto-sans-malayalam".
 */
export function describeMissing(label: string, missing: readonly MissingChar[]): string | undefined {
  const facts = coverageFacts(label, missing);
  return facts && messageOf('E_COVERAGE', facts);
}

/**
 * The copy-fit problem in words, or undefined when the text fits:
 * "de-DE headline does not fit leaderboard 728×90: needs 3 lines at 14 px, box holds 1".
 */
export function describeFit(label: string, box: string, result: FitResult): string | undefined {
  const facts = fitFacts(label, box, result);
  return facts && messageOf('E_COPYFIT', facts);
}
