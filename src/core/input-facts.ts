/**
 * The facts of the input problems that come in several kinds, and their sentences: the words of
 * the catalogue's input half (errors-input.ts), kept here so the table stays readable.
 */
import { describeReceived, didYouMean, fileSentence, type FileFacts } from './phrases.js';

/** A value that is not what the schema (or a flag) expects. */
export type Mismatch =
  | { readonly kind: 'mismatch'; readonly expected: string; readonly received: unknown; readonly meant?: string }
  | { readonly kind: 'missing'; readonly field: string; readonly expected: string }
  | { readonly kind: 'empty-file'; readonly expected: string }
  | { readonly kind: 'unknown-field'; readonly field: string; readonly meant?: string };

export function mismatch(f: Mismatch): string {
  switch (f.kind) {
    case 'mismatch':
      return `expected ${f.expected} but received ${describeReceived(f.received)}${didYouMean(f.meant)}`;
    case 'missing':
      return `missing required field \`${f.field}\`: expected ${f.expected}`;
    case 'empty-file':
      return `expected ${f.expected} but the file is empty`;
    case 'unknown-field':
      return `unknown field \`${f.field}\`${didYouMean(f.meant)}`;
  }
}

export const isFile = (f: object): f is FileFacts => 'refused' in f;
const TAG_EXAMPLES = '(like en-US, de-DE, zh-CN)';

export type YamlFacts =
  | { readonly kind: 'duplicate-key'; readonly key: string }
  | { readonly kind: 'documents' }
  | { readonly kind: 'alias-bomb' }
  | { readonly kind: 'not-data' }
  /** The YAML parser's own words for a syntax error. */
  | { readonly kind: 'parser'; readonly said: string };

export type LocaleFacts =
  | { readonly kind: 'no-locales' }
  | { readonly kind: 'tag-too-long'; readonly tag: string; readonly max: number }
  | { readonly kind: 'not-bcp47'; readonly tag: string }
  | { readonly kind: 'no-language'; readonly tag: string }
  | { readonly kind: 'same-locale'; readonly tag: string; readonly first: string; readonly canonical: string }
  | { readonly kind: 'folder-missing'; readonly folder: string }
  | { readonly kind: 'folder-empty'; readonly folder: string }
  | { readonly kind: 'unknown-source'; readonly tag: string; readonly choices: readonly string[] }
  | { readonly kind: 'misspelt-field'; readonly locale: string; readonly field: string; readonly meant: string }
  | { readonly kind: 'not-in-source'; readonly locale: string; readonly field: string; readonly source: string }
  /** `layer`: where the layer is written (`layers[2]`). */
  | { readonly kind: 'missing-layer-field'; readonly locale: string; readonly field: string; readonly layer: string }
  | { readonly kind: 'missing-source-field'; readonly locale: string; readonly field: string; readonly source: string }
  | Mismatch
  | FileFacts;

export function locale(f: LocaleFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'no-locales':
      return 'expected at least one locale (like `en-US: { headline: ... }`) but received an empty mapping';
    case 'tag-too-long':
      return `\`${f.tag.slice(0, 20)}...\` is ${f.tag.length} characters; a locale tag has at most ${f.max} ${TAG_EXAMPLES}`;
    case 'not-bcp47':
      return `\`${f.tag}\` is not a BCP 47 locale tag ${TAG_EXAMPLES}`;
    case 'no-language':
      return `\`${f.tag}\` names no known language (expected a tag like en-US, de-DE, zh-CN)`;
    case 'same-locale':
      return `\`${f.tag}\` is the same locale as \`${f.first}\` (${f.canonical})`;
    case 'folder-missing':
      return `locale folder not found: ${f.folder}`;
    case 'folder-empty':
      return `no <tag>.yaml files in ${f.folder}`;
    case 'unknown-source':
      return `no locale \`${f.tag}\` in this campaign; expected one of ${f.choices.join(', ')}`;
    case 'misspelt-field':
      return `${f.locale}: unknown field \`${f.field}\`${didYouMean(f.meant)}`;
    case 'not-in-source':
      return `${f.locale}: unknown field \`${f.field}\`: ${f.source}, the source locale, has no such field (every locale has the same fields)`;
    case 'missing-layer-field':
      return `${f.locale}: missing field \`${f.field}\`, which a text layer sets (${f.layer})`;
    case 'missing-source-field':
      return `${f.locale}: missing field \`${f.field}\` (${f.source}, the source locale, has it; every locale has the same fields)`;
    default:
      return mismatch(f);
  }
}

