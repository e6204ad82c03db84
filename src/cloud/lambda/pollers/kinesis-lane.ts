/**
 * One lane of a Kinesis shard (kinesis.ts): its records in shard order, one batch with the function
 * at a time, retries, record age, bisection, partial batch responses and tumbling windows (§9).
 * A shard has ParallelizationFactor lanes; a partition key always goes to the same lane, so each key
 * keeps its order [doc].
 *
 * A batch holds up to BatchSize records of the lane (and of one tumbling window), under the 6 MB
 * event limit [doc]; without a full batch it waits out MaximumBatchingWindowInSeconds from its first
 * record [doc] (not when the shard is closed and read to its end: nothing more can come).
 *
 * Results [doc][rec]:
 *   - success: the records are done (the shard's checkpoint moves);
 *   - a function error (or, in a tumbling window, an answer without `state` [doc]): the batch is
 *     retried while the lane waits; BisectBatchOnFunctionError splits it in halves first (splits are
 *     not retries); after MaximumRetryAttempts retries (-1: no limit) the OnFailure destination gets
 *     its KinesisBatchInfo (RetryAttemptsExhausted) and the lane moves on;
 *   - ReportBatchItemFailures: the records before the lowest reported one are done, the rest is
 *     retried as one batch ("bisected at the returned sequence number" [doc]); this retry counts
 *     ([rec]: MaximumRetryAttempts 3 gives approximateInvokeCount 4); an answer naming a record not
 *     in the batch fails the whole batch (batch-response.ts);
 *   - a throttle, a service error, or the function missing or not Active: nothing reached the
 *     function; retried (not counted) until the records expire [doc].
 * Records older than MaximumRecordAgeInSeconds, or than the stream's retention (-1: the retention
 * only), are not sent: the OnFailure destination gets them (RecordAgeExceeded) without an invoke
 * [doc][rec]; approximateInvokeCount is then the invokes they had, at least 1 [rec].
 *
 * Tumbling windows [doc]: windows of TumblingWindowInSeconds aligned to the epoch, a record's window
 * by its arrival; the function's `state` is carried from invoke to invoke; when the window has ended
 * and its records are done, a final invoke without records (isFinalInvokeForWindow) is retried until
 * it succeeds (or MaximumRetryAttempts, unconfirmed). A window ends early (isWindowTerminatedEarly,
 * sent on the final invoke) when the shard ends in a reshard ("When the shard ends, Lambda considers
 * the window closed" [doc]) and when the state passes 1 MB; later records of that window start it
 * again with a fresh state [doc].
 *
 * Every wait is a clock timer that wakes the shard; nothing here waits on the clock.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../clock';
import { AwsError } from '../../errors';
import type { ShardRecord } from '../../services/kinesis/types';
import { freshTraceHeader, nextTraceHeader } from '../async';
import type { InvokeResult } from '../runtime/types';
import { readBatchItemFailures } from './batch-response';
import {
  eventOverheadBytes,
  kinesisEvent,
  MAX_WINDOW_STATE_BYTES,
  recordBytes,
  stateBytes,
  windowState,
  type FailureCondition,
  type RecordContext,
  type WindowInfo,
} from './kinesis-event';
import { resolveTarget, type Target } from './target';
import { MAX_BATCH_PAYLOAD_BYTES, type EventSourceMapping, type MappingHost } from './types';

/** LastProcessingResult texts: [doc] the first two; the function one is unconfirmed. */
export const KINESIS_OK = 'OK';
export const KINESIS_FAILED = 'PROBLEM: Function call failed';
export const KINESIS_FUNCTION_NOT_FOUND = 'PROBLEM: Function not found';
/** While the function is gone (or not Active), look again this often (virtual ms). */
export const PROBLEM_RETRY_MS = 10_000;
/** Back-off between retries of a failing batch, and after throttles: 200 ms doubling to 10 s. */
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;

/** What a lane needs of its shard (ShardReader). */
export interface LaneOwner {
  readonly host: MappingHost;
  readonly mapping: EventSourceMapping;
  readonly shardId: string;
  /** The shard's reader or the poller has stopped. */
  stopped(): boolean;
  /** The shard is closed and read to its end. */
  drained(): boolean;
  /** Read more, let every lane work, and finish the shard when all is done (never from inside `pump`). */
  wake(): void;
  /** These records are done (processed, skipped or sent to OnFailure): the checkpoint may move. */
  done(records: ShardRecord[]): void;
  sendFailure(records: ShardRecord[], condition: FailureCondition, invokes: number, last?: { executedVersion: string; functionError?: string }): void;
  /** The stream's retention (records older are gone from it). */
  retentionMs(): number;
  /** A batch of this mapping goes to the function (+1) or is back (-1). */
  track(delta: 1 | -1): void;
}

