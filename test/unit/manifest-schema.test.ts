import { describe, expect, it } from 'vitest';
import { issuesToFindings } from '../../src/manifest/issues.js';
import { campaignSchema, localeStringsSchema } from '../../src/manifest/schema.js';
import { formatPath, locate, parseYaml } from '../../src/manifest/source.js';
import { closest, editDistance } from '../../src/manifest/suggest.js';

const minimal = {
  template: 'poster',
  variants: [{ id: 'hero' }],
  locales: { 'en-US': { headline: 'Hello' } },
  sizes: [{ id: 'square', width: 1080, height: 1080 }],
};

function findings(data: unknown) {
  const result = campaignSchema.safeParse(data);
  return result.success ? [] : issuesToFindings(result.error.issues, data, campaignSchema);
}
const paths = (data: unknown) => findings(data).map((f) => formatPath(f.path));

describe('campaign schema', () => {
  it('fills the defaults of a minimal campaign', () => {
    const parsed = campaignSchema.parse(minimal);
    expect(parsed).toMatchObject({
      provider: 'local',
      model: 'seedream-4.5',
      references: [],
      vars: {},
      providerOptions: {},
      output: { format: 'png', quality: 90 },
    });
    expect(parsed.seed).toBeUndefined();
    expect(parsed.prices).toBeUndefined();
  });

  it('keeps extra variant fields and extra locale strings', () => {
    const parsed = campaignSchema.parse({
      ...minimal,
      variants: [{ id: 'hero', scene: 'beach', props: ['towel'] }],
      locales: { 'de-DE': { headline: 'Hallo', copy: 'Text', cta: 'Jetzt kaufen' } },
    });
    expect(parsed.variants[0]).toEqual({ id: 'hero', scene: 'beach', props: ['towel'] });
    expect(parsed.locales).toEqual({ 'de-DE': { headline: 'Hallo', copy: 'Text', cta: 'Jetzt kaufen' } });
  });

  it('accepts the locale-folder form', () => {
    expect(campaignSchema.parse({ ...minimal, locales: 'locales' }).locales).toBe('locales');
  });

  it.each([
    ['seed', { seed: -1 }, 'seed'],
    ['seed', { seed: 4_294_967_296 }, 'seed'],
    ['seed', { seed: 1.5 }, 'seed'],
    ['output.format', { output: { format: 'gif' } }, 'output.format'],
    ['output.quality', { output: { quality: 101 } }, 'output.quality'],
    ['prices', { prices: { 'seedream-4.0': -1 } }, 'prices["seedream-4.0"]'],
    ['references', { references: ['a.png', 5] }, 'references[1]'],
    ['vars', { vars: 'brand' }, 'vars'],
    ['providerOptions', { providerOptions: [1] }, 'providerOptions'],
    ['name', { name: 'Spring Sale' }, 'name'],
    ['name', { name: 'x'.repeat(65) }, 'name'],
  ])('rejects a bad %s', (_field, patch, path) => {
    expect(paths({ ...minimal, ...patch })).toEqual([path]);
  });

  it.each(['../x', 'a/b', '-lead', '.hidden', '', 'with space'])('rejects id %j, which could escape or clash in out/', (id) => {
    expect(paths({ ...minimal, variants: [{ id }] })).toEqual(['variants[0].id']);
    expect(paths({ ...minimal, sizes: [{ id, width: 100, height: 100 }] })).toEqual(['sizes[0].id']);
  });

  it('reports sides out of range as E_SIZE and other size fields as E_SCHEMA', () => {
    const found = findings({ ...minimal, sizes: [{ id: 'a', width: 15, height: 16385, depth: 1 }] });
    expect(found.map((f) => [f.code, formatPath(f.path)])).toEqual([
      ['E_SIZE', 'sizes[0].width'],
      ['E_SIZE', 'sizes[0].height'],
      ['E_SCHEMA', 'sizes[0].depth'],
    ]);
  });

  it('reports unknown provider and model as E_PROVIDER', () => {
    const found = findings({ ...minimal, provider: 'replicate', model: 'seedream-3' });
    expect(found.map((f) => [f.code, formatPath(f.path)])).toEqual([
      ['E_PROVIDER', 'provider'],
      ['E_PROVIDER', 'model'],
    ]);
  });
});

