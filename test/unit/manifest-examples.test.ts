import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCampaigns, loadCampaign } from '../../src/manifest/load.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';

/** The example campaigns a fresh clone builds: they must load, render and stay small. */

const projectRoot = join(import.meta.dirname, '../..');
const load = async (name: string) => loadCampaign(join(projectRoot, 'campaigns', name), { projectRoot });

describe('example campaigns', () => {
  it('are the three documented ones', async () => {
    const files = await findCampaigns(projectRoot);
    expect(files.map((f) => f.slice(projectRoot.length + 1))).toEqual([
      'campaigns/aqua-one-launch/campaign.yaml',
      'campaigns/lumen-global-sweep/campaign.yaml',
      'campaigns/social-kit/campaign.yaml',
    ]);
  });

  it('all load with the local provider and render every cell under strict templates', async () => {
    let cells = 0;
    let generations = 0;
    for (const file of await findCampaigns(projectRoot)) {
      const campaign = await loadCampaign(file, { projectRoot });
      expect(campaign.provider).toBe('local');
      const prompts = renderPrompts(campaign, buildMatrix(campaign));
      for (const cell of prompts) {
        const headline = String(cell.locale.strings['headline']);
        if (campaign.text) {
          // Typeset, not prompted: the model is never asked to draw the copy.
          expect(cell.prompt).not.toContain(headline);
        } else {
          expect(cell.prompt).toContain(cell.locale.language);
          expect(cell.prompt).toContain(headline);
        }
      }
      cells += prompts.length;
      generations += new Set(prompts.map((p) => `${p.prompt}\u0000${p.size.width / p.size.height}`)).size;
    }
    expect(cells).toBeGreaterThanOrEqual(40);
    // The localization sweep alone is 35 locales × 3 sizes; the examples stay a few hundred cells.
    expect(cells).toBeLessThanOrEqual(200);
    expect(generations).toBeLessThanOrEqual(40);
  });

  it('aqua-one-launch carries its bottle reference', async () => {
    const c = await load('aqua-one-launch');
    expect(c.references).toEqual([expect.objectContaining({ kind: 'file', mime: 'image/png' })]);
    expect((await stat(join(c.dir, 'assets/bottle.png'))).size).toBeLessThan(100 * 1024);
    expect(c.locales.map((l) => l.tag)).toEqual(expect.arrayContaining(['en-US', 'de-DE']));
  });

  it('lumen-global-sweep typesets at least 30 locales in 20 scripts from its locale folder', async () => {
    const c = await load('lumen-global-sweep');
    const tags = c.locales.map((l) => l.tag);
    expect(tags).toEqual(expect.arrayContaining(['de-DE', 'ja-JP', 'zh-CN', 'zh-TW', 'ar-SA', 'he-IL', 'ru-RU', 'en-US', 'th-TH', 'hi-IN', 'ko-KR']));
    const scripts = new Set(c.locales.map((l) => new Intl.Locale(l.tag).maximize().script));
    expect(tags.length).toBeGreaterThanOrEqual(30);
    expect(scripts.size).toBeGreaterThanOrEqual(20);
    expect(c.text?.fields).toEqual(['headline', 'copy', 'cta']);
    expect(c.locales.find((l) => l.tag === 'ar-SA')?.direction).toBe('rtl');
    expect(c.locations['locales.ja-JP.headline']?.file).toBe(join(c.dir, 'locales/ja-JP.yaml'));
    expect(c.variants).toHaveLength(1);
    expect(c.sizes).toHaveLength(3);
  });

  it('social-kit gives differently shaped sizes different prompts', async () => {
    const c = await load('social-kit');
    const prompts = renderPrompts(c, buildMatrix(c));
    const bySize = new Map(prompts.filter((p) => p.variant.id === 'summer' && p.locale.tag === 'en-US').map((p) => [p.size.id, p.prompt]));
    expect(new Set(bySize.values()).size).toBe(5);
    expect(bySize.get('story')).toContain('9:16');
    expect(bySize.get('billboard')).toContain('97:25');
    // The copy is set over the picture, not asked of the model.
    for (const prompt of bySize.values()) expect(prompt).not.toContain('Cold brew, hot streak');
  });

  it('social-kit is a kit: its logo, a call-to-action button, channel presets and byte caps', async () => {
    const c = await load('social-kit');
    expect(c.sizes.map((s) => [s.id, s.preset, s.width, s.height, s.maxBytes])).toEqual([
      ['square', 'instagram-feed-square', 1080, 1080, 30_000_000],
      ['story', 'meta-story', 1080, 1920, 600_000],
      ['link-ad', 'linkedin-landscape', 1200, 627, 400_000],
      ['mrec', 'display-300x250', 300, 250, 150_000],
      ['billboard', 'display-970x250', 970, 250, 150_000],
    ]);
    for (const size of c.sizes) {
      const layers = c.layers!.bySize[size.id]!;
      const logo = layers.find((l) => l.kind === 'image');
      expect(logo?.kind === 'image' && logo.files['default']!.format).toBe('svg');
      const cta = layers.find((l) => l.kind !== 'image' && l.kind !== 'shape' && l.field === 'cta');
      expect(cta?.kind !== 'image' && cta?.kind !== 'shape' && cta?.style.plate?.color).toBe('#A35523');
    }
    expect(renderPrompts(c, buildMatrix(c)).every((p) => p.alt?.startsWith('NORTHBREW nitro cold brew — '))).toBe(true);
  });
});
