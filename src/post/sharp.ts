import type sharpType from 'sharp';

let loading: Promise<typeof sharpType> | undefined;

/**
 * sharp loads libvips, about 80 ms: a fully cached rebuild never decodes or encodes, so only the
 * code paths that touch pixels pay for it, once.
 */
export function loadSharp(): Promise<typeof sharpType> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
