import { parseArgs } from 'node:util';
import { InputError, type Problem } from '../core/errors.js';
import { didYouMean } from '../manifest/suggest.js';
import { ciFlags, type CiFlags } from './ci-flags.js';
import { parseCacheUrl } from '../cache/objects.js';
import { parseShard, type Shard } from '../cache/shard.js';
import { MODEL_IDS, PROVIDER_NAMES, type ModelId, type ProviderName } from '../core/campaign.js';

export type CommandName = 'build' | 'plan' | 'validate' | 'approve' | 'diff' | 'schema' | 'init' | 'prune' | 'assemble';
export const COMMANDS: readonly CommandName[] = ['build', 'plan', 'validate', 'approve', 'diff', 'schema', 'init', 'prune', 'assemble'];

export interface CliArgs extends CiFlags {
  readonly command: CommandName | 'help' | 'version';
  readonly paths: readonly string[];
  readonly provider?: ProviderName;
  readonly model?: ModelId;
  readonly concurrency?: number;
  readonly variants?: readonly string[];
  readonly locales?: readonly string[];
  readonly sizes?: readonly string[];
  readonly out?: string;
  readonly cacheDir?: string;
  readonly cacheUrl?: string;
  readonly cacheEndpoint?: string;
  readonly shard?: Shard;
  readonly force: boolean;
  readonly verify?: boolean;
  readonly json: boolean;
  readonly jobTimeoutSeconds?: number;
  /** build: only approved cells (approved.lock). */
  readonly frozen?: boolean;
  /** build: images per cell for review, over the campaign's `candidates`. */
  readonly candidates?: number;
  /** approve: one cell, variant/locale/size. */
  readonly cell?: string;
  /** approve: candidate k of the cell. */
  readonly pick?: number;
}

export const USAGE = `Usage: pressroom <command> [paths...] [options]

Commands:
  build [paths...]     generate and deliver every asset (default: every campaign under campaigns/)
  plan [paths...]      show the matrix, cache hits and what a build would generate and cost; no provider calls
  validate [paths...]  check campaign files and templates; no provider calls
  assemble [paths...]  deliver out/, contact sheets and manifests from the cache only (after build --shard)
  approve <campaign>   approve what the last build delivered (campaigns/<campaign>/approved.lock)
  diff <campaign>      approved vs new image of cells changed since approval (out/<campaign>/diff.png, diff.html)
  init [name]          a new campaign folder (campaign.yaml, template, editor modeline) that builds offline at once
  prune                remove cache entries no campaign references (--dry-run to only report; --max-size to stop under a size)
  schema [file]        write the JSON Schema of campaign.yaml (for editors) to the file, or to stdout

A path is a campaign folder or its campaign.yaml.

Options:
  --provider <name>      override the campaign's provider: ${PROVIDER_NAMES.join(' | ')}
  --model <id>           override the campaign's model: ${MODEL_IDS.join(' | ')}
  --concurrency <n>      jobs in flight per provider (default: the provider's own)
  --variant <ids>        only these variants (comma list)
  --locale <tags>        only these locales (comma list); en-XA, ar-XB: pseudo-locales from the source
  --size <ids>           only these sizes (comma list)
  --out <dir>            output folder (default: out)
  --cache-dir <dir>      cache folder (default: .pressroom/cache, or PRESSROOM_CACHE_DIR)
  --cache <s3://bucket/prefix>  remote cache behind the local one (or PRESSROOM_CACHE_URL); AWS_* variables
  --cache-endpoint <url> endpoint of a non-AWS store: R2, MinIO, Ceph... (or PRESSROOM_CACHE_ENDPOINT)
  --shard <i/n>          build only this runner's share of the generations (CI matrix), e.g. 2/4
  --force                ignore cache hits and generate again
  --verify               rehash every delivered file and the cache entries behind them; rewrite what changed
  --job-timeout <s>      give up on one generation after this many seconds (default 1200)
  --candidates <n>       build: n images per cell, side by side in the gallery (approve one with --pick)
  --frozen               build: fail (exit 1) unless every cell is approved and unchanged since
  --cell <v/l/s>         approve: only this cell (variant/locale/size)
  --pick <k>             approve: candidate k of the cell (default 0)
  --json                 print one JSON document on stdout and nothing else
  --max-cost <usd>       plan and build refuse an estimate above this (exit 3); a build submits nothing once spend reaches it
  --check                plan/build: exit 1 when a delivered asset is missing or stale, 0 when out/ is current; nothing generated
  --report markdown      print the plan or build as a Markdown table (for CI step summaries and PR comments)
  --dry-run, --max-size <size>  prune: report only; remove only the oldest unreferenced entries needed to get under the size (500MB, 2GB)
  --summary <file>       also append that Markdown table to a file (e.g. $GITHUB_STEP_SUMMARY)
  --help, --version

Exit codes: 0 all assets built · 1 some jobs failed (or --check: out/ not current) · 2 invalid input or usage · 3 over budget · 130 interrupted`;

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function positiveInt(value: string | undefined, flag: string, max: number, problems: Problem[]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    problems.push({ code: 'E_USAGE', path: flag, message: `expected an integer 1-${max} but received ${JSON.stringify(value)}` });
    return undefined;
  }
  return n;
}

