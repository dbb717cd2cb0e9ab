import { basename, extname } from 'node:path';
import { isMapping } from './issues.js';

/** How the campaign's layers are found and named, on plain data (raw YAML or parsed). */

/** Where the layer list is written, and the list (raw or parsed): `layers`, or its older name `text.layers`. */
export function layerListOf(data: Record<string, unknown>): { readonly items: readonly unknown[]; readonly at: readonly ['layers'] | readonly ['text', 'layers'] } {
  if (Array.isArray(data.layers)) return { items: data.layers, at: ['layers'] };
  if (isMapping(data.text) && Array.isArray(data.text.layers)) return { items: data.text.layers, at: ['text', 'layers'] };
  return { items: [], at: ['layers'] };
}

/**
 * How a layer is named in `sizes[].layers` and in errors, from its plain data: a text layer by its
 * field, an image by its `id` or its default file's name, a shape by its `id` or `rect-<index>`.
 */
export function layerIdOf(layer: unknown, index: number): string | undefined {
  if (!isMapping(layer)) return undefined;
  if (typeof layer.field === 'string') return layer.field;
  if (typeof layer.id === 'string') return layer.id;
  if ('image' in layer) {
    const file = typeof layer.image === 'string' ? layer.image : isMapping(layer.image) && typeof layer.image.default === 'string' ? layer.image.default : undefined;
    return file === undefined ? undefined : basename(file, extname(file));
  }
  return 'shape' in layer ? `${String(layer.shape)}-${index}` : undefined;
}

/** `{ default: f }` for one file; locale keys canonical (`ar-sa` is `ar-SA`). */
export function imageFilesOf(image: string | Readonly<Record<string, string>>): Record<string, string> {
  if (typeof image === 'string') return { default: image };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k === 'default' ? k : canonicalTag(k), v]));
}

function canonicalTag(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    return tag;
  }
}

