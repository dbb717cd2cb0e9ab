import { join } from 'node:path';
import type { CampaignPlan } from '../core/results.js';
import { pickedGenerations } from '../plan/approvals.js';
import { outdatedDeliveries } from '../post/current.js';
import { compositorFor } from '../compose/index.js';
import { trustedManifest } from '../post/out-paths.js';
import { readPreviousManifest } from '../report/manifest.js';
import { budgetErrors } from './budget.js';
import { outcome, relativeTo, reported, type CommandOutcome, type ReportedError } from './outcome.js';
import type { PreparedCampaign } from './prepare.js';
import type { Settings } from './settings.js';

/** The first few of a list, then how many more: `a, b, c and 12 more`. */
export function firstFew(items: readonly string[], shown = 3): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}

const cellName = (c: { readonly variant: string; readonly locale: string; readonly size: string }) => `${c.variant}/${c.locale}/${c.size}`;

/**
 * What CI asks of a plan: --check (is out/ current?) and the budgets. Over budget is exit 3 and
 * wins over stale (the estimate is the news); stale or missing deliveries are exit 1. With
 * `listOutdated` (plan --json) the missing and stale files are listed without --check's verdict.
 */
export async function checkedPlan(
  plans: readonly CampaignPlan[],
  prepared: readonly PreparedCampaign[],
  settings: Pick<Settings, 'check' | 'outRoot' | 'maxCost' | 'cwd'> & { readonly listOutdated?: boolean },
): Promise<CommandOutcome & { readonly campaigns: readonly CampaignPlan[] }> {
  const rel = relativeTo(settings.cwd);
  const stale: ReportedError[] = [];
  let campaigns = plans;
  if (settings.check || settings.listOutdated) {
    campaigns = await Promise.all(
      plans.map(async (plan) => {
        const p = prepared.find((x) => x.campaign.name === plan.name);
        if (!p) return plan;
        const outDir = join(settings.outRoot, plan.name);
        const previous = trustedManifest(await readPreviousManifest(outDir), plan.name).manifest;
        const compositor = compositorFor(p.campaign);
        // What a build delivers, picks included: plain and frozen builds both leave out/ current.
        const { generations } = pickedGenerations(p.approvals, p.generations, p.provider.multipleResults);
        const outdated = await outdatedDeliveries(generations, p.campaign.output, previous, outDir, compositor?.layers);
        if (settings.check && (outdated.length > 0 || plan.toGenerate > 0)) {
          const missing = outdated.filter((o) => o.reason === 'missing').length;
          const files = outdated.length > 0 ? `: ${firstFew(outdated.map((o) => `${o.file} (${o.reason})`))}` : '';
          // The files name the cells already; with out/ current but the cache cleared, the cells are the news.
          const cells = (plan.requests ?? []).filter((r) => !r.candidate).flatMap((r) => r.cells.map(cellName));
          const due = plan.toGenerate > 0 && outdated.length === 0 ? ` for ${firstFew(cells)}` : '';
          stale.push(
            reported('E_OUTDATED', `${plan.name}: ${missing} asset(s) missing and ${outdated.length - missing} stale in ${rel(outDir)}${files}; a build would generate ${plan.toGenerate} image(s)${due}`, {
              file: rel(p.campaign.file),
            }),
          );
        }
        return { ...plan, outdated: outdated.length, outdatedAssets: outdated };
      }),
    );
  }
  const over = budgetErrors(campaigns, prepared, settings.maxCost, rel);
  if (over.length > 0) return { ...outcome('over-budget', [...over, ...stale]), campaigns };
  return { ...outcome(stale.length > 0 ? 'failed' : 'ok', stale), campaigns };
}
