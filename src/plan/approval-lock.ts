import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { CropFocus } from '../core/campaign.js';
import { InputError, problem } from '../core/errors.js';
import type { LockFacts } from '../core/project-facts.js';
import type { ApprovedDelivery, ApprovedImageLayer, ApprovedLayer, ApprovedShapeLayer, ApprovedTextStyle } from './approved-delivery.js';

/**
 * campaigns/<campaign>/approved.lock: which image a reviewer approved for each cell and the file
 * delivered from it, committed to git. JSON with sorted keys and one field per line, so a review
 * shows up as a small diff (a copy edit changes a `text` line, the recipe and the sha256).
 *
 * Version 1 (before delivered files were recorded) is still read: its cells approve the generated
 * image only, and say so (`delivered` absent) until approved again.
 */
export const APPROVALS_FILE = 'approved.lock';
/** A campaign's approved.lock, in its campaign folder. */
export const approvalsFileOf = (campaignDir: string) => join(campaignDir, APPROVALS_FILE);
const LOCK_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

export interface Approval {
  /** The generation key the approved image was made from: a changed prompt, model or seed changes it. */
  readonly key: string;
  /**
   * sha256 of the approved image: the delivered file for candidate 0 (what the gallery showed
   * delivered), the generated image in the cache for candidates 1..N-1 (shown, never delivered).
   */
  readonly sha256: string;
  /** Which candidate (0 = the cell's own generation). */
  readonly pick: number;
  /** For pick >= 1: how many candidates were made, which its key depends on. */
  readonly of?: number;
  /** The delivered file and its recipe; absent in a version 1 lock (the generation alone was approved). */
  readonly delivered?: ApprovedDelivery;
}

export interface ApprovalLock {
  readonly campaign: string;
  /** Cell id `variant/locale/size` -> approval. */
  readonly cells: Readonly<Record<string, Approval>>;
}

export const approvalCellId = (c: { readonly variant: string; readonly locale: string; readonly size: string }) => `${c.variant}/${c.locale}/${c.size}`;

/** Plain data with every object's keys sorted, as the file is written. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => [k, sorted(record[k])]),
  );
}

export function serialiseApprovals(lock: ApprovalLock): string {
  const cells = Object.fromEntries(
    Object.keys(lock.cells)
      .sort()
      .map((id) => {
        const a = lock.cells[id]!;
        return [id, { key: a.key, ...(a.pick > 0 && a.of !== undefined ? { of: a.of } : {}), pick: a.pick, sha256: a.sha256, ...(a.delivered ? { delivered: a.delivered } : {}) }];
      }),
  );
  return `${JSON.stringify(sorted({ version: LOCK_VERSION, campaign: lock.campaign, cells }), null, 2)}\n`;
}

const HEX = /^[0-9a-f]{16,64}$/;
const FORMATS = ['png', 'jpeg', 'webp', 'avif'];
/** Where a problem is, as a path into the JSON. */
type At = readonly (string | number)[];
class LockProblem {
  constructor(
    readonly facts: LockFacts,
    readonly at: At,
  ) {}
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** `value` when `ok`; else a problem at `at`: what was expected there (a phrase, `key as hex`), or other facts. */
function need<T>(ok: boolean, value: unknown, expected: string | LockFacts, at: At): T {
  if (!ok) throw new LockProblem(typeof expected === 'string' ? { kind: 'expected', expected } : expected, at);
  return value as T;
}

/** The lock's text, checked; every problem names the file, the line and the field. */
export function parseApprovals(text: string, file: string, campaign: string): ApprovalLock {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError([problem('E_APPROVALS', { kind: 'not-json', said: (err as Error).message }, { file, ...syntaxPosition(text, err as Error) })]);
  }
  try {
    return readLock(value, campaign);
  } catch (err) {
    if (!(err instanceof LockProblem)) throw err;
    throw new InputError([problem('E_APPROVALS', err.facts, { file, ...positionOf(text, err.at), ...(err.at.length > 0 ? { path: err.at.join('.') } : {}) })]);
  }
}

function readLock(value: unknown, campaign: string): ApprovalLock {
  const v = need<Record<string, unknown>>(isRecord(value), value, 'an object with version, campaign and cells', []);
  need(READABLE_VERSIONS.includes(v['version']), v, { kind: 'version', received: v['version'], readable: READABLE_VERSIONS }, ['version']);
  need(v['campaign'] === campaign, v, { kind: 'campaign', written: v['campaign'], campaign }, ['campaign']);
  const rawCells = need<Record<string, unknown>>(isRecord(v['cells']), v['cells'], 'an object of cells', ['cells']);
  const cells: Record<string, Approval> = {};
  for (const [id, raw] of Object.entries(rawCells)) cells[id] = readApproval(id, raw);
  return { campaign, cells };
}

