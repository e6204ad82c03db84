/**
 * The Kinesis poller (aws-semantics.md §9): one reader per shard, parents before children; each
 * shard's records go out in shard order, one shard per batch. ParallelizationFactor N splits a shard
 * into N lanes by the hash of the partition key: each lane keeps its keys in order and has one batch
 * in flight (kinesis-lane.ts: batches, retries, record age, bisect, partial responses, windows).
 * Settings are read live: an Update of BatchSize, the windows or the retry settings applies to the
 * next batch; one of ParallelizationFactor once no lane of the shard has a batch out.
 *
 * Positions. A new mapping takes its StartingPosition (TRIM_HORIZON, LATEST, AT_TIMESTAMP) for
 * every shard the stream has when it starts, the closed ones included (so LATEST means "after what
 * is in the stream now" in the children of an earlier reshard too); a shard made by a reshard while
 * the mapping runs is read from its start once its parents (both, after a merge) are read to their
 * end and done [doc]. Each shard keeps a checkpoint: every record at or below it is done, plus the
 * done records above it (other lanes run ahead). The checkpoints belong to the mapping, not to the
 * poller: a disabled mapping resumes where it stopped when enabled again [doc] (after the batches
 * still with the function have come back), and a record processed cleanly is not sent again.
 *
 * Problems (LastProcessingResult; texts unconfirmed except "OK" and "PROBLEM: Function call failed"):
 *   - the function is gone: "PROBLEM: Function not found"; the shard waits (records are lost only
 *     by their maximum age or the retention) and goes on when a function of that name is back;
 *   - the stream is deleted: "PROBLEM: Stream not found: <arn>"; the mapping stays Enabled. A stream
 *     of the same name (the same ARN) made later is read from its start (every record in it came
 *     after the mapping's start; its shard ids repeat the old ones, so the old checkpoints are
 *     dropped). Whether AWS picks up a recreated stream is unconfirmed: this is our choice.
 *
 * Like the SQS poller it never parks on the clock: it wakes on the stream's notifications (records,
 * resharding, deletion) and on clock timers (batching windows, retries, tumbling windows, problems),
 * and holds a busy section only while a batch is with the function. stop() cancels every timer.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock';
import { s3FailureKey } from '../../deliver/types';
import type { ShardRecord, StartingPosition } from '../../services/kinesis/types';
import { kinesisFailureRecord, kinesisRecord, passesKinesisFilters, type FailureCondition } from './kinesis-event';
import { resolveTarget } from './target';
import { Lane, PROBLEM_RETRY_MS, type LaneOwner } from './kinesis-lane';
import type { EventSourceMapping, MappingHost, Poller } from './types';

export { KINESIS_FAILED, KINESIS_FUNCTION_NOT_FOUND, KINESIS_OK } from './kinesis-lane';

/** The problem text while the stream is gone (the text CreateEventSourceMapping gives [rec], as a problem). */
export const streamNotFound = (arn: string) => `PROBLEM: Stream not found: ${arn}`;

/** Where one shard stands: every record with a sequence number up to `after` is done, and `done` above it. */
export interface ShardCheckpoint {
  after: bigint;
  done: Set<string>;
}

/** What a mapping keeps across its pollers (Disable/Enable): positions, finished shards, batches out. */
export interface MappingProgress {
  shards: Map<string, ShardCheckpoint>;
  finished: Set<string>;
  /** The starting positions were taken (at the mapping's first start). */
  initialized: boolean;
  /** The stream was deleted and made again: its shards are read from their start. */
  fromStart: boolean;
  /** Batches with the function (of stopped pollers too). */
  inFlight: number;
  /** Pollers waiting for those batches before they read. */
  waiting: (() => void)[];
}

const progress = new WeakMap<EventSourceMapping, MappingProgress>();

/** A mapping's progress (tests, admin). */
export function progressOf(m: EventSourceMapping): MappingProgress {
  let p = progress.get(m);
  if (!p) progress.set(m, (p = freshProgress(false)));
  return p;
}

