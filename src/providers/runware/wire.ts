import { z } from 'zod';
import type { Reference } from '../../core/campaign.js';
import { runwareErrors, TASK_MISSING_CODES, type RunwareErrorEntry } from './classify.js';
import type { GenerationRequest } from '../../core/generation.js';
import { RUNWARE_MODELS } from './models.js';

/** Runware's wire format (docs/providers/runware.md: `imageInference` request fields, Responses, Status lifecycle): pure builders and readers, no I/O. */

/**
 * Fields the adapter owns: a campaign's providerOptions may not change how results are
 * delivered (webhooks, sync, several results) or what identifies the task.
 */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set([
  'taskType',
  'taskUUID',
  'model',
  'positivePrompt',
  'width',
  'height',
  'seed',
  'inputs',
  'referenceImages',
  'deliveryMethod',
  'outputType',
  'includeCost',
  'numberResults',
  'webhookURL',
  'uploadEndpoint',
  'apiKey',
]);

/** Local files travel inline as data URIs; URLs pass through untouched. */
export function referenceToWire(ref: Reference): string {
  if (ref.kind === 'url') return ref.url;
  return `data:${ref.mime};base64,${Buffer.from(ref.bytes).toString('base64')}`;
}

/** `numberResults` from providerOptions (1..20, checked at validate): several candidates of one cell. */
export function resultCount(options: Readonly<Record<string, unknown>>): number {
  const n = options['numberResults'];
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 20 ? n : 1;
}

function outputFormat(value: unknown): string {
  if (typeof value !== 'string') return 'PNG';
  const upper = value.toUpperCase();
  return upper === 'JPEG' ? 'JPG' : upper;
}

export interface InferenceTask {
  readonly task: Record<string, unknown>;
  /** providerOptions keys that were ignored because the adapter owns them. */
  readonly ignored: readonly string[];
}

/** `webhookUrl`: where Runware POSTs each finished result, when the build runs behind a public URL. */
export function imageInferenceTask(request: GenerationRequest, taskUUID: string, webhookUrl?: string): InferenceTask {
  const extra: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(request.options)) {
    if (RESERVED_FIELDS.has(key)) ignored.push(key);
    else extra[key] = value;
  }
  const task: Record<string, unknown> = {
    ...extra,
    taskType: 'imageInference',
    taskUUID,
    model: RUNWARE_MODELS[request.model]!.wire,
    positivePrompt: request.prompt,
    width: request.size.width,
    height: request.size.height,
    outputType: 'URL',
    outputFormat: outputFormat(request.options['outputFormat']),
    deliveryMethod: 'async',
    includeCost: true,
    numberResults: resultCount(request.options),
  };
  if (request.seed !== undefined) task['seed'] = request.seed;
  if (webhookUrl) task['webhookURL'] = webhookUrl;
  if (request.references.length > 0) task['inputs'] = { referenceImages: request.references.map(referenceToWire) };
  return { task, ignored };
}

export function getResponseTask(taskUUID: string): Record<string, unknown> {
  return { taskType: 'getResponse', taskUUID };
}

export interface ResultItem {
  readonly imageURL?: string;
  /** Inline result (outputType dataURI/base64Data), decoded. */
  readonly bytes?: Uint8Array;
  readonly cost?: number;
  readonly seed?: number;
  /** Runware's own safety check flagged the image (it is blanked then). */
  readonly nsfw: boolean;
}

export type TaskState =
  | { readonly kind: 'processing'; readonly progress?: number }
  /** `item` is the first of `items`; with numberResults N, success waits for all N. */
  | { readonly kind: 'success'; readonly item: ResultItem; readonly items: readonly ResultItem[] }
  | { readonly kind: 'failed'; readonly error: RunwareErrorEntry }
  | { readonly kind: 'missing'; readonly code: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function inlineBytes(item: Record<string, unknown>): Uint8Array | undefined {
  const dataUri = item['imageDataURI'];
  if (typeof dataUri === 'string' && dataUri.includes(',')) return Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1), 'base64');
  const base64 = item['imageBase64Data'];
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64') : undefined;
}

function toResult(item: Record<string, unknown>): ResultItem | undefined {
  const imageURL = typeof item['imageURL'] === 'string' ? item['imageURL'] : undefined;
  const bytes = imageURL ? undefined : inlineBytes(item);
  if (!imageURL && !bytes) return undefined;
  return { imageURL, bytes, cost: finite(item['cost']), seed: finite(item['seed']), nsfw: item['NSFWContent'] === true };
}

/**
 * The state of task `taskUUID` in a 2xx body (the submit acknowledgement or a getResponse
 * answer), or undefined when the body is not a Runware envelope at all.
 */
export function readTaskState(body: unknown, taskUUID: string, expected = 1): TaskState | undefined {
  if (!isRecord(body) || (!Array.isArray(body['data']) && !Array.isArray(body['errors']))) return undefined;
  const mine = (id: unknown) => id === undefined || id === taskUUID;
  const error = runwareErrors(body).find((e) => mine(e.taskUUID));
  if (error) {
    return error.code && TASK_MISSING_CODES.has(error.code) ? { kind: 'missing', code: error.code } : { kind: 'failed', error };
  }
  const items = (Array.isArray(body['data']) ? body['data'] : []).filter((i): i is Record<string, unknown> => isRecord(i) && mine(i['taskUUID']));
  const done: ResultItem[] = [];
  for (const item of items) {
    const status = item['status'];
    if (status !== undefined && status !== 'success') continue;
    const result = toResult(item);
    if (result) done.push(result);
  }
  // Async results arrive one item at a time: the task is done when all asked for are in.
  if (done.length >= expected) return { kind: 'success', item: done[0]!, items: done.slice(0, expected) };
  const progress = items.map((i) => finite(i['progress'])).find((p) => p !== undefined);
  return progress === undefined ? { kind: 'processing' } : { kind: 'processing', progress };
}

/**
 * A webhook call: the bare result item, no `data` wrapper, one call per finished result
 * (docs/providers/runware.md, Webhooks). Only its taskUUID is read: the poll confirms the rest.
 */
const RunwareCallback = z.object({ taskUUID: z.string().min(1).max(100) });

export function callbackTaskIds(body: unknown): readonly string[] {
  const items = Array.isArray(body) ? body : z.object({ data: z.array(z.unknown()) }).safeParse(body).data?.data ?? [body];
  return items.flatMap((item) => {
    const parsed = RunwareCallback.safeParse(item);
    return parsed.success ? [parsed.data.taskUUID] : [];
  });
}
