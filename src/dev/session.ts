import { basename, dirname } from 'node:path';
import type { MatrixFilter } from '../core/generation.js';
import { ERRORS, formatProblem, hintOf, messageOf, type ErrorCode, type FactsOf } from '../core/errors.js';
import { campaignsTouched } from './folders.js';
import type { GalleryFonts } from '../post/gallery-fonts.js';
import type { SpendBook } from './spend.js';
import { isOutcome, type ApproveChoice, type Built, type DevCampaign, type DevControl, type DevOutcome, type DevPipeline, type DevProblem } from './types.js';
import { campaignView, changesBetween, type CampaignView } from './view.js';

/**
 * The loop of `pressroom dev`: one campaign at a time, one thing at a time (a rebuild, a
 * generation, an approval), so two of them never write the same out/ folder. A save rebuilds the
 * campaigns it concerns: validate, deliver out/ as build does (from the cache for a paid provider:
 * nothing is submitted), plan what is still to be paid for, and tell the page which cells changed.
 */

export type Phase = 'building' | 'ready' | 'invalid';

/** What the page is told about one campaign. */
export interface CampaignState {
  readonly name: string;
  readonly file: string;
  readonly phase: Phase;
  readonly view?: CampaignView;
  /** Input problems and failures, each also as the CLI prints its line. */
  readonly problems: readonly (DevProblem & { readonly shown: string })[];
  /** Milliseconds the last rebuild took, from the save to out/ and the page. */
  readonly ms?: number;
}

export interface SessionDeps {
  readonly pipeline: DevPipeline;
  readonly spend: SpendBook;
  readonly control: DevControl;
  readonly now: () => number;
  readonly publish: (event: string, data: unknown) => void;
}

export interface DevSession {
  /** Rebuilds the campaigns these changed files concern (all of them when none are named). */
  refresh(changed?: readonly string[]): Promise<void>;
  generate(campaign: string, cell: string): Promise<DevOutcome>;
  approve(campaign: string, choice: ApproveChoice): Promise<DevOutcome>;
  unapprove(campaign: string, cells: readonly string[]): Promise<DevOutcome>;
  campaigns(): readonly CampaignState[];
  prepared(campaign: string): DevCampaign | undefined;
  fonts(campaign: string): GalleryFonts | undefined;
  /** Every campaign read so far: what to watch. */
  preparedAll(): readonly DevCampaign[];
  spendState(): { readonly spent: number; readonly maxCost?: number };
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
}

const withLine = (e: DevProblem) => ({ ...e, shown: formatProblem({ ...e, path: e.field }) });

/** A problem in the catalogue's words, as the CLI reports one. */
export function devProblem<C extends ErrorCode>(code: C, facts: FactsOf<C>, field?: string): DevProblem {
  return { code, title: ERRORS[code].title, message: messageOf(code, facts), hint: hintOf(code), ...(field ? { field } : {}) };
}
const outcomeOf = (status: string, exitCode: number, errors: readonly DevProblem[] = []): DevOutcome => ({ status, exitCode, errors });

const cellFilter = (cell: string): MatrixFilter | undefined => {
  const [variant, locale, size, ...rest] = cell.split('/');
  return variant && locale && size && rest.length === 0 ? { variants: [variant], locales: [locale], sizes: [size] } : undefined;
};

