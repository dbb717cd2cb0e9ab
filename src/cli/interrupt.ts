import type { Clock } from '../core/deps.js';

/**
 * Ctrl-C during a build. First press: start nothing new and give jobs in flight a grace period,
 * then cancel them. Second press: cancel now and hand control back (`hardAbort`), so the entry
 * point can end the process without waiting for anything.
 */
export interface Interrupts {
  /** Soft stop: the first press. */
  readonly stop: AbortSignal;
  /** Cancel in-flight work: grace period over, or the second press. */
  readonly abort: AbortSignal;
  /** Resolves on the second press. */
  readonly hardAbort: Promise<void>;
  readonly pressed: () => number;
  /** The signal handler. */
  readonly press: () => void;
  /**
   * The parent process (bin.ts) is gone: stop submitting and polling at once, but let writes in
   * progress finish (no `hardAbort`), so what is paid for stays resumable.
   */
  readonly parentGone: () => void;
  /** Clears the grace timer once the build is over. */
  readonly dispose: () => void;
}

export interface InterruptOptions {
  readonly clock: Clock;
  readonly graceMs: number;
  /** Returns a cancel function; tests pass a fake. */
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly say: (text: string) => void;
}

export const GRACE_MS = 10_000;
/** One Ctrl-C can arrive twice (the terminal's group signal and bin.ts forwarding it): one press. */
export const DUPLICATE_SIGNAL_MS = 250;

export const realTimer = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export function createInterrupts(options: InterruptOptions): Interrupts {
  const stop = new AbortController();
  const abort = new AbortController();
  let resolveHard!: () => void;
  const hardAbort = new Promise<void>((resolve) => (resolveHard = resolve));
  let presses = 0;
  let last = -Infinity;
  let cancelTimer: (() => void) | undefined;
  return {
    stop: stop.signal,
    abort: abort.signal,
    hardAbort,
    pressed: () => presses,
    press() {
      const now = options.clock.now();
      if (now - last < DUPLICATE_SIGNAL_MS) return;
      last = now;
      presses++;
      if (presses === 1) {
        stop.abort();
        options.say(`stopping: no new jobs; waiting up to ${options.graceMs / 1000} s for jobs in flight (Ctrl-C again to quit now)\n`);
        cancelTimer = options.setTimer(() => abort.abort(), options.graceMs);
      } else if (presses === 2) {
        cancelTimer?.();
        abort.abort();
        options.say('quit: remote task ids are in the journal; a re-run resumes them\n');
        resolveHard();
      }
    },
    parentGone() {
      presses = Math.max(presses, 1);
      cancelTimer?.();
      stop.abort();
      abort.abort();
    },
    dispose: () => cancelTimer?.(),
  };
}
