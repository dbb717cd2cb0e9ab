import { describe, expect, it } from 'vitest';
import { deliveryChanges, type ApprovedDelivery } from '../../src/plan/approved-delivery.js';
import { parseApprovals, serialiseApprovals } from '../../src/plan/approvals.js';
import { placedHeadline } from '../helpers/delivery.js';

/** What changed since approval, in words: only what changed, whatever order the lock keeps keys in. */

/** The style of a placed headline, with these regions. */
const style = (regions: readonly Record<string, number>[]) => {
  const { field: _f, text: _t, locale: _l, direction: _d, box: _b, ...rest } = placedHeadline('');
  return { ...rest, regions: regions as never };
};

const delivery = (text: string, regions: readonly Record<string, number>[]): ApprovedDelivery => ({
  recipe: (text === 'A' ? 'c' : 'd').repeat(32),
  sha256: 'a'.repeat(64),
  file: 'de-DE/hero-square.png',
  format: 'png',
  quality: 90,
  width: 480,
  height: 600,
  layers: [{ kind: 'text', field: 'headline', text, box: { x: 29, y: 38, width: 288, height: 166 }, style: style(regions) }],
});

describe('deliveryChanges', () => {
  it('names a copy edit alone, not the regions a lock read back with its keys sorted', () => {
    const approved = delivery('A', [{ x: 29, y: 38, width: 288, height: 166 }]);
    const lock = serialiseApprovals({ campaign: 'c', cells: { 'hero/de-DE/square': { key: 'b'.repeat(32), sha256: 'a'.repeat(64), pick: 0, delivered: approved } } });
    const read = parseApprovals(lock, 'approved.lock', 'c').cells['hero/de-DE/square']!.delivered!;
    expect(deliveryChanges(read, delivery('B', [{ x: 29, y: 38, width: 288, height: 166 }]))).toEqual(['headline text "A" → "B"']);
    expect(deliveryChanges(read, delivery('B', [{ x: 30, y: 38, width: 288, height: 166 }]))).toEqual(['headline text "A" → "B"', 'headline regions [{"height":166,"width":288,"x":29,"y":38}] → [{"height":166,"width":288,"x":30,"y":38}]']);
  });
});
