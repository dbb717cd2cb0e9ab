/**
 * Programmatic API: the same stages the CLI wires together, for scripts and other tools.
 * `prepareCampaigns` (manifest -> plan -> render), then `planCampaigns` or `runBuild`.
 */
export { runCli } from './cli.js';
export { prepareCampaigns, type PrepareOptions, type PreparedCampaign } from './commands/prepare.js';
export { runBuild, type BuildDeps, type BuildOptions, type BuildResult } from './commands/build.js';
export type { CampaignResult } from './commands/assemble.js';
export { planCampaigns, type CampaignPlan } from './commands/plan.js';
export { loadCampaign, findCampaigns } from './manifest/load.js';
export type { ResolvedCampaign } from './manifest/types.js';
export { createProviders } from './providers/registry.js';
export type { GenerationRequest, GenerationResult, ModelId, Provider, ProviderContext, ProviderName } from './providers/types.js';
export { InputError, PressroomError, ProviderError, type Problem } from './errors.js';
export type { CampaignManifest } from './report/manifest.js';
