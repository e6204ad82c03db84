/**
 * One message as the SQS model keeps it (a class of one fixed shape), and the small helpers that
 * make its fields: FIFO sequence numbers and small-integer times.
 */
import type { MessageAttributeValue, SqsMessage } from './types';

export type MsgState = 'delayed' | 'visible' | 'inflight' | 'gone';

/**
 * A message as the model keeps it. A class whose constructor writes every field, so that every
 * message has one shape from the start (a 28-field object literal here cost ~10x more to create).
 */
export class Msg implements SqsMessage {
  declare messageId: string;
  declare body: string;
  declare md5OfBody: string;
  declare messageAttributes: Record<string, MessageAttributeValue>;
  declare md5OfMessageAttributes: string | undefined;
  declare messageSystemAttributes: Record<string, MessageAttributeValue>;
  declare md5OfMessageSystemAttributes: string | undefined;
  declare senderId: string;
  declare sentTimestamp: number;
  declare receiveCount: number;
  declare firstReceiveTimestamp: number | undefined;
  declare receiptHandle: string | undefined;
  declare deadLetterQueueSourceArn: string | undefined;
  declare messageGroupId: string | undefined;
  declare messageDeduplicationId: string | undefined;
  declare sequenceNumber: string | undefined;
  declare state: MsgState;
  /** Queue time at which a delayed or in-flight message becomes visible. */
  declare due: number;
  declare heapIndex: number;
  /** Queue time since which the message has been visible. */
  declare availableSince: number;
  /** Queue time from which MessageRetentionPeriod counts. */
  declare enqueuedAt: number;
  /** Queue time of the latest receive (the 12-hour visibility limit counts from it). */
  declare receivedAt: number;
  /** Arrival order in this queue. */
  declare order: number;
  /** Bumped by every receive, visibility change and removal (receive attempt retries check it). */
  declare version: number;
  /** Standard: generation of its current entry in the visible list. */
  declare vgen: number;
  declare prev: Msg | undefined;
  declare next: Msg | undefined;
  declare inGroup: boolean;

  constructor(f: SqsMessage, order: number, now: number) {
    this.messageId = f.messageId;
    this.body = f.body;
    this.md5OfBody = f.md5OfBody;
    this.messageAttributes = f.messageAttributes;
    this.md5OfMessageAttributes = f.md5OfMessageAttributes;
    this.messageSystemAttributes = f.messageSystemAttributes;
    this.md5OfMessageSystemAttributes = f.md5OfMessageSystemAttributes;
    this.senderId = f.senderId;
    this.sentTimestamp = f.sentTimestamp;
    this.receiveCount = f.receiveCount;
    this.firstReceiveTimestamp = f.firstReceiveTimestamp;
    this.receiptHandle = undefined;
    this.deadLetterQueueSourceArn = f.deadLetterQueueSourceArn;
    this.messageGroupId = f.messageGroupId;
    this.messageDeduplicationId = f.messageDeduplicationId;
    this.sequenceNumber = f.sequenceNumber;
    this.state = 'gone';
    this.due = now;
    this.heapIndex = -1;
    this.availableSince = now;
    this.enqueuedAt = now;
    this.receivedAt = now;
    this.order = order;
    this.version = 0;
    this.vgen = 0;
    this.prev = undefined;
    this.next = undefined;
    this.inGroup = false;
  }
}

/** SequenceNumber: 20 digits and more, rising across every FIFO queue of the process. */
let lastSequence = 0n;
export function nextSequenceNumber(now: number): string {
  const base = BigInt(Math.floor(now)) * 10_000_000n;
  lastSequence = base > lastSequence ? base : lastSequence + 1n;
  return lastSequence.toString();
}

/**
 * `t` as a small integer where it is one (V8 then keeps it in the object's own field; the result of
 * arithmetic on epoch-sized numbers is a heap number even when it is whole and small).
 */
export function small(t: number): number {
  const i = t | 0;
  return i === t ? i : t;
}
