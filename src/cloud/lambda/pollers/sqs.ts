/**
 * The SQS poller: one per enabled SQS mapping [doc] §7.
 *
 * It never parks on the clock (a parked waiter would let compressed time race ahead of an idle
 * poller): it wakes when the queue says messages may be receivable (`MessageQueue.onAvailable`: a
 * send, a delay's or a visibility timeout's end), when one of its batches ends, and on clock timers
 * for a batching window, a throttle back-off and a problem's retry.
 *
 * Batches: messages are received in-process (10 a call, as Lambda does) with the queue's visibility
 * timeout (window + function timeout + 30 s when those exceed it [doc]). A batch is sent when it
 * holds BatchSize messages, when its window (MaximumBatchingWindowInSeconds, from its first message)
 * ends, at once without a window, or before its event would pass 6 MB (the message that did not fit
 * opens the next batch). Messages no filter matches are deleted without an invoke; messages whose
 * trace header says the chain has looped too often go to the queue's dead-letter queue [doc].
 *
 * Results: success deletes the batch; a function error or timeout deletes nothing (the messages come
 * back after their visibility timeout, and the queue's redrive moves them to its DLQ); with
 * ReportBatchItemFailures only the reported messages stay (batch-response.ts). A throttled invoke is
 * retried with a back-off while the messages' visibility timeout allows, then left to come back.
 * FIFO order needs nothing more here: the queue returns no message of a group that has one in flight.
 *
 * Concurrency: scaling.ts, capped by ScalingConfig.MaximumConcurrency and by the host's cap.
 */
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock';
import { AwsError } from '../../errors';
import type { QueueRecord, ReceivedMessage, SqsMessage } from '../../services/sqs/types';
import { freshTraceHeader, isRecursive, nextTraceHeader } from '../async';
import { resolveTarget, type Target as ResolvedTarget } from './target';
import type { FunctionVersion, LambdaFunction } from '../model';
import type { InvokeResult } from '../runtime/types';
import { readBatchItemFailures } from './batch-response';
import { MAX_CONCURRENCY, Scaler } from './scaling';
import { EVENT_OVERHEAD_BYTES, eventPayload, passesSqsFilters, sqsRecord, traceHeaderOf } from './sqs-event';
import { MAX_BATCH_PAYLOAD_BYTES, type EventSourceMapping, type MappingHost, type Poller } from './types';

/** Messages per ReceiveMessage, as Lambda's pollers ask. */
const RECEIVE_CHUNK = 10;
/** Back-off after a throttled invoke: 1 s doubling, at most 30 s (within the visibility timeout). */
const THROTTLE_BASE_MS = 1_000;
const THROTTLE_MAX_MS = 30_000;
/** While the queue or the function is gone, look again this often (virtual ms). */
export const PROBLEM_RETRY_MS = 10_000;
const MAX_VISIBILITY_S = 43_200;

/** LastProcessingResult texts (the function one [doc]; the others unconfirmed). */
export const FUNCTION_CALL_FAILED = 'PROBLEM: Function call failed';
export const FUNCTION_NOT_FOUND = 'PROBLEM: Function not found';
/** The text CreateEventSourceMapping gives for a missing queue [rec], as a processing problem. */
export const QUEUE_NOT_FOUND =
  'PROBLEM: Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.';

export interface SqsPollerContext {
  readonly host: MappingHost;
  /** The most batches one mapping may have with the function at once on this machine. */
  cap(): number;
}

/** What a batch is sent to, resolved afresh for every pass (updates and deletions apply at once). */
interface Target {
  queue: QueueRecord;
  fn: LambdaFunction;
  qualifier: string | undefined;
  version: FunctionVersion;
  /** Seconds each received message stays invisible. */
  visibility: number;
}

interface Item {
  message: SqsMessage;
  handle: string;
  id: string;
  /** The record's JSON text and its size in bytes. */
  text: string;
  bytes: number;
  trace?: string;
  /** Virtual ms at which the message becomes visible again. */
  visibleAt: number;
}

class Batch {
  readonly items: Item[] = [];
  bytes = EVENT_OVERHEAD_BYTES;
  /** No further message fits under 6 MB. */
  full = false;
  /** The batching window has ended. */
  closed = false;
  timer?: TimerHandle;
  /** The earliest moment one of its messages becomes visible again. */
  deadline = Infinity;

