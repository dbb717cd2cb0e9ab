import { describe, expect, it } from 'vitest';
import type { AssetEntry, FailureEntry } from '../../src/core/results.js';
import { renderCampaignGallery, renderIndexGallery, type CampaignGallery } from '../../src/report/gallery/html.js';
import { previewAssets } from '../../src/report/gallery/write.js';

const asset = (over: Partial<AssetEntry> = {}): AssetEntry => ({
  variant: 'hero',
  locale: 'en-US',
  size: 'square',
  file: 'en-US/hero-square.png',
  width: 1080,
  height: 1080,
  format: 'png',
  bytes: 1234,
  sha256: 'a'.repeat(64),
  prompt: 'Poster: "HYDRATION" <b>',
  provider: 'runware',
  model: 'seedream-4.5',
  generation: { key: 'k'.repeat(64), width: 2048, height: 2048, seed: 7 },
  cost: 0.04,
  recipe: 'r',
  ...over,
});

const failure: FailureEntry = { variant: 'hero', locale: 'ar-SA', size: 'story', error: { code: 'E_PROVIDER_MODERATION', message: 'refused <img src=x onerror=alert(1)>', provider: 'runware' } };

const gallery = (over: Partial<CampaignGallery> = {}): CampaignGallery => ({
  campaign: 'launch',
  provider: 'runware',
  model: 'seedream-4.5',
  totalCost: 0.08,
  locales: [
    { tag: 'en-US', direction: 'ltr', headline: 'HYDRATION <script>alert(1)</script>' },
    { tag: 'ar-SA', direction: 'rtl', headline: 'ترطيب، بإتقان' },
  ],
  assets: [asset(), asset({ locale: 'ar-SA', file: 'ar-SA/hero-square.png', sha256: 'b'.repeat(64) })],
  failures: [failure],
  thumbs: new Map([['en-US/hero-square.png', 'thumbs/aaaa.webp']]),
  ...over,
});

