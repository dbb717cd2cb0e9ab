import { writeFontConfig } from '../image/fonts.js';

/**
 * Points libvips at the fonts Pressroom ships (Noto for Latin, CJK, Arabic) by setting
 * FONTCONFIG_FILE for this process. Entry points call it once before anything draws text:
 * libvips reads fontconfig on its first text render and never again. Returns the file's path.
 */
export function configureFonts(env: NodeJS.ProcessEnv = process.env): string {
  const path = writeFontConfig(env['FONTCONFIG_FILE']);
  env['FONTCONFIG_FILE'] = path;
  return path;
}
