// `--shard i/N`: point k (in expandSweep's order) belongs to shard (k mod N) + 1. Round-robin
// rather than contiguous blocks, so each shard gets a mix of small and large points and the shards
// of a Slurm array finish at about the same time.
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard must look like i/N (e.g. 1/4), got '${s}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${s}: need 1 <= i <= N`);
  return { index, count };
}

export function shardOf<T>(points: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return points.slice();
  return points.filter((_, k) => k % shard.count === shard.index - 1);
}
