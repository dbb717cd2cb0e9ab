import type { OverlayOptions } from 'sharp';
import { fontDescription } from '../image/fonts.js';
import { loadSharp } from '../image/sharp.js';
import { clipText, escapeMarkup, renderText } from '../image/text.js';

export interface DiffPair {
  readonly cell: string;
  readonly approved: Uint8Array;
  readonly current: Uint8Array;
  readonly score: number;
}

const BOX = 320;
const PAD = 16;
const LABEL = 28;

/** One row per changed cell: approved image, new image, and the cell with its difference score. */
export async function drawDiffSheet(pairs: readonly DiffPair[]): Promise<Buffer> {
  const sharp = await loadSharp();
  const rowHeight = BOX + LABEL + PAD;
  const width = PAD * 3 + BOX * 2;
  const height = PAD + Math.max(1, pairs.length) * rowHeight;
  const layers: OverlayOptions[] = [];
  for (const [i, pair] of pairs.entries()) {
    const top = PAD + i * rowHeight;
    const fit = (bytes: Uint8Array) => sharp(bytes).resize(BOX, BOX, { fit: 'contain', background: '#e6e6e6' }).png().toBuffer();
    const [left, right] = await Promise.all([fit(pair.approved), fit(pair.current)]);
    layers.push({ input: left, left: PAD, top: top + LABEL }, { input: right, left: PAD * 2 + BOX, top: top + LABEL });
    const label = await renderText({ markup: `<span foreground="#1d1d1b">${escapeMarkup(`${pair.cell} · approved | new · difference ${pair.score.toFixed(3)}`)}</span>`, font: fontDescription(15), width: width - PAD * 2, align: 'left' });
    layers.push({ ...clipText(label, width - PAD * 2, LABEL), left: PAD, top: top + 4 });
  }
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toBuffer();
}
