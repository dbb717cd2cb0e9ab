/**
 * Programmatic API: the same stages the CLI wires together, for scripts and other tools.
 * `prepareCampaigns` (manifest -> plan -> render), then `planCampaigns` or `runBuild`.
 */
export { runCli } from './cli.js';
export { prepareCampaigns, type PrepareOptions, type PreparedCampaign } from './commands/prepare.js';
export { runBuild, type BuildDeps, type BuildOptions } from './commands/build.js';
export { type BuildResult } from './core/results.js';
export type { CampaignResult } from './core/results.js';
export { planCampaigns } from './commands/plan.js';
export { type CampaignPlan } from './core/results.js';
export { loadCampaign, findCampaigns } from './manifest/load.js';
export type { ResolvedCampaign } from './core/campaign.js';
export { createProviders } from './providers/registry.js';
export type { GenerationRequest, GenerationResult } from './core/generation.js';
export type { ModelId, ProviderName } from './core/campaign.js';
export type { Provider, ProviderContext } from './providers/types.js';
export { InputError, PressroomError, ProviderError, type Problem } from './core/errors.js';
export type { CampaignManifest } from './core/results.js';
