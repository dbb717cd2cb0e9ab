import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FONT_TABLE } from './catalogue.js';

/** The packages that decide how text is set besides the fonts: the shaper, bidi, hyphenation and phrase rules. */
const ENGINE = ['@napi-rs/canvas', 'bidi-js', 'hyphen', 'budoux'];

let identity: string | undefined;

/**
 * The installed typesetter: every package it sets text with, at its version (`-` when absent). A
 * fact derived from setting text (a copy-fit verdict kept on disk) holds for this identity only:
 * `npm install` of another font or shaper version makes it a different one.
 */
export function typesetterIdentity(): string {
  if (identity !== undefined) return identity;
  const require = createRequire(import.meta.url);
  const versionOf = (pkg: string): string => {
    try {
      // Some packages export no package.json: found beside their main file, up the tree.
      let dir = dirname(require.resolve(pkg));
      for (let i = 0; i < 4; i++, dir = dirname(dir)) {
        try {
          const read = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (read.name === pkg) return read.version ?? '?';
        } catch {
          // not this folder
        }
      }
      return '?';
    } catch {
      return '-';
    }
  };
  const packages = [...new Set([...ENGINE, ...FONT_TABLE.map((f) => f.pkg)])].sort();
  return (identity = packages.map((p) => `${p}@${versionOf(p)}`).join(' '));
}
