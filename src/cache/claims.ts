import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export { pidAlive } from '../fs/liveness.js';

/**
 * Cross-process claims on generation keys: before a build pays for a generation it takes the
 * key's claim, so two builds sharing a cache (two CI jobs, two terminals) never submit the same
 * generation twice. A claim is `<cacheDir>/claims/<key>.claim`, created complete and exclusively
 * (written to a temporary name, then hard-linked: link() fails if the name exists). While held,
 * a heartbeat refreshes its mtime; a claim whose holder is dead (same host: no such pid) or whose
 * heartbeat stopped (any host) may be taken over.
 */

export interface ClaimHolder {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock milliseconds. */
  readonly startedAt: number;
  readonly token: string;
  /** The provider task this holder started (remote claims): a taker resumes it instead of paying again. */
  readonly provider?: string;
  readonly taskId?: string;
}

export interface Claim {
  readonly holder: ClaimHolder;
  /** Whom this claim was taken over from (a dead or silent process), if anyone. */
  readonly tookOverFrom?: ClaimHolder;
  /**
   * Gives the claim up. `keepTask`: the job ended with its provider task still open (the journal
   * keeps it): a remote claim carrying the task id is left to go stale rather than deleted, so a
   * runner on another machine takes it over and resumes the task instead of paying again.
   */
  release(options?: { readonly keepTask?: boolean }): Promise<void>;
  /** Records the provider's task id in the claim, where another machine can read it (remote claims). */
  noteTask?(provider: string, taskId: string): Promise<void>;
}

export type ClaimAttempt =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  /** `unavailable`: the claim could not be taken or read (why); it may be another runner's, so wait. */
  | { readonly kind: 'held'; readonly holder?: ClaimHolder; readonly unavailable?: string };

export interface Claims {
  /** Takes the claim on `key` now, or says who holds it. Never waits. */
  tryClaim(key: string): Promise<ClaimAttempt>;
}

export interface ClaimDeps {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock milliseconds (claim files are compared across processes). */
  readonly now: () => number;
  /** Whether a process with this pid runs on this host. */
  readonly isAlive: (pid: number) => boolean;
  /** A claim whose heartbeat is older than this is abandoned, whoever holds it. */
  readonly staleMs: number;
}

export const DEFAULT_STALE_MS = 3 * 60_000;

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

export function openClaims(cacheDir: string, deps: ClaimDeps): Claims {
  const dir = join(cacheDir, 'claims');
  const pathOf = (key: string) => join(dir, `${key}.claim`);

  async function readHolder(path: string): Promise<{ holder?: ClaimHolder; mtimeMs: number } | undefined> {
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      let holder: ClaimHolder | undefined;
      try {
        holder = JSON.parse(text) as ClaimHolder;
      } catch {
        holder = undefined; // unreadable: judged by age alone
      }
      return { holder, mtimeMs: info.mtimeMs };
    } catch (err) {
      if (code(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  function abandoned(found: { holder?: ClaimHolder; mtimeMs: number }): boolean {
    if (deps.now() - found.mtimeMs > deps.staleMs) return true;
    const h = found.holder;
    return h !== undefined && h.host === deps.host && h.pid !== deps.pid && !deps.isAlive(h.pid);
  }

  async function writeTemp(holder: ClaimHolder): Promise<string> {
    const temp = join(dir, `.${holder.token}.tmp`);
    await writeFile(temp, JSON.stringify(holder));
    return temp;
  }

  /** Creates `path` holding `mine`, complete, unless it exists. False when it does. */
  async function createExclusive(path: string, mine: ClaimHolder): Promise<boolean> {
    const temp = await writeTemp(mine);
    try {
      await link(temp, path);
      return true;
    } catch (err) {
      if (code(err) === 'EEXIST') return false;
      if (!NO_HARD_LINKS.has(code(err) ?? '')) throw err;
    } finally {
      await rm(temp, { force: true });
    }
    // No hard links here (some network and FAT file systems): exclusive create, then write. A reader
    // that finds it still empty judges it by age alone, which the writer's heartbeat keeps fresh.
    try {
      await writeFile(path, JSON.stringify(mine), { flag: 'wx' });
      return true;
    } catch (err) {
      if (code(err) === 'EEXIST') return false;
      throw err;
    }
  }

  function held(key: string, holder: ClaimHolder, tookOverFrom?: ClaimHolder): Claim {
    const path = pathOf(key);
    // Three beats per stale period: one late beat never makes a live claim look abandoned.
    const beat = setInterval(() => {
      const t = new Date(deps.now());
      utimes(path, t, t).catch(() => undefined);
    }, Math.max(10, Math.floor(deps.staleMs / 3)));
    beat.unref();
    let released = false;
    return {
      holder,
      tookOverFrom,
      async release() {
        if (released) return;
        released = true;
        clearInterval(beat);
        // Only our own claim: one taken over from us (we were judged silent) is not ours to drop.
        const current = await readHolder(path);
        if (current?.holder?.token === holder.token) await rm(path, { force: true });
      },
    };
  }

  /**
   * Replaces the abandoned claim `stale` with ours. Takers race through an exclusive marker named
   * after the stale token: exactly one of them wins it, checks the claim still carries that token,
   * and renames its own claim over it. A marker outlives its taker only if that taker died within
   * these few milliseconds; past the stale age it is cleared.
   */
  async function takeOver(key: string, stale: { holder?: ClaimHolder; mtimeMs: number }, mine: ClaimHolder): Promise<Claim | undefined> {
    const path = pathOf(key);
    const marker = `${path}.takeover-${stale.holder?.token ?? Math.floor(stale.mtimeMs)}`;
    try {
      await (await open(marker, 'wx')).close();
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
      const info = await stat(marker).catch(() => undefined);
      if (info && deps.now() - info.mtimeMs > deps.staleMs) await rm(marker, { force: true });
      return undefined;
    }
    try {
      const current = await readHolder(path);
      if (!current || current.holder?.token !== stale.holder?.token || current.mtimeMs !== stale.mtimeMs) return undefined;
      await rename(await writeTemp(mine), path);
      return held(key, mine, stale.holder);
    } finally {
      await rm(marker, { force: true });
    }
  }

  return {
    async tryClaim(key) {
      await mkdir(dir, { recursive: true });
      const mine: ClaimHolder = { pid: deps.pid, host: deps.host, startedAt: deps.now(), token: randomBytes(8).toString('hex') };
      if (await createExclusive(pathOf(key), mine)) return { kind: 'claimed', claim: held(key, mine) };
      const found = await readHolder(pathOf(key));
      if (!found) return { kind: 'held' }; // released just now: the caller asks again
      if (!abandoned(found)) return { kind: 'held', holder: found.holder };
      const claim = await takeOver(key, found, mine);
      return claim ? { kind: 'claimed', claim } : { kind: 'held', holder: found.holder };
    },
  };
}
