import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCliArgs, type CliArgs } from './cli/args.js';
import { commandHelp, generalHelp } from './cli/help.js';
import { createInterrupts, GRACE_MS, realTimer } from './cli/interrupt.js';
import { keepsOutcome } from './cli/code-cache.js';
import { print, type Printed, type Screen } from './cli/output.js';
import type { Invocation } from './cache/replay.js';
import type { BuildCommandResult } from './commands/api.js';
import { packageFile } from './core/package-file.js';
import { redact, secretValues } from './core/redact.js';
import { EXIT, outcome, outcomeOfError, relativeTo, reported } from './core/outcome.js';
import type { Settings, Writer } from './commands/settings.js';
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
  /**
   * Set by src/bin.ts when this process lacks the malloc arena cap: a build that will make pixels
   * stops before its first one and calls this (the bin runs it again with the cap); a build with
   * everything in place runs here. Its stderr is held until then and dropped when handed off, as
   * the second run says it all again.
   */
  readonly handOffPixels?: () => void;
  /** src/bin.ts looked for a kept outcome of this run already (cli/replay.ts): not again. */
  readonly replayChecked?: boolean;
  /**
   * The clock files are stamped with (default: the system's): a file changed within a second of
   * the run is not trusted to keep its outcome by. Tests set it ahead, so that files they just
   * wrote count as settled.
   */
  readonly filesNow?: () => number;
}

/** What a command printed and with which settings, for keeping its outcome. */
interface Witness {
  printed?: Printed;
  settings?: Settings;
}

/** stderr held back until `release` (then written, and passed through) or `drop`. */
function holding(writer: Writer): Writer & { release(): void; drop(): void } {
  let held: string[] | undefined = [];
  let dropped = false;
  return {
    write: (text: string) => {
      if (held) held.push(text);
      else if (!dropped) writer.write(text);
    },
    isTTY: writer.isTTY,
    columns: writer.columns,
    release() {
      if (held) for (const text of held) writer.write(text);
      held = undefined;
    },
    drop() {
      held = undefined;
      dropped = true;
    },
  };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const redacting = (writer: Writer, secrets: readonly string[]): Writer => ({
  write: (text: string) => writer.write(redact(text, secrets)),
  isTTY: writer.isTTY,
  columns: writer.columns,
});

/**
 * Everything past argument parsing is loaded when a command needs it: `--help`, `--version` and
 * `schema` then start without zod, yaml, Handlebars or the canvas (issue 25: module loading was
 * 81 % of `--help`). Each loader is a boundary the architecture test sees as an import.
 */
const commands = () => import('./commands/api.js');
const housekeeping = () => import('./cli/housekeeping.js');
const replays = () => import('./cli/replay.js');

/** Flags over environment over defaults: the one Settings object of this run. */
async function settingsFrom(args: CliArgs, io: CliIO): Promise<Settings> {
  const { resolveSettings } = await import('./commands/settings.js');
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

  const kept = keepsOutcome(argv) ? await replays() : undefined;
  const invocation: Invocation = { node: process.version, argv, cwd: io.cwd, env: io.env, stdout: io.stdout, stderr: io.stderr };
  if (kept && !io.replayChecked) {
    const code = kept.replayed(invocation, io);
    if (code !== undefined) return code;
  }
  const startedMs = (io.filesNow ?? Date.now)();
  const captured = kept?.capturing(io);
  const seen = captured ?? io;
  const witness: Witness = {};
  const hold = io.handOffPixels && args.command === 'build' ? holding(seen.stderr) : undefined;
  let code;
  try {
    code = await commandOf(args, hold ? { ...seen, stderr: hold } : seen, early, hold && io.handOffPixels ? { hold, handOff: io.handOffPixels } : undefined, witness);
  } finally {
    hold?.release();
  }
  if (kept && captured && witness.printed && witness.settings) {
    const footprint = kept.keepableFootprint(witness.printed, witness.settings, code);
    const { forgetReplay, recordReplay } = await import('./cache/replay-record.js');
    if (footprint) await recordReplay(invocation, footprint, { output: captured.output, exitCode: code }, startedMs);
    else await forgetReplay(invocation);
  }
  return code;
}

/** Settings, then the command. */
async function commandOf(args: CliArgs, io: CliIO, early: Screen, handing: { hold: ReturnType<typeof holding>; handOff: () => void } | undefined, witness: Witness): Promise<number> {
  if (args.command === 'schema') return (await housekeeping()).writeSchema(args.paths[0], io.cwd, early);
  if (args.command === 'init') return (await housekeeping()).runInit(args.paths[0], io.cwd, early);
  let settings: Settings;
  try {
    settings = await settingsFrom(args, io);
  } catch (err) {
    // A bad variable or an unreadable .env: exit 2 before any command runs.
    return print({ command: 'none', result: outcomeOfError(err, io.cwd) }, early);
  }
  witness.settings = settings;
  const screen: Screen = { stdout: (t) => settings.stdout.write(t), stderr: (t) => settings.stderr.write(t), json: settings.json, cwd: settings.cwd };
  if (args.command === 'prune') {
    const [{ printPrune }, { pruneCommand }] = await Promise.all([housekeeping(), import('./commands/prune.js')]);
    return printPrune(await pruneCommand(settings, { dryRun: args.dryRun ?? false, maxBytes: args.maxSize }), screen);
  }
  // --report markdown puts the table on stdout in place of the text; problems still go to stderr.
  const show = async (printed: Printed): Promise<number> => {
    witness.printed = printed;
    const { appendSummary, markdownOf } = await import('./cli/markdown-out.js');
    const markdown = args.report || args.summary ? markdownOf(printed, { check: settings.check, maxCost: settings.maxCost }) : undefined;
    const summaryProblem = markdown && args.summary ? await appendSummary(args.summary, settings.cwd, markdown) : undefined;
    if (summaryProblem) screen.stderr(`warning: ${summaryProblem}\n`);
    if (!markdown || args.report !== 'markdown' || settings.json) return print(printed, screen);
    screen.stdout(markdown);
    return print(printed, { ...screen, stdout: () => {} });
  };
  const { approveCommand, assembleCommand, buildCommand, diffCommand, planCommand, validateCommand } = await commands();
  if (args.command === 'validate') return show({ command: 'validate', result: await validateCommand(settings, args.paths) });
  // build --check is the same question as plan --check: nothing is generated either way.
  if (args.command === 'plan' || (args.command === 'build' && settings.check)) return show({ command: 'plan', result: await planCommand(settings, args.paths) });
  if (args.command === 'approve' || args.command === 'diff') return reviewCommand(args, settings, screen, { approveCommand, diffCommand });
  if (args.command === 'dev') return (await import('./cli/dev.js')).runDevCli(args, settings, screen, io);

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
    const beforeDelivery = (makesPixels: boolean) => {
      if (!handing) return false;
      if (makesPixels) handing.hold.drop();
      else handing.hold.release();
      if (makesPixels) handing.handOff();
      return makesPixels;
    };
    const control = { stop: interrupts.stop, abort: interrupts.abort, frozen: args.frozen, candidates: args.candidates, beforeDelivery };
    const command = args.command === 'assemble' ? assembleCommand : buildCommand;
    const result = await Promise.race([command(settings, args.paths, control), quit]);
    if ('handedOff' in result && result.handedOff) return EXIT.ok;
    return await show({ command: 'build', result } satisfies Printed);
  } finally {
    interrupts.dispose();
  }
}

