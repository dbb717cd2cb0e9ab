import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import { findCampaigns, loadCampaign, resolveCampaignPath } from '../../src/manifest/load.js';
import { MAX_REFERENCE_BYTES } from '../../src/manifest/references.js';
import { loadCampaignAsUser, openToNobody } from '../helpers/as-nobody.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

const fixtures = join(import.meta.dirname, '../fixtures/valid');
const projectRoot = join(import.meta.dirname, '../..');

async function problemsOf(promise: Promise<unknown>): Promise<readonly Problem[]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems;
}

const MINIMAL = ['template: prompt.hbs', 'variants:', '  - id: hero', 'locales:', '  en-US:', '    headline: Hi', 'sizes:', '  - id: sq', '    width: 1080', '    height: 1080', ''];

let tmp: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: tmp, cleanup } = await tempDir('pressroom-manifest-'));
});
afterEach(async () => {
  await cleanup();
});

/** A campaign folder in the temp dir with campaign.yaml from `lines` and a trivial prompt.hbs. */
async function campaignDir(lines: readonly string[], name = 'c'): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'campaign.yaml'), lines.join('\n'));
  await writeFile(join(dir, 'prompt.hbs'), '"{{headline}}"');
  return dir;
}

describe('loadCampaign on the inline fixture', () => {
  it('resolves every field', async () => {
    const c = await loadCampaign(join(fixtures, 'inline'), { projectRoot });
    expect(c).toMatchObject({
      name: 'valid-inline',
      dir: join(fixtures, 'inline'),
      file: join(fixtures, 'inline/campaign.yaml'),
      provider: 'local',
      model: 'seedream-4.0',
      seed: 42,
      partialsDir: join(projectRoot, 'templates/partials'),
      vars: { brand: 'Aqua One', palette: 'deep blue, white and brushed steel' },
      output: { format: 'webp', quality: 82 },
      providerOptions: { watermark: false },
      prices: { 'seedream-4.0': 0.03 },
    });
    expect(c.template.file).toBe(join(fixtures, 'inline/prompt.hbs'));
    expect(c.template.source).toBe(await readFile(join(fixtures, 'inline/prompt.hbs'), 'utf8'));
    expect(c.variants).toEqual([
      { id: 'hero', fields: { scene: 'a sunlit marble counter' } },
      { id: 'outdoor', fields: { scene: 'a mossy rock beside a mountain stream', mood: 'crisp morning light' } },
    ]);
    expect(c.sizes).toEqual([
      { id: 'portrait', width: 1080, height: 1350, output: { format: 'webp', quality: 82 } },
      { id: 'banner', width: 1920, height: 480, output: { format: 'webp', quality: 82 } },
    ]);
  });

  it('canonicalises locale tags and names their language and direction', async () => {
    const c = await loadCampaign(join(fixtures, 'inline'), { projectRoot });
    expect(c.locales.map((l) => [l.tag, l.language, l.direction])).toEqual([
      ['en-US', 'American English', 'ltr'],
      ['de-DE', 'German', 'ltr'],
      ['ar-SA', 'Arabic', 'rtl'],
    ]);
    expect(c.locales[2]?.strings).toEqual({ headline: 'بارد لمدة ٢٤ ساعة', cta: 'اطلب الآن' });
  });

  it('reads reference files with their hash and dimensions, and keeps https URLs', async () => {
    const c = await loadCampaign(join(fixtures, 'inline'), { projectRoot });
    const bytes = await readFile(join(fixtures, 'inline/assets/swatch.png'));
    expect(c.references).toHaveLength(2);
    const [file, url] = c.references;
    expect(file).toMatchObject({ kind: 'file', path: join(fixtures, 'inline/assets/swatch.png'), mime: 'image/png', width: 64, height: 64 });
    expect(file?.kind === 'file' && file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file?.kind === 'file' && Buffer.from(file.bytes).equals(bytes)).toBe(true);
    expect(url).toEqual({ kind: 'url', url: 'https://example.com/brand/bottle.png' });
  });

  it('records where every field is written, also under canonical locale tags', async () => {
    const c = await loadCampaign(join(fixtures, 'inline'), { projectRoot });
    const at = (path: string) => {
      const loc = c.locations[path];
      return loc && [loc.line, loc.col];
    };
    expect(at('provider')).toEqual([3, 11]);
    expect(at('model')).toEqual([4, 8]);
    expect(at('template')).toEqual([5, 11]);
    expect(at('references')).toEqual([7, 1]);
    expect(at('references[0]')).toEqual([8, 5]);
    expect(at('variants[0].id')).toEqual([14, 9]);
    expect(at('variants[1].mood')).toEqual([18, 11]);
    expect(at('locales.de-de.headline')).toEqual([24, 15]);
    expect(at('locales.de-DE.headline')).toEqual([24, 15]);
    expect(at('sizes[1]')).toEqual([32, 5]);
    expect(at('sizes[1].width')).toEqual([33, 12]);
    expect(at('prices["seedream-4.0"]')).toEqual([41, 17]);
    expect(c.locations['template']?.file).toBe(c.file);
  });

  it('accepts the campaign.yaml path as well as its folder', async () => {
    const byFolder = await loadCampaign(join(fixtures, 'inline'), { projectRoot });
    const byFile = await loadCampaign(join(fixtures, 'inline/campaign.yaml'), { projectRoot });
    expect(byFile.file).toBe(byFolder.file);
    expect(byFile.locales).toEqual(byFolder.locales);
  });
});

