/**
 * The one clock of the embedded cloud. Every timestamp, delay and timeout goes through it. No
 * service may call Date.now() or setTimeout() directly.
 *
 * Virtual time = real time + offset. Two modes:
 *   real        virtual time is wall time (the offset only moves by an explicit `advance()`).
 *   compressed  virtual time runs at wall speed while anything is happening (a request being served,
 *               a function running: `busy()` sections); when nothing is and someone is waiting
 *               (`wait()`: a long-polling ReceiveMessage, a caller of /_testbed/clock/advance), the
 *               offset jumps straight to the earliest scheduled moment (a timer or a waiter's
 *               deadline) and fires what became due, in order, each at its own virtual time.
 *
 * Timers live in a binary heap (earliest first, cancelled ones dropped lazily); one real (unref'd)
 * timeout is armed for the earliest, so that timers fire in real time, in order, when nothing jumps.
 */
import { MinHeap } from './heap';

export type TimeMode = 'real' | 'compressed';

export interface TimerHandle {
  cancel(): void;
}

/** A waiter: `promise` resolves true when woken by `wake()`, false when its deadline passes. */
export interface Wait {
  readonly promise: Promise<boolean>;
  wake(): void;
}

interface Timer {
  id: number;
  due: number; // virtual ms
  fn: () => void;
  done: boolean;
  /** A waiter's deadline: while one exists and nothing is busy, compressed time may jump. */
  waiter: boolean;
}

/** Timers, earliest first (then in the order they were set); a cancelled or fired one is stale. */
class TimerHeap extends MinHeap<Timer> {
  protected override less(a: Timer, b: Timer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  protected override stale(t: Timer): boolean {
    return t.done;
  }
}

/** How many macrotask turns the cloud must have been idle before compressed time jumps. */
const SETTLE_TURNS = 2;

export class Clock {
  private offset = 0;
  private seq = 0;
  private readonly heap = new TimerHeap();
  private live = 0;
  private waiters = 0;
  private active = 0;
  private checkScheduled = false;
  private timeMode: TimeMode;
  private real: NodeJS.Timeout | undefined;

  constructor(mode: TimeMode = 'real') {
    this.timeMode = mode;
  }

  get mode(): TimeMode {
    return this.timeMode;
  }

  set mode(mode: TimeMode) {
    this.timeMode = mode;
    this.scheduleCheck();
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return Date.now() + this.offset;
  }

  /** Virtual time as a Date. */
  date(): Date {
    return new Date(this.now());
  }

  /** Milliseconds by which virtual time is ahead of real time. */
  offsetMs(): number {
    return this.offset;
  }

  /** A monotonic high-resolution reading in milliseconds (durations only, not wall time). */
  hrtimeMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
  }

