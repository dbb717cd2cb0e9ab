import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Generation, StoredImage } from '../../src/core/generation.js';
import type { AssetEntry, GeneratedOutcome } from '../../src/core/results.js';
import { deliverGeneration } from '../../src/commands/build.js';
import { assetPath, deliveryRecipe, removeStaleDeliveries, type DeliveryContext } from '../../src/post/deliver.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { mergeEntries } from '../../src/report/manifest.js';
import { createOutGuard } from '../../src/post/out-paths.js';
import { campaignFixture } from '../helpers/campaign.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { deliveryContext, imageRoute } from '../helpers/delivery.js';

const campaign = campaignFixture();
const allCells = buildMatrix(campaign);
const generations = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, allCells));
/** hero · en-US, square and square-small from one image. */
const shared = generations.find((g) => g.cells.length === 2 && g.cells[0]!.variant.id === 'hero' && g.cells[0]!.locale.tag === 'en-US') as Generation;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('pressroom-deliver-'));
});
afterEach(() => cleanup());

async function image(): Promise<StoredImage> {
  const bytes = await makeImage(1024, 1024);
  return { bytes, meta: { key: shared.key, provider: 'local', model: 'seedream-4.5', width: 1024, height: 1024, format: 'png', sha256: 'x', bytes: bytes.length, taskId: 't-1', cost: 0.02 } };
}

const context = (over: Partial<DeliveryContext> = {}) => deliveryContext(dir, over);
/** Delivers `shared` with the route's image: from the cache (`read`, also delivery's own check under --verify) or the provider (`obtain`). */
const deliver = (over: Partial<DeliveryContext> = {}, route: Parameters<typeof imageRoute>[0] & { peek?: DeliveryContext['peekCache'] } = {}) => {
  const { peek, ...image } = route;
  return deliverGeneration(shared, context({ ...over, ...(image.read ? { readCache: image.read } : {}), ...(peek ? { peekCache: peek } : {}) }), imageRoute(image));
};

describe('deliverGeneration: in place, else cache, else provider (run -> cache -> post)', () => {
  it('cuts every cell of a generation from a fresh image, at its exact size', async () => {
    const img = await image();
    const delivered = await deliver({}, { obtain: async (): Promise<GeneratedOutcome> => ({ kind: 'generated', ...img, possibleDuplicate: true }) });
    expect(delivered.kind).toBe('generated');
    expect(delivered.possibleDuplicate).toBe(true);
    expect(delivered.entries.map((e) => [e.file, e.width, e.height])).toEqual([
      ['en-US/hero-square.png', 1080, 1080],
      ['en-US/hero-square-small.png', 600, 600],
    ]);
    const e = delivered.entries[1]!;
    expect(e).toMatchObject({ provider: 'local', cost: 0.02, generation: { key: shared.key, width: 1024, taskId: 't-1' } });
    expect(e.recipe).toBe(deliveryRecipe({ generationKey: shared.key, width: 600, height: 600, format: 'png', quality: 90 }));
    expect(await imageSize(readFileSync(join(dir, e.file)))).toEqual({ width: 600, height: 600, format: 'png' });
    expect(statSync(join(dir, e.file)).size).toBe(e.bytes);
  });

  it('prefers the cache over the provider, and files already in place over both', async () => {
    const img = await image();
    const fromCache = await deliver({}, { read: async () => img });
    expect(fromCache.kind).toBe('cached');
    const previous = new Map(fromCache.entries.map((a) => [a.file, a]));
    const again = await deliver({ previous }, { read: async () => Promise.reject(new Error('must not read')) });
    expect(again).toMatchObject({ kind: 'in-place', entries: fromCache.entries, failures: [], possibleDuplicate: false });
  });

  it('under --verify, files in place over a corrupt cache entry are cut again from a fresh image; over an absent one they stay', async () => {
    const img = await image();
    const first = await deliver({}, { read: async () => img });
    const previous = new Map(first.entries.map((a) => [a.file, a]));
    let obtained = 0;
    const fresh = async (): Promise<GeneratedOutcome> => (obtained++, { kind: 'generated', ...img, possibleDuplicate: false });
    // The entry is committed (peek) but its bytes fail their hash (read: a miss).
    const corrupt = await deliver({ previous, verify: true }, { peek: async () => img.meta, read: async () => undefined, obtain: fresh });
    expect([corrupt.kind, obtained]).toEqual(['generated', 1]);
    const absent = await deliver({ previous, verify: true }, { obtain: fresh });
    expect([absent.kind, obtained]).toEqual(['in-place', 1]);
  });

  it('re-derives a file that changed on disk, and everything with force', async () => {
    const img = await image();
    const first = await deliver({}, { read: async () => img });
    const previous = new Map(first.entries.map((a) => [a.file, a]));
    writeFileSync(join(dir, first.entries[0]!.file), 'tampered');
    expect((await deliver({ previous }, { read: async () => img })).kind).toBe('cached');
    const forced = await deliver({ previous, force: true }, { read: async () => img, obtain: async () => ({ kind: 'generated', ...img, possibleDuplicate: false }) });
    expect(forced.kind).toBe('generated');
  });

  it("a file that cannot be written fails its own cell, named by its own path; the generation's other cells are delivered", async () => {
    // The square's name is taken by a folder: that write fails (EISDIR), the small one does not.
    mkdirSync(join(dir, 'en-US', 'hero-square.png'), { recursive: true });
    const delivered = await deliver({}, { read: async () => image() });
    expect(delivered.failures).toEqual([
      { variant: 'hero', locale: 'en-US', size: 'square', error: { code: 'E_WRITE', message: 'a folder is in the way writing out/demo/en-US/hero-square.png', provider: 'local' } },
    ]);
    expect(delivered.entries.map((e) => e.file)).toEqual(['en-US/hero-square-small.png']);
    expect(delivered.stamps.map(([f]) => f)).toEqual(['en-US/hero-square-small.png']);
    // Both blocked: each cell names its own file, not the first one that failed.
    mkdirSync(join(dir, 'en-US', 'hero-square-small.png.d'));
    rmSync(join(dir, 'en-US', 'hero-square-small.png'));
    renameSync(join(dir, 'en-US', 'hero-square-small.png.d'), join(dir, 'en-US', 'hero-square-small.png'));
    const blocked = await deliver({}, { read: async () => image() });
    expect(blocked.failures.map((f) => f.error.message)).toEqual([
      'a folder is in the way writing out/demo/en-US/hero-square.png',
      'a folder is in the way writing out/demo/en-US/hero-square-small.png',
    ]);
  });

  it('turns a failed job into one failure per cell and writes nothing', async () => {
    const failure = { code: 'E_PROVIDER_MODERATION' as const, message: 'no', provider: 'local' };
    const delivered = await deliver({}, { obtain: async () => ({ kind: 'failed', failure }) });
    expect(delivered.kind).toBe('failed');
    expect(delivered.failures.map((f) => [f.variant, f.locale, f.size, f.error.code])).toEqual([
      ['hero', 'en-US', 'square', 'E_PROVIDER_MODERATION'],
      ['hero', 'en-US', 'square-small', 'E_PROVIDER_MODERATION'],
    ]);
    expect(existsSync(join(dir, 'en-US'))).toBe(false);
  });
});

