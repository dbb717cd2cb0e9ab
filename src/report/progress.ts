import type { FailureEntry, GenerationKind, JobFailure } from '../core/results.js';
import { withIds } from './summary.js';

export interface BuildReporter {
  start(totals: { readonly campaigns: number; readonly generations: number; readonly assets: number }): void;
  generationDone(event: {
    readonly campaign: string;
    readonly kind: GenerationKind;
    readonly cells: number;
    /** The failed cells ("hero · de-DE · square"), grouped by failure: cells of one generation can fail apart (a file each). */
    readonly failed: readonly { readonly labels: readonly string[]; readonly failure: JobFailure }[];
    /** USD billed for this generation, when it was generated and the provider said. */
    readonly cost?: number;
  }): void;
  /** A milestone worth a line (stopping, resuming, possible duplicate charge). */
  note(message: string): void;
  finish(): void;
}

/** Failed cells with the same failure together, in order: one line each. */
export function failureGroups(failures: readonly FailureEntry[]): { labels: string[]; failure: JobFailure }[] {
  const groups = new Map<string, { labels: string[]; failure: JobFailure }>();
  for (const f of failures) {
    const key = JSON.stringify(f.error);
    const group = groups.get(key) ?? { labels: [] as string[], failure: f.error };
    group.labels.push(`${f.variant} · ${f.locale} · ${f.size}`);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export const silentReporter: BuildReporter = { start() {}, generationDone() {}, note() {}, finish() {} };

export interface ReporterStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * A live bar on a terminal; plain milestone lines and one line per failure in CI or a pipe.
 * Everything goes to stderr: stdout carries only the product (`--json`).
 */
export function createReporter(stream: ReporterStream, options: { live: boolean; color: boolean; now?: () => number }): BuildReporter {
  const now = options.now ?? Date.now;
  let started = 0;
  let spent = 0;
  let total = 0;
  let done = 0;
  let failed = 0;
  let generated = 0;
  let lastMilestone = 0;
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const clearLine = () => options.live && stream.write('\r\u001b[2K');
  const bar = () => {
    if (!options.live) return;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r\u001b[2K${paint('36', '█'.repeat(filled))}${'░'.repeat(width - filled)} ${done}/${total} generations · ${generated} new · ${failed} failed${spend()}${eta()}`);
  };
  const spend = () => (spent > 0 ? ` · $${spent.toFixed(3)} spent` : '');
  // From the pace so far: shown once a generation has finished, hidden at the end.
  const eta = () => {
    if (done === 0 || done >= total) return '';
    const seconds = Math.round((((now() - started) / done) * (total - done)) / 1000);
    return ` · ETA ${seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`}`;
  };
  return {
    start(totals) {
      started = now();
      total = totals.generations;
      stream.write(`building ${totals.campaigns} campaign(s): ${totals.assets} assets from ${totals.generations} generations\n`);
      bar();
    },
    generationDone(event) {
      done++;
      if (event.kind === 'generated') generated++;
      spent = Math.round((spent + (event.cost ?? 0)) * 1e6) / 1e6;
      if (event.kind === 'failed') failed++;
      for (const group of event.failed) {
        clearLine();
        stream.write(`${paint('31', 'failed')} ${event.campaign}: ${group.labels.join(', ')}: ${withIds(group.failure)}\n`);
      }
      if (options.live) bar();
      else if (total > 0 && (Math.floor((done / total) * 4) > lastMilestone || done === total)) {
        lastMilestone = Math.floor((done / total) * 4);
        stream.write(`${done}/${total} generations done (${generated} generated, ${failed} failed)${spend()}\n`);
      }
    },
    note(message) {
      clearLine();
      stream.write(`${message}\n`);
      bar();
    },
    finish() {
      if (options.live) stream.write('\n');
    },
  };
}
