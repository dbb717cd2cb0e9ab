import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { LayerFile } from '../core/layers.js';
import { MAX_INPUT_PIXELS, readImageHeader } from '../image/sharp.js';
import { isMapping } from './issues.js';
import { IMAGE_FILE } from './layer-schema.js';
import { layerListOf } from './layer-names.js';
import { readProjectFile } from './project-file.js';
import { MAX_REFERENCE_BYTES } from './references.js';
import { finding, type Finding, type PathSegment } from './source.js';

/**
 * The files image layers draw, read as references are (inside the project, regular, at most
 * 10 MB, at most 64 MP declared) and checked before anything is paid for: a PNG or an SVG that is
 * drawing only. An SVG that reads other files or URLs, runs script, or sets text in the fonts of
 * whatever machine draws it would not give the same pixels everywhere: it is refused.
 */

/** What makes an SVG depend on more than its own bytes, and how the error names it. */
const SVG_UNSAFE: readonly (readonly [RegExp, string])[] = [
  [/<!ENTITY/i, 'an XML entity declaration'],
  [/<script\b/i, 'a script'],
  [/<(text|tspan|textPath)\b/i, 'a text element (drawn in whatever fonts the machine has)'],
  [/<foreignObject\b/i, 'a foreignObject element'],
  [/\bhref\s*=\s*["'](?!#|data:)/i, 'a link to another file or URL'],
  [/url\(\s*["']?(?!#|data:)/i, 'a url() that points at another file or URL'],
  [/@import\b/i, 'a stylesheet @import'],
];

/** Every image file the campaign's layers and its sizes' overrides name, with the path it is written at. */
export function imageReferences(data: Record<string, unknown>): { file: string; path: PathSegment[] }[] {
  const out: { file: string; path: PathSegment[] }[] = [];
  const add = (image: unknown, path: PathSegment[]) => {
    if (typeof image === 'string') out.push({ file: image, path });
    else if (isMapping(image)) for (const [k, f] of Object.entries(image)) if (typeof f === 'string') out.push({ file: f, path: [...path, k] });
  };
  const { items, at } = layerListOf(data);
  items.forEach((l, i) => isMapping(l) && add(l.image, [...at, i, 'image']));
  if (Array.isArray(data.sizes)) {
    data.sizes.forEach((s, i) => {
      if (isMapping(s) && isMapping(s.layers)) for (const [id, o] of Object.entries(s.layers)) if (isMapping(o)) add(o.image, ['sizes', i, 'layers', id, 'image']);
    });
  }
  return out.filter((r) => IMAGE_FILE.test(r.file));
}

/** The files read (by path as written) and what was wrong with the others. */
export async function readLayerFiles(data: Record<string, unknown>, campaignDir: string, projectRoot: string): Promise<{ files: Map<string, LayerFile>; findings: Finding[] }> {
  const files = new Map<string, LayerFile>();
  const findings: Finding[] = [];
  for (const { file, path } of imageReferences(data)) {
    if (files.has(file)) continue;
    const read = await readProjectFile(resolve(campaignDir, file), projectRoot, { maxBytes: MAX_REFERENCE_BYTES, shown: file, what: 'image layer file' });
    if ('problem' in read) {
      findings.push(finding(read.code ?? 'E_LAYER', read.facts, path));
      continue;
    }
    const checked = await checkImage(file, read.bytes);
    if ('kind' in checked) findings.push(finding('E_LAYER', checked, path));
    else files.set(file, checked);
  }
  return { files, findings };
}

type Problem = Extract<Parameters<typeof finding<'E_LAYER'>>[1], { kind: string }>;

async function checkImage(file: string, bytes: Buffer): Promise<LayerFile | Problem> {
  let header: { format?: string; width?: number; height?: number };
  try {
    header = await readImageHeader(bytes);
  } catch {
    return { kind: 'not-image', file };
  }
  if (header.format !== 'svg' && header.format !== 'png') return { kind: 'not-image', file, ...(header.format ? { format: header.format } : {}) };
  if (header.format === 'svg') {
    const text = bytes.toString('utf8');
    const unsafe = SVG_UNSAFE.find(([re]) => re.test(text));
    if (unsafe) return { kind: 'svg-unsafe', file, found: unsafe[1] };
  }
  const { width, height } = header;
  if (!width || !height) return { kind: 'no-dimensions', file };
  if (header.format === 'png' && width * height > MAX_INPUT_PIXELS) return { kind: 'too-many-pixels', file, width, height, limit: MAX_INPUT_PIXELS };
  return { path: file, sha256: createHash('sha256').update(bytes).digest('hex'), format: header.format, width, height, bytes: new Uint8Array(bytes) };
}
