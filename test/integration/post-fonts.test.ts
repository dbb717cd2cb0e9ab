import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { configureFonts } from '../../src/cli/fonts.js';
import { fontDirs, writeFontConfig } from '../../src/image/fonts.js';

// This file runs in its own worker process, so FONTCONFIG_FILE is set here before libvips's first text render.
const conf = configureFonts();

async function render(text: string, font: string, fontfile?: string): Promise<Buffer> {
  return sharp({ text: { text, font, dpi: 72, ...(fontfile ? { fontfile } : {}) } }).raw().toBuffer();
}

function ttf(family: string, weight: string): string {
  const dir = fontDirs().find((d) => d.includes(`${family}/`) && d.endsWith(weight))!;
  return `${dir}/${readdirSync(dir).find((f) => f.endsWith('.ttf'))!}`;
}

describe('configureFonts', () => {
  it('points FONTCONFIG_FILE at a fontconfig file listing every font folder', () => {
    expect(process.env.FONTCONFIG_FILE).toBe(conf);
    const xml = readFileSync(conf, 'utf8');
    for (const dir of fontDirs()) {
      expect(xml).toContain(`<dir>${dir}</dir>`);
      expect(readdirSync(dir).some((f) => f.endsWith('.ttf'))).toBe(true);
    }
    expect(xml).toContain('<cachedir>');
  });

  it('is idempotent', () => {
    expect(configureFonts()).toBe(conf);
    expect(writeFontConfig(undefined)).toBe(conf);
  });

  it('names the file after its content, so processes sharing tmp agree on it', () => {
    expect(conf).toMatch(/fonts-[0-9a-f]{16}\.conf$/);
  });

  // Without our configuration, each family below is unknown to fontconfig and Pango falls back to
  // DejaVu, drawing tofu boxes for CJK. Rendering the same text with the TTF registered directly
  // (sharp's `fontfile`) must then give different pixels; with it, the same pixels.
  it.each([
    ['noto-sans-jp', 'Noto Sans JP', '400Regular', 'ハイドレーション、洗練。'],
    ['noto-sans-sc', 'Noto Sans SC', '700Bold', '补水，更精致'],
    ['noto-sans-arabic', 'Noto Sans Arabic', '400Regular', 'ترطيب، بإتقان'],
    ['noto-sans', 'Noto Sans', '700Bold', 'УВЛАЖНЕНИЕ, УТОНЧЁННО'],
  ])('renders %s glyphs from the installed package', async (pkg, family, weight, text) => {
    const font = `${family}${weight === '700Bold' ? ' Bold' : ''} 32`;
    const viaConfig = await render(text, font);
    const viaFile = await render(text, font, ttf(pkg, weight));
    expect(viaConfig.length).toBeGreaterThan(0);
    expect(viaConfig.equals(viaFile)).toBe(true);
  });
});