export type TemplateFacts =
  /** Handlebars' parser, in words: what could come next (`expected`) and what was there. */
  | { readonly kind: 'syntax'; readonly expected: readonly string[]; readonly found: string }
  | { readonly kind: 'unclosed-block'; readonly block: string }
  | { readonly kind: 'stray-close'; readonly block: string }
  | { readonly kind: 'mismatched-close'; readonly block: string; readonly close: string }
  | { readonly kind: 'unclosed-comment' }
  | { readonly kind: 'not-defined'; readonly name: string; readonly cell: string; readonly defined: readonly string[] }
  | { readonly kind: 'helper-missing'; readonly name: string; readonly cell: string }
  /** A built-in helper used without what it needs; `usage` shows the right form. */
  | { readonly kind: 'helper-use'; readonly helper: string; readonly usage: string; readonly cell: string }
  /** `helperMissing`, `blockHelperMissing`: Handlebars' hooks for unknown names, called by hand. */
  | { readonly kind: 'internal-helper'; readonly helper: string; readonly cell: string }
  | { readonly kind: 'partial-missing'; readonly name: string; readonly cell?: string }
  | { readonly kind: 'partial-recursive'; readonly name: string; readonly cycle: readonly string[] }
  | { readonly kind: 'dynamic-partial'; readonly expression: string; readonly cell: string }
  /** `{{headline.length}}`: a field read from a value that has none (a string, a number, nothing). */
  | { readonly kind: 'no-property'; readonly path: string; readonly property: string; readonly value: string; readonly cell: string }
  | { readonly kind: 'typeset-field'; readonly field: string; readonly layer: string }
  /** What Handlebars said when rendering failed in a way not named above. */
  | { readonly kind: 'render'; readonly cell: string; readonly said: string }
  | FileFacts;

const orList = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

export function template(f: TemplateFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'syntax':
      return `template syntax error: expected ${orList(f.expected)} but found ${f.found}`;
    case 'unclosed-block':
      return `template syntax error: \`{{#${f.block}}}\` is never closed; add \`{{/${f.block}}}\` where its block ends`;
    case 'stray-close':
      return `template syntax error: \`{{/${f.block}}}\` closes a block that was never opened; remove it or add \`{{#${f.block} ...}}\` before it`;
    case 'mismatched-close':
      return `template syntax error: \`{{#${f.block}}}\` is closed by \`{{/${f.close}}}\`; close it with \`{{/${f.block}}}\``;
    case 'unclosed-comment':
      return 'template syntax error: a `{{!--` comment is never closed; end it with `--}}`';
    case 'not-defined':
      return `"${f.name}" is not defined (for ${f.cell}): it is neither a variable nor a helper; defined: ${f.defined.join(', ')}`;
    case 'helper-missing':
      return `"${f.name}" is not a helper (for ${f.cell}): it is called with arguments, but no helper has that name; prompts have the built-in helpers if, unless, each, with and lookup`;
    case 'helper-use':
      return `\`${f.helper}\` is not used the way it works (for ${f.cell}); write it like ${f.usage}`;
    case 'internal-helper':
      return `\`${f.helper}\` is Handlebars' own hook for unknown names, not a helper a template calls (for ${f.cell}); remove it`;
    case 'partial-missing':
      return `partial \`${f.name}\` not found${f.cell === undefined ? '' : ` (for ${f.cell})`}; expected templates/partials/${f.name}.hbs`;
    case 'partial-recursive':
      return `partial \`${f.name}\` includes itself (${f.cycle.join(' → ')}); partials cannot be recursive`;
    case 'dynamic-partial':
      return `\`{{> ${f.expression}}}\` cannot choose a partial (for ${f.cell}): inside (...) comes a helper call; to pick a partial by a variable's value, write \`{{> (lookup . "variable")}}\``;
    case 'no-property':
      return `"${f.path}" cannot be read (for ${f.cell}): the value is ${f.value}, which has no "${f.property}"`;
    case 'typeset-field':
      return `"${f.field}" is typeset as a text layer (${f.layer}), so the prompt does not get it: remove it from the template, or the model would draw it too and every locale would pay for its own image`;
    case 'render':
      return `template failed for ${f.cell}: ${f.said}`;
  }
}

