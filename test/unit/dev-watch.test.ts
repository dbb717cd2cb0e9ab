import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignsTouched, foldersToWatch } from '../../src/dev/folders.js';
import type { DevCampaign } from '../../src/dev/types.js';
import { loadCampaign } from '../../src/manifest/load.js';
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

  it('watches the folders of the brand fonts, layer images and references a campaign names, never out/, the cache or node_modules', async () => {
    const { dir, cleanup } = await tempDir('pressroom-folders-');
    try {
      const FONT = join(import.meta.dirname, '..', 'fixtures', 'typeset', 'NotoSansHebrew-subset-700.woff2');
      const PNG = join(import.meta.dirname, '..', 'fixtures', 'valid', 'inline', 'assets', 'swatch.png');
      const SVG = join(import.meta.dirname, '..', 'fixtures', 'ship-kit', 'campaigns', 'ship-kit', 'brand', 'logo.svg');
      const put = (from: string, to: string) => (mkdirSync(dirname(join(dir, to)), { recursive: true }), copyFileSync(from, join(dir, to)));
      for (const d of ['campaigns/a', 'templates']) mkdirSync(join(dir, d), { recursive: true });
      put(FONT, 'brand/fonts/Brand.woff2');
      put(SVG, 'brand/logo.svg');
      put(PNG, 'refs/product/swatch.png');
      put(SVG, 'badge.svg');
      // Files a campaign may name but Pressroom writes (out/, a cache set by --cache-dir) or npm installs: never watched.
      put(PNG, 'out/a/ref.png');
      put(SVG, 'work/cache/stamp.svg');
      put(FONT, 'node_modules/brand-font/Hebr.woff2');
      writeFileSync(join(dir, 'templates', 'poster.hbs'), 'An advertising photograph, {{scene}}.\n');
      writeFileSync(
        join(dir, 'campaigns', 'a', 'campaign.yaml'),
        `template: poster
references: [../../refs/product/swatch.png, ../../out/a/ref.png]
variants: [{ id: hero, scene: "on an oak desk" }]
locales:
  en-US: { headline: "Light that follows your day" }
text:
  fonts: { default: ../../brand/fonts/Brand.woff2, Hebr: ../../node_modules/brand-font/Hebr.woff2 }
layers:
  - { image: ../../brand/logo.svg, id: logo, box: { x: 0.1, y: 0.05, width: 0.3, height: 0.1 } }
  - { image: ../../badge.svg, id: badge, box: { x: 0.7, y: 0.05, width: 0.2, height: 0.1 } }
  - { image: ../../work/cache/stamp.svg, id: stamp, box: { x: 0.7, y: 0.8, width: 0.2, height: 0.1 } }
  - { field: headline, box: { x: 0.1, y: 0.3, width: 0.8, height: 0.2 } }
sizes:
  - { id: portrait, width: 480, height: 600 }
`,
      );
      const campaign = await loadCampaign(join(dir, 'campaigns', 'a'), { projectRoot: dir });
      const dc: DevCampaign = { campaign, provider: { name: 'local' }, cells: [], generations: [] };
      const folders = foldersToWatch({ projectRoot: dir, campaignDirs: [join(dir, 'campaigns', 'a')], everyCampaign: false, campaigns: [dc], exclude: [join(dir, 'out'), join(dir, 'work', 'cache')] });
      const byDir = <T extends { readonly dir: string }>(list: readonly T[]) => [...list].sort((x, y) => x.dir.localeCompare(y.dir));
      expect(byDir(folders)).toEqual(
        byDir([
          { dir: join(dir, 'campaigns', 'a'), recursive: true },
          { dir: join(dir, 'templates'), recursive: true },
          // The top folder of each named file, so a font added beside it is seen too.
          { dir: join(dir, 'brand'), recursive: true },
          { dir: join(dir, 'refs'), recursive: true },
          // A file in the project folder itself: that folder alone, not out/ and the cache below it;
          // work/ holds the cache: not watched, though a campaign names a file in it.
          { dir, recursive: false },
        ]),
      );
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
