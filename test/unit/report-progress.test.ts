import { describe, expect, it } from 'vitest';
import { createReporter, failureGroups } from '../../src/report/progress.js';

function capture(live: boolean) {
  let text = '';
  let t = 1_000_000;
  const reporter = createReporter({ write: (s: string) => (text += s), isTTY: live, columns: 120 }, { live, color: false, now: () => t });
  return { reporter, text: () => text, advance: (ms: number) => (t += ms) };
}

const done = (cost?: number) => ({ campaign: 'demo', kind: 'generated' as const, cells: 1, failed: [], ...(cost !== undefined ? { cost } : {}) });

describe('build progress', () => {
  it('on a terminal: done/total, spend so far and an ETA from the pace so far', () => {
    const p = capture(true);
    p.reporter.start({ campaigns: 1, generations: 4, assets: 4 });
    p.advance(10_000);
    p.reporter.generationDone(done(0.04));
    // One generation in 10 s, three to go: 30 s.
    expect(p.text()).toMatch(/1\/4 generations · 1 new · 0 failed · \$0\.040 spent · ETA 30s$/);
    p.advance(110_000);
    p.reporter.generationDone(done(0.04));
    // Two in 120 s, two to go: 2 minutes.
    expect(p.text()).toMatch(/2\/4 generations .* \$0\.080 spent · ETA 2m00s$/);
    p.reporter.generationDone(done());
    p.reporter.generationDone(done());
    expect(p.text()).toMatch(/4\/4 generations · 4 new · 0 failed · \$0\.080 spent$/);
  });

  it('in CI: milestone lines with the spend, no bar', () => {
    const p = capture(false);
    p.reporter.start({ campaigns: 1, generations: 4, assets: 4 });
    for (let i = 0; i < 4; i++) p.reporter.generationDone(done(0.03));
    expect(p.text().split('\n').filter(Boolean)).toEqual([
      'building 1 campaign(s): 4 assets from 4 generations',
      '1/4 generations done (1 generated, 0 failed) · $0.030 spent',
      '2/4 generations done (2 generated, 0 failed) · $0.060 spent',
      '3/4 generations done (3 generated, 0 failed) · $0.090 spent',
      '4/4 generations done (4 generated, 0 failed) · $0.120 spent',
    ]);
    expect(p.text()).not.toMatch(/ETA|\r/);
  });

  it('a line per distinct failure, even in a generation that was delivered in part', () => {
    const p = capture(false);
    p.reporter.start({ campaigns: 1, generations: 1, assets: 3 });
    const cell = (size: string, message: string) => ({ variant: 'hero', locale: 'de-DE', size, error: { code: 'E_DISK_FULL' as const, message, provider: 'local' } });
    const failed = failureGroups([cell('square', 'disk full writing out/demo/de-DE/hero-square.png'), cell('square-hd', 'disk full writing out/demo/de-DE/hero-square-hd.png')]);
    p.reporter.generationDone({ ...done(), cells: 3, failed });
    expect(p.text().split('\n').filter((l) => l.startsWith('failed'))).toEqual([
      'failed demo: hero · de-DE · square: disk full writing out/demo/de-DE/hero-square.png',
      'failed demo: hero · de-DE · square-hd: disk full writing out/demo/de-DE/hero-square-hd.png',
    ]);
  });
});