export type UsageFacts =
  | { readonly kind: 'value'; readonly expected: string; readonly received: string; readonly meant?: string }
  | { readonly kind: 'empty'; readonly expected: string }
  | { readonly kind: 'no-command'; readonly commands: readonly string[] }
  /** `takenBy`: the commands that do take the flag (none: no command knows it). */
  | { readonly kind: 'unknown-flag'; readonly flag: string; readonly command?: string; readonly takenBy: readonly string[]; readonly meant?: string }
  | { readonly kind: 'flag-value'; readonly flag: string; readonly needs: 'a value' | 'no value' }
  /** What node's argument parser said, for a mistake not named above. */
  | { readonly kind: 'argv'; readonly said: string }
  | { readonly kind: 'no-such'; readonly dimension: string; readonly value: string; readonly where: string; readonly choices: readonly string[] };

export function usage(f: UsageFacts): string {
  switch (f.kind) {
    case 'value':
      return `expected ${f.expected} but received ${JSON.stringify(f.received)}${didYouMean(f.meant)}`;
    case 'empty':
      return `expected ${f.expected} but received an empty string`;
    case 'no-command':
      return `a command is required: ${f.commands.join(', ')}; see pressroom --help`;
    case 'unknown-flag': {
      const help = f.command ? `pressroom ${f.command} --help` : 'pressroom --help';
      if (f.takenBy.length === 0) return `unknown option ${f.flag}${didYouMean(f.meant)}; see ${help}`;
      return `${f.command ?? 'this command'} does not take ${f.flag}; ${f.takenBy.join(', ')} ${f.takenBy.length === 1 ? 'takes' : 'take'} it; see ${help}`;
    }
    case 'argv':
      return `${f.said}; see pressroom --help`;
    case 'flag-value':
      return f.needs === 'a value' ? `${f.flag} needs a value (${f.flag} <value>)` : `${f.flag} takes no value`;
    case 'no-such':
      return `no ${f.dimension} "${f.value}" ${f.where}; expected one of ${f.choices.join(', ')}`;
  }
}

export type ReferenceFacts =
  | { readonly kind: 'not-image'; readonly entry: string }
  | { readonly kind: 'format'; readonly entry: string; readonly format?: string }
  | { readonly kind: 'no-dimensions'; readonly entry: string }
  | { readonly kind: 'too-many-pixels'; readonly entry: string; readonly width: number; readonly height: number; readonly limit: number }
  | { readonly kind: 'scheme'; readonly scheme: string }
  | { readonly kind: 'no-host'; readonly entry: string }
  | { readonly kind: 'bad-url'; readonly entry: string }
  | Mismatch
  | FileFacts;

export function reference(f: ReferenceFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'not-image':
      return `${f.entry} is not a PNG, JPEG or WebP image`;
    case 'format':
      return `${f.entry} is ${f.format ? `in ${f.format.toUpperCase()} format` : 'not an image'}; expected PNG, JPEG or WebP`;
    case 'no-dimensions':
      return `${f.entry} has no readable dimensions`;
    case 'too-many-pixels':
      return `${f.entry} declares ${f.width}×${f.height} pixels (${Math.round((f.width * f.height) / 1e6)} MP); Pressroom decodes at most ${Math.round(f.limit / 1e6)} MP`;
    case 'scheme':
      return `${f.scheme}: URLs are not accepted; use an https URL or a file path`;
    case 'no-host':
      return `${f.entry} has no host`;
    case 'bad-url':
      return `${f.entry} is not a valid URL`;
    default:
      return mismatch(f);
  }
}

export type SizeFacts =
  | { readonly kind: 'aspect'; readonly width: number; readonly height: number; readonly range: string }
  | { readonly kind: 'pixels'; readonly width: number; readonly height: number; readonly limit: number }
  | Mismatch;

export function size(f: SizeFacts): string {
  const wxh = 'width' in f ? `${f.width}x${f.height}` : '';
  if (f.kind === 'aspect') {
    const ratio = f.width / f.height;
    return `${wxh} has aspect ratio ${ratio >= 1 ? `${ratio.toFixed(2)}:1` : `1:${(1 / ratio).toFixed(2)}`}; Seedream generates ${f.range} only`;
  }
  if (f.kind === 'pixels') return `${wxh} is over ${f.limit} pixels`;
  return mismatch(f);
}

/** `affected` of `total` cells; a length is the longest prompt (too long) or the shortest (too short). */
export type PromptFacts =
  | { readonly kind: 'empty'; readonly affected: number; readonly total: number }
  | { readonly kind: 'too-long' | 'too-short'; readonly length: number; readonly affected: number; readonly total: number; readonly provider: string; readonly model: string; readonly min: number; readonly max: number };


