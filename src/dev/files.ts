import { lstat, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createOutGuard } from '../post/out-paths.js';

/**
 * The files of out/<campaign> the review page shows (deliveries, thumbnails, candidates, the
 * page's fonts, the manifest): read through the same guard delivery writes through, so a path
 * with `..`, a folder that links elsewhere or a file that is a link is never served.
 */
const TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
};

export interface ServedFile {
  readonly data: Buffer;
  readonly type: string;
}

/** `parts`: the URL path below /c/<campaign>/, decoded segment by segment. */
export async function outFile(outRoot: string, campaign: string, parts: readonly string[]): Promise<ServedFile | undefined> {
  if (parts.length === 0 || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\\') || p.includes('\0'))) return undefined;
  const type = TYPES[extname(parts[parts.length - 1]!).toLowerCase()];
  if (!type) return undefined;
  const path = await createOutGuard(join(outRoot, campaign))(parts.join('/'));
  if (!path) return undefined;
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const data = await readFile(path).catch(() => undefined);
  return data && { data, type };
}
