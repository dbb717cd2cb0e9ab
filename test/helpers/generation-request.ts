import type { GenerationLabel, GenerationRequest } from '../../src/core/generation.js';

/**
 * A GenerationRequest for provider and run tests: a Seedream 4.5 square with no references or
 * options and a plain label. Give what the test is about; `label` merges into the default label.
 */
export function generationRequest(overrides: Partial<GenerationRequest> = {}, label: Partial<GenerationLabel> = {}): GenerationRequest {
  return {
    key: 'k',
    provider: 'local',
    model: 'seedream-4.5',
    prompt: 'a bottle',
    size: { width: 1024, height: 1024 },
    references: [],
    options: {},
    ...overrides,
    label: { campaign: 'c', variant: 'v', locale: 'en-US', size: 's', headline: 'h', copy: '', direction: 'ltr', ...overrides.label, ...label },
  };
}