function freshProgress(fromStart: boolean): MappingProgress {
  return { shards: new Map(), finished: new Set(), initialized: false, fromStart, inFlight: 0, waiting: [] };
}

export class KinesisPoller implements Poller {
  private readonly readers = new Map<string, ShardReader>();
  private unsubscribe?: () => void;
  private problemTimer?: TimerHandle;
  private isStopped = true;
  /** Reading the stream (it exists; shards are known). */
  private connected = false;
  private waitingForBatches = false;

  constructor(
    readonly host: MappingHost,
    readonly mapping: EventSourceMapping,
  ) {}

  get stopped(): boolean {
    return this.isStopped;
  }

  start(): void {
    if (!this.isStopped) return;
    this.isStopped = false;
    this.readers.clear(); // (stopped ones; their batches still out are counted on the progress)
    this.connect();
  }

  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.problemTimer?.cancel();
    this.problemTimer = undefined;
    for (const r of this.readers.values()) r.stop();
  }

  /** Nothing read and not yet done, no open window, nothing with the function (once stopped: nothing with the function). */
  idle(): boolean {
    return [...this.readers.values()].every((r) => r.idle());
  }

  /** Find the stream, subscribe, and start the readers (after the batches of an earlier poller are back). */
  private connect(): void {
    if (this.isStopped || this.connected) return;
    const p = progressOf(this.mapping);
    if (p.inFlight > 0) {
      if (!this.waitingForBatches) {
        this.waitingForBatches = true;
        p.waiting.push(() => {
          this.waitingForBatches = false;
          this.connect();
        });
      }
      return;
    }
    this.unsubscribe ??= this.host.kinesis?.subscribe(this.mapping.eventSourceArn, (ev) => this.onStreamEvent(ev.type, ev.type === 'records' ? ev.shardIds : []));
    if (!this.host.kinesis?.byArn(this.mapping.eventSourceArn)) return this.gone();
    this.problemTimer?.cancel();
    this.problemTimer = undefined;
    this.connected = true;
    this.refresh();
  }

  private onStreamEvent(type: 'records' | 'resharded' | 'deleted', shardIds: string[]): void {
    if (this.isStopped) return;
    if (!this.connected) {
      if (type !== 'deleted') this.connect(); // a stream of this name is back
      return;
    }
    if (type === 'deleted') return this.gone();
    if (type === 'records') {
      for (const id of shardIds) this.readers.get(id)?.wake();
      return;
    }
    // Resharded: the parents are closed now (their readers may find themselves drained), children appear.
    for (const r of [...this.readers.values()]) r.wake();
    this.refresh();
  }

  /** Start readers for the shards whose parents are done. */
  private refresh(): void {
    const streams = this.host.kinesis;
    const arn = this.mapping.eventSourceArn;
    const shards = streams?.shards(arn);
    if (!streams || !shards) return this.gone();
    const p = progressOf(this.mapping);
    if (!p.initialized) {
      const at = p.fromStart ? ({ type: 'TRIM_HORIZON' } as const) : this.startingPosition();
      for (const s of shards) {
        const cursor = streams.position(arn, s.shardId, at);
        if (cursor !== undefined) p.shards.set(s.shardId, { after: BigInt(cursor), done: new Set() });
      }
      p.initialized = true;
    }
    const listed = new Set(shards.map((s) => s.shardId));
    const started: ShardReader[] = [];
    for (const shard of shards) {
      const id = shard.shardId;
      if (this.readers.has(id) || p.finished.has(id)) continue;
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter((x): x is string => x !== undefined && listed.has(x));
      if (!parents.every((x) => p.finished.has(x))) continue; // [doc] parents first
      let cp = p.shards.get(id);
      if (!cp) {
        // A child made while the mapping runs: from its start.
        const cursor = streams.position(arn, id, { type: 'TRIM_HORIZON' });
        if (cursor === undefined) continue;
        p.shards.set(id, (cp = { after: BigInt(cursor), done: new Set() }));
      }
      const reader = new ShardReader(this, p, id, cp);
      this.readers.set(id, reader);
      started.push(reader);
    }
    for (const r of started) r.wake();
  }

  private startingPosition(): StartingPosition {
    const m = this.mapping;
    if (m.startingPosition === 'AT_TIMESTAMP') return { type: 'AT_TIMESTAMP', timestampMs: (m.startingPositionTimestamp ?? 0) * 1000 };
    return { type: m.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
  }

  /** A shard is read to its end and every record of it is done: its children may start. */
  shardDone(reader: ShardReader): void {
    if (this.readers.get(reader.shardId) !== reader) return;
    const p = reader.progress;
    this.readers.delete(reader.shardId);
    p.finished.add(reader.shardId);
    p.shards.delete(reader.shardId);
    if (!this.isStopped && this.connected) this.refresh();
  }

  /** The stream is gone: stop reading, forget the positions, and look again now and then. */
  gone(): void {
    for (const r of this.readers.values()) r.stop();
    this.readers.clear();
    this.connected = false;
    const before = progress.get(this.mapping);
    // Batches still out count on the old progress; the stream that comes back is a new one.
    if (!before || before.initialized) progress.set(this.mapping, freshProgress(true));
    this.mapping.lastProcessingResult = streamNotFound(this.mapping.eventSourceArn);
    if (this.isStopped) return;
    this.problemTimer ??= this.host.clock.setTimeout(() => {
      this.problemTimer = undefined;
      this.connect();
    }, PROBLEM_RETRY_MS);
  }

  /** Send a failed batch's KinesisBatchInfo to the OnFailure destination, if there is one [doc][rec]. */
  sendFailure(shardId: string, records: ShardRecord[], condition: FailureCondition, invokes: number, last?: { executedVersion: string; functionError?: string }): void {
    const m = this.mapping;
    if (!m.onFailure || !this.host.deliverer || records.length === 0) return;
    const record = kinesisFailureRecord({
      requestId: randomUUID(),
      functionArn: m.functionArn,
      condition,
      approximateInvokeCount: invokes,
      last,
      timestamp: this.host.clock.now(),
      shardId,
      records,
      streamArn: m.eventSourceArn,
    });
    const dctx = { accountId: m.accountId, region: m.region, source: `lambda:event-source-mapping ${m.uuid}` };
    if (m.onFailure.split(':')[2] === 's3') {
      // An S3 destination also gets the batch itself (`payload`) [doc][rec], under aws/lambda/<uuid>/<shard>/.
      const role = resolveTarget(this.host, m)?.version.config.role ?? '';
      record.payload = { Records: records.map((r) => kinesisRecord(r, { role, region: m.region, streamArn: m.eventSourceArn })) };
      const s3Key = s3FailureKey(`${m.uuid}/${shardId}`, this.host.clock.now(), randomUUID());
      void this.host.deliverer.deliver(dctx, m.onFailure, { body: JSON.stringify(record), s3Key });
      return;
    }
    void this.host.deliverer.deliver(dctx, m.onFailure, { body: JSON.stringify(record) });
  }
}

