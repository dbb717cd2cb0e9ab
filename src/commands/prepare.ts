import { inShard, type Shard } from '../cache/shard.js';
import { InputError, type Problem, formatProblem } from '../core/errors.js';
import { findCampaigns, loadCampaign, resolveCampaignPath } from '../manifest/load.js';
import type { ResolvedCampaign, ModelId, ProviderName } from '../core/campaign.js';
import type { Generation, Cell, MatrixFilter, PromptedCell } from '../core/generation.js';
import { groupGenerations } from '../plan/generations.js';
import { filterForCampaign, unmatchedFilterProblems } from '../plan/filter.js';
import { buildMatrix } from '../plan/matrix.js';
import { withPseudoLocales } from '../manifest/pseudo-locales.js';
import { closest } from '../manifest/suggest.js';
import { checkTextLayers } from '../plan/text-checks.js';
import type { ApprovalLock } from '../plan/approvals.js';
import { checkEnvironment } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { promptLimitProblems } from '../render/prompt-limits.js';
import { renderPrompts } from '../render/prompts.js';
import { templateCompiler } from '../render/templates.js';
import { readApprovals } from './approvals-io.js';

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
  /** Only this runner's generations (`--shard i/n`) are kept, and only their cells' copy checked. */
  readonly shard?: Shard;
  /** A campaign a filter leaves nothing of is skipped, and said so here. */
  readonly note?: (message: string) => void;
}

export interface PreparedCampaign {
  readonly campaign: ResolvedCampaign;
  readonly provider: Provider;
  /** Every cell of the campaign, filtered or not: the manifest keeps the ones this build skips. */
  readonly allCells: readonly Cell[];
  readonly cells: readonly PromptedCell[];
  /** Under a shard, only the share's. */
  readonly generations: readonly Generation[];
  /** The folder holding campaigns/ and templates/: every project file is read inside it. */
  readonly projectRoot: string;
  /** campaigns/<campaign>/approved.lock, read and checked with the campaign; absent when there is none. */
  readonly approvals?: ApprovalLock;
}

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
  if (problems.length === 0 && files.length === 0) {
    problems.push({ code: 'E_NOT_FOUND', message: `no campaigns found under ${options.projectRoot}/campaigns (expected campaigns/<name>/campaign.yaml)` });
  }

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
        problems.push({ code: 'E_DUPLICATE_ID', file: campaign.file, path: 'name', message: `campaign name "${campaign.name}" is also used by ${clash}; out/ folders would collide` });
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
      if (!shard) problems.push(...checkTextLayers(campaign, chosen));
      const cells = renderPrompts(campaign, chosen, compile);
      problems.push(...promptLimitProblems(campaign, provider, cells));
      const grouped = groupGenerations(campaign, provider, cells);
      // The partition needs every key, so every prompt is rendered; the copy-fit checks (typesetting
      // every locale and size) are only for the share: each shard refuses its own, assemble all.
      const generations = shard ? grouped.filter((g) => inShard(g.key, shard)) : grouped;
      if (shard) problems.push(...checkTextLayers(campaign, generations.flatMap((g) => g.cells)));
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
  return prepared;
}

function checkProviderFit(campaign: ResolvedCampaign, provider: Provider, options: PrepareOptions, problems: Problem[]): void {
  const at = (path: string, flag?: string) =>
    flag ? { file: campaign.file, path: flag } : { ...campaign.locations[path], file: campaign.file, path };
  if (!provider.models.includes(campaign.model)) {
    problems.push({
      code: 'E_PROVIDER',
      ...at('model', options.model ? '--model' : undefined),
      message: `provider ${provider.name} does not offer ${campaign.model}; expected one of ${provider.models.join(', ')}`,
    });
    return;
  }
  const referenceProblems = provider.checkReferences?.(campaign.model, campaign.references) ?? [];
  for (const message of referenceProblems) problems.push({ code: 'E_REFERENCE', ...at('references'), message: `${provider.name}: ${message}` });
  for (const p of provider.checkOptions?.(campaign.model, campaign.providerOptions) ?? []) {
    const path = `providerOptions.${p.path}`;
    problems.push({ code: 'E_PROVIDER_OPTION', ...(campaign.locations[path] ? at(path) : at('providerOptions')), path, message: p.message });
  }
}
