import type { FitResult } from './fit.js';
import type { MissingChar } from './itemize.js';
import { EMOJI, scriptName, UNKNOWN } from './scripts.js';

/** At most this many characters are listed per script; the rest are counted. */
const LISTED = 5;

/**
 * The coverage problem in words, or undefined: per script, its name, the first characters and how
 * many more, and a fix that works: the npm package that sets the script, or a `fonts:` entry.
 * "ml-IN copy: no font has these Malayalam characters: 'മ', 'ല', 'യ', 'ാ', 'ള' and 33 more; the fix:
 * npm install @expo-google-fonts/noto-sans-malayalam".
 */
export function describeMissing(label: string, missing: readonly MissingChar[]): string | undefined {
  if (missing.length === 0) return undefined;
  const byScript = new Map<string, MissingChar[]>();
  for (const m of missing) byScript.set(m.script, [...(byScript.get(m.script) ?? []), m]);
  const parts = [...byScript].map(([script, chars]) => {
    const shown = chars.slice(0, LISTED).map((c) => `'${c.char}' (${c.codePoint})`);
    const more = chars.length > LISTED ? ` and ${chars.length - LISTED} more` : '';
    const name = script === UNKNOWN ? 'a script' : scriptName(script);
    const packages = [...new Set(chars.flatMap((c) => c.packages))];
    const key = script === UNKNOWN ? 'default' : script;
    const fix = packages.length > 0 ? `npm install ${packages.join(' ')}` : `give the layer or campaign a font that has ${chars.length === 1 ? 'it' : 'them'}: fonts: { ${key}: fonts/<file>.ttf }`;
    return `no font has ${chars.length === 1 ? 'this' : 'these'} ${script === EMOJI ? 'emoji' : `${name} character${chars.length === 1 ? '' : 's'}`}: ${shown.join(', ')}${more}; the fix: ${fix}`;
  });
  return `${label}: ${parts.join('; ')}`;
}

/**
 * The copy-fit problem in words, or undefined when the text fits. Each reason says what the box
 * lacks, so the message never contradicts itself:
 * "de-DE headline does not fit leaderboard 728×90: needs 3 lines at 14 px, box holds 1".
 * `label` names the text ("de-DE headline"), `box` the place ("leaderboard 728×90").
 */
export function describeFit(label: string, box: string, result: FitResult): string | undefined {
  if (result.fits) return undefined;
  switch (result.reason) {
    case 'word': {
      const longest = [...result.lines].sort((a, b) => b.length - a.length)[0] ?? '';
      return `${label} does not fit ${box}: "${longest}" is wider than the box at ${result.size} px and has no break point`;
    }
    case 'height':
      return `${label} does not fit ${box}: one line at ${result.size} px is taller than the box`;
    case 'hierarchy': {
      const b = result.below!;
      return `${label} does not fit ${box}: it would be set at ${result.size} px, but must be at least ${b.ratio}× the ${b.field} (${b.size} px at the smallest)`;
    }
    default:
      return `${label} does not fit ${box}: needs ${result.needLines} lines at ${result.size} px, box holds ${result.holdsLines}`;
  }
}
