import { join } from 'node:path';
import { outcome, relativeTo, reported, type CommandOutcome, type ReportedError } from '../core/outcome.js';
import type { CampaignPlan } from '../core/results.js';
import type { CampaignBuildPlan } from '../plan/build-plan.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { outdatedDeliveries } from '../post/current.js';
import { placedLayers } from '../compose/place.js';
import type { Cell } from '../core/generation.js';
import { trustedManifest } from '../post/out-paths.js';
import { budgetErrors } from '../report/budget.js';
import { readPreviousManifest } from '../report/manifest.js';
import type { Settings } from './settings.js';

const cellName = (c: { readonly variant: string; readonly locale: string; readonly size: string }) => `${c.variant}/${c.locale}/${c.size}`;

/**
 * What CI asks of a plan: --check (is out/ current?) and the budgets. Over budget is exit 3 and
 * wins over stale (the estimate is the news); stale or missing deliveries are exit 1. With
 * `listOutdated` (plan --json) the missing and stale files are listed without --check's verdict.
 */
export async function checkedPlan(
  plans: readonly CampaignPlan[],
  prepared: readonly PreparedCampaign[],
  buildPlans: ReadonlyMap<PreparedCampaign, CampaignBuildPlan>,
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
        // The layers a delivery would draw (placement only: a plan loads no typesetter).
        const { campaign } = p;
        const layersOf = campaign.layers || campaign.text ? (cell: Cell) => placedLayers(campaign, cell.locale, cell.size) : undefined;
        // What a build delivers, picks included: plain and frozen builds both leave out/ current.
        const { generations } = buildPlans.get(p)!.picked;
        const outdated = await outdatedDeliveries(generations, p.campaign.output, previous, outDir, layersOf);
        if (settings.check && (outdated.length > 0 || plan.toGenerate > 0)) {
          const dueCells = (plan.requests ?? []).filter((r) => !r.candidate).flatMap((r) => r.cells.map(cellName));
          const facts = { campaign: plan.name, outDir: rel(outDir), files: outdated, toGenerate: plan.toGenerate, dueCells };
          stale.push(reported('E_OUTDATED', facts, { file: rel(p.campaign.file) }));
        }
        return { ...plan, outdated: outdated.length, outdatedAssets: outdated };
      }),
    );
  }
  const over = budgetErrors(campaigns, prepared.map((p) => p.campaign), settings.maxCost, rel);
  if (over.length > 0) return { ...outcome('over-budget', [...over, ...stale]), campaigns };
  return { ...outcome(stale.length > 0 ? 'failed' : 'ok', stale), campaigns };
}