/** approve and diff: a line per campaign, or their data under --json. */
async function reviewCommand(
  args: CliArgs,
  settings: Settings,
  screen: Screen,
  { approveCommand, diffCommand }: Pick<Awaited<ReturnType<typeof commands>>, 'approveCommand' | 'diffCommand'>,
): Promise<number> {
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

/**
 * Runs the CLI on this process's argv and streams, and ends the process with its exit code.
 * With `handOffPixels` (src/bin.ts), a build that will make pixels stops before its first one:
 * true is returned and nothing was printed, for the caller to run it where it should.
 */
export async function main(options: { readonly handOffPixels?: boolean; readonly replayChecked?: boolean } = {}): Promise<boolean> {
  // The AWS SDK (remote cache only) warns on every run about Node versions it will drop in future
  // releases; the version installed here supports this Node, and the warning is noise on stderr.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // The typesetter never draws with the machine's fonts (every run names a registered font), so
  // the canvas' scan of them on load is start-up cost only, and a fallback no machine should offer.
  process.env['DISABLE_SYSTEM_FONTS_LOAD'] ??= '1';
  let handedOff = false;
  const interruptHandlers: (() => void)[] = [];
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (handler) => {
      interruptHandlers.push(handler);
      process.on('SIGINT', handler);
    },
    onParentGone: process.channel
      ? (handler) => {
          // The channel only signals the parent's death; it must not keep this process alive.
          process.channel?.unref();
          process.on('disconnect', handler);
        }
      : undefined,
    ...(options.handOffPixels ? { handOffPixels: () => (handedOff = true) } : {}),
    ...(options.replayChecked ? { replayChecked: true } : {}),
  });
  if (handedOff) {
    // The second process owns Ctrl-C now (the bin forwards it).
    for (const handler of interruptHandlers) process.off('SIGINT', handler);
    return true;
  }
  process.exitCode = code;
  // After Ctrl-C, requests abandoned in flight may still hold the event loop open.
  if (code === EXIT.interrupted) process.exit(code);
  return false;
}

// Not awaited at the top level: the executable loads this module as CommonJS (src/cli/code-cache.ts).
if (isMain()) void main();
