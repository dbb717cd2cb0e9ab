import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/project.js';

/**
 * Copy-fit verdicts kept in the cache (cache/fits/<campaign>.json) answer for layers set exactly as
 * before, and for nothing else: copy edited to overflow its box after they were kept is refused as
 * it was without them.
 */
const CAMPAIGN = `template: poster
vars: { brand: "AQUA" }
variants:
  - id: hero
    scene: "a bottle"
locales:
  en-US: { headline: "HYDRATION, REFINED" }
  de-DE: { headline: "HYDRATION, VERFEINERT" }
text:
  layers:
    - { field: headline, box: { x: 0.1, y: 0.1, width: 0.8, height: 0.2 }, maxLines: 1, size: { min: 12, max: 0.8 } }
sizes:
  - { id: square, width: 1080, height: 1080 }
  - { id: thumb, width: 320, height: 320 }
`;

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ memo: CAMPAIGN }, 'Poster for {{brand}}: {{scene}}.\n');
});
afterAll(() => project.cleanup());

const memoFile = () => join(project.dir, '.pressroom', 'cache', 'fits', 'memo.json');
const file = () => join(project.dir, 'campaigns', 'memo', 'campaign.yaml');

describe('kept copy-fit verdicts', () => {
  it('are written by a check, read (not written again) by the next, and never hide an edit that does not fit', async () => {
    const first = await cli(project.dir, ['validate']);
    expect(first.code, first.stderr).toBe(0);
    const kept = JSON.parse(readFileSync(memoFile(), 'utf8')) as { entries: Record<string, unknown> };
    // One verdict per locale and size (variants share their text).
    expect(Object.keys(kept.entries)).toHaveLength(4);
    // Written atomically (a new file renamed over): the same inode means it was not written again.
    const written = statSync(memoFile()).ino;
    expect((await cli(project.dir, ['validate'])).code).toBe(0);
    expect(statSync(memoFile()).ino).toBe(written);

    writeFileSync(file(), CAMPAIGN.replace('HYDRATION, VERFEINERT', 'HYDRATION, VERFEINERT UND NOCH VIEL MEHR ALS DAS, JEDEN TAG'));
    const edited = await cli(project.dir, ['validate']);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/de-DE headline does not fit/);

    writeFileSync(file(), CAMPAIGN);
    expect((await cli(project.dir, ['validate'])).code).toBe(0);
  });
});
