import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The same pixels on any machine: a child process typesets locale-sensitive samples (Serbian and
 * Macedonian Cyrillic forms, Urdu digits, regional Han) and a label with a character only a font
 * of this machine has (DejaVu's ⨀), under different LANGs, with and without the system-font scan
 * of @napi-rs/canvas. Every run must print the same hashes. Runs the compiled library (dist/).
 */
const LIB = fileURLToPath(new URL('../../dist/typeset/index.js', import.meta.url));
const API = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const SCRIPT = `
import { createHash } from 'node:crypto';
const { loadFonts, typeset, renderLabel } = await import(${JSON.stringify(LIB)});
const fonts = loadFonts({});
const hash = (d) => createHash('sha256').update(d).digest('hex').slice(0, 16);
const out = {};
for (const [locale, text] of [['sr-RS', 'бгдпт ш'], ['mk-MK', 'бгдпт ш'], ['ru-RU', 'бгдпт ш'], ['ur-PK', 'رعایت ۴۶۷'], ['fa-IR', 'رعایت ۴۶۷'], ['zh-CN', '直骨'], ['zh-TW', '直骨'], ['ja-JP', '直骨']]) {
  const data = Buffer.alloc(400 * 120 * 4, 255);
  typeset({ data, width: 400, height: 120, channels: 4 }, [{ field: 'h', text, locale, box: { x: 10, y: 10, width: 380, height: 100 }, style: { size: { min: 60, max: 60 }, maxLines: 1, color: '#000000', background: 'none', weight: 400 } }], fonts);
  out[locale] = hash(data);
}
out.machineGlyph = hash(renderLabel('x ⨀ y', 'en-US', 30, '#000000', 400, fonts).data);
out.tofu = hash(renderLabel('x ? y', 'en-US', 30, '#000000', 400, fonts).data);
console.log(JSON.stringify(out));
`;

/** The font families the canvas knows after `load` ran in a fresh process with `env`. */
function familiesAfter(load: string, env: NodeJS.ProcessEnv): string[] {
  const script = `
import { createRequire } from 'node:module';
${load}
const { GlobalFonts } = createRequire(${JSON.stringify(LIB)})('@napi-rs/canvas');
console.log(JSON.stringify(GlobalFonts.families.map((f) => f.family)));
`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'], ...env } });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as string[];
}

function run(env: NodeJS.ProcessEnv): Record<string, string> {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8', env: { PATH: process.env['PATH'], ...env } });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as Record<string, string>;
}

describe('typesetting on any machine', () => {
  it("draws the same bytes under any LANG, whether or not the machine's fonts were scanned", () => {
    const c = run({ LANG: 'C.UTF-8', DISABLE_SYSTEM_FONTS_LOAD: '1' });
    expect(run({ LANG: 'sr_RS.UTF-8', LC_ALL: 'sr_RS.UTF-8', DISABLE_SYSTEM_FONTS_LOAD: '1' })).toEqual(c);
    expect(run({ LANG: 'ur_PK.UTF-8' })).toEqual(c);
  }, 60_000);

  it('follows the locale, not the host: Serbian and Macedonian forms, Urdu digits, Han by region', () => {
    const c = run({ LANG: 'C.UTF-8', DISABLE_SYSTEM_FONTS_LOAD: '1' });
    expect(c['sr-RS']).not.toBe(c['ru-RU']);
    expect(c['mk-MK']).not.toBe(c['ru-RU']);
    expect(c['ur-PK']).not.toBe(c['fa-IR']);
    expect(new Set([c['zh-CN'], c['zh-TW'], c['ja-JP']]).size).toBe(3);
  }, 60_000);

  it('never draws with a font of the machine: a character only the machine has shows as "?"', () => {
    const c = run({ LANG: 'C.UTF-8' });
    expect(c['machineGlyph']).toBe(c['tofu']);
  }, 60_000);

  it("never loads the machine's fonts when used through the programmatic API", () => {
    // The yardstick: the canvas loaded on its own scans this machine's fonts (DejaVu here).
    const machine = familiesAfter('', {});
    expect(machine.length).toBeGreaterThan(0);
    // A program using the API: the typesetter loads the canvas when it first draws, after the
    // entry point (src/index.ts; the CLI's is src/cli.ts main) switched the scan off.
    const load = `await import(${JSON.stringify(API)}); const { loadFonts, renderLabel } = await import(${JSON.stringify(LIB)}); renderLabel('x', 'en-US', 30, '#000000', 400, loadFonts({}));`;
    for (const env of [{}, { DISABLE_SYSTEM_FONTS_LOAD: '1' }]) {
      const families = familiesAfter(load, env);
      expect(families.length).toBeGreaterThan(0);
      expect(families.filter((f) => machine.includes(f))).toEqual([]);
    }
  }, 60_000);
});
