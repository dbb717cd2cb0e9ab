import { randomBytes } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { createEventHub } from './events.js';
import { foldersToWatch } from './folders.js';
import { candidatePreview } from './preview.js';
import { startServer } from './server.js';
import { createSession } from './session.js';
import { createSpendBook } from './spend.js';
import type { DevOutcome, DevPipeline } from './types.js';
import { createWatcher, watchWithNode, type WatchFolder } from './watch.js';

/**
 * `pressroom dev` from start to Ctrl-C: the server, the watcher and the session wired together.
 * The first build starts at once; each save after it rebuilds what it touched.
 */

export interface DevOptions {
  readonly host: string;
  readonly port: number;
  readonly portGiven: boolean;
  readonly maxCost?: number;
  readonly projectRoot: string;
  readonly outRoot: string;
  readonly cacheDir: string;
  /** The campaign folders of the paths given; empty with `everyCampaign`. */
  readonly campaignDirs: readonly string[];
  readonly everyCampaign: boolean;
}

export interface DevDeps {
  /** Ctrl-C: the server, the watcher and any build in flight stop. */
  readonly stop: AbortSignal;
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly watch?: WatchFolder;
  /** --open: the page in the system's browser. */
  readonly openUrl?: (url: string) => void;
  /** Told the page's address once it is served (tests and the terminal). */
  readonly listening?: (url: string) => void;
}

/** A save is several file events: they are gathered this long, then built once. */
export const DEBOUNCE_MS = 30;
/** After Ctrl-C, how long a build in flight may take to unwind (its writes are atomic either way). */
export const UNWIND_MS = 700;

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** The names the page may be reached by: loopback, the address given, and every address of this machine when it listens on all. */
function hostNames(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [...LOOPBACK, host];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return [...LOOPBACK, hostname(), ...addresses];
}

export async function runDev(pipeline: DevPipeline, options: DevOptions, deps: DevDeps): Promise<DevOutcome> {
  const stop = new AbortController();
  const abort = new AbortController();
  const hub = createEventHub();
  const session = createSession({ pipeline, spend: createSpendBook(options.maxCost), control: { stop: stop.signal, abort: abort.signal }, now: deps.now, publish: (e, d) => hub.publish(e, d) });
  const server = await startServer({
    host: options.host,
    port: options.port,
    portGiven: options.portGiven,
    names: hostNames(options.host),
    token: randomBytes(24).toString('hex'),
    outRoot: options.outRoot,
    session,
    hub,
    preview: async (campaign, request) => {
      const dc = session.prepared(campaign);
      return dc ? candidatePreview(dc, await pipeline.manifest(campaign), request, (key) => pipeline.readImage(key)) : undefined;
    },
  });
  if ('problem' in server) return { status: 'invalid', exitCode: 2, errors: [server.problem] };

  const folders = () => foldersToWatch({ projectRoot: options.projectRoot, campaignDirs: options.campaignDirs, everyCampaign: options.everyCampaign, campaigns: session.preparedAll(), exclude: [options.outRoot, options.cacheDir] });
  const watcher = createWatcher({ watch: deps.watch ?? watchWithNode, setTimer: deps.setTimer, debounceMs: DEBOUNCE_MS }, (files) => {
    void session.refresh(files).then(() => !stop.signal.aborted && watcher.watch(folders()));
  });
  // Watching before the first build: an edit made while it runs is built next.
  watcher.watch(folders());
  pipeline.note(`pressroom dev: review page at ${server.url} (Ctrl-C to stop)`);
  deps.listening?.(server.url);
  if (deps.openUrl) deps.openUrl(server.url);
  void session.refresh().then(() => !stop.signal.aborted && watcher.watch(folders()));

  await new Promise<void>((resolve) => (deps.stop.aborted ? resolve() : deps.stop.addEventListener('abort', () => resolve(), { once: true })));
  // Ctrl-C: nothing new starts, what is in flight is cancelled (a paid task's id is in the
  // journal: a re-run resumes it rather than paying again), the page is told the server is gone.
  stop.abort();
  abort.abort();
  watcher.close();
  let cancelWait: (() => void) | undefined;
  await Promise.race([session.idle(), new Promise<void>((resolve) => (cancelWait = deps.setTimer(resolve, UNWIND_MS)))]);
  cancelWait?.();
  await server.close();
  return { status: 'interrupted', exitCode: 130, errors: [] };
}
