import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CSP } from '../../src/dev/page.js';
import { campaignsReady, devState, eventStream, fetchRaw, pagePost, pageToken, REVIEW, saveByRename, startDev, TEMPLATE, tree, until, type DevRun } from '../helpers/dev.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * `pressroom dev` on a local campaign, end to end in this process: the page and its policy, out/
 * written as `build` writes it, a copy edit seen by the page as its changed cells, problems in the
 * CLI's words, approvals written as the CLI writes them, and requests from anywhere else refused.
 */

let project: { dir: string; cleanup: () => Promise<void> };
let twin: { dir: string; cleanup: () => Promise<void> };
let dev: DevRun;
let token: string;
/** sha256 of candidate 1 of en-US portrait as the page shows it at full size. */
let candidateSha: string;
const yamlOf = (dir: string) => join(dir, 'campaigns', 'review', 'campaign.yaml');
const lock = (dir: string) => join(dir, 'campaigns', 'review', 'approved.lock');

beforeAll(async () => {
  project = await makeProject({ review: REVIEW }, TEMPLATE);
  twin = await makeProject({ review: REVIEW }, TEMPLATE);
  dev = await startDev(project.dir);
  await campaignsReady(dev.port, ['review']);
  token = await pageToken(dev.port);
  const built = await cli(twin.dir, ['build']);
  expect(built.code, built.stderr).toBe(0);
}, 240_000);

afterAll(async () => {
  if (process.env['DEV_DEBUG']) console.log(dev?.stderr());
  if (dev) {
    dev.stop();
    expect(await dev.exited).toBe(130);
  }
  await project?.cleanup();
  await twin?.cleanup();
});

