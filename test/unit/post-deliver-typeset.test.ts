import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PressroomError } from '../../src/core/errors.js';
import type { Generation, StoredImage } from '../../src/core/generation.js';
import { deliverGeneration } from '../../src/commands/build.js';
import type { Compositor } from '../../src/compose/index.js';
import { deliveryRecipe } from '../../src/post/deliver.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { deliveryContext, imageRoute, placedHeadline } from '../helpers/delivery.js';

/** Delivery with text layers: the layers are drawn into each cut, recorded, and part of its recipe. */

const campaign = campaignFixture();
const gen = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign))).find((g) => g.cells.length === 2) as Generation;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-deliver-typeset-')));
afterEach(() => cleanup());

async function cached(): Promise<StoredImage> {
  const bytes = await makeImage(1024, 1024);
  return { bytes, meta: { key: gen.key, provider: 'local', model: 'seedream-4.5', width: 1024, height: 1024, format: 'png', sha256: 'x', bytes: bytes.length } };
}

const layer = placedHeadline;

const deliver = (compose: Compositor, image: StoredImage) => deliverGeneration(gen, deliveryContext(dir, { compose, readCache: async () => image }), imageRoute({ read: async () => image }));

describe('deliverGeneration with text layers', () => {
  it('draws each cell\'s layers over its cut, records them, and keys the recipe on them, not the generation', async () => {
    const drawn: number[] = [];
    const typeset: Compositor = {
      layers: (cell) => [layer(`Hello ${cell.size.id}`)],
      canDraw: () => true,
      draw: async (image, layers) => {
        drawn.push(image.width);
        return { image, images: [], entries: layers.map((l) => ({ field: (l as { field: string }).field, text: (l as { text: string }).text, fonts: ['f.ttf'], size: 20, lines: [(l as { text: string }).text], box: l.box, contrast: 7 })) };
      },
    };
    const delivered = await deliver(typeset, await cached());
    expect(delivered.kind).toBe('cached');
    expect(drawn.sort((a, b) => a - b)).toEqual([600, 1080]);
    const small = delivered.entries.find((e) => e.width === 600)!;
    expect(small.layers?.[0]?.text).toBe(`Hello ${small.size}`);
    expect(small.generation.key).toBe(gen.key);
    expect(small.recipe).not.toBe(deliveryRecipe({ generationKey: gen.key, width: 600, height: 600, format: 'png', quality: 90 }));
    expect(small.recipe).toBe(deliveryRecipe({ generationKey: gen.key, width: 600, height: 600, format: 'png', quality: 90, layers: [layer(`Hello ${small.size}`)] }));
  });

  it('turns a typesetter refusal into a failure of the generation\'s cells, as data', async () => {
    const typeset: Compositor = {
      layers: () => [layer('far too long')],
      canDraw: () => true,
      draw: async () => {
        throw new PressroomError('E_COPYFIT', 'en-US headline does not fit its 200×50 box');
      },
    };
    const delivered = await deliver(typeset, await cached());
    expect(delivered.kind).toBe('failed');
    expect(delivered.failures.map((f) => f.error.code)).toEqual(['E_COPYFIT', 'E_COPYFIT']);
    expect(existsSync(join(dir, 'en-US'))).toBe(false);
  });
});