interface Tumbling {
  start: number;
  end: number;
  state: unknown;
  timer?: TimerHandle;
  /** The state passed 1 MB: the window ends early. */
  overflow?: boolean;
}

type Outcome = { kind: 'result'; result: InvokeResult; version: string } | { kind: 'throttled' } | { kind: 'service' };
/** What to do after a batch: read on, retry (counted or not), or nothing. */
type Next = 'wake' | 'retry' | 'retry-uncounted' | 'none';

export class Lane {
  /** Its records not done yet, in shard order (a batch with the function stays here until done). */
  private readonly queue: ShardRecord[] = [];
  private inFlight = false;
  private stopped = false;
  /** Counted failures of the records at the head. */
  private attempts = 0;
  /** Invokes that carried the record at the head since it became the head. */
  private invokes = 0;
  /** Retries in a row that were not counted (throttles, service errors): their back-off. */
  private backoff = 0;
  /** The pieces of a bisected batch still to go, in order (each a prefix of the queue in turn). */
  private pieces: ShardRecord[][] = [];
  private windowOpenedAt?: number;
  private windowTimer?: TimerHandle;
  private retryTimer?: TimerHandle;
  private tumbling?: Tumbling;

  constructor(private readonly owner: LaneOwner) {}

  private get m(): EventSourceMapping {
    return this.owner.mapping;
  }
  private get clock(): Clock {
    return this.owner.host.clock;
  }

  push(r: ShardRecord): void {
    this.queue.push(r);
  }
  size(): number {
    return this.queue.length;
  }
  head(): ShardRecord | undefined {
    return this.queue[0];
  }
  /** Nothing with the function; once stopped, nothing more is wanted of it. */
  idle(): boolean {
    return !this.inFlight && (this.stopped || (this.queue.length === 0 && !this.tumbling));
  }

  /** Nothing with the function and nothing pending on the records (no retry, no split, no window): its records may move. */
  quiet(): boolean {
    return !this.inFlight && !this.retryTimer && this.pieces.length === 0 && this.attempts === 0 && !this.tumbling;
  }
  /** Its records (not done), for another lane. */
  records(): ShardRecord[] {
    return [...this.queue];
  }

  stop(): void {
    this.stopped = true;
    for (const t of [this.windowTimer, this.retryTimer, this.tumbling?.timer]) t?.cancel();
    this.windowTimer = this.retryTimer = undefined;
    if (this.tumbling) this.tumbling.timer = undefined;
  }

  /** Send the next batch (or a window's final invoke) if the lane may. Never waits, never wakes the owner. */
  pump(): void {
    if (this.inFlight || this.stopped || this.retryTimer || this.owner.stopped()) return;
    const now = this.clock.now();
    this.expire(now);
    const width = (this.m.tumblingWindowInSeconds ?? 0) * 1000;
    const t = this.tumbling;
    if (t) {
      const headInWindow = this.queue.length > 0 && windowOf(this.queue[0], width) === t.start;
      if (t.overflow) return void this.final(true);
      if (!headInWindow && now >= t.end) return void this.final(false);
      if (!headInWindow && this.queue.length === 0 && this.owner.drained()) return void this.final(true);
      if (!headInWindow && this.queue.length > 0) return void this.final(false); // (a later window's record: this one is over)
    }
    if (this.queue.length === 0) return this.clearWait();
    const target = this.target();
    if (!target) return;
    let batch = this.pieces[0];
    if (!batch) {
      const ctx = contextOf(target, this.m);
      batch = [];
      let bytes = eventOverheadBytes(width > 0 ? { state: this.tumbling?.state ?? {} } : undefined);
      const first = windowOf(this.queue[0], width);
      for (const r of this.queue) {
        if (batch.length >= this.m.batchSize) break;
        if (width > 0 && windowOf(r, width) !== first) break;
        const b = recordBytes(r, ctx);
        if (batch.length > 0 && bytes + b > MAX_BATCH_PAYLOAD_BYTES) break;
        bytes += b;
        batch.push(r);
      }
      const full = batch.length >= this.m.batchSize || batch.length < this.queue.length;
      const wait = this.m.maximumBatchingWindowInSeconds * 1000;
      if (!full && wait > 0 && this.attempts === 0 && !this.owner.drained()) {
        // [doc] the batching window: gather records up to this long, from the batch's first record.
        this.windowOpenedAt ??= now;
        const due = this.windowOpenedAt + wait;
        if (now < due) {
          this.windowTimer ??= this.clock.setTimeout(() => {
            this.windowTimer = undefined;
            this.owner.wake();
          }, due - now);
          return;
        }
      }
    }
    // (a retried piece may outlive its window when the window ended early: it opens the window again)
    if (width > 0 && !this.tumbling) this.openWindow(windowOf(batch[0], width), width);
    this.clearWait();
    void this.process(batch, target);
  }

