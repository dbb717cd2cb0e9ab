#!/usr/bin/env node
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { keepsOutcome, loadBundledCli } from './cli/code-cache.js';

/**
 * The `pressroom` executable. On Linux, glibc gives every thread that allocates its own malloc
 * arena, and libvips' worker threads leave freed pixel buffers resident in them: a 2,000-cell
 * local build peaked at 480 MB with the default and 270 MB with two arenas (npm run bench,
 * scenario 4). glibc reads MALLOC_ARENA_MAX only at process start, so a build that will make
 * pixels runs in a child that has it set. A build with everything in place (the common no-op of
 * CI and of a designer's re-run) makes none: it runs here, sparing a second Node start (about
 * 1.1x at 1,000 cells, issue 25). The CLI finds out which, stopping before the first pixel;
 * `dev`, which draws on every edit, always runs in the child. build, plan and validate run from
 * the bundle with V8's code cache (src/cli/code-cache.ts); other commands load dist/cli.js.
 * Before either, a run whose kept outcome still holds prints it and ends (src/cli/replay.ts).
 */
const args = process.argv.slice(2);
const checked = keepsOutcome(args);
const kept = checked
  ? (await import('./cli/replay.js')).replayed({ node: process.version, argv: args, cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }, process)
  : undefined;
if (kept !== undefined) process.exitCode = kept;
else await run();

async function run(): Promise<void> {
  const capArenas = process.platform === 'linux' && process.env['MALLOC_ARENA_MAX'] === undefined && (args.includes('build') || args.includes('dev'));
  const { main } = loadBundledCli(args, process.env)?.cli ?? (await import('./cli.js'));
  // `dev` draws on every edit: straight to the child. A build asks the CLI whether it will draw.
  if (!capArenas) await main({ replayChecked: checked });
  else if (args.includes('dev') || (await main({ handOffPixels: true, replayChecked: checked }))) await runInChild();
}

async function runInChild(): Promise<void> {
  // Loaded here, not at the top: node:child_process brings node:net with it, some 4 ms of every start.
  const { spawn } = await import('node:child_process');
  // The IPC channel is the child's lifeline: when this process dies, even by SIGKILL, the child
  // sees it close and stops (cli.ts), instead of running on and racing a re-run for the same tasks.
  // This executable again: with MALLOC_ARENA_MAX set it runs the CLI in-process.
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  // Forwarded, so `kill -INT` on this process works too; from a terminal the child also gets the
  // group's own copy, which the CLI recognises as the same Ctrl-C (see DUPLICATE_SIGNAL_MS in cli/interrupt.ts).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
  });
}
