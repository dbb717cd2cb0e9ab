import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import type { Approval, ApprovalLock } from '../../src/plan/approval-lock.js';
import { approvalStatus, deliversApproved, frozenProblems, parseApprovals, pickedGenerations, serialiseApprovals } from '../../src/plan/approvals.js';
import { approvedDelivery, deliveryChanges, deliveryPlanOf, placedFromRecord, type ApprovedDelivery, type ApprovedTextLayer } from '../../src/plan/approved-delivery.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

/**
 * approved.lock decides what a frozen build may deliver: a lock read wrongly, or an approval judged
 * to hold when the campaign changed, lets unapproved copy ship. Each rule is checked by what it
 * accepts and refuses (codes, fields, lines), never by the words of its messages.
 */

const hex = (c: string) => c.repeat(32);
const layer = {
  kind: 'text',
  field: 'headline',
  text: 'HELLO',
  box: { x: 10, y: 20, width: 300, height: 80 },
  style: {
    align: 'start',
    valign: 'top',
    fonts: { Arab: 'fonts/a.otf' },
    keep: ['AQUA//ONE'],
    hyphenate: false,
    minRatio: 0.5,
    weight: 700,
    color: '#ffffff',
    background: 'auto',
    minSize: 12,
    maxSize: 48,
    lineHeight: 1.2,
    maxLines: 2,
    regions: [{ x: 10, y: 20, width: 300, height: 80 }],
  },
  fonts: ['NotoSans-Bold.ttf'],
};
const delivered = { recipe: hex('a1'), sha256: hex('b2'), file: 'en-US/hero-square.png', format: 'png', quality: 90, width: 1080, height: 1080, layers: [layer] };
const LOCK = {
  campaign: 'demo',
  cells: {
    'hero/en-US/square': { key: hex('c3'), sha256: hex('d4'), pick: 0, delivered },
    'hero/en-US/story': { key: hex('e5'), sha256: hex('f6'), pick: 2, of: 3 },
  },
} as unknown as ApprovalLock;

const FILE = 'campaigns/demo/approved.lock';
const TEXT = serialiseApprovals(LOCK);
/** The lock's text with `edit` applied to its parsed JSON, written as the file is. */
const edited = (edit: (lock: Record<string, any>) => void) => {
  const json = JSON.parse(TEXT);
  edit(json);
  return JSON.stringify(json, null, 2);
};
function problemOf(text: string, campaign = 'demo'): Problem {
  try {
    parseApprovals(text, FILE, campaign);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const problems = (err as InputError).problems;
    expect(problems).toHaveLength(1);
    return problems[0]!;
  }
  throw new Error('the lock was accepted');
}
/** Line of the first `"name":` at or after the line of `after` in `text`. */
const lineOf = (text: string, name: string, after = '') => {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= from && l.includes(`"${name}":`)) + 1;
};

describe('approved.lock as written', () => {
  it('round-trips every field, sorted, version 2, `of` only with a pick', () => {
    expect(parseApprovals(TEXT, FILE, 'demo')).toEqual(LOCK);
    const json = JSON.parse(TEXT);
    expect(json.version).toBe(2);
    expect(Object.keys(json)).toEqual(['campaign', 'cells', 'version']);
    expect(Object.keys(json.cells)).toEqual(['hero/en-US/square', 'hero/en-US/story']);
    expect(Object.keys(json.cells['hero/en-US/square'])).toEqual(['delivered', 'key', 'pick', 'sha256']);
    expect(Object.keys(json.cells['hero/en-US/story'])).toEqual(['key', 'of', 'pick', 'sha256']);
    expect(Object.keys(json.cells['hero/en-US/square'].delivered.layers[0].style)).toEqual([...Object.keys(layer.style)].sort());
    const unpicked = serialiseApprovals({ campaign: 'demo', cells: { 'a/b/c': { key: hex('11'), sha256: hex('22'), pick: 0, of: 3 } } });
    expect(JSON.parse(unpicked).cells['a/b/c']).toEqual({ key: hex('11'), pick: 0, sha256: hex('22') });
    expect(TEXT.endsWith('}\n')).toBe(true);
  });

  it('reads a version 1 lock (generations only) and a cell without pick as pick 0', () => {
    const v1 = JSON.stringify({ version: 1, campaign: 'demo', cells: { 'hero/en-US/square': { key: hex('c3'), sha256: hex('d4') } } });
    expect(parseApprovals(v1, FILE, 'demo')).toEqual({ campaign: 'demo', cells: { 'hero/en-US/square': { key: hex('c3'), sha256: hex('d4'), pick: 0 } } });
  });

  it('optional style fields stay optional', () => {
    const text = edited((l) => {
      const s = l.cells['hero/en-US/square'].delivered.layers[0];
      for (const k of ['fonts', 'keep', 'minRatio', 'maxLines']) delete s.style[k];
      delete s.fonts;
    });
    const read = parseApprovals(text, FILE, 'demo').cells['hero/en-US/square']!.delivered!.layers[0]! as ApprovedTextLayer;
    expect(read.style).not.toHaveProperty('fonts');
    expect(read.style).not.toHaveProperty('maxLines');
    expect(read).not.toHaveProperty('fonts');
  });
});

