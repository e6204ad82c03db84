/**
 * Messaging triggers' events, in the shapes this cloud's triggers produce (and AWS's):
 *   sns                   Records[0] {EventSource, EventVersion, EventSubscriptionArn, Sns {...}}:
 *                         Subject null when unset, SigningCertUrl/UnsubscribeUrl casing, SignatureVersion
 *                         "1", MessageAttributes {Type, Value} always [rec] (services/sns/envelope.ts)
 *   sqs, sqs-fifo         Records[] {messageId, receiptHandle, body, attributes, messageAttributes,
 *                         md5OfMessageAttributes (when there are attributes), md5OfBody, eventSource,
 *                         eventSourceARN, awsRegion}; FIFO adds SequenceNumber, MessageGroupId,
 *                         MessageDeduplicationId [doc][rec] (lambda/pollers/sqs-event.ts)
 *   eventbridge           {version "0", id, detail-type, source, account, time (to the second),
 *                         region, resources, detail} (services/events)
 *   eventbridge-scheduled a schedule rule's "Scheduled Event" from aws.events, resources [rule ARN]
 */
import { createHash } from 'node:crypto';
import { md5OfAttributes, md5OfBody } from '../cloud/services/sqs/md5';
import type { MessageAttributeValue } from '../cloud/services/sqs/types';
import { isoSeconds, isoTime, resolve, type Resolved } from './context';
import { int, list, pairs, str, text } from './options';
import { TemplateError, type EventTemplate, type Pairs } from './types';

/** Attribute values: a number-looking value is a Number, anything else a String. */
function attributeType(value: string): 'String' | 'Number' {
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? 'Number' : 'String';
}

// ---------------------------------------------------------------- SNS

function sns(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const topicArn = str(o, 'topicArn', `arn:aws:sns:${r.region}:${r.accountId}:${str(o, 'topic', 'example-topic')}`);
  const subscriptionArn = `${topicArn}:${r.uuid()}`;
  const subject = str(o, 'subject', 'TestInvoke');
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const [k, v] of pairs(o, 'attributes') ?? []) attributes[k] = { Type: attributeType(v), Value: v };
  const endpoint = `https://sns.${r.region}.amazonaws.com`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: r.uuid(),
          TopicArn: topicArn,
          Subject: subject === '' ? null : subject,
          Message: text(o, 'message', 'Hello from SNS!'),
          Timestamp: isoTime(r.now),
          SignatureVersion: '1',
          Signature: `${r.b64(342)}==`,
          SigningCertUrl: `${endpoint}/SimpleNotificationService-${r.hex(32)}.pem`,
          UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

// ---------------------------------------------------------------- SQS

interface SqsMessageSpec {
  body: string;
  attributes: Pairs;
  fifo?: { groupId: string; deduplicationId: string; sequenceNumber: string };
}

/** One SQS record, keys in the order AWS (and lambda/pollers/sqs-event.ts) writes them. */
function sqsRecord(m: SqsMessageSpec, queueArn: string, sentAt: number, r: Resolved): Record<string, unknown> {
  const attributes: Record<string, string> = { ApproximateReceiveCount: '1', SentTimestamp: String(sentAt) };
  if (m.fifo) {
    attributes.SequenceNumber = m.fifo.sequenceNumber;
    attributes.MessageGroupId = m.fifo.groupId;
  }
  attributes.SenderId = `AIDA${r.alnum(17).toUpperCase()}`;
  if (m.fifo) attributes.MessageDeduplicationId = m.fifo.deduplicationId;
  attributes.ApproximateFirstReceiveTimestamp = String(sentAt + 3);
  const messageAttributes: Record<string, unknown> = {};
  const forMd5: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of m.attributes) {
    const dataType = attributeType(v);
    messageAttributes[k] = { stringValue: v, stringListValues: [], binaryListValues: [], dataType };
    forMd5[k] = { DataType: dataType, StringValue: v };
  }
  const record: Record<string, unknown> = {
    messageId: r.uuid(),
    receiptHandle: `AQEB${r.b64(168)}`,
    body: m.body,
    attributes,
    messageAttributes,
  };
  const md5 = md5OfAttributes(forMd5);
  if (md5 !== undefined) record.md5OfMessageAttributes = md5;
  record.md5OfBody = md5OfBody(m.body);
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = queueArn;
  record.awsRegion = r.region;
  return record;
}

