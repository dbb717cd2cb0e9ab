#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The `pressroom` executable. On Linux, glibc gives every thread that allocates its own malloc
 * arena, and libvips' worker threads leave freed pixel buffers resident in them: a 2,000-cell
 * local build peaked at 480 MB with the default and 270 MB with two arenas (npm run bench,
 * scenario 4). glibc reads MALLOC_ARENA_MAX only at process start, so a build that does not have
 * it set runs in a child that does. Everything else runs in this process.
 */
const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
// @napi-rs/canvas scans the machine's fonts when it loads unless this is set. The typesetter never
// uses them (every run names one registered font; coverage is checked first), so the scan only
// costs start-up time; being a load-time side effect, it is the process owner's to switch off,
// before anything imports the typesetter. Inherited by the build child below.
process.env['DISABLE_SYSTEM_FONTS_LOAD'] ??= '1';
const args = process.argv.slice(2);
const capArenas = process.platform === 'linux' && process.env['MALLOC_ARENA_MAX'] === undefined && (args.includes('build') || args.includes('dev'));

if (capArenas) {
  // The IPC channel is the child's lifeline: when this process dies, even by SIGKILL, the child
  // sees it close and stops (cli.ts), instead of running on and racing a re-run for the same tasks.
  const child = spawn(process.execPath, [...process.execArgv, cli, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  // Forwarded, so `kill -INT` on this process works too; from a terminal the child also gets the
  // group's own copy, which the CLI recognises as the same Ctrl-C (see DUPLICATE_SIGNAL_MS in cli/interrupt.ts).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
  });
} else {
  const { main } = await import('./cli.js');
  await main();
}