describe('approved.lock refused, at the field and its line', () => {
  const SQ = 'cells.hero/en-US/square';
  const D = `${SQ}.delivered`;
  const L = `${D}.layers.0`;
  const S = `${L}.style`;
  const sq = (l: Record<string, any>) => l.cells['hero/en-US/square'];
  const lay = (l: Record<string, any>) => sq(l).delivered.layers[0];
  const cases: [string, (l: Record<string, any>) => void, string][] = [
    ['version 3', (l) => (l.version = 3), 'version'],
    ['another campaign', (l) => (l.campaign = 'other'), 'campaign'],
    ['cells a list', (l) => (l.cells = []), 'cells'],
    ['a cell id of two parts', (l) => (l.cells['hero/en-US'] = sq(l)), 'cells.hero/en-US'],
    ['a cell that is a string', (l) => (l.cells['hero/en-US/square'] = 'approved'), SQ],
    ['a key that is not hex', (l) => (sq(l).key = 'zz'.repeat(32)), `${SQ}.key`],
    ['a short key', (l) => (sq(l).key = 'abc'), `${SQ}.key`],
    ['a sha256 missing', (l) => delete sq(l).sha256, `${SQ}.sha256`],
    ['a negative pick', (l) => (sq(l).pick = -1), `${SQ}.pick`],
    ['a fractional pick', (l) => (sq(l).pick = 1.5), `${SQ}.pick`],
    ['a pick without its count', (l) => delete l.cells['hero/en-US/story'].of, 'cells.hero/en-US/story.of'],
    ['a count not above the pick', (l) => (l.cells['hero/en-US/story'].of = 2), 'cells.hero/en-US/story.of'],
    ['delivered a string', (l) => (sq(l).delivered = 'yes'), D],
    ['a recipe not hex', (l) => (sq(l).delivered.recipe = 'r'), `${D}.recipe`],
    ['a delivered sha256 not hex', (l) => (sq(l).delivered.sha256 = 5), `${D}.sha256`],
    ['an empty file name', (l) => (sq(l).delivered.file = ''), `${D}.file`],
    ['a format gif', (l) => (sq(l).delivered.format = 'gif'), `${D}.format`],
    ['quality 0', (l) => (sq(l).delivered.quality = 0), `${D}.quality`],
    ['width 0', (l) => (sq(l).delivered.width = 0), `${D}.width`],
    ['height fractional', (l) => (sq(l).delivered.height = 10.5), `${D}.height`],
    ['layers an object', (l) => (sq(l).delivered.layers = {}), `${D}.layers`],
    ['a layer a string', (l) => (sq(l).delivered.layers = ['x']), L],
    ['a layer kind video (a newer Pressroom)', (l) => (lay(l).kind = 'video'), `${L}.kind`],
    ['an image layer without its sha256', (l) => Object.assign(lay(l), { kind: 'image', id: 'logo', file: 'brand/logo.svg', fit: 'contain', align: 'left', valign: 'top' }), `${L}.sha256`],
    ['a field not text', (l) => (lay(l).field = 3), `${L}.field`],
    ['text missing', (l) => delete lay(l).text, `${L}.text`],
    ['box missing', (l) => delete lay(l).box, `${L}.box`],
    ['box x negative', (l) => (lay(l).box.x = -1), `${L}.box.x`],
    ['box height text', (l) => (lay(l).box.height = '80'), `${L}.box.height`],
    ['style missing', (l) => delete lay(l).style, `${L}.style`],
    ['regions not boxes', (l) => (lay(l).style.regions = [{ x: 1 }]), `${S}.regions`],
    ['regions missing', (l) => delete lay(l).style.regions, `${S}.regions`],
    ['brand fonts a list', (l) => (lay(l).style.fonts = ['a.otf']), `${S}.fonts`],
    ['a brand font not text', (l) => (lay(l).style.fonts = { Arab: 3 }), `${S}.fonts`],
    ['keep a string', (l) => (lay(l).style.keep = 'AQUA'), `${S}.keep`],
    ['keep with a number', (l) => (lay(l).style.keep = ['a', 1]), `${S}.keep`],
    ['align missing', (l) => delete lay(l).style.align, `${S}.align`],
    ['valign a number', (l) => (lay(l).style.valign = 1), `${S}.valign`],
    ['hyphenate a string', (l) => (lay(l).style.hyphenate = 'no'), `${S}.hyphenate`],
    ['minRatio text', (l) => (lay(l).style.minRatio = 'half'), `${S}.minRatio`],
    ['weight missing', (l) => delete lay(l).style.weight, `${S}.weight`],
    ['color a number', (l) => (lay(l).style.color = 0xffffff), `${S}.color`],
    ['background missing', (l) => delete lay(l).style.background, `${S}.background`],
    ['minSize text', (l) => (lay(l).style.minSize = '12'), `${S}.minSize`],
    ['maxSize missing', (l) => delete lay(l).style.maxSize, `${S}.maxSize`],
    ['lineHeight null', (l) => (lay(l).style.lineHeight = null), `${S}.lineHeight`],
    ['maxLines text', (l) => (lay(l).style.maxLines = 'two'), `${S}.maxLines`],
    ['layer fonts not a list of names', (l) => (lay(l).fonts = [1]), `${L}.fonts`],
    ['layer fonts a string', (l) => (lay(l).fonts = 'a.ttf'), `${L}.fonts`],
    ['layer fonts with one not a name', (l) => (lay(l).fonts = ['a.ttf', 1]), `${L}.fonts`],
    ['a key with text before its hex', (l) => (sq(l).key = `zz${hex('c3')}`), `${SQ}.key`],
    ['a key with text after its hex', (l) => (sq(l).key = `${hex('c3')}zz`), `${SQ}.key`],
    ['a sha256 not hex', (l) => (sq(l).sha256 = 'not-a-hash-not-a-hash'), `${SQ}.sha256`],
    ['a delivered maxBytes of 0', (l) => (sq(l).delivered.maxBytes = 0), `${D}.maxBytes`],
    ['a focus past the picture', (l) => (sq(l).delivered.focus = { x: 0.5, y: 1.5 }), `${D}.focus`],
    ['a focus below 0', (l) => (sq(l).delivered.focus = { x: -0.1, y: 0.5 }), `${D}.focus`],
    ['a focus by name other than attention', (l) => (sq(l).delivered.focus = 'centre'), `${D}.focus`],
    ['a focus with text', (l) => (sq(l).delivered.focus = { x: '0.5', y: 0.5 }), `${D}.focus`],
    ['regions with one not a box', (l) => (lay(l).style.regions = [{ x: 1, y: 2, width: 3, height: 4 }, { x: 1 }]), `${S}.regions`],
    ['brand fonts with one not text', (l) => (lay(l).style.fonts = { Arab: 'a.otf', Hebr: 3 }), `${S}.fonts`],
    ['a plate without a radius', (l) => (lay(l).style.plate = { color: '#000000', padding: { x: 1, y: 1 } }), `${S}.plate`],
    ['a plate radius of neither px nor fraction', (l) => (lay(l).style.plate = { color: '#000000', radius: {}, padding: { x: 1, y: 1 } }), `${S}.plate`],
    ['a plate padding in text', (l) => (lay(l).style.plate = { color: '#000000', radius: { px: 4 }, padding: { x: '1', y: 1 } }), `${S}.plate`],
    ['a plate without a vertical padding', (l) => (lay(l).style.plate = { color: '#000000', radius: { fraction: 0.5 }, padding: { x: 1 } }), `${S}.plate`],
    ['a plate without a colour', (l) => (lay(l).style.plate = { radius: { px: 4 }, padding: { x: 1, y: 1 } }), `${S}.plate`],
    ['a shape colour with text before it', (l) => Object.assign(lay(l), { kind: 'shape', id: 'bar', shape: 'rect', radius: 0, color: 'x#000000' }), `${L}.color`],
    ['a shape colour with text after it', (l) => Object.assign(lay(l), { kind: 'shape', id: 'bar', shape: 'rect', radius: 0, color: '#000000zz' }), `${L}.color`],
    ['an image layer with an empty file name', (l) => Object.assign(lay(l), { kind: 'image', id: 'logo', file: '', sha256: hex('ab'), fit: 'contain', align: 'left', valign: 'top' }), `${L}.file`],
  ];

  it('takes what the refusals above must not catch: focus attention or in [0, 1], plates by px or fraction, a shape with alpha', () => {
    const accepted = (edit: (l: Record<string, any>) => void) => parseApprovals(edited(edit), FILE, 'demo').cells['hero/en-US/square']!.delivered!;
    expect(accepted((l) => (sq(l).delivered.focus = 'attention')).focus).toBe('attention');
    expect(accepted((l) => (sq(l).delivered.focus = { x: 0, y: 1 })).focus).toEqual({ x: 0, y: 1 });
    expect(accepted((l) => (sq(l).delivered.maxBytes = 150_000)).maxBytes).toBe(150_000);
    for (const radius of [{ px: 4 }, { fraction: 0.5 }]) {
      const plate = { color: '#D1495B', radius, padding: { x: 0.2, y: 0.1 } };
      expect((accepted((l) => (lay(l).style.plate = plate)).layers[0] as ApprovedTextLayer).style.plate).toEqual(plate);
    }
    const shape = { kind: 'shape', id: 'bar', shape: 'rect', box: layer.box, radius: 0, color: '#00000080' };
    expect(accepted((l) => (sq(l).delivered.layers = [shape])).layers[0]).toEqual(shape);
    // A cell not picked has no count, whatever the file says.
    expect(parseApprovals(edited((l) => (sq(l).of = 3)), FILE, 'demo').cells['hero/en-US/square']).not.toHaveProperty('of');
  });

  it.each(cases)('%s: E_APPROVALS at that field', (_what, edit, path) => {
    const text = edited(edit);
    expect(problemOf(text)).toMatchObject({ code: 'E_APPROVALS', file: FILE, path });
  });

  it('names the line of the value, or of its parent when it is missing', () => {
    const key = edited((l) => (l.cells['hero/en-US/square'].key = 'nope'));
    expect(problemOf(key)).toMatchObject({ line: lineOf(key, 'key', '"hero/en-US/square"'), col: expect.any(Number) });
    const format = edited((l) => (l.cells['hero/en-US/square'].delivered.format = 'gif'));
    expect(problemOf(format).line).toBe(lineOf(format, 'format'));
    const noStyleWeight = edited((l) => delete l.cells['hero/en-US/square'].delivered.layers[0].style.weight);
    expect(problemOf(noStyleWeight).line).toBe(lineOf(noStyleWeight, 'style'));
    expect(problemOf(edited((l) => (l.version = 9)))).toMatchObject({ path: 'version', line: lineOf(TEXT, 'version') });
  });

  it('a whole file that is not a lock is refused at line 1; JSON syntax at its line and column', () => {
    expect(problemOf('[]')).toMatchObject({ code: 'E_APPROVALS', line: 1, col: 1 });
    expect(problemOf('[]').path).toBeUndefined();
    const broken = TEXT.replace('"pick": 0,', '"pick": 0,,');
    expect(problemOf(broken)).toMatchObject({ code: 'E_APPROVALS', file: FILE, line: lineOf(TEXT, 'pick', '"hero/en-US/square"') });
    expect(problemOf('{\n  "version": 2,\n  "campaign": "demo"\n  "cells": {}\n}')).toMatchObject({ line: 4 });
  });
});

