import type { PromptedCell, Cell } from '../core/generation.js';
import { InputError, formatProblem, messageOf, problem, type Problem } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import { altTexts } from './alt.js';
import { templateDataOf, watchSize } from './data.js';
import { renderFailure, type RenderContext } from './render-problems.js';
import { prepareTemplate, type RenderPrompt, type TemplateCompiler } from './templates.js';

/**
 * Renders every cell's prompt; all template problems of the campaign are reported together: the
 * template's own (syntax, partials) and every cell's, each undefined name once however many cells
 * it breaks.
 */
export function renderPrompts(campaign: ResolvedCampaign, cells: readonly Cell[], compile: TemplateCompiler = prepareTemplate): readonly PromptedCell[] {
  const prepared = compile(campaign.template, campaign.partials);
  const dataOf = templateDataOf(campaign);
  const problems = new Map<string, Problem>();
  // One line per distinct mistake, not one per cell it breaks.
  const add = (p: Problem) => {
    const id = formatProblem({ ...p, message: p.path ?? p.message });
    if (!problems.has(id)) problems.set(id, p);
  };
  prepared.problems.forEach(add);
  const alts = altTexts(campaign);
  const withAlt = (cell: Cell, prompt: string): PromptedCell => {
    const alt = alts.alt(cell);
    // Spelled out, not `{ ...cell, prompt }`: an object literal that starts with a spread gets a
    // hidden class of its own on Node 20 (V8 11.3), 50,000 of them at 50,000 cells (issue 25).
    const { variant, locale, size } = cell;
    return alt === undefined ? { variant, locale, size, prompt } : { variant, locale, size, prompt, alt };
  };
  const { render } = prepared;
  if (!render) throw new InputError([...problems.values(), ...alts.problems]);
  const out: PromptedCell[] = [];
  // The prompt of a variant and locale whose render never looked at `size`: the same for all its
  // sizes, so a 10-size campaign renders a tenth of its cells (the rest of the data is the same).
  const sizeFree = new Map<string, string>();
  let empty = 0;
  for (const cell of cells) {
    const group = `${cell.variant.id}\u0000${cell.locale.tag}`;
    const known = sizeFree.get(group);
    if (known !== undefined) {
      if (known === '') empty++;
      out.push(withAlt(cell, known));
      continue;
    }
    const raw = dataOf(cell);
    const watched = watchSize(raw);
    try {
      const prompt = normalisePrompt(render(watched.data));
      if (!watched.sizeSeen()) sizeFree.set(group, prompt);
      if (prompt === '') empty++;
      out.push(withAlt(cell, prompt));
    } catch (err) {
      const ctx: RenderContext = {
        template: campaign.template,
        locator: prepared.locator,
        cell: `variant ${cell.variant.id}, locale ${cell.locale.tag}, size ${cell.size.id}`,
        defined: Object.keys(raw),
      };
      for (const p of cellProblems(render, raw, err, ctx)) add(layerFieldProblem(p, campaign));
    }
  }
  // A template whose partials are missing renders what it can; its empty prompts are not news.
  if (empty > 0 && prepared.problems.length === 0) {
    problems.set('empty', problem('E_PROMPT', { kind: 'empty', affected: empty, total: cells.length }, { file: campaign.template.file, line: 1, col: 1 }));
  }
  alts.problems.forEach(add);
  if (problems.size > 0) throw new InputError([...problems.values()]);
  return out;
}

/** How many undefined names one cell's render is followed through. */
const MAX_NAMES = 20;

/**
 * Every undefined name and unknown helper a cell's render meets, not only the first: each is given
 * a stand-in (a blank value, a helper that writes nothing) and the render tried again.
 */
function cellProblems(render: RenderPrompt, raw: Readonly<Record<string, unknown>>, first: unknown, ctx: RenderContext): Problem[] {
  const found: Problem[] = [];
  const filled: Record<string, unknown> = {};
  let err = first;
  for (let tries = 0; tries < MAX_NAMES; tries++) {
    const { facts, problem: p } = renderFailure(err, ctx);
    found.push(p);
    if (!('kind' in facts) || (facts.kind !== 'not-defined' && facts.kind !== 'helper-missing')) break;
    const { name } = facts;
    if (Object.hasOwn(filled, name) || Object.hasOwn(raw, name)) break;
    filled[name] = facts.kind === 'helper-missing' ? () => '' : BLANK;
    try {
      render(watchSize({ ...raw, ...filled }).data);
      break;
    } catch (next) {
      err = next;
    }
  }
  return found;
}

/** Stands in for an undefined name: renders as nothing and has every field, itself blank. */
const BLANK: unknown = new Proxy(Object.create(null) as object, {
  get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : typeof key === 'symbol' ? undefined : BLANK),
  has: (_t, key) => typeof key === 'string',
  getOwnPropertyDescriptor: (_t, key) => (typeof key === 'string' ? { value: BLANK, writable: true, enumerable: false, configurable: true } : undefined),
  ownKeys: () => [],
});

/** A template asking for a string that a text layer sets: say so, rather than "not defined". */
function layerFieldProblem(found: Problem, campaign: ResolvedCampaign): Problem {
  const field = /^\{\{(.+)\}\}$/.exec(found.path ?? '')?.[1];
  if (field === undefined || !campaign.text?.fields.includes(field)) return found;
  const layer = campaign.text.paths?.[field] ?? `text.layers[${campaign.text.fields.indexOf(field)}]`;
  return { ...found, message: messageOf('E_TEMPLATE', { kind: 'typeset-field', field, layer }) };
}

/** Templates are written for humans: collapse their line breaks and runs of spaces. */
function normalisePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
