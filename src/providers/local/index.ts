import { AbortedError, ProviderError } from '../../core/errors.js';
import { SEEDREAM_RULES, generationSizeFor } from '../kit/sizes.js';
import { MODEL_IDS } from '../../core/campaign.js';
import { type GenerationRequest } from '../../core/generation.js';
import { type ProviderContext, type ProviderFactory } from '../types.js';

/** Seedream's own limits (16:1 of 16 MP); beyond them a proof would only exhaust memory. */
const MAX_SIDE = 16_384;
const MAX_PIXELS = 16_777_216;

/**
 * The offline provider: instead of calling a model it draws a proof of what was asked for, so a
 * campaign can be built, cropped and reviewed without keys or network. Deterministic per request.
 */
export const createLocalProvider: ProviderFactory = () => ({
  name: 'local',
  models: MODEL_IDS,
  requiredEnv: [],
  defaultConcurrency: 2,
  prices: { 'seedream-4.0': 0, 'seedream-4.5': 0, 'seedream-5-lite': 0 },
  idempotentSubmit: true,
  cpuBound: true,
  generationSize: (model, delivery) => generationSizeFor(delivery, SEEDREAM_RULES[model]),
  async generate(request: GenerationRequest, ctx: ProviderContext) {
    throwIfAborted(ctx.signal);
    const { width, height } = request.size;
    if (![width, height].every((n) => Number.isInteger(n) && n > 0 && n <= MAX_SIDE) || width * height > MAX_PIXELS) {
      throw new ProviderError({ provider: 'local', category: 'invalid_input', mayHaveReachedServer: false }, `cannot render a ${width}x${height} proof`);
    }
    const { label } = request;
    // The proof's typesetter and sharp load with the first proof: a plan or a no-op build draws none.
    const { renderProof } = await import('./proof.js');
    const bytes = await renderProof({
      key: request.key,
      width,
      height,
      headline: label.headline,
      copy: label.copy,
      direction: label.direction,
      locale: label.locale,
      smallPrint: [
        // No locale on a background that text layers share between locales.
        `${[label.variant, label.locale, label.size].filter(Boolean).join(' · ')} · ${width}×${height} · ${request.model} (local proof)`,
        request.prompt,
      ],
    });
    throwIfAborted(ctx.signal);
    return { bytes, ...(request.seed !== undefined ? { seed: request.seed } : {}) };
  },
});

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortedError();
}
