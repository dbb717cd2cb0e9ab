import type { Problem } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { ProviderInfo } from '../providers/types.js';
import { promptLimitsFor } from '../providers/kit/models.js';
import { cellCount } from './prompts.js';
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
  const measured = longest > limits.max ? `up to ${longest} characters long` : `${shortest} characters long`;
  return [
    {
      code: 'E_PROMPT',
      file: campaign.template.file,
      line: 1,
      col: 1,
      message: `the rendered prompt is ${measured} for ${cellCount(affected, cells.length)}; ${provider.name} accepts ${limits.min}-${limits.max} characters for ${campaign.model}: shorten the template or its strings`,
    },
  ];
}
