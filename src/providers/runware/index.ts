import type { ReferenceLimitFacts } from '../../core/input-facts.js';
import { checkRunwareOptions } from './options.js';
import { scheduleFor } from '../kit/polling.js';
import { type Reference, type ModelId } from '../../core/campaign.js';
import { generationSizeFor, SEEDREAM_RULES } from '../kit/sizes.js';
import { PROVIDER, type RunwareSettings } from './http.js';
import { runRunwareJob } from './queue.js';
import { callbackTaskIds } from './wire.js';
import { RUNWARE_MODELS } from './models.js';
import { modelsOf, usdPrices } from '../kit/models.js';
import { type ProviderFactory } from '../types.js';

/**
 * Runware REST adapter (docs/providers/runware.md): every task is POSTed as a JSON array to the
 * base URL itself; async delivery, polled with getResponse through the shared queue driver, and
 * with webhooks on, a `webhookURL` whose calls end a poll wait early.
 *
 * Local reference files travel inline as data URIs rather than through an imageUpload task:
 * referenceImages takes them directly, it saves a round trip with its own failure modes, the
 * upload would be stored downscaled to 2048 px, and unreleased product shots are not kept on
 * Runware's storage for 30 days.
 */

export const RUNWARE_DEFAULT_BASE_URL = 'https://api.runware.ai/v1';

/** Section 0 and 2.9: up to 14 references, each <= 10 MB, sides 14...6000 px, aspect 1/16...16. */
export const RUNWARE_REFERENCE_LIMITS = {
  maxCount: RUNWARE_MODELS['seedream-4.5']!.maxReferences,
  maxBytes: 10 * 1024 * 1024,
  minSide: 15,
  maxSide: 6000,
  maxPixels: 36_000_000,
  maxAspect: 16,
} as const;

/** Runware's SDK polls first after 1 s and backs off to 10 s: the schedule's start and cap. */
const SCHEDULE = { firstMs: 1_000, minMs: 150, capMs: 10_000 } as const;

export function checkRunwareReferences(_model: ModelId, references: readonly Reference[]): ReferenceLimitFacts[] {
  const provider = 'Runware';
  const limits = RUNWARE_REFERENCE_LIMITS;
  const problems: ReferenceLimitFacts[] = [];
  if (references.length > limits.maxCount) problems.push({ provider, kind: 'count', count: references.length, max: limits.maxCount });
  references.forEach((ref, i) => {
    const entry = `reference ${i + 1} (${ref.kind === 'file' ? ref.path : ref.url})`;
    if (ref.kind === 'url') {
      if (!/^https?:\/\//i.test(ref.url)) problems.push({ provider, kind: 'url-scheme', entry, httpsOnly: false });
      return;
    }
    if (ref.bytes.length > limits.maxBytes) problems.push({ provider, kind: 'bytes', entry, bytes: ref.bytes.length, max: limits.maxBytes });
    const { width, height } = ref;
    if (Math.min(width, height) < limits.minSide || Math.max(width, height) > limits.maxSide) {
      problems.push({ provider, kind: 'sides', entry, width, height, min: limits.minSide, max: limits.maxSide });
    } else if (width * height > limits.maxPixels || Math.max(width / height, height / width) > limits.maxAspect) {
      problems.push({ provider, kind: 'pixels-aspect', entry, width, height, maxPixels: limits.maxPixels, maxAspect: limits.maxAspect });
    }
  });
  return problems;
}

export const createRunwareProvider: ProviderFactory = (config) => {
  const webhook = config.webhooks?.route(PROVIDER, callbackTaskIds);
  const settings: RunwareSettings = {
    apiKey: config.env['RUNWARE_API_KEY'] ?? '',
    baseUrl: (config.env['RUNWARE_BASE_URL'] || RUNWARE_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    schedule: scheduleFor(config, { ...SCHEDULE, ...(config.random ? { random: config.random } : {}) }, true),
    ...(webhook ? { webhookUrl: webhook.url, watch: webhook.watch } : {}),
  };
  return {
    name: PROVIDER,
    models: modelsOf(RUNWARE_MODELS),
    requiredEnv: ['RUNWARE_API_KEY'],
    // Runware's own guidance: a steady 2-4 concurrent requests; 429 lowers it further.
    defaultConcurrency: 4,
    prices: usdPrices(RUNWARE_MODELS),
    modelTable: RUNWARE_MODELS,
    idempotentSubmit: true,
    multipleResults: { option: 'numberResults', max: 20 },
    // Range validation (section 0) holds for every model, including 4.0's listed presets.
    generationSize: (model, delivery) => generationSizeFor(delivery, SEEDREAM_RULES[model]),
    checkReferences: checkRunwareReferences,
    checkOptions: checkRunwareOptions,
    generate: (request, ctx) => runRunwareJob(settings, request, ctx),
  };
};
