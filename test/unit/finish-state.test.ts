import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finishInputs, type CampaignOut } from '../../src/commands/finish.js';
import type { PreparedCampaign } from '../../src/plan/prepared.js';
import type { Delivery } from '../../src/post/deliver.js';
import { finishDigest, finishUnchanged, mapless, stampsUnder } from '../../src/post/finish-state.js';
import type { CandidatesOutcome } from '../../src/report/campaign-manifest.js';
import type { CampaignManifest } from '../../src/core/results.js';

/**
 * The finish's digest must change with every input the finish reads (else a changed campaign would
 * keep its old gallery, manifest or contact sheet), and only with those. Each case below edits one
 * input: leaving that input out of `finishInputs` fails its case.
 */
const cell = (variant: string) => ({ variant: { id: variant, fields: {} }, locale: { tag: 'en-US' }, size: { id: 'square' } });
type Parts = { p: Record<string, unknown>; results: Record<string, unknown>[]; previous?: { assets: Record<string, unknown>[] }; out: Record<string, unknown>; review?: Record<string, unknown> };
const base = (): Parts => ({
  p: {
    campaign: { name: 'demo', locales: [{ tag: 'en-US', strings: { headline: 'Hi' } }], output: { format: 'jpeg' } },
    allCells: [cell('a'), cell('b')],
    cells: [{ ...cell('a'), prompt: 'p' }],
    generations: [{ key: 'k1', request: { prompt: 'p' }, cells: [{ ...cell('a'), prompt: 'p', alt: 'Hi' }] }],
    approvals: { campaign: 'demo', cells: { 'a/en-US/square': { sha256: 'sha-1' } } },
    provider: { name: 'local', cpuBound: true, multipleResults: false, generationSize: () => ({}) },
    projectRoot: '/somewhere',
  },
  results: [{ kind: 'cached', entries: [{ file: 'en-US/a-square.jpg', sha256: 's1' }], failures: [], stamps: [['en-US/a-square.jpg', { size: 1, mtimeMs: 2 }]] }],
  out: { outDir: '/out/demo', stamps: new Map(), previousStamp: { size: 100, mtimeMs: 5 }, verify: false, frozen: false, built: 1, note: () => {} },
  review: undefined,
});
const digestOf = (x: Parts) =>
  finishDigest(
    finishInputs(x.p as unknown as PreparedCampaign, x.results as unknown as Delivery[], x.previous as unknown as CampaignManifest, x.out as unknown as CampaignOut, x.review as unknown as CandidatesOutcome),
  );

