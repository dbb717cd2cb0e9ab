import { dirname, join } from 'node:path';
import { openCacheStore } from '../cache/store.js';
import type { MatrixFilter } from '../core/generation.js';
import { runDev, type DevDeps } from '../dev/start.js';
import type { DevCampaign, DevOutcome, DevPipeline } from '../dev/types.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { findCampaigns, resolveCampaignPath } from '../manifest/load.js';
import { APPROVALS_FILE, serialiseApprovals } from '../plan/approvals.js';
import { createOutGuard, trustedManifest } from '../post/out-paths.js';
import { keepCutsMade } from '../post/cut-memo.js';
import { keepSheetsDrawn } from '../post/sheet-memo.js';
import { readPreviousManifest } from '../report/manifest.js';
import { approveCommand, assembleCommand, buildCommand, planCommand, prepare, type BuildCommandResult } from './api.js';
import { pageFonts } from './finish.js';
import { outcome, outcomeOfError, type CommandOutcome } from './outcome.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import type { Settings, Writer } from './settings.js';

/**
 * `pressroom dev`: wiring only. The page drives the same functions as the CLI (build, assemble,
 * plan, approve), with the same Settings; src/dev/ serves and watches.
 */

export interface DevCommandOptions {
  readonly port?: number;
  readonly host?: string;
  readonly candidates?: number;
}

export interface DevCommandIO extends Pick<DevDeps, 'stop' | 'openUrl' | 'listening' | 'watch' | 'setTimer'> {
  /** Prints an outcome as `pressroom build` would (the CLI's own printer). */
  readonly show: (result: BuildCommandResult | CommandOutcome) => void;
}

export const DEFAULT_PORT = 4400;

/** The build's progress lines, said once per save by dev in its own line instead. */
const PROGRESS = [/^building \d+ campaign/, /^\d+\/\d+ generations done/, /^failed .*not in the cache/];

function withoutProgress(writer: Writer): Writer {
  let partial = '';
  return {
    write(text: string) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (!PROGRESS.some((re) => re.test(line))) writer.write(`${line}\n`);
      return true;
    },
  };
}

/** The dev run's own filter narrowed further (a cell, a row, a column), never widened. */
function narrow(base: MatrixFilter, more: MatrixFilter): MatrixFilter {
  const both = (a?: readonly string[], b?: readonly string[]) => (a && b ? b.filter((x) => a.includes(x)) : (b ?? a));
  const [variants, locales, sizes] = [both(base.variants, more.variants), both(base.locales, more.locales), both(base.sizes, more.sizes)];
  return { ...(variants ? { variants } : {}), ...(locales ? { locales } : {}), ...(sizes ? { sizes } : {}) };
}

export async function devCommand(settings: Settings, paths: readonly string[], options: DevCommandOptions, io: DevCommandIO): Promise<CommandOutcome> {
  let given: string[];
  try {
    given = paths.map((p) => resolveCampaignPath(p, settings.cwd));
  } catch (err) {
    return outcomeOfError(err, settings.cwd);
  }
  // A long-running process: contact sheet tiles and pages, and the cuts of each background, made once are kept, so a save redraws only what it changed.
  keepSheetsDrawn();
  keepCutsMade();
  const quiet: Settings = { ...settings, live: false, stderr: withoutProgress(settings.stderr) };
  const control = (c: { stop: AbortSignal; abort: AbortSignal }) => ({ stop: c.stop, abort: c.abort, ...(options.candidates !== undefined ? { candidates: options.candidates } : {}) });
  const preparedOf = new WeakMap<DevCampaign, PreparedCampaign>();
  // A save reads the campaign once: delivery takes what prepare just read.
  const latest = new Map<string, PreparedCampaign>();
  const cache = openCacheStore(settings.cacheDir);
  const failed = (err: unknown): DevOutcome => outcomeOfError(err, settings.cwd);

  const pipeline: DevPipeline = {
    campaignFiles: async () => (given.length > 0 ? given : findCampaigns(settings.projectRoot)),
    async prepare(file) {
      try {
        latest.delete(file);
        const [p] = await prepare(quiet, [file], false);
        if (!p) return outcome('ok');
        preparedOf.set(p, p);
        latest.set(file, p);
        return p;
      } catch (err) {
        return failed(err);
      }
    },
    deliver: (file, free, c) => {
      const p = latest.get(file);
      return (free ? buildCommand : assembleCommand)(quiet, [file], { ...control(c), ...(p ? { prepared: [p] } : {}) });
    },
    plan: (file, filter) => planCommand(filter ? { ...quiet, filter: narrow(settings.filter, filter) } : quiet, [file]),
    generate: (file, filter, maxCost, c) => buildCommand({ ...settings, live: false, filter: narrow(settings.filter, filter), maxCost }, [file], control(c)),
    approve: (file, choice) => approveCommand({ ...quiet, filter: narrow(settings.filter, choice.filter) }, [file], { cell: choice.cell, pick: choice.pick }),
    async unapprove(file, cells) {
      try {
        const [p] = await prepare(quiet, [file], false);
        const lock = p?.approvals;
        if (!p || !lock) return outcome('ok');
        const kept = Object.fromEntries(Object.entries(lock.cells).filter(([id]) => !cells.includes(id)));
        // Written as approve writes it; the rebuild that follows redraws the gallery's marks.
        await writeFileAtomic(join(p.campaign.dir, APPROVALS_FILE), serialiseApprovals({ campaign: lock.campaign, cells: kept }));
        return outcome('ok');
      } catch (err) {
        return failed(err);
      }
    },
    manifest: async (name) => trustedManifest(await readPreviousManifest(join(settings.outRoot, name)), name).manifest,
    fonts: (dc, manifest) => {
      const p = preparedOf.get(dc);
      const outDir = join(settings.outRoot, dc.campaign.name);
      return p ? pageFonts(p, manifest, createOutGuard(outDir)) : Promise.resolve({ faces: [], locales: new Map() });
    },
    readImage: async (key) => (await cache.read(key))?.bytes,
    show: (result) => io.show(result as BuildCommandResult | CommandOutcome),
    note: (text) => settings.stderr.write(`${text}\n`),
  };

  return runDev(
    pipeline,
    {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_PORT,
      portGiven: options.port !== undefined,
      ...(settings.maxCost !== undefined ? { maxCost: settings.maxCost } : {}),
      projectRoot: settings.projectRoot,
      outRoot: settings.outRoot,
      cacheDir: settings.cacheDir,
      campaignDirs: given.map((f) => dirname(f)),
      everyCampaign: given.length === 0,
    },
    { ...io, now: () => settings.clock.now() },
  ) as Promise<CommandOutcome>;
}
