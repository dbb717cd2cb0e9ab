/**
 * The input half of the error catalogue (exit 2): problems with what the user wrote, collected in
 * one pass and reported with file, line and field. Each message is a function of named facts; the
 * call site says what it found, the words are here (and in input-facts.ts for the codes that come
 * in several kinds). See errors-data.ts for the rest.
 */
import { cellCount, fileSentence, type FileFacts } from './phrases.js';
import { isFile, locale, mismatch, reference, size, template, usage, type Mismatch, type PromptFacts, type YamlFacts } from './input-facts.js';
import { layer, plateContrast, preset, safeArea } from './layer-facts.js';
import { folder, lock, notBuilt, type FolderFacts, type LockFacts, type NotBuiltFacts } from './project-facts.js';
import { isTextLayout, text, textLayout, type TextFacts, type TextLayoutFacts } from './text-facts.js';

const input = <F>(title: string, hint: string, message: (facts: F) => string) => ({ title, hint, exit: 2 as const, message });

export const INPUT_ERRORS = {
  E_YAML: input('YAML syntax error', 'fix the YAML at the line shown (duplicate keys and aliases are refused)', (f: YamlFacts) => {
    if (f.kind === 'duplicate-key') return `duplicate key \`${f.key}\``;
    if (f.kind === 'documents') return 'a campaign file holds one YAML document; remove the `---` separator';
    if (f.kind === 'alias-bomb') return 'too many aliases (possible alias bomb); expand them by hand';
    if (f.kind === 'not-data') return 'cannot be converted to data';
    return f.said;
  }),
  E_SCHEMA: input(
    'Campaign file does not match the schema',
    'see the field named and examples/ for the expected shape',
    (f: Mismatch | { readonly kind: 'device-name'; readonly value: string } | TextLayoutFacts | FileFacts) =>
      isFile(f)
        ? fileSentence(f)
        : f.kind === 'device-name'
          ? `\`${f.value}\` is a reserved device name (con, prn, aux, nul, com0-9, lpt0-9) and cannot name a file; choose another`
          : isTextLayout(f)
            ? textLayout(f)
            : mismatch(f),
  ),
  E_DUPLICATE_ID: input(
    'Duplicate id',
    'ids of variants, sizes and campaign names must be unique',
    (f: { readonly kind: 'id'; readonly id: string; readonly firstAt: string } | { readonly kind: 'campaign-name'; readonly name: string; readonly alsoIn: string }) =>
      f.kind === 'id' ? `duplicate id \`${f.id}\` (first used by ${f.firstAt})` : `campaign name "${f.name}" is also used by ${f.alsoIn}; out/ folders would collide`,
  ),
  E_NAME_CLASH: input(
    'Two cells would deliver one file',
    'every <variant>-<size> must be a different file name, ignoring case; rename a variant or size id',
    (f: { readonly variant: string; readonly size: string; readonly firstVariant: string; readonly firstSize: string; readonly name: string; readonly byCase: boolean }) =>
      `variant \`${f.variant}\` with size \`${f.size}\` and variant \`${f.firstVariant}\` with size \`${f.firstSize}\` would both deliver <locale>/${f.name}.<ext>${f.byCase ? ' (file names ignore case on macOS and Windows)' : ''}; rename one of these ids`,
  ),
  E_RESERVED_NAME: input(
    'Reserved name',
    'rename the key; names like __proto__ and constructor are refused',
    (f: { readonly name: string; readonly reserved: readonly string[] }) => `\`${f.name}\` is reserved (the template receives it from Pressroom: ${f.reserved.join(', ')}); rename the field`,
  ),
  E_LOCALE: input('Locale problem', 'locale files are locales/<BCP 47 tag>.yaml with headline and copy', locale),
  E_SIZE: input('Invalid size', 'width and height are integers within the provider limits', size),
  E_PROVIDER: input(
    'Provider or model not available',
    'pick a provider and model from those pressroom build --help lists',
    (f: Mismatch | { readonly kind: 'model'; readonly provider: string; readonly model: string; readonly models: readonly string[] }) =>
      f.kind === 'model' ? `provider ${f.provider} does not offer ${f.model}; expected one of ${f.models.join(', ')}` : mismatch(f),
  ),
  E_PROVIDER_OPTION: input(
    'Provider option not understood',
    'use only the providerOptions the provider page in docs/providers/ lists',
    (f: { readonly provider: string; readonly option: string } & ({ readonly why: string } | { readonly known: readonly string[] })) =>
      'why' in f
        ? `${f.provider}: providerOptions.${f.option}: ${f.why}`
        : `${f.provider}: providerOptions.${f.option} is not a setting Pressroom understands for ${f.provider}; expected ${f.known.map((k) => `providerOptions.${k}`).join(', ') || 'none'}`,
  ),
  E_TEMPLATE: input('Template problem', 'check the template file, its syntax and the variables it uses', template),
  E_REFERENCE: input('Reference image problem', 'references must be readable images within the provider limits', reference),
  E_USAGE: input('Usage error', 'see pressroom <command> --help for the flags each command takes, and the README for environment variables and their ranges', usage),
  E_PATH: input('File outside the project or not allowed', 'name files inside the project: regular, not hidden, within the size cap', fileSentence),
  E_ENCODING: input('Text file not UTF-8', 'save the file as UTF-8 (or UTF-16 with a BOM)', fileSentence),
  E_PROMPT: input(
    'Prompt empty or too long',
    'shorten the template or the copy; each model has a prompt limit',
    (f: PromptFacts) => {
      const cells = cellCount(f.affected, f.total);
      if (f.kind === 'empty') return `the template renders an empty prompt for ${cells}; providers refuse empty prompts`;
      const measured = f.kind === 'too-long' ? `up to ${f.length} characters long` : `${f.length} characters long`;
      return `the rendered prompt is ${measured} for ${cells}; ${f.provider} accepts ${f.min}-${f.max} characters for ${f.model}: shorten the template or its strings`;
    },
  ),
  E_ENV: input(
    'Missing API key',
    'set the key in the environment or in .env at the project root',
    (f: { readonly variable: string; readonly provider?: string; readonly kind: 'unset' | 'whitespace' }) =>
      f.kind === 'unset'
        ? `${f.variable} is not set: export it or add it to .env in the project root (provider ${f.provider})`
        : `${f.variable} contains whitespace, a line break or a control character; API keys have none: check how it was pasted (provider ${f.provider})`,
  ),
  E_OUTPUT_DIR: input(
    'Output or cache folder unusable',
    'pass a folder that exists or can be created and is writable (--out, --cache-dir, PRESSROOM_CACHE_DIR)',
    (f: FolderFacts) => folder(f),
  ),
  E_APPROVALS: input(
    'approved.lock unreadable or not for this campaign',
    'fix the field at the line shown, restore the file from git, or delete it and approve again with pressroom approve <campaign>',
    (f: LockFacts) => lock(f),
  ),
  E_NOT_BUILT: input(
    'Nothing to approve or compare yet',
    'run pressroom build <campaign> first, review out/<campaign>/index.html, then approve',
    (f: NotBuiltFacts) => notBuilt(f),
  ),
  E_NOT_FOUND: input(
    'Campaign not found',
    'pass a campaign folder or its campaign.yaml, or create campaigns/<name>/campaign.yaml',
    (f: { readonly kind: 'no-file-in'; readonly folder: string; readonly file: string } | { readonly kind: 'no-campaign'; readonly arg: string } | { readonly kind: 'none-under'; readonly root: string } | FileFacts) =>
      isFile(f)
        ? fileSentence(f)
        : f.kind === 'no-file-in'
          ? `no ${f.file} in ${f.folder}`
          : f.kind === 'no-campaign'
            ? `campaign not found: ${f.arg}`
            : `no campaigns found under ${f.root}/campaigns (expected campaigns/<name>/campaign.yaml)`,
  ),
  E_FONT_FILE: input(
    'Brand font file not usable',
    'give the layer a TrueType or OpenType font (.ttf, .otf; WOFF and WOFF2 inside are read too), at most 64 MB decompressed',
    (f: { readonly font: string; readonly problem: string }) => `font file ${f.font} ${f.problem}`,
  ),
  E_LAYER: input('Image or shape layer not usable', 'layers draw SVG or PNG files of the project; see README "Layers"', layer),
  E_PLATE_CONTRAST: input(
    'Text too faint on its button plate',
    "change plate.color or the layer's color (its text, white unless set) until the two reach the contrast the message names: WCAG AA asks 4.5:1, or 3:1 for text set at 24 px or more (18.66 px bold); a translucent plate is measured over black and over white",
    plateContrast,
  ),
  E_PRESET: input('Unknown preset, or a format it does not take', 'see docs/presets.md for the built-in presets and what each takes; any field can be overridden on the size', preset),
  E_SAFE_AREA: input("Layer in a channel's unsafe area", "the channel's app draws over that band: keep text, logos and buttons out of it (safeAreas: false on the size turns the check off)", safeArea),
  E_TEXT: input(
    'Copy cannot be typeset exactly',
    'shorten the copy or give the layer a larger box or smaller size.min; for a missing glyph, the message names the package to install or the fonts: entry to add',
    (f: TextFacts) => text(f),
  ),
} as const;
