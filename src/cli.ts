import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCliArgs, type CliArgs } from './cli/args.js';
import { commandHelp, generalHelp } from './cli/help.js';
import { createInterrupts, GRACE_MS, realTimer } from './cli/interrupt.js';
import { appendSummary, markdownOf } from './cli/markdown-out.js';
import { printPrune, runInit, writeSchema } from './cli/housekeeping.js';
import { runDevCli } from './cli/dev.js';
import { pruneCommand } from './commands/prune.js';
import { print, type Printed, type Screen } from './cli/output.js';
import { approveCommand, assembleCommand, buildCommand, diffCommand, planCommand, validateCommand, type BuildCommandResult } from './commands/api.js';
import { redact, secretValues } from './core/redact.js';
import { EXIT, outcome, outcomeOfError, relativeTo, reported } from './core/outcome.js';
import { resolveSettings, type Settings, type Writer } from './commands/settings.js';
import type { Clock, Sleep } from './core/deps.js';

export { EXIT } from './core/outcome.js';

export interface CliIO {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Ctrl-C: the CLI subscribes; tests pass their own emitter. */
  readonly onInterrupt?: (handler: () => void) => void;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: real timers (tests pass waits that move their clock instead). */
  readonly sleep?: Sleep;
  /** The parent process (bin.ts) is gone: stop at once, keeping what is paid for resumable. */
  readonly onParentGone?: (handler: () => void) => void;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const redacting = (writer: Writer, secrets: readonly string[]): Writer => ({
  write: (text: string) => writer.write(redact(text, secrets)),
  isTTY: writer.isTTY,
  columns: writer.columns,
});

/** Flags over environment over defaults: the one Settings object of this run. */
async function settingsFrom(args: CliArgs, io: CliIO): Promise<Settings> {
  const base = await resolveSettings(
    {
      cwd: io.cwd,
      env: io.env,
      outRoot: args.out,
      cacheDir: args.cacheDir,
      cacheUrl: args.cacheUrl,
      cacheEndpoint: args.cacheEndpoint,
      shard: args.shard,
      provider: args.provider,
      model: args.model,
      filter: { variants: args.variants, locales: args.locales, sizes: args.sizes },
      concurrency: args.concurrency,
      jobTimeoutMs: args.jobTimeoutSeconds === undefined ? undefined : args.jobTimeoutSeconds * 1000,
      force: args.force,
      verify: args.verify,
      maxCost: args.maxCost,
      check: args.check,
      json: args.json,
      stdout: io.stdout,
      stderr: io.stderr,
      clock: io.clock,
      sleep: io.sleep,
    },
    io.cwd,
  );
  // Keys from .env as well as the environment: nothing printed may contain one.
  const secrets = secretValues(base.env);
  return Object.freeze({ ...base, stdout: redacting(base.stdout, secrets), stderr: redacting(base.stderr, secrets) });
}

/** argv -> exit code. The only place that decides exit codes and prints results; never exits. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const early: Screen = {
    stdout: (t) => io.stdout.write(t),
    stderr: (t) => io.stderr.write(redact(t, secretValues(io.env))),
    json: argv.includes('--json'),
    cwd: io.cwd,
  };
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    return print({ command: 'none', result: outcomeOfError(err, io.cwd) }, early);
  }
  if (args.command === 'help' || args.command === 'version') {
    const text = args.command === 'version' ? version() : args.topic ? commandHelp(args.topic) : generalHelp();
    if (early.json) return print({ command: 'none', result: outcome('ok'), data: { [args.command]: text } }, early);
    io.stdout.write(`${text}\n`);
    return EXIT.ok;
  }

  if (args.command === 'schema') return writeSchema(args.paths[0], io.cwd, early);
  if (args.command === 'init') return runInit(args.paths[0], io.cwd, early);
  let settings: Settings;
  try {
    settings = await settingsFrom(args, io);
  } catch (err) {
    // A bad variable or an unreadable .env: exit 2 before any command runs.
    return print({ command: 'none', result: outcomeOfError(err, io.cwd) }, early);
  }
  const screen: Screen = { stdout: (t) => settings.stdout.write(t), stderr: (t) => settings.stderr.write(t), json: settings.json, cwd: settings.cwd };
  if (args.command === 'prune') return printPrune(await pruneCommand(settings, { dryRun: args.dryRun ?? false, maxBytes: args.maxSize }), screen);
  // --report markdown puts the table on stdout in place of the text; problems still go to stderr.
  const show = async (printed: Printed): Promise<number> => {
    const markdown = args.report || args.summary ? markdownOf(printed, { check: settings.check, maxCost: settings.maxCost }) : undefined;
    const summaryProblem = markdown && args.summary ? await appendSummary(args.summary, settings.cwd, markdown) : undefined;
    if (summaryProblem) screen.stderr(`warning: ${summaryProblem}\n`);
    if (!markdown || args.report !== 'markdown' || settings.json) return print(printed, screen);
    screen.stdout(markdown);
    return print(printed, { ...screen, stdout: () => {} });
  };
  if (args.command === 'validate') return show({ command: 'validate', result: await validateCommand(settings, args.paths) });
  // build --check is the same question as plan --check: nothing is generated either way.
  if (args.command === 'plan' || (args.command === 'build' && settings.check)) return show({ command: 'plan', result: await planCommand(settings, args.paths) });
  if (args.command === 'approve' || args.command === 'diff') return reviewCommand(args, settings, screen);
  if (args.command === 'dev') return runDevCli(args, settings, screen, io);

  // A note starts on its own line, below a live progress bar.
  const say = (text: string) => screen.stderr(settings.live ? `\n${text}` : text);
  const interrupts = createInterrupts({ clock: settings.clock, graceMs: GRACE_MS, setTimer: realTimer, say });
  io.onInterrupt?.(interrupts.press);
  io.onParentGone?.(interrupts.parentGone);
  const quit: Promise<BuildCommandResult> = interrupts.hardAbort.then(() => ({
    ...outcome('interrupted', [reported('E_INTERRUPTED', { kind: 'quit' })]),
    campaigns: [],
    interrupted: true,
  }));
  try {
    const control = { stop: interrupts.stop, abort: interrupts.abort, frozen: args.frozen, candidates: args.candidates };
    const command = args.command === 'assemble' ? assembleCommand : buildCommand;
    const result = await Promise.race([command(settings, args.paths, control), quit]);
    return await show({ command: 'build', result } satisfies Printed);
  } finally {
    interrupts.dispose();
  }
}

/** approve and diff: a line per campaign, or their data under --json. */
async function reviewCommand(args: CliArgs, settings: Settings, screen: Screen): Promise<number> {
  const rel = relativeTo(settings.cwd);
  if (args.command === 'approve') {
    const result = await approveCommand(settings, args.paths, { cell: args.cell, pick: args.pick });
    const campaigns = result.campaigns.map((c) => ({ name: c.name, file: rel(c.file), approved: c.approved }));
    if (!screen.json) for (const c of campaigns) screen.stdout(`${c.name}: ${c.approved.length} cell(s) approved in ${c.file}\n`);
    return print({ command: 'none', result, data: { campaigns } }, screen);
  }
  const result = await diffCommand(settings, args.paths);
  const campaigns = result.campaigns.map((c) => ({ ...c, ...(c.png ? { png: rel(c.png) } : {}), ...(c.html ? { html: rel(c.html) } : {}) }));
  if (!screen.json) {
    for (const c of campaigns) {
      screen.stdout(c.changed.length === 0 ? `${c.name}: no cell changed since approval\n` : `${c.name}: ${c.changed.length} changed cell(s), see ${c.html} and ${c.png}\n`);
      for (const cell of c.changed) screen.stdout(`  ${cell.cell}  ${cell.score !== undefined ? `difference ${cell.score.toFixed(3)}` : cell.note}: ${cell.changes.join('; ')}\n`);
    }
  }
  return print({ command: 'none', result, data: { campaigns } }, screen);
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

/** Runs the CLI on this process's argv and streams, and ends the process with its exit code. */
export async function main(): Promise<void> {
  // The AWS SDK (remote cache only) warns on every run about Node versions it will drop in future
  // releases; the version installed here supports this Node, and the warning is noise on stderr.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (handler) => process.on('SIGINT', handler),
    onParentGone: process.channel
      ? (handler) => {
          // The channel only signals the parent's death; it must not keep this process alive.
          process.channel?.unref();
          process.on('disconnect', handler);
        }
      : undefined,
  });
  process.exitCode = code;
  // After Ctrl-C, requests abandoned in flight may still hold the event loop open.
  if (code === EXIT.interrupted) process.exit(code);
}

if (isMain()) await main();
