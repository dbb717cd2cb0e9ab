import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../image/sharp.js';
import { labelOverlay } from './sheet-label.js';

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
    layers.push(labelOverlay(`${pair.cell} · approved | new · difference ${pair.score.toFixed(3)}`, { left: PAD, top: top + 4 }, { px: 15, colour: '#1d1d1b', maxWidth: width - PAD * 2 }));
  }
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toBuffer();
}