describe('loadCampaign with a locale folder', () => {
  it('reads one locale per <tag>.yaml, sorted, ignoring other files', async () => {
    const c = await loadCampaign(join(fixtures, 'locale-folder'), { projectRoot });
    expect(c.locales.map((l) => [l.tag, l.language])).toEqual([
      ['en-US', 'American English'],
      ['ja-JP', 'Japanese'],
    ]);
    expect(c.locales[1]?.strings).toEqual({ headline: 'あなたについてくる光', copy: 'Lumenはどの部屋にもなじみます。' });
  });

  it('locates locale strings in their own file', async () => {
    const c = await loadCampaign(join(fixtures, 'locale-folder'), { projectRoot });
    expect(c.locations['locales.ja-JP.headline']).toEqual({ file: join(fixtures, 'locale-folder/locales/ja-JP.yaml'), line: 2, col: 11 });
    expect(c.locations['locales']).toEqual({ file: c.file, line: 4, col: 10 });
  });

  it('canonicalises a file name tag', async () => {
    const dir = await campaignDir([...MINIMAL.slice(0, 3), 'locales: strings', ...MINIMAL.slice(6)]);
    await mkdir(join(dir, 'strings'));
    await writeFile(join(dir, 'strings/pt-br.yml'), 'headline: Olá\n');
    const c = await loadCampaign(dir, { projectRoot: tmp });
    expect(c.locales.map((l) => l.tag)).toEqual(['pt-BR']);
    expect(c.locations['locales.pt-BR.headline']?.file).toBe(join(dir, 'strings/pt-br.yml'));
  });

  it('reports an empty locale folder at the locales field', async () => {
    const dir = await campaignDir([...MINIMAL.slice(0, 3), 'locales: strings', ...MINIMAL.slice(6)]);
    await mkdir(join(dir, 'strings'));
    expect(await problemsOf(loadCampaign(dir, { projectRoot: tmp }))).toEqual([expect.objectContaining({ code: 'E_LOCALE', line: 4, path: 'locales' })]);
  });

  it('reports the reserved names of a locale file in that file', async () => {
    const dir = await campaignDir([...MINIMAL.slice(0, 3), 'locales: strings', ...MINIMAL.slice(6)]);
    await mkdir(join(dir, 'strings'));
    await writeFile(join(dir, 'strings/en-US.yaml'), 'headline: Hi\nsize: big\n');
    const problems = await problemsOf(loadCampaign(dir, { projectRoot: tmp }));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'E_RESERVED_NAME', file: join(dir, 'strings/en-US.yaml'), line: 2, col: 1, path: 'locales.en-US.size' }),
    ]);
  });
});