describe('approvals against the campaign today', () => {
  const campaign = campaignFixture({ provider: 'runware' });
  const gens = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign)));
  const cellId = (c: (typeof gens)[number]['cells'][number]) => `${c.variant.id}/${c.locale.tag}/${c.size.id}`;
  const cells = gens.flatMap((g) => g.cells.map((cell) => ({ gen: g, cell, id: cellId(cell) })));
  const approvedNow = (i: number): Approval => {
    const { gen, cell } = cells[i]!;
    return { key: gen.key, sha256: hex('99'), pick: 0, delivered: approvedDelivery(deliveryPlanOf(campaign, cell, gen.key), hex('98')) };
  };
  const allApproved = (): ApprovalLock => ({ campaign: 'demo', cells: Object.fromEntries(cells.map((c, i) => [c.id, approvedNow(i)])) });

  it('a lock made from today\'s plan holds for every cell; a missing cell is unapproved; problems come sorted', () => {
    expect(frozenProblems(allApproved(), campaign, gens, undefined)).toEqual([]);
    const lock = allApproved();
    const { [cells[3]!.id]: _gone, [cells[0]!.id]: _gone2, ...rest } = lock.cells;
    const problems = frozenProblems({ ...lock, cells: rest }, campaign, gens, undefined);
    expect(problems.map((p) => [p.cell, p.reason])).toEqual([cells[0]!.id, cells[3]!.id].sort().map((c) => [c, 'unapproved']));
    expect(frozenProblems(undefined, campaign, gens, undefined)).toHaveLength(cells.length);
  });

  it('another generation key, or another recipe (copy, format), is a change; a version 1 approval holds on its key alone', () => {
    const { gen, cell } = cells[0]!;
    const ok = approvedNow(0);
    expect(approvalStatus(campaign, gen, cell, ok, undefined)).toBeUndefined();
    expect(approvalStatus(campaign, gen, cell, { ...ok, key: hex('77') }, undefined)).toMatchObject({ reason: 'changed', approvedKey: hex('77'), key: gen.key, changes: [expect.any(String)] });
    const recipe = { ...ok, delivered: { ...ok.delivered!, recipe: hex('66') } };
    expect(approvalStatus(campaign, gen, cell, recipe, undefined)).toMatchObject({ reason: 'changed', plan: { recipe: ok.delivered!.recipe } });
    const jpeg = campaignFixture({ provider: 'runware', output: { format: 'jpeg', quality: 90 } });
    expect(approvalStatus(jpeg, gen, cell, ok, undefined)?.changes).toHaveLength(1);
    const { delivered: _d, ...v1 } = ok;
    expect(approvalStatus(jpeg, gen, cell, v1, undefined)).toBeUndefined();
    expect(approvalStatus(jpeg, gen, cell, { ...v1, key: hex('77') }, undefined)?.reason).toBe('changed');
  });

  it('a delivered file is the approved one only with both the approved bytes and the approved image', () => {
    const asset = (sha256: string, key: string) => ({ sha256, generation: { key } });
    const ok = approvedNow(0);
    expect(deliversApproved(undefined, asset(hex('98'), ok.key))).toBe(false);
    expect(deliversApproved(ok, asset(hex('98'), ok.key))).toBe(true);
    expect(deliversApproved(ok, asset(hex('97'), ok.key))).toBe(false);
    expect(deliversApproved(ok, asset(hex('98'), hex('77')))).toBe(false);
    const { delivered: _d, ...v1 } = ok;
    expect(deliversApproved(v1, asset(hex('99'), hex('77')))).toBe(true);
    expect(deliversApproved(v1, asset(hex('98'), ok.key))).toBe(false);
    const v1Pick = { ...v1, pick: 1, of: 2 };
    expect(deliversApproved(v1Pick, asset(hex('11'), ok.key))).toBe(true);
    expect(deliversApproved(v1Pick, asset(hex('99'), hex('77')))).toBe(false);
  });

  it('a pick whose key changed has lapsed: its cell goes back to its own generation', () => {
    const { gen, id } = cells[0]!;
    const lock: ApprovalLock = { campaign: 'demo', cells: { [id]: { key: hex('77'), sha256: hex('99'), pick: 1, of: 2 } } };
    const picked = pickedGenerations(lock, gens, undefined);
    expect(picked.lapsed.map((p) => [p.cell, p.reason, p.approvedKey])).toEqual([[id, 'changed', hex('77')]]);
    expect(picked.fromCache.size).toBe(0);
    expect(picked.generations.map((g) => g.key)).toEqual(gens.map((g) => g.key));
    expect(picked.generations.find((g) => g.key === gen.key)!.cells.map(cellId)).toContain(id);
  });
});

