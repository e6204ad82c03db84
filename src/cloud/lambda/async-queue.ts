/**
 * Lambda's internal queue for Event invokes (and, later, SNS and EventBridge).
 */
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { FunctionVersion, LambdaFunction } from './model';
import type { LambdaService } from './service';

/** Default MaximumEventAgeInSeconds of asynchronous invocation: 6 hours. */
const MAX_EVENT_AGE_MS = 21_600_000;

export interface QueuedEvent {
  ctx: RequestContext;
  fn: LambdaFunction;
  qualifier?: string;
  payload: Buffer;
  requestId: string;
  enqueuedAt: number;
  attempts: number;
}

/**
 * Lambda's internal queue for Event invokes. Events are taken in order and run when a
 * concurrency slot is free; a throttled event goes back to the queue with a backoff
 * (1 s doubling to 5 min), as AWS does. Retries on function errors, maximum event age,
 * destinations and DLQs arrive with the asynchronous issue; this is where they plug in.
 */
export class AsyncQueue {
  private readonly queue: QueuedEvent[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly lambda: LambdaService,
    private readonly clock: Clock,
  ) {}

  enqueue(e: QueuedEvent): void {
    this.queue.push(e);
    this.pump();
  }

  clear(): void {
    this.queue.length = 0;
  }

  idle(): boolean {
    return this.queue.length === 0 && this.running === 0;
  }

  private pump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      while (this.queue.length) {
        const e = this.queue.shift()!;
        void this.attempt(e);
      }
    });
  }

  /** An event that ends without running: visible in the invocation log with AWS's condition. */
  private drop(e: QueuedEvent, condition: string): void {
    const now = this.clock.now();
    this.lambda.invocations.add({
      requestId: e.requestId,
      functionName: e.fn.name,
      functionArn: e.fn.arn,
      qualifier: e.qualifier ?? null,
      executedVersion: e.qualifier ?? '$LATEST',
      trigger: 'event',
      coldStart: null,
      environmentId: null,
      start: now,
      end: now,
      outcome: 'dropped',
      errorType: condition,
    });
  }

  private async attempt(e: QueuedEvent): Promise<void> {
    this.running++;
    const release = this.clock.busy();
    try {
      if (e.fn.reservedConcurrency === 0) {
        // AWS sends such events to the failure path at once, without retries (condition
        // ZeroReservedConcurrency); destinations and DLQs arrive with the asynchronous issue.
        this.drop(e, 'ZeroReservedConcurrency');
        return;
      }
      let version: FunctionVersion;
      try {
        version = this.lambda.resolveVersion(e.fn, e.qualifier).version;
      } catch {
        return; // function or qualifier deleted meanwhile: the event is dropped, as on AWS
      }
      await this.lambda.run(e.fn, version, e.qualifier, e.requestId, e.payload, undefined, 'event');
    } catch (err) {
      if (err instanceof AwsError && err.status === 429) {
        const delay = Math.min(1000 * 2 ** e.attempts, 300_000);
        e.attempts++;
        if (this.clock.now() + delay - e.enqueuedAt > MAX_EVENT_AGE_MS) {
          this.drop(e, 'EventAgeExceeded');
          return;
        }
        this.clock.setTimeout(() => this.enqueue(e), delay);
      }
    } finally {
      this.running--;
      release();
    }
  }
}

