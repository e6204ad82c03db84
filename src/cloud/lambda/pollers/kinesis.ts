/**
 * The Kinesis poller (aws-semantics.md §9): one reader per shard, parents before children; each
 * shard's records go out in shard order, one shard per batch, up to BatchSize (and the 6 MB payload
 * limit), after the batching window. ParallelizationFactor N splits a shard into N lanes by the hash
 * of the partition key: each lane keeps its keys in order and has one batch in flight.
 *
 * On a function error the lane retries the batch and waits (the shard's other lanes flow): up to
 * MaximumRetryAttempts (-1: until the records expire), MaximumRecordAgeInSeconds checked before each
 * invoke, BisectBatchOnFunctionError splitting the failing batch in halves (splits do not count as
 * retries), and then the OnFailure destination gets the batch's KinesisBatchInfo and the lane moves
 * on. ReportBatchItemFailures retries from the lowest reported record (the records before it are
 * done). TumblingWindowInSeconds groups records by their arrival in windows aligned to the epoch,
 * carries the function's `state` from invoke to invoke, and ends each window with a final invoke.
 *
 * Like the SQS poller it never parks on the clock: it wakes on the stream's notifications and on
 * clock timers (windows, retries), and holds a busy section while a batch is with the function.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock';
import { AwsError } from '../../errors';
import type { ShardRecord, ShardView, StartingPosition } from '../../services/kinesis/types';
import { freshTraceHeader, nextTraceHeader } from '../async';
import type { InvokeResult } from '../runtime/types';
import { readBatchItemFailures } from './batch-response';
import { kinesisEvent, kinesisFailureRecord, passesKinesisFilters, type FailureCondition, type RecordContext, type WindowInfo } from './kinesis-event';
import { resolveTarget } from './target';
import { MAX_BATCH_PAYLOAD_BYTES, type EventSourceMapping, type MappingHost, type Poller } from './types';

export const KINESIS_OK = 'OK';
export const KINESIS_FAILED = 'PROBLEM: Function call failed';
const PROBLEM_RETRY_MS = 10_000;
/** Back-off between retries of a failing batch, and after a throttle: 200 ms doubling to 10 s. */
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;

export class KinesisPoller implements Poller {
  private readonly readers = new Map<string, ShardReader>();
  private readonly finished = new Set<string>();
  private unsubscribe?: () => void;
  private problemTimer?: TimerHandle;
  stopped = false;
  private started = false;

  constructor(
    readonly host: MappingHost,
    readonly mapping: EventSourceMapping,
  ) {}

  start(): void {
    const streams = this.host.kinesis;
    if (!streams?.byArn(this.mapping.eventSourceArn)) return this.problem(`PROBLEM: Stream not found: ${this.mapping.eventSourceArn}`);
    this.unsubscribe = streams.subscribe(this.mapping.eventSourceArn, (ev) => {
      if (this.stopped) return;
      if (ev.type === 'records') for (const id of ev.shardIds) this.readers.get(id)?.wake();
      else if (ev.type === 'resharded') this.refresh();
      else this.gone();
    });
    this.refresh();
    this.started = true;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.problemTimer?.cancel();
    for (const r of this.readers.values()) r.stop();
  }

  idle(): boolean {
    return [...this.readers.values()].every((r) => r.idle());
  }

  get context(): RecordContext | undefined {
    const target = resolveTarget(this.host, this.mapping);
    if (!target) return undefined;
    return { role: target.version.config.role, region: this.mapping.region, streamArn: this.mapping.eventSourceArn };
  }

