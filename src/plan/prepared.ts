import type { ResolvedCampaign } from '../core/campaign.js';
import type { Cell, Generation, PromptedCell } from '../core/generation.js';
import type { Provider } from '../providers/types.js';
import type { ApprovalLock } from './approval-lock.js';

/** A campaign as manifest -> plan -> render leave it, before anything runs: what every later step reads. */
export interface PreparedCampaign {
  readonly campaign: ResolvedCampaign;
  readonly provider: Provider;
  /** Every cell of the campaign, filtered or not: the manifest keeps the ones this build skips. */
  readonly allCells: readonly Cell[];
  readonly cells: readonly PromptedCell[];
  /** Under a shard, only the share's. */
  readonly generations: readonly Generation[];
  /** The folder holding campaigns/ and templates/: every project file is read inside it. */
  readonly projectRoot: string;
  /** campaigns/<campaign>/approved.lock, read and checked with the campaign; absent when there is none. */
  readonly approvals?: ApprovalLock;
}
