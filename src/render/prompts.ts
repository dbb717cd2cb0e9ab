import type { PromptedCell, Cell } from '../core/generation.js';
import { InputError, formatProblem, type Problem } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import { templateDataOf, watchSize } from './data.js';
import { compileTemplate, renderProblem, type TemplateCompiler } from './templates.js';

/** Renders every cell's prompt; all template problems of the campaign are reported together. */
export function renderPrompts(campaign: ResolvedCampaign, cells: readonly Cell[], compile: TemplateCompiler = compileTemplate): readonly PromptedCell[] {
  const render = compile(campaign.template, campaign.partials);
  const dataOf = templateDataOf(campaign);
  const problems = new Map<string, Problem>();
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
      out.push({ ...cell, prompt: known });
      continue;
    }
    const watched = watchSize(dataOf(cell));
    const data = watched.data;
    try {
      const prompt = normalisePrompt(render(data));
      if (!watched.sizeSeen()) sizeFree.set(group, prompt);
      if (prompt === '') empty++;
      out.push({ ...cell, prompt });
    } catch (err) {
      const label = `variant ${cell.variant.id}, locale ${cell.locale.tag}, size ${cell.size.id}`;
      const problem = layerFieldProblem(renderProblem(err, campaign.template, label, Object.keys(data)), campaign);
      // One line per distinct mistake, not one per cell it breaks.
      const id = formatProblem({ ...problem, message: problem.path ?? problem.message });
      if (!problems.has(id)) problems.set(id, problem);
    }
  }
  if (empty > 0) {
    problems.set('empty', {
      code: 'E_PROMPT',
      file: campaign.template.file,
      line: 1,
      col: 1,
      message: `the template renders an empty prompt for ${cellCount(empty, cells.length)}; providers refuse empty prompts`,
    });
  }
  if (problems.size > 0) throw new InputError([...problems.values()]);
  return out;
}

/** A template asking for a string that a text layer sets: say so, rather than "not defined". */
function layerFieldProblem(problem: Problem, campaign: ResolvedCampaign): Problem {
  const field = /^\{\{(.+)\}\}$/.exec(problem.path ?? '')?.[1];
  if (field === undefined || !campaign.text?.fields.includes(field)) return problem;
  return {
    ...problem,
    message: `"${field}" is typeset as a text layer (text.layers[${campaign.text.fields.indexOf(field)}]), so the prompt does not get it: remove it from the template, or the model would draw it too and every locale would pay for its own image`,
  };
}

/** `3 of 12 cells`, `all 12 cells`. */
export function cellCount(affected: number, total: number): string {
  if (affected === total) return total === 1 ? 'its 1 cell' : `all ${total} cells`;
  return `${affected} of ${total} cells`;
}

/** Templates are written for humans: collapse their line breaks and runs of spaces. */
function normalisePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
