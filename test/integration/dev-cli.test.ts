import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/project.js';

/** pressroom dev's mistakes before it serves anything: exit 2, the problem named, one JSON document with --json. */
describe('pressroom dev refuses to start', () => {
  it('on a port another program holds, naming --port (it never takes another one it was not asked for)', async () => {
    const project = await makeProject();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const run = await cli(project.dir, ['dev', '--port', String(port), '--json']);
      expect(run.code).toBe(2);
      const doc = JSON.parse(run.stdout) as { status: string; errors: { code: string; field: string; message: string }[] };
      expect(doc).toMatchObject({ status: 'invalid', errors: [{ code: 'E_DEV_SERVER', field: '--port', message: `cannot listen on 127.0.0.1:${port}: the port is in use` }] });
    } finally {
      blocker.close();
      await project.cleanup();
    }
  });

  it('for a campaign path that is not there, as build does', async () => {
    const project = await makeProject();
    try {
      const run = await cli(project.dir, ['dev', 'campaigns/nope', '--port', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/campaigns\/nope/);
    } finally {
      await project.cleanup();
    }
  });
});
