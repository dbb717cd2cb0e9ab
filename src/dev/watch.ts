import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';

/**
 * The project files `pressroom dev` rebuilds on: campaign files, locale folders, templates and
 * partials, fonts, reference and layer images, approved.lock. Folders are watched, never single
 * files: an editor that saves by writing a temporary file and renaming it over the original
 * replaces the file's inode, which a watch on the file would lose. A burst of events (one save is
 * several) is gathered for `debounceMs` and handed on once.
 */

/** Starts watching `dir` (and, when `recursive`, every folder below it); returns its stop. */
export type WatchFolder = (dir: string, recursive: boolean, onEvent: (file: string | undefined) => void) => () => void;

export interface WatchDeps {
  readonly watch: WatchFolder;
  /** Returns its cancel; tests pass their own timers. */
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly debounceMs: number;
}

export interface Watcher {
  /** Watches exactly these folders from now on (new ones started, gone ones stopped). */
  watch(folders: readonly { readonly dir: string; readonly recursive: boolean }[]): void;
  close(): void;
}

const SOURCE_EXTENSIONS = new Set(['.yaml', '.yml', '.hbs', '.ttf', '.otf', '.woff', '.woff2', '.png', '.jpg', '.jpeg', '.webp', '.gif', '.avif', '.svg', '.lock']);

/**
 * Whether a changed path is a file a campaign may read: not hidden (`.x.swp`, Pressroom's own
 * `.x.pressroom-tmp-…` writes, `.git`), not an editor's backup (`x~`, vim's `4913` probe), and of a
 * kind campaigns read.
 */
export function isSourceFile(path: string): boolean {
  if (path.split(sep).some((segment) => segment.startsWith('.'))) return false;
  const name = basename(path);
  if (name.endsWith('~') || name === '4913') return false;
  return SOURCE_EXTENSIONS.has(extname(name).toLowerCase());
}

export function createWatcher(deps: WatchDeps, onChange: (files: readonly string[]) => void): Watcher {
  const active = new Map<string, () => void>();
  const pending = new Set<string>();
  let cancel: (() => void) | undefined;
  const fire = () => {
    cancel = undefined;
    const files = [...pending];
    pending.clear();
    if (files.length > 0) onChange(files);
  };
  const heard = (dir: string) => (file: string | undefined) => {
    // No name (some platforms, an overflowing queue): the folder changed, whatever is in it.
    const path = file === undefined ? dir : join(dir, file);
    if (file !== undefined && !isSourceFile(file)) return;
    pending.add(path);
    cancel?.();
    cancel = deps.setTimer(fire, deps.debounceMs);
  };
  return {
    watch(folders) {
      const wanted = new Map(folders.map((f) => [`${f.recursive ? 'r' : 'f'}:${f.dir}`, f]));
      for (const [id, stop] of active) {
        if (!wanted.has(id)) {
          stop();
          active.delete(id);
        }
      }
      for (const [id, f] of wanted) if (!active.has(id)) active.set(id, deps.watch(f.dir, f.recursive, heard(f.dir)));
    },
    close() {
      cancel?.();
      for (const stop of active.values()) stop();
      active.clear();
      pending.clear();
    },
  };
}

/**
 * node:fs.watch on a folder and, when `recursive`, on each folder below it, one watch per folder
 * (Node's own recursive mode on Linux loses a file that an editor replaced by a rename). A folder
 * created later is watched from its first event; hidden folders and node_modules never are. A
 * folder that cannot be watched (gone, too many watches) is left unwatched.
 */
export const watchWithNode: WatchFolder = (root, recursive, onEvent) => {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string): void => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: true }, (_event, name) => {
        if (name === null) return onEvent(relative(root, dir) || undefined);
        const path = join(dir, String(name));
        if (recursive && !watchers.has(path) && isFolder(path)) addTree(path);
        onEvent(relative(root, path));
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch {
      // Gone already, or out of watches: the rest still works.
    }
  };
  const addTree = (dir: string): void => {
    add(dir);
    if (!recursive) return;
    for (const entry of readdirSafe(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') addTree(join(dir, entry.name));
    }
  };
  addTree(root);
  return () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
};

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function readdirSafe(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
