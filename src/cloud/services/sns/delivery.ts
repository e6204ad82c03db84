/**
 * Delivery of published messages to subscriptions, after Publish has answered: the filter policy,
 * the payload each protocol gets, attempts through the cloud's deliverer (SQS, Lambda) or an HTTP
 * POST, retries on the virtual clock, and the subscription's dead-letter queue.
 *
 *   sqs, lambda     AWS-managed retry policy (3 immediate, 2 at 1 s, 10 backing off 1 -> 20 s, then
 *                   every 20 s) [doc]
 *   http, https     the effective DeliveryPolicy (subscription over topic; default 3 retries at 20 s)
 *   other protocols (email, sms, application, firehose) are accepted by Subscribe but not delivered
 *
 * Only retryable outcomes (throttled, internal; HTTP 429/5xx/unreachable) are retried. Client-side
 * failures (not-found, permission, invalid) and exhausted retries go to the RedrivePolicy's queue,
 * with what the endpoint would have received (the envelope, or the raw message and its
 * attributes) [rec]; without one the message is dropped (and recorded in `failures`).
 *
 * Each attempt runs inside a busy section of the clock (compressed time never jumps under one);
 * the waits between retries are plain clock timers, so compressed time jumps over them. FIFO
 * topics deliver to each subscription one message after the other, retries included.
 */
import { isoMillis, type Clock, type TimerHandle } from '../../clock';
import type { Deliverer, DeliveryContext, DeliveryMessage, DeliveryOutcome } from '../../deliver/types';
import { httpDelivery, MANAGED_RETRY, retryDelayMs, type RetryPolicy } from './delivery-policy';
import { confirmationBody, envelopeAttributes, lambdaEvent, notificationEnvelope, protocolMessage, rawAttributes, type Confirmation } from './envelope';
import { postToEndpoint } from './http';
import type { SnsMessage, SubscriptionRecord } from './types';

/** A delivery that failed for good, as `failures` lists it. */
export interface SnsDeliveryFailure {
  time: string;
  subscriptionArn: string;
  endpoint: string;
  messageId: string;
  code: string;
  message: string;
  attempts: number;
  /** Where the message went: the DLQ's ARN, or "dropped". */
  outcome: string;
}

interface Job {
  sub: SubscriptionRecord;
  policy: RetryPolicy;
  attempt: () => Promise<DeliveryOutcome>;
  /** The dead-letter message (none for confirmations). */
  deadLetter?: () => Promise<DeliveryMessage>;
  messageId: string;
  dctx: DeliveryContext;
}

const LOG_LIMIT = 1000;
const USER_AGENT = 'Amazon Simple Notification Service Agent';

const isFifoQueueArn = (arn: string) => arn.endsWith('.fifo');

