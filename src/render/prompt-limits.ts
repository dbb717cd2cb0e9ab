import { problem, type Problem } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { ProviderInfo } from '../providers/types.js';
import { promptLimitsFor } from '../providers/kit/models.js';
import { type PromptedCell } from '../core/generation.js';

/**
 * Prompts the provider would refuse for their length, found before anything is paid for: one
 * problem per campaign naming the template, how many cells it affects and the limit.
 */
export function promptLimitProblems(campaign: ResolvedCampaign, provider: ProviderInfo, cells: readonly PromptedCell[]): Problem[] {
  const limits = promptLimitsFor(provider, campaign.model);
  if (!limits || cells.length === 0) return [];
  // Each distinct prompt is measured once: cells sharing a prompt share the verdict.
  const verdicts = new Map<string, boolean>();
  let affected = 0;
  let longest = 0;
  let shortest = Infinity;
  for (const { prompt } of cells) {
    let bad = verdicts.get(prompt);
    if (bad === undefined) {
      bad = prompt.length > limits.max || prompt.length < limits.min;
      verdicts.set(prompt, bad);
      if (bad) {
        longest = Math.max(longest, prompt.length);
        shortest = Math.min(shortest, prompt.length);
      }
    }
    if (bad) affected++;
  }
  if (affected === 0) return [];
  const tooLong = longest > limits.max;
  const facts = { kind: tooLong ? 'too-long' : 'too-short', length: tooLong ? longest : shortest, affected, total: cells.length, provider: provider.name, model: campaign.model, min: limits.min, max: limits.max } as const;
  return [problem('E_PROMPT', facts, { file: campaign.template.file, line: 1, col: 1 })];
}
