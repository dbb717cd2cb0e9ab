import { outputOf, type CropFocus, type OutputFormat, type ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';
import type { PlacedAny, PlacedImage, PlacedShape } from '../core/layers.js';
import type { PixelBox, PlacedLayer, TypesetLayerEntry } from '../core/text.js';
import { canonicalJson } from '../core/hash.js';
// Recipes and placement only: approvals of a campaign without text load no typesetter.
import { placedLayers } from '../compose/place.js';
import { assetPath, deliveryRecipe } from '../compose/recipe.js';

/**
 * What an approval covers beyond the generated image: the recipe of the delivered file (its cut,
 * format, quality, byte cap and every layer drawn over it) and the file's sha256. A copy, layout,
 * font, logo or format edit changes the recipe without changing the generation, so approving the
 * generation alone would let unapproved copy or an unapproved logo ship.
 *
 * Layers are a list of records told apart by `kind`: `text` (its copy and style), `image` (the
 * file and the sha256 of its bytes: a new logo under the same name is a change) and `shape`.
 */

/** The style of a text layer as placed on one asset: everything of PlacedLayer but its text, box and locale. */
export type ApprovedTextStyle = Omit<PlacedLayer, 'kind' | 'field' | 'text' | 'locale' | 'direction' | 'box'>;

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

/** An image layer as placed: the file drawn and the sha256 of its bytes. */
export type ApprovedImageLayer = PlacedImage;
export type ApprovedShapeLayer = PlacedShape;

export type ApprovedLayer = ApprovedTextLayer | ApprovedImageLayer | ApprovedShapeLayer;

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
  /** The byte cap the encoder fitted the file under. */
  readonly maxBytes?: number;
  /** The crop: the generated image is cut to exactly these pixels, centred (or around `focus`). */
  readonly width: number;
  readonly height: number;
  readonly focus?: CropFocus;
  readonly layers: readonly ApprovedLayer[];
}

/** What the campaign delivers today for a cell from the image `generationKey`: an ApprovedDelivery without its file hash. */
export type DeliveryPlan = Omit<ApprovedDelivery, 'sha256'> & { readonly placed: readonly PlacedAny[] };

export function textLayerRecord(p: PlacedLayer, fonts?: readonly string[]): ApprovedTextLayer {
  const { kind: _kind, field, text, box, locale: _locale, direction: _direction, ...style } = p;
  return { kind: 'text', field, text, box, style, ...(fonts && fonts.length > 0 ? { fonts } : {}) };
}

const layerRecord = (p: PlacedAny, fonts?: readonly string[]): ApprovedLayer => (p.kind === 'image' || p.kind === 'shape' ? p : textLayerRecord(p, fonts));

/** The layers of an approval placed again on its cell: what drew the approved file. */
export function placedFromRecord(layers: readonly ApprovedLayer[], locale: { readonly tag: string; readonly direction: 'ltr' | 'rtl' }): PlacedAny[] {
  return layers.map((l) => (l.kind === 'text' ? { field: l.field, text: l.text, locale: locale.tag, direction: locale.direction, box: l.box, ...l.style } : l));
}

/** The delivery a build makes today of `cell` from the image `generationKey`: the same recipe delivery computes. */
export function deliveryPlanOf(campaign: ResolvedCampaign, cell: Cell, generationKey: string): DeliveryPlan {
  const { format, quality } = outputOf(campaign, cell.size);
  const { width, height, maxBytes } = cell.size;
  const { focus } = cell.variant;
  const placed = placedLayers(campaign, cell.locale, cell.size);
  return {
    recipe: deliveryRecipe({ generationKey, width, height, format, quality, maxBytes, focus, layers: placed }),
    file: assetPath(cell.locale.tag, cell.variant.id, cell.size.id, format),
    format,
    quality,
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    width,
    height,
    ...(focus !== undefined ? { focus } : {}),
    layers: placed.map((p) => layerRecord(p)),
    placed,
  };
}

