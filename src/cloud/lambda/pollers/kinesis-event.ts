/**
 * What the Kinesis poller sends and reads: the Kinesis event record Lambda hands the function [doc],
 * the extra members of a tumbling-window invoke [doc], what a filter sees of a record [doc], the
 * OnFailure record with its KinesisBatchInfo [doc][rec] (§9), and the `state` of a window's answer.
 */
import { parsePayload, passesFilters } from './filters';
import type { ShardRecord } from '../../services/kinesis/types';
import type { CompiledFilter } from './types';

export interface RecordContext {
  /** The function's execution role (`invokeIdentityArn`). */
  role: string;
  region: string;
  streamArn: string;
}

/** One record of the event, key order as AWS writes it [doc][rec]. */
export function kinesisRecord(r: ShardRecord, c: RecordContext): Record<string, unknown> {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.partitionKey,
      sequenceNumber: r.sequenceNumber,
      data: r.data.toString('base64'),
      // [doc] epoch seconds with the milliseconds as a fraction: 1545084650.987
      approximateArrivalTimestamp: r.approximateArrivalTimestamp / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${r.shardId}:${r.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: c.role,
    awsRegion: c.region,
    eventSourceARN: c.streamArn,
  };
}

/** The bytes one record adds to the event (its JSON text and the comma before it). */
export function recordBytes(r: ShardRecord, c: RecordContext): number {
  return Buffer.byteLength(JSON.stringify(kinesisRecord(r, c))) + 1;
}

export interface WindowInfo {
  /** Virtual epoch ms; windows are whole seconds. */
  start: number;
  end: number;
  state: unknown;
  final: boolean;
  terminatedEarly: boolean;
}

/** [doc] Window bounds print without milliseconds: "2020-12-09T07:04:00Z". */
export function windowTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The event: `{Records}`, and for a tumbling window the window, state and final-invoke members [doc]. */
export function kinesisEvent(records: ShardRecord[], c: RecordContext, shardId: string, window?: WindowInfo): Buffer {
  const event: Record<string, unknown> = { Records: records.map((r) => kinesisRecord(r, c)) };
  if (window) {
    event.window = { start: windowTime(window.start), end: windowTime(window.end) };
    event.state = window.state ?? {};
    event.shardId = shardId;
    event.eventSourceARN = c.streamArn;
    event.isFinalInvokeForWindow = window.final;
    event.isWindowTerminatedEarly = window.terminatedEarly;
  }
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** The event's bytes besides its records: `{"Records":[]}`, and a window's members and state. */
export function eventOverheadBytes(window?: { state: unknown }): number {
  const base = Buffer.byteLength('{"Records":[]}');
  if (!window) return base;
  // window, shardId, eventSourceARN and the two flags: a generous fixed part, plus the state's text.
  return base + 600 + Buffer.byteLength(JSON.stringify(window.state ?? {}));
}

/**
 * Whether a record passes the mapping's filters (any of them) [doc]. A filter sees the record's
 * `kinesis` members (`partitionKey`, `sequenceNumber`, ... as metadata properties) with `data`
 * decoded: parsed when it is a JSON object, else its text. Streams need JSON data: a filter on
 * fields of `data` drops a record whose data is not JSON; a record is filtered on its other
 * members only when the filter does not look at `data` ("Properly filtering Kinesis and DynamoDB
 * messages" [doc]). (AWS refuses a plain-text `data` filter for streams when the mapping is created;
 * should one get here, it matches non-JSON data by its text, as for SQS.)
 */
export function passesKinesisFilters(filters: CompiledFilter[], r: ShardRecord): boolean {
  if (filters.length === 0) return true;
  const payload = parsePayload(r.data.toString('utf8'));
  const view = {
    kinesisSchemaVersion: '1.0',
    partitionKey: r.partitionKey,
    sequenceNumber: r.sequenceNumber,
    approximateArrivalTimestamp: r.approximateArrivalTimestamp / 1000,
    data: payload.value,
  };
  return passesFilters(filters, 'data', view, payload.json);
}

/** [doc][rec] Why a batch went to the OnFailure destination. */
export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * The OnFailure record of a Kinesis mapping: what failed, without the records themselves [doc].
 * [rec] `requestContext.functionArn` is the mapping's function ARN as configured (unqualified when
 * the mapping names none); RetryAttemptsExhausted carries `responseContext` with `functionError`
 * null when the function answered without an error (a partial batch response); RecordAgeExceeded has
 * no `responseContext`.
 */
export function kinesisFailureRecord(input: {
  requestId: string;
  functionArn: string;
  condition: FailureCondition;
  approximateInvokeCount: number;
  last?: { executedVersion: string; functionError?: string };
  timestamp: number;
  shardId: string;
  records: ShardRecord[];
  streamArn: string;
}): Record<string, unknown> {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  const out: Record<string, unknown> = {
    requestContext: { requestId: input.requestId, functionArn: input.functionArn, condition: input.condition, approximateInvokeCount: input.approximateInvokeCount },
  };
  if (input.last) out.responseContext = { statusCode: 200, executedVersion: input.last.executedVersion, functionError: input.last.functionError ?? null };
  out.version = '1.0';
  out.timestamp = new Date(input.timestamp).toISOString();
  out.KinesisBatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: new Date(first.approximateArrivalTimestamp).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.approximateArrivalTimestamp).toISOString(),
    batchSize: input.records.length,
    streamArn: input.streamArn,
  };
  return out;
}

/**
 * The `state` of a tumbling-window answer: `{ found: false }` when the answer has none, which Lambda
 * counts as a failed invocation [doc].
 */
export function windowState(payload: Buffer): { found: true; state: unknown } | { found: false } {
  try {
    const v = JSON.parse(payload.toString('utf8')) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'state' in v) return { found: true, state: (v as { state: unknown }).state };
  } catch {
    // not JSON: no state
  }
  return { found: false };
}

/** [doc] A window's state may be 1 MB per shard; past that Lambda ends the window early. */
export const MAX_WINDOW_STATE_BYTES = 1_048_576;

export function stateBytes(state: unknown): number {
  return Buffer.byteLength(JSON.stringify(state ?? {}) ?? '');
}
