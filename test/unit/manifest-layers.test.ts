import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedCampaign } from '../../src/core/campaign.js';
import { InputError, type Problem } from '../../src/core/errors.js';
import { loadCampaign } from '../../src/manifest/load.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Layers, presets and sizes as validate sees them: every mistake refused before anything is paid
 * for, at the line that makes it, naming the size and the layer.
 */

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#7B2CBF"/></svg>';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-layers-')));
afterEach(async () => cleanup());

function write(rel: string, content: string | Buffer) {
  const path = join(dir, 'campaigns', 'kit', rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const base = (body: string, locales = '  en-US: { headline: "Bright by nature", cta: "Try it" }') => `template: ./p.hbs
variants: [{ id: launch, scene: terrace }]
locales:
${locales}
${body}`;

async function load(yaml: string): Promise<ResolvedCampaign> {
  write('campaign.yaml', yaml);
  write('p.hbs', 'A photograph, {{scene}}.');
  return loadCampaign(join(dir, 'campaigns', 'kit'), { projectRoot: dir });
}

async function problems(yaml: string): Promise<readonly Problem[]> {
  const err = await load(yaml).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems;
}

const lineOf = (yaml: string, needle: string) => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('layers in campaign.yaml', () => {
  it('resolves text, image and shape layers per size, in order, with per-size overrides', async () => {
    write('brand/logo.svg', LOGO);
    const c = await load(
      base(`layers:
  - { shape: rect, id: shade, box: { x: 0, y: 0, width: 1, height: 0.3 }, color: "#00000066" }
  - { image: brand/logo.svg, box: { x: 0.06, y: 0.06, width: 0.3, height: 0.1 } }
  - { field: headline, box: { x: 0.06, y: 0.4, width: 0.8, height: 0.2 } }
  - { field: cta, box: { x: 0.06, y: 0.7, width: 0.4, height: 0.15 }, plate: { color: "#0B6E4F" } }
sizes:
  - { id: square, width: 600, height: 600 }
  - { id: banner, width: 728, height: 90, layers: { shade: false, logo: { box: { width: 0.15 } } }, text: { cta: false } }`),
    );
    const kinds = (id: string) => c.layers!.bySize[id]!.map((l) => (l.kind === 'image' || l.kind === 'shape' ? `${l.kind}:${l.id}` : `text:${l.field}`));
    expect(kinds('square')).toEqual(['shape:shade', 'image:logo', 'text:headline', 'text:cta']);
    expect(kinds('banner')).toEqual(['image:logo', 'text:headline']);
    const logo = c.layers!.bySize['banner']![0]!;
    expect(logo.kind === 'image' && [logo.box.width, logo.box.height, logo.files['default']!.format, logo.files['default']!.width]).toEqual([0.15, 0.1, 'svg', 300]);
    const cta = c.layers!.bySize['square']![3]!;
    expect(cta.kind !== 'image' && cta.kind !== 'shape' && cta.style.plate).toEqual({ color: '#0B6E4F', radius: { fraction: 0.25 }, padding: { x: 0.8, y: 0.45 } });
    expect(c.text?.fields).toEqual(['headline', 'cta']);
    expect(c.text?.paths).toEqual({ headline: 'layers[2]', cta: 'layers[3]' });
  });

  it('keeps text.layers as the older name of layers', async () => {
    const c = await load(base(`text:
  layers:
    - { field: headline, box: { x: 0.06, y: 0.4, width: 0.8, height: 0.2 } }
sizes: [{ id: square, width: 600, height: 600 }]`));
    expect(c.layers!.bySize['square']!.map((l) => l.kind)).toEqual(['text']);
    expect(c.text?.paths).toEqual({ headline: 'text.layers[0]' });
  });

  it('refuses both lists, duplicate ids, overrides of unknown layers (did you mean) and text layers under sizes[].layers', async () => {
    write('brand/logo.svg', LOGO);
    const yaml = base(`layers:
  - { image: brand/logo.svg, box: { x: 0, y: 0, width: 0.3, height: 0.1 } }
  - { shape: rect, id: logo, box: { x: 0, y: 0, width: 1, height: 0.1 }, color: "#000000" }
  - { field: headline, box: { x: 0.06, y: 0.4, width: 0.8, height: 0.2 } }
text:
  layers: [{ field: headline, box: { x: 0, y: 0, width: 1, height: 0.2 } }]
sizes:
  - { id: square, width: 600, height: 600, layers: { lgo: false, headline: { box: { x: 0.1 } } } }`);
    const found = await problems(yaml);
    expect(found.map((p) => [p.code, p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['E_LAYER', 'text.layers', lineOf(yaml, 'text:') + 1],
        ['E_LAYER', 'layers[1]', lineOf(yaml, 'shape: rect')],
        ['E_LAYER', 'sizes[0].layers.lgo', lineOf(yaml, 'lgo')],
        ['E_LAYER', 'sizes[0].layers.headline', lineOf(yaml, 'lgo')],
      ]),
    );
    expect(found.find((p) => p.path === 'sizes[0].layers.lgo')!.message).toContain('did you mean `logo`?');
  });

  it('refuses a box off the frame, for every kind of layer', async () => {
    write('brand/logo.svg', LOGO);
    const found = await problems(
      base(`layers:
  - { image: brand/logo.svg, box: { x: 0.8, y: 0, width: 0.3, height: 0.1 } }
  - { shape: rect, box: { x: 0, y: 0.95, width: 1, height: 0.1 }, color: "#000000" }
sizes: [{ id: square, width: 600, height: 600 }]`),
    );
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['E_SCHEMA', 'layers[0].box'],
      ['E_SCHEMA', 'layers[1].box'],
    ]);
  });
});