function readApproval(id: string, raw: unknown): Approval {
  const at = ['cells', id];
  need(id.split('/').length === 3, raw, 'a cell id variant/locale/size', at);
  const a = need<Record<string, unknown>>(isRecord(raw), raw, 'an object with key, pick and sha256', at);
  const key = need<string>(typeof a['key'] === 'string' && HEX.test(a['key']), a['key'], 'key as hex', [...at, 'key']);
  const sha256 = need<string>(typeof a['sha256'] === 'string' && HEX.test(a['sha256']), a['sha256'], 'sha256 as hex', [...at, 'sha256']);
  const pick = need<number>(isCount(a['pick'] ?? 0), a['pick'] ?? 0, 'pick as a whole number', [...at, 'pick']);
  const of = a['of'];
  if (pick > 0) need(isCount(of) && of > pick, of, `of (how many candidates were made) above pick ${pick}`, [...at, 'of']);
  const delivered = a['delivered'] === undefined ? undefined : readDelivered(a['delivered'], [...at, 'delivered']);
  return { key, sha256, pick, ...(pick > 0 ? { of: of as number } : {}), ...(delivered ? { delivered } : {}) };
}

function readDelivered(raw: unknown, at: At): ApprovedDelivery {
  const d = need<Record<string, unknown>>(isRecord(raw), raw, 'the delivered file: recipe, sha256, file, format, quality, width, height, layers', at);
  const field = <T>(name: string, ok: (v: unknown) => boolean, expected: string): T => need<T>(ok(d[name]), d[name], `${name} as ${expected}`, [...at, name]);
  const hex = (v: unknown) => typeof v === 'string' && HEX.test(v);
  const layers = field<unknown[]>('layers', Array.isArray, 'a list');
  const isFocus = (v: unknown) => v === 'attention' || (isRecord(v) && [v['x'], v['y']].every((n) => typeof n === 'number' && n >= 0 && n <= 1));
  return {
    recipe: field('recipe', hex, 'hex'),
    sha256: field('sha256', hex, 'hex'),
    file: field('file', (v) => typeof v === 'string' && v.length > 0, 'the delivered file name'),
    format: field('format', (v) => FORMATS.includes(v as string), FORMATS.join(' | ')),
    quality: field('quality', (v) => isCount(v, 1), 'a whole number'),
    ...(d['maxBytes'] !== undefined ? { maxBytes: field<number>('maxBytes', (v) => isCount(v, 1), 'a whole number of bytes') } : {}),
    width: field('width', (v) => isCount(v, 1), 'whole pixels'),
    height: field('height', (v) => isCount(v, 1), 'whole pixels'),
    ...(d['focus'] !== undefined ? { focus: field<CropFocus>('focus', isFocus, 'attention or { x, y } fractions') } : {}),
    layers: layers.map((l, i) => readLayer(l, [...at, 'layers', i])),
  };
}

const isBox = (v: unknown): v is Record<'x' | 'y' | 'width' | 'height', number> => isRecord(v) && ['x', 'y', 'width', 'height'].every((k) => isCount(v[k]));

/** An image or shape layer's record: the fields it was placed with, checked one by one. */
function readArtwork(l: Record<string, unknown>, at: At): ApprovedImageLayer | ApprovedShapeLayer {
  const str = (k: string, ok: (v: string) => boolean = () => true) => need<string>(typeof l[k] === 'string' && ok(l[k]), l[k], `${k} as text`, [...at, k]);
  const oneOf = (k: string, values: readonly string[]) => need<string>(values.includes(l[k] as string), l[k], `${k} as ${values.join(' | ')}`, [...at, k]);
  const id = str('id');
  const box = need<ApprovedImageLayer['box']>(isBox(l['box']), l['box'], 'box with x, y, width, height in pixels', [...at, 'box']);
  if (l['kind'] === 'shape') {
    const radius = need<number>(isCount(l['radius']), l['radius'], 'radius as whole pixels', [...at, 'radius']);
    return { kind: 'shape', id, shape: oneOf('shape', ['rect']) as 'rect', box, color: str('color', (c) => /^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(c)), radius };
  }
  return {
    kind: 'image',
    id,
    file: str('file', (f) => f.length > 0),
    sha256: str('sha256', (h) => HEX.test(h)),
    box,
    fit: oneOf('fit', ['contain', 'cover']) as ApprovedImageLayer['fit'],
    align: oneOf('align', ['left', 'center', 'right']) as ApprovedImageLayer['align'],
    valign: oneOf('valign', ['top', 'middle', 'bottom']) as ApprovedImageLayer['valign'],
  };
}

