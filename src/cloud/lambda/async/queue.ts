/**
 * Lambda's internal queue for asynchronous invocation (Invoke with InvocationType Event, SNS,
 * EventBridge, destinations that are functions) [doc] §3:
 *   - an event runs when a concurrency slot is free; a throttle (or an error before the function
 *     runs) puts it back with a backoff of 1 s doubling to 5 min, until the maximum event age;
 *   - a function error (thrown, timeout, crash) is retried after 1 minute and then 2 minutes, up to
 *     MaximumRetryAttempts (default 2); the request id stays the same across attempts;
 *   - the event age is checked before every attempt, and a retry that would come after the maximum
 *     age ends the event at once (EventAgeExceeded) [rec];
 *   - reserved concurrency 0, and a recursive loop past 16 rounds, send the event to failure handling;
 *   - at the end, the invocation record goes to the OnSuccess / OnFailure destination and the
 *     original event to the dead-letter queue, both through the cloud's deliverer.
 * Every wait is a clock timer, so compressed time jumps over the minutes between retries.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { AwsError } from '../../errors';
import { arnParts, s3FailureKey, type Deliverer, type DeliveryContext } from '../../deliver/types';
import type { InvocationLog, RunRequest } from '../invocations';
import type { Alias, FunctionVersion, LambdaFunction } from '../model';
import type { InvokeResult } from '../runtime/types';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, type EventInvokeConfigs } from './config';
import { deadLetterAttributes, errorMessageOf, recordEvent, recordText, type AttemptResult, type Condition, type RecordInput } from './records';
import { isRecursive, nextTraceHeader, recursionError, type RecursiveLoop } from './recursion';

/** Delays after a function error: 1 minute before the first retry, 2 before the second [doc]. */
export const RETRY_DELAYS_MS = [60_000, 120_000];
/** Backoff for throttles and errors before the function runs: 1 s doubling to 5 min [doc]. */
const THROTTLE_BASE_MS = 1_000;
const THROTTLE_MAX_MS = 300_000;

export interface AsyncEvent {
  fn: LambdaFunction;
  qualifier?: string;
  payload: Buffer;
  requestId: string;
  /** Virtual epoch ms at which Lambda accepted the event. */
  enqueuedAt: number;
  /** Attempts that ran the function (the record's approximateInvokeCount). */
  attempts: number;
  /** Requeues after throttles (they do not count as attempts). */
  throttles: number;
  /** What fired it: "event" (Invoke API), "sns", "events", "destination". */
  trigger: string;
  /** The X-Amzn-Trace-Id the event arrived with (its Lineage counts the chain's invocations). */
  traceHeader?: string;
  last?: AttemptResult;
  /** Why it last failed before running (throttle, service error): the DLQ's ErrorCode / ErrorMessage. */
  lastFailure?: { status: number; message: string };
}

/** What the queue needs from the Lambda service. */
export interface QueueHost {
  readonly clock: Clock;
  readonly invocations: InvocationLog;
  readonly deliverer?: Deliverer;
  readonly eventInvokeConfigs: EventInvokeConfigs;
  resolveVersion(fn: LambdaFunction, qualifier: string | undefined): { version: FunctionVersion; alias?: Alias };
  /** Whether the function still exists (not deleted since the event was queued). */
  isCurrent(fn: LambdaFunction): boolean;
  recursiveLoop(fn: LambdaFunction): RecursiveLoop;
  run(fn: LambdaFunction, version: FunctionVersion, req: RunRequest): Promise<InvokeResult>;
}

/**
 * Attempts of one function in flight at once. AWS scales a function out as its events arrive; on one
 * machine a burst of events would start a process per event, so a function's events beyond this many
 * wait their turn in the queue (their age keeps counting, as on AWS when Lambda is slow to catch up).
 */
export const DEFAULT_ASYNC_CONCURRENCY_PER_FUNCTION = 16;

export class AsyncQueue {
  private readonly queue: AsyncEvent[] = [];
  private running = 0;
  private scheduled = false;
  /** Per function ARN: attempts in flight, and events waiting for one of them to end. */
  private readonly inFlight = new Map<string, number>();
  private readonly backlog = new Map<string, AsyncEvent[]>();
  private backlogged = 0;
  /** See DEFAULT_ASYNC_CONCURRENCY_PER_FUNCTION. */
  concurrencyPerFunction = DEFAULT_ASYNC_CONCURRENCY_PER_FUNCTION;
  /** Events waiting in a retry or backoff timer. */
  private waiting = 0;
  private generation = 0;

