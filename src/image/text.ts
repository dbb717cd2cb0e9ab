import { loadSharp } from './sharp.js';

/**
 * Text for Pango markup. User strings (headlines, prompts, error messages) may hold `<` or `&`,
 * which would otherwise be parsed as markup or make the whole render fail.
 */
export function escapeMarkup(text: string): string {
  return text
    // Control characters are not valid in the XML Pango parses; keep newlines and tabs.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** At most `max` characters (code points, so a surrogate pair is never cut), with an ellipsis if cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export interface TextBlock {
  /** Pango markup; escape user strings with `escapeMarkup`. */
  readonly markup: string;
  /** Pango font description (see `fontDescription`). */
  readonly font: string;
  /** Wrap width in pixels. */
  readonly width: number;
  readonly align: 'left' | 'centre' | 'right';
  /** Line height in points; 0 uses the font's. */
  readonly spacing?: number;
}

export interface RenderedText {
  /** Raw RGBA pixels, ready for `composite({ input, raw })`. */
  readonly input: Buffer;
  readonly raw: { readonly width: number; readonly height: number; readonly channels: 4 };
}

/**
 * Renders a block of text to raw RGBA (colours come from `<span foreground>` in the markup).
 * Pango aligns relative to the paragraph's direction, so for right-to-left text 'left' means the
 * start, which is the right edge: callers pass the visual alignment and we translate.
 */
export async function renderText(block: TextBlock, direction: 'ltr' | 'rtl' = 'ltr'): Promise<RenderedText> {
  const sharp = await loadSharp();
  const align = direction === 'rtl' ? flip(block.align) : block.align;
  // Pango takes each paragraph's direction from its first strong character; a mark pins it, so an
  // Arabic headline that starts with a Latin brand name still reads (and aligns) right to left.
  const mark = direction === 'rtl' ? '\u200F' : '\u200E';
  const { data, info } = await sharp({
    text: {
      text: mark + block.markup.replace(/\n/g, `\n${mark}`),
      font: block.font,
      width: Math.max(1, Math.round(block.width)),
      align,
      wrap: 'word-char',
      rgba: true,
      dpi: 72,
      ...(block.spacing ? { spacing: block.spacing } : {}),
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { input: data, raw: { width: info.width, height: info.height, channels: 4 } };
}

/** Composite overlays must fit inside their base image: text that runs long is cut at the edge. */
export function clipText(text: RenderedText, maxWidth: number, maxHeight: number): RenderedText {
  const { width, height } = text.raw;
  if (width <= maxWidth && height <= maxHeight) return text;
  const w = Math.max(1, Math.min(width, maxWidth));
  const h = Math.max(1, Math.min(height, maxHeight));
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) text.input.copy(out, y * w * 4, y * width * 4, y * width * 4 + w * 4);
  return { input: out, raw: { width: w, height: h, channels: 4 } };
}

function flip(align: TextBlock['align']): TextBlock['align'] {
  return align === 'left' ? 'right' : align === 'right' ? 'left' : align;
}
