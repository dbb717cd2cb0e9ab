import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE, cli, makeProject } from '../helpers/project.js';

/**
 * A build whose campaign and out/ are as the last build left them skips the finish (manifest,
 * gallery, contact sheet): issue 25. These show that it does skip, and that anything the finish
 * made from, or left, brings it back.
 */
let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
  // The first build draws everything; the second reads the first's manifest (its previous), the
  // third finds the second's inputs again and records that nothing changed since.
  for (let i = 0; i < 3; i++) expect((await cli(project.dir, ['build', '--json'])).code).toBe(0);
});
afterAll(() => project.cleanup());

const out = (...parts: string[]) => join(project.dir, 'out', 'demo', ...parts);
const build = async () => expect((await cli(project.dir, ['build', '--json'])).code).toBe(0);

/** A time a file's stat gives back exactly (a fractional one does not survive utimes). */
const WHOLE_SECOND = 1_700_000_000;

/** Replaces a file's bytes keeping its size and times: what only a skipped finish leaves in place. */
function forgeKeepingStat(file: string): string {
  const forged = 'x'.repeat(statSync(file).size);
  writeFileSync(file, forged);
  utimesSync(file, WHOLE_SECOND, WHOLE_SECOND);
  return forged;
}

describe('a build with nothing changed skips the finish', () => {
  it('trusts the record: a page whose stat is unchanged is not rendered again', async () => {
    const page = readFileSync(out('index.html'), 'utf8');
    // Recorded with a time the forgery can give back: the build sees the time move and renders
    // (the same bytes, so the page is not written again and keeps that time).
    utimesSync(out('index.html'), WHOLE_SECOND, WHOLE_SECOND);
    await build();
    expect(statSync(out('index.html')).mtimeMs).toBe(WHOLE_SECOND * 1000);
    const forged = forgeKeepingStat(out('index.html'));
    await build();
    expect(readFileSync(out('index.html'), 'utf8')).toBe(forged);
    // Touched (its mtime moved), the page is the finish's again.
    utimesSync(out('index.html'), WHOLE_SECOND + 1, WHOLE_SECOND + 1);
    await build();
    expect(readFileSync(out('index.html'), 'utf8')).toBe(page);
  });

  it('writes again what was deleted from out/: the manifest, a thumbnail, the contact sheet', async () => {
    const manifest = readFileSync(out('manifest.json'), 'utf8');
    rmSync(out('manifest.json'));
    await build();
    expect(readFileSync(out('manifest.json'), 'utf8')).toBe(manifest);

    const thumb = readdirSync(out('thumbs'))[0]!;
    rmSync(out('thumbs', thumb));
    await build();
    expect(readdirSync(out('thumbs'))).toContain(thumb);

    const sheet = readFileSync(out('contact-sheet.png'));
    rmSync(out('contact-sheet.png'));
    await build();
    expect(readFileSync(out('contact-sheet.png')).equals(sheet)).toBe(true);
  });

  it('renders again when an input changes: the template (new prompts, new images)', async () => {
    writeFileSync(join(project.dir, 'templates', 'poster.hbs'), `${DEMO_TEMPLATE.trim()} Studio light.\n`);
    await build();
    const m = JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as { assets: { prompt: string }[] };
    expect(m.assets.every((a) => a.prompt.includes('Studio light.'))).toBe(true);
    expect(readFileSync(out('index.html'), 'utf8')).toContain('Studio light.');
  });

  it('renders again under --verify, which trusts no record', async () => {
    const page = readFileSync(out('index.html'), 'utf8');
    forgeKeepingStat(out('index.html'));
    expect((await cli(project.dir, ['build', '--verify', '--json'])).code).toBe(0);
    expect(readFileSync(out('index.html'), 'utf8')).toBe(page);
  });
});