function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], problems: Problem[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ code: 'E_USAGE', path: flag, message: `expected one of ${allowed.join(', ')} but received ${JSON.stringify(value)}${didYouMean(value, allowed)}` });
  return undefined;
}

const OPTIONS = {
  provider: { type: 'string' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  variant: { type: 'string' },
  locale: { type: 'string' },
  size: { type: 'string' },
  out: { type: 'string' },
  'cache-dir': { type: 'string' },
  cache: { type: 'string' },
  'cache-endpoint': { type: 'string' },
  shard: { type: 'string' },
  'job-timeout': { type: 'string' },
  'max-cost': { type: 'string' },
  check: { type: 'boolean', default: false },
  report: { type: 'string' },
  summary: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'max-size': { type: 'string' },
  force: { type: 'boolean', default: false },
  verify: { type: 'boolean', default: false },
  frozen: { type: 'boolean', default: false },
  candidates: { type: 'string' },
  cell: { type: 'string' },
  pick: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** argv (without node and script) -> CliArgs; every mistake reported at once as E_USAGE. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (err) {
    const unknown = /Unknown option '(--?[^']+)'/.exec((err as Error).message)?.[1];
    const hint = unknown ? didYouMean(unknown, Object.keys(OPTIONS).map((o) => `--${o}`)) : '';
    throw new InputError([{ code: 'E_USAGE', message: `${(err as Error).message.replace(/\. To specify.*$/s, '')}${hint}; see pressroom --help` }]);
  }

  const { values: v, positionals } = parsed;
  if (v.help) return { command: 'help', paths: [], force: false, json: false };
  if (v.version) return { command: 'version', paths: [], force: false, json: false };
  const problems: Problem[] = [];
  const [first, ...rest] = positionals;
  const command = first === undefined ? undefined : oneOf(first, 'command', COMMANDS, problems);
  if (first === undefined) problems.push({ code: 'E_USAGE', message: `a command is required: ${COMMANDS.join(', ')}; see pressroom --help` });
  const args: CliArgs = {
    command: command ?? 'help',
    paths: rest,
    provider: oneOf(v.provider, '--provider', PROVIDER_NAMES, problems),
    model: oneOf(v.model, '--model', MODEL_IDS, problems),
    concurrency: positiveInt(v.concurrency, '--concurrency', 256, problems),
    variants: list(v.variant),
    locales: list(v.locale),
    sizes: list(v.size),
    out: v.out,
    cacheDir: v['cache-dir'],
    cacheUrl: v.cache,
    cacheEndpoint: v['cache-endpoint'],
    shard: v.shard === undefined ? undefined : parseShard(v.shard),
    force: v.force ?? false,
    verify: v.verify ?? false,
    json: v.json ?? false,
    jobTimeoutSeconds: positiveInt(v['job-timeout'], '--job-timeout', 24 * 3600, problems),
    frozen: v.frozen === true ? true : undefined,
    candidates: positiveInt(v.candidates, '--candidates', 8, problems),
    cell: v.cell,
    pick: v.pick === undefined ? undefined : v.pick === '0' ? 0 : positiveInt(v.pick, '--pick', 64, problems),
    ...ciFlags(v, problems),
  };
  for (const flag of ['out', 'cache-dir'] as const) {
    if (v[flag] !== undefined && v[flag]!.trim() === '') problems.push({ code: 'E_USAGE', path: `--${flag}`, message: 'expected a folder path but received an empty string' });
  }
  if (v.cache !== undefined && !parseCacheUrl(v.cache)) problems.push({ code: 'E_USAGE', path: '--cache', message: `expected s3://bucket/prefix but received ${JSON.stringify(v.cache)}` });
  if (v.shard !== undefined && !args.shard) problems.push({ code: 'E_USAGE', path: '--shard', message: `expected i/n with 1 <= i <= n (e.g. 2/4) but received ${JSON.stringify(v.shard)}` });
  if (problems.length > 0) throw new InputError(problems);
  return args;
}
