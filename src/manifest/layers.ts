import type { CampaignLayer, CampaignLayers, ImageLayer, LayerFile, ShapeLayer } from '../core/layers.js';
import type { CampaignText, FractionBox, PlateStyle, SizeBound, TextLayer, TextLayerStyle } from '../core/text.js';
import { imageFilesOf, layerIdOf } from './layer-names.js';
import type { sizeLayersSchema } from './layer-schema.js';
import type { layerSchema, SizeTextInput, TextLayerInput, TextOptions } from './text-schema.js';
import type { z } from 'zod';

/**
 * The campaign's layers resolved into one list per size id: text, image and shape layers in the
 * order written, each size's overrides applied (`sizes[].text.<field>` for text layers,
 * `sizes[].layers.<id>` for the others, `false` to leave a layer out).
 */

export type LayerInput = z.output<typeof layerSchema>;
type ImageInput = Extract<LayerInput, { image: unknown }>;
type ShapeInput = Extract<LayerInput, { shape: unknown }>;
type SizeLayersInput = z.output<typeof sizeLayersSchema>;
type Override = Exclude<SizeLayersInput[string], false>;

interface SizeInput {
  readonly id: string;
  readonly text?: SizeTextInput | undefined;
  readonly layers?: SizeLayersInput | undefined;
}

export interface ResolvedLayers {
  readonly layers?: CampaignLayers;
  readonly text?: CampaignText;
}

/** Every size's layers; the text view (`text`) when some layer sets text. Files are the image files read at load, by path as written. */
export function resolveLayers(
  list: readonly LayerInput[],
  at: string,
  options: TextOptions | undefined,
  sizes: readonly SizeInput[],
  files: ReadonlyMap<string, LayerFile>,
  source: string,
): ResolvedLayers {
  if (list.length === 0) return {};
  const bySize: Record<string, CampaignLayer[]> = {};
  for (const size of sizes) {
    bySize[size.id] = list.flatMap((layer, index): CampaignLayer[] => {
      const id = layerIdOf(layer, index)!;
      if (size.layers?.[id] === false) return [];
      if ('field' in layer) {
        const override = size.text?.[layer.field];
        return override === false ? [] : [textLayerAt(options, layer, override, index)];
      }
      const override = size.layers?.[id] || undefined;
      return 'image' in layer ? [imageAt(layer, override, id, index, files)] : [shapeAt(layer, override, id, index)];
    });
  }
  const texts = list.flatMap((l, i) => ('field' in l ? [[l.field, `${at}[${i}]`] as const] : []));
  if (texts.length === 0) return { layers: { bySize } };
  const textBySize = Object.fromEntries(Object.entries(bySize).map(([id, layers]) => [id, layers.filter((l): l is TextLayer => l.kind !== 'image' && l.kind !== 'shape')]));
  return { layers: { bySize }, text: { fields: [...new Set(texts.map(([f]) => f))], bySize: textBySize, source, paths: Object.fromEntries(texts) } };
}

/** The text layers of `text:` alone, per size (its older form, `text.layers`). */
export function resolveText(text: TextOptions, sizes: readonly SizeInput[], source: string): CampaignText {
  return resolveLayers(text.layers ?? [], 'text.layers', text, sizes, new Map(), source).text!;
}

const DEFAULT_SIZE = { min: 12, max: 0.5 } as const;
const bounds = (v: number): SizeBound => (v < 1 ? { fraction: v } : { px: v });
const boxOf = (b: FractionBox): FractionBox => ({ x: b.x, y: b.y, width: b.width, height: b.height });

function textLayerAt(options: TextOptions | undefined, layer: TextLayerInput, override: Exclude<SizeTextInput[string], false> | undefined, index: number): TextLayer {
  const input = { ...layer, ...override, box: { ...layer.box, ...override?.box } } as TextLayerInput;
  const keep = [...(options?.keep ?? []), ...(layer.keep ?? []), ...(override?.keep ?? [])];
  const fonts = fontsOf(options, layer, override);
  const minRatio = input.minRatio ?? (input.field === 'headline' ? 1 : undefined);
  const style: TextLayerStyle = {
    ...(Object.keys(fonts).length > 0 ? { fonts } : {}),
    ...(keep.length > 0 ? { keep: [...new Set(keep)] } : {}),
    hyphenate: override?.hyphenate ?? layer.hyphenate ?? options?.hyphenate ?? true,
    ...(minRatio !== undefined ? { minRatio } : {}),
    weight: input.weight ?? (input.field === 'headline' ? 700 : 400),
    color: input.color ?? '#FFFFFF',
    align: input.align ?? 'start',
    valign: input.valign ?? 'top',
    size: { min: bounds(input.size?.min ?? DEFAULT_SIZE.min), max: bounds(input.size?.max ?? DEFAULT_SIZE.max) },
    lineHeight: input.lineHeight ?? 1.2,
    ...(input.maxLines !== undefined ? { maxLines: input.maxLines } : {}),
    background: input.background ?? 'auto',
    mirror: input.mirror ?? true,
    ...(input.plate !== undefined ? { plate: plateOf(input.plate) } : {}),
  };
  return { kind: 'text', field: input.field, index, box: boxOf(input.box), style };
}

/** A button: padding in times the font size (one number is both), radius px or a fraction of its height. */
function plateOf(p: NonNullable<TextLayerInput['plate']>): PlateStyle {
  const padding = p.padding === undefined ? { x: 0.8, y: 0.45 } : typeof p.padding === 'number' ? { x: p.padding, y: p.padding } : p.padding;
  return { color: p.color, radius: bounds(p.radius ?? 0.25), padding };
}

/** Brand fonts of a layer at a size: the campaign's, the layer's, the size's (each `font:` is `fonts: { default }` at its level). */
function fontsOf(options: TextOptions | undefined, layer: TextLayerInput, override: { font?: string | undefined; fonts?: Record<string, string> | undefined } | undefined): Record<string, string> {
  const level = (s: { font?: string | undefined; fonts?: Record<string, string> | undefined } | undefined) => ({ ...(s?.font !== undefined ? { default: s.font } : {}), ...(s?.fonts ?? {}) });
  return { ...level({ fonts: options?.fonts }), ...level(layer), ...level(override) };
}

function imageAt(layer: ImageInput, override: Override | undefined, id: string, index: number, files: ReadonlyMap<string, LayerFile>): ImageLayer {
  const paths = imageFilesOf(override?.image ?? layer.image);
  return {
    kind: 'image',
    id,
    index,
    files: Object.fromEntries(Object.entries(paths).flatMap(([k, path]) => (files.has(path) ? [[k, files.get(path)!]] : []))),
    box: boxOf({ ...layer.box, ...override?.box }),
    fit: override?.fit ?? layer.fit ?? 'contain',
    align: override?.align ?? layer.align ?? 'start',
    valign: override?.valign ?? layer.valign ?? 'middle',
    mirror: override?.mirror ?? layer.mirror ?? true,
    upscale: override?.upscale ?? layer.upscale ?? false,
  };
}

function shapeAt(layer: ShapeInput, override: Override | undefined, id: string, index: number): ShapeLayer {
  return {
    kind: 'shape',
    id,
    index,
    shape: layer.shape,
    box: boxOf({ ...layer.box, ...override?.box }),
    color: override?.color ?? layer.color,
    radius: bounds(override?.radius ?? layer.radius ?? 0),
    mirror: override?.mirror ?? layer.mirror ?? true,
  };
}