  constructor(readonly queue: QueueRecord) {}

  fits(it: Item): boolean {
    return this.items.length === 0 || this.bytes + 1 + it.bytes <= MAX_BATCH_PAYLOAD_BYTES;
  }

  add(it: Item): void {
    this.bytes += (this.items.length > 0 ? 1 : 0) + it.bytes;
    this.items.push(it);
    if (it.visibleAt < this.deadline) this.deadline = it.visibleAt;
  }
}

export class SqsPoller implements Poller {
  readonly scaler: Scaler;
  private stopped = true;
  private pumping = false;
  private again = false;
  /** Batches with the function (or waiting out a throttle). */
  private running = 0;
  /** The batch gathering messages during its window. */
  private open?: Batch;
  /** Messages received that did not fit the previous batch (they open the next one). */
  private carry: Item[] = [];
  private subscribed?: { queue: QueueRecord; off: () => void };
  private retryTimer?: TimerHandle;

  constructor(
    private readonly ctx: SqsPollerContext,
    private readonly m: EventSourceMapping,
  ) {
    this.scaler = new Scaler(() => ctx.host.clock.now());
  }

  private get host(): MappingHost {
    return this.ctx.host;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.pump();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const queue = this.open?.queue ?? this.subscribed?.queue;
    this.subscribed?.off();
    this.subscribed = undefined;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    // Messages received but not sent to the function go back to the queue at once.
    if (this.open) this.giveBack(this.open);
    this.open = undefined;
    if (queue) for (const it of this.carry) makeVisible(queue, it.handle);
    this.carry = [];
  }

  /** Return a batch's messages to the queue at once (they were not sent to the function). */
  private giveBack(batch: Batch): void {
    batch.timer?.cancel();
    for (const it of batch.items) makeVisible(batch.queue, it.handle);
  }

  idle(): boolean {
    return this.running === 0 && !this.open && this.carry.length === 0;
  }

  /** Batches with the function now (tests). */
  get inFlight(): number {
    return this.running;
  }

  /** The concurrency the mapping allows now. */
  limit(): number {
    return Math.max(1, Math.min(this.scaler.concurrency, this.m.maximumConcurrency ?? MAX_CONCURRENCY, this.ctx.cap()));
  }

  // ------------------------------------------------------------------ the pump

  /** Do whatever can be done now; runs one pass at a time (a call during a pass makes another). */
  pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pass()
      .catch((e) => {
        if (process.env.TESTBED_DEBUG) console.error('[sqs poller]', e);
      })
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async pass(): Promise<void> {
    const target = this.target();
    if (!target) return;
    for (;;) {
      if (this.stopped) return;
      if (this.open?.closed) {
        const b = this.open;
        this.open = undefined;
        if (b.items.length > 0) this.dispatch(b);
        continue;
      }
      if (!this.open && this.running >= this.limit()) {
        if (target.queue.messages.counts().visible > 0) {
          this.scaler.saturated();
          if (this.running < this.limit()) continue;
        }
        return;
      }
      const batch = this.open ?? new Batch(target.queue);
      const received = await this.fill(batch, target);
      if (this.stopped) {
        // Stopped while receiving: what came in meanwhile goes back too (again is harmless).
        this.giveBack(batch);
        for (const it of this.carry) makeVisible(batch.queue, it.handle);
        this.carry = [];
        return;
      }
      if (batch.items.length === 0) {
        this.open = undefined;
        if (received > 0) continue; // all filtered out: look for more
        if (this.running === 0) this.scaler.idle();
        return;
      }
      const window = this.m.maximumBatchingWindowInSeconds;
      if (batch.full || batch.items.length >= this.m.batchSize || window === 0) {
        this.open = undefined;
        batch.timer?.cancel();
        this.dispatch(batch);
        continue;
      }
      this.open = batch;
      batch.timer ??= this.host.clock.setTimeout(() => {
        batch.closed = true;
        this.pump();
      }, window * 1000);
      return;
    }
  }

