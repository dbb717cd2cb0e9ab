import type { ReferenceLimitFacts } from '../../core/input-facts.js';
import type { Reference, ModelId, PixelSize } from '../../core/campaign.js';
import { checkSize, nearestPreset, SEEDREAM_RULES } from '../kit/sizes.js';
import { RUNCOMFY_MODELS } from './models.js';
import { checkOptions, oneOf, type OptionProblem, type OptionTable } from '../kit/options.js';

export { RUNCOMFY_MODELS };

/**
 * RunComfy Model API request and response shapes (docs/providers/runcomfy.md: Endpoints, Request bodies, Responses, Status lifecycle), as pure functions.
 */

/** The enumerated `resolution` values with explicit sizes (`2K`/`4K` let the model pick). */
export const RUNCOMFY_RESOLUTIONS: readonly string[] = [
  '2048x2048 (1:1)',
  '2304x1728 (4:3)',
  '1728x2304 (3:4)',
  '2560x1440 (16:9)',
  '1440x2560 (9:16)',
  '2496x1664 (3:2)',
  '1664x2496 (2:3)',
  '3024x1296 (21:9)',
  '4096x4096 (1:1)',
];

/** Upstream per-image limit (docs/providers/seedream.md, Other upstream limits). */
export const MAX_REFERENCE_BYTES = 10 * 1024 * 1024;
const REFERENCE_MIMES = new Set(['image/png', 'image/jpeg']);

export function parseResolution(value: string): PixelSize | undefined {
  const match = /^(\d+)x(\d+) \(\d+:\d+\)$/.exec(value);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** Every `resolution` value of the 4.5 text-to-image schema, the model-chosen ones included. */
export const RUNCOMFY_RESOLUTION_ENUM: readonly string[] = ['2K', '4K', ...RUNCOMFY_RESOLUTIONS];

export function checkRunComfyOptions(model: ModelId, options: Readonly<Record<string, unknown>>): OptionProblem[] {
  const table: OptionTable = RUNCOMFY_MODELS[model]?.resolution ? { resolution: oneOf(...RUNCOMFY_RESOLUTION_ENUM) } : {};
  return checkOptions('runcomfy', table, options);
}

export function resolutionLabel(size: PixelSize): string | undefined {
  return RUNCOMFY_RESOLUTIONS.find((r) => {
    const p = parseResolution(r);
    return p?.width === size.width && p.height === size.height;
  });
}

/** The enumerated sizes the model's pixel range admits (5-lite stops below 4096x4096). */
/** The schema's default resolution, `2048x2048 (1:1)`. */
const DEFAULT_SIZE: PixelSize = { width: 2048, height: 2048 };

export function presetsFor(model: ModelId): PixelSize[] {
  return RUNCOMFY_RESOLUTIONS.map((r) => parseResolution(r)!).filter((p) => !checkSize(p, SEEDREAM_RULES[model]));
}

/**
 * Nearest aspect among the presets; among presets of that aspect, the smallest that covers
 * the delivery size (so a 1080x1080 post gets 2048x2048, a 3000x3000 print 4096x4096).
 */
export function runComfyGenerationSize(model: ModelId, delivery: PixelSize): PixelSize {
  // Without a documented `resolution` the model makes its documented default.
  if (!RUNCOMFY_MODELS[model]?.resolution) return DEFAULT_SIZE;
  const presets = presetsFor(model);
  const nearest = nearestPreset(delivery, presets);
  const sameAspect = presets
    .filter((p) => p.width * nearest.height === p.height * nearest.width)
    .sort((a, b) => a.width * a.height - b.width * b.height);
  return sameAspect.find((p) => p.width >= delivery.width && p.height >= delivery.height) ?? sameAspect.at(-1) ?? nearest;
}

export function checkRunComfyReferences(model: ModelId, references: readonly Reference[]): ReferenceLimitFacts[] {
  if (references.length === 0) return [];
  const provider = 'runcomfy';
  const endpoints = RUNCOMFY_MODELS[model];
  const MAX_REFERENCES = endpoints?.maxReferences ?? 0;
  if (!endpoints?.edit) return [{ provider, kind: 'no-edit-model', model }];
  const problems: ReferenceLimitFacts[] = [];
  if (references.length > MAX_REFERENCES) problems.push({ provider, kind: 'count', count: references.length, max: MAX_REFERENCES });
  for (const ref of references) {
    if (ref.kind === 'url') {
      if (!ref.url.startsWith('https://')) problems.push({ provider, kind: 'url-scheme', entry: `reference ${ref.url}`, httpsOnly: true });
      continue;
    }
    const entry = `reference ${ref.path}`;
    if (!REFERENCE_MIMES.has(ref.mime)) problems.push({ provider, kind: 'mime', entry, mime: ref.mime, accepted: 'JPEG or PNG for its edit model' });
    if (ref.bytes.byteLength > MAX_REFERENCE_BYTES) problems.push({ provider, kind: 'bytes', entry, bytes: ref.bytes.byteLength, max: MAX_REFERENCE_BYTES });
  }
  return problems;
}

/** A reference as the `images` array takes it: https URLs as is, local files as data URIs. */
export function referenceUri(ref: Reference): string {
  if (ref.kind === 'url') return ref.url;
  return `data:${ref.mime};base64,${Buffer.from(ref.bytes.buffer, ref.bytes.byteOffset, ref.bytes.byteLength).toString('base64')}`;
}

export interface SubmitBody {
  readonly modelPath: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export function buildSubmit(
  model: ModelId,
  prompt: string,
  size: PixelSize,
  references: readonly Reference[],
  options: Readonly<Record<string, unknown>>,
): SubmitBody | string {
  const endpoints = RUNCOMFY_MODELS[model];
  if (!endpoints) return `runcomfy does not offer ${model}`;
  const edit = references.length > 0;
  if (edit && !endpoints.edit) return `runcomfy documents no image-to-image model for ${model}`;
  // Only the fields the endpoint's schema documents: `resolution` on 4.5 text-to-image (a
  // campaign may pick one, e.g. `4K`, checked at validate), `images` on edit.
  const body: Record<string, unknown> = { prompt };
  if (edit) body['images'] = references.map(referenceUri);
  else if (endpoints.resolution) {
    const chosen = options['resolution'];
    body['resolution'] = typeof chosen === 'string' ? chosen : (resolutionLabel(size) ?? resolutionLabel(runComfyGenerationSize(model, size))!);
  }
  return { modelPath: edit ? endpoints.edit! : endpoints.wire, body };
}

export type RunComfyState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export function stateOf(status: unknown): RunComfyState {
  switch (typeof status === 'string' ? status.toLowerCase() : '') {
    case 'in_queue':
    case 'queued':
    case 'pending':
      return 'queued';
    case 'in_progress':
    case 'running':
    case 'processing':
      return 'running';
    case 'completed':
    case 'succeeded':
    case 'success':
      return 'completed';
    case 'failed':
    case 'error':
      return 'failed';
    case 'cancelled':
    case 'canceled':
      return 'cancelled';
    default:
      return 'unknown';
  }
}

/** `output.image`, else `output.images[0]`. */
export function outputUrl(result: Record<string, unknown>): string | undefined {
  const output = result['output'];
  if (output === null || typeof output !== 'object') return undefined;
  const { image, images } = output as { image?: unknown; images?: unknown };
  if (typeof image === 'string' && image !== '') return image;
  if (Array.isArray(images) && typeof images[0] === 'string') return images[0];
  return undefined;
}
