/**
 * The facts of the input problems that come in several kinds, and their sentences: the words of
 * the catalogue's input half (errors-input.ts), kept here so the table stays readable.
 */
import { describeReceived, didYouMean, fileSentence, sizeText, type FileFacts } from './phrases.js';

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
  /** `received` is left out when the text must not be echoed (it holds credentials). */
  | { readonly kind: 'value'; readonly expected: string; readonly received?: string; readonly meant?: string }
  | { readonly kind: 'unknown-variable'; readonly meant: string }
  | { readonly kind: 'listen'; readonly host: string; readonly port: number; readonly said: string }
  | { readonly kind: 'no-cell'; readonly cell: string; readonly campaign: string; readonly cells: readonly string[] }
  | { readonly kind: 'pick'; readonly cell: string; readonly shown: number; readonly pick: number }
  | { readonly kind: 'campaign-exists'; readonly name: string }
  | { readonly kind: 'empty'; readonly expected: string }
  | { readonly kind: 'no-command'; readonly commands: readonly string[] }
  /** `takenBy`: the commands that do take the flag (none: no command knows it). */
  | { readonly kind: 'unknown-flag'; readonly flag: string; readonly command?: string; readonly takenBy: readonly string[]; readonly meant?: string }
  | { readonly kind: 'flag-value'; readonly flag: string; readonly needs: 'a value' | 'no value' }
  /** What node's argument parser said, for a mistake not named above. */
  | { readonly kind: 'argv'; readonly said: string }
  | { readonly kind: 'no-such'; readonly dimension: string; readonly value: string; readonly where: string; readonly choices: readonly string[]; readonly meant?: string };

export function usage(f: UsageFacts): string {
  switch (f.kind) {
    case 'value':
      return `expected ${f.expected}${f.received === undefined ? '' : ` but received ${JSON.stringify(f.received)}`}${didYouMean(f.meant)}`;
    case 'unknown-variable':
      return `is not a Pressroom variable; did you mean ${f.meant}? (unset it, or rename it)`;
    case 'listen':
      return `cannot listen on ${f.host}:${f.port} for provider callbacks (${f.said})`;
    case 'no-cell':
      return `no cell ${JSON.stringify(f.cell)} in campaign ${f.campaign}; expected variant/locale/size, one of ${f.cells.join(', ')}`;
    case 'pick':
      return `the last build showed ${f.shown} image${f.shown === 1 ? '' : 's'} of ${f.cell} (picks 0 to ${f.shown - 1}), not ${f.pick}: build with --candidates ${f.pick + 1} first`;
    case 'campaign-exists':
      return `campaigns/${f.name} already exists; pick another name`;
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
      return `no ${f.dimension} "${f.value}" ${f.where}; ${f.meant === undefined ? 'expected' : `did you mean \`${f.meant}\`? Expected`} one of ${f.choices.join(', ')}`;
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
  | ReferenceLimitFacts
  | Mismatch
  | FileFacts;

/** A reference the campaign's provider does not take (its documented limits); `entry` names it as `reference 2 (assets/bottle.png)`. */
export type ReferenceLimitFacts = { readonly provider: string } & (
  | { readonly kind: 'count'; readonly count: number; readonly max: number }
  | { readonly kind: 'url-scheme'; readonly entry: string; readonly httpsOnly: boolean }
  | { readonly kind: 'mime'; readonly entry: string; readonly mime: string; readonly accepted: string }
  | { readonly kind: 'bytes'; readonly entry: string; readonly bytes: number; readonly max: number }
  | { readonly kind: 'sides'; readonly entry: string; readonly width: number; readonly height: number; readonly min: number; readonly max: number }
  | { readonly kind: 'pixels-aspect'; readonly entry: string; readonly width: number; readonly height: number; readonly maxPixels: number; readonly maxAspect: number }
  | { readonly kind: 'no-edit-model'; readonly model: string }
);

function referenceLimit(f: ReferenceLimitFacts): string {
  const wxh = 'width' in f ? `${f.width}x${f.height}` : '';
  switch (f.kind) {
    case 'count':
      return `${f.provider} takes at most ${f.max} reference images, not ${f.count}`;
    case 'url-scheme':
      return f.httpsOnly ? `${f.entry} must be an https URL (${f.provider} fetches it server-side)` : `${f.entry} is not an http(s) URL`;
    case 'mime':
      return `${f.entry} is ${f.mime}; ${f.provider} takes ${f.accepted}`;
    case 'bytes':
      return `${f.entry} is ${sizeText(f.bytes)}; ${f.provider} takes at most ${sizeText(f.max)} per image`;
    case 'sides':
      return `${f.entry} is ${wxh}; each side must be ${f.min} to ${f.max} px`;
    case 'pixels-aspect':
      return `${f.entry} is ${wxh}; expected at most ${Math.round(f.maxPixels / 1e6)} MP and an aspect ratio within 1:${f.maxAspect} to ${f.maxAspect}:1`;
    case 'no-edit-model':
      return `${f.provider} documents no image-to-image model for ${f.model}; use seedream-4.5 or remove the references`;
  }
}

export function reference(f: ReferenceFacts): string {
  if (isFile(f)) return fileSentence(f);
  if ('provider' in f) return `${f.provider}: ${referenceLimit(f)}`;
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
