import type sharpType from 'sharp';

let loading: Promise<typeof sharpType> | undefined;

/**
 * sharp loads libvips, about 80 ms: a fully cached rebuild never decodes or encodes, so only the
 * code paths that touch pixels pay for it, once.
 */
export function loadSharp(): Promise<typeof sharpType> {
  loading ??= import('sharp').then((m) => {
    // Each image is decoded once and never revisited: libvips' operation cache would only hold
    // finished pixel buffers resident (tens of MB) for nothing.
    m.default.cache(false);
    return m.default;
  });
  return loading;
}
