import { isMapping } from './issues.js';
import { reservedMessage } from './locales.js';
import { MAX_ASPECT, MAX_PIXELS, RESERVED_NAMES, SIDE_MAX, SIDE_MIN } from './schema.js';
import type { Finding } from './source.js';

/**
 * Checks zod cannot express on one field. They run on the raw data whether or not the schema
 * passed, so one run reports everything; each skips values whose shape is already reported.
 */

export function checkCampaign(data: unknown): Finding[] {
  if (!isMapping(data)) return [];
  return [
    ...duplicateIds(data, 'variants'),
    ...duplicateIds(data, 'sizes'),
    ...deliveryNameClashes(data),
    ...reservedNames(data),
    ...sizeShapes(data),
    ...deviceNames(data),
    ...noLocales(data),
  ];
}

/**
 * Every cell is delivered as `<locale>/<variant>-<size>.<ext>`, and users rely on those names, so
 * a pair whose name another pair also makes (`x` + `a-b` and `x-a` + `b`) is refused rather than
 * renamed. Compared ignoring case: macOS and Windows file systems hold one of `Hero-a` and `hero-A`.
 */
function deliveryNameClashes(data: Record<string, unknown>): Finding[] {
  const ids = (list: 'variants' | 'sizes') =>
    (Array.isArray(data[list]) ? (data[list] as unknown[]) : []).flatMap((item, i) => (isMapping(item) && typeof item.id === 'string' ? [{ id: item.id, i }] : []));
  const sizes = ids('sizes');
  const seen = new Map<string, { variant: string; size: string }>();
  const findings: Finding[] = [];
  for (const v of ids('variants')) {
    for (const s of sizes) {
      const name = `${v.id}-${s.id}`;
      const first = seen.get(name.toLowerCase());
      if (!first) {
        seen.set(name.toLowerCase(), { variant: v.id, size: s.id });
        continue;
      }
      // Equal ids are duplicates, reported as such.
      if (first.variant.toLowerCase() === v.id.toLowerCase() || first.size.toLowerCase() === s.id.toLowerCase()) continue;
      findings.push({
        code: 'E_NAME_CLASH',
        path: ['variants', v.i, 'id'],
        message: `variant \`${v.id}\` with size \`${s.id}\` and variant \`${first.variant}\` with size \`${first.size}\` would both deliver <locale>/${name}.<ext>${name === `${first.variant}-${first.size}` ? '' : ' (file names ignore case on macOS and Windows)'}; rename one of these ids`,
      });
    }
  }
  return findings;
}

/** Names Windows reserves in every folder: `out/con/` cannot be created there. */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Ids and the name become file and folder names under out/. */
function deviceNames(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const check = (value: unknown, path: readonly (string | number)[]) => {
    if (typeof value === 'string' && DEVICE_NAME.test(value)) {
      findings.push({ code: 'E_SCHEMA', path, message: `\`${value}\` is a reserved device name (con, prn, aux, nul, com0-9, lpt0-9) and cannot name a file; choose another` });
    }
  };
  check(data.name, ['name']);
  for (const list of ['variants', 'sizes'] as const) {
    const items = data[list];
    if (Array.isArray(items)) items.forEach((item, i) => isMapping(item) && check(item.id, [list, i, 'id']));
  }
  return findings;
}

function noLocales(data: Record<string, unknown>): Finding[] {
  if (!isMapping(data.locales) || Object.keys(data.locales).length > 0) return [];
  return [{ code: 'E_LOCALE', path: ['locales'], message: 'expected at least one locale (like `en-US: { headline: ... }`) but received an empty mapping' }];
}

/** Ids name output files, so `Hero` and `hero` collide on case-insensitive file systems. */
function duplicateIds(data: Record<string, unknown>, list: 'variants' | 'sizes'): Finding[] {
  const items = data[list];
  if (!Array.isArray(items)) return [];
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  items.forEach((item, i) => {
    if (!isMapping(item) || typeof item.id !== 'string') return;
    const key = item.id.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else findings.push({ code: 'E_DUPLICATE_ID', path: [list, i, 'id'], message: `duplicate id \`${item.id}\` (first used by ${list}[${first}])` });
  });
  return findings;
}

function reservedNames(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const check = (fields: unknown, path: readonly (string | number)[], skip: readonly string[] = []) => {
    if (!isMapping(fields)) return;
    for (const key of Object.keys(fields)) {
      if ((RESERVED_NAMES as readonly string[]).includes(key) && !skip.includes(key)) {
        findings.push({ code: 'E_RESERVED_NAME', path: [...path, key], message: reservedMessage(key), at: 'key' });
      }
    }
  };
  check(data.vars, ['vars']);
  if (Array.isArray(data.variants)) data.variants.forEach((v, i) => check(v, ['variants', i]));
  // Inline locale strings; a locale folder's files are checked where they are read.
  if (isMapping(data.locales)) for (const [tag, strings] of Object.entries(data.locales)) check(strings, ['locales', tag]);
  return findings;
}

/** Aspect ratio and area, once both sides are valid (invalid sides are the schema's to report). */
function sizeShapes(data: Record<string, unknown>): Finding[] {
  if (!Array.isArray(data.sizes)) return [];
  const findings: Finding[] = [];
  const validSide = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= SIDE_MIN && (v as number) <= SIDE_MAX;
  data.sizes.forEach((size, i) => {
    if (!isMapping(size) || !validSide(size.width) || !validSide(size.height)) return;
    const { width, height } = size;
    const ratio = width / height;
    if (ratio > MAX_ASPECT || ratio < 1 / MAX_ASPECT) {
      const shown = ratio >= 1 ? `${ratio.toFixed(2)}:1` : `1:${(1 / ratio).toFixed(2)}`;
      findings.push({
        code: 'E_SIZE',
        path: ['sizes', i],
        message: `${width}x${height} has aspect ratio ${shown}; Seedream generates 1:16 to 16:1 only`,
      });
    } else if (width * height > MAX_PIXELS) {
      findings.push({ code: 'E_SIZE', path: ['sizes', i], message: `${width}x${height} is over ${MAX_PIXELS} pixels` });
    }
  });
  return findings;
}
