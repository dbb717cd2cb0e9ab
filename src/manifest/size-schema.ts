import { z } from 'zod';
import type { DeliverySize, OutputFormat, OutputSettings } from '../core/campaign.js';
import type { SafeArea } from '../core/layers.js';
import { isMapping } from './issues.js';
import { presetOf, PRESET_IDS } from './presets.js';
import { finding, type Finding } from './source.js';
import { closest } from './suggest.js';

/**
 * What a delivery size may say beyond its pixels: a channel preset, its own format and quality, a
 * byte cap, the formats it takes and the bands its channel's app covers; and how a size resolves
 * (its own fields over its preset's over the campaign's).
 */

const expect = (what: string) => ({ error: what });
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp', 'avif'] as const;
const FORMAT_TEXT = `one of ${OUTPUT_FORMATS.join(', ')}`;
export const outputFormat = z.enum(OUTPUT_FORMATS, expect(FORMAT_TEXT));
const QUALITY_TEXT = 'integer 1-100';
export const quality = z.int(expect(QUALITY_TEXT)).min(1, expect(QUALITY_TEXT)).max(100, expect(QUALITY_TEXT));

/** `150KB` is 150,000 bytes (a platform's KB, read the strict way), `150KiB` 153,600; a bare number is bytes. */
const BYTES = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB)?\s*$/i;
const UNIT: Readonly<Record<string, number>> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };
const MIN_CAP = 1000;
const BYTES_TEXT = `a byte cap of at least ${MIN_CAP} bytes: a number of bytes, or a string like "150KB" (1 KB = 1000 bytes), "200KiB", "1.5MB"`;

export function parseBytes(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= MIN_CAP ? value : undefined;
  const m = BYTES.exec(value);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNIT[(m[2] ?? 'b').toLowerCase()]!);
  return bytes >= MIN_CAP ? bytes : undefined;
}

const byteCap = z.union([z.number(expect(BYTES_TEXT)), z.string(expect(BYTES_TEXT))]).refine((v) => parseBytes(v) !== undefined, expect(BYTES_TEXT));

const FRACTION = 'a fraction of the frame, 0 to 1';
const fraction = z.number(expect(FRACTION)).min(0, expect(FRACTION)).max(1, expect(FRACTION));
const safeAreaSchema = z.strictObject(
  {
    name: z.string(expect('a name (top, bottom, ...)')).min(1, expect('a name (top, bottom, ...)')).describe('What errors call the band: top, bottom, right, ...'),
    x: fraction.describe('Left edge of the band, as a fraction of the width.'),
    y: fraction.describe('Top edge of the band, as a fraction of the height.'),
    width: fraction.describe('Width of the band, as a fraction of the width.'),
    height: fraction.describe('Height of the band, as a fraction of the height.'),
    covers: z.string(expect('what covers the band, in words')).optional().describe('What the app draws there, in words (shown in errors).'),
  },
  expect('a mapping with name, x, y, width and height (fractions)'),
);

/** The fields a size adds to its id and pixels. */
export const sizeDeliveryShape = {
  preset: z.enum(PRESET_IDS as [string, ...string[]], expect('a built-in preset (docs/presets.md lists them)')).optional().describe('A built-in channel preset (meta-story, display-300x250, ...: docs/presets.md): pixels, formats, byte cap and unsafe bands; every field of the size overrides it.'),
  output: z
    .strictObject({ format: outputFormat.optional().describe(`File format of this size: ${OUTPUT_FORMATS.join(' | ')} (default: the campaign's, else its preset's first).`), quality: quality.optional().describe("Encoder quality 1-100 for this size (default: the campaign's); under maxBytes, the most it starts from.") }, expect('a mapping with format and quality'))
    .optional()
    .describe("This size's format and quality, over the campaign's output."),
  maxBytes: byteCap.optional().describe('Byte cap of each delivered file of this size ("150KB" = 150,000 bytes, or bytes): quality (PNG: palette) is lowered to fit, or the cell fails; never a larger file.'),
  formats: z.array(outputFormat, expect(`a non-empty list of formats (${OUTPUT_FORMATS.join(', ')})`)).min(1, expect('a non-empty list of formats')).optional().describe("The formats this size's channel takes (overrides its preset's); a size delivering another is refused."),
  safeAreas: z
    .union([z.literal(false, expect('false')), z.array(safeAreaSchema, expect('a list of bands'))])
    .optional()
    .describe("Bands of the frame the channel's app covers (overrides its preset's); no text, logo or button may enter one. false turns the check off."),
};