/** One shard: reads ahead into its lanes, keeps the checkpoint, and hands over to the children when done. */
class ShardReader implements LaneOwner {
  private lanes: Lane[];
  private cursor: bigint;
  private isDrained = false;
  private isStopped = false;
  private finished = false;

  constructor(
    private readonly poller: KinesisPoller,
    readonly progress: MappingProgress,
    readonly shardId: string,
    private readonly checkpoint: ShardCheckpoint,
  ) {
    this.cursor = checkpoint.after;
    this.lanes = this.makeLanes();
  }

  private makeLanes(): Lane[] {
    return Array.from({ length: Math.max(1, this.mapping.parallelizationFactor ?? 1) }, () => new Lane(this));
  }

  get host(): MappingHost {
    return this.poller.host;
  }
  get mapping(): EventSourceMapping {
    return this.poller.mapping;
  }

  stopped(): boolean {
    return this.isStopped || this.poller.stopped;
  }
  drained(): boolean {
    return this.isDrained;
  }

  stop(): void {
    this.isStopped = true;
    for (const l of this.lanes) l.stop();
  }

  idle(): boolean {
    return this.lanes.every((l) => l.idle());
  }

  retentionMs(): number {
    const s = this.host.kinesis?.byArn(this.mapping.eventSourceArn);
    return s ? s.retentionHours * 3_600_000 : Infinity;
  }