/** What is wrong with an image or shape layer, or with a text layer's plate. */
export type LayerFacts =
  | { readonly kind: 'not-image'; readonly file: string; readonly format?: string }
  | { readonly kind: 'svg-unsafe'; readonly file: string; readonly found: string }
  | { readonly kind: 'no-dimensions'; readonly file: string }
  | { readonly kind: 'too-many-pixels'; readonly file: string; readonly width: number; readonly height: number; readonly limit: number }
  | { readonly kind: 'upscaled'; readonly file: string; readonly layer: string; readonly size: string; readonly width: number; readonly height: number; readonly drawnWidth: number; readonly drawnHeight: number }
  | { readonly kind: 'no-default'; readonly layer: string }
  | { readonly kind: 'duplicate-id'; readonly id: string; readonly first: string }
  | { readonly kind: 'unknown-layer'; readonly id: string; readonly ids: readonly string[]; readonly meant?: string }
  | { readonly kind: 'both-lists' }
  | { readonly kind: 'text-override'; readonly id: string }
  | { readonly kind: 'locale-key'; readonly layer: string; readonly key: string; readonly locales: readonly string[] }
  | { readonly kind: 'plate-contrast'; readonly layer: string; readonly text: string; readonly plate: string; readonly ratio: number; readonly min: number }
  | FileFacts;

export function layer(f: LayerFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'not-image':
      return `${f.file} is ${f.format ? `a ${f.format.toUpperCase()} image` : 'not an image'}; an image layer draws an SVG or a PNG`;
    case 'svg-unsafe':
      return `${f.file} has ${f.found}; a layer's SVG must be self-contained drawing (outline its text, embed images as data: URLs), so it looks the same on every machine and reads nothing else`;
    case 'no-dimensions':
      return `${f.file} declares no width and height (nor a viewBox); give the SVG a size`;
    case 'too-many-pixels':
      return `${f.file} declares ${f.width}×${f.height} pixels (${Math.round((f.width * f.height) / 1e6)} MP); Pressroom decodes at most ${Math.round(f.limit / 1e6)} MP`;
    case 'upscaled':
      return `${f.file} is ${f.width}×${f.height} pixels but layer ${f.layer} draws it at ${f.drawnWidth}×${f.drawnHeight} on ${f.size}: a bitmap is never scaled up (it would blur); use an SVG, a larger PNG, a smaller box, or upscale: true`;
    case 'no-default':
      return `layer ${f.layer} names files per locale but no \`default\`: every locale without its own file needs one`;
    case 'duplicate-id':
      return `layer id \`${f.id}\` is already used by ${f.first}; give each layer its own id`;
    case 'unknown-layer':
      return `no layer has id \`${f.id}\`${didYouMean(f.meant)}; expected one of ${f.ids.join(', ') || 'none'} (a text layer's id is its field)`;
    case 'text-override':
      return `\`${f.id}\` is a text layer: change it at this size under sizes[].text.${f.id} (sizes[].layers takes image and shape layers, or false)`;
    case 'locale-key':
      return `layer ${f.layer} names a file for \`${f.key}\`, which is neither a locale of this campaign nor the language of one (${f.locales.join(', ')}); expected default or one of them`;
    case 'both-lists':
      return 'the campaign has both `layers` and `text.layers`; put every layer in `layers` (text.layers is its older name)';
    case 'plate-contrast':
      return `layer ${f.layer}: text ${f.text} on its plate ${f.plate} has a contrast of ${f.ratio.toFixed(2)}:1, under the ${f.min}:1 WCAG AA asks of text set at its size; darken or lighten one of them, or set the text larger`;
  }
}

/** A size's preset and what it allows. */
export type PresetFacts =
  | Mismatch
  /** `by`: `preset display-300x250`, or `its formats list`. */
  | { readonly kind: 'format'; readonly size: string; readonly by: string; readonly format: string; readonly formats: readonly string[]; readonly from: string };

export function preset(f: PresetFacts): string {
  switch (f.kind) {
    case 'format':
      return `size ${f.size} delivers ${f.format} (${f.from}), which ${f.by} does not take; it takes ${f.formats.join(', ')}`;
    default:
      return mismatch(f);
  }
}

/** A layer box entering a band of the frame the channel's app covers. */
export interface SafeAreaFacts {
  readonly size: string;
  readonly preset: string;
  readonly layer: string;
  readonly band: string;
  readonly covers: string;
  /** The band's edge, in words: `the top 14%`. */
  readonly extent: string;
}

export const safeArea = (f: SafeAreaFacts) =>
  `layer ${f.layer} on size ${f.size} enters the ${f.band} band of ${f.preset} (${f.extent}, covered by ${f.covers}); move its box out of the band`;
