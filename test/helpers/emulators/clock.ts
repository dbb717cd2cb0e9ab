/**
 * Time as an emulator sees it. Task lifecycles, result-link expiry and callbacks follow this
 * clock, never the wall clock, so what a test observes does not depend on how loaded the machine
 * is. By default it moves with the traffic: every request the emulator receives adds `stepMs`, so
 * a task of `latencyMs` is done after a fixed number of requests, whatever their pace. A test that
 * must hold tasks in flight (to kill or stop a build mid-task) freezes it, then moves it by hand
 * (`advance`) or lets it run with the traffic again (`run`).
 */

/** Emulated milliseconds per request received: a 50 ms task is done after five requests. */
export const STEP_MS = 10;

interface Timer {
  readonly at: number;
  readonly fn: () => void;
}

export class EmulatorClock {
  private time = 0;
  private timers: Timer[] = [];

  constructor(private stepMs = STEP_MS) {}

  now(): number {
    return this.time;
  }

  /** A request reached the emulator. */
  tick(): void {
    if (this.stepMs > 0) this.advance(this.stepMs);
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }

  /** Requests no longer move time: tasks stay where they are until `advance` or `run`. */
  freeze(): this {
    this.stepMs = 0;
    return this;
  }

  /** Time moves with the traffic again. */
  run(stepMs = STEP_MS): this {
    this.stepMs = stepMs;
    return this;
  }

  /** Calls `fn` once the clock reaches `at` (at once when it has). */
  at(at: number, fn: () => void): void {
    if (at <= this.time) fn();
    else this.timers.push({ at, fn });
  }

  clear(): void {
    this.timers = [];
  }
}

/** A clock that stands still until the test moves it. */
export const frozenClock = () => new EmulatorClock(0);

/**
 * The wall clock, for benchmarks that measure how a client copes with real latency (`npm run
 * bench`); never for tests.
 */
export class WallClock extends EmulatorClock {
  override now(): number {
    return performance.now();
  }

  override tick(): void {}

  override advance(): void {
    throw new Error('the wall clock cannot be moved');
  }

  override at(at: number, fn: () => void): void {
    setTimeout(fn, Math.max(0, at - this.now())).unref();
  }
}