  /** Run `fn` once `ms` virtual milliseconds have passed. */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = this.add(fn, ms, false);
    return { cancel: () => this.cancel(t) };
  }

  /** A promise that resolves after `ms` virtual milliseconds (not a waiter: time does not jump for it). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /**
   * Mark something happening (a request served, a function running): compressed time does not jump
   * until every such section has ended. Returns the release function (idempotent).
   */
  busy(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      if (this.active === 0) this.scheduleCheck();
    };
  }

  /**
   * Wait up to `ms` virtual ms, or until `wake()`. A waiter is what lets compressed time jump. A
   * caller inside a busy section (a request handler) passes `release` so that its own section does
   * not count as activity while it waits; it is taken again when the wait ends.
   */
  wait(ms: number, opts: { releasesBusy?: boolean } = {}): Wait {
    let resolve!: (woken: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    const holds = opts.releasesBusy === true && this.active > 0;
    if (holds) this.active--;
    let settled = false;
    const finish = (woken: boolean) => {
      if (settled) return;
      settled = true;
      this.cancel(t);
      if (holds) this.active++;
      resolve(woken);
    };
    const t = this.add(() => finish(false), ms, true);
    this.scheduleCheck();
    return { promise, wake: () => finish(true) };
  }

  /**
   * Let `ms` of virtual time pass and resolve when it has. In compressed mode this is a waiter (it
   * jumps over idle gaps, running what falls due at its own time); in real mode it waits for real.
   */
  async advanceBy(ms: number, opts: { releasesBusy?: boolean } = {}): Promise<void> {
    if (ms <= 0) return;
    await this.wait(ms, opts).promise;
  }

  /** Jump virtual time forward by `ms` at once, firing every timer that becomes due, earliest first. */
  advance(ms: number): void {
    if (ms <= 0) return;
    this.jumpTo(this.now() + ms);
  }

  /** Virtual time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    return this.top()?.due;
  }

  /** How many timers and waiters are pending, and how many busy sections are open. */
  stats(): { timers: number; waiters: number; busy: number } {
    return { timers: this.live, waiters: this.waiters, busy: this.active };
  }

  /** Cancel every pending timer (used on shutdown). */
  clear(): void {
    if (this.real) clearTimeout(this.real);
    this.real = undefined;
    for (const t of this.heap.items()) t.done = true;
    this.heap.clear();
    this.live = 0;
    this.waiters = 0;
  }

  // ------------------------------------------------------------------ internals

  private add(fn: () => void, ms: number, waiter: boolean): Timer {
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0;
    const t: Timer = { id: ++this.seq, due: this.now() + delay, fn, done: false, waiter };
    this.heap.push(t);
    this.live++;
    if (waiter) this.waiters++;
    if (this.heap.peek() === t) this.arm();
    return t;
  }

  private cancel(t: Timer): void {
    if (t.done) return;
    t.done = true;
    this.live--;
    if (t.waiter) this.waiters--;
    // Left in the heap and dropped lazily when it reaches the top.
  }

  /** One real timeout, for the earliest timer; it fires everything due, in order. */
  private arm(): void {
    const top = this.top();
    if (this.real) clearTimeout(this.real);
    this.real = undefined;
    if (!top) return;
    const due = top.due;
    this.real = setTimeout(() => {
      this.real = undefined;
      // A real timeout may fire a hair before its virtual due time (ms rounding): fire up to it.
      this.drain(Math.max(due, this.now()));
      this.arm();
    }, Math.max(0, due - this.now()));
    this.real.unref?.(); // timers never keep the process alive on their own
  }

  /** Fire, earliest first, every timer due at or before `until` (and those its callbacks add). */
  private drain(until: number): void {
    for (;;) {
      const top = this.top();
      if (!top || top.due > until) break;
      this.heap.pop();
      this.cancel(top);
      try {
        top.fn();
      } catch (e) {
        if (process.env.TESTBED_DEBUG) console.error('[clock] timer callback threw:', e);
      }
    }
  }

  private jumpTo(target: number): void {
    const now = this.now();
    if (target > now) this.offset += target - now;
    // Each due timer runs at its own virtual time: the offset is already at it (a jump goes to the
    // earliest due moment), or as close as one jump can get.
    this.drain(this.now());
    this.arm();
  }

  private scheduleCheck(): void {
    if (this.checkScheduled || this.timeMode !== 'compressed') return;
    this.checkScheduled = true;
    this.settle(SETTLE_TURNS);
  }

  /** Let `turns` macrotask turns pass (promise chains started by the last event settle), then check. */
  private settle(turns: number): void {
    setImmediate(() => {
      if (turns > 1) return this.settle(turns - 1);
      this.checkScheduled = false;
      this.maybeJump();
    });
  }

  private maybeJump(): void {
    if (this.timeMode !== 'compressed' || this.active > 0 || this.waiters === 0) return;
    const top = this.top();
    if (!top) return;
    this.jumpTo(top.due);
    // Whatever ran may have ended at once (or not started anything): look again.
    if (this.active === 0 && this.waiters > 0) this.scheduleCheck();
  }

  /** The earliest pending timer (cancelled and fired ones are dropped from the top on the way). */
  private top(): Timer | undefined {
    const top = this.heap.first();
    // Keep the heap from growing without bound with cancelled timers deep inside it.
    if (this.heap.size > 1024 && this.heap.size > 4 * this.live) this.heap.compact();
    return top;
  }
}

/** ISO-8601 with milliseconds and 'Z', as AWS prints event timestamps. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Lambda's FunctionConfiguration.LastModified format: 2019-11-14T18:16:05.568+0000 */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
