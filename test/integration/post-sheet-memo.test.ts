import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeContactSheets, type SheetTile } from '../../src/post/contact-sheet.js';
import { keepSheetsDrawn } from '../../src/post/sheet-memo.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `pressroom dev` keeps what it drew of the contact sheets: after a copy edit of one locale only
 * the pages showing it are drawn again, and every page has the bytes a fresh drawing gives.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-sheet-memo-')));
afterEach(() => cleanup());

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Two variants of twenty locales: the second variant's section starts on a page of its own. */
async function tiles(out: string, edited?: string): Promise<(SheetTile & { sha256: string })[]> {
  await mkdir(join(out, 'assets'), { recursive: true });
  const list: (SheetTile & { sha256: string })[] = [];
  let seed = 1;
  for (const variant of ['day', 'night']) {
    for (let i = 0; i < 20; i++) {
      const locale = `x${i}-AA`;
      const file = join(out, 'assets', `${variant}-${locale}.jpg`);
      const bytes = await makeImage(400, 600, 'jpeg', variant === 'night' && locale === edited ? 999 : seed);
      seed++;
      await writeFile(file, bytes);
      list.push({ file, variant, locale, size: 'story', width: 400, height: 600, caption: `headline ${locale}`, sha256: sha(bytes) });
    }
  }
  return list;
}

describe('contact sheets kept drawn by a long-running process', () => {
  it('draws again only the pages whose tiles changed, with the bytes a fresh drawing has', async () => {
    // The reference: the edited tiles drawn from nothing, before anything is kept.
    const fresh = await tempDir('pressroom-sheet-fresh-');
    let reference: string[];
    try {
      const drawn = await writeContactSheets(await tiles(fresh.dir, 'x19-AA'), { title: 'kept', outDir: fresh.dir, maxTilesPerPage: 16 });
      reference = await Promise.all(drawn.map(async (p) => sha(await readFile(p.file))));
    } finally {
      await fresh.cleanup();
    }

    keepSheetsDrawn();
    const first = await writeContactSheets(await tiles(dir), { title: 'kept', outDir: dir, maxTilesPerPage: 16 });
    expect(first.length).toBeGreaterThanOrEqual(3);
    const before = await Promise.all(first.map((p) => stat(p.file)));

    const second = await writeContactSheets(await tiles(dir, 'x19-AA'), { title: 'kept', outDir: dir, maxTilesPerPage: 16 });
    const after = await Promise.all(second.map((p) => stat(p.file)));
    const redrawn = second.filter((p, i) => after[i]!.mtimeMs !== before[i]!.mtimeMs || after[i]!.ino !== before[i]!.ino).map((p) => p.file);
    // night x19-AA is on the last page only.
    expect(redrawn).toEqual([second[second.length - 1]!.file]);
    expect(second[second.length - 1]!.sha256).not.toBe(first[first.length - 1]!.sha256);
    expect(await Promise.all(second.map(async (p) => sha(await readFile(p.file))))).toEqual(reference);
    expect(second.map((p) => p.sha256)).toEqual(reference);
  });
});