describe('campaign gallery page', () => {
  it('escapes every user string: no markup from headlines, prompts or messages survives', () => {
    const html = renderCampaignGallery(gallery());
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>');
    expect(html).toContain('HYDRATION &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Poster: &#34;HYDRATION&#34; &#60;b&#62;');
    // The page's own single script is all there is.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('shows each asset with variant, locale, size, provider, model, cost and its thumbnail', () => {
    const html = renderCampaignGallery(gallery());
    expect(html).toContain('data-variant="hero" data-locale="en-US" data-size="square"');
    expect(html).toContain('src="thumbs/aaaa.webp"');
    expect(html).toContain('data-full="en-US/hero-square.png"');
    // No thumbnail: the full file is shown instead.
    expect(html).toContain('src="ar-SA/hero-square.png"');
    expect(html).toContain('runware · seedream-4.5 · $0.0400');
    expect(html).toContain('total $0.0800');
  });

  it('labels RTL locales dir="rtl" and shows failures with their code', () => {
    const html = renderCampaignGallery(gallery());
    expect(html).toMatch(/<span class="tag" dir="rtl" lang="ar-SA">ar-SA<\/span>/);
    expect(html).toMatch(/<p class="headline" dir="rtl" lang="ar-SA">ترطيب، بإتقان<\/p>/);
    expect(html).toContain('class="card failed" data-variant="hero" data-locale="ar-SA" data-size="story"');
    expect(html).toContain('<strong class="code">E_PROVIDER_MODERATION</strong>');
  });

  it('shows text layers with their contrast ratio when the manifest has them, and tolerates junk', () => {
    const layered = { ...asset(), layers: [{ text: 'HYDRATION', font: 'Noto Sans Bold', size: 96, lines: 2, box: [0, 0, 1, 1], contrast: 7.123 }, 'junk', null] } as unknown as AssetEntry;
    const html = renderCampaignGallery(gallery({ assets: [layered] }));
    expect(html).toContain('text layers (1)');
    expect(html).toContain('Noto Sans Bold · 96px · 2 lines');
    expect(html).toContain('<span class="contrast">7.12:1</span>');
    expect(renderCampaignGallery(gallery())).not.toContain('text layers');
    // As the build writes them: every font that drew the layer, and the lines as set.
    const built = { ...asset(), layers: [{ field: 'headline', text: 'HYDRATION', fonts: ['a.ttf', 'b.ttf'], size: 80, lines: ['HYDRA-', 'TION'], box: { x: 0, y: 0, width: 9, height: 9 }, contrast: 5 }] } as AssetEntry;
    expect(renderCampaignGallery(gallery({ assets: [built] }))).toContain('a.ttf, b.ttf · 80px · 2 lines');
  });

  it('lists extra shots (candidates) side by side, marking the approved one', () => {
    const extra = new Map([['hero/en-US/square', [{ file: 'candidates/en-US/hero-square-1.png', label: 'candidate 1', approved: true }]]]);
    const html = renderCampaignGallery(gallery({ extraShots: extra }));
    const card = html.split('<figure').slice(1).find((c) => c.includes('data-locale="en-US"'))!;
    expect(card.match(/data-full=/g)).toHaveLength(2);
    expect(card).toContain('class="approved" data-full="candidates/en-US/hero-square-1.png"');
  });

  it('marks an approved delivered image, and links diff.html only when there is one', () => {
    const plain = renderCampaignGallery(gallery());
    expect(plain).not.toContain('class="approved"');
    expect(plain).not.toContain('diff.html');
    const html = renderCampaignGallery(gallery({ approvedCells: new Set(['hero/en-US/square']), diffPage: 'diff.html' }));
    const card = html.split('<figure').slice(1).find((c) => c.includes('data-locale="en-US"'))!;
    expect(card).toContain('class="approved" data-full="en-US/hero-square.png"');
    expect(card).toContain('title="1080×1080 png · approved"');
    expect(html).toContain('<a class="diff-link" href="diff.html">changes since approval</a>');
  });

  it('declares the shipped faces and sets each locale in its families first; anything not of our own making is left out of the CSS', () => {
    const fonts = {
      faces: [
        { family: 'pr-noto-sans-arabic', weight: 400, file: 'fonts/0123abcd.ttf' },
        { family: 'pr-evil"}body{', weight: 400, file: 'fonts/x.ttf' },
      ],
      locales: new Map([
        ['ar-SA', ['pr-noto-sans-arabic', 'pr-noto-sans']],
        ['x"]{}', ['pr-noto-sans']],
      ]),
    };
    const html = renderCampaignGallery(gallery({ fonts }));
    expect(html).toContain('@font-face { font-family: "pr-noto-sans-arabic"; src: url("fonts/0123abcd.ttf") format("truetype"); font-weight: 400; font-display: block; }');
    expect(html).toContain('[lang="ar-SA"] { font-family: "pr-noto-sans-arabic", "pr-noto-sans", system-ui, sans-serif; }');
    expect(html).toContain('.card[data-locale="ar-SA"] { font-family: system-ui, "pr-noto-sans-arabic", "pr-noto-sans", sans-serif; }');
    expect(html).not.toContain('evil');
    expect(html).not.toContain('x"]');
    // Fonts load only from the page's own folder, as images do.
    expect(html).toContain("font-src 'self' file:;");
    // The copy carries its locale, so its faces apply; the rest of its card too (a prompt may quote it).
    const card = html.split('<figure').slice(1).find((c) => c.includes('data-locale="ar-SA"'))!;
    expect(card).toContain('<p class="headline" dir="rtl" lang="ar-SA">');
  });

  it('is deterministic: the same data gives the same bytes, with no timestamp', () => {
    expect(renderCampaignGallery(gallery())).toBe(renderCampaignGallery(gallery()));
    expect(renderCampaignGallery(gallery())).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it('the index sorts campaigns and links each gallery, escaping names', () => {
    const html = renderIndexGallery([
      { campaign: 'zeta', provider: 'local', model: 'seedream-4.5', assets: 2, failures: 0 },
      { campaign: 'a&b', provider: 'local', model: 'seedream-4.5', assets: 1, failures: 1, totalCost: 0.1 },
    ]);
    expect(html.indexOf('a&#38;b')).toBeLessThan(html.indexOf('zeta'));
    expect(html).toContain('href="a%26b/index.html"');
  });

  it('reads a cost of $0 from the local provider as free, on the page and in the index', () => {
    const local = gallery({ provider: 'local', totalCost: 0, assets: [asset({ provider: 'local', cost: 0 })] });
    const html = renderCampaignGallery(local);
    expect(html).toContain('· free ·');
    expect(html).toContain('local · seedream-4.5 · free');
    expect(html).not.toContain('$0.0000');
    // A paid provider's zero stays a number: it is news there.
    expect(renderCampaignGallery(gallery({ totalCost: 0 }))).toContain('total $0.0000');
    const index = renderIndexGallery([
      { campaign: 'proofs', provider: 'local', model: 'seedream-4.5', assets: 1, failures: 0, totalCost: 0 },
      { campaign: 'paid', provider: 'runware', model: 'seedream-4.5', assets: 1, failures: 0, totalCost: 0.04 },
    ]);
    expect(index).toMatch(/proofs<\/a>.*<td class="num">free<\/td><\/tr>/);
    expect(index).toMatch(/paid<\/a>.*<td class="num">\$0\.0400<\/td><\/tr>/);
  });

  it('the index shows each campaign\'s thumbnails, linked to its gallery, names escaped', () => {
    const html = renderIndexGallery([
      { campaign: 'a&b', provider: 'local', model: 'm', assets: 2, failures: 0, previews: [{ thumb: 'a&b/thumbs/1.webp', label: 'hero · en-US · <sq>' }] },
    ]);
    expect(html).toContain('<a class="previews" href="a%26b/index.html" tabindex="-1"><img src="a%26b/thumbs/1.webp" alt="hero · en-US · &#60;sq&#62;"');
  });
});

describe('index previews', () => {
  const cell = (locale: string, size: string) => ({ locale, size });
  it('takes one asset per size first, then one per locale, in matrix order, at most six', () => {
    const assets = ['en-US', 'de-DE', 'ja-JP', 'ar-SA', 'fr-FR', 'es-ES', 'it-IT'].flatMap((l) => ['square', 'story'].map((s) => cell(l, s)));
    expect(previewAssets(assets).map((a) => `${a.locale}/${a.size}`)).toEqual(['en-US/square', 'en-US/story', 'de-DE/square', 'ja-JP/square', 'ar-SA/square', 'fr-FR/square']);
    expect(previewAssets([cell('en-US', 'a'), cell('en-US', 'a')])).toHaveLength(1);
    expect(previewAssets([])).toEqual([]);
  });
});
