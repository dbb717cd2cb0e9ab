import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignsTouched, foldersToWatch } from '../../src/dev/folders.js';
import { createWatcher, isSourceFile, watchWithNode, type WatchFolder } from '../../src/dev/watch.js';
import { until } from '../helpers/dev.js';
import { tempDir } from '../helpers/tmp.js';

/** What pressroom dev rebuilds on: which files, gathered how, and from which folders. */

function fakeTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimer: (fn: () => void) => {
      const id = next++;
      pending.set(id, fn);
      return () => pending.delete(id);
    },
    fire: () => {
      const due = [...pending.values()];
      pending.clear();
      due.forEach((fn) => fn());
    },
    pending: () => pending.size,
  };
}

describe('the watcher', () => {
  it('hands on a burst of events once, after it settles, without the files no campaign reads', () => {
    const timers = fakeTimers();
    const listeners = new Map<string, (file: string | undefined) => void>();
    const watch: WatchFolder = (dir, _recursive, on) => (listeners.set(dir, on), () => listeners.delete(dir));
    const seen: string[][] = [];
    const watcher = createWatcher({ watch, setTimer: timers.setTimer, debounceMs: 30 }, (files) => seen.push([...files].sort()));
    watcher.watch([{ dir: '/p/campaigns', recursive: true }, { dir: '/p/templates', recursive: true }]);
    const campaigns = listeners.get('/p/campaigns')!;
    for (const name of ['a/.campaign.yaml.swp', 'a/campaign.yaml~', 'a/4913', 'a/.campaign.yaml.pressroom-tmp-1-abcdef012345', 'a/campaign.yaml', 'a/campaign.yaml', 'a/locales/de-DE.yaml', 'a/notes.txt']) campaigns(name);
    listeners.get('/p/templates')!('partials/brand.hbs');
    expect(seen).toEqual([]);
    // Each event restarts the wait: one timer pending, one hand-over.
    expect(timers.pending()).toBe(1);
    timers.fire();
    expect(seen).toEqual([['/p/campaigns/a/campaign.yaml', '/p/campaigns/a/locales/de-DE.yaml', '/p/templates/partials/brand.hbs']]);
    watcher.watch([{ dir: '/p/templates', recursive: true }]);
    expect([...listeners.keys()]).toEqual(['/p/templates']);
    watcher.close();
    expect(listeners.size).toBe(0);
  });

  it('knows the files campaigns read', () => {
    for (const f of ['campaign.yaml', 'locales/fr-FR.yml', 'poster.hbs', 'fonts/Brand.woff2', 'assets/logo.PNG', 'approved.lock', 'ref.webp']) expect(isSourceFile(f), f).toBe(true);
    for (const f of ['.git/HEAD', 'x.swp', '.x.yaml.swp', 'notes.md', 'campaign.yaml~', '4913', 'dir/.hidden/a.yaml']) expect(isSourceFile(f), f).toBe(false);
  });
});

describe('watching real folders', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-watch-')));
  afterEach(() => cleanup());

  it('sees a save by rename (a new inode), later saves of it, and files in a folder made after it started', async () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'campaign.yaml'), 'one');
    const heard: string[] = [];
    const stop = watchWithNode(dir, true, (file) => file && heard.push(file));
    try {
      writeFileSync(join(dir, 'a', '.campaign.yaml.swp'), 'two');
      renameSync(join(dir, 'a', '.campaign.yaml.swp'), join(dir, 'a', 'campaign.yaml'));
      await until(() => heard.includes(join('a', 'campaign.yaml')) || undefined, 'the renamed save', 10_000);
      heard.length = 0;
      writeFileSync(join(dir, 'a', 'campaign.yaml'), 'three');
      await until(() => heard.includes(join('a', 'campaign.yaml')) || undefined, 'a save in place after the rename', 10_000);
      mkdirSync(join(dir, 'a', 'locales'));
      await until(() => heard.includes(join('a', 'locales')) || undefined, 'the new folder', 10_000);
      writeFileSync(join(dir, 'a', 'locales', 'de-DE.yaml'), 'x');
      await until(() => heard.includes(join('a', 'locales', 'de-DE.yaml')) || undefined, 'a file in the new folder', 10_000);
      expect(heard).toContain(join('a', 'locales', 'de-DE.yaml'));
    } finally {
      stop();
    }
  });
});

describe('what to watch and what a change concerns', () => {
  it('watches campaigns/ and templates/, never out/ or the cache', async () => {
    const { dir, cleanup } = await tempDir('pressroom-folders-');
    try {
      for (const d of ['campaigns/a', 'templates/partials', 'out/a', '.pressroom/cache', 'fonts']) mkdirSync(join(dir, d), { recursive: true });
      const folders = foldersToWatch({ projectRoot: dir, campaignDirs: [], everyCampaign: true, campaigns: [], exclude: [join(dir, 'out'), join(dir, '.pressroom', 'cache')] });
      expect(folders).toEqual([
        { dir: join(dir, 'campaigns'), recursive: true },
        { dir: join(dir, 'templates'), recursive: true },
      ]);
      // Pointed at out/ itself or a folder in it, it still watches neither: what a rebuild writes must not start another.
      const pointedAtOut = foldersToWatch({ projectRoot: dir, campaignDirs: [join(dir, 'out'), join(dir, 'out', 'a')], everyCampaign: false, campaigns: [], exclude: [join(dir, 'out')] });
      expect(pointedAtOut).toEqual([{ dir: join(dir, 'templates'), recursive: true }]);
    } finally {
      await cleanup();
    }
  });

  it('rebuilds the campaign a file belongs to, and every campaign for a shared file', () => {
    const files = ['/p/campaigns/a/campaign.yaml', '/p/campaigns/b/campaign.yaml'];
    expect(campaignsTouched(['/p/campaigns/a/locales/de-DE.yaml'], files)).toEqual(['/p/campaigns/a/campaign.yaml']);
    expect(campaignsTouched(['/p/campaigns/b/campaign.yaml', '/p/campaigns/b/approved.lock'], files)).toEqual(['/p/campaigns/b/campaign.yaml']);
    expect(campaignsTouched(['/p/templates/poster.hbs'], files)).toEqual(files);
    expect(campaignsTouched(['/p/campaigns/ab/campaign.yaml'], files)).toEqual(files);
    // A folder of the campaign whose name starts with two dots belongs to it.
    expect(campaignsTouched(['/p/campaigns/a/..old/de-DE.yaml'], files)).toEqual(['/p/campaigns/a/campaign.yaml']);
  });
});