describe('image layer files', () => {
  const layer = (image: string, extra = '') => base(`layers:
  - { image: ${image}, box: { x: 0.06, y: 0.06, width: 0.5, height: 0.2 }${extra} }
sizes: [{ id: square, width: 600, height: 600 }, { id: story, width: 1080, height: 1920 }]`);

  it('refuses a missing file, one outside the project and one over 10 MB, at the image line', async () => {
    for (const [image, code] of [['brand/none.svg', 'E_LAYER'], ['../../../outside.svg', 'E_PATH'], ['brand/big.png', 'E_PATH']] as const) {
      if (image === 'brand/big.png') write(image, Buffer.alloc(10 * 1024 * 1024 + 1));
      writeFileSync(join(dir, '..', 'outside.svg'), LOGO);
      const yaml = layer(image);
      const found = await problems(yaml);
      expect(found.map((p) => [p.code, p.path, p.line])).toEqual([[code, 'layers[0].image', lineOf(yaml, 'image:')]]);
    }
  });

  it('refuses what is not an SVG or PNG, and an SVG that depends on more than its bytes', async () => {
    write('brand/logo.png', await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).jpeg().toBuffer());
    const unsafe = {
      'text.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>NORTH</text></svg>',
      'link.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>',
      'entity.svg': '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      'script.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      'style.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect style="fill:url(https://x.example/p.svg#a)"/></svg>',
    };
    for (const [name, svg] of Object.entries(unsafe)) write(`brand/${name}`, svg);
    expect((await problems(layer('brand/logo.png')))[0]!.message).toMatch(/is a JPEG image; an image layer draws an SVG or a PNG/);
    for (const name of Object.keys(unsafe)) {
      const found = await problems(layer(`brand/${name}`));
      expect([found[0]!.code, found[0]!.path]).toEqual(['E_LAYER', 'layers[0].image']);
      expect(found[0]!.message).toContain('must be self-contained drawing');
    }
  });

  it('accepts an SVG with internal references and embedded data', async () => {
    write('brand/ok.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/><image href="data:image/png;base64,AAAA" width="1" height="1"/></svg>');
    expect((await load(layer('brand/ok.svg'))).layers).toBeDefined();
  });

  it('refuses a PNG drawn larger than its pixels on the size that would, unless upscale: true', async () => {
    write('brand/logo.png', await sharp({ create: { width: 400, height: 100, channels: 4, background: '#7B2CBF' } }).png().toBuffer());
    const yaml = layer('brand/logo.png');
    const found = await problems(yaml);
    // 0.5 of 600 is 300 px (fine); 0.5 of 1080 is 540 px over a 400-pixel file.
    expect(found.map((p) => [p.code, p.path, p.line])).toEqual([['E_LAYER', 'layers[0].image', lineOf(yaml, 'image:')]]);
    expect(found[0]!.message).toContain('400×100 pixels but layer logo draws it at 540×135 on story 1080×1920');
    await expect(load(layer('brand/logo.png', ', upscale: true'))).resolves.toBeDefined();
  });

  it('takes a file per locale, refusing a locale the campaign does not have and a mapping without default', async () => {
    write('brand/logo.svg', LOGO);
    write('brand/logo-ar.svg', LOGO);
    const locales = '  en-US: { headline: "Bright" }\n  ar-SA: { headline: "مشرق" }';
    const ok = await load(base(`layers:\n  - { image: { default: brand/logo.svg, ar-sa: brand/logo-ar.svg }, box: { x: 0, y: 0, width: 0.3, height: 0.1 } }\nsizes: [{ id: square, width: 600, height: 600 }]`, locales));
    const layerOf = ok.layers!.bySize['square']![0]!;
    expect(layerOf.kind === 'image' && Object.keys(layerOf.files)).toEqual(['default', 'ar-SA']);
    const found = await problems(base(`layers:\n  - { image: { ar-EG: brand/logo-ar.svg }, box: { x: 0, y: 0, width: 0.3, height: 0.1 } }\nsizes: [{ id: square, width: 600, height: 600 }]`, locales));
    expect(found.map((p) => p.message)).toEqual([expect.stringContaining('no `default`'), expect.stringContaining('`ar-EG`, which is neither a locale of this campaign')]);
  });
});

