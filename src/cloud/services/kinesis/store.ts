/**
 * Kinesis state: streams per account and region, the settings tests and incidents turn (state
 * transition delay, per-shard write limits, the account's shard limit), stream status transitions on
 * the virtual clock, and the in-process API for the Lambda poller (see types.ts). State lives in
 * memory for the life of the cloud.
 */
import type { Clock } from '../../clock';
import { IteratorCodec } from './iterator';
import type { Shard } from './shard';
import { decodeSequence, parseShardId } from './sequence';
import { Stream } from './stream';
import type { KinesisStreams, ShardBatch, ShardCursor, ShardView, StartingPosition, StreamEvent, StreamListener, StreamMode, StreamStatus } from './types';

/** On-demand streams start with 4 shards [rec]. */
export const ON_DEMAND_SHARDS = 4;

const STREAM_ARN_RE = /^arn:aws[\w-]*:kinesis:([^:]*):(\d{12}):stream\/([^/]+)$/;

export function streamArn(accountId: string, region: string, name: string): string {
  return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
}

/** The parts of a stream ARN (consumer ARNs, `.../stream/<name>/consumer/...`, are not streams). */
export function parseStreamArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = STREAM_ARN_RE.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

/** The default shard quota: 500 in us-east-1, us-west-2 and eu-west-1, 200 elsewhere [doc]. */
export function defaultShardLimit(region: string): number {
  return ['us-east-1', 'us-west-2', 'eu-west-1'].includes(region) ? 500 : 200;
}

export class KinesisStore implements KinesisStreams {
  /** `<account>/<region>` -> name -> stream. */
  private readonly regions = new Map<string, Map<string, Stream>>();
  private readonly listeners = new Map<string, Set<StreamListener>>();
  /** Streams with notifications waiting for the microtask that sends them, and the shards written. */
  private readonly pending = new Map<Stream, Set<string> | 'resharded' | 'deleted'>();
  readonly iterators = new IteratorCodec();
  /** How long CREATING, UPDATING and DELETING last (virtual ms); 0 = over before the next request. */
  stateTransitionMs = 0;
  /** Per-shard write limits (1 MiB/s, 1,000 records/s): off unless a test or incident asks. */
  shardLimits = false;
  /** The account's open-shard quota per region; undefined = AWS's default for the region. */
  shardLimit?: number;

  constructor(readonly clock: Clock) {}

  private streams(accountId: string, region: string): Map<string, Stream> {
    const key = `${accountId}/${region}`;
    let m = this.regions.get(key);
    if (!m) this.regions.set(key, (m = new Map()));
    return m;
  }

  get(accountId: string, region: string, name: string): Stream | undefined {
    return this.regions.get(`${accountId}/${region}`)?.get(name);
  }

