/**
 * The shapes shared by the SQS files. No behaviour here, so every file can import it.
 *
 *   store.ts         queues per account and region, queue URLs and ARNs, lookup   (SqsStore)
 *   model.ts         one queue's messages: visibility, delays, retention, FIFO, redrive, long polls
 *   message.ts       one message as the model keeps it; FIFO sequence numbers
 *   due-heap.ts      the model's heaps (by due time, by arrival); fifo.ts its FIFO message groups
 *   message-id.ts    message ids; receipt-handle.ts receipt handles (made, told apart)
 *   messages.ts      Send/Receive/Delete/ChangeMessageVisibility (+ Batch); message-input.ts checks
 *                    message bodies and attributes
 *   queues.ts        Create/Delete/GetQueueUrl/ListQueues/attributes/Purge/tags/DLQ sources;
 *                    attributes.ts the queue attributes, permissions.ts Add/RemovePermission's Policy
 *   move-tasks.ts    Start/List/CancelMessageMoveTask
 *   md5.ts         MD5OfMessageBody / MD5OfMessageAttributes / MD5OfMessageSystemAttributes
 *   query.ts       the query protocol's input and output shapes (form in, XML out)
 *   index.ts       the two service definitions (JSON 1.0 and query) over the same operations
 *
 * Operations take and return the JSON protocol's shapes (those of @aws-sdk/client-sqs), which are
 * the canonical ones; query.ts adapts the query protocol to them.
 */
import type { Clock } from '../../clock';

/** A message attribute as the JSON protocol carries it (BinaryValue decoded to bytes). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/** What a sender gives a message: body, attributes and their digests (validated), and who sent it. */
export interface MessageContent {
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  /** Sendable system attributes (only AWSTraceHeader today). */
  messageSystemAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageSystemAttributes?: string;
  senderId: string;
}

/** One message and everything SQS knows about it. */
export interface SqsMessage extends MessageContent {
  messageId: string;
  /** Virtual epoch ms. */
  sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The receipt handle of the latest receive (only that one, or an older one of the same message, is accepted). */
  receiptHandle?: string;
  /** Set when a redrive moved the message to a dead-letter queue: the source queue's ARN. */
  deadLetterQueueSourceArn?: string;
  /** FIFO only. */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

/** What GetQueueAttributes' Approximate* counters read. */
export interface MessageCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/**
 * One queue's messages (model.ts implements it). The queue's attributes are read live from
 * `QueueRecord.attributes`, so SetQueueAttributes takes effect at once.
 */
export interface MessageQueue {
  counts(): MessageCounts;
  /** Delete every message (PurgeQueue). */
  purge(): void;
  /** Remove and return the oldest available message for a move task, or undefined. */
  takeForMove(): SqsMessage | undefined;
  /** Add a message moved here by a redrive or a move task, keeping its id, body and attributes. */
  putMoved(message: SqsMessage): void;
  /** The queue is gone: cancel timers and answer parked long polls (empty). */
  close(): void;
  /** Store a validated message (FIFO: after deduplication). */
  send(request: SendRequest): SendResult;
  /**
   * Receive up to `max` messages; with `waitSeconds` > 0, wait (long poll) until at least one is
   * available or the wait is over. Each message comes with its new receipt handle.
   */
  receive(request: ReceiveRequest): Promise<ReceivedMessage[]>;
  /** DeleteMessage by receipt handle (throws ReceiptHandleIsInvalid / InvalidParameterValue). */
  deleteMessage(receiptHandle: string): void;
  /** ChangeMessageVisibility: the message becomes visible `seconds` after this call. */
  changeVisibility(receiptHandle: string, seconds: number): void;
  /** Queue attributes changed (SetQueueAttributes): re-read what depends on them (FIFO delays). */
  attributesChanged(): void;
  /**
   * Call `listener` (in a microtask, once per turn however many messages) whenever messages may have
   * become receivable: a send, a delay's end, a visibility timeout's end, ChangeMessageVisibility to 0,
   * a message moved in, a FIFO group unblocked; and when the queue closes. Returns the unsubscribe.
   * Event source mapping pollers wait on this instead of long polling, so idle time stays jumpable.
   */
  onAvailable(listener: () => void): () => void;
}

/** A message to store: body, attributes and their digests, already validated. */
export interface SendRequest extends MessageContent {
  /** Per-message delay (standard queues); undefined = the queue's DelaySeconds. */
  delaySeconds?: number;
  /** FIFO: required; standard: optional (fair queues). */
  messageGroupId?: string;
  /** FIFO: the explicit id or the content-based SHA-256 of the body. */
  messageDeduplicationId?: string;
}

export interface SendResult {
  messageId: string;
  /** FIFO only. */
  sequenceNumber?: string;
  /** FIFO: a duplicate within the deduplication interval (accepted, not delivered again). */
  duplicate: boolean;
}

export interface ReceiveRequest {
  max: number;
  /** Seconds; undefined = the queue's VisibilityTimeout. */
  visibilityTimeout?: number;
  /** Seconds of long polling (0 = short poll). */
  waitSeconds: number;
  /** FIFO: ReceiveRequestAttemptId. */
  attemptId?: string;
}

export interface ReceivedMessage {
  message: SqsMessage;
  receiptHandle: string;
}

/** One queue. `attributes` holds every settable attribute as the string AWS returns. */
export interface QueueRecord {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes with their defaults filled in (VisibilityTimeout, DelaySeconds, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Virtual epoch ms. */
  createdMs: number;
  lastModifiedMs: number;
  /** Virtual epoch ms of the last PurgeQueue (one per 60 s). */
  lastPurgeMs?: number;
  messages: MessageQueue;
}

/** What the model needs from the store (redrive finds the DLQ by ARN). */
export interface QueueLookup {
  readonly clock: Clock;
  byArn(arn: string): QueueRecord | undefined;
}
