/**
 * One queue's messages: standard and FIFO, delayed / visible / in flight, visibility timeouts,
 * delays, retention, redrive to a dead-letter queue, FIFO deduplication and receive attempt ids, and
 * long polls. Queue attributes are read live from `QueueRecord.attributes`.
 *
 * Structures (no scan over all messages on any hot path):
 *   all        Map id -> message, in arrival order (lookups by receipt handle; retention sweeps from
 *              the oldest end)
 *   heap       indexed min-heap of delayed and in-flight messages by the moment they become visible
 *   visibleQ   standard: FIFO list of visible messages (lazy removal by generation)
 *   groups     FIFO: per-group lists and a heap of ready groups (fifo.ts)
 * One clock timer per queue is armed for the earliest moment something becomes visible, so
 * compressed time jumps exactly there; long polls park in `waiters` and are woken one per message
 * that becomes receivable (send, delay end, visibility expiry, ChangeMessageVisibility to 0, moved in,
 * a FIFO group unblocked). The same moments call the `onAvailable` listeners (Lambda's pollers, which
 * never park on the clock), and so does the queue's closing.
 *
 * Times kept per message (due, enqueued, visible since, received) are in queue time: virtual ms
 * since the queue's `epoch` (its creation), small whole numbers that V8 stores in the message object
 * itself, where epoch milliseconds would each take a separate heap number. What leaves the model
 * (SentTimestamp, ApproximateFirstReceiveTimestamp) is in epoch ms.
 *
 * Receipt handles are made and read by receipt-handle.ts.
 */
import type { TimerHandle, Wait } from '../../clock';
import {
  invalidParameter,
  notAvailableForVisibilityChange,
  overLimit,
  receiptHandleExpired,
} from './errors';
import { ArrivalHeap, DueHeap } from './due-heap';
import { FifoGroups } from './fifo';
import { Msg, nextSequenceNumber, small } from './message';
import { newMessageId } from './message-id';
import { ReceiptHandles } from './receipt-handle';
import type {
  MessageCounts,
  MessageQueue,
  QueueLookup,
  QueueRecord,
  ReceiveRequest,
  ReceivedMessage,
  SendRequest,
  SendResult,
  SqsMessage,
} from './types';

export const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;
export const RECEIVE_ATTEMPT_INTERVAL_MS = 5 * 60_000;
export const MAX_VISIBILITY_TIMEOUT_S = 43_200;
/** ≈ AWS's in-flight cap (standard: OverLimit; FIFO: receives return nothing). */
export const MAX_IN_FLIGHT = 120_000;

interface DedupEntry {
  key: string;
  at: number;
  messageId: string;
  sequenceNumber?: string;
}

interface Attempt {
  at: number;
  items: { m: Msg; version: number; handle: string }[];
}


export function createMessageQueue(queue: QueueRecord, lookup: QueueLookup): MessageQueue {
  return new QueueMessages(queue, lookup);
}

export class QueueMessages implements MessageQueue {
  private readonly all = new Map<string, Msg>();
  private readonly heap = new DueHeap<Msg>();
  private visibleQ: Msg[] = [];
  private visibleGens: number[] = [];
  private visibleHead = 0;
  private readonly groups?: FifoGroups<Msg>;
  private visible = 0;
  private inflight = 0;
  private delayed = 0;
  private orderSeq = 0;
  private readonly arrivals = new ArrivalHeap<Msg>();
  private readonly waiters = new Set<Wait>();
  /** onAvailable listeners (event source mapping pollers), and whether a notification is queued. */
  private readonly listeners = new Set<() => void>();
  private notifyPending = false;
  private timer?: { at: number; handle: TimerHandle };
  /** FIFO: deduplication key -> first send; `dedupOrder` the same entries in time order (expiry). */
  private readonly dedup = new Map<string, DedupEntry>();
  private dedupOrder: DedupEntry[] = [];
  private dedupHead = 0;
  private readonly attempts = new Map<string, Attempt>();
  private redriveCache?: { text: string; policy?: { arn: string; max: number } };
  private closed = false;
  private readonly handles: ReceiptHandles;
  /** Virtual epoch ms at which queue time is 0. */
  private readonly epoch: number;
  /** MessageRetentionPeriod as last read: its text (null: not read yet) and its value in ms. */
  private retentionText: string | undefined | null = null;
  private retentionMsValue = 0;