type SizeInput = { id: string; preset?: string | undefined; width?: number | undefined; height?: number | undefined; output?: { format?: OutputFormat | undefined; quality?: number | undefined } | undefined; maxBytes?: number | string | undefined; formats?: OutputFormat[] | undefined; safeAreas?: false | { name: string; x: number; y: number; width: number; height: number; covers?: string | undefined }[] | undefined };

/** The format a size delivers and where that choice was written. */
function formatOf(size: SizeInput, output: OutputSettings, campaignFormatWritten: boolean): { format: OutputFormat; from: string } {
  if (size.output?.format) return { format: size.output.format, from: 'its output.format' };
  if (campaignFormatWritten) return { format: output.format, from: "the campaign's output.format" };
  const formats = size.formats ?? (size.preset ? presetOf(size.preset)?.formats : undefined);
  if (formats) return { format: formats[0]!, from: 'the first format it takes' };
  return { format: output.format, from: 'the default' };
}

/** Sizes with their preset, output, byte cap and bands resolved. */
export function resolveSizes(sizes: readonly SizeInput[], output: OutputSettings, campaignFormatWritten: boolean): DeliverySize[] {
  return sizes.map((s) => {
    const preset = s.preset ? presetOf(s.preset) : undefined;
    const maxBytes = s.maxBytes !== undefined ? parseBytes(s.maxBytes) : preset?.maxBytes;
    const bands: readonly SafeArea[] = s.safeAreas === false ? [] : s.safeAreas ? s.safeAreas.map((a) => ({ ...a, covers: a.covers ?? 'the app' })) : (preset?.safeAreas ?? []);
    return {
      id: s.id,
      width: s.width ?? preset!.width,
      height: s.height ?? preset!.height,
      output: { format: formatOf(s, output, campaignFormatWritten).format, quality: s.output?.quality ?? output.quality },
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(s.preset ? { preset: s.preset } : {}),
      ...(bands.length > 0 ? { safeAreas: bands } : {}),
    };
  });
}

/** Pixels from somewhere, and a format the size's channel takes; on the raw data. */
export function checkSizes(data: Record<string, unknown>): Finding[] {
  if (!Array.isArray(data.sizes)) return [];
  const written = isMapping(data.output) && typeof data.output.format === 'string';
  const output = { format: (written ? (data.output as { format: OutputFormat }).format : 'png') as OutputFormat, quality: 90 };
  const findings: Finding[] = [];
  data.sizes.forEach((raw, i) => {
    if (!isMapping(raw) || typeof raw.id !== 'string') return;
    const size = raw as SizeInput;
    const preset = typeof size.preset === 'string' ? presetOf(size.preset) : undefined;
    if (!preset && typeof size.preset !== 'string') {
      // A side written under a misspelt key (`widht`) is reported as that, once.
      const misspelt = Object.keys(raw).map((k) => closest(k, ['width', 'height'])).filter((k) => k !== undefined && !(k in raw));
      for (const side of ['width', 'height'] as const) {
        if (raw[side] === undefined && !misspelt.includes(side)) findings.push(finding('E_SIZE', { kind: 'missing', field: side, expected: `integer 16-16384 pixels, or a preset that gives them` }, ['sizes', i, side]));
      }
    }
    const formats = Array.isArray(size.formats) ? size.formats : preset?.formats;
    if (!formats) return;
    const { format, from } = formatOf(size, output, written);
    if (formats.includes(format)) return;
    const path = size.output?.format ? ['sizes', i, 'output', 'format'] : written ? ['output', 'format'] : ['sizes', i];
    const by = Array.isArray(size.formats) ? 'its formats list' : `preset ${size.preset}`;
    findings.push(finding('E_PRESET', { kind: 'format', size: size.id, by, format, formats, from }, path));
  });
  return findings;
}
