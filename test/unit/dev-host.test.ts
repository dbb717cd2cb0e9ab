import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDev, type DevOptions } from '../../src/dev/start.js';
import type { DevOutcome, DevPipeline } from '../../src/dev/types.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Where `pressroom dev` listens and under which names it answers (--host), and what --open is
 * given: runDev with a pipeline serving no campaign, so only the server's own decisions show.
 */

const none = (): never => {
  throw new Error('no campaign is served');
};
const pipeline: DevPipeline = {
  campaignFiles: async () => [],
  prepare: none,
  deliver: none,
  plan: none,
  generate: none,
  approve: none,
  unapprove: none,
  manifest: async () => undefined,
  fonts: none,
  readImage: async () => undefined,
  show: () => {},
  note: () => {},
};

/** One GET of the page from `address`, addressed to `host` (what a browser puts in Host). */
function get(address: string, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path: '/', agent: false, headers: { host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('error', reject);
    req.end();
  });
}
/** Whether anything accepts a connection on `address`:`port`. */
const reachable = (address: string, port: number) => get(address, port, `${address}:${port}`).then(() => true, () => false);
const machineAddresses = () => Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((a) => !a.internal && a.family === 'IPv4').map((a) => a.address);

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: root, cleanup } = await tempDir('pressroom-dev-host-')));
afterEach(() => cleanup());

/** Starts dev on `host`; resolves with the URL it said it serves, the URLs it opened, and its end. */
async function serve(host: string, open: boolean) {
  const stop = new AbortController();
  const opened: string[] = [];
  let said: ((url: string) => void) | undefined;
  const listening = new Promise<string>((resolve) => (said = resolve));
  const options: DevOptions = { host, port: 0, portGiven: true, projectRoot: root, outRoot: `${root}/out`, cacheDir: `${root}/.pressroom/cache`, campaignDirs: [], everyCampaign: true };
  const ended = runDev(pipeline, options, {
    stop: stop.signal,
    now: () => performance.now(),
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    watch: () => () => {},
    listening: (url) => said?.(url),
    ...(open ? { openUrl: (url: string) => void opened.push(url) } : {}),
  });
  const url = await Promise.race([listening, ended.then((o: DevOutcome) => Promise.reject(new Error(`dev ended: ${JSON.stringify(o)}`)))]);
  return { url, port: Number(new URL(url).port), opened, stop: async () => (stop.abort(), ended) };
}

describe('pressroom dev --host', () => {
  it('by default (127.0.0.1) answers only under the loopback names: not under this machine\'s name', async () => {
    const dev = await serve('127.0.0.1', false);
    try {
      expect(dev.url).toBe(`http://127.0.0.1:${dev.port}/`);
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) expect(await get('127.0.0.1', dev.port, `${name}:${dev.port}`), name).toBe(200);
      expect(await get('127.0.0.1', dev.port, `${hostname()}:${dev.port}`)).toBe(403);
      for (const address of machineAddresses()) expect(await reachable(address, dev.port), address).toBe(false);
    } finally {
      expect(await dev.stop()).toMatchObject({ exitCode: 130 });
    }
  });

  it('0.0.0.0 listens on every address and answers under this machine\'s name and addresses, never another site\'s', async () => {
    const dev = await serve('0.0.0.0', false);
    try {
      // The page's address is one a browser here can open.
      expect(dev.url).toBe(`http://127.0.0.1:${dev.port}/`);
      expect(await get('127.0.0.1', dev.port, `${hostname()}:${dev.port}`)).toBe(200);
      for (const address of machineAddresses()) expect(await get(address, dev.port, `${address}:${dev.port}`), address).toBe(200);
      expect(await get('127.0.0.1', dev.port, `evil.example:${dev.port}`)).toBe(403);
    } finally {
      await dev.stop();
    }
  });

  it('a named address serves there alone, under that address and no machine-wide name', async () => {
    // Linux routes all of 127.0.0.0/8 to the loopback: an address of this machine that is not 127.0.0.1.
    const dev = await serve('127.0.0.2', false);
    try {
      expect(dev.url).toBe(`http://127.0.0.2:${dev.port}/`);
      expect(await get('127.0.0.2', dev.port, `127.0.0.2:${dev.port}`)).toBe(200);
      expect(await get('127.0.0.2', dev.port, `${hostname()}:${dev.port}`)).toBe(403);
      expect(await reachable('127.0.0.1', dev.port)).toBe(false);
    } finally {
      await dev.stop();
    }
  });

  it('an address that is not this machine\'s is refused before anything is served or opened: E_DEV_SERVER, exit 2, naming --host', async () => {
    // TEST-NET-2, checked not to be one of this machine's.
    const elsewhere = '198.51.100.7';
    expect(machineAddresses()).not.toContain(elsewhere);
    const opened: string[] = [];
    const outcome = await runDev(
      pipeline,
      { host: elsewhere, port: 0, portGiven: true, projectRoot: root, outRoot: `${root}/out`, cacheDir: `${root}/.pressroom/cache`, campaignDirs: [], everyCampaign: true },
      { stop: new AbortController().signal, now: () => 0, setTimer: () => () => {}, watch: () => () => {}, openUrl: (url) => void opened.push(url) },
    );
    expect(outcome).toMatchObject({ status: 'invalid', exitCode: 2, errors: [{ code: 'E_DEV_SERVER', field: '--host' }] });
    expect(outcome.errors[0]!.message).toMatch(/^cannot listen on 198\.51\.100\.7:0: .*EADDRNOTAVAIL/);
    expect(opened).toEqual([]);
  });
});

describe('pressroom dev --open', () => {
  it('opens the page it serves, once, at an address a browser here can reach', async () => {
    const dev = await serve('0.0.0.0', true);
    try {
      expect(dev.opened).toEqual([dev.url]);
      expect(dev.opened[0]).toBe(`http://127.0.0.1:${dev.port}/`);
      expect(await get('127.0.0.1', dev.port, new URL(dev.opened[0]!).host)).toBe(200);
    } finally {
      await dev.stop();
    }
    expect(dev.opened).toHaveLength(1);
  });
});
