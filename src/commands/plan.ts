import type { Generation } from '../core/generation.js';
import type { CampaignPlan, PlannedGeneration } from '../core/results.js';
import { pickedGenerations } from '../plan/approvals.js';
import { candidateRequests } from '../plan/candidates.js';
import { listRemoteKeys } from '../cache/layered.js';
import { openCacheStore, type CacheStore } from '../cache/store.js';
import { type FolderSources, preflightPlan } from './preflight.js';
import type { PreparedCampaign } from './prepare.js';
import { openRemoteStore, type RemoteSettings } from './remote.js';

/** USD per image of a campaign's model: the campaign's `prices:` over the provider's table; undefined when neither knows. */
export function priceOf(p: PreparedCampaign): { readonly price?: number; readonly override?: number } {
  const override = p.campaign.prices?.[p.campaign.model];
  return { price: override ?? p.provider.prices[p.campaign.model], override };
}

export interface PlanOptions {
  readonly cacheDir: string;
  readonly force: boolean;
  readonly sources?: FolderSources;
  /** A remote cache behind the local one: what it holds counts as cached, found by one listing. */
  readonly remote?: RemoteSettings;
  /** Says when the remote cannot be listed (the counts are then the local cache's alone). */
  readonly warn?: (message: string) => void;
  /** Review candidates per cell, over each campaign's own `candidates`. */
  readonly candidates?: number;
}

/** What a build would do, without calling any provider: cache lookups only. */
export async function planCampaigns(prepared: readonly PreparedCampaign[], options: PlanOptions): Promise<readonly CampaignPlan[]> {
  await preflightPlan(options);
  const cache = openCacheStore(options.cacheDir);
  const isCached = cachedKeys(cache, options);
  return Promise.all(
    prepared.map(async (p) => {
      // What a build delivers: a cell approved with --pick from its candidate (never generated again).
      const { generations, fromCache } = pickedGenerations(p.approvals, p.generations, p.provider.multipleResults);
      const hits = options.force ? [] : await Promise.all(generations.map((g) => isCached(g.key)));
      const due = generations.filter((g, i) => !hits[i] && !fromCache.has(g.key));
      const cached = hits.filter(Boolean).length;
      const toGenerate = due.length;
      // A request asking for several images (numberResults) is billed for each of them.
      const images = due.reduce((s, g) => s + 1 + (g.extraImageKeys?.length ?? 0), 0);
      const { price, override } = priceOf(p);
      const requested = (g: Generation, candidate: boolean): PlannedGeneration => {
        const billed = 1 + (g.extraImageKeys?.length ?? 0);
        const cells = g.cells.map((c) => ({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id }));
        return { key: g.key, cells, images: billed, estimatedCost: price === undefined ? null : roundUsd(billed * price), ...(candidate ? { candidate: true as const } : {}) };
      };
      const candidates = await candidatesToGenerate(p, options.candidates ?? p.campaign.candidates ?? 1, isCached);
      const requests = [...due.map((g) => requested(g, false)), ...candidates.map((g) => requested(g, true))];
      const reviewImages = candidates.reduce((s, g) => s + 1 + (g.extraImageKeys?.length ?? 0), 0);
      return {
        name: p.campaign.name,
        provider: p.provider.name,
        model: p.campaign.model,
        assets: p.cells.length,
        generations: generations.length,
        cached,
        toGenerate,
        price: price ?? null,
        priceSource: override !== undefined ? 'campaign' : price !== undefined ? 'provider' : 'unknown',
        // An unknown price is never taken for free: nothing to generate costs 0, anything else is unknown.
        // Review candidates are images paid for too (plan shows generations; the cost counts them).
        estimatedCost: price === undefined ? (images + reviewImages === 0 ? 0 : null) : roundUsd((images + reviewImages) * price),
        ...(p.campaign.budget !== undefined ? { budget: p.campaign.budget } : {}),
        requests,
      };
    }),
  );
}

const roundUsd = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** The candidate requests of a campaign a build would send: n - 1 per generation, minus cached requests (--force keeps candidates). */
async function candidatesToGenerate(p: PreparedCampaign, n: number, peek: (key: string) => Promise<unknown>): Promise<Generation[]> {
  if (n <= 1) return [];
  const requests = p.generations.flatMap((g) => candidateRequests(g, n, p.provider.multipleResults).generations);
  const cached = await Promise.all(requests.map((g) => peek(g.key)));
  return requests.filter((_, i) => !cached[i]);
}

/**
 * Whether a key is cached, each key looked at once however many campaigns share it: the local
 * entry, else the remote's listing (one paged LIST for the whole plan, made only on a local miss;
 * no request per key).
 */
function cachedKeys(cache: CacheStore, options: PlanOptions): (key: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>();
  let listing: Promise<ReadonlySet<string>> | undefined;
  const remoteKeys = (remote: RemoteSettings) =>
    (listing ??= openRemoteStore(remote)
      .then(listRemoteKeys)
      .catch((err: unknown) => {
        options.warn?.(`remote cache ${remote.url} could not be listed (${(err as Error)?.message ?? String(err)}); cached counts are the local cache's only`);
        return new Set<string>();
      }));
  const lookUp = async (key: string) => (await cache.peek(key)) !== undefined || (options.remote !== undefined && (await remoteKeys(options.remote)).has(key));
  return (key) => {
    let hit = seen.get(key);
    if (!hit) seen.set(key, (hit = lookUp(key)));
    return hit;
  };
}
