/**
 * The shapes shared by the SNS files. No behaviour here, so every file can import it.
 *
 *   store.ts                 topics and subscriptions per account and region, tokens, the in-process
 *                            Publish other services use (SnsStore, implements SnsPublisher)
 *   topics.ts                Create/Delete/ListTopics, Get/SetTopicAttributes
 *   topic-attributes.ts      topic attribute names, values, defaults and the default Policy
 *   permissions.ts           AddPermission/RemovePermission (statements in the Policy), tags
 *   subscriptions.ts         Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic),
 *                            Get/SetSubscriptionAttributes
 *   subscription-attributes.ts  subscription attribute validation (filter, raw, redrive, delivery policy)
 *   delivery-policy.ts       HTTP/S DeliveryPolicy: validation, stored and effective forms, retry delays
 *   publish.ts               Publish and PublishBatch
 *   message.ts               one published message: validation, MessageStructure, FIFO deduplication
 *   envelope.ts              what endpoints receive: the JSON envelope, the Lambda event, raw delivery
 *   signing.ts               the signing key and certificate, signatures, the served PEM
 *   delivery.ts              delivery to each subscription: filter, retries on the clock, DLQ
 *   http.ts                  POSTs to HTTP/S endpoints (loopback only)
 *   arns.ts                  ARN parameters and topic names
 *   errors.ts                SNS's errors
 *   input.ts                 query-protocol input members (strings, lists, maps, booleans)
 *   index.ts                 the service definition (query protocol, version 2010-03-31)
 */
import type { SnsFilter } from '../../patterns';

/** A message attribute as Publish received it (BinaryValue decoded). */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/** A FIFO topic's record of a recent message (deduplication within 5 minutes). */
export interface DedupEntry {
  messageId: string;
  sequenceNumber: string;
  /** Virtual epoch ms after which the id may be used again. */
  expires: number;
}

export interface TopicRecord {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  fifo: boolean;
  /**
   * Settable attributes as AWS answers them (strings), only those set. Defaults (DisplayName "",
   * ContentBasedDeduplication "false" on FIFO topics, the Policy) are filled in when read.
   */
  attributes: Record<string, string>;
  /** The Policy document (JSON text): the default one until SetTopicAttributes/AddPermission. */
  policy: string;
  tags: Map<string, string>;
  /** Subscriptions in creation order. */
  subscriptions: Map<string, SubscriptionRecord>;
  deletedSubscriptions: number;
  /** FIFO: the last SequenceNumber handed out, and recent deduplication ids. */
  lastSequence: bigint;
  dedup: Map<string, DedupEntry>;
}

export interface SubscriptionRecord {
  arn: string;
  topic: TopicRecord;
  protocol: string;
  endpoint: string;
  owner: string;
  principal: string;
  pending: boolean;
  /** ConfirmationWasAuthenticated. */
  authenticated: boolean;
  /** RawMessageDelivery ("true"/"false"), FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, ... */
  attributes: Record<string, string>;
  /** The compiled FilterPolicy (with its scope), when one is set. */
  filter?: SnsFilter;
  deleted: boolean;
  /** FIFO topics: deliveries to this subscription run one after another, in publish order. */
  chain?: Promise<void>;
}

/** A message on its way to the subscriptions, as Publish (or publishInternal) accepted it. */
export interface SnsMessage {
  type: 'Notification';
  messageId: string;
  topic: TopicRecord;
  /** The Message (MessageStructure json: the "default" entry). */
  message: string;
  /** MessageStructure json: string entries by protocol ("sqs", "lambda", "http", ...). */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes: Record<string, MessageAttribute>;
  /** ISO-8601 with milliseconds. */
  timestamp: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  /** X-Amzn-Trace-Id of the publish request, carried to every delivery. */
  traceHeader?: string;
  /** Base URL for the SigningCertURL / UnsubscribeURL / SubscribeURL in what is delivered. */
  endpoint: string;
}

/** What a ConfirmSubscription token stands for. */
export interface TokenRecord {
  region: string;
  subscriptionArn: string;
  /** 'unsubscribe': the token of an UnsubscribeConfirmation; confirming it restores the subscription. */
  kind: 'subscribe' | 'unsubscribe';
  /** For 'unsubscribe': the subscription as it was. */
  removed?: SubscriptionRecord;
}
