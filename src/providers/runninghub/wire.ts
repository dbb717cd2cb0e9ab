import { checkSize, generationSizeFor, SEEDREAM_RULES, type SizeRule } from '../kit/sizes.js';
import type { ModelId, PixelSize } from '../../core/campaign.js';
import { RUNNINGHUB_MODELS } from './models.js';
import { checkOptions } from '../kit/options.js';
import { z } from 'zod';

/** RunningHub's v2 request and response shapes (docs/providers/runninghub.md: Endpoints through Status lifecycle). */

/** Why RunningHub would refuse `size` for `model`, or undefined. */
export function checkRunningHubSize(model: ModelId, size: PixelSize): string | undefined {
  const bounds = RUNNINGHUB_MODELS[model]!.sides;
  for (const side of ['width', 'height'] as const) {
    const [lo, hi] = bounds[side];
    if (size[side] < lo || size[side] > hi) return `${side} ${size[side]} is outside ${lo}..${hi}`;
  }
  return checkSize(size, SEEDREAM_RULES[model]);
}

/**
 * generationSizeFor takes symmetric side bounds, but v5-lite's differ per axis. The long side is
 * the one that can hit a maximum and the short side the one that can hit a minimum, so the rule
 * for an orientation pairs the short axis's minimum with the long axis's maximum; if rounding
 * still breaks an axis bound, fall back to the intersection of both axes' bounds.
 */
export function runningHubGenerationSize(model: ModelId, delivery: PixelSize): PixelSize {
  const base = SEEDREAM_RULES[model];
  const { width, height } = RUNNINGHUB_MODELS[model]!.sides;
  const landscape = delivery.width >= delivery.height;
  const oriented: SizeRule = landscape
    ? { ...base, minSide: height[0], maxSide: width[1] }
    : { ...base, minSide: width[0], maxSide: height[1] };
  const size = generationSizeFor(delivery, oriented);
  if (!checkRunningHubSize(model, size)) return size;
  const conservative: SizeRule = {
    ...base,
    minSide: Math.max(width[0], height[0]),
    maxSide: Math.min(width[1], height[1]),
  };
  return generationSizeFor(delivery, conservative);
}

export interface TaskEnvelope {
  readonly taskId?: string;
  readonly status?: string;
  readonly errorCode?: string;
  readonly resultUrl?: string;
  /** `usage.consumeMoney`, parsed. */
  readonly cost?: number;
}

export const NON_TERMINAL = new Set(['CREATE', 'QUEUED', 'RUNNING']);
export const TERMINAL_FAILURE = new Set(['FAILED', 'CANCEL']);

function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads a submit or query answer leniently: `taskId` or `task_id`, `url` or `outputUrl`. */
export function parseTask(body: unknown): TaskEnvelope {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const results = Array.isArray(b['results']) ? (b['results'] as unknown[]) : [];
  let resultUrl: string | undefined;
  for (const item of results) {
    if (item && typeof item === 'object') {
      resultUrl = str((item as Record<string, unknown>)['url']) ?? str((item as Record<string, unknown>)['outputUrl']);
      if (resultUrl) break;
    }
  }
  const usage = b['usage'] && typeof b['usage'] === 'object' ? (b['usage'] as Record<string, unknown>) : {};
  const money = Number(str(usage['consumeMoney']) ?? Number.NaN);
  return {
    taskId: str(b['taskId']) ?? str(b['task_id']),
    status: str(b['status'])?.toUpperCase(),
    errorCode: str(b['errorCode']),
    resultUrl,
    cost: Number.isFinite(money) && money >= 0 ? money : undefined,
  };
}

/**
 * The Seedream endpoints document no field beyond those the adapter sets (no seed, watermark,
 * output format or webhook), so every campaign `providerOptions` key is refused at validate.
 */
export const checkRunningHubOptions = (_model: ModelId, options: Readonly<Record<string, unknown>>) => checkOptions('runninghub', {}, options);

/** Fields the adapter sets itself; campaign `providerOptions` cannot override them. */
const OWN_FIELDS = new Set(['prompt', 'width', 'height', 'imageUrls', 'maxImages', 'sequentialImageGeneration', 'resolution', 'webhookUrl']);

/**
 * The submit body. `resolution` is dropped because RunningHub lets it win over width x height, and
 * the pipeline needs the exact size it planned; one image per task keeps results and cost simple.
 */
export function submitBody(
  prompt: string,
  size: PixelSize,
  imageUrls: readonly string[],
  options: Readonly<Record<string, unknown>>,
  webhookUrl?: string,
): Record<string, unknown> {
  const extra = Object.fromEntries(Object.entries(options).filter(([k]) => !OWN_FIELDS.has(k)));
  return {
    ...extra,
    ...(webhookUrl ? { webhookUrl } : {}),
    prompt,
    width: size.width,
    height: size.height,
    sequentialImageGeneration: 'disabled',
    maxImages: 1,
    ...(imageUrls.length > 0 ? { imageUrls } : {}),
  };
}

/**
 * A webhook call's task id. For Seedream endpoints the payload is undocumented; RunningHub's
 * workflow webhooks send `{event: 'TASK_END', taskId, eventData}`, and `task_id` is read too, as
 * for submits. Only the id is read: the `query` that follows says what became of the task.
 */
const RunningHubCallback = z.union([
  z.object({ taskId: z.union([z.string().min(1).max(40), z.number().int()]) }),
  z.object({ task_id: z.union([z.string().min(1).max(40), z.number().int()]) }),
]);

export function callbackTaskIds(body: unknown): readonly string[] {
  const parsed = RunningHubCallback.safeParse(body);
  if (!parsed.success) return [];
  return [String('taskId' in parsed.data ? parsed.data.taskId : parsed.data.task_id)];
}
