import { checkOptions, integerIn, oneOf, type OptionTable } from '../kit/options.js';
import type { ModelId } from '../../core/campaign.js';

/**
 * The Runware `imageInference` settings a campaign may set (docs/providers/runware.md, request
 * fields). `providerSettings.bytedance.maxSequentialImages` is not among them: Runware bills
 * every sequential image and the pipeline keeps one.
 */
export const RUNWARE_OPTIONS: OptionTable = {
  outputFormat: oneOf('JPG', 'JPEG', 'PNG', 'WEBP'),
  outputQuality: integerIn(20, 99),
  numberResults: integerIn(1, 20),
  'providerSettings.bytedance.optimizePromptMode': oneOf('standard', 'fast'),
};

export const checkRunwareOptions = (_model: ModelId, options: Readonly<Record<string, unknown>>) => checkOptions('runware', RUNWARE_OPTIONS, options);