  /** Every stream of an account and region, by name. */
  list(accountId: string, region: string): Stream[] {
    return [...this.streams(accountId, region).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  limitFor(region: string): number {
    return this.shardLimit ?? defaultShardLimit(region);
  }

  /** Open shards of every stream of the account in the region. */
  openShardCount(accountId: string, region: string): number {
    let n = 0;
    for (const s of this.streams(accountId, region).values()) n += s.openShards.length;
    return n;
  }

  create(accountId: string, region: string, name: string, mode: StreamMode, shardCount: number, tags: Record<string, string>): Stream {
    const now = this.clock.now();
    const stream = new Stream(accountId, region, name, streamArn(accountId, region, name), now, mode);
    stream.addInitialShards(shardCount);
    for (const [k, v] of Object.entries(tags)) stream.tags.set(k, v);
    this.streams(accountId, region).set(name, stream);
    this.transition(stream, 'CREATING', () => {
      stream.status = 'ACTIVE';
    });
    return stream;
  }

  delete(stream: Stream): void {
    stream.transition?.cancel();
    this.transition(stream, 'DELETING', () => {
      if (this.streams(stream.accountId, stream.region).get(stream.name) === stream) this.streams(stream.accountId, stream.region).delete(stream.name);
      this.notify(stream, 'deleted');
    });
  }

  /** UPDATING, then `apply` (the reshard) and ACTIVE. */
  update(stream: Stream, apply: () => void): void {
    this.transition(stream, 'UPDATING', () => {
      apply();
      stream.status = 'ACTIVE';
      this.notify(stream, 'resharded');
    });
  }

  /** `status` now and `done` after stateTransitionMs (at once when it is 0). */
  private transition(stream: Stream, status: StreamStatus, done: () => void): void {
    stream.status = status;
    const finish = () => {
      stream.transition = undefined;
      done();
    };
    if (this.stateTransitionMs <= 0) finish();
    else stream.transition = this.clock.setTimeout(finish, this.stateTransitionMs);
  }

  // ---------------------------------------------------------------- notifications

  /** Tell the stream's subscribers, in a microtask (after the write's answer is built); writes coalesce. */
  notify(stream: Stream, what: string | 'resharded' | 'deleted'): void {
    if (!this.listeners.has(stream.arn)) return;
    const before = this.pending.get(stream);
    if (what === 'deleted' || what === 'resharded') {
      if (before !== 'deleted') this.pending.set(stream, what);
    } else if (before === undefined) {
      this.pending.set(stream, new Set([what]));
    } else if (typeof before !== 'string') {
      before.add(what);
    }
    if (before !== undefined) return;
    queueMicrotask(() => {
      const p = this.pending.get(stream);
      this.pending.delete(stream);
      const event: StreamEvent = p === 'deleted' ? { type: 'deleted' } : p === 'resharded' ? { type: 'resharded' } : { type: 'records', shardIds: [...(p ?? [])] };
      for (const l of [...(this.listeners.get(stream.arn) ?? [])]) {
        try {
          l(event);
        } catch (e) {
          if (process.env.TESTBED_DEBUG) console.error('[kinesis] listener threw:', e);
        }
      }
    });
  }

  subscribe(arn: string, listener: StreamListener): () => void {
    let set = this.listeners.get(arn);
    if (!set) this.listeners.set(arn, (set = new Set()));
    set.add(listener);
    return () => {
      const s = this.listeners.get(arn);
      s?.delete(listener);
      if (s?.size === 0) this.listeners.delete(arn);
    };
  }

  // ---------------------------------------------------------------- the in-process API

  private streamOf(arn: string): Stream | undefined {
    const p = parseStreamArn(arn);
    const s = p && this.get(p.accountId, p.region, p.name);
    return s && s.status !== 'DELETING' ? s : undefined;
  }

  private shardOf(arn: string, shardId: string): { stream: Stream; shard: Shard } | undefined {
    const stream = this.streamOf(arn);
    const index = parseShardId(shardId);
    const shard = stream && index !== undefined ? stream.shard(index, this.clock.now()) : undefined;
    return shard && stream ? { stream, shard } : undefined;
  }

  byArn(arn: string): { arn: string; name: string; status: StreamStatus; retentionHours: number } | undefined {
    const s = this.streamOf(arn);
    return s && { arn: s.arn, name: s.name, status: s.status, retentionHours: s.retentionHours };
  }

  shards(arn: string): ShardView[] | undefined {
    return this.streamOf(arn)?.liveShards(this.clock.now()).map((s) => s.view());
  }

  position(arn: string, shardId: string, at: StartingPosition): ShardCursor | undefined {
    const found = this.shardOf(arn, shardId);
    if (!found) return undefined;
    const { stream, shard } = found;
    const now = this.clock.now();
    shard.trim(now - stream.retentionMs);
    switch (at.type) {
      case 'TRIM_HORIZON':
        return shard.startingSequenceNumber;
      case 'LATEST':
        return shard.lastSeq.toString();
      case 'AT_TIMESTAMP':
        return shard.afterTimestamp(at.timestampMs).toString();
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        if (!decodeSequence(at.sequenceNumber)) return undefined;
        const n = BigInt(at.sequenceNumber);
        return (at.type === 'AT_SEQUENCE_NUMBER' ? n - 1n : n).toString();
      }
    }
  }

  read(arn: string, shardId: string, after: ShardCursor, limit: number, maxBytes?: number): ShardBatch | undefined {
    const found = this.shardOf(arn, shardId);
    if (!found) return undefined;
    const { stream, shard } = found;
    const now = this.clock.now();
    shard.trim(now - stream.retentionMs);
    let from: bigint;
    try {
      from = BigInt(after);
    } catch {
      return undefined;
    }
    const page = shard.readAfter(from, limit, maxBytes);
    const last = page.records.at(-1);
    return {
      records: page.records.map((r) => ({
        shardId: shard.shardId,
        sequenceNumber: r.sequenceNumber,
        partitionKey: r.partitionKey,
        data: r.data,
        approximateArrivalTimestamp: r.arrival,
      })),
      next: last ? last.sequenceNumber : after,
      closed: !shard.open,
      drained: !shard.open && page.rest === 0,
      millisBehindLatest: page.nextArrival === undefined ? 0 : Math.max(0, now - page.nextArrival),
    };
  }

  /** Forget every stream (pending transitions are cancelled; subscribers stay until they unsubscribe). */
  clear(): void {
    for (const m of this.regions.values()) for (const s of m.values()) s.transition?.cancel();
    this.regions.clear();
    this.pending.clear();
  }
}
