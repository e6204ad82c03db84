/**
 * The SQS event Lambda sends [doc][rec]:
 *   {"Records": [{"messageId", "receiptHandle", "body", "attributes": {...}, "messageAttributes": {...},
 *     "md5OfMessageAttributes"?, "md5OfBody", "eventSource": "aws:sqs", "eventSourceARN", "awsRegion"}]}
 * `attributes` holds the system attributes as strings (FIFO adds SequenceNumber, MessageGroupId,
 * MessageDeduplicationId; AWSTraceHeader when the message has one); a message attribute is
 * {stringValue | binaryValue (base64), stringListValues: [], binaryListValues: [], dataType} [rec].
 * `md5OfMessageAttributes` is there when the message has attributes; without any, AWS's recordings
 * leave it out for mappings without a batching window and show it as null with one [rec].
 *
 * Also what a filter sees of a message: the same record with the body parsed when it is JSON [doc].
 */
import { parsePayload, passesFilters } from './filters';
import type { SqsMessage } from '../../services/sqs/types';
import type { CompiledFilter } from './types';

export interface RecordSource {
  queueArn: string;
  region: string;
  /** The mapping has a batching window (then a message without attributes shows md5OfMessageAttributes: null). */
  windowed: boolean;
}

/** The AWSTraceHeader a message was sent with, if any. */
export function traceHeaderOf(m: SqsMessage): string | undefined {
  return m.messageSystemAttributes.AWSTraceHeader?.StringValue;
}

/** One record of the event, as a plain object (keys in AWS's order). */
export function sqsRecord(m: SqsMessage, receiptHandle: string, src: RecordSource): Record<string, unknown> {
  const attributes: Record<string, string> = { ApproximateReceiveCount: String(m.receiveCount) };
  const trace = traceHeaderOf(m);
  if (trace !== undefined) attributes.AWSTraceHeader = trace;
  attributes.SentTimestamp = String(m.sentTimestamp);
  if (m.sequenceNumber !== undefined) attributes.SequenceNumber = m.sequenceNumber;
  if (m.messageGroupId !== undefined) attributes.MessageGroupId = m.messageGroupId;
  attributes.SenderId = m.senderId;
  if (m.messageDeduplicationId !== undefined) attributes.MessageDeduplicationId = m.messageDeduplicationId;
  if (m.firstReceiveTimestamp !== undefined) attributes.ApproximateFirstReceiveTimestamp = String(m.firstReceiveTimestamp);
  if (m.deadLetterQueueSourceArn !== undefined) attributes.DeadLetterQueueSourceArn = m.deadLetterQueueSourceArn;
  const messageAttributes: Record<string, unknown> = {};
  const names = Object.keys(m.messageAttributes);
  for (const name of names) {
    const a = m.messageAttributes[name];
    messageAttributes[name] =
      a.BinaryValue !== undefined
        ? { binaryValue: a.BinaryValue.toString('base64'), stringListValues: [], binaryListValues: [], dataType: a.DataType }
        : { stringValue: a.StringValue, stringListValues: [], binaryListValues: [], dataType: a.DataType };
  }
  const record: Record<string, unknown> = {
    messageId: m.messageId,
    receiptHandle,
    body: m.body,
    attributes,
    messageAttributes,
  };
  if (names.length > 0 && m.md5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = m.md5OfMessageAttributes;
  else if (src.windowed) record.md5OfMessageAttributes = null; // [rec]
  record.md5OfBody = m.md5OfBody;
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = src.queueArn;
  record.awsRegion = src.region;
  return record;
}

/** The event's bytes around its records: {"Records":[ ... ]} and the commas between them. */
export const EVENT_OVERHEAD_BYTES = Buffer.byteLength('{"Records":[]}');

/** The event for records already serialized (each JSON text). */
export function eventPayload(recordTexts: string[]): Buffer {
  return Buffer.from(`{"Records":[${recordTexts.join(',')}]}`, 'utf8');
}

/**
 * Whether a message passes the mapping's filters (any of them) [doc]. A filter that reads fields of
 * the body needs a JSON body, one that matches the body itself needs a plain one: a message whose
 * body is in the other format is dropped by that filter.
 */
export function passesSqsFilters(filters: CompiledFilter[], record: Record<string, unknown>): boolean {
  if (filters.length === 0) return true;
  const payload = parsePayload(record.body as string);
  return passesFilters(filters, 'body', { ...record, body: payload.value }, payload.json);
}
