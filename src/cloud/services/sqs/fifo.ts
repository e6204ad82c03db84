/**
 * FIFO message groups (model.ts keeps the messages, their states and timers; this file keeps the
 * order in which a FIFO queue hands them out).
 *
 * Each group is a list of its visible and in-flight messages in arrival order. A receive takes
 * messages from the head of a group while they are visible and stops at the first one in flight, so
 * a message in flight blocks every later message of its group, while earlier visible ones are still
 * returned (AWS: with foo, bar, baz received and only bar's visibility extended, the next receive
 * returns foo alone). A group is *ready* when its head is visible. Ready groups are served in the
 * order their heads became available (the send time for a message never received, the end of its
 * visibility timeout for one that came back), which is what AWS-recorded runs show: a group whose
 * head came back after a timeout goes after a group sent in the meantime, while a group unblocked by
 * deleting its in-flight head keeps its place before a group sent later.
 *
 * Ready groups sit in a binary heap with lazy invalidation (an entry is valid while its version is
 * the group's); everything is O(log groups) per change, O(1) per message taken.
 */
import { MinHeap } from '../../heap';

/** What the groups need of a message (model.ts's Msg has it). */
export interface GroupMember {
  messageGroupId?: string;
  messageId: string;
  state: 'delayed' | 'visible' | 'inflight' | 'gone';
  /** Virtual ms since which it is visible. */
  availableSince: number;
  /** Arrival order in the queue. */
  order: number;
  prev?: GroupMember;
  next?: GroupMember;
  inGroup: boolean;
}

interface Group<M extends GroupMember> {
  id: string;
  head?: M;
  tail?: M;
  /** Bumped whenever the group's ready entry changes; older heap entries are stale. */
  ver: number;
  /** The head the current ready entry was made for (undefined: not ready). */
  readyHead?: M;
}

interface ReadyEntry<M extends GroupMember> {
  group: Group<M>;
  ver: number;
  since: number;
  order: number;
}

/** Ready entries by when their head became available (then arrival order); stale when outdated. */
class ReadyHeap<M extends GroupMember> extends MinHeap<ReadyEntry<M>> {
  protected override less(a: ReadyEntry<M>, b: ReadyEntry<M>): boolean {
    return a.since < b.since || (a.since === b.since && a.order < b.order);
  }

  protected override stale(e: ReadyEntry<M>): boolean {
    return e.ver !== e.group.ver || !e.group.readyHead;
  }
}

export class FifoGroups<M extends GroupMember> {
  private readonly groups = new Map<string, Group<M>>();
  private readonly ready = new ReadyHeap<M>();
  /** The group a receive is taking from, and the next message it looks at. */
  private current?: Group<M>;
  private cursor?: M;

  /** How many groups hold messages. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * `m` is visible now: add it to its group if it is not there yet (a new or delayed message), or
   * just re-evaluate the group (a message back from flight). Returns 1 if its group became ready.
   */
  visible(m: M): number {
    const g = this.groupOf(m);
    if (!m.inGroup) this.insert(g, m);
    return g === this.current ? 0 : this.refresh(g);
  }

  /** `m` leaves the queue (deleted, expired, moved). Returns 1 if its group became ready. */
  remove(m: M): number {
    if (!m.inGroup) return 0;
    const g = this.groups.get(m.messageGroupId ?? '');
    if (!g) return 0;
    if (this.cursor === m) this.cursor = m.next as M | undefined;
    if (m.prev) m.prev.next = m.next;
    else g.head = m.next as M | undefined;
    if (m.next) m.next.prev = m.prev;
    else g.tail = m.prev as M | undefined;
    m.prev = m.next = undefined;
    m.inGroup = false;
    return g === this.current ? 0 : this.refresh(g);
  }

  /** The next message a receive may take (visible, in group order), or undefined when none is left. */
  next(): M | undefined {
    for (;;) {
      const m = this.cursor;
      if (m && m.state === 'visible') {
        this.cursor = m.next as M | undefined;
        return m;
      }
      if (this.current) this.finishCurrent();
      const g = this.popReady();
      if (!g) return undefined;
      this.current = g;
      this.cursor = g.head;
    }
  }

  /** A receive is over: the group it was taking from is re-evaluated. */
  end(): void {
    if (this.current) this.finishCurrent();
  }

  /** The head of the first ready group (a move task takes messages one by one), or undefined. */
  peekHead(): M | undefined {
    return this.ready.first()?.group.head;
  }

  clear(): void {
    this.groups.clear();
    this.ready.clear();
    this.current = this.cursor = undefined;
  }

  // ------------------------------------------------------------------ internals

  private groupOf(m: M): Group<M> {
    const id = m.messageGroupId ?? '';
    let g = this.groups.get(id);
    if (!g) {
      g = { id, ver: 0 };
      this.groups.set(id, g);
    }
    return g;
  }

  /** Insert in arrival order (nearly always at the tail). */
  private insert(g: Group<M>, m: M): void {
    let after = g.tail;
    while (after && after.order > m.order) after = after.prev as M | undefined;
    m.prev = after;
    m.next = after ? after.next : g.head;
    if (m.next) m.next.prev = m;
    else g.tail = m;
    if (after) after.next = m;
    else g.head = m;
    m.inGroup = true;
  }

  private finishCurrent(): void {
    const g = this.current as Group<M>;
    this.current = this.cursor = undefined;
    this.refresh(g);
  }

  /** Re-evaluate whether `g` is ready; returns 1 if it just became ready. */
  private refresh(g: Group<M>): number {
    const h = g.head;
    if (!h) {
      g.ver++;
      g.readyHead = undefined;
      if (this.groups.get(g.id) === g) this.groups.delete(g.id);
      return 0;
    }
    if (h.state === 'visible') {
      if (g.readyHead === h) return 0;
      g.ver++;
      g.readyHead = h;
      // Drop stale entries once they far outnumber the groups (each group has one valid entry at most).
      if (this.ready.size > 64 && this.ready.size > 4 * this.groups.size) this.ready.compact();
      this.ready.push({ group: g, ver: g.ver, since: h.availableSince, order: h.order });
      return 1;
    }
    if (g.readyHead) {
      g.ver++;
      g.readyHead = undefined;
    }
    return 0;
  }

  private popReady(): Group<M> | undefined {
    const e = this.ready.first();
    if (!e) return undefined;
    this.ready.pop();
    const g = e.group;
    g.ver++;
    g.readyHead = undefined;
    return g;
  }
}
