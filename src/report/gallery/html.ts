import type { AssetEntry, FailureEntry } from '../../core/results.js';
import { escapeHtml as h, fileHref } from './escape.js';
import { GALLERY_CSS, GALLERY_SCRIPT } from './page-assets.js';

/** What the gallery knows of a locale: its direction (RTL labels) and headline. */
export interface GalleryLocale {
  readonly tag: string;
  readonly direction: 'ltr' | 'rtl';
  readonly headline?: string;
}

/** One more image of a cell shown beside the delivered one (candidates, or approved vs new). */
export interface GalleryShot {
  readonly file: string;
  readonly thumb?: string;
  readonly label: string;
  /** What the picture shows (the asset's alt text); default the label. */
  readonly alt?: string;
  readonly approved?: boolean;
}

export interface CampaignGallery {
  readonly campaign: string;
  readonly provider: string;
  readonly model: string;
  /** null: the provider did not report what it billed. */
  readonly totalCost?: number | null;
  readonly locales: readonly GalleryLocale[];
  readonly assets: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
  /** Asset file -> its thumbnail (relative to out/<campaign>); the full file is shown where missing. */
  readonly thumbs: ReadonlyMap<string, string>;
  /** Cell id (variant/locale/size) -> further images of that cell, side by side with the asset. */
  readonly extraShots?: ReadonlyMap<string, readonly GalleryShot[]>;
  /** Cells whose delivered image is the approved one (approved.lock). */
  readonly approvedCells?: ReadonlySet<string>;
  /** diff.html (approved vs new images), relative to out/<campaign>, when `pressroom diff` wrote one. */
  readonly diffPage?: string;
  /** Font files shipped with the page and the families each locale's text is set in. */
  readonly fonts?: PageFonts;
}

/** The faces under out/<campaign>/fonts/ (see post/gallery-fonts.ts) and which locale uses which family. */
export interface PageFonts {
  readonly faces: readonly { readonly family: string; readonly weight: number; readonly file: string }[];
  readonly locales: ReadonlyMap<string, readonly string[]>;
}

/** Values that go into CSS unquoted or in a string: tags, families and file names of our own making. */
const CSS_SAFE = /^[A-Za-z0-9._/-]+$/;

/**
 * @font-face for every shipped file and, per locale, where its faces apply: every element with its
 * `lang` (headline, layer texts) is set in them first, the rest of its card falls back to them for
 * what the system's face lacks. Either way its script is drawn on any machine.
 */
export function fontCss(fonts: PageFonts | undefined): string {
  if (!fonts) return '';
  const faces = fonts.faces
    .filter((f) => CSS_SAFE.test(f.family) && CSS_SAFE.test(f.file))
    .map((f) => `@font-face { font-family: "${f.family}"; src: url("${fileHref(f.file)}") format("truetype"); font-weight: ${f.weight}; font-display: block; }`);
  const rules = [...fonts.locales]
    .filter(([tag, families]) => CSS_SAFE.test(tag) && families.every((f) => CSS_SAFE.test(f)))
    .flatMap(([tag, families]) => {
      const list = families.map((f) => `"${f}"`).join(', ');
      // The copy in the faces that drew it; the rest of its card (sizes, a prompt quoting the copy)
      // in the page's own face, the shipped ones only for what that face cannot draw.
      return [`.card[data-locale="${tag}"] { font-family: system-ui, ${list}, sans-serif; }`, `[lang="${tag}"] { font-family: ${list}, system-ui, sans-serif; }`];
    });
  return [...faces, ...rules].join('\n');
}

/** A text layer as issue 11 describes it; read loosely, since older manifests have none. */
interface LayerView {
  readonly text?: string;
  readonly font?: string;
  readonly size?: number;
  readonly lines?: number;
  readonly contrast?: number;
}

/** USD as the gallery shows it: the local provider's proofs cost nothing, and say so. */
export const costText = (usd: number, provider: string) => (usd === 0 && provider === 'local' ? 'free' : `$${usd.toFixed(4)}`);

export const galleryCellId = (e: { variant: string; locale: string; size: string }) => `${e.variant}/${e.locale}/${e.size}`;

