import { describe, expect, it } from 'vitest';
import { createInterrupts, DUPLICATE_SIGNAL_MS } from '../../src/cli/interrupt.js';

function setup() {
  let now = 0;
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const said: string[] = [];
  const interrupts = createInterrupts({
    clock: { now: () => now },
    graceMs: 10_000,
    setTimer: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
    say: (text) => said.push(text),
  });
  return { interrupts, timers, said, advance: (ms: number) => (now += ms) };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('Ctrl-C', () => {
  it('first press: soft stop, a note, and a grace timer that cancels in-flight work', async () => {
    const { interrupts, timers, said } = setup();
    interrupts.press();
    expect(interrupts.stop.aborted).toBe(true);
    expect(interrupts.abort.aborted).toBe(false);
    expect(said.join('')).toMatch(/no new jobs; waiting up to 10 s/);
    expect(timers.map((t) => t.ms)).toEqual([10_000]);
    timers[0]!.fn();
    expect(interrupts.abort.aborted).toBe(true);
    expect(await settled(interrupts.hardAbort)).toBe(false);
  });

  it('second press: cancels now and resolves the hard abort; never exits by itself', async () => {
    const { interrupts, timers, said, advance } = setup();
    interrupts.press();
    advance(DUPLICATE_SIGNAL_MS + 1);
    interrupts.press();
    expect(interrupts.pressed()).toBe(2);
    expect(interrupts.abort.aborted).toBe(true);
    expect(timers[0]!.cancelled).toBe(true);
    expect(said.join('')).toMatch(/quit: remote task ids are in the journal/);
    expect(await settled(interrupts.hardAbort)).toBe(true);
  });

  it('counts the same Ctrl-C delivered twice (terminal group + forwarded) as one press', async () => {
    const { interrupts, advance } = setup();
    interrupts.press();
    advance(DUPLICATE_SIGNAL_MS - 1);
    interrupts.press();
    expect(interrupts.pressed()).toBe(1);
    expect(interrupts.abort.aborted).toBe(false);
    expect(await settled(interrupts.hardAbort)).toBe(false);
  });

  it('dispose cancels the grace timer', () => {
    const { interrupts, timers } = setup();
    interrupts.press();
    interrupts.dispose();
    expect(timers[0]!.cancelled).toBe(true);
  });
});
