import { isAbsolute, relative, sep } from 'node:path';

/**
 * Where `path` lies under `root`: its relative path when it is `root` itself ('') or below it,
 * undefined when it is outside. A child whose name merely starts with two dots (`..draft`) is
 * inside: only a `..` segment leads out.
 */
export function relativeInside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel;
}

/** `path` is below `root`, never `root` itself. */
export const isBelow = (root: string, path: string): boolean => Boolean(relativeInside(root, path));
