import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One expected problem of a broken-input case (test/fixtures/broken/<case>/expect.json). */
export interface ExpectedProblem {
  readonly code: string;
  readonly line?: number;
  readonly col?: number;
  readonly path?: string;
  /** Relative to the case folder; campaign.yaml when absent. */
  readonly file?: string;
}

export interface Expectation extends ExpectedProblem {
  /** Found after loading (templates) or before it (the command line). */
  readonly stage?: 'render' | 'cli';
  /** For `cli` cases: the arguments placed before the campaign path. */
  readonly args?: readonly string[];
  readonly also?: readonly ExpectedProblem[];
  /** Exact number of problems reported. */
  readonly count?: number;
  /** Words the message must contain (what is wrong, not only where). */
  readonly says?: string;
  /** The field name the did-you-mean proposes. */
  readonly suggests?: string;
  /** Prepared by the test rather than committed (a 10 MB file, a mode-000 file). */
  readonly setup?: 'oversized-reference' | 'unreadable-reference';
}

export const CORPUS_DIR = join(import.meta.dirname, '../fixtures/broken');

export function corpusCases(): { readonly name: string; readonly expect: Expectation }[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => !name.startsWith('_'))
    .sort()
    .map((name) => ({ name, expect: JSON.parse(readFileSync(join(CORPUS_DIR, name, 'expect.json'), 'utf8')) as Expectation }));
}
