import { createHash } from 'node:crypto';

/**
 * Cuts this process has made already: the raw pixels of a generated image cropped and scaled to a
 * delivery size, by the image's content and the cut's geometry. Every locale of a text-layered
 * sweep is drawn over the same cut of one background per size, so a long-running process
 * (`pressroom dev`) re-draws a copy edit over a kept cut instead of decoding the background again.
 * Off unless such a process turns it on (`keepCutsMade`): a one-shot build cuts each background
 * once per size anyway (derive.ts shares a cut among the targets that need it) and keeps nothing.
 * Bounded by bytes, least recently used out.
 */

/** Raw cuts kept at most: some ten 1080×1350 RGBA frames. */
const MAX_CUT_BYTES = 64 * 1024 * 1024;

export interface KeptCut {
  readonly data: Buffer;
  readonly info: { readonly width: number; readonly height: number; readonly channels: number };
  /** Whether the source had an alpha channel (an opaque background stays an opaque file). */
  readonly sourceAlpha: boolean;
}

const cuts = new Map<string, KeptCut>();
let cutBytes = 0;
let enabled = false;

/** For a process that delivers the same campaigns again and again: keep the cuts made. */
export function keepCutsMade(): void {
  enabled = true;
}

/** The source's identity for the memo, or undefined when nothing is kept (hashing a 5 MB image costs some 10 ms). */
export function sourceKey(source: Uint8Array): string | undefined {
  return enabled ? createHash('sha256').update(source).digest('hex') : undefined;
}

/** A copy of the kept cut (drawing writes into it), or undefined. */
export function keptCut(key: string): KeptCut | undefined {
  const hit = cuts.get(key);
  if (!hit) return undefined;
  cuts.delete(key);
  cuts.set(key, hit);
  return { ...hit, data: Buffer.from(hit.data) };
}

export function keepCut(key: string, cut: KeptCut): void {
  if (cut.data.length > MAX_CUT_BYTES || cuts.has(key)) return;
  cuts.set(key, { ...cut, data: Buffer.from(cut.data) });
  cutBytes += cut.data.length;
  for (const [k, old] of cuts) {
    if (cutBytes <= MAX_CUT_BYTES) break;
    cuts.delete(k);
    cutBytes -= old.data.length;
  }
}