describe('pressroom dev on a local campaign', () => {
  it('serves the review page on 127.0.0.1 under a same-origin policy, with every cell built', async () => {
    expect(new URL(dev.url).hostname).toBe('127.0.0.1');
    const page = await fetchRaw(dev.port, '/c/review/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(DEV_CSP);
    expect(DEV_CSP).toContain("script-src 'self'");
    expect(DEV_CSP).not.toContain('unsafe');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const state = await devState(dev.port);
    const view = state.campaigns.find((c) => c.name === 'review')!.view!;
    expect(view.cells.map((c) => [c.id, c.state])).toEqual(['en-US', 'de-DE', 'ar-SA'].flatMap((l) => ['portrait', 'story'].map((s) => [`hero/${l}/${s}`, 'delivered'])));
    // Candidate numbers for every shot: the delivered file (0) and candidate 1, composed as delivered.
    expect(view.cells[0]!['shots'].map((s: { pick: number }) => s.pick)).toEqual([0, 1]);
    const preview = await fetchRaw(dev.port, `/c/review/${view.cells[0]!['shots'][1].src}`);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toBe('image/webp');
    const full = await fetchRaw(dev.port, `/c/review/${view.cells[0]!['shots'][1].full}`);
    expect(full.headers['content-type']).toBe('image/jpeg');
    candidateSha = createHash('sha256').update(full.body).digest('hex');
  });

  it('listens on no other address of the machine', async () => {
    const others = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((a) => !a.internal && a.family === 'IPv4');
    expect(others.length >= 0).toBe(true);
    for (const a of others) {
      const { request } = await import('node:http');
      const refused = await new Promise<boolean>((resolve) => {
        const req = request({ host: a.address, port: dev.port, path: '/', timeout: 5000 }, () => resolve(false));
        req.on('error', () => resolve(true));
        req.on('timeout', () => (req.destroy(), resolve(true)));
        req.end();
      });
      expect(refused, a.address).toBe(true);
    }
  });

  it('writes out/ exactly as pressroom build does', () => {
    expect(tree(join(project.dir, 'out', 'review'))).toEqual(tree(join(twin.dir, 'out', 'review')));
  });

  it('a saved copy edit reaches out/ and the page as the changed cells only, and out/ is what build makes of it', async () => {
    const events = eventStream(dev.port);
    await events.ready;
    const before = tree(join(project.dir, 'out', 'review'));
    const edit = (text: string) => text.replace('Licht, das deinem Tag folgt', 'Licht für jeden Abend');
    saveByRename(yamlOf(project.dir), edit(readFileSync(yamlOf(project.dir), 'utf8')));
    const changed = await events.next((e) => e.event === 'cells' && e.data.name === 'review');
    expect(changed.data.cells.map((c: { id: string }) => c.id).sort()).toEqual(['hero/de-DE/portrait', 'hero/de-DE/story']);
    expect(changed.data.cells[0].texts[0]).toEqual({ field: 'headline', text: 'Licht für jeden Abend' });
    const after = tree(join(project.dir, 'out', 'review'));
    expect(after['de-DE/hero-portrait.jpg']).not.toBe(before['de-DE/hero-portrait.jpg']);
    expect(after['en-US/hero-portrait.jpg']).toBe(before['en-US/hero-portrait.jpg']);
    events.close();

    writeFileSync(yamlOf(twin.dir), edit(readFileSync(yamlOf(twin.dir), 'utf8')));
    expect((await cli(twin.dir, ['build'])).code).toBe(0);
    expect(after).toEqual(tree(join(twin.dir, 'out', 'review')));
  });

  it('shows a broken save at its file and line in the words of the CLI, in the page and the terminal, and keeps serving', async () => {
    const good = readFileSync(yamlOf(project.dir), 'utf8');
    const events = eventStream(dev.port);
    await events.ready;
    writeFileSync(yamlOf(project.dir), good.replace('width: 480', 'width: -480'));
    const broken = await events.next((e) => e.event === 'campaign' && e.data.phase === 'invalid');
    const validate = await cli(project.dir, ['validate']);
    expect(validate.code).toBe(2);
    const problem = broken.data.problems[0];
    expect(problem.shown).toMatch(/^campaigns\/review\/campaign\.yaml:\d+:\d+ {2}sizes\[0\]\.width {2}/);
    expect(validate.stderr).toContain(problem.shown);
    expect(validate.stderr).toContain(`hint: ${problem.hint}`);
    expect(dev.stderr()).toContain(problem.shown);

    const from = events.events.length;
    writeFileSync(yamlOf(project.dir), good);
    await events.next((e) => e.event === 'campaign' && e.data.phase === 'ready', from);
    expect((await fetchRaw(dev.port, '/c/review/')).status).toBe(200);
    events.close();
  });
});

describe('the review server refuses', () => {
  const approve = { campaign: 'review', cell: 'hero/en-US/portrait' };

  it('a page reached under another name (DNS rebinding): no page, no token', async () => {
    const page = await fetchRaw(dev.port, '/', { headers: { host: `evil.example:${dev.port}` } });
    expect(page.status).toBe(403);
    expect(page.body.toString()).not.toContain(token);
    expect(page.json().errors[0].code).toBe('E_DEV_REQUEST');
    expect((await fetchRaw(dev.port, '/', { headers: { host: `localhost:${dev.port}` } })).status).toBe(200);
  });

  it('a request from another site, token or not', async () => {
    const answer = await pagePost(dev.port, 'approve', approve, token, { origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    const { origin: _o, ...noOrigin } = { origin: '', 'x-pressroom-token': token, 'content-type': 'application/json' };
    const bare = await fetchRaw(dev.port, '/_dev/approve', { method: 'POST', headers: noOrigin, body: JSON.stringify(approve) });
    expect(bare.status).toBe(403);
    expect(existsSync(lock(project.dir))).toBe(false);
  });

  it('a request without the page token, or with another', async () => {
    const { 'x-pressroom-token': _t, ...noToken } = { 'x-pressroom-token': '' };
    expect((await pagePost(dev.port, 'approve', approve, '', noToken)).status).toBe(403);
    expect((await pagePost(dev.port, 'approve', approve, 'f'.repeat(token.length))).status).toBe(403);
    expect(existsSync(lock(project.dir))).toBe(false);
  });

  it('a form post (no JSON), which any page could send without asking', async () => {
    expect((await pagePost(dev.port, 'approve', approve, token, { 'content-type': 'text/plain' })).status).toBe(403);
    expect(existsSync(lock(project.dir))).toBe(false);
  });

  it('files outside out/<campaign>, through .. or a link', async () => {
    expect((await fetchRaw(dev.port, '/c/review/manifest.json')).status).toBe(200);
    writeFileSync(join(project.dir, 'secret.png'), 'not for the page');
    expect((await fetchRaw(dev.port, '/c/review/%2E%2E/%2E%2E/secret.png')).status).toBe(404);
    expect((await fetchRaw(dev.port, '/c/review/..%2F..%2Fsecret.png')).status).toBe(404);
    mkdirSync(join(project.dir, 'out', 'review', 'thumbs'), { recursive: true });
    symlinkSync(join(project.dir, 'secret.png'), join(project.dir, 'out', 'review', 'thumbs', 'secret.png'));
    expect((await fetchRaw(dev.port, '/c/review/thumbs/secret.png')).status).toBe(404);
    expect((await fetchRaw(dev.port, '/c/review/../../secret.png')).status).toBe(404);
  });
});

describe('approvals in the page', () => {
  it('write approved.lock byte for byte as pressroom approve does, and un-approve as if never approved', async () => {
    const ok = async (action: string, body: unknown) => {
      const answer = await pagePost(dev.port, action, body, token);
      expect(answer.status).toBe(200);
      expect(answer.json().status, JSON.stringify(answer.json().errors)).toBe('ok');
    };
    await ok('approve', { campaign: 'review', cell: 'hero/en-US/portrait', pick: 1 });
    await ok('approve', { campaign: 'review', variant: 'hero', locale: 'de-DE' });
    await ok('approve', { campaign: 'review', variant: 'hero', size: 'story' });
    const approve = async (...args: string[]) => expect((await cli(twin.dir, ['approve', 'review', ...args])).code).toBe(0);
    await approve('--cell', 'hero/en-US/portrait', '--pick', '1');
    await approve('--variant', 'hero', '--locale', 'de-DE');
    await approve('--variant', 'hero', '--size', 'story');
    expect(readFileSync(lock(project.dir), 'utf8')).toBe(readFileSync(lock(twin.dir), 'utf8'));
    // The candidate the page showed composed is the very file the approval records.
    expect(JSON.parse(readFileSync(lock(project.dir), 'utf8')).cells['hero/en-US/portrait'].delivered.sha256).toBe(candidateSha);

    await ok('unapprove', { campaign: 'review', cells: ['hero/de-DE/story', 'hero/ar-SA/story'] });
    // What is left is what the CLI writes approving those cells alone.
    rmSync(lock(twin.dir));
    await approve('--cell', 'hero/en-US/portrait', '--pick', '1');
    await approve('--cell', 'hero/de-DE/portrait');
    await approve('--cell', 'hero/en-US/story');
    expect(readFileSync(lock(project.dir), 'utf8')).toBe(readFileSync(lock(twin.dir), 'utf8'));
    const shown = await until(async () => {
      const cells = (await devState(dev.port)).campaigns[0]?.view?.cells ?? [];
      const story = cells.find((c) => c.id === 'hero/de-DE/story');
      return story && story['approvedPick'] === undefined ? cells : undefined;
    }, 'the page to show the cell un-approved');
    // Picks stick: the rebuild after the approval delivers candidate 1 of en-US portrait, so its delivered file is the approved one.
    expect(shown.filter((c) => c['approved']).map((c) => c.id).sort()).toEqual(['hero/de-DE/portrait', 'hero/en-US/portrait', 'hero/en-US/story']);
    expect(shown.find((c) => c.id === 'hero/en-US/portrait')!['approvedPick']).toBe(1);
  });
});

/** A brand logo outside the campaign folder (brand/ in the project), drawn at the portrait size only. */
const logo = (fill: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100"><rect width="300" height="100" fill="${fill}"/><circle cx="50" cy="50" r="30" fill="#FFD60A"/></svg>\n`;
const BRANDED = `template: poster
vars: { product: "a brass desk lamp" }
variants: [{ id: hero, scene: "on an oak desk at dusk" }]
locales:
  en-US: { headline: "Light that follows your day" }
  de-DE: { headline: "Licht, das deinem Tag folgt" }
layers:
  - { image: ../../brand/logo.svg, id: logo, box: { x: 0.06, y: 0.04, width: 0.4, height: 0.12 } }
  - { field: headline, box: { x: 0.08, y: 0.2, width: 0.8, height: 0.26 }, size: { min: 12, max: 0.45 } }
sizes:
  - { id: portrait, width: 480, height: 600 }
  - { id: story, width: 360, height: 640, layers: { logo: false } }
output: { format: jpeg, quality: 85 }
`;

describe('pressroom dev and a layer image outside the campaign folder', () => {
  let branded: { dir: string; cleanup: () => Promise<void> };
  let brandedTwin: { dir: string; cleanup: () => Promise<void> };
  let brandedDev: DevRun;
  const logoFile = (dir: string) => join(dir, 'brand', 'logo.svg');

  beforeAll(async () => {
    branded = await makeProject({ branded: BRANDED }, TEMPLATE);
    brandedTwin = await makeProject({ branded: BRANDED }, TEMPLATE);
    for (const dir of [branded.dir, brandedTwin.dir]) {
      mkdirSync(join(dir, 'brand'));
      writeFileSync(logoFile(dir), logo('#7B2CBF'));
    }
    brandedDev = await startDev(branded.dir);
    await campaignsReady(brandedDev.port, ['branded']);
  }, 240_000);

  afterAll(async () => {
    if (brandedDev) {
      brandedDev.stop();
      expect(await brandedDev.exited).toBe(130);
    }
    await branded?.cleanup();
    await brandedTwin?.cleanup();
  });

  it('a saved brand/logo.svg re-composes the cells that draw it from the cached background, and out/ is what build makes of it', async () => {
    const events = eventStream(brandedDev.port);
    await events.ready;
    const out = join(branded.dir, 'out', 'branded');
    const before = tree(out);
    saveByRename(logoFile(branded.dir), logo('#1B998B'));
    const changed = await events.next((e) => e.event === 'cells' && e.data.name === 'branded');
    expect(changed.data.cells.map((c: { id: string }) => c.id).sort()).toEqual(['hero/de-DE/portrait', 'hero/en-US/portrait']);
    // Composed again over the background already made: nothing generated, the story cells (no logo) untouched.
    expect(brandedDev.stderr()).toMatch(/branded: 0 new, 2 re-composed, 2 unchanged/);
    const after = tree(out);
    for (const locale of ['en-US', 'de-DE']) {
      expect(after[`${locale}/hero-portrait.jpg`], locale).not.toBe(before[`${locale}/hero-portrait.jpg`]);
      expect(after[`${locale}/hero-story.jpg`], locale).toBe(before[`${locale}/hero-story.jpg`]);
    }
    events.close();

    writeFileSync(logoFile(brandedTwin.dir), logo('#1B998B'));
    expect((await cli(brandedTwin.dir, ['build'])).code).toBe(0);
    expect(after).toEqual(tree(join(brandedTwin.dir, 'out', 'branded')));
  });
});
