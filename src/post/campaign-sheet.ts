import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';
import { canonicalJson, sha256Hex } from '../core/hash.js';
import type { AssetEntry, CampaignManifest, FailureEntry, SheetPage } from '../core/results.js';
import { type SheetTile, writeContactSheets } from './contact-sheet.js';

/** Bump when the contact sheet layout or drawing changes (4: locales wrapped into a laptop-sized grid, short rows packed; 5: pages encoded at zlib level 3). */
const SHEET_VERSION = 5;

const cellKey = (variant: string, locale: string, size: string) => `${variant}\u0000${locale}\u0000${size}`;

/**
 * The campaign's contact sheet pages for its current entries, redrawn only when what they show
 * changed (the recipe) or a page went missing (under --verify: or no longer hashes as written).
 */
export async function writeCampaignSheet(
  campaign: ResolvedCampaign,
  providerName: string,
  allCells: readonly Cell[],
  entries: { readonly assets: readonly AssetEntry[]; readonly failures: readonly FailureEntry[] },
  previous: CampaignManifest | undefined,
  outDir: string,
  verify = false,
): Promise<CampaignManifest['contactSheet']> {
  const locales = new Map(campaign.locales.map((l) => [l.tag, l]));
  const caption = (tag: string) => {
    const headline = locales.get(tag)?.strings['headline'];
    return typeof headline === 'string' ? headline : undefined;
  };
  const sizes = new Map(campaign.sizes.map((s) => [s.id, s]));
  const byCell = new Map<string, AssetEntry | FailureEntry>([...entries.assets, ...entries.failures].map((e) => [cellKey(e.variant, e.locale, e.size), e]));
  const tiles = allCells.flatMap((cell): (SheetTile & { sha256?: string })[] => {
    const e = byCell.get(cellKey(cell.variant.id, cell.locale.tag, cell.size.id));
    if (!e) return [];
    const size = sizes.get(e.size)!;
    const base = { variant: e.variant, locale: e.locale, size: e.size, width: size.width, height: size.height, caption: caption(e.locale), direction: locales.get(e.locale)?.direction };
    return 'error' in e ? [{ ...base, error: `${e.error.code}: ${e.error.message}` }] : [{ ...base, file: join(outDir, e.file), sha256: e.sha256 }];
  });
  const title = `${campaign.name} · ${providerName} · ${campaign.model}`;
  const languages = new Map(campaign.locales.map((l) => [l.tag, l.language]));
  const recipe = sha256Hex(canonicalJson({ v: SHEET_VERSION, title, languages: [...languages], tiles: tiles.map(({ file: _file, ...rest }) => rest) })).slice(0, 32);
  if (previous?.contactSheet?.recipe === recipe && (await allInPlace(outDir, previous.contactSheet.pages, verify))) return previous.contactSheet;
  const pages = await writeContactSheets(tiles, { title, outDir, languages });
  return { recipe, pages: pages.map((pg): SheetPage => ({ file: relative(outDir, pg.file).split(sep).join('/'), sha256: pg.sha256 })) };
}

async function allInPlace(outDir: string, pages: readonly SheetPage[], verify: boolean): Promise<boolean> {
  // Without --verify, one listing per folder says whether every page is there as a file.
  const listings = new Map<string, Promise<Set<string>>>();
  const listed = (file: string) => {
    const dir = dirname(join(outDir, file));
    let names = listings.get(dir);
    if (!names) listings.set(dir, (names = readdir(dir, { withFileTypes: true }).then((ds) => new Set(ds.filter((d) => d.isFile()).map((d) => d.name)))));
    return names.then((n) => n.has(basename(file)));
  };
  try {
    const same = await Promise.all(pages.map(async (pg) => (verify ? sha256Hex(await readFile(join(outDir, pg.file))) === pg.sha256 : listed(pg.file))));
    return pages.length > 0 && same.every(Boolean);
  } catch {
    return false;
  }
}