  private clearWait(): void {
    this.windowOpenedAt = undefined;
    this.windowTimer?.cancel();
    this.windowTimer = undefined;
  }

  /** The function and its version now; undefined (and a retry later) while it is gone or not Active. */
  private target(): Target | undefined {
    const target = resolveTarget(this.owner.host, this.m);
    if (target?.version.state === 'Active') return target;
    if (!target) this.m.lastProcessingResult = KINESIS_FUNCTION_NOT_FOUND;
    this.retryLater('fixed');
    return undefined;
  }

  private openWindow(start: number, width: number): void {
    const t: Tumbling = { start, end: start + width, state: {} };
    this.tumbling = t;
    t.timer = this.clock.setTimeout(
      () => {
        t.timer = undefined;
        this.owner.wake();
      },
      Math.max(0, t.end - this.clock.now()),
    );
  }

  private closeWindow(): void {
    this.tumbling?.timer?.cancel();
    this.tumbling = undefined;
  }

  /** [doc][rec] Records past their maximum age go to OnFailure (RecordAgeExceeded) without an invoke. */
  private expire(now: number): void {
    const maxAge = this.m.maximumRecordAgeInSeconds ?? -1;
    const limit = Math.min(maxAge >= 0 ? maxAge * 1000 : Infinity, this.owner.retentionMs());
    if (!Number.isFinite(limit)) return;
    const expired: ShardRecord[] = [];
    while (this.queue.length > 0 && now - this.queue[0].approximateArrivalTimestamp > limit) expired.push(this.queue.shift()!);
    if (expired.length === 0) return;
    const invokes = Math.max(1, this.invokes);
    for (let i = 0; i < expired.length; i += this.m.batchSize) this.owner.sendFailure(expired.slice(i, i + this.m.batchSize), 'RecordAgeExceeded', invokes);
    this.owner.done(expired);
    this.pieces = [];
    this.resetHead();
  }

  private resetHead(): void {
    this.attempts = 0;
    this.invokes = 0;
  }

  /** The first `n` records are done. */
  private advance(n: number): void {
    if (n > 0) this.owner.done(this.queue.splice(0, n));
  }

  private async invoke(records: ShardRecord[], target: Target, window?: WindowInfo): Promise<Outcome> {
    const release = this.clock.busy();
    try {
      const result = await this.owner.host.run(target.fn, target.version, {
        qualifier: target.qualifier,
        requestId: randomUUID(),
        payload: kinesisEvent(records, contextOf(target, this.m), this.owner.shardId, window),
        trigger: 'kinesis',
        traceId: nextTraceHeader(undefined, target.fn.arn, () => freshTraceHeader(this.clock.now())),
      });
      return { kind: 'result', result, version: target.version.version };
    } catch (e) {
      return e instanceof AwsError && e.status === 429 ? { kind: 'throttled' } : { kind: 'service' };
    } finally {
      release();
    }
  }

  /** One batch with the function, then what its result says. Results count even after a stop. */
  private async process(batch: ShardRecord[], target: Target): Promise<void> {
    this.inFlight = true;
    this.owner.track(1);
    const t = this.tumbling;
    const window = t && { start: t.start, end: t.end, state: t.state, final: false, terminatedEarly: false };
    let next: Next = 'none';
    try {
      const out = await this.invoke(batch, target, window);
      this.inFlight = false;
      next = this.settle(batch, out);
    } finally {
      this.inFlight = false;
      this.owner.track(-1);
    }
    this.then(next);
  }

