import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPressroomTemp } from '../../src/fs/atomic.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * One build against all three emulators, each injecting its share of the faults the issue lists.
 * The build must finish, keep every job that could succeed, list the others with provider, code
 * and task id, exit 1, leave no partial file; a second run completes the rest without paying again.
 */
const KEY = 'fault-test-key';
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'es-ES'];
const campaign = (provider: string) => `provider: ${provider}
template: poster
variants: [{ id: hero, scene: "${provider} bottle" }]
locales:
${LOCALES.map((t) => `  ${t}: { headline: "Headline ${t}", copy: "Copy ${t}" }`).join('\n')}
sizes: [{ id: square, width: 1080, height: 1080 }]
`;

let failTasks = true;
const failPrompts = (prompt: string) => failTasks && prompt.includes('Headline fr-FR');
const emulators: Partial<Record<AnyEmulator['provider'], AnyEmulator>> = {};
let project: { dir: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  for (const name of ['runninghub', 'runware', 'runcomfy'] as const) emulators[name] = await EMULATORS[name]({ apiKey: KEY, latencyMs: 40, failPrompts });
  project = await makeProject({ rh: campaign('runninghub'), rw: campaign('runware'), rc: campaign('runcomfy') }, '{{scene}}: "{{headline}}" in {{language}}');
  env = {
    ...emulatorEnv(emulators.runninghub!, KEY),
    ...emulatorEnv(emulators.runware!, KEY),
    ...emulatorEnv(emulators.runcomfy!, KEY),
    // Long enough that a loaded machine's ordinary request never times out; the injected hang still does.
    PRESSROOM_HTTP_TIMEOUT_MS: '4000',
  };
});
afterAll(async () => {
  for (const e of Object.values(emulators)) await e.close();
  await project.cleanup();
});

const manifestOf = (name: string) => JSON.parse(readFileSync(join(project.dir, 'out', name, 'manifest.json'), 'utf8')) as CampaignManifest;

function partialFiles(): string[] {
  return readdirSync(project.dir, { recursive: true }).map(String).filter((f) => isPressroomTemp(basename(f)));
}

describe('faults survived in one build', () => {
  let firstSubmits: Map<string, number>;

  it('finishes, keeps what could succeed, lists failures with provider, code and task id, exits 1', async () => {
    const rh = emulators.runninghub!;
    rh.inject('submit', { kind: 'custom', name: 'limit' }, 2); // RunningHub 421 in a 200
    rh.inject('query', { kind: 'reset' });
    rh.inject('query', { kind: 'malformed' });
    rh.inject('download', { kind: 'truncate' });
    const rw = emulators.runware!;
    rw.inject('submit', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ code: 'rateLimitExceeded', message: 'slow down' }] } }, 2);
    rw.inject('poll', { kind: 'hang' });
    rw.inject('poll', { kind: 'status', status: 502, body: 'bad gateway' });
    rw.inject('download', { kind: 'custom', name: 'expired' });
    const rc = emulators.runcomfy!;
    rc.inject('status', { kind: 'status', status: 503, body: { error_code: 500001, message: 'busy' } }, 2);
    rc.inject('submit', { kind: 'status', status: 500, body: { error_code: 500001, message: 'Redis lock timeout' } });

    const run = await cli(project.dir, ['build', '--json'], env);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as { campaigns: { name: string; assets: number; failed: number }[] };
    expect(summary.campaigns.map((c) => c.name).sort()).toEqual(['rc', 'rh', 'rw']);

    let failures = 0;
    for (const name of ['rh', 'rw', 'rc']) {
      const m = manifestOf(name);
      expect(m.assets.length + m.failures.length).toBe(4);
      expect(m.assets.length).toBeGreaterThanOrEqual(1);
      failures += m.failures.length;
      for (const f of m.failures) {
        expect(f.error.provider).toBe(m.provider);
        expect(f.error.code).toMatch(/^E_/);
        // A task that ran and failed names its task id.
        if (f.locale === 'fr-FR' && m.provider !== 'runcomfy') expect(f.error.taskId).toBeTruthy();
      }
      // The moderated fr-FR prompt fails on every provider.
      expect(m.failures.some((f) => f.locale === 'fr-FR')).toBe(true);
      for (const a of m.assets) {
        const bytes = readFileSync(join(project.dir, 'out', name, a.file));
        expect(sha256Hex(bytes)).toBe(a.sha256);
        const meta = await sharp(bytes).metadata();
        expect([meta.width, meta.height]).toEqual([1080, 1080]);
      }
    }
    // fr-FR x3, the expired Runware link, the RunComfy submit lost to a 500 (never resubmitted).
    expect(failures).toBe(5);
    expect(partialFiles()).toEqual([]);
    firstSubmits = new Map(Object.values(emulators).map((e) => [e.provider, e.submits()]));
    // 421 and 429 were waited out and resubmitted; the RunComfy 500 was not.
    expect(firstSubmits.get('runninghub')).toBe(4 + 2);
    expect(firstSubmits.get('runcomfy')).toBe(4);
  });

  it('completes the failed jobs on the next run without resubmitting the finished ones', async () => {
    failTasks = false;
    const run = await cli(project.dir, ['build', '--json'], env);
    expect(run.code).toBe(0);
    for (const name of ['rh', 'rw', 'rc']) {
      const m = manifestOf(name);
      expect(m.failures).toEqual([]);
      expect(m.assets).toHaveLength(4);
    }
    // Only the failed cells went back to the providers.
    expect(emulators.runninghub!.submits() - firstSubmits.get('runninghub')!).toBe(1);
    expect(emulators.runcomfy!.submits() - firstSubmits.get('runcomfy')!).toBe(2);
    expect(emulators.runware!.submits() - firstSubmits.get('runware')!).toBeLessThanOrEqual(2);
    expect(partialFiles()).toEqual([]);
  });
});