  /** Resolve the queue and the function (setting or clearing the mapping's problem); subscribe to the queue. */
  private target(): Target | undefined {
    const queue = this.host.sqs?.byArn(this.m.eventSourceArn);
    if (!queue) {
      this.subscribed?.off();
      this.subscribed = undefined;
      return this.problem(QUEUE_NOT_FOUND);
    }
    if (this.subscribed?.queue !== queue) {
      this.subscribed?.off();
      this.subscribed = { queue, off: queue.messages.onAvailable(() => this.pump()) };
    }
    const resolved = this.resolveFunction();
    if (!resolved) return this.problem(FUNCTION_NOT_FOUND);
    if (resolved.version.state !== 'Active') return this.problem(undefined); // Pending: look again soon
    if (this.m.lastProcessingResult === QUEUE_NOT_FOUND || this.m.lastProcessingResult === FUNCTION_NOT_FOUND) this.m.lastProcessingResult = undefined;
    const queueVisibility = Number(queue.attributes.VisibilityTimeout ?? 30);
    const window = this.m.maximumBatchingWindowInSeconds;
    const timeout = resolved.version.config.timeout;
    // [doc] a window plus the function's timeout beyond the visibility timeout extends it.
    const visibility = window + timeout > queueVisibility ? Math.min(MAX_VISIBILITY_S, window + timeout + 30) : queueVisibility;
    return { queue, ...resolved, visibility };
  }

  private resolveFunction(): ResolvedTarget | undefined {
    return resolveTarget(this.host, this.m);
  }

