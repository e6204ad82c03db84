/**
 * SNS state: topics (by ARN, per account and region), subscriptions, confirmation tokens, and the
 * step every accepted message goes through (FIFO deduplication and sequence numbers, then the
 * dispatcher). Also the in-process Publish other services use (`publishInternal`: Lambda
 * destinations and DLQs, EventBridge targets). State lives in memory for the life of the cloud.
 */
import { randomBytes } from 'node:crypto';
import { isoMillis, type Clock } from '../../clock';
import { isAwsError } from '../../errors';
import type { Deliverer, DeliveryAttribute, DeliveryContext, DeliveryOutcome, SnsPublisher } from '../../deliver/types';
import type { RequestContext } from '../../protocols/types';
import { topicArnParam } from './arns';
import { Dispatcher } from './delivery';
import { topicNotFound } from './errors';
import { checkEntry, DEDUP_INTERVAL_MS, dedupKey, newMessageId, nextSequenceNumber, recentDuplicate } from './message';
import type { SnsMessage, SubscriptionRecord, TokenRecord, TopicRecord } from './types';

export type CheckedEntry = ReturnType<typeof checkEntry>;

/** Where a request came from, for what is delivered. */
export interface Origin {
  traceHeader?: string;
  endpoint: string;
}

export class SnsStore implements SnsPublisher {
  readonly topics = new Map<string, TopicRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly dispatcher: Dispatcher;
  /** The cloud's endpoint, for URLs in messages published in process (set by the cloud). */
  endpointUrl?: () => string;
  private lastEndpoint = 'http://127.0.0.1:4566';

  constructor(
    readonly clock: Clock,
    readonly deliverer: Deliverer,
  ) {
    this.dispatcher = new Dispatcher(clock, deliverer);
  }

  /** The base URL for SigningCertURL, SubscribeURL and UnsubscribeURL: the caller's, else the cloud's. */
  endpoint(ctx?: Pick<RequestContext, 'endpoint'>): string {
    if (ctx?.endpoint) {
      this.lastEndpoint = ctx.endpoint;
      return ctx.endpoint;
    }
    return this.endpointUrl?.() || this.lastEndpoint;
  }

  /** The topics of an account and region, in creation order. */
  topicsOf(accountId: string, region: string): TopicRecord[] {
    return [...this.topics.values()].filter((t) => t.accountId === accountId && t.region === region);
  }

  /** The topic a TopicArn parameter names: InvalidParameter for a bad ARN or another region, NotFound [rec]. */
  requireTopic(ctx: Pick<RequestContext, 'region' | 'accessKeyId' | 'accountId'>, value: string | undefined, param = 'TopicArn'): TopicRecord {
    topicArnParam(ctx, value, param);
    const topic = this.topics.get(value as string);
    if (!topic) throw topicNotFound();
    return topic;
  }

  addTopic(topic: TopicRecord): void {
    this.topics.set(topic.arn, topic);
  }

  /** Delete a topic and its subscriptions. */
  removeTopic(topic: TopicRecord): void {
    if (this.topics.get(topic.arn) !== topic) return;
    this.topics.delete(topic.arn);
    for (const sub of topic.subscriptions.values()) {
      sub.deleted = true;
      this.subscriptions.delete(sub.arn);
    }
    topic.subscriptions.clear();
  }

  addSubscription(sub: SubscriptionRecord): void {
    sub.deleted = false;
    sub.topic.subscriptions.set(sub.arn, sub);
    this.subscriptions.set(sub.arn, sub);
  }

  removeSubscription(sub: SubscriptionRecord): void {
    sub.deleted = true;
    this.subscriptions.delete(sub.arn);
    if (sub.topic.subscriptions.delete(sub.arn)) sub.topic.deletedSubscriptions++;
  }

  /** A new confirmation token: 288 hex characters [obs], the region encoded at the front. */
  newToken(record: TokenRecord): string {
    const prefix = Buffer.from(`${record.region}/`, 'utf8').toString('hex');
    const token = (prefix + randomBytes(144).toString('hex')).slice(0, 288);
    this.tokens.set(token, record);
    return token;
  }

  /**
   * Accept a checked message for a topic: FIFO deduplication within 5 minutes (a duplicate answers
   * the first message's id and sequence number and is not delivered again [rec]), sequence
   * numbers, then delivery to the subscriptions (after the caller has its answer).
   */
  publishMessage(topic: TopicRecord, entry: CheckedEntry, origin: Origin): { messageId: string; sequenceNumber?: string } {
    const now = this.clock.now();
    let messageId: string;
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      const key = dedupKey(topic, entry.groupId, entry.dedupId as string);
      const duplicate = recentDuplicate(topic, key, now);
      if (duplicate) return { messageId: duplicate.messageId, sequenceNumber: duplicate.sequenceNumber };
      messageId = newMessageId();
      sequenceNumber = nextSequenceNumber(topic, now);
      topic.dedup.set(key, { messageId, sequenceNumber, expires: now + DEDUP_INTERVAL_MS });
    } else {
      messageId = newMessageId();
    }
    const msg: SnsMessage = {
      type: 'Notification',
      messageId,
      topic,
      message: entry.message,
      perProtocol: entry.perProtocol,
      subject: entry.subject,
      attributes: entry.attributes,
      timestamp: isoMillis(now),
      groupId: entry.groupId,
      dedupId: entry.dedupId,
      sequenceNumber,
      traceHeader: origin.traceHeader,
      endpoint: origin.endpoint,
    };
    this.dispatcher.publish(msg);
    return { messageId, sequenceNumber };
  }

  /** SnsPublisher: a Publish from inside the cloud (destinations, DLQs, EventBridge targets). */
  publishInternal(
    dctx: DeliveryContext,
    topicArn: string,
    msg: { message: string; subject?: string; attributes?: Record<string, DeliveryAttribute>; groupId?: string; dedupId?: string },
  ): DeliveryOutcome {
    const topic = this.topics.get(topicArn);
    if (!topic) return { ok: false, kind: 'not-found', code: 'NotFound', message: 'Topic does not exist', retryable: false };
    const attributes: Record<string, Record<string, unknown>> = {};
    for (const [k, a] of Object.entries(msg.attributes ?? {})) {
      attributes[k] = { DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue?.toString('base64') };
    }
    try {
      const entry = checkEntry(topic, { message: msg.message, subject: msg.subject, attributes, groupId: msg.groupId, dedupId: msg.dedupId });
      const r = this.publishMessage(topic, entry, { traceHeader: dctx.traceHeader, endpoint: this.endpoint() });
      return { ok: true, id: r.messageId };
    } catch (e) {
      if (isAwsError(e)) return { ok: false, kind: 'invalid', code: e.code, message: e.message, retryable: false };
      return { ok: false, kind: 'internal', code: 'InternalError', message: e instanceof Error ? e.message : String(e), retryable: true };
    }
  }

  /** Forget everything; pending deliveries and retries are cancelled. */
  clear(): void {
    this.dispatcher.clear();
    for (const s of this.subscriptions.values()) s.deleted = true;
    this.topics.clear();
    this.subscriptions.clear();
    this.tokens.clear();
  }
}
