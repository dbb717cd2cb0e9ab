import type { DeliverySize } from '../core/campaign.js';
import type { CampaignLayer, CampaignLayers, LayerFile } from '../core/layers.js';
import type { FractionBox } from '../core/text.js';
import { imageRect, pixelBox } from '../compose/place.js';
import { isMapping } from './issues.js';
import { imageFilesOf, layerIdOf, layerListOf } from './layer-names.js';
import { finding, type Finding, type PathSegment } from './source.js';
import { closest } from './suggest.js';

/**
 * Checks of the layers before anything is paid for: names that resolve (ids, overrides, per-locale
 * files), and, once sizes and layers are resolved, what each size would draw: no text, logo or
 * button in a band the channel's app covers, no bitmap drawn larger than its pixels. (A button
 * whose text cannot be read on it is plan/text-checks.ts's: the rule depends on the size set.)
 */

/** Ids unique, overrides naming a layer of the right kind, per-locale files for locales the campaign has. */
export function checkLayerNames(data: Record<string, unknown>, locales: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  if (Array.isArray(data.layers) && isMapping(data.text) && Array.isArray(data.text.layers)) findings.push(finding('E_LAYER', { kind: 'both-lists' }, ['text', 'layers'], 'key'));
  const { items, at } = layerListOf(data);
  const ids = new Map<string, { index: number; text: boolean }>();
  items.forEach((layer, i) => {
    const id = layerIdOf(layer, i);
    if (isMapping(layer) && isMapping(layer.image)) findings.push(...localeKeys(layer.image, id ?? `${at.join('.')}[${i}]`, locales, [...at, i, 'image']));
    if (id === undefined || !isMapping(layer)) return;
    const first = ids.get(id);
    // Two text layers of one field are the text checks' to report.
    if (first && !(first.text && typeof layer.field === 'string')) findings.push(finding('E_LAYER', { kind: 'duplicate-id', id, first: `${at.join('.')}[${first.index}]` }, [...at, i]));
    else if (!first) ids.set(id, { index: i, text: typeof layer.field === 'string' });
  });
  if (!Array.isArray(data.sizes)) return findings;
  const known = [...ids.keys()];
  data.sizes.forEach((size, i) => {
    if (!isMapping(size) || !isMapping(size.layers)) return;
    for (const [id, override] of Object.entries(size.layers)) {
      const path = ['sizes', i, 'layers', id];
      const layer = ids.get(id);
      if (!layer) findings.push(finding('E_LAYER', { kind: 'unknown-layer', id, ids: known, ...optional(closest(id, known)) }, path, 'key'));
      else if (layer.text && override !== false) findings.push(finding('E_LAYER', { kind: 'text-override', id }, path, 'key'));
      else if (isMapping(override) && isMapping(override.image)) findings.push(...localeKeys(override.image, id, locales, [...path, 'image']));
    }
  });
  return findings;
}

const optional = (meant: string | undefined) => (meant === undefined ? {} : { meant });

function localeKeys(image: Record<string, unknown>, layer: string, locales: readonly string[], path: PathSegment[]): Finding[] {
  const keys = new Set(['default', ...locales, ...locales.map((t) => t.split('-')[0]!)]);
  const findings: Finding[] = [];
  if (!('default' in image)) findings.push(finding('E_LAYER', { kind: 'no-default', layer }, path));
  for (const [written, canonical] of Object.keys(imageFilesOf(image as Record<string, string>)).map((k, i) => [Object.keys(image)[i]!, k] as const)) {
    if (!keys.has(canonical)) findings.push(finding('E_LAYER', { kind: 'locale-key', layer, key: written, locales }, [...path, written], 'key'));
  }
  return findings;
}

/** What the resolved layers would draw on each size: safe areas, bitmap scale, plates. */
export function checkPlacements(data: Record<string, unknown>, sizes: readonly DeliverySize[], layers: CampaignLayers, hasRtl: boolean): Finding[] {
  const { at } = layerListOf(data);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const once = (key: string, f: Finding) => {
    if (!seen.has(key)) findings.push(f), seen.add(key);
  };
  sizes.forEach((size, s) => {
    for (const layer of layers.bySize[size.id] ?? []) {
      const id = layer.kind === 'image' || layer.kind === 'shape' ? layer.id : layer.field;
      const where = (field: string): PathSegment[] => overridePath(data, s, layer, id, field) ?? [...at, layer.index, field];
      for (const band of layer.kind === 'shape' ? [] : size.safeAreas ?? []) {
        const boxes = [layer.box, ...(hasRtl && mirrors(layer) ? [mirrored(layer.box)] : [])];
        if (!boxes.some((b) => overlaps(b, band))) continue;
        const extent = band.name === 'left' || band.name === 'right' ? `the ${band.name} ${pct(band.width)}` : band.name === 'top' || band.name === 'bottom' ? `the ${band.name} ${pct(band.height)}` : `${pct(band.width)}×${pct(band.height)} at ${pct(band.x)},${pct(band.y)}`;
        findings.push(finding('E_SAFE_AREA', { size: size.id, preset: size.preset ?? 'its safeAreas', layer: id, band: band.name, covers: band.covers, extent }, where('box')));
      }
      if (layer.kind === 'image' && !layer.upscale) {
        for (const file of new Set(Object.values(layer.files))) {
          const problem = upscaled(file, layer, size);
          if (problem) once(`${size.id}\u0000${id}\u0000${file.path}`, finding('E_LAYER', { ...problem, layer: id, size: `${size.id} ${size.width}×${size.height}` }, where('image')));
        }
      }
    }
  });
  return findings;
}

const mirrors = (l: CampaignLayer) => (l.kind === 'image' || l.kind === 'shape' ? l.mirror : l.style.mirror);
const mirrored = (b: FractionBox): FractionBox => ({ ...b, x: 1 - b.x - b.width });
const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
/** Boxes that share area (touching edges do not). */
const overlaps = (a: FractionBox, b: FractionBox) => a.x < b.x + b.width - 1e-9 && b.x < a.x + a.width - 1e-9 && a.y < b.y + b.height - 1e-9 && b.y < a.y + a.height - 1e-9;

/** The size's own override of the layer's field, where the size writes one. */
function overridePath(data: Record<string, unknown>, s: number, layer: CampaignLayer, id: string, field: string): PathSegment[] | undefined {
  const size = Array.isArray(data.sizes) ? data.sizes[s] : undefined;
  if (!isMapping(size)) return undefined;
  const group = layer.kind === 'image' || layer.kind === 'shape' ? 'layers' : 'text';
  const o = isMapping(size[group]) ? size[group][id] : undefined;
  return isMapping(o) && field in o ? ['sizes', s, group, id, field] : undefined;
}

/** A PNG drawn larger than its pixels at this size, and how large. */
function upscaled(file: LayerFile, layer: Extract<CampaignLayer, { kind: 'image' }>, size: DeliverySize) {
  if (file.format === 'svg') return undefined;
  const box = pixelBox(layer.box, size);
  const { drawn, scale } = imageRect(file, { box, fit: layer.fit, align: 'left', valign: 'top' });
  if (scale <= 1) return undefined;
  return { kind: 'upscaled' as const, file: file.path, width: file.width, height: file.height, drawnWidth: drawn.width, drawnHeight: drawn.height };
}