export class Dispatcher {
  readonly failures: SnsDeliveryFailure[] = [];
  private readonly timers = new Set<TimerHandle>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly deliverer: Deliverer,
  ) {}

  /** Deliver a published message to every confirmed subscription of its topic, later. */
  publish(msg: SnsMessage): void {
    for (const sub of [...msg.topic.subscriptions.values()]) {
      if (sub.pending) continue;
      const run = () => this.guard(this.deliverOne(sub, msg), msg.messageId);
      if (msg.topic.fifo) {
        const prev = sub.chain ?? Promise.resolve();
        sub.chain = prev.then(() => this.sleep(0)).then(run, run);
      } else {
        void this.sleep(0).then(run);
      }
    }
  }

  /** POST a SubscriptionConfirmation / UnsubscribeConfirmation (retried; never dead-lettered). */
  confirm(sub: SubscriptionRecord, c: Confirmation): void {
    const { retry } = httpDelivery(sub.topic.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy);
    let body: Promise<string> | undefined;
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=UTF-8', // [rec] whatever the delivery policy says
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip,deflate',
      'x-amz-sns-message-type': c.type,
      'x-amz-sns-message-id': c.messageId,
      'x-amz-sns-topic-arn': c.topic.arn,
    };
    if (c.type === 'UnsubscribeConfirmation') headers['x-amz-sns-subscription-arn'] = sub.arn; // [rec]
    const job: Job = {
      sub,
      policy: retry,
      messageId: c.messageId,
      dctx: this.context(sub, undefined),
      attempt: async () => postToEndpoint(this.clock, sub.endpoint, headers, await (body ??= confirmationBody(c))),
    };
    void this.sleep(0).then(() => this.guard(this.run(job, true), c.messageId));
  }

  /** Stop: cancel every pending attempt and retry. */
  clear(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  // ------------------------------------------------------------------ internals

  private context(sub: SubscriptionRecord, traceHeader: string | undefined): DeliveryContext {
    return { accountId: sub.topic.accountId, region: sub.topic.region, traceHeader, source: `sns:${sub.arn}` };
  }

  /** A delivery never rejects: an unexpected error is logged like a failed delivery. */
  private async guard(p: Promise<void>, messageId: string): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (process.env.TESTBED_DEBUG) console.error(`[testbed] sns delivery of ${messageId} failed:`, e);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const h = this.clock.setTimeout(() => {
        this.timers.delete(h);
        resolve();
      }, ms);
      this.timers.add(h);
    });
  }

  private async busy<T>(fn: () => Promise<T>): Promise<T> {
    const release = this.clock.busy();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private async deliverOne(sub: SubscriptionRecord, msg: SnsMessage): Promise<void> {
    if (this.closed || sub.deleted) return;
    const job = await this.busy(async () => (this.passes(sub, msg) ? this.prepare(sub, msg) : undefined));
    if (job) await this.run(job, false);
  }

  private passes(sub: SubscriptionRecord, msg: SnsMessage): boolean {
    if (!sub.filter) return true;
    const attributes: Record<string, { Type: string; Value: string }> = envelopeAttributes(msg.attributes);
    try {
      return sub.filter.matches({ body: protocolMessage(msg, sub.protocol), attributes });
    } catch {
      return false;
    }
  }

  /** What to send and how, by protocol; undefined for protocols the cloud does not deliver to. */
  private async prepare(sub: SubscriptionRecord, msg: SnsMessage): Promise<Job | undefined> {
    const dctx = this.context(sub, msg.traceHeader);
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const deadLetter = async (): Promise<DeliveryMessage> => {
      const out: DeliveryMessage = raw
        ? { body: protocolMessage(msg, sub.protocol), attributes: rawAttributes(msg.attributes) }
        : { body: await notificationEnvelope(msg, sub) };
      if (msg.topic.fifo) {
        out.groupId = msg.groupId;
        out.dedupId = msg.dedupId;
      }
      return out;
    };
    const base = { sub, messageId: msg.messageId, dctx, deadLetter };
    switch (sub.protocol) {
      case 'sqs': {
        const dm: DeliveryMessage = raw
          ? { body: protocolMessage(msg, 'sqs'), attributes: rawAttributes(msg.attributes) }
          : { body: await notificationEnvelope(msg, sub) };
        if (isFifoQueueArn(sub.endpoint)) {
          dm.groupId = msg.groupId;
          dm.dedupId = msg.dedupId;
        } else if (!msg.topic.fifo && msg.groupId !== undefined) {
          dm.groupId = msg.groupId; // standard topics forward MessageGroupId to standard queues (fair queues) [model, rec]
        }
        return { ...base, policy: MANAGED_RETRY, attempt: () => this.deliverer.deliver(dctx, sub.endpoint, dm) };
      }
      case 'lambda': {
        const body = await lambdaEvent(msg, sub);
        const dm: DeliveryMessage = { body, trigger: 'sns', principal: 'sns.amazonaws.com', sourceArn: msg.topic.arn };
        return { ...base, policy: MANAGED_RETRY, attempt: () => this.deliverer.deliver(dctx, sub.endpoint, dm) };
      }
      case 'http':
      case 'https': {
        const { retry, contentType } = httpDelivery(msg.topic.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy);
        const body = raw ? protocolMessage(msg, sub.protocol) : await notificationEnvelope(msg, sub);
        const headers: Record<string, string> = {
          'content-type': contentType,
          'user-agent': USER_AGENT,
          'accept-encoding': 'gzip,deflate',
          'x-amz-sns-message-type': msg.type,
          'x-amz-sns-message-id': msg.messageId,
          'x-amz-sns-topic-arn': msg.topic.arn,
          'x-amz-sns-subscription-arn': sub.arn,
        };
        if (raw) headers['x-amz-sns-rawdelivery'] = 'true'; // [rec]
        return { ...base, policy: retry, attempt: () => postToEndpoint(this.clock, sub.endpoint, headers, body) };
      }
      default:
        return undefined;
    }
  }

  /** Attempts with retries; then the DLQ or the failure log. */
  private async run(job: Job, confirmation: boolean): Promise<void> {
    let outcome: DeliveryOutcome = { ok: true };
    let attempts = 0;
    for (let k = 0; ; k++) {
      if (k > 0) {
        const delay = retryDelayMs(job.policy, k);
        if (delay === undefined) break;
        await this.sleep(delay);
      }
      // An UnsubscribeConfirmation goes out after its subscription is gone.
      if (this.closed || (job.sub.deleted && !confirmation)) return;
      attempts++;
      outcome = await this.busy(job.attempt);
      if (outcome.ok || !outcome.retryable) break;
    }
    if (outcome.ok) return;
    const failure = outcome;
    await this.busy(async () => {
      const dlq = confirmation ? undefined : redriveTarget(job.sub);
      let where = 'dropped';
      if (dlq && job.deadLetter) {
        const dm = await job.deadLetter();
        if (!isFifoQueueArn(dlq)) delete dm.dedupId;
        const r = await this.deliverer.deliver(job.dctx, dlq, dm);
        if (r.ok) where = dlq;
      }
      this.failures.push({
        time: isoMillis(this.clock.now()),
        subscriptionArn: job.sub.arn,
        endpoint: job.sub.endpoint,
        messageId: job.messageId,
        code: failure.code,
        message: failure.message,
        attempts,
        outcome: where,
      });
      if (this.failures.length > LOG_LIMIT) this.failures.splice(0, this.failures.length - LOG_LIMIT);
      if (where === 'dropped') this.deliverer.lost(job.dctx, job.sub.endpoint, failure.code, `${failure.message} (after ${attempts} attempt(s), no dead-letter queue took it)`);
      if (process.env.TESTBED_DEBUG) {
        console.error(`[testbed] sns delivery of ${job.messageId} to ${job.sub.endpoint} failed after ${attempts} attempt(s): ${failure.code}: ${failure.message} (${where})`);
      }
    });
  }
}

/** The subscription's dead-letter queue ARN, if it has a RedrivePolicy. */
function redriveTarget(sub: SubscriptionRecord): string | undefined {
  const text = sub.attributes.RedrivePolicy;
  if (!text) return undefined;
  try {
    const arn = (JSON.parse(text) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof arn === 'string' && arn !== '' ? arn : undefined;
  } catch {
    return undefined;
  }
}