  constructor(
    private readonly queue: QueueRecord,
    private readonly lookup: QueueLookup,
  ) {
    if (queue.fifo) this.groups = new FifoGroups<Msg>();
    this.epoch = Math.floor(lookup.clock.now());
    this.handles = new ReceiptHandles(queue.arn);
  }

  // ------------------------------------------------------------------ MessageQueue

  counts(): MessageCounts {
    const now = this.now();
    this.promoteDue(now);
    this.sweepExpired(now);
    return { visible: this.visible, inFlight: this.inflight, delayed: this.delayed };
  }

  send(req: SendRequest): SendResult {
    const now = this.now();
    let dedupKey: string | undefined;
    if (this.queue.fifo) {
      const dedupId = req.messageDeduplicationId ?? '';
      dedupKey = this.queue.attributes.DeduplicationScope === 'messageGroup' ? `${req.messageGroupId ?? ''}\u0000${dedupId}` : dedupId;
      this.sweepDedup(now);
      const prior = this.dedup.get(dedupKey);
      if (prior) return { messageId: prior.messageId, sequenceNumber: prior.sequenceNumber, duplicate: true };
    }
    const queueDelay = this.attr('DelaySeconds', 0);
    const delay = this.queue.fifo ? queueDelay : (req.delaySeconds ?? queueDelay);
    const m = new Msg(
      {
        messageId: newMessageId(),
        body: req.body,
        md5OfBody: req.md5OfBody,
        messageAttributes: req.messageAttributes,
        md5OfMessageAttributes: req.md5OfMessageAttributes,
        messageSystemAttributes: req.messageSystemAttributes,
        md5OfMessageSystemAttributes: req.md5OfMessageSystemAttributes,
        senderId: req.senderId,
        sentTimestamp: now + this.epoch,
        receiveCount: 0,
        messageGroupId: req.messageGroupId,
        messageDeduplicationId: this.queue.fifo ? req.messageDeduplicationId : undefined,
        sequenceNumber: this.queue.fifo ? nextSequenceNumber(now + this.epoch) : undefined,
      },
      ++this.orderSeq,
      now,
    );
    this.admit(m, now, delay * 1000);
    if (dedupKey !== undefined) {
      const entry = { key: dedupKey, at: now, messageId: m.messageId, sequenceNumber: m.sequenceNumber };
      this.dedup.set(dedupKey, entry);
      this.dedupOrder.push(entry);
    }
    return { messageId: m.messageId, sequenceNumber: m.sequenceNumber, duplicate: false };
  }

