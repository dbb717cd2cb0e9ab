import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

// A second campaign with other locales and sizes: filters apply per campaign.
const OTHER = `template: poster
vars: { brand: "LUMEN" }
variants:
  - id: hero
    scene: "a lamp on a desk"
locales:
  ja-JP: { headline: "光", copy: "明るい。" }
sizes:
  - { id: wide, width: 640, height: 360 }
`;

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ demo: DEMO_CAMPAIGN, other: OTHER });
});
afterAll(() => project.cleanup());

describe('--locale/--variant/--size across campaigns', () => {
  it('builds each campaign with the values it has and skips one without a match, with a note', async () => {
    const run = await cli(project.dir, ['plan', '--locale', 'ja-JP,ar-SA', '--size', 'story', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    // demo: ar-SA x story; other has ja-JP but no story size: skipped.
    expect(doc.campaigns.map((c: { name: string; assets: number }) => [c.name, c.assets])).toEqual([['demo', 1]]);
    expect(run.stderr).toMatch(/other skipped: it has no size story/);
  });

  it('uses the part of a list a campaign has', async () => {
    const run = await cli(project.dir, ['plan', '--locale', 'ja-JP,ar-SA', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.campaigns.map((c: { name: string; assets: number }) => [c.name, c.assets])).toEqual([['demo', 3], ['other', 1]]);
  });

  it('refuses a value no campaign has (exit 2, the flag named)', async () => {
    const run = await cli(project.dir, ['plan', '--locale', 'ja-JP,xx-XX', '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.errors).toEqual([expect.objectContaining({ code: 'E_USAGE', field: '--locale', message: expect.stringContaining('"xx-XX" in any of the 2 campaigns') })]);
  });

  it.each([
    ['--locale', 'de_DE', 'de-DE'],
    ['--locale', 'ja-jp', undefined],
    ['--size', 'storry', 'story'],
    ['--variant', 'heroo', 'hero'],
  ])('%s %s suggests the value meant (did you mean, like manifest keys)', async (flag, value, meant) => {
    const run = await cli(project.dir, ['plan', flag, value, '--json']);
    const doc = JSON.parse(run.stdout);
    if (meant === undefined) {
      // A value that differs only in case is the value: nothing to suggest, nothing refused.
      expect(run.code).toBe(0);
      return;
    }
    expect(run.code).toBe(2);
    expect(doc.errors).toEqual([expect.objectContaining({ code: 'E_USAGE', field: flag, message: expect.stringContaining(`did you mean \`${meant}\`?`) })]);
  });

  it('suggests nothing for a value far from every one', async () => {
    const run = await cli(project.dir, ['plan', '--locale', 'xx-XX', '--json']);
    expect(JSON.parse(run.stdout).errors[0].message).not.toMatch(/did you mean/);
  });

  it('says it in the text output too', async () => {
    const run = await cli(project.dir, ['plan', '--locale', 'de_DE']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--locale\s+no locale "de_DE" in any of the 2 campaigns; did you mean `de-DE`\? Expected one of en-US, de-DE, ar-SA, ja-JP/);
    // The typo is the news, not that each campaign lacks it.
    expect(run.stderr).not.toMatch(/skipped/);
  });
});
