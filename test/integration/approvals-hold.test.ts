import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * Approvals with text layers, through the CLI (local provider, offline): what is approved is the
 * delivered file, not only its background; --frozen refuses an edited cell before anything is
 * written; diff shows it; a picked candidate stays picked in every build; the counts say what
 * happened; the gallery carries its own fonts.
 */

const TEMPLATE = 'An advertising photograph of {{product}}, {{scene}}, {{size.orientation}} frame, no text.\n';
const HEADLINE_DE = 'Licht, das deinem Tag folgt';
const EDITED_DE = 'Licht für jeden Abend';

const campaign = (headlineDe = HEADLINE_DE, scene = 'on an oak desk at dusk') => `template: poster
vars: { product: "a brass desk lamp" }
variants: [{ id: hero, scene: "${scene}" }]
locales:
  en-US: { headline: "Light that follows your day", copy: "Warm in the evening." }
  de-DE: { headline: "${headlineDe}", copy: "Warm am Abend." }
  ja-JP: { headline: "あなたの一日に寄り添う光", copy: "夜はあたたかく。" }
text:
  layers:
    - field: headline
      box: { x: 0.08, y: 0.06, width: 0.84, height: 0.26 }
      size: { min: 12, max: 0.45 }
    - field: copy
      box: { x: 0.08, y: 0.70, width: 0.84, height: 0.2 }
      size: { min: 10, max: 0.4 }
      weight: 400
sizes:
  - { id: portrait, width: 360, height: 450 }
`;

const DE = 'hero/de-DE/portrait';
const EN = 'hero/en-US/portrait';
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Lock {
  version: number;
  cells: Record<string, { key: string; sha256: string; pick: number; of?: number; delivered?: { recipe: string; sha256: string; file: string; layers: { kind: string; field: string; text: string; fonts?: string[] }[] } }>;
}