function bodies(o: Record<string, unknown>, count: number, fallback: string): string[] {
  const given = list(o, 'bodies');
  if (given?.length) return Array.from({ length: Math.max(count, given.length) }, (_, i) => given[i % given.length]);
  const one = text(o, 'body', fallback);
  return Array.from({ length: count }, () => one);
}

function sqs(o: Record<string, unknown>, r: Resolved, fifo: boolean): Record<string, unknown> {
  let queue = str(o, 'queue', fifo ? 'example-queue.fifo' : 'example-queue');
  if (fifo && !queue.endsWith('.fifo')) queue += '.fifo';
  const queueArn = `arn:aws:sqs:${r.region}:${r.accountId}:${queue}`;
  const count = int(o, 'batchSize', 1);
  const attributes = pairs(o, 'attributes') ?? [];
  const groupId = str(o, 'messageGroupId', '1');
  const seqBase = BigInt(`1${String(r.now).padStart(13, '0').slice(-13)}000000`);
  const records = bodies(o, count, fifo ? 'Test message.' : 'Hello from SQS!').map((body, i) =>
    sqsRecord(
      {
        body,
        attributes,
        fifo: fifo
          ? {
              groupId,
              // [doc] content-based deduplication: the SHA-256 of the body
              deduplicationId: typeof o.deduplicationId === 'string' ? `${o.deduplicationId}${count > 1 ? `-${i + 1}` : ''}` : createHash('sha256').update(count > 1 ? `${body}#${i + 1}` : body).digest('hex'),
              // [doc] 20-digit, increasing within the queue
              sequenceNumber: (seqBase + BigInt(i)).toString().padStart(20, '1'),
            }
          : undefined,
      },
      queueArn,
      r.now - 1000 + i,
      r,
    ),
  );
  return { Records: records };
}

// ---------------------------------------------------------------- EventBridge

function eventBridge(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const detail = o.detail === undefined ? { message: 'Hello from EventBridge!' } : o.detail;
  // [doc] PutEvents refuses a Detail that is not a JSON object
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) throw new TemplateError(`--detail: must be a JSON object, got ${JSON.stringify(detail)}`);
  return {
    version: '0',
    id: r.uuid(),
    'detail-type': str(o, 'detailType', 'Example Event'),
    source: str(o, 'source', 'com.example.app'),
    account: r.accountId,
    time: isoSeconds(r.now),
    region: r.region,
    resources: list(o, 'resources') ?? [],
    detail,
  };
}

