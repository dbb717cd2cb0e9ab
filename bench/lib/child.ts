import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Spawn to the last byte of output. */
  readonly wallMs: number;
  /** Peak resident set of the child, when asked for and measurable. */
  readonly maxRssMb?: number;
  readonly timedOut: boolean;
}

export interface ProcessOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The child is killed after this; every bench loop is bounded. */
  readonly timeoutMs: number;
  /**
   * `hook`: a Node child reports its own peak RSS at exit (works anywhere);
   * `time`: /usr/bin/time -f %M around any command (skipped where it is not installed).
   */
  readonly rss?: 'hook' | 'time';
}

const HOOK = pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), 'maxrss-hook.js')).href;
export const TIME_BIN = '/usr/bin/time';
let seq = 0;

export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  const rssFile = join(tmpdir(), `pressroom-bench-rss-${process.pid}-${seq++}`);
  let cmd = command;
  let argv = [...args];
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  if (options.rss === 'hook') {
    argv = ['--import', HOOK, ...argv];
    env['BENCH_MAXRSS_FILE'] = rssFile;
  } else if (options.rss === 'time' && existsSync(TIME_BIN)) {
    argv = ['-f', '%M', '-o', rssFile, cmd, ...argv];
    cmd = TIME_BIN;
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs, maxRssMb: readRss(rssFile), timedOut });
    });
  });
}

/** Runs a Node script with this Node. */
export function runNode(args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return runProcess(process.execPath, args, options);
}

function readRss(file: string): number | undefined {
  try {
    const kib = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
    return Number.isFinite(kib) && kib > 0 ? kib / 1024 : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

export function commandExists(name: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
}
