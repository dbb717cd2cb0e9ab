import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * Text layers through the whole pipeline: one background per variant and generation size shared by
 * every locale, copy typeset over it, copy edits re-typeset without paying, and every check that
 * refuses copy before anything is submitted.
 */

const KEY = 'sk-text-layers-test';
const FONTS = dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/package.json'));
const TEMPLATE = 'An advertising photograph of {{product}}, {{scene}}, {{size.orientation}} frame, no text.\n';

/** Ten locales in eight scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai, CJK + Hangul). */
const LOCALES: Readonly<Record<string, { headline: string; copy: string }>> = {
  'en-US': { headline: 'Light that follows your day', copy: 'Warm in the evening.' },
  'de-DE': { headline: 'Licht, das deinem Tag folgt', copy: 'Warm am Abend.' },
  'ru-RU': { headline: 'Свет, который следует за вами', copy: 'Тёплый вечером.' },
  'el-GR': { headline: 'Φως που ακολουθεί τη μέρα σου', copy: 'Ζεστό το βράδυ.' },
  'ar-SA': { headline: 'ضوء يرافق يومك', copy: 'دافئ في المساء.' },
  'he-IL': { headline: 'אור שמלווה את היום שלך', copy: 'חם בערב.' },
  'hi-IN': { headline: 'आपके दिन के साथ चलती रोशनी', copy: 'शाम को गर्म।' },
  'th-TH': { headline: 'แสงที่อยู่กับคุณตลอดวัน', copy: 'อบอุ่นยามค่ำ' },
  'ja-JP': { headline: 'あなたの一日に寄り添う光', copy: '夜はあたたかく。' },
  'ko-KR': { headline: '당신의 하루를 따라가는 빛', copy: '저녁에는 따뜻하게.' },
};

const localesYaml = (locales = LOCALES) =>
  Object.entries(locales)
    .map(([tag, s]) => `  ${tag}: { headline: ${JSON.stringify(s.headline)}, copy: ${JSON.stringify(s.copy)} }`)
    .join('\n');