describe('presets, formats and safe areas', () => {
  it('refuses an unknown preset with a did-you-mean, at its line', async () => {
    const yaml = base(`sizes:\n  - { id: mrec, preset: display-300x205 }`);
    const found = await problems(yaml);
    expect(found.map((p) => [p.code, p.path, p.line])).toEqual([['E_PRESET', 'sizes[0].preset', lineOf(yaml, 'display-300x205')]]);
    expect(found[0]!.message).toContain('did you mean `display-300x250`?');
  });

  it('refuses a format the preset does not take, where the format is written', async () => {
    const own = base(`sizes:\n  - { id: mrec, preset: display-300x250, output: { format: avif } }`);
    expect((await problems(own)).map((p) => [p.code, p.path, p.message])).toEqual([['E_PRESET', 'sizes[0].output.format', 'size mrec delivers avif (its output.format), which preset display-300x250 does not take; it takes jpeg, png']]);
    const campaignWide = base(`output: { format: webp }\nsizes:\n  - { id: mrec, preset: display-300x250 }\n  - { id: hero, width: 1920, height: 1080 }`);
    expect((await problems(campaignWide)).map((p) => [p.code, p.path])).toEqual([['E_PRESET', 'output.format']]);
    // `formats` overrides what the preset takes.
    await expect(load(base(`sizes:\n  - { id: mrec, preset: display-300x250, formats: [webp], output: { format: webp } }`))).resolves.toBeDefined();
  });

  it("refuses a headline moved into a story's top band, at the override's line, naming the size, the layer and the band", async () => {
    const yaml = base(`layers:
  - { field: headline, box: { x: 0.06, y: 0.3, width: 0.88, height: 0.2 } }
sizes:
  - { id: square, preset: meta-feed-square }
  - id: story
    preset: meta-story
    text: { headline: { box: { y: 0.05 } } }`);
    const found = await problems(yaml);
    expect(found.map((p) => [p.code, p.path, p.line])).toEqual([['E_SAFE_AREA', 'sizes[1].text.headline.box', lineOf(yaml, 'y: 0.05')]]);
    expect(found[0]!.message).toBe('layer headline on size story enters the top band of meta-story (the top 14%, covered by the profile picture, name and progress bar); move its box out of the band');
  });

  it('checks logos and the mirrored box of right-to-left locales, not shapes; safeAreas: false turns it off', async () => {
    write('brand/logo.svg', LOGO);
    const body = (extra = '') => `layers:
  - { shape: rect, box: { x: 0, y: 0, width: 1, height: 1 }, color: "#00000033" }
  - { image: brand/logo.svg, box: { x: 0.02, y: 0.3, width: 0.3, height: 0.1 } }
sizes:
  - { id: reel, preset: meta-reels${extra} }`;
    // The logo sits in the left 6% band in every locale.
    expect((await problems(base(body()))).map((p) => [p.code, p.path])).toEqual([['E_SAFE_AREA', 'layers[1].box']]);
    await expect(load(base(body(', safeAreas: false')))).resolves.toBeDefined();
    // TikTok's buttons are on the right only: a logo on the left is clear, until an Arabic locale mirrors it there.
    const tiktok = body().replace('meta-reels', 'tiktok-infeed');
    await expect(load(base(tiktok))).resolves.toBeDefined();
    const found = await problems(base(tiktok, '  en-US: { headline: "x" }\n  ar-SA: { headline: "س" }'));
    expect(found.map((p) => [p.code, p.path])).toEqual([['E_SAFE_AREA', 'layers[1].box']]);
    expect(found[0]!.message).toContain('enters the right band of tiktok-infeed');
  });
});