describe('loadCampaign reports everything in one pass', () => {
  it('across the campaign file, locale files, references and template', async () => {
    const dir = await campaignDir([
      'template: missing.hbs',
      'references:',
      '  - nope.png',
      'variants:',
      '  - id: hero',
      '  - id: hero',
      'locales: strings',
      'sizes:',
      '  - id: sq',
      '    width: 10',
      '    height: 1080',
    ]);
    await mkdir(join(dir, 'strings'));
    await writeFile(join(dir, 'strings/de-DE.yaml'), 'headline: [unclosed\n');
    await writeFile(join(dir, 'strings/fr-FR.yaml'), 'copy: sans titre\n');
    const problems = await problemsOf(loadCampaign(dir, { projectRoot: tmp }));
    expect(problems.map((p) => [p.code, p.file?.slice(dir.length + 1), p.line, p.path])).toEqual([
      ['E_TEMPLATE', 'campaign.yaml', 1, 'template'],
      ['E_REFERENCE', 'campaign.yaml', 3, 'references[0]'],
      ['E_DUPLICATE_ID', 'campaign.yaml', 6, 'variants[1].id'],
      ['E_SIZE', 'campaign.yaml', 10, 'sizes[0].width'],
      ['E_YAML', 'strings/de-DE.yaml', 2, 'locales.de-DE'],
      ['E_SCHEMA', 'strings/fr-FR.yaml', 1, 'locales.fr-FR.headline'],
    ]);
  });

  it('stops at YAML errors in the campaign file, which leave nothing to check', async () => {
    const dir = await campaignDir(['template: [prompt.hbs', 'sizes: 5']);
    const problems = await problemsOf(loadCampaign(dir, { projectRoot: tmp }));
    expect(problems.every((p) => p.code === 'E_YAML')).toBe(true);
  });
});

describe('campaign name', () => {
  it('defaults to the folder name, slugified', async () => {
    const dir = await campaignDir(MINIMAL, 'Été Sale 2026!');
    expect((await loadCampaign(dir, { projectRoot: tmp })).name).toBe('ete-sale-2026');
  });
});

describe('template resolution', () => {
  it('finds a bare name in <projectRoot>/templates', async () => {
    const dir = await campaignDir(['template: poster', ...MINIMAL.slice(1)]);
    await mkdir(join(tmp, 'templates'));
    await writeFile(join(tmp, 'templates/poster.hbs'), 'POSTER {{headline}}');
    const c = await loadCampaign(dir, { projectRoot: tmp });
    expect(c.template).toEqual({ file: join(tmp, 'templates/poster.hbs'), source: 'POSTER {{headline}}' });
    expect(c.partialsDir).toBe(join(tmp, 'templates/partials'));
  });

  it('resolves a path relative to the campaign file', async () => {
    const dir = await campaignDir(['template: ../shared/one-off.hbs', ...MINIMAL.slice(1)]);
    await mkdir(join(tmp, 'shared'));
    await writeFile(join(tmp, 'shared/one-off.hbs'), 'ONE');
    expect((await loadCampaign(dir, { projectRoot: tmp })).template.file).toBe(join(tmp, 'shared/one-off.hbs'));
  });

  it('does not look in the campaign folder for a bare name', async () => {
    const dir = await campaignDir(['template: prompt', ...MINIMAL.slice(1)]); // prompt.hbs is beside campaign.yaml
    expect(await problemsOf(loadCampaign(dir, { projectRoot: tmp }))).toEqual([
      expect.objectContaining({ code: 'E_TEMPLATE', line: 1, col: 11, path: 'template' }),
    ]);
  });
});