export function createSession(deps: SessionDeps): DevSession {
  const { pipeline, control } = deps;
  const states = new Map<string, CampaignState>();
  const prepared = new Map<string, DevCampaign>();
  const fonts = new Map<string, GalleryFonts>();
  let files: readonly string[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const pending = new Set<string>();
  let everything = false;
  let scheduled = false;

  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
  const byName = (name: string) => [...states.values()].find((s) => s.name === name);
  const set = (file: string, state: CampaignState) => {
    states.set(file, state);
    return state;
  };

  async function cycle(file: string, started: number): Promise<void> {
    const prior = states.get(file);
    const name = prior?.name ?? basename(dirname(file));
    deps.publish('status', { name, phase: 'building' });
    const dc = await pipeline.prepare(file);
    if (isOutcome(dc)) {
      pipeline.show(dc);
      const state = set(file, { ...(prior ?? { name, file }), name, file, phase: 'invalid', problems: dc.errors.map(withLine) });
      deps.publish('campaign', state);
      return;
    }
    prepared.set(file, dc);
    const free = dc.provider.cpuBound === true;
    const built = await pipeline.deliver(file, free, control);
    // A paid campaign's cells not in the cache are waiting for a generate, not failing.
    const problems = free ? built.errors : built.errors.filter((e) => e.code !== 'E_CACHE_MISS');
    if (problems.length > 0) pipeline.show({ ...built, errors: problems });
    const manifest = await pipeline.manifest(dc.campaign.name);
    const plan = free ? undefined : await pipeline.plan(file);
    const view = campaignView(dc, manifest, plan?.campaigns[0]);
    fonts.set(dc.campaign.name, await pipeline.fonts(dc, manifest));
    const before = prior?.name === dc.campaign.name ? prior.view : undefined;
    const state = set(file, { name: dc.campaign.name, file, phase: 'ready', view, problems: [...problems, ...(plan?.errors ?? [])].map(withLine), ms: Math.round(deps.now() - started) });
    const changes = changesBetween(before, view);
    if (changes.whole || (prior?.problems.length ?? 0) > 0 || state.problems.length > 0) deps.publish('campaign', state);
    else deps.publish('cells', { name: state.name, cells: changes.cells, ms: state.ms });
    const waiting = view.cells.filter((c) => c.state === 'needs-generation').length;
    const counts = built.campaigns[0]?.delivered;
    const done = counts ? `${counts.new} new, ${counts.recomposed} re-composed, ${counts.unchanged} unchanged` : 'nothing delivered';
    pipeline.note(`${state.name}: ${done}${waiting > 0 ? `; ${waiting} cell(s) wait for a paid generation (the page's generate button)` : ''} · ${state.ms} ms`);
  }

  async function runPending(): Promise<void> {
    scheduled = false;
    if (control.stop.aborted) return;
    const started = deps.now();
    const changed = [...pending];
    const all = everything;
    pending.clear();
    everything = false;
    files = await pipeline.campaignFiles();
    for (const gone of [...states.keys()].filter((f) => !files.includes(f))) {
      const state = states.get(gone)!;
      states.delete(gone);
      prepared.delete(gone);
      deps.publish('removed', { name: state.name });
    }
    const todo = all ? files : campaignsTouched(changed, files);
    for (const file of todo) {
      if (control.stop.aborted) return;
      try {
        await cycle(file, started);
      } catch (err) {
        // A bug must not end the session: said in the page and the terminal, the next save tries again.
        const problem = devProblem('E_INTERNAL', { said: (err as Error)?.message ?? String(err) });
        const prior = states.get(file);
        const state = set(file, { name: prior?.name ?? basename(dirname(file)), file, phase: 'invalid', ...(prior?.view ? { view: prior.view } : {}), problems: [withLine(problem)] });
        pipeline.note(`${state.name}: internal error: ${problem.message}`);
        deps.publish('campaign', state);
      }
    }
  }

  const afterward = async (file: string): Promise<void> => {
    pending.add(file);
    await runPending();
  };

  /** approve and un-approve: approved.lock written as the CLI writes it, then the campaign rebuilt (the gallery's marks, picks delivered). */
  const review = (campaign: string, write: (file: string) => Promise<DevOutcome>) =>
    enqueue(async () => {
      const state = byName(campaign);
      if (!state) return outcomeOf('invalid', 2, [devProblem('E_USAGE', { kind: 'value', expected: 'a campaign this page serves', received: campaign }, 'campaign')]);
      const result = await write(state.file);
      if (result.errors.length > 0) pipeline.show(result);
      await afterward(state.file);
      return result;
    });

  return {
    refresh(changed) {
      if (changed === undefined) everything = true;
      else for (const f of changed) pending.add(f);
      if (scheduled) return queue.then(() => undefined);
      scheduled = true;
      return enqueue(runPending);
    },
    generate(campaign, cell) {
      return enqueue(async () => {
        const state = byName(campaign);
        const dc = state && prepared.get(state.file);
        const filter = cellFilter(cell);
        if (!state || !dc || !filter) return outcomeOf('invalid', 2, [devProblem('E_USAGE', { kind: 'value', expected: `a cell of ${campaign} (variant/locale/size)`, received: cell }, 'cell')]);
        const allowance = deps.spend.allowance(campaign, dc.campaign.budget);
        if ('refused' in allowance) {
          pipeline.note(`${campaign} ${cell}: not generated: ${messageOf('E_BUDGET', allowance.refused)}`);
          return outcomeOf('over-budget', 3, [devProblem('E_BUDGET', allowance.refused, cell)]);
        }
        const estimate = (await pipeline.plan(state.file, filter)).campaigns[0];
        const built = await pipeline.generate(state.file, filter, allowance.usd, control);
        deps.spend.add(campaign, spentBy(built, estimate?.estimatedCost ?? 0, estimate?.requests?.length ?? 0));
        deps.publish('spend', { spent: deps.spend.spent(), ...(deps.spend.maxCost !== undefined ? { maxCost: deps.spend.maxCost } : {}) });
        pipeline.show(built);
        await afterward(state.file);
        return outcomeOf(built.status, built.exitCode, built.errors);
      });
    },
    approve: (campaign, choice) => review(campaign, (file) => pipeline.approve(file, choice)),
    unapprove: (campaign, cells) => review(campaign, (file) => pipeline.unapprove(file, cells)),
    campaigns: () => [...states.values()],
    prepared: (campaign) => {
      const state = byName(campaign);
      return state ? prepared.get(state.file) : undefined;
    },
    fonts: (campaign) => fonts.get(campaign),
    preparedAll: () => [...prepared.values()],
    spendState: () => ({ spent: deps.spend.spent(), ...(deps.spend.maxCost !== undefined ? { maxCost: deps.spend.maxCost } : {}) }),
    idle: async () => {
      while (true) {
        const seen = queue;
        await seen;
        if (seen === queue && !scheduled) return;
      }
    },
  };
}

/**
 * What a generation cost the session: what the provider reported, but never less than the plan's
 * estimate for the requests it billed (a provider reporting credits, or nothing, is counted at the
 * price table's USD, as the build's own spend limit counts it).
 */
function spentBy(built: Built, estimate: number | null, requests: number): number {
  return built.campaigns.reduce((sum, c) => {
    const billed = c.generations?.billed ?? 0;
    const estimated = requests > 0 && estimate !== null ? (estimate * Math.min(billed, requests)) / requests : 0;
    return sum + Math.max(c.cost, estimated);
  }, 0);
}
