import { describe, expect, it } from 'vitest';
import { generationKey, resultImageKey } from '../../src/cache/key.js';
import { approvalCellId, frozenProblems, parseApprovals, pickedGenerations, serialiseApprovals, type ApprovalLock } from '../../src/plan/approvals.js';
import { candidateKey, candidateRequests } from '../../src/plan/candidates.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

const campaign = campaignFixture({ seed: 7 });
const gens = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign)));
const shared = gens.find((g) => g.cells.length === 2)!;
const RUNWARE = { option: 'numberResults', max: 20 };
const idOf = (c: (typeof shared.cells)[number]) => approvalCellId({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id });

describe('candidate requests', () => {
  it('one request per candidate with derived seeds where a request returns one image', () => {
    const r = candidateRequests(shared, 3, undefined);
    expect(r.generations).toHaveLength(2);
    expect(r.generations.map((g) => g.request.seed)).not.toContain(7);
    expect(r.keys).toEqual(r.generations.map((g) => g.key));
    expect(r.generations.every((g) => g.extraImageKeys === undefined)).toBe(true);
  });

  it('one request for all of them with numberResults, each image under a key of request and position, no seed invented', () => {
    const r = candidateRequests(shared, 4, RUNWARE);
    expect(r.generations).toHaveLength(1);
    const batch = r.generations[0]!;
    expect(batch.request.options).toEqual({ numberResults: 3 });
    expect(batch.request.seed).toBe(7);
    const { key: _k, label: _l, ...input } = batch.request;
    expect(batch.key).toBe(generationKey(input));
    expect(r.keys).toEqual([batch.key, resultImageKey(batch.key, 1), resultImageKey(batch.key, 2)]);
    expect(batch.extraImageKeys).toEqual(r.keys.slice(1));
    expect(new Set([shared.key, ...r.keys]).size).toBe(4);
    // The count is part of what made the images: 3 candidates are not the first 3 of 4.
    expect(candidateKey(shared, 1, 3, RUNWARE)).not.toBe(candidateKey(shared, 1, 4, RUNWARE));
    expect(candidateKey(shared, 0, 4, RUNWARE)).toBe(shared.key);
  });
});

describe('approvals of candidates', () => {
  const [first, second] = shared.cells.map(idOf) as [string, string];
  const picked = candidateKey(shared, 2, 3, undefined)!;
  const lock: ApprovalLock = {
    campaign: 'demo',
    cells: Object.fromEntries(gens.flatMap((g) => g.cells.map((c) => [idOf(c), { key: g.key, sha256: 'ab'.repeat(32), pick: 0 }]))),
  };
  const withPick: ApprovalLock = { ...lock, cells: { ...lock.cells, [first]: { key: picked, sha256: 'cd'.repeat(32), pick: 2, of: 3 } } };

  it('round-trips pick and count through the lock text; a pick without its count is refused naming the field', () => {
    const text = serialiseApprovals(withPick);
    expect(parseApprovals(text, 'approved.lock', 'demo')).toEqual(withPick);
    expect(text).toContain('"of": 3');
    const broken = text.replace('"of": 3,', '');
    expect(() => parseApprovals(broken, 'approved.lock', 'demo')).toThrow(/of/);
  });

  it('frozen: the approved candidate key is checked against the candidate made today', () => {
    expect(frozenProblems(withPick, campaign, gens, undefined)).toEqual([]);
    // The same approval read as if the provider batched its candidates: another key, so changed.
    expect(frozenProblems(withPick, campaign, gens, RUNWARE).map((p) => [p.cell, p.reason])).toEqual([[first, 'changed']]);
  });

  it('picks: cells of one generation that picked different images become one generation per image', () => {
    const frozen = pickedGenerations(withPick, gens, undefined).generations;
    expect(frozen).toHaveLength(gens.length + 1);
    const forFirst = frozen.find((g) => g.cells.some((c) => idOf(c) === first))!;
    const forSecond = frozen.find((g) => g.cells.some((c) => idOf(c) === second))!;
    expect(forFirst.key).toBe(picked);
    expect(forFirst.request.seed).toBe(candidateRequests(shared, 3, undefined).generations[1]!.request.seed);
    expect(forSecond.key).toBe(shared.key);
    expect(pickedGenerations(lock, gens, undefined).generations.map((g) => g.key)).toEqual(gens.map((g) => g.key));
  });
});