  /** Start readers for the shards whose parents are done. */
  private refresh(): void {
    const shards = this.host.kinesis?.shards(this.mapping.eventSourceArn);
    if (!shards) return this.gone();
    const listed = new Set(shards.map((s) => s.shardId));
    for (const shard of shards) {
      if (this.readers.has(shard.shardId) || this.finished.has(shard.shardId)) continue;
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined && listed.has(p));
      if (!parents.every((p) => this.finished.has(p))) continue;
      // The shards there at the start begin where the mapping says; children of shards read here begin at their start.
      const at: StartingPosition = this.started && parents.length > 0 ? { type: 'TRIM_HORIZON' } : this.startingPosition();
      const cursor = this.host.kinesis!.position(this.mapping.eventSourceArn, shard.shardId, at);
      if (cursor === undefined) continue;
      const reader = new ShardReader(this, shard, cursor);
      this.readers.set(shard.shardId, reader);
      reader.wake();
    }
  }

  private startingPosition(): StartingPosition {
    const m = this.mapping;
    if (m.startingPosition === 'AT_TIMESTAMP') return { type: 'AT_TIMESTAMP', timestampMs: (m.startingPositionTimestamp ?? 0) * 1000 };
    return { type: m.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
  }

  /** A shard is read to its end and every record is done: its children may start. */
  shardDone(shardId: string): void {
    this.readers.delete(shardId);
    this.finished.add(shardId);
    this.refresh();
  }

  private gone(): void {
    for (const r of this.readers.values()) r.stop();
    this.readers.clear();
    this.problem(`PROBLEM: Stream not found: ${this.mapping.eventSourceArn}`);
  }

  private problem(text: string): void {
    this.mapping.lastProcessingResult = text;
    if (this.stopped) return;
    this.problemTimer ??= this.host.clock.setTimeout(() => {
      this.problemTimer = undefined;
      if (this.stopped) return;
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      this.start();
    }, PROBLEM_RETRY_MS);
  }

  /** Send a failed batch's KinesisBatchInfo to the OnFailure destination, if there is one. */
  sendFailure(shardId: string, records: ShardRecord[], condition: FailureCondition, invokes: number, last?: { executedVersion: string; functionError?: string }): void {
    const m = this.mapping;
    if (!m.onFailure || !this.host.deliverer || records.length === 0) return;
    const target = resolveTarget(this.host, m);
    const record = kinesisFailureRecord({
      requestId: randomUUID(),
      functionArn: target ? `${target.fn.arn}:${target.qualifier ?? '$LATEST'}` : m.functionArn,
      condition,
      approximateInvokeCount: invokes,
      last,
      timestamp: this.host.clock.now(),
      shardId,
      records,
      streamArn: m.eventSourceArn,
    });
    void this.host.deliverer.deliver(
      { accountId: m.accountId, region: m.region, source: `lambda:event-source-mapping ${m.uuid}` },
      m.onFailure,
      { body: JSON.stringify(record) },
    );
  }
}

/** One shard: reads ahead into its lanes and moves to the children once everything is done. */
class ShardReader {
  private readonly lanes: Lane[];
  private drained = false;
  private stopped = false;

  constructor(
    readonly poller: KinesisPoller,
    readonly shard: ShardView,
    private cursor: string,
  ) {
    const n = poller.mapping.parallelizationFactor ?? 1;
    this.lanes = Array.from({ length: Math.max(1, n) }, () => new Lane(this));
  }

  stop(): void {
    this.stopped = true;
    for (const l of this.lanes) l.stop();
  }

  idle(): boolean {
    return this.lanes.every((l) => l.idle());
  }

  /** Read what arrived into the lanes (bounded read-ahead), then let each lane work. */
  wake(): void {
    if (this.stopped || this.poller.stopped) return;
    const m = this.poller.mapping;
    const ahead = Math.max(m.batchSize * this.lanes.length * 2, 100);
    const context = this.poller.context;
    while (!this.drained && this.buffered() < ahead) {
      const batch = this.poller.host.kinesis?.read(m.eventSourceArn, this.shard.shardId, this.cursor, ahead - this.buffered());
      if (!batch) return;
      this.cursor = batch.next;
      for (const r of batch.records) {
        if (context && !passesKinesisFilters(m.filters, r, context)) continue; // [doc] filtered out: skipped, never invoked
        this.lanes[this.lanes.length === 1 ? 0 : laneOf(r.partitionKey, this.lanes.length)].push(r);
      }
      if (batch.drained) this.drained = true;
      if (batch.records.length === 0) break;
    }
    for (const l of this.lanes) l.pump();
    this.checkDone();
  }

  private buffered(): number {
    return this.lanes.reduce((n, l) => n + l.size(), 0);
  }

  checkDone(): void {
    if (this.drained && this.lanes.every((l) => l.size() === 0 && l.idle())) this.poller.shardDone(this.shard.shardId);
  }
}

function laneOf(partitionKey: string, lanes: number): number {
  return createHash('md5').update(partitionKey).digest().readUInt32BE(0) % lanes;
}