  constructor(private readonly host: QueueHost) {}

  private get clock(): Clock {
    return this.host.clock;
  }

  enqueue(e: AsyncEvent): void {
    this.queue.push(e);
    this.pump();
  }

  clear(): void {
    this.queue.length = 0;
    this.backlog.clear();
    this.backlogged = 0;
    this.waiting = 0;
    this.generation++; // timers of the old generation find nothing to do
  }

  /** Nothing queued, running or waiting for a retry. */
  idle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.waiting === 0 && this.backlogged === 0;
  }

  private pump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      while (this.queue.length) {
        const e = this.queue.shift()!;
        if ((this.inFlight.get(e.fn.arn) ?? 0) < this.concurrencyPerFunction) void this.attempt(e);
        else {
          let waiting = this.backlog.get(e.fn.arn);
          if (!waiting) this.backlog.set(e.fn.arn, (waiting = []));
          waiting.push(e);
          this.backlogged++;
        }
      }
    });
  }

  private later(e: AsyncEvent, delayMs: number): void {
    const generation = this.generation;
    this.waiting++;
    this.clock.setTimeout(() => {
      if (generation !== this.generation) return;
      this.waiting--;
      this.enqueue(e);
    }, delayMs);
  }

  private config(e: AsyncEvent): { maxAgeMs: number; maxRetries: number; onSuccess?: string; onFailure?: string } {
    const c = this.host.eventInvokeConfigs.effective(e.fn, e.qualifier);
    return {
      maxAgeMs: (c?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
      maxRetries: c?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      onSuccess: c?.onSuccess,
      onFailure: c?.onFailure,
    };
  }

  private async attempt(e: AsyncEvent): Promise<void> {
    this.running++;
    this.inFlight.set(e.fn.arn, (this.inFlight.get(e.fn.arn) ?? 0) + 1);
    const release = this.clock.busy();
    try {
      await this.step(e);
    } finally {
      this.running--;
      const left = (this.inFlight.get(e.fn.arn) ?? 1) - 1;
      if (left > 0) this.inFlight.set(e.fn.arn, left);
      else this.inFlight.delete(e.fn.arn);
      const next = this.backlog.get(e.fn.arn)?.shift();
      if (next) {
        this.backlogged--;
        if (!this.backlog.get(e.fn.arn)!.length) this.backlog.delete(e.fn.arn);
        void this.attempt(next);
      }
      release();
    }
  }

  private async step(e: AsyncEvent): Promise<void> {
    if (!this.host.isCurrent(e.fn)) {
      this.logEnd(e, 'FunctionDeleted'); // the function is gone: its events go with it, as on AWS
      return;
    }
    const config = this.config(e);
    if (this.clock.now() - e.enqueuedAt >= config.maxAgeMs) return this.fail(e, 'EventAgeExceeded', config);
    if (e.fn.reservedConcurrency === 0) {
      // AWS sends such events to failure handling at once, without attempts [doc].
      e.lastFailure = { status: 429, message: 'Rate Exceeded.' };
      this.logEnd(e, 'ZeroReservedConcurrency');
      return this.fail(e, 'RetriesExhausted', config);
    }
    if (this.host.recursiveLoop(e.fn) === 'Terminate' && isRecursive(e.traceHeader, e.fn.arn)) {
      e.lastFailure = { status: 400, message: recursionError().message };
      this.logEnd(e, 'RecursiveInvocationException');
      return this.fail(e, 'RetriesExhausted', config);
    }
    let version: FunctionVersion;
    try {
      version = this.host.resolveVersion(e.fn, e.qualifier).version;
    } catch {
      this.logEnd(e, 'QualifierDeleted'); // the version or alias is gone: the event is dropped
      return;
    }
    let result: InvokeResult;
    try {
      result = await this.host.run(e.fn, version, {
        qualifier: e.qualifier,
        requestId: e.requestId,
        payload: e.payload,
        trigger: e.trigger,
        traceId: nextTraceHeader(e.traceHeader, e.fn.arn, () => freshTraceHeader(this.clock.now())),
        attempt: e.attempts + 1,
      });
    } catch (err) {
      // Throttled, or an error before the function ran: back to the queue with a backoff.
      const status = err instanceof AwsError ? err.status : 500;
      e.lastFailure = { status, message: err instanceof Error ? err.message : String(err) };
      const delay = Math.min(THROTTLE_BASE_MS * 2 ** e.throttles, THROTTLE_MAX_MS);
      e.throttles++;
      if (this.clock.now() + delay - e.enqueuedAt > config.maxAgeMs) return this.fail(e, 'EventAgeExceeded', config);
      this.later(e, delay);
      return;
    }
    e.attempts++;
    e.lastFailure = undefined;
    e.last = { statusCode: 200, executedVersion: version.version, functionError: result.functionError, payload: result.payload };
    if (!result.functionError) return this.succeed(e, config);
    if (e.attempts > config.maxRetries) return this.fail(e, 'RetriesExhausted', config);
    const delay = RETRY_DELAYS_MS[Math.min(e.attempts - 1, RETRY_DELAYS_MS.length - 1)];
    // A retry that would come after the maximum age ends the event now [rec].
    if (this.clock.now() + delay - e.enqueuedAt > config.maxAgeMs) return this.fail(e, 'EventAgeExceeded', config);
    this.later(e, delay);
  }

  private succeed(e: AsyncEvent, config: { onSuccess?: string }): void {
    if (config.onSuccess) void this.sendRecord(e, 'Success', config.onSuccess);
  }

  private fail(e: AsyncEvent, condition: Condition, config: { onFailure?: string }): void {
    if (e.attempts === 0 && condition === 'EventAgeExceeded') this.logEnd(e, 'EventAgeExceeded');
    if (config.onFailure) void this.sendRecord(e, condition, config.onFailure);
    const dlq = this.deadLetterArn(e);
    if (dlq) void this.sendToDeadLetterQueue(e, dlq);
  }

  private deadLetterArn(e: AsyncEvent): string | undefined {
    try {
      return this.host.resolveVersion(e.fn, e.qualifier).version.config.deadLetterArn;
    } catch {
      return e.fn.latest.config.deadLetterArn;
    }
  }

  private dctx(e: AsyncEvent, what: string): DeliveryContext {
    return { accountId: e.fn.accountId, region: e.fn.region, traceHeader: e.traceHeader, source: `lambda:${what} ${e.fn.name}` };
  }

  private async sendRecord(e: AsyncEvent, condition: Condition, destination: string): Promise<void> {
    const deliverer = this.host.deliverer;
    if (!deliverer) return;
    const input: RecordInput = {
      requestId: e.requestId,
      functionArn: `${e.fn.arn}:${e.qualifier ?? '$LATEST'}`,
      condition,
      approximateInvokeCount: e.attempts,
      timestamp: this.clock.now(),
      requestPayload: e.payload,
      last: e.last,
    };
    const service = arnParts(destination)?.service ?? '';
    const what = condition === 'Success' ? 'OnSuccess' : 'OnFailure';
    if (service === 'events') {
      await deliverer.deliver(this.dctx(e, what), destination, { body: '', event: recordEvent(input, destination) });
    } else {
      // An S3 bucket (OnFailure only) gets the record as an object named as Lambda names it [doc].
      const s3Key = service === 's3' ? s3FailureKey(`async/${e.fn.name}`, input.timestamp, randomUUID()) : undefined;
      await deliverer.deliver(this.dctx(e, what), destination, { body: recordText(input, service), trigger: 'destination', s3Key });
    }
  }

  private async sendToDeadLetterQueue(e: AsyncEvent, arn: string): Promise<void> {
    const deliverer = this.host.deliverer;
    if (!deliverer) return;
    const status = e.last ? e.last.statusCode : (e.lastFailure?.status ?? 429);
    const message = e.last ? errorMessageOf(e.last.payload) : (e.lastFailure?.message ?? 'Rate Exceeded.');
    await deliverer.deliver(this.dctx(e, 'DeadLetterConfig'), arn, {
      body: e.payload.toString('utf8'),
      attributes: deadLetterAttributes(e.requestId, status, message),
    });
  }

  /** An event that ends without (another) run: visible in the invocation log with why. */
  private logEnd(e: AsyncEvent, reason: string): void {
    const now = this.clock.now();
    this.host.invocations.add({
      requestId: e.requestId,
      functionName: e.fn.name,
      functionArn: e.fn.arn,
      qualifier: e.qualifier ?? null,
      executedVersion: e.qualifier ?? '$LATEST',
      trigger: e.trigger,
      coldStart: null,
      environmentId: null,
      start: now,
      end: now,
      outcome: 'dropped',
      errorType: reason,
      attempt: e.attempts + 1,
    });
  }
}

/** A new X-Ray trace header: Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0. */
export function freshTraceHeader(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