describe('the finish digest', () => {
  const reference = digestOf(base());

  it('is the same for the same inputs', () => {
    expect(digestOf(base())).toBe(reference);
  });

  const edits: readonly [string, (x: Parts) => void][] = [
    ['a campaign field (a locale string, the output)', (x) => ((x.p['campaign'] as { locales: { strings: Record<string, string> }[] }).locales[0]!.strings['headline'] = 'Ho')],
    ['the output format', (x) => ((x.p['campaign'] as { output: { format: string } }).output.format = 'png')],
    ['the matrix (a cell more)', (x) => (x.p['allCells'] as unknown[]).push(cell('c'))],
    ['a generation (its key: template, seed, model, references)', (x) => ((x.p['generations'] as { key: string }[])[0]!.key = 'k2')],
    ["a generation's extra images (more results asked for)", (x) => ((x.p['generations'] as { extraImageKeys?: string[] }[])[0]!.extraImageKeys = ['k1-2'])],
    ['approved.lock', (x) => ((x.p['approvals'] as { cells: Record<string, { sha256: string }> }).cells['a/en-US/square']!.sha256 = 'sha-2')],
    ["a cell's own text in a generation (its alt text)", (x) => ((x.p['generations'] as { cells: { alt: string }[] }[])[0]!.cells[0]!.alt = 'Ho')],
    ["a cell's locale", (x) => ((x.p['generations'] as { cells: { locale: { tag: string } }[] }[])[0]!.cells[0]!.locale = { tag: 'de-DE' })],
    ['approved.lock removed', (x) => delete x.p['approvals']],
    ['the provider', (x) => ((x.p['provider'] as { name: string }).name = 'runware')],
    ['a delivered file (its sha256: a cache entry, a layer file, a font)', (x) => ((x.results[0]!['entries'] as { sha256: string }[])[0]!.sha256 = 's2')],
    ['a delivery failing', (x) => (x.results[0]!['failures'] = [{ code: 'E_PROVIDER' }])],
    ['the last manifest (its stat when read)', (x) => (x.out['previousStamp'] = { size: 100, mtimeMs: 6 })],
    ['no last manifest', (x) => delete x.out['previousStamp']],
    ['the review candidates', (x) => (x.review = { cells: [['a', 2]] })],
    ['a budget stop', (x) => (x.out['stopped'] = { reason: 'budget' })],
    ['--frozen', (x) => (x.out['frozen'] = true)],
    ['a filter (cells built)', (x) => (x.out['built'] = 2)],
    ['the output folder', (x) => (x.out['outDir'] = '/elsewhere/demo')],
  ];
  for (const [what, edit] of edits) {
    it(`changes with ${what}`, () => {
      const x = base();
      edit(x);
      expect(digestOf(x)).not.toBe(reference);
    });
  }

  it('digests a part per cell as its JSON, element by element: the same bytes, unambiguous, at any length', () => {
    const d = (part: unknown[]) => finishDigest({ few: null, many: [part] });
    // As JSON writes them: an undefined element is null.
    expect(d([1, undefined])).toBe(d([1, null]));
    expect(d(['a,b'])).not.toBe(d(['a', 'b']));
    expect(d([[1], [2]])).not.toBe(d([[1, 2]]));
    expect(d([])).not.toBe(d([[]]));
    // Longer than one chunk: every element still counts, the last one and one in the middle.
    const long = Array.from({ length: 5_000 }, (_, i) => ({ cell: i, prompt: 'p'.repeat(20) }));
    expect(d(long)).not.toBe(d([...long.slice(0, -1), { cell: 4_999, prompt: 'q'.repeat(20) }]));
    expect(d(long)).not.toBe(d(long.map((c, i) => (i === 2_500 ? { ...c, cell: -1 } : c))));
    // A part that is not an array is its JSON whole.
    expect(finishDigest({ few: null, many: [{ a: 1 }] })).not.toBe(finishDigest({ few: null, many: [{ a: 2 }] }));
  });

  it('sees into Maps and Sets, which plain JSON writes as {}', () => {
    expect(finishDigest({ few: { picks: new Map([['a', 1]]) }, many: [] })).not.toBe(finishDigest({ few: { picks: new Map([['a', 2]]) }, many: [] }));
    expect(finishDigest({ few: { cells: new Set(['a']) }, many: [] })).not.toBe(finishDigest({ few: { cells: new Set(['b']) }, many: [] }));
    // The parts per cell go through plain JSON: the compiler refuses a Map or Set in them (npm run typecheck).
    expect(mapless([{ a: 1, b: { c: 'x' } }])).toHaveLength(1);
    // @ts-expect-error a Map inside
    mapless([{ b: { c: new Map<string, number>() } }]);
  });

  it("names an entry the last manifest holds as it is by its file, which that manifest's stat pins, and digests any other whole", () => {
    const entry = { file: 'en-US/a-square.jpg', sha256: 's1' };
    const withPrevious = (e: Record<string, unknown>, stamp = 5) => {
      const x = base();
      x.previous = { assets: [entry] };
      x.results[0]!['entries'] = [e];
      x.out['previousStamp'] = { size: 100, mtimeMs: stamp };
      return digestOf(x);
    };
    const inPlace = withPrevious(entry);
    // The same entry as a copy (an alt text edited, say, comes back a new object): digested whole.
    expect(withPrevious({ ...entry })).not.toBe(inPlace);
    expect(withPrevious({ ...entry, alt: 'Ho' })).not.toBe(withPrevious({ ...entry }));
    // The manifest it came from read at another stat: another manifest.
    expect(withPrevious(entry, 6)).not.toBe(inPlace);
    expect(withPrevious(entry)).toBe(inPlace);
  });

  it("leaves a generation's request to its key, which hashes it, and a cell's prompt to the key too", () => {
    const x = base();
    (x.p['generations'] as { request: { prompt: string } }[])[0]!.request.prompt = 'the key says this already';
    (x.p['generations'] as { cells: { prompt: string }[] }[])[0]!.cells[0]!.prompt = 'so does this';
    expect(digestOf(x)).toBe(reference);
  });

  it('does not change with what the finish never reads: file times, the project folder, prompts already in the keys', () => {
    const x = base();
    x.results[0]!['stamps'] = [['en-US/a-square.jpg', { size: 1, mtimeMs: 999 }]];
    x.p['projectRoot'] = '/elsewhere';
    x.p['cells'] = [];
    x.out['stamps'] = new Map([['f', { size: 1, mtimeMs: 1 }]]);
    expect(digestOf(x)).toBe(reference);
  });
});

describe("the finish's files", () => {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-finish-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'thumbs'));
  writeFileSync(join(dir, 'index.html'), 'page');
  const files = ['index.html', 'thumbs', 'diff.html'];
  // Times set back before recording: a change in the same clock tick as the record still moves them.
  const recorded = async () => {
    for (const f of files) if (existsSync(join(dir, f))) utimesSync(join(dir, f), 1, 1);
    return { digest: 'd', files: await stampsUnder(dir, files) };
  };

  it('are unchanged while every file, folder and absence is as recorded', async () => {
    const last = await recorded();
    expect(await finishUnchanged(dir, last, 'd')).toBe(true);
    expect(await finishUnchanged(dir, last, 'other')).toBe(false);
    expect(await finishUnchanged(dir, undefined, 'd')).toBe(false);
  });

  it('are changed by an edit, a file added to or removed from a folder, a page appearing or removed', async () => {
    for (const change of [
      () => writeFileSync(join(dir, 'index.html'), 'page, edited'),
      () => writeFileSync(join(dir, 'thumbs', 'new.webp'), 'x'),
      () => rmSync(join(dir, 'thumbs', 'new.webp')),
      () => writeFileSync(join(dir, 'diff.html'), 'diff'),
      () => rmSync(join(dir, 'index.html')),
    ]) {
      const last = await recorded();
      change();
      expect(await finishUnchanged(dir, last, 'd')).toBe(false);
    }
  });
});
