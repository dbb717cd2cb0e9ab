import { currentReplay, type Footprint, type Invocation, type Printout } from '../cache/replay.js';
import type { BuildCommandResult } from '../commands/api.js';
import type { Settings, Writer } from '../commands/settings.js';
import type { Printed } from './output.js';

/**
 * The CLI's side of kept outcomes (cache/replay.ts): which runs print one again, which keep
 * theirs. The executable asks before loading the CLI (src/bin.ts): a replayed no-op loads neither
 * the bundle nor a campaign.
 */

/** Prints the kept outcome of this invocation when it still holds; its exit code, else undefined. */
export function replayed(inv: Invocation, out: { readonly stdout: Writer; readonly stderr: Writer }): number | undefined {
  let kept;
  try {
    kept = currentReplay(inv);
  } catch {
    return undefined;
  }
  if (!kept) return undefined;
  for (const [fd, text] of kept.output) (fd === 1 ? out.stdout : out.stderr).write(text);
  return kept.exitCode;
}

/** The streams with everything written through them kept in order. */
export function capturing<T extends { readonly stdout: Writer; readonly stderr: Writer }>(io: T): T & { readonly output: Printout } {
  const output: [1 | 2, string][] = [];
  const tee = (w: Writer, fd: 1 | 2): Writer => ({
    write: (text: string) => {
      const last = output[output.length - 1];
      if (last?.[0] === fd) last[1] += text;
      else output.push([fd, text]);
      return w.write(text);
    },
    isTTY: w.isTTY,
    columns: w.columns,
  });
  return { ...io, stdout: tee(io.stdout, 1), stderr: tee(io.stderr, 2), output };
}

/**
 * A build that made or wrote no delivery: one that did prints other counts than the run after it,
 * so its record could never be confirmed, and at 50,000 cells taking one costs a second.
 */
function changedNothing(r: BuildCommandResult): boolean {
  return r.campaigns.every((c) => c.generated === 0 && (c.candidates?.made ?? 0) === 0 && (!c.delivered || (c.delivered.new === 0 && c.delivered.recomposed === 0)));
}

/**
 * The footprint to keep this run's outcome by, or undefined when it must run again next time:
 * PRESSROOM_REPLAY=off, a build that failed (a failed job is asked for again on every run, the provider's state is not a
 * file here) or was stopped, one that consulted a remote store (nor is its content), one asked to
 * read every delivered byte (--verify), one that listened for webhooks. A run that changed
 * something keeps none (changedNothing); were it kept, the next run would print other counts and
 * confirm nothing (cache/replay.ts).
 */
export function keepableFootprint(printed: Printed, settings: Settings, exitCode: number): Footprint | undefined {
  if (!settings.replay || settings.verify || settings.cacheUrl !== undefined || settings.cacheStore !== undefined || settings.webhooks !== undefined) return undefined;
  switch (printed.command) {
    case 'validate':
    case 'plan':
      // What they print, a refusal or a stale out/ included, is a function of the files alone.
      return printed.result.footprint;
    case 'build':
      return exitCode === 0 && changedNothing(printed.result) ? printed.result.footprint : undefined;
    default:
      return undefined;
  }
}
