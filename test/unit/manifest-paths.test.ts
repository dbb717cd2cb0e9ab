import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import { loadCampaign } from '../../src/manifest/load.js';
import { MAX_LOCALE_TAG, parseLocaleTag } from '../../src/manifest/locales.js';
import { messageOf } from '../../src/core/errors.js';
import { MAX_YAML_BYTES } from '../../src/manifest/project-file.js';
import { tempDir } from '../helpers/tmp.js';

/** Files a campaign names stay inside the project; ids and tags stay usable as file names. */

let root: string;
let outside: string;
let cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  const a = await tempDir('pressroom-paths-');
  const b = await tempDir('pressroom-paths-outside-');
  root = a.dir;
  outside = b.dir;
  cleanups = [a.cleanup, b.cleanup];
  await mkdir(join(root, 'campaigns/c'), { recursive: true });
  await mkdir(join(root, 'templates'), { recursive: true });
  await writeFile(join(root, 'templates/poster.hbs'), '{{headline}}');
});
afterEach(async () => {
  for (const c of cleanups) await c();
});

const body = (head: string, locales = 'locales:\n  en-US: { headline: Hi }\n', ids = { variant: 'hero', size: 'sq' }) =>
  `${head}\nvariants:\n  - id: ${ids.variant}\n${locales}sizes:\n  - { id: ${ids.size}, width: 512, height: 512 }\n`;

async function problemsOf(yaml: string | Buffer, dir = join(root, 'campaigns/c')): Promise<readonly Problem[]> {
  await writeFile(join(dir, 'campaign.yaml'), yaml);
  try {
    await loadCampaign(dir, { projectRoot: root });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  return [];
}

describe('paths stay inside the project', () => {
  it('loads a campaign whose files are all inside', async () => {
    expect(await problemsOf(body('template: poster'))).toEqual([]);
  });

  it('refuses a template outside the project at the template field', async () => {
    await writeFile(join(outside, 'x.hbs'), 'SECRET');
    expect(await problemsOf(body(`template: ${join(outside, 'x.hbs')}`))).toEqual([
      expect.objectContaining({ code: 'E_PATH', line: 1, col: 11, path: 'template', message: expect.stringContaining('outside the project') }),
    ]);
  });

  it('refuses a template path that is not .hbs', async () => {
    await writeFile(join(root, 'notes.txt'), 'x');
    expect(await problemsOf(body('template: ../../notes.txt'))).toEqual([expect.objectContaining({ code: 'E_PATH', path: 'template' })]);
  });

  it('refuses a campaign file outside the project', async () => {
    await mkdir(join(outside, 'c'));
    expect(await problemsOf(body('template: poster'), join(outside, 'c'))).toEqual([
      expect.objectContaining({ code: 'E_PATH', message: expect.stringContaining('outside the project') }),
    ]);
  });

  it('refuses a locale file that is a symlink out of the project, in that file', async () => {
    await mkdir(join(root, 'campaigns/c/strings'));
    await writeFile(join(outside, 'en-US.yaml'), 'headline: stolen\n');
    await symlink(join(outside, 'en-US.yaml'), join(root, 'campaigns/c/strings/en-US.yaml'));
    expect(await problemsOf(body('template: poster', 'locales: strings\n'))).toEqual([
      expect.objectContaining({ code: 'E_PATH', file: join(root, 'campaigns/c/strings/en-US.yaml'), path: 'locales.en-US' }),
    ]);
  });

  it('refuses a locale file over the YAML cap without parsing it', async () => {
    await mkdir(join(root, 'campaigns/c/strings'));
    await writeFile(join(root, 'campaigns/c/strings/en-US.yaml'), `headline: "${'x'.repeat(MAX_YAML_BYTES)}"\n`);
    expect(await problemsOf(body('template: poster', 'locales: strings\n'))).toEqual([
      expect.objectContaining({ code: 'E_PATH', message: expect.stringContaining('the limit is 2.0 MB') }),
    ]);
  });

  it('reports a partial that is not UTF-8 at its line and column', async () => {
    await mkdir(join(root, 'templates/partials'));
    await writeFile(join(root, 'templates/partials/style.hbs'), Buffer.from('ok\nab\xff', 'latin1'));
    expect(await problemsOf(body('template: poster'))).toEqual([
      expect.objectContaining({ code: 'E_ENCODING', file: join(root, 'templates/partials/style.hbs'), line: 2, col: 3 }),
    ]);
  });

  it('resolves a relative campaign path from the cwd option, not the process', async () => {
    await writeFile(join(root, 'campaigns/c/campaign.yaml'), body('template: poster'));
    const campaign = await loadCampaign('campaigns/c', { projectRoot: root, cwd: root });
    expect(campaign.file).toBe(join(root, 'campaigns/c/campaign.yaml'));
  });
});

describe('names that become file names', () => {
  it(`caps a locale tag at ${MAX_LOCALE_TAG} characters`, () => {
    const tag35 = `de-DE-x-${'a'.repeat(8)}-${'b'.repeat(8)}-${'c'.repeat(7)}-d`;
    expect(tag35).toHaveLength(MAX_LOCALE_TAG);
    expect(parseLocaleTag(tag35)).toHaveProperty('tag');
    expect(parseLocaleTag(`${tag35}b`)).toEqual({ problem: { kind: 'tag-too-long', tag: `${tag35}b`, max: MAX_LOCALE_TAG } });
    expect(messageOf('E_LOCALE', { kind: 'tag-too-long', tag: `${tag35}b`, max: MAX_LOCALE_TAG })).toContain('is 36 characters');
  });

  it('refuses an empty locales mapping at the field', async () => {
    expect(await problemsOf(body('template: poster', 'locales: {}\n'))).toEqual([
      expect.objectContaining({ code: 'E_LOCALE', line: 4, path: 'locales', message: expect.stringContaining('at least one locale') }),
    ]);
  });

  it.each(['con', 'NUL', 'com1', 'Lpt9', 'aux', 'prn'])('refuses the device name %s as an id', async (id) => {
    const problems = await problemsOf(body('template: poster', undefined, { variant: id, size: 'sq' }));
    expect(problems).toEqual([expect.objectContaining({ code: 'E_SCHEMA', path: 'variants[0].id', message: expect.stringContaining('reserved device name') })]);
  });

  it('accepts ids that merely start like a device name', async () => {
    expect(await problemsOf(body('template: poster', undefined, { variant: 'console', size: 'com10' }))).toEqual([]);
  });
});