function campaign(options: { provider?: string; locales?: typeof LOCALES; layers?: string; sizes?: string } = {}): string {
  return `provider: ${options.provider ?? 'local'}
template: poster
vars: { product: "a brass desk lamp" }
variants: [{ id: hero, scene: "on an oak desk at dusk" }]
locales:
${localesYaml(options.locales)}
text:
  layers:
${
  options.layers ??
  `    - field: headline
      box: { x: 0.08, y: 0.06, width: 0.6, height: 0.26 }
      size: { min: 12, max: 0.45 }
    - field: copy
      box: { x: 0.08, y: 0.70, width: 0.84, height: 0.2 }
      size: { min: 10, max: 0.4 }
      weight: 400`
}
sizes:
${
  options.sizes ??
  `  - { id: portrait, width: 480, height: 600 }
  - { id: story, width: 360, height: 640, text: { headline: { box: { y: 0.5 } } } }`
}
`;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function project(yaml: string) {
  const p = await makeProject({ sweep: yaml }, TEMPLATE);
  cleanups.push(p.cleanup);
  return p;
}

async function emulator(): Promise<AnyEmulator> {
  const e = await EMULATORS.runware({ apiKey: KEY, latencyMs: 10 });
  cleanups.push(() => e.close());
  return e;
}

const pixels = async (file: string) => {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
};
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'out', 'sweep', 'manifest.json'), 'utf8')) as CampaignManifest;
const campaignFile = (dir: string) => join(dir, 'campaigns', 'sweep', 'campaign.yaml');
const lineOf = (dir: string, needle: string) => readFileSync(campaignFile(dir), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('text layers', () => {
  it('plans one generation per variant and generation size for 10 locales x 2 sizes', async () => {
    const { dir } = await project(campaign());
    const run = await cli(dir, ['plan', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ assets: 20, generations: 2, cached: 0 });
  });

  it('bills each background once, and a copy edit re-typesets from the cache with no submit', async () => {
    const e = await emulator();
    const { dir } = await project(campaign({ provider: 'runware' }));
    const env = emulatorEnv(e, KEY);
    const first = await cli(dir, ['build', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).campaigns[0]).toMatchObject({ assets: 20, generated: 20, failed: 0 });
    expect(e.submits()).toBe(2);
    const before = manifestOf(dir);
    // Every locale of a size stands on the same background; the prompt never carries the copy.
    for (const size of ['portrait', 'story']) expect(new Set(before.assets.filter((a) => a.size === size).map((a) => a.generation.key)).size).toBe(1);
    for (const a of before.assets) expect(a.prompt).not.toContain(LOCALES[a.locale]!.headline);
    const de = before.assets.find((a) => a.locale === 'de-DE' && a.size === 'portrait')!;
    expect(de.layers?.map((l) => [l.field, l.text])).toEqual([
      ['headline', LOCALES['de-DE']!.headline],
      ['copy', LOCALES['de-DE']!.copy],
    ]);
    const layer = de.layers![0]!;
    expect(layer.fonts[0]).toMatch(/^@expo-google-fonts\/noto-sans\/700Bold\//);
    expect(layer.lines.join(' ').replace(/\s+/g, ' ')).toBe(layer.text);
    expect(layer.contrast).toBeGreaterThanOrEqual(4.5);

    const edited = readFileSync(campaignFile(dir), 'utf8').replace('Warm am Abend.', 'Am Abend angenehm warm.');
    writeFileSync(campaignFile(dir), edited);
    const plan = await cli(dir, ['plan', '--json'], env);
    expect(JSON.parse(plan.stdout).campaigns[0]).toMatchObject({ generations: 2, cached: 2, toGenerate: 0 });
    const second = await cli(dir, ['build', '--json'], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).campaigns[0]).toMatchObject({ generated: 0, failed: 0 });
    expect(e.submits()).toBe(2);

    const after = manifestOf(dir);
    const changed = after.assets.filter((a) => a.sha256 !== before.assets.find((b) => b.file === a.file)!.sha256).map((a) => a.file);
    expect(changed.sort()).toEqual(['de-DE/hero-portrait.png', 'de-DE/hero-story.png']);
    const deAfter = after.assets.find((a) => a.file === de.file)!;
    expect(deAfter.generation.key).toBe(de.generation.key);
    expect(deAfter.layers?.[1]?.text).toBe('Am Abend angenehm warm.');
  });

  it('applies per-size overrides and mirrors right-to-left boxes unless told not to', async () => {
    const layers = `    - field: headline
      box: { x: 0.1, y: 0.05, width: 0.5, height: 0.25 }
      size: { min: 12, max: 0.45 }
    - field: copy
      box: { x: 0.1, y: 0.7, width: 0.5, height: 0.2 }
      size: { min: 10, max: 0.4 }
      mirror: false`;
    // he-IL's blank copy leaves that box bare: the background to compare the others' ink against.
    const locales = { 'en-US': LOCALES['en-US']!, 'ar-SA': LOCALES['ar-SA']!, 'he-IL': { headline: LOCALES['he-IL']!.headline, copy: ' ' } };
    const { dir } = await project(campaign({ layers, locales }));
    expect((await cli(dir, ['build'])).code).toBe(0);
    const box = (locale: string, size: string, field: string) =>
      manifestOf(dir).assets.find((a) => a.locale === locale && a.size === size)!.layers!.find((l) => l.field === field)!.box;
    expect(box('en-US', 'portrait', 'headline')).toEqual({ x: 48, y: 30, width: 240, height: 150 });
    // story: y overridden to 0.5 of 640, the rest inherited.
    expect(box('en-US', 'story', 'headline')).toEqual({ x: 36, y: 320, width: 180, height: 160 });
    for (const rtl of ['ar-SA', 'he-IL']) expect(box(rtl, 'portrait', 'headline')).toEqual({ x: 480 - 48 - 240, y: 30, width: 240, height: 150 });
    // mirror: false keeps the box where it is, and start still means the right edge in Arabic.
    const copyBox = box('ar-SA', 'portrait', 'copy');
    expect(copyBox).toEqual(box('en-US', 'portrait', 'copy'));
    const bare = await pixels(join(dir, 'out/sweep/he-IL/hero-portrait.png'));
    const inkCentre = async (locale: string) => {
      const img = await pixels(join(dir, `out/sweep/${locale}/hero-portrait.png`));
      let sum = 0;
      let n = 0;
      for (let y = copyBox.y; y < copyBox.y + copyBox.height; y++) {
        for (let x = copyBox.x; x < copyBox.x + copyBox.width; x++) {
          const i = (y * img.width + x) * 3;
          if (Math.abs(img.data[i]! - bare.data[i]!) + Math.abs(img.data[i + 1]! - bare.data[i + 1]!) > 60) {
            sum += x;
            n++;
          }
        }
      }
      expect(n).toBeGreaterThan(0);
      return (sum / n - copyBox.x) / copyBox.width;
    };
    expect(await inkCentre('en-US')).toBeLessThan(0.5);
    expect(await inkCentre('ar-SA')).toBeGreaterThan(0.5);
  });

  it('sets a brand font from the campaign folder, with Noto for the scripts it lacks', async () => {
    const layers = `    - field: headline
      box: { x: 0.1, y: 0.05, width: 0.8, height: 0.25 }
      font: fonts/Brand.ttf
      size: { min: 12, max: 0.45 }`;
    const locales = { 'en-US': LOCALES['en-US']!, 'he-IL': LOCALES['he-IL']! };
    const { dir } = await project(campaign({ layers, locales, sizes: '  - { id: portrait, width: 480, height: 600 }' }));
    mkdirSync(join(dir, 'campaigns', 'sweep', 'fonts'));
    copyFileSync(join(FONTS, '700Bold', 'NotoSans_700Bold.ttf'), join(dir, 'campaigns', 'sweep', 'fonts', 'Brand.ttf'));
    expect((await cli(dir, ['build'])).code).toBe(0);
    const fontsOf = (locale: string) => manifestOf(dir).assets.find((a) => a.locale === locale)!.layers![0]!.fonts;
    expect(fontsOf('en-US')).toEqual(['fonts/Brand.ttf']);
    expect(fontsOf('he-IL')).toEqual(expect.arrayContaining([expect.stringMatching(/^@expo-google-fonts\/noto-sans-hebrew\//)]));
  });

  it('refuses, before any submit, a headline that could only be set smaller than its copy', async () => {
    const e = await emulator();
    const layers = `    - field: headline
      box: { x: 0.1, y: 0.05, width: 0.8, height: 0.12 }
      size: { min: 12, max: 0.6 }
      maxLines: 1
    - field: copy
      box: { x: 0.1, y: 0.5, width: 0.8, height: 0.3 }
      size: { min: 24, max: 60 }
      weight: 400`;
    const locales = { 'en-US': LOCALES['en-US']!, 'de-DE': { headline: 'Licht, das deinem ganzen Tag vom Morgen bis zur Nacht folgt', copy: 'Warm am Abend.' } };
    const { dir } = await project(campaign({ provider: 'runware', layers, locales, sizes: '  - { id: portrait, width: 480, height: 600 }' }));
    const run = await cli(dir, ['build'], emulatorEnv(e, KEY));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`campaign\\.yaml:${lineOf(dir, 'de-DE')}:\\d+.*de-DE headline does not fit portrait 480×600: it would be set at \\d+ px, but must be at least 1× the copy \\(24 px at the smallest\\) \\(text\\.layers\\[0\\]; shorten the headline, give it a larger box, or lower the copy's size\\.min\\)`));
    expect(run.stderr).not.toMatch(/en-US headline/);
    expect(e.submits()).toBe(0);
  });

  it('refuses copy that does not fit, characters no font has, and misspelt or missing locale keys, before any submit', async () => {
    const e = await emulator();
    const locales = {
      'en-US': LOCALES['en-US']!,
      'de-DE': { headline: 'Licht, das deinem Tag folgt, vom frühen Morgen bis in die späte Nacht hinein', copy: 'Warm.' },
      'ka-GE': { headline: 'სინათლე', copy: 'თბილი.' },
      chr: { headline: 'ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ', copy: 'ᎣᏏᏲ.' },
    };
    const yaml = campaign({ provider: 'runware', locales, sizes: '  - { id: portrait, width: 480, height: 600 }\n  - { id: leaderboard, width: 728, height: 90 }' })
      .replace('  ka-GE: { headline: "სინათლე", copy: "თბილი." }', '  ka-GE: { headline: "სინათლე", cpy: "თბილი." }');
    const { dir } = await project(yaml);
    for (const command of ['validate', 'plan', 'build']) {
      const run = await cli(dir, [command], emulatorEnv(e, KEY));
      expect(run.code, command).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      const file = join('campaigns', 'sweep', 'campaign.yaml');
      expect(run.stderr).toContain(`${file}:${lineOf(dir, 'ka-GE')}:`);
      expect(run.stderr).toMatch(/ka-GE: unknown field `cpy`; did you mean `copy`\?/);
    }
    expect(e.submits()).toBe(0);

    // With the key fixed, the next layer of checks: copy-fit and glyph coverage, each located at the locale's value.
    writeFileSync(campaignFile(dir), yaml.replace('cpy:', 'copy:'));
    const run = await cli(dir, ['validate'], emulatorEnv(e, KEY));
    expect(run.code).toBe(2);
    const deLine = lineOf(dir, 'de-DE');
    expect(run.stderr).toMatch(new RegExp(`campaign\\.yaml:${deLine}:\\d+.*de-DE headline does not fit leaderboard 728×90: needs \\d+ lines at 12 px, box holds \\d+`));
    expect(run.stderr).toMatch(
      new RegExp(`campaign\\.yaml:${lineOf(dir, 'chr')}:\\d+.*chr headline \\(text\\.layers\\[0\\]\\): no font has these Cherokee characters: 'Ꮳ' \\(U\\+13E3\\), .* and \\d+ more; the fix: give the layer or campaign a font that has them: fonts: \\{ Cher: fonts/<file>\\.ttf \\}`),
    );
    // Georgian has a font now; reported once per distinct problem: the same missing glyphs in two sizes are one line.
    expect(run.stderr).not.toMatch(/ka-GE headline:/);
    expect(run.stderr.match(/chr headline /g)).toHaveLength(1);
    expect(run.stderr).toContain('text.layers[0]');
    expect(e.submits()).toBe(0);
  });

  it('reports a field a layer needs that a locale lacks, and a source locale that does not exist', async () => {
    const yaml = campaign({ locales: { 'en-US': LOCALES['en-US']!, 'fr-FR': { headline: 'La lumière', copy: 'Chaude.' } } })
      .replace('  fr-FR: { headline: "La lumière", copy: "Chaude." }', '  fr-FR: { headline: "La lumière" }')
      .replace('text:\n', 'text:\n  source: en-GB\n');
    const { dir } = await project(yaml);
    const run = await cli(dir, ['validate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`campaign.yaml:${lineOf(dir, 'fr-FR')}:`);
    expect(run.stderr).toMatch(/fr-FR: missing field `copy`, which a text layer sets \(text\.layers\[1\]\)/);
    expect(run.stderr).toMatch(/no locale `en-GB` in this campaign; expected one of en-US, fr-FR/);
  });

  it('derives en-XA and ar-XB from the source locale to show overflow and mirroring before translations exist', async () => {
    const layers = `    - field: headline
      box: { x: 0.05, y: 0.05, width: 0.9, height: 0.2 }
      size: { min: 20, max: 0.45 }
      maxLines: 1`;
    const locales = { 'en-US': { headline: 'Light that follows your whole day', copy: 'Warm.' } };
    const { dir } = await project(campaign({ layers, locales, sizes: '  - { id: portrait, width: 480, height: 600 }' }));
    expect((await cli(dir, ['validate'])).code).toBe(0);
    const stressed = await cli(dir, ['validate', '--locale', 'en-XA']);
    expect(stressed.code).toBe(2);
    // Located at the source's value: that is the copy to shorten or the box to grow.
    expect(stressed.stderr).toMatch(new RegExp(`campaign\\.yaml:${lineOf(dir, 'en-US')}:\\d+.*en-XA headline does not fit`));

    const mirrored = await cli(dir, ['build', '--locale', 'ar-XB']);
    expect(mirrored.code).toBe(0);
    const asset = manifestOf(dir).assets.find((a) => a.locale === 'ar-XB')!;
    expect(asset.layers?.[0]?.box.x).toBe(480 - 24 - 432);
    expect(asset.layers?.[0]?.text).toContain('\u202E');
  });
});