function layersOf(asset: AssetEntry): LayerView[] {
  const raw = (asset as { layers?: unknown }).layers;
  if (!Array.isArray(raw)) return [];
  return raw.filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null).map((l) => ({
    text: typeof l['text'] === 'string' ? l['text'] : undefined,
    // The manifest lists every font that drew a layer (`fonts`) and the lines as set (`lines`).
    font: typeof l['font'] === 'string' ? l['font'] : Array.isArray(l['fonts']) ? l['fonts'].filter((f) => typeof f === 'string').join(', ') || undefined : undefined,
    size: typeof l['size'] === 'number' ? l['size'] : undefined,
    lines: typeof l['lines'] === 'number' ? l['lines'] : Array.isArray(l['lines']) ? l['lines'].length : undefined,
    contrast: typeof l['contrast'] === 'number' ? l['contrast'] : undefined,
  }));
}

const uniq = (values: readonly string[]) => [...new Set(values)];

function select(name: string, label: string, values: readonly string[]): string {
  const options = values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<label>${h(label)} <select name="${h(name)}" aria-label="${h(label)}"><option value="">all</option>${options}</select></label>`;
}

function shot(s: GalleryShot, cell: string): string {
  const src = fileHref(s.thumb ?? s.file);
  const text = s.approved ? `${s.label} · approved` : s.label;
  const label = `${cell} · ${text}`;
  return `<button type="button" class="${s.approved ? 'approved' : ''}" data-full="${h(fileHref(s.file))}" data-label="${h(label)}" title="${h(text)}"><img src="${h(src)}" alt="${h(s.alt ?? label)}"></button>`;
}

function layersHtml(layers: readonly LayerView[], dir: string, lang: string): string {
  if (layers.length === 0) return '';
  const rows = layers.map((l) => {
    const bits = [l.font, l.size !== undefined ? `${l.size}px` : undefined, l.lines !== undefined ? `${l.lines} line${l.lines === 1 ? '' : 's'}` : undefined]
      .filter((b): b is string => b !== undefined)
      .map(h)
      .join(' · ');
    const contrast = l.contrast !== undefined ? ` · contrast <span class="contrast">${h(l.contrast.toFixed(2))}:1</span>` : '';
    return `<li><span dir="${dir}" lang="${h(lang)}">${h(l.text ?? '')}</span> <small>${bits}${contrast}</small></li>`;
  });
  return `<details><summary>text layers (${layers.length})</summary><ul>${rows.join('')}</ul></details>`;
}

function assetCard(a: AssetEntry, g: CampaignGallery, locale: GalleryLocale | undefined): string {
  const cell = galleryCellId(a);
  const dir = locale?.direction ?? 'ltr';
  const main: GalleryShot = { file: a.file, thumb: g.thumbs.get(a.file), label: `${a.width}×${a.height} ${a.format}`, ...(a.alt ? { alt: a.alt } : {}), approved: g.approvedCells?.has(cell) ?? false };
  const shots = [main, ...(g.extraShots?.get(cell) ?? [])].map((s) => shot(s, cell)).join('');
  const cost = a.cost !== undefined ? ` · ${h(costText(a.cost, a.provider))}` : '';
  const headline = locale?.headline !== undefined ? `<p class="headline" dir="${dir}" lang="${h(a.locale)}">${h(locale.headline)}</p>` : '';
  return `<figure class="card" data-variant="${h(a.variant)}" data-locale="${h(a.locale)}" data-size="${h(a.size)}">
<div class="shots">${shots}</div>
<figcaption><span class="tag">${h(a.variant)}</span><span class="tag" dir="${dir}" lang="${h(a.locale)}">${h(a.locale)}</span><span class="tag">${h(a.size)}</span>
${headline}<div>${h(a.width)}×${h(a.height)} · ${h(a.provider)} · ${h(a.model)}${cost}</div>
<details><summary>prompt</summary><p>${h(a.prompt)}</p></details>${layersHtml(layersOf(a), dir, a.locale)}</figcaption>
</figure>`;
}

function failureCard(f: FailureEntry, locale: GalleryLocale | undefined): string {
  const dir = locale?.direction ?? 'ltr';
  return `<figure class="card failed" data-variant="${h(f.variant)}" data-locale="${h(f.locale)}" data-size="${h(f.size)}">
<figcaption><span class="tag">${h(f.variant)}</span><span class="tag" dir="${dir}" lang="${h(f.locale)}">${h(f.locale)}</span><span class="tag">${h(f.size)}</span>
<p class="error"><strong class="code">${h(f.error.code)}</strong> ${h(f.error.message)}</p></figcaption>
</figure>`;
}

export function page(title: string, body: string, css = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; font-src 'self' file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${h(title)}</title>
<style>${GALLERY_CSS}${css ? `\n${css}\n` : ''}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * out/<campaign>/index.html: every asset and failure of the campaign in matrix order, filterable,
 * each openable at full size. Deterministic: the same manifest gives the same bytes.
 */
export function renderCampaignGallery(g: CampaignGallery): string {
  const locales = new Map(g.locales.map((l) => [l.tag, l]));
  const entries = [...g.assets, ...g.failures];
  const cards = [...g.assets.map((a) => assetCard(a, g, locales.get(a.locale))), ...g.failures.map((f) => failureCard(f, locales.get(f.locale)))];
  const cost = typeof g.totalCost === 'number' ? ` · ${g.totalCost === 0 && g.provider === 'local' ? 'free' : `total ${h(costText(g.totalCost, g.provider))}`}` : g.totalCost === null ? ' · total cost unknown' : '';
  const body = `<header><h1>${h(g.campaign)}</h1>
<p class="meta">${h(g.provider)} · ${h(g.model)} · ${g.assets.length} assets · ${g.failures.length} failed${cost} · <a href="../index.html">all campaigns</a> · <a href="manifest.json">manifest.json</a>${g.diffPage ? ` · <a class="diff-link" href="${h(fileHref(g.diffPage))}">changes since approval</a>` : ''}</p></header>
<nav class="filters">${select('variant', 'Variant', uniq(entries.map((e) => e.variant)))}${select('locale', 'Locale', uniq(entries.map((e) => e.locale)))}${select('size', 'Size', uniq(entries.map((e) => e.size)))}<span>showing <output id="count">${entries.length}</output></span></nav>
<main class="grid">
${cards.join('\n')}
</main>
<dialog id="viewer"><img id="viewer-image" alt=""><p id="viewer-caption"></p><form method="dialog"><button>close</button></form></dialog>
<script>${GALLERY_SCRIPT}</script>`;
  return page(`${g.campaign} · Pressroom gallery`, body, fontCss(g.fonts));
}

export interface CampaignLink {
  readonly campaign: string;
  readonly provider: string;
  readonly model: string;
  readonly assets: number;
  readonly failures: number;
  /** null: the provider did not report what it billed. */
  readonly totalCost?: number | null;
  /** A few thumbnails (relative to out/), one per size first, then per locale. */
  readonly previews?: readonly { readonly thumb: string; readonly label: string }[];
}

/** out/index.html: one row per campaign in out/, sorted by name, with a strip of its thumbnails. */
export function renderIndexGallery(campaigns: readonly CampaignLink[]): string {
  const rows = [...campaigns]
    .sort((a, b) => (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0))
    .map((c) => {
      const href = `${h(fileHref(c.campaign))}/index.html`;
      const previews = (c.previews ?? []).map((p) => `<img src="${h(fileHref(p.thumb))}" alt="${h(p.label)}" title="${h(p.label)}" loading="lazy">`).join('');
      const cost = typeof c.totalCost === 'number' ? h(costText(c.totalCost, c.provider)) : '';
      return `<tr><td><a href="${href}">${h(c.campaign)}</a></td><td><a class="previews" href="${href}" tabindex="-1">${previews}</a></td><td>${h(c.provider)}</td><td>${h(c.model)}</td><td class="num">${c.assets}</td><td class="num">${c.failures}</td><td class="num">${cost}</td></tr>`;
    });
  const body = `<header><h1>Pressroom campaigns</h1></header>
<table class="index"><thead><tr><th>campaign</th><th>preview</th><th>provider</th><th>model</th><th class="num">assets</th><th class="num">failed</th><th class="num">cost</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
  return page('Pressroom campaigns', body);
}
