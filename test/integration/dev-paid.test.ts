import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignsReady, devState, eventStream, pagePost, pageToken, startDev, until, type DevRun } from '../helpers/dev.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { makeProject } from '../helpers/project.js';

/**
 * pressroom dev on a paid provider (the Runware emulator on 127.0.0.1): it never spends without
 * consent. Without --max-cost or a budget nothing is submitted, whatever is saved or clicked; with
 * one, the page's generate button spends up to it over the whole session; cached images are free.
 */

const KEY = 'sk-dev-paid-test';
const campaign = (scene: string, budget = '') => `provider: runware
model: seedream-4.5
template: poster
vars: { brand: "AQUA//ONE" }
${budget}variants: [{ id: hero, scene: "${scene}" }]
locales:
  en-US: { headline: "HYDRATION, REFINED", copy: "Smart temperature tracking." }
  de-DE: { headline: "HYDRATION, VERFEINERT", copy: "Intelligente Anzeige." }
sizes: [{ id: square, width: 512, height: 512 }]
`;

let emulator: AnyEmulator;
let project: { dir: string; cleanup: () => Promise<void> };
const env = () => emulatorEnv(emulator, KEY);
const yaml = (name: string) => join(project.dir, 'campaigns', name, 'campaign.yaml');

beforeAll(async () => {
  emulator = await EMULATORS.runware({ apiKey: KEY, latencyMs: 10 });
  project = await makeProject({ paid: campaign('the bottle on wet stone'), budgeted: campaign('the bottle in snow', 'budget: 0.04\n') });
});
afterAll(async () => {
  await emulator?.close();
  await project?.cleanup();
});

async function session(args: string[], body: (dev: DevRun, token: string) => Promise<void>): Promise<void> {
  const dev = await startDev(project.dir, args, env());
  try {
    await campaignsReady(dev.port, ['paid', 'budgeted']);
    await body(dev, await pageToken(dev.port));
  } finally {
    dev.stop();
    expect(await dev.exited).toBe(130);
  }
}

const cellsOf = async (port: number, name: string) => (await devState(port)).campaigns.find((c) => c.name === name)!.view!.cells;

describe('pressroom dev on a paid provider', () => {
  it('without a budget: shows what each cell would cost, and a prompt edit or a generate click submits nothing', async () => {
    await session([], async (dev, token) => {
      const cells = await cellsOf(dev.port, 'paid');
      expect(cells.map((c) => [c['id'], c['state'], c['generation']])).toEqual([
        ['hero/en-US/square', 'needs-generation', { estimatedCost: 0.04, cells: 1 }],
        ['hero/de-DE/square', 'needs-generation', { estimatedCost: 0.04, cells: 1 }],
      ]);
      expect(cells[0]!['prompt']).toContain('the bottle on wet stone');

      const events = eventStream(dev.port);
      await events.ready;
      writeFileSync(yaml('paid'), readFileSync(yaml('paid'), 'utf8').replace('on wet stone', 'on black sand'));
      await events.next((e) => e.data?.name === 'paid' && (e.event === 'cells' || e.event === 'campaign'));
      expect((await cellsOf(dev.port, 'paid'))[0]!['prompt']).toContain('on black sand');
      events.close();

      const refused = await pagePost(dev.port, 'generate', { campaign: 'paid', cell: 'hero/en-US/square' }, token);
      expect(refused.json()).toMatchObject({ status: 'over-budget', errors: [{ code: 'E_BUDGET', message: expect.stringMatching(/only with consent/) }] });
      expect(emulator.submits()).toBe(0);
      expect(dev.stderr()).toMatch(/not generated: pressroom dev spends only with consent/);
    });
    expect(emulator.submits()).toBe(0);
  });

  it('with --max-cost: generates a clicked cell, counts the spend for the session, refuses past it', async () => {
    await session(['--max-cost', '0.05'], async (dev, token) => {
      const first = await pagePost(dev.port, 'generate', { campaign: 'paid', cell: 'hero/en-US/square' }, token);
      expect(first.json(), JSON.stringify(await devState(dev.port)).slice(0, 3000)).toMatchObject({ status: 'ok' });
      expect(emulator.billed()).toBe(1);
      const cells = await until(async () => {
        const c = await cellsOf(dev.port, 'paid');
        return c[0]!['state'] === 'delivered' ? c : undefined;
      }, 'the generated cell in the page');
      expect(cells[1]!['state']).toBe('needs-generation');
      expect((await devState(dev.port)).spend).toEqual({ spent: 0.04, maxCost: 0.05 });

      // $0.01 left: the next image's estimate is over it, and nothing is submitted.
      const second = await pagePost(dev.port, 'generate', { campaign: 'paid', cell: 'hero/de-DE/square' }, token);
      expect(second.json()).toMatchObject({ status: 'over-budget', errors: [{ code: 'E_BUDGET' }] });
      expect(emulator.billed()).toBe(1);
    });
  });

  it('with a campaign budget alone: spends up to it over the session; cached images stay free afterwards', async () => {
    await session([], async (dev, token) => {
      expect((await pagePost(dev.port, 'generate', { campaign: 'budgeted', cell: 'hero/en-US/square' }, token)).json()).toMatchObject({ status: 'ok' });
      expect(emulator.billed()).toBe(2);
      const again = await pagePost(dev.port, 'generate', { campaign: 'budgeted', cell: 'hero/de-DE/square' }, token);
      expect(again.json()).toMatchObject({ status: 'over-budget', errors: [{ code: 'E_BUDGET', message: expect.stringMatching(/budgeted's budget \$0\.04/) }] });
      expect(emulator.billed()).toBe(2);
    });
    const submitted = emulator.submits();
    await session([], async (dev) => {
      expect((await cellsOf(dev.port, 'paid'))[0]!['state']).toBe('delivered');
      expect((await cellsOf(dev.port, 'budgeted'))[0]!['state']).toBe('delivered');
    });
    expect(emulator.submits()).toBe(submitted);
  });
});
