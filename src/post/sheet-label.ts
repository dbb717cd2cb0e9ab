import { notoFonts } from '../compose/index.js';
import { renderLabel } from '../typeset/index.js';

/** One line of text in any script as a composite overlay at (left, top); `right` aligns its end there instead. */
export function labelOverlay(
  text: string,
  at: { readonly left: number; readonly top: number; readonly right?: number },
  style: { readonly locale?: string; readonly px: number; readonly colour: string; readonly maxWidth: number; readonly weight?: number; readonly direction?: 'ltr' | 'rtl' },
): { input: Buffer; raw: { width: number; height: number; channels: 4 }; left: number; top: number } {
  const label = renderLabel(text, style.locale ?? 'en', style.px, style.colour, style.maxWidth, notoFonts(), {
    ...(style.weight !== undefined ? { weight: style.weight } : {}),
    direction: style.direction ?? 'ltr',
  });
  const left = at.right !== undefined ? at.right - label.width : at.left;
  return { input: label.data, raw: { width: label.width, height: label.height, channels: 4 }, left: Math.max(0, Math.round(left)), top: at.top };
}
