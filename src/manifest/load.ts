import { basename, dirname, join, resolve, relative } from 'node:path';
import { InputError, problem, type Problem } from '../core/errors.js';
import { checkCampaign } from './checks.js';
import { resolveCampaignPath } from './find.js';
import { isMapping, issuesToFindings } from './issues.js';
import { checkLocaleKeys } from './locale-keys.js';
import { checkLocaleTags, readLocaleFolder, type LocaleEntry, type TaggedEntry } from './locales.js';
import { resolveReference } from './references.js';
import { campaignSchema } from './schema.js';
import { collectLocations, formatPath, parseYaml, placeFindings, problemAt, type YamlSource } from './source.js';
import { readTemplate, readPartials } from './template.js';
import { MAX_YAML_BYTES, readProjectText, type FileProblem } from './project-file.js';
import { checkFontFiles, checkText } from './text-schema.js';
import { checkLayerNames, checkPlacements } from './layer-checks.js';
import { readLayerFiles } from './layer-files.js';
import { layerListOf } from './layer-names.js';
import { resolveLayers, type LayerInput } from './layers.js';
import { checkSizes, resolveSizes } from './size-schema.js';
import type { CropFocus, Locale, Reference, ResolvedCampaign, SourceLocation, Variant } from '../core/campaign.js';

export { findCampaigns, resolveCampaignPath } from './find.js';

export interface LoadOptions {
  /** Holds templates/ (bare template names) and templates/partials/. */
  readonly projectRoot: string;
  /** Where a relative campaign path starts; the project root when absent. */
  readonly cwd?: string;
}

/**
 * campaign.yaml (or its folder) -> ResolvedCampaign, with templates, locale files and reference
 * images read. Throws InputError listing every problem found, each with file:line:col and path.
 */
export async function loadCampaign(path: string, options: LoadOptions): Promise<ResolvedCampaign> {
  const root = options.projectRoot;
  const file = resolveCampaignPath(path, options.cwd ?? root);
  const dir = dirname(file);
  const read = await readProjectText(file, root, { maxBytes: MAX_YAML_BYTES, shown: relative(resolve(root), file) || file, what: 'campaign file' });
  if ('problem' in read) throw new InputError([fileProblem(read, file, 'E_NOT_FOUND')]);
  const parsed = parseYaml(file, read.text);
  // A file that is not valid YAML has no trustworthy structure to check further.
  if (parsed.problems.length > 0) throw new InputError(parsed.problems);
  const { source, data } = parsed;

  const problems: Problem[] = [];
  const result = campaignSchema.safeParse(data);
  if (!result.success) problems.push(...placeFindings(source, issuesToFindings(result.error.issues, data, campaignSchema)));
  problems.push(...placeFindings(source, checkCampaign(data)));

  const raw = isMapping(data) ? data : {};
  const template = typeof raw.template === 'string' && raw.template ? await readTemplate(raw.template, file, root) : undefined;
  if (template && 'problem' in template) {
    // A template that is not UTF-8 is located in the template; every other problem at `template:`.
    if (template.code === 'E_ENCODING' && template.file) problems.push(fileProblem(template, template.file, 'E_TEMPLATE'));
    else problems.push(problemAt(source, template.code ?? 'E_TEMPLATE', template.facts, ['template']));
  }
  const partialsDir = join(resolve(root), 'templates', 'partials');
  const partials = await readPartials(partialsDir, root);
  problems.push(...partials.problems.map((p) => fileProblem(p, p.file, 'E_TEMPLATE')));
  const references = await resolveReferences(raw.references, dir, root, source, problems);
  const locales = await resolveLocales(raw.locales, dir, root, source, problems);
  const layerFiles = await readLayerFiles(raw, dir, root);
  const tags = locales.tagged.map((t) => t.tag.tag);
  problems.push(...placeFindings(source, [...checkText(raw), ...checkSizes(raw), ...checkLayerNames(raw, tags), ...layerFiles.findings, ...(await checkFontFiles(raw, dir, root))]));
  const textRef = textFieldsOf(raw, locales.tagged, source, problems);
  problems.push(...checkLocaleKeys(locales.tagged, textRef));

  if (problems.length > 0 || !result.success || !template || 'problem' in template) {
    throw new InputError(sortProblems(problems, file));
  }
  const c = result.data;
  const sizes = resolveSizes(c.sizes, c.output, isMapping(raw.output) && raw.output.format !== undefined);
  const list = layerListOf(c as Record<string, unknown>);
  const resolved = resolveLayers(list.items as LayerInput[], list.at.join('.'), c.text, c.sizes, layerFiles.files, textRef?.source ?? locales.tagged[0]!.tag.tag);
  // What each size would draw, checked once sizes and layers are resolved: still before anything is paid for.
  if (resolved.layers) {
    const placed = placeFindings(source, checkPlacements(raw, sizes, resolved.layers, locales.tagged.some((t) => t.tag.direction === 'rtl')));
    if (placed.length > 0) throw new InputError(sortProblems(placed, file));
  }
  return {
    name: c.name ?? slugify(basename(dir)),
    dir,
    file,
    provider: c.provider,
    model: c.model,
    template,
    partialsDir,
    partials: partials.partials,
    ...(c.seed !== undefined ? { seed: c.seed } : {}),
    ...(c.candidates !== undefined ? { candidates: c.candidates } : {}),
    references,
    vars: c.vars,
    variants: c.variants.map(toVariant),
    locales: locales.tagged.map(toLocale),
    sizes,
    output: c.output,
    providerOptions: c.providerOptions,
    ...(c.prices ? { prices: c.prices } : {}),
    ...(resolved.text ? { text: resolved.text } : {}),
    ...(resolved.layers ? { layers: resolved.layers } : {}),
    ...(c.alt !== undefined ? { alt: c.alt } : {}),
    ...(c.budget !== undefined ? { budget: c.budget } : {}),
    locations: locationsOf(source, locales.tagged),
  };
}

