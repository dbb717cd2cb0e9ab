import type { ReferenceLimitFacts } from '../core/input-facts.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import type { GenerationRequest, GenerationResult, PriorAttempt, ProgressEvent } from '../core/generation.js';
import type { ModelId, PixelSize, ProviderName, Reference } from '../core/campaign.js';
import type { HttpClient } from '../http/client.js';
import type { WebhookHub } from '../http/webhook.js';
import type { ModelTable } from './kit/models.js';
import type { OptionProblem } from './kit/options.js';


/**
 * The job's journal handle. Adapters call `submitting` just before a submit leaves the process
 * and `submitted` the moment a task id comes back, so a killed build can resume the remote task.
 */
export interface JobJournal {
  readonly prior?: PriorAttempt;
  submitting(clientTaskId?: string): Promise<void>;
  submitted(taskId: string): Promise<void>;
}

export interface ProviderContext {
  readonly signal: AbortSignal;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  readonly journal: JobJournal;
  /** The provider asked us to slow down (429, RunningHub 421/1520/1003): the scheduler adapts. */
  readonly onRateLimited: (retryAfterMs?: number) => void;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Overall deadline for this job, in `clock` milliseconds. */
  readonly deadline: number;
}

export type { PromptLimits } from './kit/models.js';

export interface ProviderInfo {
  readonly name: ProviderName;
  readonly models: readonly ModelId[];
  /** Environment variables that must be set before any job starts. */
  readonly requiredEnv: readonly string[];
  readonly defaultConcurrency: number;
  /** Built-in USD price per image, for `pressroom plan` estimates. */
  readonly prices: Readonly<Partial<Record<ModelId, number>>>;
  /** Renders on this machine's CPU (local): shares the post-processing pool instead of adding to it. */
  readonly cpuBound?: boolean;
  /** Model data (prompt limits, references, prices) per model; absent for the offline provider. */
  readonly modelTable?: ModelTable;
  /** One request can return several images (Runware numberResults): the option's name and its maximum. */
  readonly multipleResults?: { readonly option: string; readonly max: number };
  /** True when the API takes a client-chosen task id, making submits idempotent. */
  readonly idempotentSubmit: boolean;
  /** The generation size to request for a delivery size (same aspect, or the nearest allowed). */
  generationSize(model: ModelId, delivery: PixelSize): PixelSize;
  /** Checks the provider's reference limits (count, bytes, formats); returns problems as text. */
  checkReferences?(model: ModelId, references: readonly Reference[]): readonly ReferenceLimitFacts[];
  /** Checks campaign `providerOptions` against what the adapter understands; paths are under providerOptions. */
  checkOptions?(model: ModelId, options: Readonly<Record<string, unknown>>): readonly OptionProblem[];
}

export interface Provider extends ProviderInfo {
  generate(request: GenerationRequest, ctx: ProviderContext): Promise<GenerationResult>;
}

/** Configuration handed to a provider factory: environment only, never from campaign files. */
export interface ProviderConfig {
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Replaces the provider's recommended poll cadence with a fixed interval
   * (PRESSROOM_POLL_INTERVAL_MS): for emulators and benchmarks, not for production hosts.
   */
  readonly pollIntervalMs?: number;
  /** Jitter source for poll schedules (tests pass a constant). */
  readonly random?: () => number;
  /**
   * Provider callbacks, when the build runs behind a public URL (PRESSROOM_WEBHOOK_URL): providers
   * that support them ask for one and poll only at the hub's slow safety cadence.
   */
  readonly webhooks?: WebhookHub;
}

export type ProviderFactory = (config: ProviderConfig) => Provider;
