/**
 * The one clock of the embedded cloud. Every timestamp, delay and timeout goes through it, so that
 * idle gaps can later be compressed (virtual time) without any service noticing.
 *
 * Virtual time = real time + offset. `advance(ms)` moves the offset forward and fires every timer
 * that became due, in order. No service may call Date.now() or setTimeout() directly.
 */
export interface TimerHandle {
  cancel(): void;
}

interface Timer {
  id: number;
  due: number; // virtual ms
  fn: () => void;
  real: NodeJS.Timeout | undefined;
  cancelled: boolean;
}

export class Clock {
  private offset = 0;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

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
    const t: Timer = { id: ++this.seq, due: this.now() + Math.max(0, ms), fn, real: undefined, cancelled: false };
    this.timers.set(t.id, t);
    this.arm(t);
    return {
      cancel: () => {
        t.cancelled = true;
        if (t.real) clearTimeout(t.real);
        this.timers.delete(t.id);
      },
    };
  }

  /** A promise that resolves after `ms` virtual milliseconds. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Jump virtual time forward by `ms`, firing every timer that becomes due, earliest first. */
  advance(ms: number): void {
    if (ms <= 0) return;
    this.offset += ms;
    const due = [...this.timers.values()].filter((t) => t.due <= this.now()).sort((a, b) => a.due - b.due || a.id - b.id);
    for (const t of due) this.fire(t);
    for (const t of this.timers.values()) this.arm(t);
  }

  /** Virtual time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t.due < min) min = t.due;
    return min;
  }

  /** Cancel every pending timer (used on shutdown). */
  clear(): void {
    for (const t of this.timers.values()) if (t.real) clearTimeout(t.real);
    this.timers.clear();
  }

  private arm(t: Timer): void {
    if (t.real) clearTimeout(t.real);
    const delay = Math.max(0, t.due - this.now());
    t.real = setTimeout(() => this.fire(t), delay);
    // Timers must never keep the process alive on their own.
    t.real.unref?.();
  }

  private fire(t: Timer): void {
    if (t.cancelled || !this.timers.has(t.id)) return;
    this.timers.delete(t.id);
    if (t.real) clearTimeout(t.real);
    t.fn();
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
