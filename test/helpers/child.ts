import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The installed executable: on Linux it runs builds in a child with MALLOC_ARENA_MAX set. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr (or stdout) has matched `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** The compiled CLI as a real child process (for signals and kills). */
export function spawnCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  options: { entry?: string; detached?: boolean; uid?: number; gid?: number } = {},
): Child {
  const child = spawn(process.execPath, [options.entry ?? CLI, ...args], {
    cwd,
    env: { PATH: process.env['PATH'], CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal the group as a terminal's Ctrl-C does.
    detached: options.detached ?? false,
    // Another user, so file permissions apply even when the tests run as root.
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  const state: Child = {
    process: child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stderr: ${state.stderr}`)), timeoutMs);
        const check = () => {
          if (pattern.test(state.stderr) || pattern.test(state.stdout)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stderr!.on('data', check);
        child.stdout!.on('data', check);
        child.on('exit', () => {
          clearTimeout(timer);
          if (pattern.test(state.stderr) || pattern.test(state.stdout)) resolve();
          else reject(new Error(`exited before ${pattern}; stderr: ${state.stderr}`));
        });
        check();
      });
    },
  };
  child.stdout!.on('data', (d: Buffer) => (state.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (state.stderr += d.toString()));
  return state;
}