  async receive(req: ReceiveRequest): Promise<ReceivedMessage[]> {
    if (this.closed) return [];
    const clock = this.lookup.clock;
    if (this.queue.fifo && req.attemptId !== undefined) {
      const again = this.retryAttempt(req.attemptId, req, this.now());
      if (again) return again;
    }
    let got = this.take(req);
    const deadline = clock.now() + req.waitSeconds * 1000;
    while (got.length === 0 && !this.closed) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      const w = clock.wait(remaining, { releasesBusy: true });
      this.waiters.add(w);
      const woken = await w.promise;
      this.waiters.delete(w);
      if (this.closed) return [];
      got = this.take(req);
      if (!woken) break;
    }
    if (got.length > 0 && req.attemptId !== undefined && this.queue.fifo) this.recordAttempt(req.attemptId, got, this.now());
    return got;
  }

  deleteMessage(handle: string): void {
    const m = this.byHandle(handle);
    if (!m) return; // already deleted (or moved): AWS answers success
    this.promoteDue(this.now());
    if (this.queue.fifo && (m.receiptHandle !== handle || m.state !== 'inflight')) throw receiptHandleExpired(handle);
    // Standard: the latest handle or an older one deletes the message, in flight or not.
    this.signal(this.discard(m));
  }

  changeVisibility(handle: string, seconds: number): void {
    const m = this.byHandle(handle);
    if (!m) throw notAvailableForVisibilityChange(handle);
    const now = this.now();
    this.promoteDue(now);
    if (m.receiptHandle !== handle) throw receiptHandleExpired(handle);
    // Standard: a message whose timeout just ran out (not received again) can still be hidden.
    if (m.state !== 'inflight' && !(m.state === 'visible' && !this.queue.fifo)) throw notAvailableForVisibilityChange(handle);
    if (now + seconds * 1000 - m.receivedAt > MAX_VISIBILITY_TIMEOUT_S * 1000) {
      throw invalidParameter('VisibilityTimeout', seconds, `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_TIMEOUT_S} seconds]`);
    }
    m.version++;
    if (seconds === 0) {
      if (m.state === 'inflight') {
        this.heap.remove(m);
        this.inflight--;
        this.signal(this.makeVisible(m, now));
        this.arm();
      }
      return;
    }
    if (m.state === 'visible') {
      this.visible--; // its entry in the visible list goes stale
      this.inflight++;
      m.state = 'inflight';
    }
    m.due = now + seconds * 1000;
    this.heap.update(m);
    this.arm();
  }

  purge(): void {
    for (const m of this.all.values()) {
      m.state = 'gone';
      m.version++;
      m.heapIndex = -1;
      m.prev = m.next = undefined;
      m.inGroup = false;
    }
    this.all.clear();
    this.heap.clear();
    this.visibleQ = [];
    this.visibleGens = [];
    this.visibleHead = 0;
    this.groups?.clear();
    this.visible = this.inflight = this.delayed = 0;
    this.arrivals.clear();
    this.attempts.clear();
    this.arm();
  }

  takeForMove(): SqsMessage | undefined {
    const now = this.now();
    this.promoteDue(now);
    this.sweepExpired(now);
    const m = this.groups ? this.groups.peekHead() : this.nextVisibleStandard();
    if (!m) return undefined;
    this.signal(this.discard(m));
    return m;
  }

  putMoved(message: SqsMessage): void {
    if (this.closed) return;
    const now = this.now();
    const m = new Msg(
      {
        messageId: message.messageId,
        body: message.body,
        md5OfBody: message.md5OfBody,
        messageAttributes: message.messageAttributes,
        md5OfMessageAttributes: message.md5OfMessageAttributes,
        messageSystemAttributes: message.messageSystemAttributes,
        md5OfMessageSystemAttributes: message.md5OfMessageSystemAttributes,
        senderId: message.senderId,
        sentTimestamp: message.sentTimestamp,
        receiveCount: message.receiveCount,
        firstReceiveTimestamp: message.firstReceiveTimestamp,
        deadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
        messageGroupId: message.messageGroupId ?? (this.queue.fifo ? message.messageId : undefined),
        messageDeduplicationId: message.messageDeduplicationId,
        sequenceNumber: message.sequenceNumber ?? (this.queue.fifo ? nextSequenceNumber(now + this.epoch) : undefined),
      },
      ++this.orderSeq,
      now,
    );
    // Standard queues keep the original enqueue time for retention; FIFO queues restart it.
    this.admit(m, this.queue.fifo ? now : Math.min(now, small(message.sentTimestamp - this.epoch)), 0);
  }

  close(): void {
    this.closed = true;
    this.timer?.handle.cancel();
    this.timer = undefined;
    for (const w of this.waiters) w.wake();
    this.waiters.clear();
    if (this.listeners.size > 0) this.notifyListeners(); // listeners find the queue gone
  }

  attributesChanged(): void {
    // FIFO queues apply a changed DelaySeconds to the messages already waiting (standard: not).
    if (!this.queue.fifo || this.delayed === 0) return;
    const delayMs = this.attr('DelaySeconds', 0) * 1000;
    for (const m of this.heap.items()) {
      if (m.state !== 'delayed') continue;
      m.due = m.enqueuedAt + delayMs;
      this.heap.update(m);
    }
    this.timer?.handle.cancel();
    this.timer = undefined;
    this.promoteDue(this.now());
  }

  // ------------------------------------------------------------------ receiving

  /** Receive what is available now (no waiting). */
  private take(req: ReceiveRequest): ReceivedMessage[] {
    const now = this.now();
    this.promoteDue(now);
    this.sweepExpired(now);
    if (this.inflight >= MAX_IN_FLIGHT) {
      if (this.queue.fifo) return [];
      throw overLimit();
    }
    const visibilityS = req.visibilityTimeout ?? this.attr('VisibilityTimeout', 30);
    const retentionMs = this.retentionMs();
    const redrive = this.redrivePolicy();
    const dlq = redrive ? this.lookup.byArn(redrive.arn) : undefined;
    const taken: Msg[] = [];
    let unblocked = 0;
    while (taken.length < req.max) {
      const m = this.groups ? this.groups.next() : this.nextVisibleStandard();
      if (!m) break;
      if (now - m.enqueuedAt >= retentionMs) {
        unblocked += this.discard(m);
        continue;
      }
      if (redrive && dlq && dlq !== this.queue && m.receiveCount >= redrive.max) {
        unblocked += this.discard(m);
        m.deadLetterQueueSourceArn = this.queue.arn;
        dlq.messages.putMoved(m);
        continue;
      }
      m.receiveCount++;
      m.firstReceiveTimestamp ??= now + this.epoch;
      m.receivedAt = now;
      m.version++;
      m.receiptHandle = this.handles.issue(m.messageId);
      m.state = 'inflight';
      this.visible--;
      this.inflight++;
      taken.push(m);
    }
    this.groups?.end();
    for (const m of taken) {
      if (visibilityS > 0) {
        m.due = now + visibilityS * 1000;
        this.heap.push(m);
      } else {
        // VisibilityTimeout 0: visible again at once, for the next receive.
        this.inflight--;
        unblocked += this.makeVisible(m, now);
      }
    }
    this.arm();
    this.signal(unblocked);
    const out: ReceivedMessage[] = new Array(taken.length);
    for (let i = 0; i < taken.length; i++) out[i] = { message: taken[i], receiptHandle: taken[i].receiptHandle as string };
    return out;
  }

  private nextVisibleStandard(): Msg | undefined {
    while (this.visibleHead < this.visibleQ.length) {
      const i = this.visibleHead++;
      const m = this.visibleQ[i];
      const gen = this.visibleGens[i];
      if (this.visibleHead > 1024 && this.visibleHead * 2 > this.visibleQ.length) {
        this.visibleQ = this.visibleQ.slice(this.visibleHead);
        this.visibleGens = this.visibleGens.slice(this.visibleHead);
        this.visibleHead = 0;
      }
      if (m.state === 'visible' && m.vgen === gen) return m;
    }
    return undefined;
  }

  private retryAttempt(id: string, req: ReceiveRequest, now: number): ReceivedMessage[] | undefined {
    for (const [key, a] of this.attempts) {
      if (now - a.at < RECEIVE_ATTEMPT_INTERVAL_MS) break;
      this.attempts.delete(key);
    }
    const a = this.attempts.get(id);
    if (!a) return undefined;
    this.promoteDue(now);
    const unchanged = a.items.every(({ m, version, handle }) => m.state === 'inflight' && m.version === version && m.receiptHandle === handle);
    if (!unchanged) {
      this.attempts.delete(id);
      return undefined;
    }
    // The same messages and handles again; the visibility timeout starts over.
    const visibilityS = Math.max(1, req.visibilityTimeout ?? this.attr('VisibilityTimeout', 30));
    for (const { m } of a.items) {
      m.due = now + visibilityS * 1000;
      this.heap.update(m);
    }
    this.arm();
    return a.items.map(({ m, handle }) => ({ message: m, receiptHandle: handle }));
  }

  private recordAttempt(id: string, got: ReceivedMessage[], now: number): void {
    this.attempts.delete(id);
    this.attempts.set(id, {
      at: now,
      items: got.map((r) => ({ m: r.message as Msg, version: (r.message as Msg).version, handle: r.receiptHandle })),
    });
  }

  /** Wake up to `n` parked long polls, and tell the listeners (once per turn) that messages are receivable. */
  private signal(n: number): void {
    if (n <= 0) return;
    if (this.listeners.size > 0) this.notifyListeners();
    if (this.waiters.size === 0) return;
    for (const w of this.waiters) {
      this.waiters.delete(w);
      w.wake();
      if (--n <= 0) break;
    }
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Call the listeners in a microtask (never from inside a send or receive), once however many signals came. */
  private notifyListeners(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    queueMicrotask(() => {
      this.notifyPending = false;
      for (const l of [...this.listeners]) l();
    });
  }

  // ------------------------------------------------------------------ states

  /** A new message (sent or moved in) joins the queue, delayed or visible. */
  private admit(m: Msg, enqueuedAt: number, delayMs: number): void {
    const now = this.now();
    m.enqueuedAt = enqueuedAt;
    this.all.set(m.messageId, m);
    this.arrivals.push(m, this.all.size);
    if (delayMs > 0) {
      m.state = 'delayed';
      this.delayed++;
      m.due = now + delayMs;
      this.heap.push(m);
      this.arm();
    } else {
      this.signal(this.makeVisible(m, now));
    }
  }

  /** Make `m` visible (from delayed, in flight, or new); returns how many messages became receivable. */
  private makeVisible(m: Msg, since: number): number {
    m.state = 'visible';
    m.availableSince = since;
    this.visible++;
    if (this.groups) return this.groups.visible(m);
    m.vgen++;
    this.visibleQ.push(m);
    this.visibleGens.push(m.vgen);
    return 1;
  }

  /** Remove `m` from the queue for good; returns how many messages became receivable (FIFO). */
  private discard(m: Msg): number {
    if (m.state === 'visible') this.visible--;
    else if (m.state === 'inflight') this.inflight--;
    else if (m.state === 'delayed') this.delayed--;
    this.heap.remove(m);
    const n = m.inGroup && this.groups ? this.groups.remove(m) : 0;
    m.state = 'gone';
    m.version++;
    this.all.delete(m.messageId);
    this.arrivals.departed(this.all.size);
    return n;
  }

  /** Everything due by `now` becomes visible (each at its own due time); re-arm the timer. */
  private promoteDue(now: number): void {
    let n = 0;
    for (let top = this.heap.peek(); top && top.due <= now; top = this.heap.peek()) {
      const m = this.heap.remove(top);
      if (m.state === 'delayed') this.delayed--;
      else this.inflight--;
      n += this.makeVisible(m, m.due);
    }
    this.arm();
    this.signal(n);
  }

  /** Messages older than MessageRetentionPeriod are gone. */
  private sweepExpired(now: number): void {
    // The heap's top is its oldest entry, departed or not: if that one is young enough, all are.
    const top = this.arrivals.peek();
    if (!top) return;
    const retentionMs = this.retentionMs();
    if (now - top.enqueuedAt < retentionMs) return;
    let n = 0;
    for (let m = this.arrivals.oldest(); m && now - m.enqueuedAt >= retentionMs; m = this.arrivals.oldest()) n += this.discard(m);
    if (n > 0) this.signal(n);
  }

  private sweepDedup(now: number): void {
    const order = this.dedupOrder;
    while (this.dedupHead < order.length && now - order[this.dedupHead].at >= DEDUPLICATION_INTERVAL_MS) {
      const e = order[this.dedupHead++];
      if (this.dedup.get(e.key) === e) this.dedup.delete(e.key);
    }
    if (this.dedupHead > 1024 && this.dedupHead * 2 > order.length) {
      this.dedupOrder = order.slice(this.dedupHead);
      this.dedupHead = 0;
    }
  }

  /** Keep one clock timer armed for the earliest moment something becomes visible. */
  private arm(): void {
    const top = this.heap.peek();
    if (!top || this.closed) {
      if (this.timer) {
        this.timer.handle.cancel();
        this.timer = undefined;
      }
      return;
    }
    // An armed timer that fires no later than needed stays: when it fires it re-arms.
    if (this.timer && this.timer.at <= top.due) return;
    this.timer?.handle.cancel();
    const at = top.due;
    this.timer = {
      at,
      handle: this.lookup.clock.setTimeout(() => {
        if (this.timer?.at === at) this.timer = undefined;
        this.promoteDue(this.now());
      }, at - this.now()),
    };
  }

  /** Queue time now: virtual ms since `epoch`. */
  private now(): number {
    return small(this.lookup.clock.now() - this.epoch);
  }

  // ------------------------------------------------------------------ attributes and handles

  private attr(name: string, fallback: number): number {
    const v = Number(this.queue.attributes[name]);
    return Number.isFinite(v) ? v : fallback;
  }

  private retentionMs(): number {
    const text = this.queue.attributes.MessageRetentionPeriod;
    if (text !== this.retentionText) {
      this.retentionText = text;
      this.retentionMsValue = this.attr('MessageRetentionPeriod', 345_600) * 1000;
    }
    return this.retentionMsValue;
  }

  private redrivePolicy(): { arn: string; max: number } | undefined {
    const text = this.queue.attributes.RedrivePolicy ?? '';
    if (this.redriveCache?.text !== text) {
      let policy: { arn: string; max: number } | undefined;
      try {
        const p = text ? (JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown }) : undefined;
        const max = Number(p?.maxReceiveCount);
        if (p && typeof p.deadLetterTargetArn === 'string' && Number.isFinite(max) && max >= 1) policy = { arn: p.deadLetterTargetArn, max };
      } catch {
        policy = undefined;
      }
      this.redriveCache = { text, policy };
    }
    return this.redriveCache.policy;
  }

  /**
   * The message a receipt handle names, or undefined when it names none in this queue (deleted,
   * moved, expired); ReceiptHandleIsInvalid when it is malformed or another queue's.
   */
  private byHandle(handle: string): Msg | undefined {
    const id = this.handles.quickId(handle);
    const m = id === undefined ? undefined : this.all.get(id);
    if (m !== undefined && m.receiptHandle === handle) return m;
    return this.all.get(this.handles.parse(handle));
  }
}
