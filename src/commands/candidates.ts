import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Generation } from '../core/generation.js';
import type { ImageOutcome } from '../core/results.js';
import { writeOutputFile } from '../fs/write-error.js';
import { loadSharp } from '../image/sharp.js';
import { approvalCellId } from '../plan/approvals.js';
import { candidateGenerations } from '../plan/candidates.js';
import type { GalleryShot } from '../report/gallery/html.js';

const CANDIDATES_DIR = 'candidates';

/**
 * Candidates 1..n-1 of every generation of a campaign (candidate 0 is what the build delivered),
 * each obtained like any generation (cache first, paid once), written once per image as a WebP
 * under out/<campaign>/candidates/ with a thumbnail, and returned as extra gallery shots per cell.
 */
export async function buildCandidates(
  generations: readonly Generation[],
  n: number,
  outDir: string,
  obtain: (gen: Generation) => Promise<ImageOutcome>,
  note: (message: string) => void,
): Promise<Map<string, GalleryShot[]>> {
  const shots = new Map<string, GalleryShot[]>();
  for (let k = 1; k < n; k++) {
    const outcomes = await Promise.all(candidateGenerations(generations, k).map(async (gen) => ({ gen, outcome: await obtain(gen) })));
    for (const { gen, outcome } of outcomes) {
      if (outcome.kind === 'failed') {
        note(`candidate ${k} of ${gen.request.label.variant} · ${gen.request.label.locale}: ${outcome.failure.code} ${outcome.failure.message}`);
        continue;
      }
      const stem = `${CANDIDATES_DIR}/${gen.key.slice(0, 32)}`;
      const file = `${stem}.webp`;
      const thumb = `${stem}-thumb.webp`;
      if (!(await stat(join(outDir, thumb)).then(() => true, () => false))) {
        const sharp = await loadSharp();
        await writeOutputFile(join(outDir, file), await sharp(outcome.bytes).webp({ quality: 85 }).toBuffer());
        await writeOutputFile(join(outDir, thumb), await sharp(outcome.bytes).resize(360, 360, { fit: 'inside' }).webp({ quality: 72 }).toBuffer());
      }
      for (const cell of gen.cells) {
        const id = approvalCellId({ variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id });
        shots.set(id, [...(shots.get(id) ?? []), { file, thumb, label: `candidate ${k}` }]);
      }
    }
  }
  return shots;
}