/** One lane of a shard: its records in order, one batch in flight, retries and windows. */
class Lane {
  private readonly queue: ShardRecord[] = [];
  private inFlight = false;
  private stopped = false;
  /** Retries of the batch at the head. */
  private attempts = 0;
  /** Pieces of a bisected batch still to go, in order (each a prefix of the queue in turn). */
  private pieces: ShardRecord[][] = [];
  private windowOpenedAt?: number;
  private windowTimer?: TimerHandle;
  private retryTimer?: TimerHandle;
  /** Tumbling window: the open window's bounds and the state the function returned. */
  private tumbling?: { start: number; end: number; state: unknown; timer?: TimerHandle };

  constructor(private readonly reader: ShardReader) {}

  private get poller(): KinesisPoller {
    return this.reader.poller;
  }
  private get m(): EventSourceMapping {
    return this.reader.poller.mapping;
  }
  private get clock() {
    return this.reader.poller.host.clock;
  }

  push(r: ShardRecord): void {
    this.queue.push(r);
  }
  size(): number {
    return this.queue.length;
  }
  idle(): boolean {
    return !this.inFlight && !this.tumbling;
  }
  stop(): void {
    this.stopped = true;
    for (const t of [this.windowTimer, this.retryTimer, this.tumbling?.timer]) t?.cancel();
  }

  pump(): void {
    if (this.inFlight || this.stopped || this.retryTimer) return;
    const now = this.clock.now();
    const width = (this.m.tumblingWindowInSeconds ?? 0) * 1000;
    // A tumbling window that has ended gets its final invoke before anything else.
    if (this.tumbling && now >= this.tumbling.end) return void this.finalInvoke();
    if (this.queue.length === 0) return;
    this.expire(now);
    if (this.queue.length === 0) return this.reader.checkDone();
    let batch = this.pieces[0];
    if (!batch) {
      const windowOf = (r: ShardRecord) => Math.floor(r.approximateArrivalTimestamp / width) * width;
      batch = [];
      let bytes = 0;
      for (const r of this.queue) {
        if (batch.length >= this.m.batchSize) break;
        if (width > 0 && windowOf(r) !== windowOf(this.queue[0])) break;
        const size = Math.ceil((r.data.length * 4) / 3) + r.partitionKey.length + 400;
        if (batch.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES) break;
        bytes += size;
        batch.push(r);
      }
      const full = batch.length >= this.m.batchSize || batch.length < this.queue.length;
      const window = this.m.maximumBatchingWindowInSeconds * 1000;
      if (!full && window > 0 && this.attempts === 0) {
        // [doc] the batching window: wait for more records, at most this long.
        this.windowOpenedAt ??= now;
        if (now - this.windowOpenedAt < window) {
          this.windowTimer ??= this.clock.setTimeout(() => {
            this.windowTimer = undefined;
            this.pump();
          }, this.windowOpenedAt + window - now);
          return;
        }
      }
      if (width > 0) {
        const start = windowOf(batch[0]);
        if (this.tumbling && this.tumbling.start !== start) return void this.finalInvoke();
        this.tumbling ??= { start, end: start + width, state: {} };
      }
    }
    this.windowOpenedAt = undefined;
    void this.process(batch);
  }

  /** [doc] Records older than MaximumRecordAgeInSeconds are not sent: they go to the OnFailure destination. */
  private expire(now: number): void {
    const maxAge = this.m.maximumRecordAgeInSeconds;
    if (maxAge === undefined || maxAge < 0) return;
    const expired: ShardRecord[] = [];
    while (this.queue.length && now - this.queue[0].approximateArrivalTimestamp > maxAge * 1000) expired.push(this.queue.shift()!);
    if (!expired.length) return;
    this.pieces = [];
    this.attempts = 0;
    this.poller.sendFailure(this.reader.shard.shardId, expired, 'RecordAgeExceeded', 0);
  }

  private async invoke(records: ShardRecord[], window?: WindowInfo): Promise<{ result?: InvokeResult; throttled?: boolean; missing?: boolean; error?: boolean; version?: string }> {
    const target = resolveTarget(this.poller.host, this.m);
    const context = this.poller.context;
    if (!target || !context) {
      this.m.lastProcessingResult = 'PROBLEM: Function not found';
      return { missing: true };
    }
    const release = this.clock.busy();
    try {
      const result = await this.poller.host.run(target.fn, target.version, {
        qualifier: target.qualifier,
        requestId: randomUUID(),
        payload: kinesisEvent(records, context, this.reader.shard.shardId, window),
        trigger: 'kinesis',
        traceId: nextTraceHeader(undefined, target.fn.arn, () => freshTraceHeader(this.clock.now())),
      });
      return { result, version: target.version.version };
    } catch (e) {
      if (e instanceof AwsError && e.status === 429) return { throttled: true };
      return { error: true };
    } finally {
      release();
    }
  }

