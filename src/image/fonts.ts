import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PressroomError } from '../core/errors.js';
import { writeFileAtomicSync } from '../fs/atomic.js';

/**
 * The machine may have only DejaVu (no CJK, no proper Arabic shaping), so the glyphs come from the
 * Noto packages `npm install` brought, and fontconfig is pointed at them through a generated file.
 */
interface FontPackage {
  readonly pkg: string;
  readonly family: string;
  /** Only the weights we render, so fontconfig's first scan stays short (the CJK files are 5-10 MB each). */
  readonly weights: readonly string[];
}

const WEIGHTS = ['400Regular', '700Bold'] as const;

const PACKAGES: readonly FontPackage[] = [
  { pkg: '@expo-google-fonts/noto-sans', family: 'Noto Sans', weights: WEIGHTS },
  { pkg: '@expo-google-fonts/noto-sans-jp', family: 'Noto Sans JP', weights: WEIGHTS },
  { pkg: '@expo-google-fonts/noto-sans-sc', family: 'Noto Sans SC', weights: WEIGHTS },
  { pkg: '@expo-google-fonts/noto-sans-arabic', family: 'Noto Sans Arabic', weights: WEIGHTS },
];

/**
 * Pango tries these in order for each character. Noto Sans covers Latin, Cyrillic and Greek; the
 * Arabic face comes before DejaVu, whose partial Arabic would otherwise win. DejaVu is the last resort.
 */
export const FONT_FAMILIES: readonly string[] = ['Noto Sans', 'Noto Sans JP', 'Noto Sans SC', 'Noto Sans Arabic', 'DejaVu Sans'];

/**
 * Family list for text in `locale`: Chinese and Japanese share code points but not glyph shapes,
 * so Chinese text asks for the SC face first.
 */
export function fontFamiliesFor(locale?: string): readonly string[] {
  const lang = locale?.toLowerCase().split(/[-_]/)[0];
  if (lang !== 'zh') return FONT_FAMILIES;
  return ['Noto Sans', 'Noto Sans SC', 'Noto Sans JP', 'Noto Sans Arabic', 'DejaVu Sans'];
}

/** A Pango font description: `Noto Sans, Noto Sans JP, ... Bold 48`. Sizes are points (pixels at 72 dpi). */
export function fontDescription(size: number, options: { bold?: boolean; locale?: string } = {}): string {
  return `${fontFamiliesFor(options.locale).join(', ')}${options.bold ? ' Bold' : ''} ${Math.round(size)}`;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The fontconfig file: our font folders, then the configuration that was in force before (system fonts). */
export function fontConfigXml(fontDirs: readonly string[], cacheDir: string, systemConf: string | undefined): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    // Listed before the system include so fontconfig writes its cache here, somewhere writable.
    `  <cachedir>${xmlText(cacheDir)}</cachedir>`,
    ...fontDirs.map((dir) => `  <dir>${xmlText(dir)}</dir>`),
    ...(systemConf ? [`  <include ignore_missing="yes">${xmlText(systemConf)}</include>`] : []),
    '</fontconfig>',
    '',
  ].join('\n');
}

/** Folders holding the TTF files we use, resolved from wherever npm put the packages. */
export function fontDirs(): string[] {
  const require = createRequire(import.meta.url);
  return PACKAGES.flatMap(({ pkg, weights }) => {
    const root = dirname(require.resolve(`${pkg}/package.json`));
    return weights.map((weight) => join(root, weight));
  });
}

let confPath: string | undefined;

/**
 * Writes the fontconfig file (named by a hash of its content, so concurrent processes agree on it)
 * that lists our font folders over `inherited` (the user's FONTCONFIG_FILE, else the system's).
 * Returns its path; the entry point (src/cli/fonts.ts) points FONTCONFIG_FILE at it once, before
 * the first text render, because libvips reads fontconfig once. Synchronous and idempotent.
 * Throws PressroomError `E_FONTS` when a font package is missing or the file cannot be written.
 */
export function writeFontConfig(inherited: string | undefined): string {
  if (confPath) return confPath;
  const base = join(tmpdir(), 'pressroom-fontconfig');
  // Keep whatever configuration the user had (or the system's) for every other font.
  const systemConf = inherited && !inherited.startsWith(base) ? inherited : '/etc/fonts/fonts.conf';
  let path: string;
  try {
    const xml = fontConfigXml(fontDirs(), join(base, 'cache'), systemConf);
    const hash = createHash('sha256').update(xml).digest('hex').slice(0, 16);
    path = join(base, `fonts-${hash}.conf`);
    if (!existsSync(path)) writeFileAtomicSync(path, xml);
  } catch (err) {
    throw new PressroomError('E_FONTS', `cannot set up the fonts for text in images: ${(err as Error).message}`, { cause: err });
  }
  confPath = path;
  return path;
}
