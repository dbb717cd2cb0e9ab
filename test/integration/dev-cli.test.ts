import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDev, until } from '../helpers/dev.js';
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

  it('on a --host that is empty or not an address of this machine, naming --host', async () => {
    const project = await makeProject({});
    try {
      const elsewhere = '198.51.100.7';
      expect(Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((a) => a.address)).not.toContain(elsewhere);
      for (const [host, code, message] of [
        ['', 'E_USAGE', 'expected an address but received an empty string'],
        // Node's own words after the address.
        [elsewhere, 'E_DEV_SERVER', expect.stringMatching(/^cannot listen on 198\.51\.100\.7:0: listen EADDRNOTAVAIL/)],
      ] as const) {
        const run = await cli(project.dir, ['dev', '--host', host, '--port', '0', '--json']);
        expect(run.code, host).toBe(2);
        expect(JSON.parse(run.stdout), host).toMatchObject({ status: 'invalid', errors: [{ code, field: '--host', message }] });
      }
    } finally {
      await project.cleanup();
    }
  });
});

describe('pressroom dev --open', () => {
  it.skipIf(process.platform === 'win32')("hands the page's address to the system's opener, and nothing is opened without it", async () => {
    const project = await makeProject({});
    const path = process.env['PATH'];
    try {
      // The system's opener, stood in for by a script that notes the address it was asked to open.
      const bin = join(project.dir, 'bin');
      const said = (port: number) => join(project.dir, `opened-${port}`);
      mkdirSync(bin);
      const opener = join(bin, process.platform === 'darwin' ? 'open' : 'xdg-open');
      writeFileSync(opener, ['#!/bin/sh', 'port="${1##*:}"', 'out="$(dirname "$0")/../opened-${port%/}"', 'printf \'%s\\n\' "$@" > "$out.tmp" && mv "$out.tmp" "$out"', ''].join('\n'));
      chmodSync(opener, 0o755);
      process.env['PATH'] = `${bin}${delimiter}${path}`;

      const closed = await startDev(project.dir);
      closed.stop();
      expect(await closed.exited).toBe(130);
      const open = await startDev(project.dir, ['--open']);
      try {
        const args = await until(() => (existsSync(said(open.port)) ? readFileSync(said(open.port), 'utf8') : undefined), 'the opener to be called', 20_000);
        expect(args).toBe(`${open.url}\n`);
      } finally {
        open.stop();
        expect(await open.exited).toBe(130);
      }
      // Started a run earlier, without --open: its opener would have been called first.
      expect(existsSync(said(closed.port))).toBe(false);
    } finally {
      process.env['PATH'] = path;
      await project.cleanup();
    }
  });
});
