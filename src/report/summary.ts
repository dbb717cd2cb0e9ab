import type { AssetEntry, BuildResult, CampaignPlan, CampaignResult, DeliveredGeneration, FailureEntry, GenerationKind } from '../core/results.js';
import { roundCost } from './manifest.js';

export const usd = (n: number | null) => (n === null ? 'unknown' : `$${n.toFixed(n > 0 && n < 1 ? 3 : 2)}`);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** The message, plus the provider code and task id where the message does not already say them. */
export function withIds(e: { readonly message: string; readonly providerCode?: string; readonly taskId?: string }): string {
  const parts: [string, string | undefined][] = [
    ['code', e.providerCode],
    ['task', e.taskId],
  ];
  const missing = parts.filter(([, value]) => value && !e.message.includes(value)).map(([label, value]) => `${label} ${value}`);
  return missing.length > 0 ? `${e.message} (${missing.join(', ')})` : e.message;
}

/** The end-of-build summary a person reads: one line per campaign, failures, totals. */
export function formatBuildSummary(result: BuildResult, rel: (file: string) => string): string {
  const lines: string[] = [];
  for (const c of result.campaigns) {
    const cost = c.cost > 0 ? ` · ${usd(c.cost)} spent` : '';
    lines.push(`${c.name}: ${c.assets} assets (${c.generated} generated, ${c.cached} cached, ${c.failed} failed)${cost} → ${rel(c.manifest)}`);
    for (const f of c.failures) {
      lines.push(`  ✗ ${f.variant} · ${f.locale} · ${f.size}: ${withIds(f.error)}`);
    }
    for (const e of c.writeErrors ?? []) lines.push(`  ✗ ${e.message}`);
    if (c.possibleDuplicates > 0) {
      lines.push(`  ! ${c.possibleDuplicates} generation(s) were resubmitted after a submit whose answer was lost: the provider may have charged twice; check its dashboard`);
    }
  }
  if (result.fatal) lines.push(`stopped early: ${result.fatal.message}`);
  const failed = result.campaigns.reduce((n, c) => n + c.failed, 0);
  if (failed > 0) lines.push(`${failed} asset(s) failed; finished ones are written and cached — re-run to retry only the failures`);
  return `${lines.join('\n')}\n`;
}

/** The sum of the estimates; null when any is unknown (never counted as free). */
export function totalEstimate(plans: readonly CampaignPlan[]): number | null {
  if (plans.some((p) => p.estimatedCost === null)) return null;
  return roundCost(plans.reduce((s, p) => s + (p.estimatedCost ?? 0), 0));
}

export function formatPlan(plans: readonly CampaignPlan[]): string {
  const rows = [
    ['campaign', 'provider', 'model', 'assets', 'generations', 'cached', 'to generate', 'est. cost'],
    ...plans.map((p) => [p.name, p.provider, p.model, String(p.assets), String(p.generations), String(p.cached), String(p.toGenerate), `${usd(p.estimatedCost)}${p.priceSource === 'campaign' ? '*' : ''}`]),
  ];
  const total = totalEstimate(plans);
  const note = plans.some((p) => p.priceSource === 'campaign') ? '\n* price from the campaign\'s prices table' : '';
  return `${table(rows)}\nestimated cost of this build: ${usd(total)}${note}\n`;
}

/** What one campaign's build did, counted in assets (a generation may serve several cells). */
export function campaignResult(
  name: string,
  results: readonly DeliveredGeneration[],
  entries: { readonly assets: readonly AssetEntry[]; readonly failures: readonly FailureEntry[] },
  manifest: string,
): CampaignResult {
  const count = (kind: GenerationKind) => results.filter((r) => r.kind === kind).reduce((n, r) => n + r.entries.length, 0);
  const newCost = results.filter((r) => r.kind === 'generated').reduce((s, r) => s + (r.entries[0]?.cost ?? 0), 0);
  return {
    name,
    assets: entries.assets.length,
    generated: count('generated'),
    cached: count('cached') + count('in-place'),
    failed: entries.failures.length,
    manifest,
    failures: entries.failures,
    possibleDuplicates: results.filter((r) => r.possibleDuplicate).length,
    cost: roundCost(newCost),
    generations: {
      billed: results.filter((r) => r.kind === 'generated').length,
      cached: results.filter((r) => r.kind === 'cached' || r.kind === 'in-place').length,
      failed: results.filter((r) => r.kind === 'failed').length,
    },
  };
}
