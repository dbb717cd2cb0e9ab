import { describe, expect, it } from 'vitest';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';

const fakeClock = () => {
  const clock = { t: 0, now: () => clock.t };
  return clock;
};

describe('adaptive limiter', () => {
  it('never runs more than its concurrency at once', async () => {
    const limiter = createAdaptiveLimiter({ max: 3, clock: fakeClock() });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++running);
          // Yield, so the other jobs get their chance to start while this one runs.
          await new Promise((r) => setImmediate(r));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('drops to the number of tasks the provider had accepted when it signals its limit', () => {
    const limiter = createAdaptiveLimiter({ max: 32, clock: fakeClock() });
    for (let i = 0; i < 16; i++) limiter.accepted();
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(16);
    expect(limiter.signals).toBe(1);
  });

  it('halves when nothing is known to be running', () => {
    const limiter = createAdaptiveLimiter({ max: 8, clock: fakeClock() });
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(4);
    limiter.rateLimited();
    limiter.rateLimited();
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(1);
  });

  it('recovers one slot at a time after a quiet spell, up to the maximum', async () => {
    const clock = fakeClock();
    const limiter = createAdaptiveLimiter({ max: 4, clock, probeAfterMs: 1000 });
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(2);
    await limiter.run(async () => undefined);
    expect(limiter.concurrency).toBe(2);
    clock.t += 1000;
    await limiter.run(async () => undefined);
    expect(limiter.concurrency).toBe(3);
    clock.t += 5000;
    await limiter.run(async () => undefined);
    clock.t += 5000;
    await limiter.run(async () => undefined);
    expect(limiter.concurrency).toBe(4);
  });
});

describe('waiting out a refusal', () => {
  it('gives the slot to a queued job while waiting, then goes first', async () => {
    const limiter = createAdaptiveLimiter({ max: 1, clock: fakeClock() });
    const order: string[] = [];
    let releaseWait!: () => void;
    const waitDone = new Promise<void>((r) => (releaseWait = r));
    const refused = limiter.run(async () => {
      order.push('refused:start');
      await limiter.whileWaiting(() => waitDone);
      order.push('refused:resubmit');
    });
    const queued = limiter.run(async () => {
      order.push('queued:ran');
      releaseWait();
    });
    const later = limiter.run(async () => {
      order.push('later:ran');
    });
    await Promise.all([refused, queued, later]);
    // The queued job used the slot during the wait; the refused job then went before `later`.
    expect(order).toEqual(['refused:start', 'queued:ran', 'refused:resubmit', 'later:ran']);
  });
});