/** A plan made into an approval, with the file's hash and the fonts that drew each text layer (manifest order). */
export function approvedDelivery(plan: DeliveryPlan, sha256: string, drawn: readonly TypesetLayerEntry[] = []): ApprovedDelivery {
  const { placed, ...rest } = plan;
  let t = 0;
  const layers = placed.map((p) => {
    if (p.kind === 'image' || p.kind === 'shape') return p;
    const entry = drawn[t++];
    return textLayerRecord(p, entry?.field === p.field ? entry.fonts : undefined);
  });
  return { ...rest, sha256, layers };
}

const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
const boxText = (b: PixelBox) => `${b.width}×${b.height} at ${b.x},${b.y}`;
const idOf = (l: ApprovedLayer) => (l.kind === 'text' ? l.field : l.id);
/** Lists and mappings (fonts, regions, a plate) compared and shown as JSON with sorted keys: a lock read back keeps its own order. */
const shown = (v: unknown) => (v === undefined ? 'none' : typeof v === 'object' ? canonicalJson(v) : String(v));

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
  if (approved.maxBytes !== today.maxBytes) changes.push(`maxBytes ${shown(approved.maxBytes)} → ${shown(today.maxBytes)}`);
  if (approved.width !== today.width || approved.height !== today.height) changes.push(`size ${approved.width}×${approved.height} → ${today.width}×${today.height}`);
  if (shown(approved.focus) !== shown(today.focus)) changes.push(`crop focus ${shown(approved.focus)} → ${shown(today.focus)}`);
  const before = new Map(approved.layers.map((l) => [`${l.kind}:${idOf(l)}`, l]));
  const after = new Map(today.layers.map((l) => [`${l.kind}:${idOf(l)}`, l]));
  for (const [id, a] of before) {
    const b = after.get(id);
    if (!b) changes.push(`${idOf(a)} layer removed`);
    else changes.push(...layerChanges(a, b));
  }
  for (const [id, b] of after) if (!before.has(id)) changes.push(`${idOf(b)} layer added${b.kind === 'text' ? ` (${quote(b.text)})` : b.kind === 'image' ? ` (${b.file})` : ''}`);
  const order = (d: Pick<ApprovedDelivery, 'layers'>) => d.layers.map((l) => `${l.kind}:${idOf(l)}`).join();
  if (changes.length === 0 && order(approved) !== order(today)) changes.push('layer order changed');
  return changes.length > 0 ? changes : ["Pressroom's cut or typesetting changed (a new version draws the file differently)"];
}

function layerChanges(a: ApprovedLayer, b: ApprovedLayer): string[] {
  const out: string[] = [];
  const name = idOf(a);
  if (a.kind === 'text' && b.kind === 'text' && a.text !== b.text) out.push(`${name} text ${quote(a.text)} → ${quote(b.text)}`);
  if (a.kind === 'image' && b.kind === 'image') {
    if (a.file !== b.file) out.push(`${name} image ${a.file} → ${b.file}`);
    else if (a.sha256 !== b.sha256) out.push(`${name} image ${a.file} changed (sha256 ${a.sha256.slice(0, 12)} → ${b.sha256.slice(0, 12)})`);
  }
  if (boxText(a.box) !== boxText(b.box)) out.push(`${name} box ${boxText(a.box)} → ${boxText(b.box)}`);
  // The rest of each record (a text layer's style, an image's fit, a shape's colour) compared field by field, as JSON.
  const rest = (l: ApprovedLayer): Record<string, unknown> => {
    if (l.kind === 'text') return { ...l.style };
    const { kind: _k, id: _i, box: _b, ...others } = l;
    return l.kind === 'image' ? (({ file: _f, sha256: _s, ...o }) => o)(others as Omit<PlacedImage, 'kind' | 'id' | 'box'>) : others;
  };
  const ra = rest(a);
  const rb = rest(b);
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  const style = keys.filter((k) => shown(ra[k]) !== shown(rb[k])).map((k) => `${k} ${shown(ra[k])} → ${shown(rb[k])}`);
  if (style.length > 0) out.push(`${name} ${style.join(', ')}`);
  return out;
}