describe('approvals that hold, with text layers (local provider)', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const yaml = () => join(project.dir, 'campaigns', 'sweep', 'campaign.yaml');
  const out = (...parts: string[]) => join(project.dir, 'out', 'sweep', ...parts);
  const run = (...args: string[]) => cli(project.dir, args);
  const json = async (...args: string[]) => {
    const r = await run(...args, '--json');
    return { ...r, doc: JSON.parse(r.stdout) as Record<string, any> };
  };
  const lock = () => JSON.parse(readFileSync(join(project.dir, 'campaigns', 'sweep', 'approved.lock'), 'utf8')) as Lock;
  const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
  const asset = (cell: string) => manifest().assets.find((a) => `${a.variant}/${a.locale}/${a.size}` === cell)!;
  /** Every delivered file with its bytes' hash and mtime: what "untouched" means. */
  const snapshot = () => Object.fromEntries(['en-US', 'de-DE', 'ja-JP'].map((l) => [l, { sha: sha(out(l, 'hero-portrait.png')), mtime: statSync(out(l, 'hero-portrait.png')).mtimeMs }]));

  beforeAll(async () => {
    project = await makeProject({ sweep: campaign() }, TEMPLATE);
    const r = await json('build');
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => project?.cleanup());

  it('the gallery ships the Noto faces of its copy under out/, only the scripts the campaign uses, and the page may load them', () => {
    const html = readFileSync(out('index.html'), 'utf8');
    expect(html).toContain("font-src 'self' file:");
    const faces = [...html.matchAll(/@font-face \{ font-family: "([^"]+)"; src: url\("(fonts\/[0-9a-f]{32}\.ttf)"\)/g)].map((m) => [m[1]!, m[2]!] as const);
    // Latin for en-US and de-DE, Japanese for ja-JP: nothing for scripts the campaign does not use.
    expect(faces.map(([family]) => family).sort()).toEqual(['pr-noto-sans', 'pr-noto-sans-jp']);
    expect(html).toContain('[lang="ja-JP"] { font-family: "pr-noto-sans-jp"');
    // The same file the typesetter read, in its regular weight.
    const jp = join(dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/package.json')), '400Regular', 'NotoSansJP_400Regular.ttf');
    const shipped = faces.find(([family]) => family === 'pr-noto-sans-jp')![1];
    expect(sha(out(shipped))).toBe(sha(jp));
    expect(readdirSync(out('fonts')).sort()).toEqual(faces.map(([, file]) => file.slice('fonts/'.length)).sort());
  });

  it('approve records each delivered file: its recipe, its copy, the fonts that drew it, its sha256', async () => {
    const before = readdirSync(out('fonts')).map((f) => statSync(out('fonts', f)).mtimeMs);
    expect((await run('approve', 'sweep')).code).toBe(0);
    const l = lock();
    expect(l.version).toBe(2);
    const de = asset(DE);
    expect(l.cells[DE]).toMatchObject({ key: de.generation.key, pick: 0, sha256: de.sha256 });
    expect(l.cells[DE]!.delivered).toMatchObject({ recipe: de.recipe, sha256: de.sha256, file: de.file });
    expect(l.cells[DE]!.delivered!.layers.map((x) => [x.kind, x.field, x.text])).toEqual([
      ['text', 'headline', HEADLINE_DE],
      ['text', 'copy', 'Warm am Abend.'],
    ]);
    expect(l.cells[DE]!.delivered!.layers.map((x) => x.fonts)).toEqual(de.layers!.map((x) => x.fonts));
    // Fonts are written once: approving (or building again) rewrites the page, not its fonts.
    expect((await run('build')).code).toBe(0);
    expect(readdirSync(out('fonts')).map((f) => statSync(out('fonts', f)).mtimeMs)).toEqual(before);
  });

  it('a copy edit: build --frozen exits 1 naming the cell in words, before anything is written', async () => {
    const untouched = snapshot();
    const manifestText = readFileSync(out('manifest.json'), 'utf8');
    writeFileSync(yaml(), campaign(EDITED_DE));
    const words = await run('build', '--frozen');
    expect(words.code).toBe(1);
    expect(words.stdout).toContain(`sweep ${DE}: changed since approval: headline text "${HEADLINE_DE}" → "${EDITED_DE}"`);
    expect(words.stdout).toContain('nothing was generated or written');
    expect(words.stdout).not.toContain(EN);
    const markdown = await run('build', '--frozen', '--report', 'markdown');
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain(`- \`E_UNAPPROVED\` sweep ${DE}: changed since approval: headline text`);
    const doc = (await json('build', '--frozen')).doc;
    expect(doc.errors.map((e: { code: string; field: string }) => [e.code, e.field])).toEqual([['E_UNAPPROVED', DE]]);
    expect(snapshot()).toEqual(untouched);
    expect(readFileSync(out('manifest.json'), 'utf8')).toBe(manifestText);
  });

  it('plan --check calls out/ stale, and diff lists the cell: approved beside new delivered file, with what changed', async () => {
    expect((await run('plan', '--check')).code).toBe(1);
    const diff = await json('diff', 'sweep');
    expect(diff.code, diff.stderr).toBe(0);
    const changed = diff.doc.campaigns[0].changed as { cell: string; score: number; changes: string[] }[];
    expect(changed.map((c) => c.cell)).toEqual([DE]);
    expect(changed[0]!.changes).toEqual([`headline text "${HEADLINE_DE}" → "${EDITED_DE}"`]);
    // Same background, different copy: the delivered files differ, a little.
    expect(changed[0]!.score).toBeGreaterThan(0);
    const [approved, current] = ['approved', 'new'].map((side) => out('diff', `hero--de-DE--portrait-${side}.webp`));
    expect(sha(approved!)).not.toBe(sha(current!));
    expect(readFileSync(out('diff.html'), 'utf8')).toContain(EDITED_DE);
  });

  it('a plain build re-typesets that cell alone and says so; the gallery outlines only cells delivering the approved file', async () => {
    const r = await run('build');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sweep: 3 cells (0 new, 1 re-composed, 2 unchanged, 0 failed) · generations: 0 billed, 1 cached, 0 failed');
    const html = readFileSync(out('index.html'), 'utf8');
    const card = (locale: string) => html.split('<figure').slice(1).find((c) => c.includes(`data-locale="${locale}"`))!;
    expect(card('en-US')).toContain('class="approved"');
    expect(card('ja-JP')).toContain('class="approved"');
    expect(card('de-DE')).not.toContain('class="approved"');
  });

  it('a filtered build counts the cells it left out, not as built', async () => {
    const r = await run('build', '--locale', 'ja-JP');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sweep: 3 cells (0 new, 0 re-composed, 1 unchanged, 0 failed, 2 left out by a filter)');
  });

  it('approving the new copy lets --frozen pass, delivering byte for byte what was approved', async () => {
    expect((await run('approve', 'sweep')).code).toBe(0);
    const before = snapshot();
    const r = await json('build', '--frozen');
    expect(r.code, r.stdout).toBe(0);
    expect(r.doc.campaigns[0].delivered).toEqual({ new: 0, recomposed: 0, unchanged: 3, failed: 0, leftOut: 0 });
    expect(snapshot()).toEqual(before);
    for (const cell of [DE, EN]) expect(asset(cell).sha256).toBe(lock().cells[cell]!.delivered!.sha256);
  });

  it('--pick 2 sticks: plain and frozen builds deliver the same bytes and plan --check passes after each', async () => {
    const made = await json('build', '--candidates', '3');
    expect(made.code, made.stderr).toBe(0);
    expect(made.doc.campaigns[0].candidates).toEqual({ made: 2, cached: 0, failed: 0 });
    expect((await run('approve', 'sweep', '--cell', EN, '--pick', '2')).code).toBe(0);
    const picked = lock().cells[EN]!;
    expect(picked).toMatchObject({ pick: 2, of: 3 });
    const files: string[] = [];
    // --force regenerates what it may; an approved candidate is never made again, it is read from the cache.
    for (const args of [['build'], ['build', '--frozen'], ['build', '--force'], ['build', '--frozen']]) {
      const r = await run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(0);
      files.push(sha(out('en-US', 'hero-portrait.png')));
      expect(asset(EN).generation.key).toBe(picked.key);
      expect((await run('plan', '--check')).code, `plan --check after ${args.join(' ')}`).toBe(0);
    }
    expect(new Set(files)).toEqual(new Set([picked.delivered!.sha256]));
    // The other cells of the generation keep their own image.
    expect(asset(DE).generation.key).not.toBe(picked.key);
  });

  it('a pick whose image changed is reported the same way everywhere; the cell falls back to its own image', async () => {
    writeFileSync(yaml(), campaign(EDITED_DE, 'on a walnut desk at dawn'));
    const said = `sweep ${EN}: changed since approval: the generated image changed`;
    const frozen = await run('build', '--frozen');
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toContain(said);
    const plain = await run('build');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain(said);
    expect(asset(EN).generation.key).toBe(asset(DE).generation.key);
    const check = await run('plan', '--check');
    expect(check.code).toBe(0);
    expect(check.stderr).toContain(said);
    const diff = await json('diff', 'sweep');
    expect(diff.doc.campaigns[0].changed.find((c: { cell: string }) => c.cell === EN).changes[0]).toContain('the generated image changed');
  });
});

describe('the bytes check: a file --frozen would deliver is the approved file, or it is not written', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const out = (...parts: string[]) => join(project.dir, 'out', 'sweep', ...parts);
  const lockFile = () => join(project.dir, 'campaigns', 'sweep', 'approved.lock');
  beforeAll(async () => {
    project = await makeProject({ sweep: campaign() }, TEMPLATE);
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    expect((await cli(project.dir, ['approve', 'sweep'])).code).toBe(0);
  }, 120_000);
  afterAll(async () => project?.cleanup());

  it('a recipe that draws other bytes than approved: that cell is refused and its approved file kept; the others deliver', async () => {
    const text = readFileSync(lockFile(), 'utf8');
    const lock = JSON.parse(text) as Lock;
    // Same key, same recipe, other bytes: what a replaced font file or another Pressroom would draw.
    const approved = lock.cells[DE]!.delivered!.sha256;
    writeFileSync(lockFile(), text.split(approved).join('0'.repeat(64)));
    const file = out('de-DE', 'hero-portrait.png');
    const before = { sha: sha(file), mtime: statSync(file).mtimeMs };
    try {
      const r = await cli(project.dir, ['build', '--frozen']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`✗ hero · de-DE · portrait: out/sweep/de-DE/hero-portrait.png would not be the approved file`);
      expect(r.stdout).toContain('sweep: 3 cells (0 new, 0 re-composed, 2 unchanged, 1 failed)');
      expect({ sha: sha(file), mtime: statSync(file).mtimeMs }).toEqual(before);
      const m = JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
      expect(m.assets.map((a) => a.locale).sort()).toEqual(['de-DE', 'en-US', 'ja-JP']);
      expect(m.assets.find((a) => a.locale === 'de-DE')!.sha256).toBe(before.sha);
    } finally {
      writeFileSync(lockFile(), text);
    }
    expect((await cli(project.dir, ['build', '--frozen'])).code).toBe(0);
  });

  it('a missing approved file is made again only when its bytes are the approved ones', async () => {
    const { rmSync } = await import('node:fs');
    const file = out('de-DE', 'hero-portrait.png');
    const approved = sha(file);
    rmSync(file);
    const r = await cli(project.dir, ['build', '--frozen']);
    expect(r.code, r.stdout).toBe(0);
    expect(sha(file)).toBe(approved);
    expect(existsSync(out('ja-JP', 'hero-portrait.png'))).toBe(true);
  });
});