function scheduled(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const rule = str(o, 'rule', 'example-schedule');
  const bus = str(o, 'eventBus', 'default');
  const ruleArn = bus === 'default' ? `arn:aws:events:${r.region}:${r.accountId}:rule/${rule}` : `arn:aws:events:${r.region}:${r.accountId}:rule/${bus}/${rule}`;
  return {
    version: '0',
    id: r.uuid(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: r.accountId,
    // a schedule fires on whole minutes for cron expressions; the event carries its due time
    time: isoSeconds(r.now),
    region: r.region,
    resources: [ruleArn],
    detail: {},
  };
}

const ATTRIBUTES_HELP = 'message attributes: name=value (repeatable) or a JSON object; number-looking values are Number, the rest String';

export const MESSAGING_TEMPLATES: EventTemplate[] = [
  {
    name: 'sns',
    family: 'messaging',
    title: 'SNS notification delivered to a subscribed function',
    options: [
      { name: 'message', type: 'json', description: 'the message (text; JSON is kept as its text)', default: 'Hello from SNS!' },
      { name: 'subject', type: 'string', description: 'the subject ("" for none: Subject null)', default: 'TestInvoke' },
      { name: 'attributes', type: 'map', description: ATTRIBUTES_HELP, default: 'none' },
      { name: 'topic', type: 'string', description: 'topic name', default: 'example-topic' },
      { name: 'topicArn', type: 'string', description: 'topic ARN (instead of --topic)' },
    ],
    mapPaths: ['Records[].Sns.MessageAttributes'],
    freePaths: ['Records[].Sns.Message'],
    build: (o, ctx) => sns(o, resolve(ctx)),
  },
  {
    name: 'sqs',
    family: 'messaging',
    title: 'SQS standard queue batch from an event source mapping',
    options: [
      { name: 'body', type: 'json', description: 'message body (text; JSON is kept as its text)', default: 'Hello from SQS!' },
      { name: 'bodies', type: 'list', description: 'one body per record (repeatable or a JSON array); overrides --body' },
      { name: 'batchSize', type: 'integer', description: 'number of records', default: '1', min: 1, max: 10_000 },
      { name: 'attributes', type: 'map', description: ATTRIBUTES_HELP, default: 'none' },
      { name: 'queue', type: 'string', description: 'queue name', default: 'example-queue' },
    ],
    mapPaths: ['Records[].messageAttributes'],
    freePaths: ['Records[].body'],
    build: (o, ctx) => sqs(o, resolve(ctx), false),
  },
  {
    name: 'sqs-fifo',
    family: 'messaging',
    title: 'SQS FIFO queue batch from an event source mapping',
    options: [
      { name: 'body', type: 'json', description: 'message body (text; JSON is kept as its text)', default: 'Test message.' },
      { name: 'bodies', type: 'list', description: 'one body per record (repeatable or a JSON array); overrides --body' },
      { name: 'batchSize', type: 'integer', description: 'number of records', default: '1', min: 1, max: 10 },
      { name: 'messageGroupId', type: 'string', description: 'message group id', default: '1' },
      { name: 'deduplicationId', type: 'string', description: "deduplication id (default: the body's SHA-256, as content-based deduplication)" },
      { name: 'attributes', type: 'map', description: ATTRIBUTES_HELP, default: 'none' },
      { name: 'queue', type: 'string', description: 'queue name (".fifo" is added when missing)', default: 'example-queue.fifo' },
    ],
    mapPaths: ['Records[].messageAttributes'],
    freePaths: ['Records[].body'],
    build: (o, ctx) => sqs(o, resolve(ctx), true),
  },
  {
    name: 'eventbridge',
    family: 'messaging',
    title: 'EventBridge event delivered to a rule target',
    options: [
      { name: 'source', type: 'string', description: 'event source', default: 'com.example.app' },
      { name: 'detailType', type: 'string', description: 'detail-type', default: 'Example Event' },
      { name: 'detail', type: 'json', description: 'detail (a JSON object)', default: '{"message":"Hello from EventBridge!"}' },
      { name: 'resources', type: 'list', description: 'resource ARNs (repeatable or a JSON array)', default: '[]' },
    ],
    mapPaths: [],
    freePaths: ['detail'],
    build: (o, ctx) => eventBridge(o, resolve(ctx)),
  },
  {
    name: 'eventbridge-scheduled',
    family: 'messaging',
    title: 'EventBridge schedule rule firing ("Scheduled Event")',
    options: [
      { name: 'rule', type: 'string', description: 'rule name', default: 'example-schedule' },
      { name: 'eventBus', type: 'string', description: "the rule's event bus", default: 'default' },
    ],
    mapPaths: [],
    freePaths: ['detail'],
    build: (o, ctx) => scheduled(o, resolve(ctx)),
  },
];
