import type { ModelData, ModelTable } from '../kit/models.js';

/** RunComfy's Seedream models (docs/providers/runcomfy.md: Endpoints, Request bodies, Limits). */
export interface RunComfyModel extends ModelData {
  /** Undefined where no edit model is documented: references are refused at plan time. */
  readonly edit?: string;
  /**
   * Whether the text-to-image schema documents `resolution`. Only 4.5's does; the edit schema
   * documents `prompt` and `images`, 5-lite's only `prompt`, and nothing undocumented is sent.
   */
  readonly resolution: boolean;
}

/** No documented limit; community clients cap at 2000, so a longer prompt is a gamble. */
const PROMPT = { min: 1, max: 2000 } as const;

/**
 * Prices are estimates in USD: RunComfy's are not in the reference material, so these are the
 * upstream BytePlus list prices. Campaigns can override them with `prices`.
 *
 * Only documented model ids. Seedream 4.0 has no documented text-to-image id (only
 * `seedream-4-0/edit-sequential`, which takes `text` instead of `prompt`), and 5-lite has no
 * documented edit id, so neither is guessed. `wire` is the text-to-image path.
 */
export const RUNCOMFY_MODELS: ModelTable<RunComfyModel> = {
  'seedream-4.5': {
    wire: 'bytedance/seedream-4-5/text-to-image',
    edit: 'bytedance/seedream-4-5/edit',
    resolution: true,
    promptLimits: PROMPT,
    maxReferences: 14,
    price: { amount: 0.04, currency: 'USD' },
  },
  'seedream-5-lite': { wire: 'bytedance/seedream-5/lite/text-to-image', resolution: false, promptLimits: PROMPT, maxReferences: 0, price: { amount: 0.035, currency: 'USD' } },
};
