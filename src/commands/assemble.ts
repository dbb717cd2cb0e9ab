import { rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { canonicalJson, sha256Hex } from '../cache/key.js';
import { type SheetTile, writeContactSheets } from '../post/contact-sheet.js';
import { type AssetEntry, type CampaignManifest, type FailureEntry, type SheetPage, writeManifest } from '../report/manifest.js';
import type { GenerationResult } from './build.js';
import type { PreparedCampaign } from './prepare.js';

export interface CampaignResult {
  readonly name: string;
  readonly assets: number;
  readonly generated: number;
  readonly cached: number;
  readonly failed: number;
  readonly manifest: string;
  readonly failures: readonly FailureEntry[];
  /** Generations resubmitted after a lost submit answer on a provider without client ids. */
  readonly possibleDuplicates: number;
  readonly cost: number;
}

/** Bump when the contact sheet layout changes. */
const SHEET_VERSION = 1;

const cellId = (c: { variant: string | { id: string }; locale: string | { tag: string }; size: string | { id: string } }) =>
  [typeof c.variant === 'string' ? c.variant : c.variant.id, typeof c.locale === 'string' ? c.locale : c.locale.tag, typeof c.size === 'string' ? c.size : c.size.id].join('\u0000');

/**
 * report: one campaign's manifest and contact sheet from its generation results. Cells outside a
 * --variant/--locale/--size filter keep their previous entries; files no entry refers to any more
 * (a removed size, a changed format) are deleted.
 */
export async function assembleCampaign(
  p: PreparedCampaign,
  results: readonly GenerationResult[],
  previous: CampaignManifest | undefined,
  outDir: string,
): Promise<CampaignResult> {
  const fresh = new Map<string, AssetEntry | FailureEntry>();
  for (const r of results) for (const e of [...r.entries, ...r.failures]) fresh.set(cellId(e), e);
  const old = new Map<string, AssetEntry>((previous?.assets ?? []).map((a) => [cellId(a), a]));

  const assets: AssetEntry[] = [];
  const failures: FailureEntry[] = [];
  for (const cell of p.allCells) {
    const id = cellId(cell);
    const entry = fresh.get(id) ?? old.get(id);
    if (!entry) continue;
    if ('error' in entry) failures.push(entry);
    else assets.push(entry);
  }

  const kept = new Set(assets.map((a) => a.file));
  await Promise.all((previous?.assets ?? []).filter((a) => !kept.has(a.file)).map((a) => rm(join(outDir, a.file), { force: true })));

  const contactSheet = await sheets(p, assets, failures, previous, outDir);
  const generationCosts = new Map<string, number>();
  for (const a of assets) if (a.cost !== undefined) generationCosts.set(a.generation.key, a.cost);
  const totalCost = round([...generationCosts.values()].reduce((s, c) => s + c, 0));
  const manifest: CampaignManifest = {
    campaign: p.campaign.name,
    provider: p.provider.name,
    model: p.campaign.model,
    assets,
    failures,
    contactSheet,
    ...(generationCosts.size > 0 ? { totalCost } : {}),
  };
  const manifestFile = await writeManifest(outDir, manifest);

  const count = (kind: GenerationResult['kind']) => results.filter((r) => r.kind === kind).reduce((n, r) => n + r.entries.length, 0);
  const newCost = results.filter((r) => r.kind === 'generated').reduce((s, r) => s + (r.entries[0]?.cost ?? 0), 0);
  return {
    name: p.campaign.name,
    assets: assets.length,
    generated: count('generated'),
    cached: count('cached') + count('in-place'),
    failed: failures.length,
    manifest: manifestFile,
    failures,
    possibleDuplicates: results.filter((r) => r.possibleDuplicate).length,
    cost: round(newCost),
  };
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

async function sheets(
  p: PreparedCampaign,
  assets: readonly AssetEntry[],
  failures: readonly FailureEntry[],
  previous: CampaignManifest | undefined,
  outDir: string,
) {
  const locales = new Map(p.campaign.locales.map((l) => [l.tag, l]));
  const caption = (tag: string) => {
    const headline = locales.get(tag)?.strings['headline'];
    return typeof headline === 'string' ? headline : undefined;
  };
  const sizes = new Map(p.campaign.sizes.map((s) => [s.id, s]));
  const byCell = new Map<string, AssetEntry | FailureEntry>([...assets, ...failures].map((e) => [cellId(e), e]));
  const tiles = p.allCells.flatMap((cell): (SheetTile & { sha256?: string })[] => {
    const e = byCell.get(cellId(cell));
    if (!e) return [];
    const size = sizes.get(e.size)!;
    const base = { variant: e.variant, locale: e.locale, size: e.size, width: size.width, height: size.height, caption: caption(e.locale), direction: locales.get(e.locale)?.direction };
    return 'error' in e ? [{ ...base, error: `${e.error.code}: ${e.error.message}` }] : [{ ...base, file: join(outDir, e.file), sha256: e.sha256 }];
  });
  const title = `${p.campaign.name} · ${p.provider.name} · ${p.campaign.model}`;
  const recipe = sha256Hex(canonicalJson({ v: SHEET_VERSION, title, tiles: tiles.map(({ file: _file, ...rest }) => rest) })).slice(0, 32);
  if (previous?.contactSheet?.recipe === recipe && (await allExist(outDir, previous.contactSheet.pages))) return previous.contactSheet;
  const pages = await writeContactSheets(
    tiles.map(({ sha256: _sha, ...tile }) => tile),
    { title, outDir },
  );
  return { recipe, pages: pages.map((pg): SheetPage => ({ file: relative(outDir, pg.file).split(sep).join('/'), sha256: pg.sha256 })) };
}

async function allExist(outDir: string, pages: readonly SheetPage[]): Promise<boolean> {
  try {
    await Promise.all(pages.map((pg) => stat(join(outDir, pg.file))));
    return pages.length > 0;
  } catch {
    return false;
  }
}
