import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeOutputFile } from '../../fs/write-error.js';
import { MANIFEST_FILE } from '../manifest.js';
import { type CampaignGallery, type CampaignLink, renderCampaignGallery, renderIndexGallery } from './html.js';

export const GALLERY_FILE = 'index.html';

/** Writes `text` unless the same bytes are there: a cached rebuild leaves the page untouched. */
async function writeIfChanged(file: string, text: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeOutputFile(file, text);
}

/** out/<campaign>/index.html. */
export async function writeCampaignGallery(outDir: string, gallery: CampaignGallery): Promise<string> {
  const file = join(outDir, GALLERY_FILE);
  await writeIfChanged(file, renderCampaignGallery(gallery));
  return file;
}

/** Thumbnails shown per campaign on out/index.html. */
const PREVIEWS = 6;

/** One asset per size first, then one per locale not yet shown, in matrix order: the campaign at a glance. */
export function previewAssets<T extends { readonly locale: string; readonly size: string }>(assets: readonly T[], max = PREVIEWS): T[] {
  const chosen = new Set<number>();
  const pick = (key: (a: T) => string) => {
    const seen = new Set([...chosen].map((i) => key(assets[i]!)));
    assets.forEach((a, i) => {
      if (chosen.size < max && !seen.has(key(a))) {
        seen.add(key(a));
        chosen.add(i);
      }
    });
  };
  pick((a) => a.size);
  pick((a) => a.locale);
  return [...chosen].sort((a, b) => a - b).map((i) => assets[i]!);
}

/** What out/index.html shows of a campaign, as its manifest says it: previews by sha256 (`thumbOf` names their files). */
interface CampaignSummary extends Omit<CampaignLink, 'previews'> {
  readonly previews: readonly { readonly sha256: string; readonly label: string }[];
}

function summaryOf(value: unknown, folder: string): CampaignSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m['campaign'] !== folder || !Array.isArray(m['assets']) || !Array.isArray(m['failures'])) return undefined;
  // Read loosely: a manifest is a file anyone can edit.
  const assets = (m['assets'] as unknown[]).flatMap((a) => {
    const r = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
    const [locale, size, variant, sha256] = [r['locale'], r['size'], r['variant'], r['sha256']];
    if (typeof locale !== 'string' || typeof size !== 'string' || typeof variant !== 'string' || typeof sha256 !== 'string') return [];
    return [{ locale, size, sha256, label: `${variant} · ${locale} · ${size}` }];
  });
  return {
    campaign: folder,
    provider: String(m['provider'] ?? ''),
    model: String(m['model'] ?? ''),
    assets: m['assets'].length,
    failures: m['failures'].length,
    ...(typeof m['totalCost'] === 'number' ? { totalCost: m['totalCost'] } : {}),
    previews: previewAssets(assets).map(({ sha256, label }) => ({ sha256, label })),
  };
}

/** A memo's value is checked before use: it is a file in the cache folder, best effort. */
function isSummary(v: unknown, folder: string): v is CampaignSummary {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    s['campaign'] === folder &&
    typeof s['provider'] === 'string' &&
    typeof s['model'] === 'string' &&
    typeof s['assets'] === 'number' &&
    typeof s['failures'] === 'number' &&
    (s['totalCost'] === undefined || typeof s['totalCost'] === 'number') &&
    Array.isArray(s['previews']) &&
    (s['previews'] as unknown[]).every((p) => typeof (p as { sha256?: unknown })?.sha256 === 'string' && typeof (p as { label?: unknown }).label === 'string')
  );
}

/** Summaries kept between builds (cache/memo-file.ts), keyed by the manifest's stat. */
export interface SummaryMemo {
  get(key: string): unknown;
  put(key: string, value: unknown): void;
}

/** Bumped when summaryOf changes what it keeps, so an older memo is not read as this one's. */
const SUMMARY_VERSION = 1;

/**
 * One campaign folder's summary: undefined when it has no gallery page or no manifest of its own.
 * A manifest is parsed only when its stat is not in the memo: out/index.html is written by every
 * build, and parsing each campaign's manifest again was most of a no-op's finish at 50 campaigns.
 */
async function campaignSummary(outRoot: string, folder: string, memo: SummaryMemo | undefined): Promise<CampaignSummary | undefined> {
  const [page, manifest] = await Promise.all([GALLERY_FILE, MANIFEST_FILE].map((name) => stat(join(outRoot, folder, name)).catch(() => undefined)));
  if (!page?.isFile() || !manifest?.isFile()) return undefined;
  const key = `${SUMMARY_VERSION}\0${folder}\0${manifest.ino}:${manifest.size}:${manifest.mtimeMs}:${manifest.ctimeMs}`;
  const kept = memo?.get(key);
  if (isSummary(kept, folder)) return kept;
  const parsed = await readFile(join(outRoot, folder, MANIFEST_FILE), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
  const summary = summaryOf(parsed, folder);
  if (summary) memo?.put(key, summary);
  return summary;
}

/**
 * out/index.html across every campaign folder of out/ that has a gallery, whichever build made it
 * (a build of one campaign keeps the others listed). Read from each folder's manifest.json, with a
 * few of its thumbnails (`thumbOf`: a delivered file's sha256 -> its thumbnail, relative to the
 * campaign folder; post names them); one that is not in place is left out.
 */
export async function writeIndexGallery(outRoot: string, thumbOf: (sha256: string) => string, memo?: SummaryMemo): Promise<string> {
  const folders = await readdir(outRoot, { withFileTypes: true }).catch(() => []);
  const isFile = (rel: string) => stat(join(outRoot, rel)).then((s) => s.isFile(), () => false);
  const names = folders.filter((d) => d.isDirectory()).map((d) => d.name).sort();
  // One at a time: a memo that misses for every campaign parses their manifests, each as large as its matrix.
  const summaries: (CampaignSummary | undefined)[] = [];
  for (const f of names) summaries.push(await campaignSummary(outRoot, f, memo));
  const links = await Promise.all(
    summaries.flatMap((s) => (s ? [s] : [])).map(async ({ previews, ...s }): Promise<CampaignLink> => {
      const shown = previews.map((p) => ({ thumb: `${s.campaign}/${thumbOf(p.sha256)}`, label: p.label }));
      const present = await Promise.all(shown.map((p) => isFile(p.thumb)));
      return { ...s, previews: shown.filter((_, i) => present[i]) };
    }),
  );
  const file = join(outRoot, GALLERY_FILE);
  await writeIfChanged(file, renderIndexGallery(links));
  return file;
}
