import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeIndexGallery, type SummaryMemo } from '../../src/report/gallery/write.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * out/index.html lists every campaign folder with a gallery page, from its manifest; what it
 * shows of a manifest is kept by the manifest's stat, so a build that changed nothing parses none.
 */
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-index-')));
afterEach(() => cleanup());

const thumbOf = (sha: string) => `thumbs/${sha.slice(0, 8)}.jpg`;

function campaign(name: string, provider: string, assets = 2): void {
  mkdirSync(join(dir, name, 'thumbs'), { recursive: true });
  writeFileSync(join(dir, name, 'index.html'), '<html></html>');
  const list = Array.from({ length: assets }, (_, i) => ({ variant: 'v', locale: `l${i}`, size: 's', sha256: `${i}`.repeat(64) }));
  writeFileSync(join(dir, name, 'manifest.json'), JSON.stringify({ campaign: name, provider, model: 'm', assets: list, failures: [] }));
  for (const a of list) writeFileSync(join(dir, name, thumbOf(a.sha256)), 'jpeg');
}

/** A memo in memory that records what was asked of it. */
function memory(): SummaryMemo & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return { entries, get: (k) => entries.get(k), put: (k, v) => void entries.set(k, v) };
}

const page = async (memo?: SummaryMemo) => readFileSync(await writeIndexGallery(dir, thumbOf, memo), 'utf8');

describe('out/index.html', () => {
  it('lists the campaigns with a gallery page and a manifest of their own, with their thumbnails', async () => {
    campaign('alpha', 'local');
    campaign('beta', 'runware');
    mkdirSync(join(dir, 'stray'));
    rmSync(join(dir, 'beta', 'index.html'));
    const html = await page();
    expect(html).toContain('alpha/index.html');
    expect(html).not.toContain('beta/index.html');
    expect(html).toContain(`alpha/${thumbOf('0'.repeat(64))}`);
  });

  it('shows a campaign from the memo while its manifest is as it was, and from the manifest once it changes', async () => {
    campaign('alpha', 'local');
    const memo = memory();
    expect(await page(memo)).toContain('<td>local</td>');
    expect(memo.entries.size).toBe(1);
    // The memo answers for this stat: what it holds is shown, the manifest is not read.
    const [key, kept] = [...memo.entries][0]!;
    memo.entries.set(key, { ...(kept as object), provider: 'from-the-memo' });
    expect(await page(memo)).toContain('<td>from-the-memo</td>');
    // A new manifest (another stat): read again, and kept under its own stat.
    campaign('alpha', 'runcomfy', 3);
    expect(await page(memo)).toContain('<td>runcomfy</td>');
    expect(memo.entries.size).toBe(2);
  });

  it('reads the manifest when the memo holds something else under its key', async () => {
    campaign('alpha', 'local');
    const memo = memory();
    await page(memo);
    const [key] = [...memo.entries.keys()];
    for (const damaged of [null, 'x', { campaign: 'other' }, { provider: 'p' }]) {
      memo.entries.set(key!, damaged);
      expect(await page(memo), JSON.stringify(damaged)).toContain('<td>local</td>');
    }
  });

  it('leaves out a thumbnail that is not in place, memo or not', async () => {
    campaign('alpha', 'local');
    const memo = memory();
    await page(memo);
    rmSync(join(dir, 'alpha', thumbOf('1'.repeat(64))));
    const html = await page(memo);
    expect(html).toContain(thumbOf('0'.repeat(64)));
    expect(html).not.toContain(thumbOf('1'.repeat(64)));
  });
});
