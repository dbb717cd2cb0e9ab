import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileSentence } from '../core/phrases.js';
import { MAX_TEMPLATE_BYTES, readProjectText, type FileProblem } from './project-file.js';
import type { PartialSource, TemplateSource } from '../core/campaign.js';

/**
 * `poster` names a project template (<projectRoot>/templates/poster.hbs); anything with a slash
 * or ending in .hbs is a path relative to the campaign file, for one-off templates.
 */
export function templatePath(value: string, campaignFile: string, projectRoot: string): string {
  return isTemplatePath(value) ? resolve(dirname(campaignFile), value) : join(resolve(projectRoot), 'templates', `${value}.hbs`);
}

function isTemplatePath(value: string): boolean {
  return /[\\/]/.test(value) || value.toLowerCase().endsWith('.hbs');
}

export async function readTemplate(
  value: string,
  campaignFile: string,
  projectRoot: string,
): Promise<TemplateSource | (FileProblem & { readonly file?: string })> {
  // Only .hbs files are templates: `template: ../../.env` must not turn a secret into a prompt.
  if (isTemplatePath(value) && extname(value).toLowerCase() !== '.hbs') {
    const facts = { what: 'template', shown: value, refused: 'not-hbs' } as const;
    return { code: 'E_PATH', facts, problem: fileSentence(facts) };
  }
  const file = templatePath(value, campaignFile, projectRoot);
  const shown = relative(resolve(projectRoot), file) || file;
  const read = await readProjectText(file, projectRoot, { maxBytes: MAX_TEMPLATE_BYTES, shown, what: 'template' });
  return 'problem' in read ? { ...read, file } : { file, source: read.text };
}

export interface Partials {
  readonly partials: readonly PartialSource[];
  /** Each with the partial's file (E_PATH, E_ENCODING) or the folder. */
  readonly problems: readonly (FileProblem & { readonly file: string })[];
}

/** Every templates/partials/*.hbs, read now: rendering reads no files. */
export async function readPartials(partialsDir: string, projectRoot: string): Promise<Partials> {
  let names: string[];
  try {
    names = (await readdir(partialsDir)).filter((f) => f.endsWith('.hbs')).sort();
  } catch {
    return { partials: [], problems: [] }; // no partials folder: a template without partials
  }
  const partials: PartialSource[] = [];
  const problems: (FileProblem & { readonly file: string })[] = [];
  for (const name of names) {
    const file = join(partialsDir, name);
    const read = await readProjectText(file, projectRoot, { maxBytes: MAX_TEMPLATE_BYTES, shown: `templates/partials/${name}`, what: 'partial' });
    if ('problem' in read) problems.push({ ...read, file });
    else partials.push({ name: partialName(file), file, source: read.text });
  }
  return { partials, problems };
}

/** `templates/partials/style.hbs` is used as `{{> style}}`. */
function partialName(file: string): string {
  return basename(file, extname(file));
}
