/**
 * One stream: its shards (in id order), the open ones by hash key for routing, and resharding. A
 * split or merge closes the parent(s) (EndingSequenceNumber) and opens children with their lineage
 * and hash ranges; UpdateShardCount (UNIFORM_SCALING) is a series of splits then merges towards even
 * ranges, so short-lived shards appear in the lineage as AWS says they do [model].
 */
import { evenRanges, type HashRange } from './hashing';
import { Shard } from './shard';
import type { StreamMode, StreamStatus } from './types';

const HOUR_MS = 3_600_000;

export class Stream {
  status: StreamStatus = 'CREATING';
  retentionHours = 24;
  /** MaxRecordSizeInKiB [model], 1 MiB by default. */
  maxRecordSizeKiB = 1024;
  /** Every shard ever made, index = position. */
  readonly shards: Shard[] = [];
  /** Open shards ordered by hash key. */
  private open: Shard[] = [];
  readonly tags = new Map<string, string>();
  /** When UpdateShardCount was called (virtual ms), for its 10-per-24-hours limit. */
  readonly scalings: number[] = [];
  /** The pending end of CREATING / UPDATING / DELETING. */
  transition?: { cancel(): void };

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly name: string,
    readonly arn: string,
    readonly createdAt: number,
    readonly mode: StreamMode,
  ) {}

  get retentionMs(): number {
    return this.retentionHours * HOUR_MS;
  }

  /** The stream's first shards, over even ranges. */
  addInitialShards(count: number): void {
    const secs = Math.floor(this.createdAt / 1000);
    for (const r of evenRanges(count)) this.shards.push(new Shard(this.shards.length, r.start, r.end, this.createdAt, secs));
    this.reindex();
  }

  private reindex(): void {
    this.open = this.shards.filter((s) => s.open).sort((a, b) => (a.start < b.start ? -1 : 1));
  }

  get openShards(): readonly Shard[] {
    return this.open;
  }

  /** The open shard owning `hashKey` (the open shards always cover the whole space). */
  route(hashKey: bigint): Shard {
    const open = this.open;
    let lo = 0;
    let hi = open.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (open[mid].start <= hashKey) lo = mid;
      else hi = mid - 1;
    }
    return open[lo];
  }

  /** A closed shard is gone once its retention has passed since it closed [doc]. */
  expired(shard: Shard, now: number): boolean {
    return shard.closedAt !== undefined && shard.closedAt + this.retentionMs < now;
  }

  shard(index: number, now: number): Shard | undefined {
    const s = this.shards[index];
    return s && !this.expired(s, now) ? s : undefined;
  }

  /** Every shard not expired, in id order; their records trimmed to the retention period. */
  liveShards(now: number): Shard[] {
    const cutoff = now - this.retentionMs;
    const out: Shard[] = [];
    for (const s of this.shards) {
      if (this.expired(s, now)) {
        s.trim(Infinity);
        continue;
      }
      s.trim(cutoff);
      out.push(s);
    }
    return out;
  }

  // ---------------------------------------------------------------- resharding

  private child(now: number, range: HashRange, parents: Shard[]): Shard {
    const secs = Math.max(Math.floor(now / 1000), ...parents.map((p) => p.createSecs + 1));
    const s = new Shard(this.shards.length, range.start, range.end, now, secs, parents[0].shardId, parents[1]?.shardId);
    this.shards.push(s);
    return s;
  }

  /** Close `shard`; its children own [start, key - 1] and [key, end]. */
  split(shard: Shard, key: bigint, now: number): [Shard, Shard] {
    shard.close(now);
    const low = this.child(now, { start: shard.start, end: key - 1n }, [shard]);
    const high = this.child(now, { start: key, end: shard.end }, [shard]);
    this.reindex();
    return [low, high];
  }

  /** Close two adjacent shards (`a` then `b`, either order of hash ranges); one child owns both ranges. */
  merge(a: Shard, b: Shard, now: number): Shard {
    a.close(now);
    b.close(now);
    const range = { start: a.start < b.start ? a.start : b.start, end: a.end > b.end ? a.end : b.end };
    const merged = this.child(now, range, [a, b]);
    this.reindex();
    return merged;
  }

  /**
   * UNIFORM_SCALING to `target` open shards over even ranges: split at every target boundary that is
   * not already one (a boundary within a few keys of one counts: even ranges of different counts
   * round differently), then merge what lies in each target range.
   */
  scaleUniform(target: number, now: number): void {
    const ranges = evenRanges(target);
    const tolerance = BigInt(target + this.open.length);
    for (const r of ranges.slice(1)) {
      const s = this.route(r.start);
      if (r.start - s.start <= tolerance || s.end + 1n - r.start <= tolerance) continue;
      this.split(s, r.start, now);
    }
    const groups: Shard[][] = ranges.map(() => []);
    for (const s of this.open) {
      let j = 0;
      while (j + 1 < ranges.length && ranges[j + 1].start <= s.start + tolerance) j++;
      groups[j].push(s);
    }
    for (const g of groups) {
      let acc = g[0];
      for (let i = 1; i < g.length; i++) acc = this.merge(acc, g[i], now);
    }
  }
}
