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

/**
 * Pixels Pressroom lets sharp decode from one image: 64 MP (8192×8192, 256 MB as RGBA). Seedream
 * makes at most 16.8 MP and providers take references of at most 6000 px a side, so a larger
 * declaration is a mistake or a decompression bomb (a 50 KB PNG can declare 60000×60000).
 */
export const MAX_INPUT_PIXELS = 8192 * 8192;

/** What an image's header declares, read without decoding a pixel; throws for bytes that are not an image. */
export async function readImageHeader(bytes: Uint8Array): Promise<{ readonly format?: string; readonly width?: number; readonly height?: number }> {
  const { format, width, height } = await (await loadSharp())(bytes, { limitInputPixels: false }).metadata();
  return { format, width, height };
}