/** A refused file as a problem located in that file (line and column when the decoder knows them). */
function fileProblem(p: FileProblem, file: string, fallback: 'E_NOT_FOUND' | 'E_TEMPLATE'): Problem {
  // A whole-file problem (outside, too large) is placed at the file's start.
  return problem(p.code ?? fallback, p.facts, { file, line: p.line ?? 1, col: p.col ?? 1 });
}

async function resolveReferences(value: unknown, dir: string, root: string, source: YamlSource, problems: Problem[]): Promise<Reference[]> {
  if (!Array.isArray(value)) return [];
  const references: Reference[] = [];
  for (const [i, entry] of value.entries()) {
    if (typeof entry !== 'string') continue; // the schema reports it
    const ref = await resolveReference(entry, dir, root);
    if (!('facts' in ref)) references.push(ref);
    else if (ref.code && 'refused' in ref.facts) problems.push(problemAt(source, ref.code, ref.facts, ['references', i]));
    else problems.push(problemAt(source, 'E_REFERENCE', ref.facts, ['references', i]));
  }
  return references;
}

async function resolveLocales(value: unknown, dir: string, root: string, source: YamlSource, problems: Problem[]): Promise<{ tagged: TaggedEntry[] }> {
  let entries: LocaleEntry[] = [];
  if (typeof value === 'string' && value) {
    const folder = await readLocaleFolder(value, dir, source, root);
    problems.push(...folder.problems);
    entries = [...folder.entries];
  } else if (isMapping(value)) {
    entries = Object.entries(value).map(([written, strings]) => ({ written, strings, source, base: ['locales', written] }));
  }
  const checked = checkLocaleTags(entries);
  problems.push(...checked.problems);
  return { tagged: checked.tagged };
}

/** The fields text layers set and the source locale, as written (the schema reports bad shapes). */
function textFieldsOf(raw: Record<string, unknown>, tagged: readonly TaggedEntry[], source: YamlSource, problems: Problem[]) {
  const { items, at } = layerListOf(raw);
  const texts = items.flatMap((l, i) => (isMapping(l) && typeof l.field === 'string' ? [[l.field, `${at.join('.')}[${i}]`] as const] : []));
  if (texts.length === 0) return undefined;
  const fields = [...new Set(texts.map(([f]) => f))];
  const paths: Record<string, string> = Object.fromEntries([...texts].reverse());
  const written = isMapping(raw.text) ? raw.text.source : undefined;
  if (typeof written !== 'string') return { fields, paths };
  const found = tagged.find((t) => t.tag.tag.toLowerCase() === written.toLowerCase() || t.entry.written === written);
  if (!found && tagged.length > 0) {
    problems.push(problemAt(source, 'E_LOCALE', { kind: 'unknown-source', tag: written, choices: tagged.map((t) => t.tag.tag) }, ['text', 'source']));
  }
  return { fields, paths, source: found?.tag.tag };
}

/** The crop is the variant's own, not the template's: a crop edit re-cuts from the cached image, never regenerates. */
function toVariant({ id, focus, crop, ...fields }: { id: string; focus?: { x: number; y: number } | undefined; crop?: 'centre' | 'attention' | undefined; [k: string]: unknown }): Variant {
  const chosen: CropFocus | undefined = focus ?? (crop === 'attention' ? 'attention' : undefined);
  return { id, fields, ...(chosen !== undefined ? { focus: chosen } : {}) };
}

function toLocale({ entry, tag }: TaggedEntry): Locale {
  return { tag: tag.tag, language: tag.language, direction: tag.direction, strings: entry.strings as Record<string, string> };
}

function locationsOf(main: YamlSource, tagged: readonly TaggedEntry[]): Record<string, SourceLocation> {
  const locations: Record<string, SourceLocation> = {};
  collectLocations(main, locations);
  for (const { entry } of tagged) if (entry.source !== main) collectLocations(entry.source, locations);
  // Later stages know locales by canonical tag; `de-de` as written is also found as `de-DE`.
  for (const { entry, tag } of tagged) {
    if (tag.tag === entry.written) continue;
    const written = formatPath(['locales', entry.written]);
    const canonical = formatPath(['locales', tag.tag]);
    for (const [key, loc] of Object.entries(locations)) {
      if (key === written || key.startsWith(`${written}.`) || key.startsWith(`${written}[`)) locations[canonical + key.slice(written.length)] = loc;
    }
  }
  return locations;
}

/** Campaign file first, then other files; by position within each. */
function sortProblems(problems: readonly Problem[], mainFile: string): Problem[] {
  const rank = (p: Problem) => (p.file === mainFile ? '' : (p.file ?? '\uffff'));
  return [...problems].sort((a, b) => rank(a).localeCompare(rank(b)) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .slice(0, 64)
    .replace(/^[-_]+|[-_]+$/g, '');
  return slug || 'campaign';
}
