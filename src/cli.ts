import { readFileSync, realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCliArgs, USAGE, type CliArgs } from './commands/args.js';
import { runBuild } from './commands/build.js';
import { type BuildResult } from './core/results.js';
import { loadEnvironment, secretValues } from './commands/env.js';
import { planCampaigns } from './commands/plan.js';
import { prepareCampaigns } from './commands/prepare.js';
import { realSleep, systemClock, type LogLevel } from './core/deps.js';
import { InputError, formatProblem } from './core/errors.js';
import { createHttpClient } from './http/client.js';
import { createProviders } from './providers/registry.js';
import { createLogger, redact } from './report/logger.js';
import { createReporter } from './report/progress.js';
import { formatBuildSummary, formatPlan } from './report/summary.js';

export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Ctrl-C: the CLI subscribes; tests pass their own emitter. */
  readonly onInterrupt?: (handler: () => void) => void;
}

export const EXIT = { ok: 0, failed: 1, input: 2, interrupted: 130 } as const;

const GRACE_MS = 10_000;
/** One Ctrl-C can arrive twice (the terminal's group signal and bin.ts forwarding it): one press. */
export const DUPLICATE_SIGNAL_MS = 250;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** argv -> exit code. The only place that prints errors and decides exit codes. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const secrets = secretValues(io.env);
  const say = (text: string) => io.stderr.write(redact(text, secrets));
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    return report(err, io, say);
  }
  if (args.command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.command === 'version') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }

  const projectRoot = io.cwd;
  const env = loadEnvironment(projectRoot, io.env);
  const allSecrets = secretValues(env);
  const sayAll = (text: string) => io.stderr.write(redact(text, allSecrets));
  const logger = createLogger(sayAll, (env['PRESSROOM_LOG'] as LogLevel | undefined) ?? 'warn', allSecrets);
  const pollIntervalMs = Number(env['PRESSROOM_POLL_INTERVAL_MS']) || undefined;
  const providerFor = createProviders({ env, pollIntervalMs });
  const cacheDir = resolve(io.cwd, args.cacheDir ?? env['PRESSROOM_CACHE_DIR'] ?? '.pressroom/cache');
  const outRoot = resolve(io.cwd, args.out ?? 'out');
  const cacheDirSource = args.cacheDir === undefined && env['PRESSROOM_CACHE_DIR'] !== undefined ? 'PRESSROOM_CACHE_DIR' : '--cache-dir';

  try {
    const prepared = await prepareCampaigns({
      projectRoot,
      cwd: io.cwd,
      paths: args.paths,
      provider: args.provider,
      model: args.model,
      filter: { variants: args.variants, locales: args.locales, sizes: args.sizes },
      env,
      providerFor,
      requireKeys: args.command === 'build',
    });

    if (args.command === 'validate') {
      const cells = prepared.reduce((n, p) => n + p.cells.length, 0);
      if (args.json) io.stdout.write(`${JSON.stringify({ valid: true, campaigns: prepared.map((p) => ({ name: p.campaign.name, assets: p.cells.length })) })}\n`);
      else io.stdout.write(`valid: ${prepared.length} campaign(s), ${cells} assets\n`);
      return EXIT.ok;
    }
    if (args.command === 'plan') {
      const plans = await planCampaigns(prepared, { cacheDir, force: args.force, sources: { cacheDir: cacheDirSource } });
      io.stdout.write(args.json ? `${JSON.stringify({ campaigns: plans.map(({ price: _p, priceSource: _s, provider: _v, model: _m, ...rest }) => rest) }, null, 2)}\n` : formatPlan(plans));
      return EXIT.ok;
    }

    const stop = new AbortController();
    const abort = new AbortController();
    let interrupts = 0;
    const reporter = createReporter(
      { write: sayAll, isTTY: io.stderr.isTTY, columns: io.stderr.columns },
      { live: Boolean(io.stderr.isTTY) && !env['CI'], color: Boolean(io.stderr.isTTY) && env['NO_COLOR'] === undefined },
    );
    let lastInterrupt = -Infinity;
    io.onInterrupt?.(() => {
      const now = Date.now();
      if (now - lastInterrupt < DUPLICATE_SIGNAL_MS) return;
      lastInterrupt = now;
      interrupts++;
      if (interrupts === 1) {
        stop.abort();
        reporter.note(`stopping: no new jobs; waiting up to ${GRACE_MS / 1000} s for jobs in flight (Ctrl-C again to quit now)`);
        setTimeout(() => abort.abort(), GRACE_MS).unref();
      } else {
        sayAll('\nquit: remote task ids are in the journal; a re-run resumes them\n');
        process.exit(EXIT.interrupted);
      }
    });
    // Tests and emulators shorten it; real providers keep the 60 s default.
    const http = createHttpClient({ defaultTimeoutMs: Number(env['PRESSROOM_HTTP_TIMEOUT_MS']) || undefined });
    let result: BuildResult;
    try {
      result = await runBuild(
        prepared,
        {
          outRoot,
          cacheDir,
          force: args.force,
          verify: args.verify,
          sources: { cacheDir: cacheDirSource },
          concurrency: args.concurrency,
          jobTimeoutMs: (args.jobTimeoutSeconds ?? 1200) * 1000,
          stop,
          abort: abort.signal,
        },
        { http, clock: systemClock, sleep: realSleep, logger, reporter },
      );
    } finally {
      await http.close();
    }
    const rel = (file: string) => relative(io.cwd, file) || file;
    if (args.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            campaigns: result.campaigns.map((c) => ({ name: c.name, assets: c.assets, generated: c.generated, cached: c.cached, failed: c.failed, manifest: rel(c.manifest), ...(c.writeErrors ? { writeErrors: c.writeErrors.map((e) => e.message) } : {}) })),
            interrupted: interrupts > 0,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout.write(redact(formatBuildSummary(result, rel), allSecrets));
    }
    if (interrupts > 0) {
      sayAll('interrupted: finished images are safe in the cache; re-run the same command to continue\n');
      return EXIT.interrupted;
    }
    return result.campaigns.some((c) => c.failed > 0 || (c.writeErrors?.length ?? 0) > 0) ? EXIT.failed : EXIT.ok;
  } catch (err) {
    return report(err, io, sayAll);
  }
}

function report(err: unknown, io: CliIO, say: (text: string) => void): number {
  if (err instanceof InputError) {
    const rel = (file: string | undefined) => (file ? relative(io.cwd, file) || file : undefined);
    for (const p of err.problems) say(`${formatProblem({ ...p, file: rel(p.file) })}\n`);
    say(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} found; nothing was generated\n`);
    return EXIT.input;
  }
  // A bug, not a user mistake: say so in one line; the stack only on request.
  const e = err as Error;
  say(`internal error: ${e?.message ?? String(err)}\n`);
  if (io.env['PRESSROOM_LOG'] === 'debug' && e?.stack) say(`${e.stack}\n`);
  return EXIT.failed;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return fileURLToPath(import.meta.url) === entry;
  }
}

/** Runs the CLI on this process's argv and streams; sets the exit code. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (handler) => process.on('SIGINT', handler),
  });
}

if (isMain()) await main();
