import { isMapping } from './issues.js';
import { MAX_ASPECT, MAX_PIXELS, RESERVED_NAMES, SIDE_MAX, SIDE_MIN } from './schema.js';
import { finding, type Finding } from './source.js';

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
      const facts = { variant: v.id, size: s.id, firstVariant: first.variant, firstSize: first.size, name, byCase: name !== `${first.variant}-${first.size}` };
      findings.push(finding('E_NAME_CLASH', facts, ['variants', v.i, 'id']));
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
      findings.push(finding('E_SCHEMA', { kind: 'device-name', value }, path));
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
  return [finding('E_LOCALE', { kind: 'no-locales' }, ['locales'])];
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
    else findings.push(finding('E_DUPLICATE_ID', { kind: 'id', id: item.id, firstAt: `${list}[${first}]` }, [list, i, 'id']));
  });
  return findings;
}

function reservedNames(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const check = (fields: unknown, path: readonly (string | number)[], skip: readonly string[] = []) => {
    if (!isMapping(fields)) return;
    for (const key of Object.keys(fields)) {
      if ((RESERVED_NAMES as readonly string[]).includes(key) && !skip.includes(key)) {
        findings.push(finding('E_RESERVED_NAME', { name: key, reserved: RESERVED_NAMES }, [...path, key], 'key'));
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
      findings.push(finding('E_SIZE', { kind: 'aspect', width, height, range: `1:${MAX_ASPECT} to ${MAX_ASPECT}:1` }, ['sizes', i]));
    } else if (width * height > MAX_PIXELS) {
      findings.push(finding('E_SIZE', { kind: 'pixels', width, height, limit: MAX_PIXELS }, ['sizes', i]));
    }
  });
  return findings;
}
