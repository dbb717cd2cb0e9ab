/**
 * `--shard i/n`: which runner of n builds a generation. By the generation key (a SHA-256 hex
 * digest), so the partition is stable across runners, runs and campaign order, and even.
 */

export interface Shard {
  /** 1-based, as CI matrices count. */
  readonly index: number;
  readonly count: number;
}

export function inShard(key: string, shard: Shard): boolean {
  return Number.parseInt(key.slice(0, 8), 16) % shard.count === shard.index - 1;
}

/** "2/4" -> { index: 2, count: 4 }; undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}
