import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/billing.js';
import { startRunningHubEmulator } from '../helpers/emulators/runninghub.js';
import { startRunwareEmulator } from '../helpers/emulators/runware.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * `pressroom build` behind a public URL: PRESSROOM_WEBHOOK_URL starts the receiver, providers call
 * back. The emulator's tasks end when the test moves its clock, once both exist.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const campaign = (provider: string) =>
  `provider: ${provider}\nmodel: seedream-4.5\ntemplate: poster\nvariants: [{ id: hero, scene: front }, { id: side, scene: profile }]\nlocales:\n  en-US: { headline: "H" }\nsizes: [{ id: square, width: 1080, height: 1080 }]\n`;

const LATENCY = 300;
const runware = async () => {
  const e = await startRunwareEmulator({ apiKey: 'sk-webhook-test', latencyMs: LATENCY });
  return Object.assign(e, { created: () => e.billed() });
};
const runninghub = async () => {
  const e = await startRunningHubEmulator({ apiKey: 'sk-webhook-test', latencyMs: LATENCY });
  return Object.assign(e, { created: () => e.tasks().length });
};

describe.each([
  ['runware', 'RUNWARE', runware, 'poll'],
  ['runninghub', 'RUNNINGHUB', runninghub, 'query'],
] as const)('a build through %s with webhooks on', (provider, prefix, start, pollRoute) => {
  it('finishes every task on its callback, polling only once per task', async () => {
    const emulator = await start();
    const project = await makeProject({ hooks: campaign(provider) }, '{{scene}} "{{headline}}"');
    cleanups.push(() => emulator.close(), project.cleanup);
    const port = await freePort();
    const build = cli(project.dir, ['build', '--json'], {
      [`${prefix}_API_KEY`]: 'sk-webhook-test',
      [`${prefix}_BASE_URL`]: emulator.baseUrl,
      PRESSROOM_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
      PRESSROOM_WEBHOOK_LISTEN: `127.0.0.1:${port}`,
      // A safety poll this slow would outlast the test: the build can only finish by callback.
      PRESSROOM_WEBHOOK_POLL_MS: '60000',
    });
    await until(() => emulator.created() === 2, 20_000, 'both tasks submitted');
    emulator.clock.advance(LATENCY);
    const run = await build;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 2, failed: 0 });
    expect(emulator.callbacks.length).toBeGreaterThanOrEqual(2);
    expect(emulator.callbacks.every((c) => c.status === 204)).toBe(true);
    expect(emulator.server.count(pollRoute)).toBe(2);
    expect(run.stderr).not.toContain('sk-webhook-test');
  });
});