  track(delta: 1 | -1): void {
    const p = this.progress;
    p.inFlight += delta;
    if (p.inFlight === 0 && p.waiting.length > 0) for (const f of p.waiting.splice(0)) f();
  }

  sendFailure(records: ShardRecord[], condition: FailureCondition, invokes: number, last?: { executedVersion: string; functionError?: string }): void {
    this.poller.sendFailure(this.shardId, records, condition, invokes, last);
  }

  /** Read what arrived into the lanes (bounded read-ahead), let each lane work, finish when all is done. */
  wake(): void {
    if (this.stopped()) return;
    const streams = this.host.kinesis;
    const m = this.mapping;
    const arn = m.eventSourceArn;
    if (this.lanes.length !== Math.max(1, m.parallelizationFactor ?? 1)) this.relane();
    const ahead = Math.max(m.batchSize * this.lanes.length * 2, 100);
    while (!this.isDrained && this.buffered() < ahead) {
      const page = streams?.read(arn, this.shardId, this.cursor.toString(), ahead - this.buffered());
      if (!page) {
        if (!streams?.byArn(arn)) return this.poller.gone();
        this.isDrained = true; // a closed shard past the retention period: nothing left to read
        break;
      }
      this.cursor = BigInt(page.next);
      const skipped: ShardRecord[] = [];
      for (const r of page.records) {
        if (this.checkpoint.done.has(r.sequenceNumber)) continue; // done before a restart
        if (!passesKinesisFilters(m.filters, r)) {
          skipped.push(r); // [doc] filtered out: skipped, never invoked
          continue;
        }
        this.laneFor(r).push(r);
      }
      if (skipped.length > 0 || page.records.length > 0) this.done(skipped);
      if (page.drained) this.isDrained = true;
      if (page.records.length === 0) break;
    }
    for (const l of this.lanes) l.pump();
    this.checkDone();
  }

  /**
   * An Update of ParallelizationFactor: once no lane has a batch out (or a retry, a split or a window
   * pending), their records go to the new lanes in shard order (each key keeps its order).
   */
  private relane(): void {
    if (!this.lanes.every((l) => l.quiet())) return;
    const records = this.lanes.flatMap((l) => l.records()).sort((a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1));
    for (const l of this.lanes) l.stop();
    this.lanes = this.makeLanes();
    for (const r of records) this.laneFor(r).push(r);
  }

  private laneFor(r: ShardRecord): Lane {
    return this.lanes[this.lanes.length === 1 ? 0 : laneOf(r.partitionKey, this.lanes.length)];
  }

  private buffered(): number {
    return this.lanes.reduce((n, l) => n + l.size(), 0);
  }

  /** Records are done: move the checkpoint to just below the oldest record still wanted. */
  done(records: ShardRecord[]): void {
    const cp = this.checkpoint;
    for (const r of records) cp.done.add(r.sequenceNumber);
    let low: bigint | undefined;
    for (const l of this.lanes) {
      const h = l.head();
      if (!h) continue;
      const s = BigInt(h.sequenceNumber);
      if (low === undefined || s < low) low = s;
    }
    const after = low === undefined ? this.cursor : low - 1n;
    if (after > cp.after) cp.after = after;
    for (const s of cp.done) if (BigInt(s) <= cp.after) cp.done.delete(s);
  }

  private checkDone(): void {
    if (this.finished || !this.isDrained || this.stopped()) return;
    if (!this.lanes.every((l) => l.size() === 0 && l.idle())) return;
    this.finished = true;
    this.poller.shardDone(this);
  }
}

/** The lane of a partition key: the first 32 bits of its MD5, modulo the lanes. */
function laneOf(partitionKey: string, lanes: number): number {
  return createHash('md5').update(partitionKey).digest().readUInt32BE(0) % lanes;
}
