/**
 * How many batches an SQS mapping processes at once [doc]:
 *   - it starts at 5; while messages keep waiting, it adds up to 300 a minute, up to 1,000;
 *   - when the queue runs dry it scales back to 5;
 *   - a throttled invoke makes it back off to what the function is actually running, a function error
 *     (without ReportBatchItemFailures) one step; after either it stops growing for a minute;
 *   - ScalingConfig.MaximumConcurrency caps it (2-1000). Event source mappings do not read the
 *     function's reserved concurrency: they find it by being throttled [doc].
 * Pure logic over a clock reading, so it is unit-testable.
 */

export const INITIAL_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 1000;
export const GROWTH_PER_MINUTE = 300;
const MINUTE_MS = 60_000;
/** How long growth pauses after a throttle or a failure. */
export const BACKOFF_PAUSE_MS = MINUTE_MS;

export class Scaler {
  private value = INITIAL_CONCURRENCY;
  /** Time from which growth accrues (the start of the current backlog, or the last growth step). */
  private since: number;
  private backlog = false;
  private pausedUntil = 0;

  constructor(private readonly now: () => number) {
    this.since = now();
  }

  /** Concurrent batches allowed now. */
  get concurrency(): number {
    return this.value;
  }

  /** Every slot is taken and messages are waiting: grow by what the time since `since` allows. */
  saturated(): void {
    const t = this.now();
    if (!this.backlog || t < this.pausedUntil) {
      this.backlog = true;
      this.since = Math.max(t, this.since);
      return;
    }
    const steps = Math.floor(((t - this.since) * GROWTH_PER_MINUTE) / MINUTE_MS);
    if (steps <= 0) return;
    this.value = Math.min(MAX_CONCURRENCY, this.value + steps);
    this.since += (steps * MINUTE_MS) / GROWTH_PER_MINUTE;
  }

  /** The queue had nothing to receive: back to the initial 5 (a lower, backed-off value stays). */
  idle(): void {
    this.backlog = false;
    this.since = this.now();
    if (this.value > INITIAL_CONCURRENCY) this.value = INITIAL_CONCURRENCY;
  }

  /** An invoke was throttled while `running` others of this mapping were with the function. */
  throttled(running: number): void {
    this.value = Math.max(1, Math.min(this.value, running));
    this.pause();
  }

  /** A batch failed with a function error. */
  failed(): void {
    this.value = Math.max(1, this.value - 1);
    this.pause();
  }

  private pause(): void {
    const t = this.now();
    this.pausedUntil = t + BACKOFF_PAUSE_MS;
    this.since = this.pausedUntil;
  }
}