describe('issue messages', () => {
  it('say what was expected and what was received, in sharp\'s shape', () => {
    const [f] = findings({ ...minimal, sizes: [{ id: 'a', width: 'abc', height: 100 }] });
    expect(f?.message).toMatch(/^expected integer 16-16384 but received "abc" \(string\)$/);
  });

  it('name a missing field and point at its parent', () => {
    const { template: _omitted, ...rest } = minimal;
    const [f] = findings(rest);
    expect(f).toMatchObject({ code: 'E_SCHEMA', path: ['template'] });
    expect(f?.message).toMatch(/^missing required field `template`/);
  });

  it('suggest the field an unknown key was probably meant to be, once', () => {
    const { variants, ...rest } = minimal;
    const found = findings({ ...rest, varients: variants });
    expect(found).toHaveLength(1); // not also "missing variants"
    expect(found[0]).toMatchObject({ path: ['varients'], at: 'key' });
    expect(found[0]?.message).toContain('`variants`');
  });

  it('give no suggestion for an unknown key that resembles nothing', () => {
    const [f] = findings({ ...minimal, colour: 'red' });
    expect(f?.path).toEqual(['colour']);
    expect(f?.message).not.toContain('did you mean');
  });

  it('collapse a union whose branches all fail at the top into one finding', () => {
    const found = findings({ ...minimal, locales: ['en-US'] });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toEqual(['locales']);
    expect(found[0]?.message).toMatch(/ or /);
  });

  it('report inside the union branch the value matched', () => {
    const found = findings({ ...minimal, locales: { 'en-US': { copy: 'no headline' }, 'de-DE': { headline: 3 } } });
    expect(found.map((f) => formatPath(f.path))).toEqual(['locales.en-US.headline', 'locales.de-DE.headline']);
  });

  it('validate locale strings on their own for locale files', () => {
    const data = { headline: 'Hi', price: 9.99 };
    const result = localeStringsSchema.safeParse(data);
    expect(result.success).toBe(false);
    const found = issuesToFindings(result.error!.issues, data, localeStringsSchema, ['locales', 'en-US']);
    expect(found.map((f) => [f.code, f.path])).toEqual([['E_SCHEMA', ['price']]]);
  });
});

describe('did-you-mean', () => {
  it.each([
    ['varients', ['variants', 'vars', 'sizes'], 'variants'],
    ['widht', ['id', 'width', 'height'], 'width'],
    ['jpg', ['png', 'jpeg', 'webp'], 'jpeg'],
    ['Sizes', ['sizes', 'seed'], 'sizes'],
    ['seedream-5', ['seedream-4.0', 'seedream-4.5', 'seedream-5-lite'], 'seedream-5-lite'],
    ['colour', ['template', 'seed', 'sizes'], undefined],
    ['seedream-9', ['seedream-4.0', 'seedream-4.5', 'seedream-5-lite'], undefined],
  ])('%s -> %s', (word, candidates, want) => {
    expect(closest(word, candidates)).toBe(want);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('widht', 'width')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('YAML positions', () => {
  const text = ['name: demo', 'sizes:', '  - id: a', '    width: 100', '  - { id: b, width: 200 }', 'vars:', '  "two words": x', ''].join('\n');
  const { source } = parseYaml('/c/campaign.yaml', text);

  it.each([
    [['name'], 'value', 1, 7],
    [['sizes'], 'value', 2, 1], // a block collection is found at its key
    [['sizes', 0], 'value', 3, 5],
    [['sizes', 0, 'width'], 'value', 4, 12],
    [['sizes', 0, 'width'], 'key', 4, 5],
    [['sizes', 1, 'width'], 'value', 5, 21],
    [['sizes', 0, 'height'], 'value', 3, 5], // missing: its parent
    [['vars', 'two words'], 'key', 7, 3],
    [['nothing', 'here'], 'value', 1, 1],
  ] as const)('%j (%s) is at %i:%i', (path, at, line, col) => {
    expect(locate(source, path, at)).toEqual({ file: '/c/campaign.yaml', line, col });
  });

  it('formats paths the way the user would write them', () => {
    expect(formatPath(['sizes', 1, 'width'])).toBe('sizes[1].width');
    expect(formatPath(['locales', 'de-DE', 'headline'])).toBe('locales.de-DE.headline');
    expect(formatPath(['vars', 'two words'])).toBe('vars["two words"]');
    expect(formatPath([])).toBe('');
  });

  it('report a duplicate key at the second occurrence with its path', () => {
    const parsed = parseYaml('/c/campaign.yaml', 'a: 1\nb:\n  c: 2\n  c: 3\n');
    expect(parsed.data).toBeUndefined();
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'E_YAML', line: 4, col: 3, path: 'b.c' })]);
  });

  it('stop an alias bomb with a clean problem', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(8).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    const parsed = parseYaml('/c/campaign.yaml', bomb);
    expect(parsed.data).toBeUndefined();
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'E_YAML', line: 2 })]);
  });

  it('allows a few ordinary aliases', () => {
    const parsed = parseYaml('/c/campaign.yaml', 'base: &base { tone: warm }\nvariants:\n  - *base\n  - *base\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.data).toEqual({ base: { tone: 'warm' }, variants: [{ tone: 'warm' }, { tone: 'warm' }] });
  });
});