  private settle(batch: ShardRecord[], out: Outcome): Next {
    if (out.kind !== 'result') return 'retry-uncounted';
    this.invokes++;
    this.backoff = 0;
    const { result } = out;
    const t = this.tumbling;
    let failedFrom = -1; // the first record to retry; -1: all done
    let partial = false;
    let state: ReturnType<typeof windowState> = { found: false };
    if (result.functionError) failedFrom = 0;
    else {
      if (t) {
        state = windowState(result.payload);
        if (!state.found) failedFrom = 0; // [doc] an answer without `state` is a failed invocation
      }
      if (failedFrom < 0 && this.m.functionResponseTypes.includes('ReportBatchItemFailures')) {
        const verdict = readBatchItemFailures(result.payload, new Set(batch.map((r) => r.sequenceNumber)));
        if (verdict.kind === 'failure') failedFrom = 0;
        else if (verdict.kind === 'partial') {
          partial = true;
          failedFrom = batch.findIndex((r) => verdict.failed.has(r.sequenceNumber)); // [doc] the lowest reported
        }
      }
    }
    if (this.pieces[0] === batch) this.pieces.shift();
    if (t && state.found && (failedFrom < 0 || partial)) {
      t.state = state.state;
      if (stateBytes(t.state) > MAX_WINDOW_STATE_BYTES) t.overflow = true;
    }
    if (failedFrom < 0) {
      this.advance(batch.length);
      this.resetHead();
      this.m.lastProcessingResult = KINESIS_OK;
      return 'wake';
    }
    this.m.lastProcessingResult = KINESIS_FAILED;
    this.advance(failedFrom);
    const rest = batch.slice(failedFrom);
    if (this.m.bisectBatchOnFunctionError && !partial && rest.length > 1) {
      const half = Math.ceil(rest.length / 2); // [doc] split in two; a split is not a retry
      this.pieces.unshift(rest.slice(0, half), rest.slice(half));
      return 'wake';
    }
    this.attempts++;
    const max = this.m.maximumRetryAttempts ?? -1;
    if (max >= 0 && this.attempts > max) {
      this.owner.sendFailure(rest, 'RetryAttemptsExhausted', this.invokes, { executedVersion: out.version, functionError: result.functionError });
      this.advance(rest.length);
      this.resetHead();
      return 'wake';
    }
    this.pieces.unshift(rest);
    return 'retry';
  }

  private then(next: Next): void {
    if (this.stopped || this.owner.stopped()) return;
    if (next === 'wake') this.owner.wake();
    else if (next === 'retry') this.retryLater('counted');
    else if (next === 'retry-uncounted') this.retryLater('uncounted');
  }

  private retryLater(kind: 'counted' | 'uncounted' | 'fixed'): void {
    if (this.retryTimer || this.stopped) return;
    if (kind === 'uncounted') this.backoff++;
    const n = kind === 'counted' ? this.attempts : this.backoff;
    const delay = kind === 'fixed' ? PROBLEM_RETRY_MS : Math.min(RETRY_BASE_MS * 2 ** Math.max(0, n - 1), RETRY_MAX_MS);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.owner.wake();
    }, delay);
  }

  /** [doc] The window's last invoke: no records, its final state; the lane waits until it succeeds. */
  private async final(early: boolean): Promise<void> {
    const t = this.tumbling!;
    const target = this.target();
    if (!target) return;
    this.inFlight = true;
    this.owner.track(1);
    let next: Next = 'none';
    try {
      const out = await this.invoke([], target, { start: t.start, end: t.end, state: t.state, final: true, terminatedEarly: early });
      this.inFlight = false;
      if (out.kind !== 'result') next = 'retry-uncounted';
      else {
        this.backoff = 0;
        const ok = !out.result.functionError && windowState(out.result.payload).found;
        this.m.lastProcessingResult = ok ? KINESIS_OK : KINESIS_FAILED;
        const max = this.m.maximumRetryAttempts ?? -1;
        if (!ok) this.attempts++;
        if (ok || (max >= 0 && this.attempts > max)) {
          if (this.tumbling === t) this.closeWindow();
          this.attempts = 0;
          next = 'wake';
        } else next = 'retry';
      }
    } finally {
      this.inFlight = false;
      this.owner.track(-1);
    }
    this.then(next);
  }
}

/** The tumbling window a record falls in (its arrival, windows aligned to the epoch); 0 without windows. */
function windowOf(r: ShardRecord, width: number): number {
  return width > 0 ? Math.floor(r.approximateArrivalTimestamp / width) * width : 0;
}

function contextOf(target: Target, m: EventSourceMapping): RecordContext {
  return { role: target.version.config.role, region: m.region, streamArn: m.eventSourceArn };
}