describe('reference files', () => {
  const withReference = (entry: string) => ['references:', `  - ${entry}`, ...MINIMAL];

  it(`accepts exactly ${MAX_REFERENCE_BYTES} bytes and rejects one more`, async () => {
    const dir = await campaignDir(withReference('big.png'));
    const bytes = Buffer.alloc(MAX_REFERENCE_BYTES);
    (await makeImage(16, 16)).copy(bytes);
    await writeFile(join(dir, 'big.png'), bytes);
    const c = await loadCampaign(dir, { projectRoot: tmp });
    expect(c.references[0]).toMatchObject({ kind: 'file', width: 16, height: 16 });
    await writeFile(join(dir, 'big.png'), Buffer.concat([bytes, Buffer.alloc(1)]));
    expect(await problemsOf(loadCampaign(dir, { projectRoot: tmp }))).toEqual([expect.objectContaining({ code: 'E_PATH', line: 2, path: 'references[0]' })]);
  });

  it('rejects a file it cannot read', async () => {
    const dir = await campaignDir(withReference('locked.png'));
    await writeFile(join(dir, 'locked.png'), await makeImage(16, 16));
    await chmod(join(dir, 'locked.png'), 0o000);
    await openToNobody(tmp);
    try {
      // As nobody when the suite runs as root, which reads mode-000 files.
      const problems = await loadCampaignAsUser(dir, tmp);
      expect(problems).toEqual([expect.objectContaining({ code: 'E_REFERENCE', path: 'references[0]' })]);
      expect(problems[0]?.message).toMatch(/permission denied/);
    } finally {
      await chmod(join(dir, 'locked.png'), 0o644);
    }
  });

  it.each([
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
  ] as const)('accepts %s', async (format, mime) => {
    const dir = await campaignDir(withReference(`ref.${format}`));
    const sharp = (await import('sharp')).default;
    await writeFile(join(dir, `ref.${format}`), await sharp(await makeImage(20, 10)).toFormat(format).toBuffer());
    expect((await loadCampaign(dir, { projectRoot: tmp })).references[0]).toMatchObject({ mime, width: 20, height: 10 });
  });

  it.each(['http://example.com/a.png', 'ftp://example.com/a.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA'])('rejects the URL %s', async (entry) => {
    const dir = await campaignDir(withReference(entry));
    expect(await problemsOf(loadCampaign(dir, { projectRoot: tmp }))).toEqual([expect.objectContaining({ code: 'E_REFERENCE', path: 'references[0]' })]);
  });
});

describe('finding campaigns', () => {
  it('lists campaigns/*/campaign.yaml, sorted, skipping folders without one', async () => {
    for (const name of ['zeta', 'alpha', 'empty']) await mkdir(join(tmp, 'campaigns', name), { recursive: true });
    await writeFile(join(tmp, 'campaigns/zeta/campaign.yaml'), '');
    await writeFile(join(tmp, 'campaigns/alpha/campaign.yaml'), '');
    expect(await findCampaigns(tmp)).toEqual([join(tmp, 'campaigns/alpha/campaign.yaml'), join(tmp, 'campaigns/zeta/campaign.yaml')]);
  });

  it('finds nothing in a project without campaigns/', async () => {
    expect(await findCampaigns(tmp)).toEqual([]);
  });

  it('resolves a folder, a file, or a bare campaign name', async () => {
    await mkdir(join(tmp, 'campaigns/spring'), { recursive: true });
    const file = join(tmp, 'campaigns/spring/campaign.yaml');
    await writeFile(file, '');
    expect(resolveCampaignPath('campaigns/spring', tmp)).toBe(file);
    expect(resolveCampaignPath('campaigns/spring/campaign.yaml', tmp)).toBe(file);
    expect(resolveCampaignPath(file, '/')).toBe(file);
    expect(resolveCampaignPath('spring', tmp)).toBe(file);
  });

  it.each(['campaigns/nope', 'nope', 'campaigns'])('reports %s as E_NOT_FOUND', async (arg) => {
    await mkdir(join(tmp, 'campaigns'), { recursive: true });
    let err: unknown;
    try {
      resolveCampaignPath(arg, tmp);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([expect.objectContaining({ code: 'E_NOT_FOUND' })]);
  });

  it('loadCampaign reports a missing campaign as E_NOT_FOUND', async () => {
    expect(await problemsOf(loadCampaign(join(tmp, 'missing'), { projectRoot }))).toEqual([expect.objectContaining({ code: 'E_NOT_FOUND' })]);
  });

  it('loadCampaign works on a copied fixture (no dependence on the repository path)', async () => {
    await cp(join(fixtures, 'locale-folder'), join(tmp, 'copy'), { recursive: true });
    expect((await loadCampaign(join(tmp, 'copy'), { projectRoot: tmp })).name).toBe('copy');
  });
});
