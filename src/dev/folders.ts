import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { namedFiles } from '../core/named-files.js';
import { isBelow, relativeInside } from '../core/path-inside.js';
import type { DevCampaign } from './types.js';

/**
 * The folders `pressroom dev` watches: the campaign folders (all of campaigns/ when no path was
 * given, so a new campaign is seen), templates/ with its partials, and the project folder of every
 * other file a campaign reads (brand fonts, references, layer images). Never out/, the cache or
 * node_modules: what Pressroom writes must not start another rebuild.
 */
export interface WatchPlan {
  readonly projectRoot: string;
  /** Folders of the campaigns served. */
  readonly campaignDirs: readonly string[];
  /** No path was given: every campaign under campaigns/. */
  readonly everyCampaign: boolean;
  readonly campaigns: readonly DevCampaign[];
  /** Written by Pressroom: never watched. */
  readonly exclude: readonly string[];
}

export function foldersToWatch(plan: WatchPlan): { readonly dir: string; readonly recursive: boolean }[] {
  const root = plan.projectRoot;
  // A folder holding out/ or the cache is excluded only when watched recursively: watched alone
  // (the project folder, for a file named in it) it hears none of their writes.
  const excluded = (dir: string, recursive: boolean) => plan.exclude.some((x) => relativeInside(x, dir) !== undefined || (recursive && isBelow(dir, x))) || dir.split(sep).includes('node_modules');
  const folders = new Map<string, boolean>();
  const add = (dir: string, recursive: boolean) => {
    if (excluded(dir, recursive) || !existsSync(dir)) return;
    folders.set(dir, (folders.get(dir) ?? false) || recursive);
  };
  if (plan.everyCampaign) add(resolve(root, 'campaigns'), true);
  else for (const dir of plan.campaignDirs) add(dir, true);
  add(resolve(root, 'templates'), true);
  for (const dc of plan.campaigns) {
    add(dc.campaign.partialsDir, true);
    for (const file of namedFiles(dc.campaign)) {
      if (!isBelow(root, file)) continue;
      // The file's top folder in the project, so a font added beside it is seen too; a file in the
      // project folder itself: that folder alone, not everything below it.
      const top = relative(root, file).split(sep)[0]!;
      const dir = resolve(root, top);
      if (dir === file) add(dirname(file), false);
      else add(dir, true);
    }
  }
  // A folder inside another watched recursively is covered by it.
  const list = [...folders].map(([dir, recursive]) => ({ dir, recursive }));
  return list.filter((f) => !list.some((g) => g.recursive && g.dir !== f.dir && isBelow(g.dir, f.dir)));
}

/** The campaigns a change concerns: its own campaign's file for a change inside a campaign folder, else all of them. */
export function campaignsTouched(changed: readonly string[], campaignFiles: readonly string[]): readonly string[] {
  const byDir = campaignFiles.map((file) => ({ file, dir: dirname(file) }));
  const touched = new Set<string>();
  for (const path of changed) {
    const own = byDir.filter((c) => path === c.file || isBelow(c.dir, path));
    if (own.length === 0) return campaignFiles;
    for (const c of own) touched.add(c.file);
  }
  return campaignFiles.filter((f) => touched.has(f));
}
