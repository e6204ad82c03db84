/**
 * An indexed binary min-heap of messages by the moment they become visible (then arrival order):
 * each item knows its index, so a visibility change re-positions it and a delete removes it in
 * O(log n), with no stale entries left behind.
 */
export interface DueItem {
  due: number;
  order: number;
  /** Index in the heap, -1 when not in it. */
  heapIndex: number;
}

export class DueHeap<T extends DueItem> {
  private readonly h: T[] = [];

  get size(): number {
    return this.h.length;
  }

  /** The earliest item, if any. */
  top(): T | undefined {
    return this.h[0];
  }

  /** Every item, in no particular order (a copy). */
  items(): T[] {
    return [...this.h];
  }

  push(x: T): void {
    x.heapIndex = this.h.length;
    this.h.push(x);
    this.up(x.heapIndex);
  }

  /** Re-position `x` after its due time changed, or add it. */
  fix(x: T): void {
    if (x.heapIndex < 0) return this.push(x);
    this.up(x.heapIndex);
    this.down(x.heapIndex);
  }

  remove(x: T): T {
    const i = x.heapIndex;
    if (i < 0) return x;
    const last = this.h.pop() as T;
    if (last !== x) {
      this.h[i] = last;
      last.heapIndex = i;
      this.up(i);
      this.down(last.heapIndex);
    }
    x.heapIndex = -1;
    return x;
  }

  clear(): void {
    for (const x of this.h) x.heapIndex = -1;
    this.h.length = 0;
  }

  private less(a: T, b: T): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.h[i], this.h[p])) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.h;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < h.length && this.less(h[l], h[s])) s = l;
      if (r < h.length && this.less(h[r], h[s])) s = r;
      if (s === i) return;
      this.swap(i, s);
      i = s;
    }
  }

  private swap(i: number, j: number): void {
    const h = this.h;
    const a = h[i];
    h[i] = h[j];
    h[j] = a;
    h[i].heapIndex = i;
    h[j].heapIndex = j;
  }
}

/**
 * Messages by the moment they entered the queue (retention), as a lazy binary min-heap: a message
 * that left the queue stays in until it reaches the top and is old enough to matter, or until a
 * compaction drops it (once departed entries outnumber live ones: memory stays within twice the
 * live messages, and each departure costs O(1) amortized, not a pop). Arrivals come in time order
 * almost always, so a push does not move; moved-in messages with an older time go where they
 * belong.
 */
export interface ArrivalItem {
  enqueuedAt: number;
  order: number;
  state: string;
}

export class ArrivalHeap<T extends ArrivalItem> {
  private h: T[] = [];

  get size(): number {
    return this.h.length;
  }

  push(x: T, live: number): void {
    this.departed(live);
    const h = this.h;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** The oldest entry, still in the queue or not (nothing older is in the queue). */
  peek(): T | undefined {
    return this.h[0];
  }

  /** Messages left the queue (`live` are still in it): compact when departed entries are the majority. */
  departed(live: number): void {
    if (this.h.length > 1024 && this.h.length > 2 * live) this.compact();
  }

  /** The oldest message still in the queue (dropping the departed ones on the way). */
  oldest(): T | undefined {
    while (this.h.length > 0 && this.h[0].state === 'gone') this.pop();
    return this.h[0];
  }

  /** Every message still in the queue, in no particular order. */
  live(): T[] {
    return this.h.filter((x) => x.state !== 'gone');
  }

  clear(): void {
    this.h = [];
  }

  private less(a: T, b: T): boolean {
    return a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.order < b.order);
  }

  private pop(): void {
    const h = this.h;
    const last = h.pop() as T;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < h.length && this.less(h[l], h[s])) s = l;
      if (r < h.length && this.less(h[r], h[s])) s = r;
      if (s === i) return;
      [h[i], h[s]] = [h[s], h[i]];
      i = s;
    }
  }

  private compact(): void {
    const keep = this.live();
    keep.sort((a, b) => (this.less(a, b) ? -1 : 1)); // a sorted array is a heap
    this.h = keep;
  }
}
