/**
 * The generic binary min-heap (src/cloud/heap.ts) the clock and the SQS model build on: order and
 * ties, position tracking (remove / update of any item), lazy deletion (first, compact), checked
 * against a sorted reference over random operations.
 */
import { IndexedMinHeap, MinHeap } from '../../src/cloud/heap';

interface Item {
  key: number;
  seq: number;
  heapIndex: number;
  gone: boolean;
}

const byKeyThenSeq = (a: Item, b: Item) => a.key - b.key || a.seq - b.seq;

class PlainHeap extends MinHeap<Item> {
  protected override less(a: Item, b: Item): boolean {
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }
}

class LazyHeap extends PlainHeap {
  protected override stale(x: Item): boolean {
    return x.gone;
  }
}

class TrackedHeap extends IndexedMinHeap<Item> {
  protected override less(a: Item, b: Item): boolean {
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }

  protected override stale(x: Item): boolean {
    return x.gone;
  }
}

/** A small deterministic generator (the same sequence every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

let seq = 0;
const item = (key: number): Item => ({ key, seq: ++seq, heapIndex: -1, gone: false });

function drain(h: MinHeap<Item>): Item[] {
  const out: Item[] = [];
  for (let x = h.pop(); x; x = h.pop()) out.push(x);
  return out;
}

/** Every item's heapIndex is where it sits, and every parent comes before its children. */
function expectConsistent(h: TrackedHeap): void {
  const nodes = h.items();
  const wrong = nodes.findIndex((x, i) => x.heapIndex !== i || (i > 0 && byKeyThenSeq(nodes[(i - 1) >> 1], x) >= 0));
  expect(wrong).toBe(-1);
}

describe('MinHeap', () => {
  it('pops in order, ties in the order the comparator breaks them', () => {
    const rnd = random(1);
    const h = new PlainHeap();
    const items = Array.from({ length: 2000 }, () => item(Math.floor(rnd() * 50)));
    for (const x of items) h.push(x);
    expect(h.size).toBe(2000);
    expect(h.peek()).toBe([...items].sort(byKeyThenSeq)[0]);
    expect(drain(h)).toEqual([...items].sort(byKeyThenSeq));
    expect(h.size).toBe(0);
    expect(h.pop()).toBeUndefined();
    expect(h.peek()).toBeUndefined();
  });

  it('interleaved pushes and pops always give the least item', () => {
    const rnd = random(2);
    const h = new PlainHeap();
    const ref: Item[] = [];
    for (let step = 0; step < 5000; step++) {
      if (rnd() < 0.6 || ref.length === 0) {
        const x = item(Math.floor(rnd() * 100));
        h.push(x);
        ref.push(x);
      } else {
        let m = 0;
        for (let i = 1; i < ref.length; i++) if (byKeyThenSeq(ref[i], ref[m]) < 0) m = i;
        expect(h.pop()).toBe(ref.splice(m, 1)[0]);
      }
      expect(h.size).toBe(ref.length);
    }
  });

  it('clear empties it', () => {
    const h = new PlainHeap();
    for (const k of [3, 1, 2]) h.push(item(k));
    h.clear();
    expect(h.size).toBe(0);
    expect(h.pop()).toBeUndefined();
  });
});

describe('IndexedMinHeap', () => {
  it('removes and re-positions any item, keeping every index right', () => {
    const rnd = random(3);
    const h = new TrackedHeap();
    const live = new Set<Item>();
    const all: Item[] = [];
    for (let step = 0; step < 6000; step++) {
      const r = rnd();
      if (r < 0.4 || live.size === 0) {
        const x = item(Math.floor(rnd() * 200));
        all.push(x);
        h.push(x);
        live.add(x);
      } else if (r < 0.6) {
        const x = all[Math.floor(rnd() * all.length)];
        expect(h.remove(x)).toBe(x); // in or not: a no-op for one already out
        live.delete(x);
        expect(x.heapIndex).toBe(-1);
      } else if (r < 0.85) {
        const x = all[Math.floor(rnd() * all.length)];
        x.key = Math.floor(rnd() * 200);
        h.update(x); // re-positions it, or adds it back
        live.add(x);
      } else {
        let top = [...live][0];
        for (const x of live) if (byKeyThenSeq(x, top) < 0) top = x;
        expect(h.pop()).toBe(top);
        live.delete(top);
        expect(top.heapIndex).toBe(-1);
      }
      expect(h.size).toBe(live.size);
      if (step % 97 === 0) expectConsistent(h);
    }
    expectConsistent(h);
    expect(drain(h)).toEqual([...live].sort(byKeyThenSeq));
  });

  it('removes the last item and the top, and forgets every index on clear', () => {
    const h = new TrackedHeap();
    const [a, b, c] = [item(1), item(2), item(3)];
    for (const x of [a, b, c]) h.push(x);
    expect(h.items()).toEqual([a, b, c]);
    expect(h.remove(c)).toBe(c); // the last one
    expect(c.heapIndex).toBe(-1);
    expectConsistent(h);
    expect(h.remove(a)).toBe(a); // the top
    expect(h.peek()).toBe(b);
    expectConsistent(h);
    h.push(a);
    expect(h.peek()).toBe(a);
    const held = h.items();
    h.clear();
    expect(h.size).toBe(0);
    for (const x of held) expect(x.heapIndex).toBe(-1);
  });

  it('update moves an item up or down as its key falls or rises', () => {
    const h = new TrackedHeap();
    const items = [5, 10, 15, 20, 25, 30].map(item);
    for (const x of items) h.push(x);
    items[5].key = 0;
    h.update(items[5]);
    expect(h.peek()).toBe(items[5]);
    items[5].key = 100;
    h.update(items[5]);
    expect(h.peek()).toBe(items[0]);
    expectConsistent(h);
    expect(drain(h).map((x) => x.key)).toEqual([5, 10, 15, 20, 25, 100]);
  });
});

describe('lazy deletion', () => {
  it('first() drops stale items from the top; peek() still shows one', () => {
    const h = new LazyHeap();
    const [a, b, c] = [item(1), item(2), item(3)];
    for (const x of [c, a, b]) h.push(x);
    a.gone = true;
    b.gone = true;
    expect(h.peek()).toBe(a);
    expect(h.first()).toBe(c);
    expect(h.size).toBe(1);
    c.gone = true;
    expect(h.first()).toBeUndefined();
    expect(h.size).toBe(0);
  });

  it.each([
    ['a plain heap', () => new LazyHeap()],
    ['a position-tracking heap', () => new TrackedHeap()],
  ])('compact() on %s drops every stale item and keeps the order of the rest', (_kind, make) => {
    const rnd = random(4);
    const h = make();
    const items = Array.from({ length: 3000 }, () => item(Math.floor(rnd() * 300)));
    for (const x of items) h.push(x);
    for (const x of items) x.gone = rnd() < 0.7;
    const kept = items.filter((x) => !x.gone).sort(byKeyThenSeq);
    h.compact();
    expect(h.size).toBe(kept.length);
    expect(h.items().every((x) => !x.gone)).toBe(true);
    if (h instanceof TrackedHeap) {
      expectConsistent(h);
      expect(items.filter((x) => x.gone && x.heapIndex !== -1)).toEqual([]);
    }
    expect(h.first()).toBe(kept[0]);
    expect(drain(h)).toEqual(kept);
  });
});
