/**
 * The SQS model's two heaps of messages (on the generic heap of src/cloud/heap.ts).
 *
 * DueHeap: messages by the moment they become visible (then arrival order), indexed: each message
 * knows its index, so a visibility change re-positions it and a delete removes it in O(log n), with
 * no stale entries left behind.
 */
import { IndexedMinHeap, MinHeap, type HeapIndexed } from '../../heap';

export interface DueItem extends HeapIndexed {
  due: number;
  order: number;
}

export class DueHeap<T extends DueItem> extends IndexedMinHeap<T> {
  protected override less(a: T, b: T): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }
}

/**
 * Messages by the moment they entered the queue (retention), as a lazy heap: a message that left
 * the queue stays in until it reaches the top and is old enough to matter, or until a compaction
 * drops it (once departed entries outnumber live ones: memory stays within twice the live messages,
 * and each departure costs O(1) amortized, not a pop). Arrivals come in time order almost always,
 * so a push does not move; moved-in messages with an older time go where they belong.
 */
export interface ArrivalItem {
  enqueuedAt: number;
  order: number;
  state: string;
}

export class ArrivalHeap<T extends ArrivalItem> extends MinHeap<T> {
  /** Add `x`; `live` messages are in the queue, `x` among them (a compaction may come first). */
  override push(x: T, live?: number): void {
    if (live !== undefined) this.departed(live);
    super.push(x);
  }

  /** Messages left the queue (`live` are still in it): compact when departed entries are the majority. */
  departed(live: number): void {
    if (this.nodes.length > 1024 && this.nodes.length > 2 * live) this.compact();
  }

  /** The oldest message still in the queue (dropping the departed ones on the way). */
  oldest(): T | undefined {
    return this.first();
  }

  /** Every message still in the queue, in no particular order. */
  live(): T[] {
    return this.nodes.filter((x) => x.state !== 'gone');
  }

  protected override less(a: T, b: T): boolean {
    return a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.order < b.order);
  }

  protected override stale(x: T): boolean {
    return x.state === 'gone';
  }
}