  private problem(text: string | undefined): undefined {
    if (text) this.m.lastProcessingResult = text;
    this.retryTimer ??= this.host.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, PROBLEM_RETRY_MS);
    return undefined;
  }

  /** Receive into `batch` until it is full or the queue has nothing now; returns how many were received. */
  private async fill(batch: Batch, target: Target): Promise<number> {
    let received = 0;
    while (this.carry.length > 0 && batch.items.length < this.m.batchSize) {
      if (!batch.fits(this.carry[0])) {
        batch.full = true;
        return received;
      }
      batch.add(this.carry.shift()!);
    }
    while (!batch.full && batch.items.length < this.m.batchSize) {
      const max = Math.min(RECEIVE_CHUNK, this.m.batchSize - batch.items.length);
      let got: ReceivedMessage[];
      try {
        got = await target.queue.messages.receive({ max, visibilityTimeout: target.visibility, waitSeconds: 0 });
      } catch {
        break; // the in-flight limit: the next signal tries again
      }
      if (got.length === 0) break;
      received += got.length;
      const now = this.host.clock.now();
      for (const r of got) {
        const item = this.admit(r, target, now);
        if (!item) continue;
        if (batch.full || !batch.fits(item)) {
          batch.full = true;
          this.carry.push(item);
        } else batch.add(item);
      }
      if (this.stopped) break;
    }
    return received;
  }

  /** A received message as a batch item; undefined when the filters drop it or the chain has looped. */
  private admit(r: ReceivedMessage, target: Target, now: number): Item | undefined {
    const record = sqsRecord(r.message, r.receiptHandle, {
      queueArn: target.queue.arn,
      region: target.queue.region,
      windowed: this.m.maximumBatchingWindowInSeconds > 0,
    });
    if (!passesSqsFilters(this.m.filters, record)) {
      remove(target.queue, r.receiptHandle); // [doc] a message no filter matches is deleted
      return undefined;
    }
    const trace = traceHeaderOf(r.message);
    if (this.host.async.recursiveLoop(target.fn) === 'Terminate' && isRecursive(trace, target.fn.arn)) {
      this.stopLoop(r, target, now);
      return undefined;
    }
    const text = JSON.stringify(record);
    return { message: r.message, handle: r.receiptHandle, id: r.message.messageId, text, bytes: Buffer.byteLength(text), trace, visibleAt: now + target.visibility * 1000 };
  }

  /**
   * [doc] A message whose chain has invoked the function too often is not sent to it: it goes to the
   * queue's dead-letter queue when the queue has one (else it comes back after its visibility timeout,
   * and is stopped again). The invocation log shows it as dropped.
   */
  private stopLoop(r: ReceivedMessage, target: Target, now: number): void {
    const dlq = this.deadLetterQueue(target.queue);
    if (dlq) {
      dlq.messages.putMoved({ ...r.message, deadLetterQueueSourceArn: target.queue.arn });
      remove(target.queue, r.receiptHandle);
    }
    this.host.invocations.add({
      requestId: randomUUID(),
      functionName: target.fn.name,
      functionArn: target.fn.arn,
      qualifier: target.qualifier ?? null,
      executedVersion: target.version.version,
      trigger: 'sqs',
      coldStart: null,
      environmentId: null,
      start: now,
      end: now,
      outcome: 'dropped',
      errorType: 'RecursiveInvocationException',
    });
  }

  private deadLetterQueue(queue: QueueRecord): QueueRecord | undefined {
    try {
      const policy = JSON.parse(queue.attributes.RedrivePolicy ?? '') as { deadLetterTargetArn?: unknown };
      const dlq = typeof policy.deadLetterTargetArn === 'string' ? this.host.sqs?.byArn(policy.deadLetterTargetArn) : undefined;
      return dlq !== queue ? dlq : undefined;
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------ one batch with the function

  private dispatch(batch: Batch): void {
    batch.timer?.cancel();
    this.running++;
    void this.process(batch)
      .catch((e) => {
        if (process.env.TESTBED_DEBUG) console.error('[sqs poller] batch', e);
      })
      .finally(() => {
        this.running--;
        this.pump();
      });
  }

  private async process(batch: Batch): Promise<void> {
    const clock = this.host.clock;
    let release = clock.busy();
    try {
      const payload = eventPayload(batch.items.map((i) => i.text));
      const header = batch.items.find((i) => i.trace !== undefined)?.trace;
      let result: InvokeResult | undefined;
      for (let attempt = 0; ; attempt++) {
        const target = this.resolveFunction();
        if (!target) {
          this.m.lastProcessingResult = FUNCTION_NOT_FOUND;
          return; // the messages come back after their visibility timeout
        }
        try {
          result = await this.host.run(target.fn, target.version, {
            qualifier: target.qualifier,
            requestId: randomUUID(),
            payload,
            trigger: 'sqs',
            traceId: nextTraceHeader(header, target.fn.arn, () => freshTraceHeader(clock.now())),
          });
          break;
        } catch (e) {
          if (!(e instanceof AwsError) || e.status !== 429) {
            this.m.lastProcessingResult = FUNCTION_CALL_FAILED;
            return;
          }
          // [doc] throttled: back off, and retry while the messages are still invisible.
          this.scaler.throttled(this.running - 1);
          const delay = Math.min(THROTTLE_BASE_MS * 2 ** attempt, THROTTLE_MAX_MS);
          if (this.stopped || clock.now() + delay >= batch.deadline) return;
          release();
          await clock.sleep(delay);
          release = clock.busy();
          if (this.stopped) return;
        }
      }
      this.settle(batch, result);
    } finally {
      release();
    }
  }

  /** Delete what the function processed. */
  private settle(batch: Batch, result: InvokeResult): void {
    const rbif = this.m.functionResponseTypes.includes('ReportBatchItemFailures');
    if (result.functionError) {
      this.m.lastProcessingResult = FUNCTION_CALL_FAILED;
      if (!rbif) this.scaler.failed(); // [doc] with ReportBatchItemFailures Lambda does not scale down
      return;
    }
    let keep: Set<string> | undefined;
    if (rbif) {
      const verdict = readBatchItemFailures(result.payload, new Set(batch.items.map((i) => i.id)));
      if (verdict.kind === 'failure') return; // the whole batch comes back
      if (verdict.kind === 'partial') keep = verdict.failed;
    }
    for (const it of batch.items) if (!keep?.has(it.id)) remove(batch.queue, it.handle);
    if (this.m.lastProcessingResult === FUNCTION_CALL_FAILED) this.m.lastProcessingResult = undefined;
  }
}

/** Delete a message; a handle that expired meanwhile (FIFO) or a queue that is gone changes nothing. */
function remove(queue: QueueRecord, handle: string): void {
  try {
    queue.messages.deleteMessage(handle);
  } catch {
    // the message was received again by now, or the queue is gone: it is processed again
  }
}

/** Make a received message visible again at once. */
function makeVisible(queue: QueueRecord, handle: string): void {
  try {
    queue.messages.changeVisibility(handle, 0);
  } catch {
    // it is visible again already, or gone
  }
}
