import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildMarkdown, planMarkdown } from '../report/markdown.js';
import { hasSummary, type Printed } from './output.js';

/** The Markdown form of a plan or a build (for --report markdown and --summary), if it has one. */
export function markdownOf(printed: Printed, options: { readonly check: boolean; readonly maxCost?: number }): string | undefined {
  if (printed.command === 'plan') return printed.result.status === 'invalid' ? undefined : planMarkdown(printed.result.campaigns, options);
  if (printed.command === 'build' && hasSummary(printed.result)) return buildMarkdown(printed.result);
  return undefined;
}

/** Appended, as $GITHUB_STEP_SUMMARY expects: several steps may write to the same file. */
export async function appendSummary(file: string, cwd: string, markdown: string): Promise<string | undefined> {
  try {
    await appendFile(resolve(cwd, file), markdown);
    return undefined;
  } catch (err) {
    return `--summary ${file}: ${(err as Error).message}`;
  }
}
