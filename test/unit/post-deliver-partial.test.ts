import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Generation, StoredImage } from '../../src/core/generation.js';
import type { AssetEntry } from '../../src/core/results.js';
import { deliverGeneration } from '../../src/post/deliver.js';
import type { Typesetter } from '../../src/post/text-layers.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';
import { deliveryContext, placedHeadline } from '../helpers/delivery.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A copy edit of one locale, with one background shared by every locale: only the cells whose
 * recipe changed are cut and typeset again; the files of the others stay as delivered.
 */

const campaign = campaignFixture();
const gen = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign))).find((g) => g.cells.length === 2) as Generation;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-deliver-partial-')));
afterEach(() => cleanup());


function typesetter(copy: (size: string) => string, drawn: string[]): Typesetter {
  return {
    layers: (cell) => [placedHeadline(copy(cell.size.id))],
    draw: async (image, layers) => {
      drawn.push(layers[0]!.text);
      return { image, entries: layers.map((l) => ({ field: l.field, text: l.text, fonts: ['f.ttf'], size: 20, lines: [l.text], box: l.box, contrast: 7 })) };
    },
  };
}

describe('deliverGeneration after a copy edit of some of its cells', () => {
  it('cuts and typesets only the cells whose recipe changed, keeps the others as delivered, and reports every cell', async () => {
    const bytes = await makeImage(1024, 1024);
    const image: StoredImage = { bytes, meta: { key: gen.key, provider: 'local', model: 'seedream-4.5', width: 1024, height: 1024, format: 'png', sha256: 'x', bytes: bytes.length } };
    const [small, large] = [...gen.cells].sort((a, b) => a.size.width - b.size.width).map((c) => c.size.id) as [string, string];
    const first: string[] = [];
    const before = await deliverGeneration(gen, deliveryContext(dir, { readCache: async () => image, typeset: typesetter((s) => `Hello ${s}`, first) }));
    expect(first.sort()).toEqual([`Hello ${large}`, `Hello ${small}`].sort());
    const previous = new Map<string, AssetEntry>(before.entries.map((e) => [e.file, e]));
    const stamps = new Map(before.stamps);
    const fileOf = (size: string) => join(dir, before.entries.find((e) => e.size === size)!.file);
    const untouched = statSync(fileOf(large));

    // Only the small size's copy changed.
    const again: string[] = [];
    const after = await deliverGeneration(gen, deliveryContext(dir, { readCache: async () => image, previous, stamps, typeset: typesetter((s) => (s === small ? `Hi ${s}` : `Hello ${s}`), again) }));
    expect(again).toEqual([`Hi ${small}`]);
    expect(after.kind).toBe('cached');
    expect(after.entries.map((e) => e.size).sort()).toEqual([small, large].sort());
    expect(after.entries.find((e) => e.size === large)).toEqual(previous.get(before.entries.find((e) => e.size === large)!.file));
    expect(after.entries.find((e) => e.size === small)!.layers![0]!.text).toBe(`Hi ${small}`);
    const kept = statSync(fileOf(large));
    expect([kept.ino, kept.mtimeMs]).toEqual([untouched.ino, untouched.mtimeMs]);
    expect(new Map(after.stamps).size).toBe(2);
  });
});
