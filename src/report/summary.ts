import type { AssetEntry, BuildResult, CampaignPlan, CampaignResult, DeliveredGeneration, FailureEntry, GenerationKind } from '../core/results.js';
import { outcome, relativeTo, reported, type CommandOutcome } from '../core/outcome.js';
import { usd } from '../core/phrases.js';
import { roundCost } from './manifest.js';

export { usd } from '../core/phrases.js';

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

/** A campaign's cells as this build treated them, in words (the same counts as --json's `delivered`). */
export function cellCounts(c: CampaignResult): string {
  const d = c.delivered ?? { new: c.generated, recomposed: c.cached, unchanged: 0, failed: c.failed, leftOut: 0 };
  const cells = d.new + d.recomposed + d.unchanged + d.failed + d.leftOut;
  const left = d.leftOut > 0 ? `, ${d.leftOut} left out by a filter` : '';
  return `${cells} cells (${d.new} new, ${d.recomposed} re-composed, ${d.unchanged} unchanged, ${d.failed} failed${left})`;
}

/** Generations and candidate images, in words (the same counts as --json's `generations` and `candidates`). */
export function imageCounts(c: CampaignResult): string {
  const g = c.generations;
  const k = c.candidates;
  return [
    g ? `generations: ${g.billed} billed, ${g.cached} cached, ${g.failed} failed` : '',
    k ? `candidates: ${k.made} made, ${k.cached} cached${k.failed > 0 ? `, ${k.failed} failed` : ''}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A frozen build that refused to start: which cells are not as approved, and what to do. */
export function refusedLines(refused: readonly { readonly message: string }[]): string[] {
  return [
    `build --frozen refused: ${refused.length} cell(s) not approved as they are now; nothing was generated or written`,
    ...refused.map((e) => `  ✗ ${e.message}`),
    'review the changes with pressroom diff <campaign> (or a build without --frozen and its gallery), then pressroom approve <campaign>',
  ];
}

/** The end-of-build summary a person reads: one line per campaign, failures, totals. */
export function formatBuildSummary(result: BuildResult & { readonly refused?: readonly { readonly message: string }[] }, rel: (file: string) => string): string {
  const lines: string[] = result.refused && result.refused.length > 0 ? refusedLines(result.refused) : [];
  for (const c of result.campaigns) {
    const cost = c.cost > 0 ? ` · ${usd(c.cost)} spent` : '';
    const images = imageCounts(c);
    lines.push(`${c.name}: ${cellCounts(c)}${images ? ` · ${images}` : ''}${cost} → ${rel(c.manifest)}`);
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

/** What one campaign's build did, counted in assets (a generation may serve several cells) and in generations. */
export function campaignResult(
  name: string,
  results: readonly DeliveredGeneration[],
  entries: { readonly assets: readonly AssetEntry[]; readonly failures: readonly FailureEntry[] },
  manifest: string,
  counts: {
    /** The previous build's manifest: a file written again with the same bytes is unchanged. */
    readonly previous?: { readonly assets: readonly AssetEntry[] };
    /** Cells this build delivers, and the campaign's cells: the rest were left out. */
    readonly built: number;
    readonly allCells: number;
    /** Cells a frozen build refused (their approved file kept): failed here, not in the manifest. */
    readonly refused?: readonly FailureEntry[];
  } = { built: 0, allCells: 0 },
): CampaignResult {
  const count = (kind: GenerationKind) => results.filter((r) => r.kind === kind).reduce((n, r) => n + r.entries.length, 0);
  const newCost = results.filter((r) => r.kind === 'generated').reduce((s, r) => s + (r.entries[0]?.cost ?? 0), 0);
  const before = new Map((counts.previous?.assets ?? []).map((a) => [a.file, a.sha256]));
  const delivered = { new: 0, recomposed: 0, unchanged: 0 };
  for (const r of results) {
    for (const e of r.entries) {
      if (r.kind === 'in-place' || before.get(e.file) === e.sha256) delivered.unchanged++;
      else if (r.kind === 'generated') delivered.new++;
      else delivered.recomposed++;
    }
  }
  const failures = [...entries.failures, ...(counts.refused ?? [])];
  const builtFailed = results.reduce((n, r) => n + r.failures.length, 0);
  return {
    name,
    assets: entries.assets.length,
    generated: count('generated'),
    cached: count('cached') + count('in-place'),
    failed: failures.length,
    manifest,
    failures,
    possibleDuplicates: results.filter((r) => r.possibleDuplicate).length,
    cost: roundCost(newCost),
    generations: {
      billed: results.filter((r) => r.kind === 'generated').length,
      cached: results.filter((r) => r.kind === 'cached' || r.kind === 'in-place').length,
      failed: results.filter((r) => r.kind === 'failed').length,
    },
    delivered: { ...delivered, failed: builtFailed, leftOut: Math.max(0, counts.allCells - counts.built) },
  };
}

/** A finished build: interrupted, failed (any job, or a fatal provider error), or ok. */
export function outcomeOfBuild(result: BuildResult, interrupted: boolean, cwd: string): CommandOutcome {
  const rel = relativeTo(cwd);
  const errors = [
    ...(result.fatal ? [reported(result.fatal.code, { made: withIds(result.fatal) })] : []),
    ...result.campaigns.flatMap((c) =>
      c.failures.map((f) => reported(f.error.code, { made: withIds(f.error) }, { file: rel(c.manifest), field: `${f.variant}/${f.locale}/${f.size}` })),
    ),
    ...result.campaigns.flatMap((c) => (c.writeErrors ?? []).map((e) => reported(e.code, { made: e.message }, { file: rel(c.manifest) }))),
  ];
  const failed = result.fatal !== undefined || result.campaigns.some((c) => c.failed > 0 || (c.writeErrors?.length ?? 0) > 0);
  return outcome(interrupted ? 'interrupted' : result.stoppedOnBudget ? 'over-budget' : failed ? 'failed' : 'ok', errors);
}
