import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/**
 * The CLI loaded from its bundle (tools/bundle.mjs: one CommonJS file, named by its content hash)
 * with V8's code cache for it: compiling the CLI's code was most of a short command's start
 * (issue 25), and Node 20 caches no compiled code for ES modules. The caches are made when the
 * package is compiled, one per kind of command (each holds the functions that kind ran), beside
 * the bundle and named by its hash: a cache never meets other code than it was made from. V8
 * refuses one made by another Node or with other flags, and then compiles as usual.
 */

export interface CliEntry {
  main(options?: { readonly handOffPixels?: boolean; readonly replayChecked?: boolean }): Promise<boolean>;
}

/** What the bundler wrote: dist/bundle/entry.json. */
interface BundleEntry {
  readonly file: string;
  readonly caches: Readonly<Record<string, string>>;
}

/**
 * The commands run from the bundle, each with a cache of its own: the ones run many times a day
 * (CI, pull-request checks, a designer's re-run). The others load the ES modules they need
 * (dist/cli.js): `--help` reads a few small files faster than the whole bundle.
 */
export const BUNDLED_COMMANDS = ['build', 'plan', 'validate'] as const;

export function bundledCommand(args: readonly string[]): string | undefined {
  const command = args.find((a) => !a.startsWith('-'));
  return (BUNDLED_COMMANDS as readonly string[]).includes(command ?? '') ? command : undefined;
}

/** build, plan and validate keep what they print (cli/replay.ts), but with --summary, which appends to a file. */
export function keepsOutcome(args: readonly string[]): boolean {
  return bundledCommand(args) !== undefined && !args.some((a) => a === '--summary' || a.startsWith('--summary='));
}

/** Set by tools/bundle.mjs: this process writes the cache of its kind when it exits. */
export const WRITE_CACHE_ENV = 'PRESSROOM_WRITE_CODE_CACHE';

export interface BundledCli {
  readonly cli: CliEntry;
  /** Whether V8 took the command's code cache: `none` without one, `rejected` when made by another Node or flags. */
  readonly cache: 'used' | 'rejected' | 'none';
}

/** The bundled CLI, or undefined for another command or without a bundle (a tsc-only dist/): the caller imports cli.js. */
export function loadBundledCli(args: readonly string[], env: Readonly<Record<string, string | undefined>>): BundledCli | undefined {
  const kind = bundledCommand(args);
  if (kind === undefined) return undefined;
  const folder = fileURLToPath(new URL('../bundle/', import.meta.url));
  let entry: BundleEntry;
  let source: string;
  try {
    entry = JSON.parse(readFileSync(join(folder, 'entry.json'), 'utf8')) as BundleEntry;
    source = readFileSync(join(folder, entry.file), 'utf8');
  } catch {
    return undefined;
  }
  const cacheFile = join(folder, entry.caches[kind] ?? `${entry.file}.${kind}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const filename = join(folder, entry.file);
  // CommonJS's own wrapper: the bundle is a CommonJS module run as Node would run it.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename, ...(cachedData ? { cachedData } : {}) });
  if (env[WRITE_CACHE_ENV] === kind) {
    // At exit, when every function this kind of command runs has been compiled.
    process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const module = { exports: {} as CliEntry };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(filename), module, filename, dirname(filename));
  return { cli: module.exports, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
}
