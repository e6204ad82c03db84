/**
 * The one deliverer: hands a message to an SQS queue, an SNS topic, a Lambda function (asynchronous
 * invoke), an EventBridge bus or an S3 bucket (OnFailure records as objects), in process. Every failure comes back as an outcome (never thrown)
 * and is written to the delivery log (`/_testbed/deliveries`), so a record AWS would lose is lost
 * here too, and the cloud says why.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import { parseMessage } from '../services/sqs/message-input';
import type { SqsStore } from '../services/sqs/store';
import {
  arnParts,
  type Deliverer,
  type DeliveryContext,
  type DeliveryMessage,
  type DeliveryOutcome,
  type EventBusPublisher,
  type LambdaAsyncInvoker,
  type S3ObjectWriter,
  type SnsPublisher,
  s3FailureKey,
} from './types';

export * from './types';

/** One failed delivery, as `/_testbed/deliveries` lists it. */
export interface DeliveryFailure {
  time: string;
  source: string;
  target: string;
  /** A failure kind of deliver(), or "lost": dropped for good after retries, with no DLQ to take it. */
  kind: string;
  code: string;
  message: string;
}

const LOG_LIMIT = 1000;

export class CloudDeliverer implements Deliverer {
  readonly failures: DeliveryFailure[] = [];
  sns?: SnsPublisher;
  events?: EventBusPublisher;
  lambda?: LambdaAsyncInvoker;
  s3?: S3ObjectWriter;

  constructor(
    private readonly clock: Clock,
    private readonly sqs: SqsStore,
  ) {}

  async deliver(dctx: DeliveryContext, arn: string, msg: DeliveryMessage): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.route(dctx, arn, msg);
    } catch (e) {
      outcome = fromError(e);
    }
    if (!outcome.ok) this.record(dctx, arn, outcome);
    return outcome;
  }

  private async route(dctx: DeliveryContext, arn: string, msg: DeliveryMessage): Promise<DeliveryOutcome> {
    const parts = arnParts(arn);
    if (!parts) return failure('not-found', 'InvalidArn', `Invalid ARN: ${arn}`);
    switch (parts.service) {
      case 'sqs':
        return this.toQueue(dctx, arn, msg);
      case 'sns':
        return this.sns ? this.sns.publishInternal(dctx, arn, { message: msg.body, subject: msg.subject, attributes: msg.attributes, groupId: msg.groupId, dedupId: msg.dedupId }) : unavailable('sns');
      case 'lambda':
        return this.lambda
          ? this.lambda.invokeAsyncInternal(dctx, arn, Buffer.from(msg.body, 'utf8'), { trigger: msg.trigger ?? 'destination', principal: msg.principal, sourceArn: msg.sourceArn })
          : unavailable('lambda');
      case 's3':
        // An OnFailure record as an object; without a key from the sender, a fresh one under aws/lambda/.
        return this.s3
          ? this.s3.putInternal(dctx, arn, msg.s3Key ?? s3FailureKey('records', this.clock.now(), randomUUID()), msg.body)
          : unavailable('s3');
      case 'events':
        if (!msg.event) return failure('invalid', 'InvalidArgument', 'No event to put on the bus');
        return this.events ? this.events.putInternal(dctx, arn, msg.event) : unavailable('events');
      default:
        return failure('not-found', 'InvalidArn', `Cannot deliver to ${parts.service}: ${arn}`);
    }
  }

  private toQueue(dctx: DeliveryContext, arn: string, msg: DeliveryMessage): DeliveryOutcome {
    const queue = this.sqs.byArn(arn);
    if (!queue) return failure('not-found', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
    const entry: Record<string, unknown> = { MessageBody: msg.body };
    if (msg.attributes && Object.keys(msg.attributes).length) entry.MessageAttributes = msg.attributes;
    if (msg.groupId !== undefined) entry.MessageGroupId = msg.groupId;
    if (msg.dedupId !== undefined) entry.MessageDeduplicationId = msg.dedupId;
    if (dctx.traceHeader) entry.MessageSystemAttributes = { AWSTraceHeader: { DataType: 'String', StringValue: dctx.traceHeader } };
    const request = parseMessage(queue, entry, dctx.accountId, false);
    const r = queue.messages.send(request);
    return { ok: true, id: r.messageId };
  }

  lost(dctx: DeliveryContext, target: string, code: string, message: string): void {
    this.record(dctx, target, { kind: 'lost', code, message });
  }

  private record(dctx: DeliveryContext, arn: string, o: { kind: string; code: string; message: string }): void {
    this.failures.push({ time: new Date(this.clock.now()).toISOString(), source: dctx.source, target: arn, kind: o.kind, code: o.code, message: o.message });
    if (this.failures.length > LOG_LIMIT) this.failures.splice(0, this.failures.length - LOG_LIMIT);
    if (process.env.TESTBED_DEBUG) console.error(`[testbed] delivery from ${dctx.source} to ${arn} failed: ${o.code}: ${o.message}`);
  }

  clear(): void {
    this.failures.length = 0;
  }
}

export function failure(kind: Extract<DeliveryOutcome, { ok: false }>['kind'], code: string, message: string): DeliveryOutcome {
  return { ok: false, kind, code, message, retryable: kind === 'throttled' || kind === 'internal' };
}

function unavailable(service: string): DeliveryOutcome {
  return failure('not-found', 'ServiceUnavailable', `The ${service} service is not running in this cloud`);
}

/** An error thrown by a target's code path, as an outcome. */
export function fromError(e: unknown): DeliveryOutcome {
  if (e instanceof AwsError) {
    const kind = e.status === 404 || /NotFound|NonExistent/.test(e.code) ? 'not-found'
      : e.status === 429 || /Throttl|TooManyRequests/.test(e.code) ? 'throttled'
      : e.status === 403 || /AccessDenied|Authorization/.test(e.code) ? 'permission'
      : e.status >= 500 ? 'internal' : 'invalid';
    return failure(kind, e.options.queryCode ?? e.code, e.message);
  }
  return failure('internal', 'InternalFailure', e instanceof Error ? e.message : String(e));
}
