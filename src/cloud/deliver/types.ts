/**
 * The contract of in-process delivery: one way to hand a payload to an ARN (an SQS queue, an SNS
 * topic, a Lambda function invoked asynchronously, an EventBridge bus). Lambda's destinations and
 * DLQs, SNS subscriptions and EventBridge targets all deliver through a `Deliverer`, so the rule
 * "what happens when the target is gone" lives in one place (deliver/index.ts).
 *
 * This file is a leaf: services import these types; deliver/index.ts imports the services.
 */

/** Who delivers, from where. */
export interface DeliveryContext {
  accountId: string;
  region: string;
  /**
   * X-Amzn-Trace-Id to carry on to the target. Lambda's recursive loop detection reads the
   * `Lineage` it carries (see lambda/async/recursion.ts).
   */
  traceHeader?: string;
  /** Who is delivering, for the delivery log: e.g. "lambda:OnFailure my-fn", "sns:<subscription arn>". */
  source: string;
}

/** An SQS / SNS message attribute, in SQS's in-process shape. */
export interface DeliveryAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/** An event to put on an EventBridge bus (a destination record, or an event forwarded bus-to-bus). */
export interface DeliveryEvent {
  source: string;
  detailType: string;
  /** The detail as a JSON object text. */
  detail: string;
  resources?: string[];
  time?: Date;
  /** When forwarding an existing event bus-to-bus: its id, account and region are kept. */
  id?: string;
  account?: string;
  region?: string;
}

export interface DeliveryMessage {
  /**
   * The payload: an SQS message body, an SNS Message, a Lambda function's event (UTF-8 JSON text).
   * For an EventBridge bus, `event` is used instead (the body is ignored).
   */
  body: string;
  /** SQS / SNS message attributes (DLQ attributes, SNS raw delivery, ...). */
  attributes?: Record<string, DeliveryAttribute>;
  /** SQS FIFO queue / SNS FIFO topic. */
  groupId?: string;
  dedupId?: string;
  /** SNS Subject. */
  subject?: string;
  /** For an EventBridge bus. */
  event?: DeliveryEvent;
  /**
   * For a Lambda function: the trigger recorded with its invocations ("sns", "events",
   * "destination"), and who invokes it, for the resource-policy check AWS makes for services
   * (principal `sns.amazonaws.com` with SourceArn the topic, `events.amazonaws.com` with the rule).
   */
  trigger?: string;
  principal?: string;
  sourceArn?: string;
  /**
   * For an S3 bucket (OnFailure destinations): the object key, as Lambda names it
   * (`aws/lambda/async/<function>/...`, `aws/lambda/<mapping uuid>/<shard>/...`); see s3FailureKey.
   */
  s3Key?: string;
}

/** Why a delivery failed, in the categories every sender maps to its own codes. */
export type DeliveryFailureKind =
  /** The target does not exist (deleted queue, topic, function or bus; unknown ARN). */
  | 'not-found'
  /** The target refused the sender (resource policy, cross-region or cross-account ARN). */
  | 'permission'
  /** The target exists but refuses this message (size, FIFO rules, bad attributes). */
  | 'invalid'
  /** The target is busy (throttled): worth retrying. */
  | 'throttled'
  /** Anything else on the target's side: worth retrying. */
  | 'internal';

export type DeliveryOutcome =
  | { ok: true; /** The message id / event id / request id the target assigned. */ id?: string }
  | {
      ok: false;
      kind: DeliveryFailureKind;
      /** The target service's error code, e.g. AWS.SimpleQueueService.NonExistentQueue, ResourceNotFoundException. */
      code: string;
      message: string;
      /** True for throttled / internal failures (AWS retries those; client errors are not retried). */
      retryable: boolean;
    };

export interface Deliverer {
  /** Deliver one message. Never throws: every failure is an outcome (and is logged by the deliverer). */
  deliver(dctx: DeliveryContext, arn: string, msg: DeliveryMessage): Promise<DeliveryOutcome>;
  /**
   * Record a message lost for good without a delivery call that failed (retries exhausted with no
   * dead-letter queue, an input template that produced nothing): the delivery log says why.
   */
  lost(dctx: DeliveryContext, target: string, code: string, message: string): void;
}

/** What the SNS service offers the deliverer: an in-process Publish to a topic. */
export interface SnsPublisher {
  publishInternal(
    dctx: DeliveryContext,
    topicArn: string,
    msg: { message: string; subject?: string; attributes?: Record<string, DeliveryAttribute>; groupId?: string; dedupId?: string },
  ): Promise<DeliveryOutcome> | DeliveryOutcome;
}

/** What the EventBridge service offers the deliverer: an in-process PutEvents of one event to a bus. */
export interface EventBusPublisher {
  putInternal(dctx: DeliveryContext, busArn: string, event: DeliveryEvent): Promise<DeliveryOutcome> | DeliveryOutcome;
}

/** What S3 offers the deliverer: a record written as an object (an OnFailure destination). */
export interface S3ObjectWriter {
  putInternal(dctx: DeliveryContext, bucketArn: string, key: string, body: string): Promise<DeliveryOutcome> | DeliveryOutcome;
}

/**
 * The object key of an OnFailure record in an S3 bucket [doc]:
 *   asynchronous invocation  aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>
 *   stream mapping           aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>
 */
export function s3FailureKey(prefix: string, timestampMs: number, uuid: string): string {
  const iso = new Date(timestampMs).toISOString();
  const day = iso.slice(0, 10).replace(/-/g, '/');
  const stamp = iso.slice(0, 19).replace(/:/g, '.');
  return `aws/lambda/${prefix}/${day}/${stamp}-${uuid}`;
}

/** What Lambda offers the deliverer: an asynchronous invoke (the event goes to the internal queue). */
export interface LambdaAsyncInvoker {
  invokeAsyncInternal(
    dctx: DeliveryContext,
    functionArn: string,
    payload: Buffer,
    opts: { trigger: string; principal?: string; sourceArn?: string },
  ): Promise<DeliveryOutcome> | DeliveryOutcome;
}

/** Pull the service of an ARN: arn:aws:<service>:<region>:<account>:<resource>. */
export function arnParts(arn: string): { service: string; region: string; account: string; resource: string } | undefined {
  const m = /^arn:aws[a-zA-Z-]*:([a-z0-9-]+):([a-z0-9-]*):([0-9]*):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { service: m[1], region: m[2], account: m[3], resource: m[4] };
}