describe('what differs between an approved delivery and today\'s', () => {
  const base = delivered as unknown as ApprovedDelivery & { readonly layers: readonly ApprovedTextLayer[] };
  const today = (change: Partial<ApprovedDelivery>): Omit<ApprovedDelivery, 'sha256'> => ({ ...base, recipe: hex('0f'), ...change });
  const other = (field: string, text = 'HELLO') => ({ ...base.layers[0]!, field, text });

  it('nothing when the recipes are equal; otherwise at least one item, however alike the records look', () => {
    expect(deliveryChanges(base, { ...base })).toEqual([]);
    expect(deliveryChanges(base, today({}))).toHaveLength(1);
  });

  it('one item per difference', () => {
    expect(deliveryChanges(base, today({ format: 'jpeg' }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ quality: 80 }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ width: 1000 }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ height: 1000 }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ format: 'jpeg', quality: 80, width: 10 }))).toHaveLength(3);
    expect(deliveryChanges(base, today({ layers: [] }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ layers: [base.layers[0]!, other('copy')] }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ layers: [other('headline', 'BYE')] }))).toHaveLength(1);
    expect(deliveryChanges(base, today({ layers: [{ ...base.layers[0]!, box: { ...base.layers[0]!.box, y: 21 } }] }))).toHaveLength(1);
    const restyled = { ...base.layers[0]!, style: { ...base.layers[0]!.style, color: '#000000', keep: ['X'] } };
    expect(deliveryChanges(base, today({ layers: [restyled] }))).toHaveLength(1);
    const two = { ...base, layers: [base.layers[0]!, other('copy')] };
    expect(deliveryChanges(two, { ...two, recipe: hex('0f'), layers: [other('copy'), base.layers[0]!] })).toHaveLength(1);
  });

  it('the record of a delivery places its layers again as they were drawn, with the fonts of the same field only', () => {
    const campaign = campaignFixture();
    const gens = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign)));
    const cell = gens[0]!.cells[0]!;
    const plan = deliveryPlanOf(campaign, cell, gens[0]!.key);
    const placed = [{ ...base.layers[0]!.style, field: 'headline', text: 'HI', locale: cell.locale.tag, direction: 'ltr' as const, box: base.layers[0]!.box }];
    const record = approvedDelivery({ ...plan, placed }, hex('12'), [{ field: 'headline', fonts: ['A.ttf'] } as never]);
    expect(record.sha256).toBe(hex('12'));
    expect(record).not.toHaveProperty('placed');
    expect(record.layers[0]).toMatchObject({ kind: 'text', field: 'headline', fonts: ['A.ttf'] });
    expect(record.layers[0]).not.toHaveProperty('locale');
    expect(placedFromRecord(record.layers, { tag: cell.locale.tag, direction: 'ltr' })).toEqual(placed);
    const otherField = approvedDelivery({ ...plan, placed }, hex('12'), [{ field: 'copy', fonts: ['B.ttf'] } as never]);
    expect(otherField.layers[0]).not.toHaveProperty('fonts');
    expect(approvedDelivery({ ...plan, placed }, hex('12'), [{ field: 'headline', fonts: [] } as never]).layers[0]).not.toHaveProperty('fonts');
  });
});
