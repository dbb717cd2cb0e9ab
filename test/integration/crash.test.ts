import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPressroomTemp } from '../../src/fs/atomic.js';
import { createProviders } from '../../src/providers/registry.js';
import { prepareCampaigns } from '../../src/commands/prepare.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { journalEntries, submittedLines, until } from '../helpers/billing.js';
import { spawnCli } from '../helpers/child.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';

const KEY = 'crash-test-key';
// Six locales, one size: six generations with six distinct prompts.
const CAMPAIGN = (provider: string) => `provider: ${provider}
template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales:
${['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR'].map((t) => `  ${t}: { headline: "Headline ${t}", copy: "Copy ${t}" }`).join('\n')}
sizes: [{ id: square, width: 1080, height: 1080 }]
`;
const TEMPLATE = '{{scene}}, headline "{{headline}}" in {{language}}';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(provider: AnyEmulator['provider'], latencyMs: number) {
  const emulator = await EMULATORS[provider]({ apiKey: KEY, latencyMs });
  const project = await makeProject({ launch: CAMPAIGN(provider) }, TEMPLATE);
  cleanups.push(() => emulator.close(), project.cleanup);
  return { emulator, project, env: emulatorEnv(emulator, KEY) };
}

const journalFile = (dir: string) => join(dir, '.pressroom', 'cache', 'journal.jsonl');

describe('a build killed with SIGKILL mid-run', () => {
  it.each(['runninghub', 'runcomfy', 'runware'] as const)('%s: the re-run resumes submitted tasks instead of paying again', async (provider) => {
    const { emulator, project, env } = await setup(provider, 1500);
    // No task can finish before the kill, however slowly the machine runs: the emulator's clock stands still.
    emulator.clock.freeze();
    const child = spawnCli(['build', '--concurrency', '3'], project.dir, env);
    await until(() => submittedLines(project.dir) >= 3);
    child.process.kill('SIGKILL');
    await child.exited;
    const submittedBeforeKill = emulator.submits();
    expect(submittedBeforeKill).toBeGreaterThanOrEqual(3);
    expect(submittedBeforeKill).toBeLessThan(6);
    emulator.clock.run();

    const rerun = await cli(project.dir, ['build', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).campaigns[0]).toMatchObject({ assets: 6, failed: 0 });
    // Every prompt reached the provider exactly once over both runs.
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;
    for (const asset of manifest.assets) expect(emulator.submits(asset.prompt)).toBe(1);
    expect(emulator.submits()).toBe(6);
    // The journal is closed out and no temporary file survives anywhere.
    expect(journalEntries(project.dir)).toEqual([]);
    const leftovers = readdirSync(project.dir, { recursive: true }).filter((f) => isPressroomTemp(basename(String(f))));
    expect(leftovers).toEqual([]);
  });
});

describe('a submit whose answer was lost (killed between send and task id)', () => {
  it('resubmits on a provider without client ids and reports a possible duplicate charge', async () => {
    const { emulator, project, env } = await setup('runninghub', 20);
    const [prepared] = await prepareCampaigns({
      projectRoot: project.dir,
      cwd: project.dir,
      paths: [],
      filter: {},
      env: { RUNNINGHUB_API_KEY: KEY },
      providerFor: createProviders({ env: {} }),
      requireKeys: false,
    });
    const key = prepared!.generations[0]!.key;
    mkdirSync(join(project.dir, '.pressroom', 'cache'), { recursive: true });
    writeFileSync(journalFile(project.dir), `${JSON.stringify({ k: key, e: 'submitting', p: 'runninghub' })}\n`);

    const run = await cli(project.dir, ['build'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 generation\(s\) were resubmitted .* may have charged twice/);
    expect(emulator.submits()).toBe(6);
  });
});