  private async process(batch: ShardRecord[]): Promise<void> {
    this.inFlight = true;
    const window = this.tumbling ? { start: this.tumbling.start, end: this.tumbling.end, state: this.tumbling.state, final: false, terminatedEarly: false } : undefined;
    const out = await this.invoke(batch, window);
    this.inFlight = false;
    if (this.stopped) return;
    if (out.throttled || out.missing) return this.retryLater(false, out.missing ? PROBLEM_RETRY_MS : undefined);
    const rbif = this.m.functionResponseTypes.includes('ReportBatchItemFailures');
    let failedFrom = -1; // index of the first record to retry; -1 = all succeeded
    if (out.error || out.result?.functionError) failedFrom = 0;
    else if (rbif && out.result) {
      const verdict = readBatchItemFailures(out.result.payload, new Set(batch.map((r) => r.sequenceNumber)));
      if (verdict.kind === 'failure') failedFrom = 0;
      else if (verdict.kind === 'partial') failedFrom = batch.findIndex((r) => verdict.failed.has(r.sequenceNumber));
    }
    if (failedFrom < 0) {
      if (this.tumbling && out.result) this.tumbling.state = stateOf(out.result.payload) ?? this.tumbling.state;
      this.done(batch.length);
      this.m.lastProcessingResult = KINESIS_OK;
      return this.next();
    }
    this.m.lastProcessingResult = KINESIS_FAILED;
    // The records before the first failure are done.
    if (failedFrom > 0) this.done(failedFrom);
    const rest = batch.slice(failedFrom);
    if (this.pieces[0] === batch) this.pieces.shift();
    if (this.m.bisectBatchOnFunctionError && rest.length > 1) {
      // [doc] split in two; a split is not a retry.
      const half = Math.ceil(rest.length / 2);
      this.pieces.unshift(rest.slice(0, half), rest.slice(half));
      return this.next();
    }
    this.attempts++;
    const max = this.m.maximumRetryAttempts ?? -1;
    if (max >= 0 && this.attempts > max) {
      const last = out.result ? { executedVersion: out.version ?? '$LATEST', functionError: out.result.functionError } : undefined;
      this.poller.sendFailure(this.reader.shard.shardId, rest, 'RetryAttemptsExhausted', this.attempts, last);
      this.queue.splice(0, rest.length);
      this.attempts = 0;
      return this.next();
    }
    this.pieces.unshift(rest);
    this.retryLater(true);
  }

  /** The first `n` records of the queue are done (and the piece they formed). */
  private done(n: number): void {
    this.queue.splice(0, n);
    if (this.pieces.length && this.pieces[0].length <= n) this.pieces.shift();
    this.attempts = 0;
  }

  private next(): void {
    this.scheduleWindowEnd();
    this.reader.wake();
    this.pump();
  }

  private retryLater(counted: boolean, fixedMs?: number): void {
    const delay = fixedMs ?? Math.min(RETRY_BASE_MS * 2 ** Math.max(0, (counted ? this.attempts : 1) - 1), RETRY_MAX_MS);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  private scheduleWindowEnd(): void {
    const t = this.tumbling;
    if (!t || t.timer) return;
    t.timer = this.clock.setTimeout(() => {
      t.timer = undefined;
      this.pump();
    }, Math.max(0, t.end - this.clock.now()));
  }

  /** [doc] The window's last invoke: no records, the final state, isFinalInvokeForWindow. */
  private async finalInvoke(): Promise<void> {
    const t = this.tumbling!;
    this.inFlight = true;
    const out = await this.invoke([], { start: t.start, end: t.end, state: t.state, final: true, terminatedEarly: false });
    this.inFlight = false;
    if (this.stopped) return;
    if (out.throttled) return this.retryLater(false);
    t.timer?.cancel();
    this.tumbling = undefined;
    this.next();
  }
}

/** The `state` member of a tumbling-window answer. */
function stateOf(payload: Buffer): unknown {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { state?: unknown };
    return v && typeof v === 'object' && 'state' in v ? v.state : undefined;
  } catch {
    return undefined;
  }
}
