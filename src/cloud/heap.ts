/**
 * A binary min-heap over an array, shared by the clock's timers and the SQS model (messages by due
 * time, messages by arrival, FIFO groups ready to serve).
 *
 * A user subclasses it and defines the order, `less(a, b)` (a strict order: ties are broken in it,
 * e.g. by a sequence number, never by the heap), and optionally:
 *   placed(x, i)   position tracking: called whenever `x` lands at index `i` (-1: it left the heap),
 *                  so that an item can be removed or re-positioned in O(log n) (IndexedMinHeap keeps
 *                  the index in the item's `heapIndex`)
 *   stale(x)       lazy deletion: an item that has stopped counting stays in the heap until it
 *                  reaches the top (`first()` drops it) or until a `compact()`
 * `less`, `placed` and `stale` are methods rather than functions passed in so that the sifting code,
 * shared by every kind of heap, calls them through a polymorphic site that V8 can inline (a
 * comparator closure per heap made the shared call site megamorphic: about 1.5x slower).
 */
export abstract class MinHeap<T> {
  protected readonly nodes: T[] = [];

  /** Whether `a` comes before `b`. */
  protected abstract less(a: T, b: T): boolean;

  /** Position tracking: `x` now sits at index `i` (-1: no longer in the heap). */
  protected placed(_x: T, _i: number): void {}

  /** Lazy deletion: `x` no longer counts (left in place until it reaches the top or a compaction). */
  protected stale(_x: T): boolean {
    return false;
  }

  /** How many items the heap holds, stale ones included. */
  get size(): number {
    return this.nodes.length;
  }

  /** The earliest item, stale or not. */
  peek(): T | undefined {
    return this.nodes[0];
  }

  /** The earliest item that is not stale, dropping stale ones from the top on the way. */
  first(): T | undefined {
    const h = this.nodes;
    while (h.length > 0 && this.stale(h[0])) this.pop();
    return h[0];
  }

  push(x: T): void {
    const h = this.nodes;
    const i = h.length;
    h.push(x);
    this.up(x, i);
  }

  /** Take the earliest item out (stale or not). */
  pop(): T | undefined {
    const h = this.nodes;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as T;
    if (h.length > 0) this.down(last, 0);
    this.placed(top, -1);
    return top;
  }

  /** Every item, stale ones included, in no particular order (a copy). */
  items(): T[] {
    return this.nodes.slice();
  }

  clear(): void {
    for (const x of this.nodes) this.placed(x, -1);
    this.nodes.length = 0;
  }

  /** Drop every stale item at once (O(n)). */
  compact(): void {
    const h = this.nodes;
    let n = 0;
    for (let i = 0; i < h.length; i++) {
      const x = h[i];
      if (this.stale(x)) {
        this.placed(x, -1);
        continue;
      }
      h[n] = x;
      this.placed(x, n);
      n++;
    }
    h.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(h[i], i);
  }

  /** Take out the item at index `i` (position-tracking heaps). */
  protected removeAt(i: number): T {
    const h = this.nodes;
    const x = h[i];
    const last = h.pop() as T;
    if (i < h.length) this.down(last, this.up(last, i));
    this.placed(x, -1);
    return x;
  }

  /** Re-position the item at index `i` after its key changed (position-tracking heaps). */
  protected updateAt(i: number): void {
    const x = this.nodes[i];
    this.down(x, this.up(x, i));
  }

  /** Put `x` at index `i` or above, moving the parents it passes down; returns where it landed. */
  private up(x: T, i: number): number {
    const h = this.nodes;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (!this.less(x, parent)) break;
      h[i] = parent;
      this.placed(parent, i);
      i = p;
    }
    h[i] = x;
    this.placed(x, i);
    return i;
  }

  /** Put `x` at index `i` or below, moving the lesser child up while it comes before `x`. */
  private down(x: T, i: number): void {
    const h = this.nodes;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let child = h[l];
      const r = l + 1;
      if (r < n && this.less(h[r], child)) {
        c = r;
        child = h[r];
      }
      if (!this.less(child, x)) break;
      h[i] = child;
      this.placed(child, i);
      i = c;
    }
    h[i] = x;
    this.placed(x, i);
  }
}

/** An item of an IndexedMinHeap. */
export interface HeapIndexed {
  /** Index in the heap, -1 when not in it. */
  heapIndex: number;
}

/** A min-heap whose items know their index: any item is removed or re-positioned in O(log n). */
export abstract class IndexedMinHeap<T extends HeapIndexed> extends MinHeap<T> {
  protected override placed(x: T, i: number): void {
    x.heapIndex = i;
  }

  /** Re-position `x` after its key changed, or add it. */
  update(x: T): void {
    if (x.heapIndex < 0) this.push(x);
    else this.updateAt(x.heapIndex);
  }

  /** Take `x` out (nothing happens if it is not in). */
  remove(x: T): T {
    return x.heapIndex < 0 ? x : this.removeAt(x.heapIndex);
  }
}
