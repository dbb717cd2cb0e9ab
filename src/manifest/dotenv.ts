import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { InputError, problem } from '../core/errors.js';
import { readProjectText } from './project-file.js';

/** A `.env` holds a few keys and settings; anything this large is a mistake or a device. */
export const MAX_ENV_BYTES = 64 * 1024;

export interface Environment {
  /** The process environment over `.env`. */
  readonly values: Readonly<Record<string, string | undefined>>;
  /** The `.env` file, whether or not there is one. */
  readonly file: string;
  /** Variables whose value came from `.env` (the process environment did not set them), with the line that set them. */
  readonly fileLines: ReadonlyMap<string, number>;
}

/**
 * The environment providers see: the process environment over a `.env` file in the project root.
 * Keys are read here and nowhere else; they are never written back to process.env. `.env` is read
 * like every project file (a regular file inside the project, under a size cap, a FIFO never
 * waited on); one that cannot be read that way is an InputError naming it, not an empty file.
 */
export async function loadEnvironment(projectRoot: string, processEnv: Readonly<Record<string, string | undefined>>): Promise<Environment> {
  const file = join(projectRoot, '.env');
  const read = await readProjectText(file, projectRoot, { maxBytes: MAX_ENV_BYTES, shown: '.env', what: 'environment file', hiddenFile: true });
  if ('problem' in read) {
    if (read.missing) return { values: { ...processEnv }, file, fileLines: new Map() };
    throw new InputError([problem(read.code ?? 'E_PATH', read.facts, { file, ...(read.line ? { line: read.line, col: read.col } : {}) })]);
  }
  const fromFile = parseEnv(read.text) as Record<string, string>;
  const fileLines = new Map<string, number>();
  const lines = read.text.split(/\r?\n/);
  for (const name of Object.keys(fromFile)) {
    if (processEnv[name] !== undefined) continue;
    // The last assignment wins, as in parseEnv.
    const assigns = new RegExp(`^\\s*(?:export\\s+)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`);
    const at = lines.findLastIndex((line) => assigns.test(line));
    if (at >= 0) fileLines.set(name, at + 1);
  }
  return { values: { ...fromFile, ...processEnv }, file, fileLines };
}
