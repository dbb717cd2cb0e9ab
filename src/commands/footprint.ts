import { join } from 'node:path';
import type { Footprint } from '../cache/replay.js';
import { entryFiles } from '../cache/store.js';
import { namedFiles } from '../core/named-files.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { FONTS_DIR, THUMBS_DIR } from '../post/out-folders.js';
import type { Settings } from './settings.js';

/** The files a command over these campaigns read and left, for keeping its outcome (cache/replay.ts). */
export function footprintOf(prepared: readonly PreparedCampaign[], settings: Pick<Settings, 'projectRoot' | 'outRoot' | 'cacheDir'>): Footprint {
  return {
    projectRoot: settings.projectRoot,
    named: prepared.flatMap((p) => namedFiles(p.campaign)),
    outRoot: settings.outRoot,
    outDirs: prepared.map((p) => join(settings.outRoot, p.campaign.name)),
    listedOnly: prepared.flatMap((p) => [THUMBS_DIR, FONTS_DIR].map((dir) => join(settings.outRoot, p.campaign.name, dir))),
    cacheDir: settings.cacheDir,
    cacheFiles: prepared.flatMap((p) => p.generations.flatMap((g) => [g.key, ...(g.extraImageKeys ?? [])]).map((key) => entryFiles(settings.cacheDir, key).meta)),
  };
}
