import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * `poster` names a project template (<projectRoot>/templates/poster.hbs); anything with a slash
 * or ending in .hbs is a path relative to the campaign file, for one-off templates.
 */
export function templatePath(value: string, campaignFile: string, projectRoot: string): string {
  const isPath = /[\\/]/.test(value) || value.toLowerCase().endsWith('.hbs');
  return isPath ? resolve(dirname(campaignFile), value) : join(resolve(projectRoot), 'templates', `${value}.hbs`);
}

export async function readTemplate(
  value: string,
  campaignFile: string,
  projectRoot: string,
): Promise<{ readonly file: string; readonly source: string } | { readonly problem: string }> {
  const file = templatePath(value, campaignFile, projectRoot);
  try {
    return { file, source: await readFile(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const shown = relative(resolve(projectRoot), file) || file;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: `template not found: ${shown}` };
    return { problem: `template ${shown} cannot be read (${code === 'EISDIR' ? 'it is a folder' : (code ?? 'error')})` };
  }
}
