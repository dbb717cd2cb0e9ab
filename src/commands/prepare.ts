import { lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { openMemoFile, type MemoFile } from '../cache/memo-file.js';
import { inShard, type Shard } from '../cache/shard.js';
import { InputError, type Problem, formatProblem, problem } from '../core/errors.js';
import { findCampaigns, loadCampaign, resolveCampaignPath } from '../manifest/load.js';
import type { ResolvedCampaign, ModelId, ProviderName } from '../core/campaign.js';
import type { MatrixFilter } from '../core/generation.js';
import { readProjectText } from '../manifest/project-file.js';
import { groupGenerations } from '../plan/generations.js';
import { filterForCampaign, unmatchedFilterProblems } from '../plan/filter.js';
import { buildMatrix } from '../plan/matrix.js';
import { withPseudoLocales } from '../manifest/pseudo-locales.js';
import { closest } from '../manifest/suggest.js';
import { APPROVALS_FILE, parseApprovals, type ApprovalLock } from '../plan/approvals.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { checkEnvironment } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { promptLimitProblems } from '../render/prompt-limits.js';
import { renderPrompts } from '../render/prompts.js';
import { templateCompiler } from '../render/templates.js';

export type { PreparedCampaign } from '../plan/prepared.js';

export interface PrepareOptions {
  readonly projectRoot: string;
  readonly cwd: string;
  /** Campaign folders or campaign.yaml files; empty means every campaign under campaigns/. */
  readonly paths: readonly string[];
  readonly provider?: ProviderName;
  readonly model?: ModelId;
  readonly filter: MatrixFilter;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly providerFor: (name: ProviderName) => Provider;
  /** validate and plan need no keys; build does. */
  readonly requireKeys: boolean;
  /** Only this runner's generations (`--shard i/n`) are kept, and only their cells' copy checked: the one place a build applies its shard. */
  readonly shard?: Shard;
  /** A campaign a filter leaves nothing of is skipped, and said so here. */
  readonly note?: (message: string) => void;
  /** Where copy-fit verdicts are kept between runs (<cache>/fits); none: every run fits every layer. */
  readonly fitsDir?: string;
}

/** A lock records a few hundred bytes per cell: 32 MiB is some 50,000 cells with text layers. */
export const MAX_LOCK_BYTES = 32 * 1024 * 1024;

/**
 * manifest -> plan -> render for every campaign, collecting the problems of all of them before
 * anything runs: a build either starts with valid input everywhere or not at all.
 */
export async function prepareCampaigns(options: PrepareOptions): Promise<readonly PreparedCampaign[]> {
  const problems: Problem[] = [];
  const collect = (err: unknown) => {
    if (err instanceof InputError) problems.push(...err.problems);
    else throw err;
  };

  let files: readonly string[] = [];
  try {
    files = options.paths.length > 0 ? options.paths.map((p) => resolveCampaignPath(p, options.cwd)) : await findCampaigns(options.projectRoot);
  } catch (err) {
    collect(err);
  }
  if (problems.length === 0 && files.length === 0) problems.push(problem('E_NOT_FOUND', { kind: 'none-under', root: options.projectRoot }));

  const prepared: PreparedCampaign[] = [];
  const loaded: ResolvedCampaign[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    try {
      const read = await loadCampaign(file, { projectRoot: options.projectRoot, cwd: options.cwd });
      const overridden: ResolvedCampaign = { ...read, provider: options.provider ?? read.provider, model: options.model ?? read.model };
      const campaign = withPseudoLocales(overridden, options.filter.locales);
      // Ignoring case: on macOS and Windows `out/Aqua` and `out/aqua` are one folder.
      const clash = names.get(campaign.name.toLowerCase());
      if (clash) {
        problems.push(problem('E_DUPLICATE_ID', { kind: 'campaign-name', name: campaign.name, alsoIn: clash }, { file: campaign.file, path: 'name' }));
        continue;
      }
      names.set(campaign.name.toLowerCase(), campaign.file);
      loaded.push(campaign);
    } catch (err) {
      collect(err);
    }
  }
  const unmatched = unmatchedFilterProblems(loaded, options.filter, closest);
  problems.push(...unmatched);
  const compile = templateCompiler();
  const memos: MemoFile[] = [];
  for (const campaign of loaded) {
    try {
      const provider = options.providerFor(campaign.provider);
      checkProviderFit(campaign, provider, options, problems);
      const narrowed = filterForCampaign(campaign, options.filter);
      if (narrowed.kind === 'skip') {
        // A typo in a flag is the news: no note per campaign that lacks the mistyped value.
        if (unmatched.length === 0) options.note?.(narrowed.note);
        continue;
      }
      const allCells = buildMatrix(campaign);
      const chosen = buildMatrix(campaign, narrowed.filter);
      const { shard } = options;
      // Copy that cannot ship is refused with everything else, before any provider is called.
      const memo = campaign.text && options.fitsDir ? await openMemoFile(join(options.fitsDir, `${campaign.name}.json`)) : undefined;
      const kept = memo && { fontRoot: campaign.dir, get: memo.get, put: memo.put };
      // The typesetter loads only for a campaign with text layers.
      const textChecks = campaign.text ? await import('../plan/text-checks.js') : undefined;
      if (!shard && textChecks) problems.push(...textChecks.checkTextLayers(campaign, chosen, kept));
      const cells = renderPrompts(campaign, chosen, compile);
      problems.push(...promptLimitProblems(campaign, provider, cells));
      const grouped = groupGenerations(campaign, provider, cells);
      // The partition needs every key, so every prompt is rendered; the copy-fit checks (typesetting
      // every locale and size) are only for the share: each shard refuses its own, assemble all.
      const generations = shard ? grouped.filter((g) => inShard(g.key, shard)) : grouped;
      if (shard && textChecks) problems.push(...textChecks.checkTextLayers(campaign, generations.flatMap((g) => g.cells), kept));
      if (memo) memos.push(memo);
      const approvals = await readApprovals(campaign, options.projectRoot);
      prepared.push({ campaign, provider, allCells, cells, generations, projectRoot: options.projectRoot, ...(approvals ? { approvals } : {}) });
    } catch (err) {
      collect(err);
    }
  }
  if (options.requireKeys && problems.length === 0) {
    try {
      checkEnvironment([...new Set(prepared.map((p) => p.provider))], options.env);
    } catch (err) {
      collect(err);
    }
  }
  // The same mistake found twice (a flag applied to several campaigns) is reported once.
  if (problems.length > 0) throw new InputError([...new Map(problems.map((p) => [formatProblem(p), p])).values()]);
  // Input refused writes nothing; valid input keeps its copy-fit verdicts for the next run.
  await Promise.all(memos.map((m) => m.save()));
  return prepared;
}

function checkProviderFit(campaign: ResolvedCampaign, provider: Provider, options: PrepareOptions, problems: Problem[]): void {
  const at = (path: string, flag?: string) => (flag ? { file: campaign.file, path: flag } : { ...campaign.locations[path], file: campaign.file, path });
  if (!provider.models.includes(campaign.model)) {
    problems.push(problem('E_PROVIDER', { kind: 'model', provider: provider.name, model: campaign.model, models: provider.models }, at('model', options.model ? '--model' : undefined)));
    return;
  }
  for (const facts of provider.checkReferences?.(campaign.model, campaign.references) ?? []) problems.push(problem('E_REFERENCE', facts, at('references')));
  for (const p of provider.checkOptions?.(campaign.model, campaign.providerOptions) ?? []) {
    const path = `providerOptions.${p.path}`;
    problems.push(problem('E_PROVIDER_OPTION', p.facts, { ...(campaign.locations[path] ? at(path) : at('providerOptions')), path }));
  }
}

/**
 * The campaign's approved.lock, checked; undefined when there is none yet. Read like every other
 * project file (inside the project, a regular file, under a size cap, a FIFO never waited on): a
 * lock that links elsewhere is refused by its path, its content never read nor echoed. The one
 * read of the lock per command: everything after takes it from the prepared campaign.
 */
async function readApprovals(campaign: ResolvedCampaign, projectRoot: string): Promise<ApprovalLock | undefined> {
  const file = join(campaign.dir, APPROVALS_FILE);
  const shown = relative(projectRoot, file).split('\\').join('/') || APPROVALS_FILE;
  // No lock (not even a dangling link): nothing approved yet.
  if ((await lstat(file).catch(() => undefined)) === undefined) return undefined;
  const read = await readProjectText(file, projectRoot, { maxBytes: MAX_LOCK_BYTES, shown, what: 'approval file' });
  if ('problem' in read) {
    const at = read.line !== undefined ? { line: read.line, ...(read.col !== undefined ? { col: read.col } : {}) } : {};
    throw new InputError([problem(read.code ?? 'E_APPROVALS', read.facts, { file, ...at })]);
  }
  return parseApprovals(read.text, file, campaign.name);
}