describe('removeStaleDeliveries', () => {
  it('removes files of the previous build no current entry refers to', async () => {
    const img = await image();
    const { entries } = await deliver({}, { read: async () => img });
    await removeStaleDeliveries(createOutGuard(dir), entries, entries.slice(0, 1));
    expect(existsSync(join(dir, entries[0]!.file))).toBe(true);
    expect(existsSync(join(dir, entries[1]!.file))).toBe(false);
  });

  /** Entries of a previous build for `locales`, each file written under dir. */
  const written = (locales: readonly string[]) =>
    locales.map((locale) => {
      const file = assetPath(locale, 'hero', 'square', 'png');
      mkdirSync(join(dir, locale), { recursive: true });
      writeFileSync(join(dir, file), 'png');
      return { variant: 'hero', locale, size: 'square', file, format: 'png' } as unknown as AssetEntry;
    });

  it('removes the folder of a locale the campaign no longer has, once empty', async () => {
    const [en, it] = written(['en-US', 'it-IT']);
    await removeStaleDeliveries(createOutGuard(dir), [en!, it!], [en!]);
    expect(existsSync(join(dir, 'it-IT'))).toBe(false);
    expect(existsSync(join(dir, en!.file))).toBe(true);
  });

  it('leaves a removed locale folder that holds anything else, and a link named like a locale', async () => {
    const [it, fr] = written(['it-IT', 'fr-FR']);
    writeFileSync(join(dir, 'it-IT', 'notes.txt'), 'mine');
    // fr-FR becomes a link to a folder outside out/<campaign>, holding an empty folder of its own.
    const { dir: elsewhere, cleanup: clean } = await tempDir('pressroom-elsewhere-');
    try {
      rmSync(join(dir, 'fr-FR'), { recursive: true });
      symlinkSync(elsewhere, join(dir, 'fr-FR'));
      await removeStaleDeliveries(createOutGuard(dir), [it!, fr!], []);
      expect(readFileSync(join(dir, 'it-IT', 'notes.txt'), 'utf8')).toBe('mine');
      expect(lstatSync(join(dir, 'fr-FR')).isSymbolicLink()).toBe(true);
      expect(existsSync(elsewhere)).toBe(true);
    } finally {
      await clean();
    }
  });

  it('keeps the folder of a locale still delivered, and folders no stale file named', async () => {
    const [en] = written(['en-US']);
    mkdirSync(join(dir, 'de-DE'));
    await removeStaleDeliveries(createOutGuard(dir), [en!], []);
    expect(existsSync(join(dir, 'en-US'))).toBe(false);
    expect(existsSync(join(dir, 'de-DE'))).toBe(true);
  });
});

describe('mergeEntries', () => {
  const entry = (variant: string, locale: string, size: string, tag: string) =>
    ({ variant, locale, size, file: assetPath(locale, variant, size, 'png'), recipe: tag }) as unknown as AssetEntry;

  it('keeps matrix order, takes this build first, the previous manifest for cells outside the filter, drops cells gone', () => {
    const fresh = entry('hero', 'de-DE', 'story', 'new');
    const failed = { variant: 'lifestyle', locale: 'en-US', size: 'square', error: { code: 'E_INTERNAL' as const, message: 'x', provider: 'local' } };
    const old = [entry('hero', 'en-US', 'square', 'old'), entry('hero', 'de-DE', 'story', 'stale'), entry('removed', 'en-US', 'square', 'gone')];
    const previous = { campaign: 'demo', provider: 'local', model: 'm', assets: old, failures: [], contactSheet: { recipe: '', pages: [] } };
    const merged = mergeEntries(allCells, [{ kind: 'generated', entries: [fresh], failures: [failed], possibleDuplicate: false }], previous);
    expect(merged.assets.map((a) => `${a.variant}/${a.locale}/${a.size}:${a.recipe}`)).toEqual(['hero/en-US/square:old', 'hero/de-DE/story:new']);
    expect(merged.failures).toEqual([failed]);
  });
});