function readLayer(raw: unknown, at: At): ApprovedLayer {
  const l = need<Record<string, unknown>>(isRecord(raw), raw, 'a layer with kind and field', at);
  // A kind this Pressroom does not know must not be guessed at.
  need(['text', 'image', 'shape'].includes(l['kind'] as string), l['kind'], { kind: 'layer-kind', received: l['kind'] }, [...at, 'kind']);
  if (l['kind'] !== 'text') return readArtwork(l, at);
  const str = (v: unknown) => typeof v === 'string';
  const field = need<string>(str(l['field']), l['field'], 'field as text', [...at, 'field']);
  const text = need<string>(str(l['text']), l['text'], 'text', [...at, 'text']);
  const b = need<Record<string, unknown>>(isRecord(l['box']), l['box'], 'box with x, y, width, height in pixels', [...at, 'box']);
  for (const k of ['x', 'y', 'width', 'height']) need(isCount(b[k]), b[k], `${k} as whole pixels`, [...at, 'box', k]);
  const s = need<Record<string, unknown>>(isRecord(l['style']), l['style'], 'style', [...at, 'style']);
  const num = (k: string) => need<number>(typeof s[k] === 'number' && Number.isFinite(s[k]), s[k], `${k} as a number`, [...at, 'style', k]);
  const txt = (k: string) => need<string>(str(s[k]), s[k], `${k} as text`, [...at, 'style', k]);
  const regions = need<ApprovedTextStyle['regions']>(Array.isArray(s['regions']) && s['regions'].every(isBox), s['regions'], 'regions as a list of boxes in pixels', [...at, 'style', 'regions']);
  const brandFonts = s['fonts'];
  if (brandFonts !== undefined) need(isRecord(brandFonts) && Object.values(brandFonts).every(str), brandFonts, 'fonts as a mapping of script or locale to a font file', [...at, 'style', 'fonts']);
  const keep = s['keep'];
  if (keep !== undefined) need(Array.isArray(keep) && keep.every(str), keep, 'keep as a list of phrases', [...at, 'style', 'keep']);
  const style: ApprovedTextStyle = {
    align: txt('align') as ApprovedTextStyle['align'],
    valign: txt('valign') as ApprovedTextStyle['valign'],
    ...(brandFonts !== undefined ? { fonts: brandFonts as Record<string, string> } : {}),
    ...(keep !== undefined ? { keep: keep as string[] } : {}),
    hyphenate: need<boolean>(typeof s['hyphenate'] === 'boolean', s['hyphenate'], 'hyphenate as true or false', [...at, 'style', 'hyphenate']),
    ...(s['minRatio'] !== undefined ? { minRatio: num('minRatio') } : {}),
    weight: num('weight'),
    color: txt('color'),
    background: txt('background'),
    minSize: num('minSize'),
    maxSize: num('maxSize'),
    lineHeight: num('lineHeight'),
    ...(s['maxLines'] !== undefined ? { maxLines: num('maxLines') } : {}),
    ...(s['plate'] !== undefined ? { plate: need<NonNullable<ApprovedTextStyle['plate']>>(isPlate(s['plate']), s['plate'], 'plate as { color, radius, padding }', [...at, 'style', 'plate']) } : {}),
    regions,
  };
  const fonts = l['fonts'];
  if (fonts !== undefined) need(Array.isArray(fonts) && fonts.every(str), fonts, 'fonts as a list of file names', [...at, 'fonts']);
  const box = { x: b['x'] as number, y: b['y'] as number, width: b['width'] as number, height: b['height'] as number };
  return { kind: 'text', field, text, box, style, ...(fonts !== undefined ? { fonts: fonts as string[] } : {}) };
}

function isPlate(v: unknown): boolean {
  if (!isRecord(v) || typeof v['color'] !== 'string' || !isRecord(v['radius']) || !isRecord(v['padding'])) return false;
  const r = v['radius'];
  const radiusOk = typeof r['px'] === 'number' || typeof r['fraction'] === 'number';
  return radiusOk && typeof v['padding']['x'] === 'number' && typeof v['padding']['y'] === 'number';
}

/** Line and column of the value at `at` (its parent where it is missing); none for the whole file. */
function positionOf(text: string, at: At): { line?: number; col?: number } {
  if (at.length === 0) return { line: 1, col: 1 };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  for (let n = at.length; n > 0; n--) {
    const node = doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Where JSON.parse stopped: from its message when it says, else from the YAML parser's first error. */
function syntaxPosition(text: string, err: Error): { line?: number; col?: number } {
  const offset = /at position (\d+)/.exec(err.message)?.[1];
  if (offset !== undefined) {
    const lines = text.slice(0, Number(offset)).split('\n');
    return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const first = doc.errors[0];
  return first ? lineCounter.linePos(first.pos[0]) : { line: 1, col: 1 };
}
