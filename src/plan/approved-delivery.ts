import type { OutputFormat, ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';
import { canonicalJson } from '../core/hash.js';
import type { PixelBox, PlacedLayer, TypesetLayerEntry } from '../core/text.js';
import { assetPath, deliveryRecipe } from '../post/deliver.js';
import { placedLayers } from '../post/text-layers.js';

/**
 * What an approval covers beyond the generated image: the recipe of the delivered file (its cut,
 * format, quality and every layer drawn over it) and the file's sha256. A copy, layout, font or
 * format edit changes the recipe without changing the generation, so approving the generation
 * alone would let unapproved copy ship.
 *
 * Layers are a list of records told apart by `kind`, so other kinds (images, shapes) fit beside
 * `text` with fields of their own.
 */

/** The style of a text layer as placed on one asset: everything of PlacedLayer but its text, box and locale. */
export type ApprovedTextStyle = Omit<PlacedLayer, 'field' | 'text' | 'locale' | 'direction' | 'box'>;

export interface ApprovedTextLayer {
  readonly kind: 'text';
  readonly field: string;
  readonly text: string;
  /** Pixels of the delivered file (mirrored for right-to-left locales where asked). */
  readonly box: PixelBox;
  readonly style: ApprovedTextStyle;
  /** The font files that drew it, as the manifest names them; absent where not known. */
  readonly fonts?: readonly string[];
}

export type ApprovedLayer = ApprovedTextLayer;

/** The delivered file of an approved cell and everything that made it from the approved image. */
export interface ApprovedDelivery {
  /** The manifest's `recipe` of the file: a hash of the fields below, the generation key and Pressroom's cut and typesetting versions. */
  readonly recipe: string;
  /** sha256 of the delivered file. */
  readonly sha256: string;
  /** Relative to out/<campaign>. */
  readonly file: string;
  readonly format: OutputFormat;
  readonly quality: number;
  /** The crop: the generated image is cut, centred, to exactly these pixels. */
  readonly width: number;
  readonly height: number;
  readonly layers: readonly ApprovedLayer[];
}

/** What the campaign delivers today for a cell from the image `generationKey`: an ApprovedDelivery without its file hash. */
export type DeliveryPlan = Omit<ApprovedDelivery, 'sha256'> & { readonly placed: readonly PlacedLayer[] };

export function textLayerRecord(p: PlacedLayer, fonts?: readonly string[]): ApprovedTextLayer {
  const { field, text, box, locale: _locale, direction: _direction, ...style } = p;
  return { kind: 'text', field, text, box, style, ...(fonts && fonts.length > 0 ? { fonts } : {}) };
}

/** The layers of an approval placed again on its cell: what drew the approved file. */
export function placedFromRecord(layers: readonly ApprovedLayer[], locale: { readonly tag: string; readonly direction: 'ltr' | 'rtl' }): PlacedLayer[] {
  return layers.map((l) => ({ field: l.field, text: l.text, locale: locale.tag, direction: locale.direction, box: l.box, ...l.style }));
}

/** The delivery a build makes today of `cell` from the image `generationKey`: the same recipe delivery computes. */
export function deliveryPlanOf(campaign: ResolvedCampaign, cell: Cell, generationKey: string): DeliveryPlan {
  const { format, quality } = campaign.output;
  const { width, height } = cell.size;
  const placed = campaign.text ? placedLayers(campaign, cell.locale, cell.size) : [];
  return {
    recipe: deliveryRecipe({ generationKey, width, height, format, quality, layers: placed }),
    file: assetPath(cell.locale.tag, cell.variant.id, cell.size.id, format),
    format,
    quality,
    width,
    height,
    layers: placed.map((p) => textLayerRecord(p)),
    placed,
  };
}

/** A plan made into an approval, with the file's hash and the fonts that drew each layer (manifest order). */
export function approvedDelivery(plan: DeliveryPlan, sha256: string, drawn: readonly TypesetLayerEntry[] = []): ApprovedDelivery {
  const { placed, ...rest } = plan;
  return { ...rest, sha256, layers: placed.map((p, i) => textLayerRecord(p, drawn[i]?.field === p.field ? drawn[i]!.fonts : undefined)) };
}

const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
const boxText = (b: PixelBox) => `${b.width}×${b.height} at ${b.x},${b.y}`;

/**
 * What differs between an approved delivery and what the campaign delivers today, in words, one
 * item per difference; empty when the recipes are equal. A difference the records do not show (the
 * recipes' hashes differ all the same) is a new version of Pressroom's cut or typesetter.
 */
export function deliveryChanges(approved: ApprovedDelivery, today: Omit<ApprovedDelivery, 'sha256'>): string[] {
  if (approved.recipe === today.recipe) return [];
  const changes: string[] = [];
  if (approved.format !== today.format) changes.push(`format ${approved.format} → ${today.format}`);
  if (approved.quality !== today.quality) changes.push(`quality ${approved.quality} → ${today.quality}`);
  if (approved.width !== today.width || approved.height !== today.height) changes.push(`size ${approved.width}×${approved.height} → ${today.width}×${today.height}`);
  const before = new Map(approved.layers.map((l) => [`${l.kind}:${l.field}`, l]));
  const after = new Map(today.layers.map((l) => [`${l.kind}:${l.field}`, l]));
  for (const [id, a] of before) {
    const b = after.get(id);
    if (!b) changes.push(`${a.field} layer removed`);
    else changes.push(...layerChanges(a, b));
  }
  for (const [id, b] of after) if (!before.has(id)) changes.push(`${b.field} layer added (${quote(b.text)})`);
  if (changes.length === 0 && approved.layers.map((l) => l.field).join() !== today.layers.map((l) => l.field).join()) changes.push('layer order changed');
  return changes.length > 0 ? changes : ["Pressroom's cut or typesetting changed (a new version draws the file differently)"];
}

function layerChanges(a: ApprovedTextLayer, b: ApprovedTextLayer): string[] {
  const out: string[] = [];
  if (a.text !== b.text) out.push(`${a.field} text ${quote(a.text)} → ${quote(b.text)}`);
  if (boxText(a.box) !== boxText(b.box)) out.push(`${a.field} box ${boxText(a.box)} → ${boxText(b.box)}`);
  const keys = [...new Set([...Object.keys(a.style), ...Object.keys(b.style)])].sort() as (keyof ApprovedTextStyle)[];
  // Fonts, keep phrases and regions are lists and mappings: compared, and shown, as JSON with sorted
  // keys (the lock stores them sorted, the campaign's plan in the order it builds them).
  const shown = (v: unknown) => (v === undefined ? 'none' : typeof v === 'object' ? canonicalJson(v) : String(v));
  const style = keys.filter((k) => shown(a.style[k]) !== shown(b.style[k])).map((k) => `${k} ${shown(a.style[k])} → ${shown(b.style[k])}`);
  if (style.length > 0) out.push(`${a.field} ${style.join(', ')}`);
  return out;
}
