/**
 * What the Kinesis poller sends: the Kinesis event record Lambda hands the function [doc], the extra
 * members of a tumbling-window invoke, what a filter sees of a record, and the OnFailure record with
 * its KinesisBatchInfo [doc] (§9).
 */
import { parseEventJson } from '../../patterns';
import type { ShardRecord } from '../../services/kinesis/types';
import type { CompiledFilter } from './types';

export interface RecordContext {
  role: string;
  region: string;
  streamArn: string;
}

/** One record of the event, key order as AWS writes it. */
export function kinesisRecord(r: ShardRecord, c: RecordContext): Record<string, unknown> {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.partitionKey,
      sequenceNumber: r.sequenceNumber,
      data: r.data.toString('base64'),
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

export interface WindowInfo {
  start: number;
  end: number;
  state: unknown;
  final: boolean;
  terminatedEarly: boolean;
}

/** The event: `{Records}`, and for a tumbling window the window, state and final-invoke members [doc]. */
export function kinesisEvent(records: ShardRecord[], c: RecordContext, shardId: string, window?: WindowInfo): Buffer {
  const event: Record<string, unknown> = { Records: records.map((r) => kinesisRecord(r, c)) };
  if (window) {
    event.window = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
    event.state = window.state ?? {};
    event.shardId = shardId;
    event.eventSourceARN = c.streamArn;
    event.isFinalInvokeForWindow = window.final;
    event.isWindowTerminatedEarly = window.terminatedEarly;
  }
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** Whether a record passes the mapping's filters: they see the record with `data` decoded and parsed when it is JSON [doc]. */
export function passesKinesisFilters(filters: CompiledFilter[], r: ShardRecord, c: RecordContext): boolean {
  if (filters.length === 0) return true;
  const text = r.data.toString('utf8');
  let parsed: unknown;
  let json = false;
  try {
    parsed = parseEventJson(text);
    json = parsed !== null && typeof parsed === 'object';
  } catch {
    json = false;
  }
  // [doc] Kinesis filters name the members of the record's `kinesis` object: `partitionKey`, `data`, ...
  const view = { ...(kinesisRecord(r, c).kinesis as object), data: json ? parsed : text };
  return filters.some((f) => {
    const format = f.dataFormat('data');
    if (format === 'json' && !json) return false;
    if (format === 'plain' && json) return false;
    return f.matches(view);
  });
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The OnFailure record of a Kinesis mapping: what failed, without the records themselves [doc]. */
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
  if (input.last) {
    const rc: Record<string, unknown> = { statusCode: 200, executedVersion: input.last.executedVersion };
    if (input.last.functionError) rc.functionError = input.last.functionError;
    out.responseContext = rc;
  }
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
