import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Generation, StoredImage } from '../../src/core/generation.js';
import type { AssetEntry } from '../../src/core/results.js';
import { deliverGeneration } from '../../src/commands/build.js';
import type { Compositor } from '../../src/compose/index.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';
import { deliveryContext, imageRoute, placedHeadline } from '../helpers/delivery.js';
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


function typesetter(copy: (size: string) => string, drawn: string[]): Compositor {
  const text = (l: unknown) => (l as { text: string }).text;
  return {
    layers: (cell) => [placedHeadline(copy(cell.size.id))],
    canDraw: () => true,
    draw: async (image, layers) => {
      drawn.push(text(layers[0]));
      return { image, images: [], entries: layers.map((l) => ({ field: (l as { field: string }).field, text: text(l), fonts: ['f.ttf'], size: 20, lines: [text(l)], box: l.box, contrast: 7 })) };
    },
  };
}

const deliver = (image: StoredImage, over: Parameters<typeof deliveryContext>[1]) => deliverGeneration(gen, deliveryContext(dir, { readCache: async () => image, ...over }), imageRoute({ read: async () => image }));

describe('deliverGeneration after a copy edit of some of its cells', () => {
  it('cuts and typesets only the cells whose recipe changed, keeps the others as delivered, and reports every cell', async () => {
    const bytes = await makeImage(1024, 1024);
    const image: StoredImage = { bytes, meta: { key: gen.key, provider: 'local', model: 'seedream-4.5', width: 1024, height: 1024, format: 'png', sha256: 'x', bytes: bytes.length } };
    const [small, large] = [...gen.cells].sort((a, b) => a.size.width - b.size.width).map((c) => c.size.id) as [string, string];
    const first: string[] = [];
    const before = await deliver(image, { compose: typesetter((s) => `Hello ${s}`, first) });
    expect(first.sort()).toEqual([`Hello ${large}`, `Hello ${small}`].sort());
    const previous = new Map<string, AssetEntry>(before.entries.map((e) => [e.file, e]));
    const stamps = new Map(before.stamps);
    const fileOf = (size: string) => join(dir, before.entries.find((e) => e.size === size)!.file);
    const untouched = statSync(fileOf(large));

    // Only the small size's copy changed.
    const again: string[] = [];
    const after = await deliver(image, { previous, stamps, compose: typesetter((s) => (s === small ? `Hi ${s}` : `Hello ${s}`), again) });
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
