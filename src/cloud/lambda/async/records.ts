/**
 * What the asynchronous model writes when an event ends: the invocation record sent to an OnSuccess
 * or OnFailure destination, the message a dead-letter queue gets, and the EventBridge form of the
 * record. Pure functions of the event and its last attempt.
 */
import type { DeliveryAttribute, DeliveryEvent } from '../../deliver/types';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The last attempt's answer, as the record's responseContext / responsePayload show it. */
export interface AttemptResult {
  statusCode: number;
  executedVersion: string;
  functionError?: string;
  payload: Buffer;
}

export interface RecordInput {
  requestId: string;
  /** The function ARN with its qualifier (`...:function:name:$LATEST` when invoked unqualified). */
  functionArn: string;
  condition: Condition;
  approximateInvokeCount: number;
  /** Virtual epoch ms at which the record is written. */
  timestamp: number;
  requestPayload: Buffer;
  /** Absent when the event never ran (throttled until it expired, zero reserved concurrency). */
  last?: AttemptResult;
}

/** SNS destinations take messages up to 256 KB: a record over it loses its payloads [model]. */
export const SNS_RECORD_LIMIT = 262_144;

/** A payload as the record embeds it: JSON when it parses, else the text. */
function embed(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The invocation record [doc][rec]: key order as AWS writes it. */
export function invocationRecord(r: RecordInput, opts: { withoutPayloads?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(r.timestamp).toISOString(),
    requestContext: {
      requestId: r.requestId,
      functionArn: r.functionArn,
      condition: r.condition,
      approximateInvokeCount: r.approximateInvokeCount,
    },
  };
  if (!opts.withoutPayloads) out.requestPayload = embed(r.requestPayload);
  if (r.last) {
    const rc: Record<string, unknown> = { statusCode: r.last.statusCode, executedVersion: r.last.executedVersion };
    if (r.last.functionError) rc.functionError = r.last.functionError;
    out.responseContext = rc;
    if (!opts.withoutPayloads) out.responsePayload = embed(r.last.payload);
  }
  return out;
}

/** The record as the text a destination of this service gets (SNS: without payloads when over 256 KB). */
export function recordText(r: RecordInput, destinationService: string): string {
  const text = JSON.stringify(invocationRecord(r));
  if (destinationService === 'sns' && Buffer.byteLength(text) > SNS_RECORD_LIMIT) {
    return JSON.stringify(invocationRecord(r, { withoutPayloads: true }));
  }
  return text;
}

/** The record as an EventBridge destination puts it [rec]: resources = [bus ARN, qualified function ARN]. */
export function recordEvent(r: RecordInput, busArn: string): DeliveryEvent {
  return {
    source: 'lambda',
    detailType: r.condition === 'Success' ? 'Lambda Function Invocation Result - Success' : 'Lambda Function Invocation Result - Failure',
    detail: JSON.stringify(invocationRecord(r)),
    resources: [busArn, r.functionArn],
    time: new Date(r.timestamp),
  };
}

/**
 * The message attributes of a dead-letter message [doc][rec]: RequestID, ErrorCode (the HTTP status
 * of the last answer, "200" for a function error) and ErrorMessage (its first 1 KB).
 */
export function deadLetterAttributes(requestId: string, errorCode: number, errorMessage: string): Record<string, DeliveryAttribute> {
  return {
    RequestID: { DataType: 'String', StringValue: requestId },
    ErrorCode: { DataType: 'Number', StringValue: String(errorCode) },
    ErrorMessage: { DataType: 'String', StringValue: truncateUtf8(errorMessage || ' ', 1024) },
  };
}

/** The errorMessage of a function error payload (or the text itself). */
export function errorMessageOf(payload: Buffer): string {
  const text = payload.toString('utf8');
  try {
    const v = JSON.parse(text) as { errorMessage?: unknown };
    if (v && typeof v === 'object' && typeof v.errorMessage === 'string') return v.errorMessage;
  } catch {
    // not JSON: the text is the message
  }
  return text;
}

function truncateUtf8(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--; // do not cut a character in two
  return b.subarray(0, end).toString('utf8');
}
