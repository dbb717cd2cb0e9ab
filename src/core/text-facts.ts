/**
 * The facts of copy the typesetter cannot set exactly (E_COVERAGE, E_COPYFIT, E_LAYOUT, and
 * validate's E_TEXT), and their sentences. The typesetter states what it found (typeset/messages.ts
 * turns its results into these facts); the words are the catalogue's.
 */

/** At most this many characters are listed per script; the rest are counted. */
const LISTED = 5;

/** Characters of one script no font draws, and what would draw them. */
export interface MissingGlyphs {
  /** The script in words (`Malayalam`, `emoji`, `a script` for one the table does not know). */
  readonly name: string;
  readonly emoji: boolean;
  /** The `fonts:` key that would give the layer a font for them: the ISO 15924 code, or `default`. */
  readonly key: string;
  readonly chars: readonly { readonly char: string; readonly codePoint: string }[];
  /** npm packages that would set them but are not installed. */
  readonly packages: readonly string[];
}

/** `label` names the text (`ml-IN copy`). */
export interface CoverageFacts {
  readonly label: string;
  readonly scripts: readonly MissingGlyphs[];
}

/**
 * Per script, its name, the first characters and how many more, and a fix that works: the npm
 * package that sets the script, or a `fonts:` entry. "ml-IN copy: no font has these Malayalam
 * characters: 'മ' (U+0D2E), ... and 33 more; the fix: npm install @expo-google-fonts/noto-sans-malayalam".
 */
export function coverage(f: CoverageFacts): string {
  const parts = f.scripts.map((s) => {
    const one = s.chars.length === 1;
    const shown = s.chars.slice(0, LISTED).map((c) => `'${c.char}' (${c.codePoint})`);
    const more = s.chars.length > LISTED ? ` and ${s.chars.length - LISTED} more` : '';
    const fix = s.packages.length > 0 ? `npm install ${s.packages.join(' ')}` : `give the layer or campaign a font that has ${one ? 'it' : 'them'}: fonts: { ${s.key}: fonts/<file>.ttf }`;
    return `no font has ${one ? 'this' : 'these'} ${s.emoji ? 'emoji' : `${s.name} character${one ? '' : 's'}`}: ${shown.join(', ')}${more}; the fix: ${fix}`;
  });
  return `${f.label}: ${parts.join('; ')}`;
}

/**
 * Copy that does not fit: `label` names the text (`de-DE headline`), `box` the place (`leaderboard
 * 728×90`), `size` the size tried. Each reason says what the box lacks, so the message never
 * contradicts itself.
 */
export type FitFacts = { readonly label: string; readonly box: string; readonly size: number } & (
  | { readonly reason: 'word'; readonly longest: string }
  | { readonly reason: 'height' }
  | { readonly reason: 'hierarchy'; readonly below: { readonly field: string; readonly ratio: number; readonly size: number } }
  | { readonly reason: 'lines'; readonly needLines: number; readonly holdsLines: number }
);

export function fit(f: FitFacts): string {
  const head = `${f.label} does not fit ${f.box}`;
  switch (f.reason) {
    case 'word':
      return `${head}: "${f.longest}" is wider than the box at ${f.size} px and has no break point`;
    case 'height':
      return `${head}: one line at ${f.size} px is taller than the box`;
    case 'hierarchy':
      return `${head}: it would be set at ${f.size} px, but must be at least ${f.below.ratio}× the ${f.below.field} (${f.below.size} px at the smallest)`;
    case 'lines':
      return `${head}: needs ${f.needLines} lines at ${f.size} px, box holds ${f.holdsLines}`;
  }
}

/** A layer's box (pixels) that is not inside its `width`×`height` image. */
export interface LayoutFacts {
  readonly label: string;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly width: number;
  readonly height: number;
}

export const layout = (f: LayoutFacts) => `${f.label}: box ${f.box.width}×${f.box.height} at ${f.box.x},${f.box.y} is not inside the ${f.width}×${f.height} image`;

/** validate's refusal of a layer's copy, with the fix for it: `layer` is its place in the campaign (`layers[2]`), `field` its locale key. */
export type TextFacts = { readonly kind: 'missing'; readonly coverage: CoverageFacts } | { readonly kind: 'fit'; readonly fit: FitFacts; readonly layer: string; readonly field: string };

export function text(f: TextFacts): string {
  if (f.kind === 'missing') return coverage(f.coverage);
  const fix = f.fit.reason === 'hierarchy' ? `shorten the ${f.field}, give it a larger box, or lower the ${f.fit.below.field}'s size.min` : 'shorten the copy, or give the layer a larger box or a smaller size.min';
  return `${fit(f.fit)} (${f.layer}; ${fix})`;
}

/** What the schema cannot say about text layers: sizes that cross, a field set twice, boxes outside the frame. */
export type TextLayoutFacts =
  | { readonly kind: 'size-range'; readonly min: number; readonly max: number }
  /** `first`: where the field's first layer is (`layers[0]`). */
  | { readonly kind: 'duplicate-layer'; readonly field: string; readonly first: string }
  | { readonly kind: 'size-text-without-layers' }
  | { readonly kind: 'no-layer'; readonly field: string; readonly meant?: string }
  | { readonly kind: 'box-off-edge'; readonly edge: 'right' | 'bottom'; readonly start: number; readonly extent: number }
  | { readonly kind: 'box-empty' };

export function textLayout(f: TextLayoutFacts): string {
  switch (f.kind) {
    case 'size-range':
      return `size min ${f.min} is larger than max ${f.max}`;
    case 'duplicate-layer':
      return `\`${f.field}\` already has a layer (${f.first})`;
    case 'size-text-without-layers':
      return 'per-size text settings need text layers (layers with a field) in the campaign';
    case 'no-layer':
      return `no text layer sets \`${f.field}\`${f.meant === undefined ? '' : `; did you mean \`${f.meant}\`?`}`;
    case 'box-off-edge':
      return f.edge === 'right' ? `box runs off the right edge: x ${f.start} + width ${f.extent} is over 1` : `box runs off the bottom edge: y ${f.start} + height ${f.extent} is over 1`;
    case 'box-empty':
      return 'box has no area (width and height must be over 0)';
  }
}

const TEXT_LAYOUT_KINDS: ReadonlySet<string> = new Set(['size-range', 'duplicate-layer', 'size-text-without-layers', 'no-layer', 'box-off-edge', 'box-empty']);
export const isTextLayout = (f: { readonly kind: string }): f is TextLayoutFacts => TEXT_LAYOUT_KINDS.has(f.kind);
