import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CampaignLayer, LayerFile } from '../../src/core/layers.js';
import { InputError } from '../../src/core/errors.js';
import { parseApprovals, serialiseApprovals } from '../../src/plan/approvals.js';
import { approvedDelivery, deliveryChanges, deliveryPlanOf } from '../../src/plan/approved-delivery.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { campaignFixture } from '../helpers/campaign.js';

/** What an approval records of image, shape and plate layers, and what it calls a change. */

const svg = (fill: string): LayerFile => {
  const bytes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="${fill}"/></svg>`);
  return { path: 'brand/logo.svg', sha256: createHash('sha256').update(bytes).digest('hex'), format: 'svg', width: 300, height: 100, bytes };
};
const layers = (logo: LayerFile, shadeColor = '#00000066'): CampaignLayer[] => [
  { kind: 'shape', id: 'shade', index: 0, shape: 'rect', box: { x: 0, y: 0, width: 1, height: 0.3 }, color: shadeColor, radius: { px: 8 }, mirror: true },
  { kind: 'image', id: 'logo', index: 1, files: { default: logo }, box: { x: 0.06, y: 0.06, width: 0.3, height: 0.1 }, fit: 'contain', align: 'start', valign: 'middle', mirror: true, upscale: false },
  {
    kind: 'text',
    field: 'headline',
    index: 2,
    box: { x: 0.06, y: 0.4, width: 0.8, height: 0.2 },
    style: { hyphenate: true, weight: 700, color: '#FFFFFF', align: 'start', valign: 'top', size: { min: { px: 12 }, max: { fraction: 0.5 } }, lineHeight: 1.2, background: 'auto', mirror: true, plate: { color: '#0B6E4F', radius: { fraction: 0.5 }, padding: { x: 0.8, y: 0.45 } } },
  },
];
const campaignWith = (l: CampaignLayer[]) => {
  const base = campaignFixture();
  return campaignFixture({ layers: { bySize: Object.fromEntries(base.sizes.map((s) => [s.id, l])) } });
};
const cell = buildMatrix(campaignFixture())[0]!;
const KEY = 'a'.repeat(64);

describe('approvals of image and shape layers', () => {
  it('records the logo by file and sha256: new bytes under the same name are a change, in words', () => {
    const before = deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY);
    const after = deliveryPlanOf(campaignWith(layers(svg('#2C7BBF'))), cell, KEY);
    expect(before.recipe).not.toBe(after.recipe);
    const approved = approvedDelivery(before, 'b'.repeat(64));
    const changes = deliveryChanges(approved, after);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(/^logo image brand\/logo\.svg changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)$/);
    expect(deliveryChanges(approved, deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY))).toEqual([]);
  });

  it("names a shape's new colour and a layer removed", () => {
    const approved = approvedDelivery(deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY), 'b'.repeat(64));
    expect(deliveryChanges(approved, deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'), '#00000099')), cell, KEY))).toEqual(['shade color #00000066 → #00000099']);
    expect(deliveryChanges(approved, deliveryPlanOf(campaignWith(layers(svg('#7B2CBF')).slice(1)), cell, KEY))).toEqual(['shade layer removed']);
  });

  it('writes image, shape and plate records to approved.lock and reads them back as they were', () => {
    const approved = approvedDelivery(deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY), 'b'.repeat(64));
    const id = `${cell.variant.id}/${cell.locale.tag}/${cell.size.id}`;
    const lock = { campaign: 'demo', cells: { [id]: { key: KEY, sha256: 'b'.repeat(64), pick: 0, delivered: approved } } };
    const read = parseApprovals(serialiseApprovals(lock), 'approved.lock', 'demo');
    expect(read.cells[id]!.delivered).toEqual(approved);
    expect(deliveryChanges(read.cells[id]!.delivered!, deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY))).toEqual([]);
  });

  it('refuses an image record it cannot draw again, at its field', () => {
    const approved = approvedDelivery(deliveryPlanOf(campaignWith(layers(svg('#7B2CBF'))), cell, KEY), 'b'.repeat(64));
    const id = `${cell.variant.id}/${cell.locale.tag}/${cell.size.id}`;
    const text = serialiseApprovals({ campaign: 'demo', cells: { [id]: { key: KEY, sha256: 'b'.repeat(64), pick: 0, delivered: approved } } }).replace('"fit": "contain"', '"fit": "stretch"');
    const err = (() => {
      try {
        return parseApprovals(text, 'approved.lock', 'demo');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems[0]).toMatchObject({ code: 'E_APPROVALS', path: `cells.${id}.delivered.layers.1.fit` });
  });
});
