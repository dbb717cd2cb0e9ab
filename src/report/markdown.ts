import type { BuildResult, CampaignPlan } from '../core/results.js';
import { roundCost } from './manifest.js';
import { refusedLines, totalEstimate, usd, withIds } from './summary.js';

/**
 * Plans and builds as GitHub-flavoured Markdown: a table with a row per campaign, then the
 * failures with their codes. Made for $GITHUB_STEP_SUMMARY and pull-request comments.
 */

/** Pipes and newlines would break a table row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]) => `| ${r.map(cell).join(' | ')} |`;
  return [line(head), `|${head.map((_, i) => (i === 0 || (i === 1 && head[1]!.includes('model')) ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map(line)].join('\n');
}

export function planMarkdown(plans: readonly CampaignPlan[], options: { readonly check?: boolean; readonly maxCost?: number } = {}): string {
  const checked = options.check === true;
  const head = ['campaign', 'provider · model', 'cells', 'generations', 'cached', 'to generate', 'est. cost', 'budget', ...(checked ? ['out/ missing or stale'] : [])];
  const rows = plans.map((p) => [
    p.name,
    `${p.provider} · ${p.model}`,
    String(p.assets),
    String(p.generations),
    String(p.cached),
    String(p.toGenerate),
    `${usd(p.estimatedCost)}${p.priceSource === 'campaign' ? ' (campaign prices)' : ''}`,
    p.budget === undefined ? '—' : usd(p.budget),
    ...(checked ? [String(p.outdated ?? 0)] : []),
  ]);
  const total = totalEstimate(plans);
  const due = plans.reduce((n, p) => n + p.toGenerate, 0);
  const stale = plans.reduce((n, p) => n + (p.outdated ?? 0), 0);
  const verdict = checked ? (due === 0 && stale === 0 ? 'out/ is current.' : `out/ is not current: ${stale} delivered asset(s) missing or stale.`) : '';
  const limit = options.maxCost === undefined ? '' : ` (--max-cost ${usd(options.maxCost)})`;
  return `### Pressroom plan\n\n${table(head, rows)}\n\n${`**${due} generation(s) to run, estimated ${usd(total)}**${limit}. ${verdict}`.trimEnd()}\n`;
}

export function buildMarkdown(result: BuildResult & { readonly stoppedOnBudget?: boolean; readonly refused?: readonly { readonly code: string; readonly message: string }[] }): string {
  const head = ['campaign', 'cells', 'new', 're-composed', 'unchanged', 'failed', 'left out', 'generations billed · cached · failed', 'candidates made · cached', 'cost'];
  const rows = result.campaigns.map((c) => {
    const d = c.delivered ?? { new: c.generated, recomposed: c.cached, unchanged: 0, failed: c.failed, leftOut: 0 };
    const g = c.generations;
    return [
      c.name,
      String(d.new + d.recomposed + d.unchanged + d.failed + d.leftOut),
      String(d.new),
      String(d.recomposed),
      String(d.unchanged),
      String(d.failed),
      String(d.leftOut),
      g ? `${g.billed} · ${g.cached} · ${g.failed}` : '—',
      c.candidates ? `${c.candidates.made} · ${c.candidates.cached}` : '—',
      usd(c.cost),
    ];
  });
  const failures = result.campaigns.flatMap((c) => [
    ...c.failures.map((f) => `- ${c.name} · ${f.variant} · ${f.locale} · ${f.size}: \`${f.error.code}\` ${cell(withIds(f.error))}`),
    ...(c.writeErrors ?? []).map((e) => `- ${c.name}: \`${e.code}\` ${cell(e.message)}`),
  ]);
  const spent = roundCost(result.campaigns.reduce((s, c) => s + c.cost, 0));
  const notes = [
    ...(result.fatal ? [`Stopped early: \`${result.fatal.code}\` ${cell(result.fatal.message)}`] : []),
    ...(result.stoppedOnBudget ? ['Stopped on budget: nothing new was submitted once spend reached the limit.'] : []),
  ];
  const refused = result.refused ?? [];
  if (refused.length > 0) {
    const words = refusedLines(refused);
    const list = refused.map((e) => `- \`${e.code}\` ${cell(e.message)}`).join('\n');
    return `### Pressroom build\n\n**${cell(words[0]!)}.**\n\n${list}\n\n${cell(words.at(-1)!)}.\n`;
  }
  const parts = [`### Pressroom build\n\n${table(head, rows)}\n\n**Spent ${usd(spent)}.**`, ...notes];
  if (failures.length > 0) parts.push(`#### Failures\n\n${failures.join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
