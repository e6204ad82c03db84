/**
 * What the Kinesis poller sends: the event record and a tumbling window's members (AWS's documented
 * examples, key for key and in order), the OnFailure record (the documented example and AWS's
 * recordings), what filters see of a record, and how a window's answer is read.
 */
import {
  kinesisEvent,
  kinesisFailureRecord,
  kinesisRecord,
  passesKinesisFilters,
  recordBytes,
  windowState,
  windowTime,
} from '../../src/cloud/lambda/pollers/kinesis-event';
import { compileLambdaFilter } from '../../src/cloud/patterns';
import type { ShardRecord } from '../../src/cloud/services/kinesis/types';

const DOC_SEQ = '49590338271490256608559692538361571095921575989136588898';
const ctx = { role: 'arn:aws:iam::123456789012:role/lambda-role', region: 'us-east-2', streamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream' };
const rec = (over: Partial<ShardRecord> = {}): ShardRecord => ({
  shardId: 'shardId-000000000006',
  sequenceNumber: DOC_SEQ,
  partitionKey: '1',
  data: Buffer.from('Hello, this is a test.'),
  approximateArrivalTimestamp: 1545084650987,
  ...over,
});

describe('the Kinesis event record', () => {
  it("is the documented example, member for member and in AWS's order [doc]", () => {
    const doc = {
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: '1', sequenceNumber: DOC_SEQ, data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==', approximateArrivalTimestamp: 1545084650.987 },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000006:${DOC_SEQ}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    };
    expect(JSON.stringify(kinesisRecord(rec(), ctx))).toBe(JSON.stringify(doc));
    expect(recordBytes(rec(), ctx)).toBe(Buffer.byteLength(JSON.stringify(doc)) + 1);
  });

  it('is {"Records": [...]} without a window', () => {
    const e = JSON.parse(kinesisEvent([rec()], ctx, 'shardId-000000000006').toString());
    expect(Object.keys(e)).toEqual(['Records']);
  });

  it('in a tumbling window adds window (whole seconds, no milliseconds), state, shardId, eventSourceARN and the flags, in order [doc]', () => {
    const start = Date.parse('2020-12-09T07:04:00Z');
    const e = JSON.parse(kinesisEvent([rec()], ctx, 'shardId-000000000006', { start, end: start + 120_000, state: { '1': 282, '2': 715 }, final: false, terminatedEarly: false }).toString());
    expect(Object.keys(e)).toEqual(['Records', 'window', 'state', 'shardId', 'eventSourceARN', 'isFinalInvokeForWindow', 'isWindowTerminatedEarly']);
    expect(e.window).toEqual({ start: '2020-12-09T07:04:00Z', end: '2020-12-09T07:06:00Z' });
    expect(e.state).toEqual({ '1': 282, '2': 715 });
    expect([e.shardId, e.eventSourceARN, e.isFinalInvokeForWindow, e.isWindowTerminatedEarly]).toEqual(['shardId-000000000006', ctx.streamArn, false, false]);
    const fresh = JSON.parse(kinesisEvent([], ctx, 's', { start, end: start + 1000, state: undefined, final: true, terminatedEarly: true }).toString());
    expect([fresh.Records, fresh.state, fresh.isFinalInvokeForWindow, fresh.isWindowTerminatedEarly]).toEqual([[], {}, true, true]);
    expect(windowTime(start + 5)).toBe('2020-12-09T07:04:00.005Z'); // only whole seconds lose the fraction
  });
});

describe('the OnFailure record', () => {
  const base = {
    requestId: 'c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5',
    functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
    timestamp: Date.parse('2019-11-14T00:38:06.021Z'),
    shardId: 'shardId-000000000001',
    streamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/mystream',
  };
  const records = [
    rec({ shardId: 'shardId-000000000001', sequenceNumber: '49601189658422359378836298521827638475320189012309704722', approximateArrivalTimestamp: Date.parse('2019-11-14T00:38:04.835Z') }),
    rec({ shardId: 'shardId-000000000001', sequenceNumber: '49601189658422359378836298522902373528957594348623495186', approximateArrivalTimestamp: Date.parse('2019-11-14T00:38:05.580Z') }),
  ];

  it('after exhausted retries is the documented example, in order [doc]', () => {
    const out = kinesisFailureRecord({ ...base, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1, last: { executedVersion: '$LATEST', functionError: 'Unhandled' }, records });
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        requestContext: { requestId: base.requestId, functionArn: base.functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: '2019-11-14T00:38:06.021Z',
        KinesisBatchInfo: {
          shardId: 'shardId-000000000001',
          startSequenceNumber: records[0].sequenceNumber,
          endSequenceNumber: records[1].sequenceNumber,
          approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
          approximateArrivalOfLastRecord: '2019-11-14T00:38:05.580Z',
          batchSize: 2,
          streamArn: base.streamArn,
        },
      }),
    );
  });

  it('after a partial batch response has functionError null [rec]', () => {
    const out = kinesisFailureRecord({ ...base, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4, last: { executedVersion: '$LATEST' }, records: records.slice(1) });
    expect(out.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null });
    expect(JSON.stringify(out)).toContain('"functionError":null');
  });

  it('for records past their age has no responseContext [rec]', () => {
    const out = kinesisFailureRecord({ ...base, condition: 'RecordAgeExceeded', approximateInvokeCount: 1, records: records.slice(0, 1) });
    expect(Object.keys(out)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(out.requestContext).toEqual({ requestId: base.requestId, functionArn: base.functionArn, condition: 'RecordAgeExceeded', approximateInvokeCount: 1 });
    expect((out.KinesisBatchInfo as { batchSize: number; startSequenceNumber: string; endSequenceNumber: string }).batchSize).toBe(1);
  });
});

describe('filters on a Kinesis record [doc]', () => {
  const f = (...p: unknown[]) => p.map((x) => compileLambdaFilter(JSON.stringify(x)));
  const json = (v: unknown, pk = '1') => rec({ data: Buffer.from(JSON.stringify(v)), partitionKey: pk });

  it('read fields of JSON data under `data`', () => {
    const filters = f({ data: { order: { type: ['buy'] } } });
    expect(passesKinesisFilters(filters, json({ record: 12345, order: { type: 'buy', stock: 'ANYCO' } }))).toBe(true);
    expect(passesKinesisFilters(filters, json({ order: { type: 'sell' } }))).toBe(false);
  });

  it('drop a record whose data is not JSON when they read `data` fields [doc]', () => {
    expect(passesKinesisFilters(f({ data: { order: [{ exists: true }] } }), rec({ data: Buffer.from('order=buy') }))).toBe(false);
    expect(passesKinesisFilters(f({ data: { n: [{ numeric: ['>', 0] }] } }), rec({ data: Buffer.from([0xff, 0x00, 0x12]) }))).toBe(false);
  });

  it('filter on partitionKey (a metadata property) whatever the data [doc]', () => {
    const filters = f({ partitionKey: [{ prefix: 'tenant-a' }] });
    expect(passesKinesisFilters(filters, rec({ partitionKey: 'tenant-a-7', data: Buffer.from('plain text') }))).toBe(true);
    expect(passesKinesisFilters(filters, json({ x: 1 }, 'tenant-b-1'))).toBe(false);
    const both = f({ partitionKey: ['1'], data: { Location: ['Los Angeles'] } });
    expect(passesKinesisFilters(both, json({ Location: 'Los Angeles' }, '1'))).toBe(true);
    expect(passesKinesisFilters(both, json({ Location: 'Los Angeles' }, '2'))).toBe(false);
  });

  it('are ORed; no filters pass everything', () => {
    const filters = f({ data: { a: [1] } }, { data: { b: [2] } });
    expect([{ a: 1 }, { b: 2 }, { c: 3 }].map((v) => passesKinesisFilters(filters, json(v)))).toEqual([true, true, false]);
    expect(passesKinesisFilters([], rec({ data: Buffer.from('anything') }))).toBe(true);
  });

  it('compare numbers by their text: 300 does not match 300.0 [doc]', () => {
    const filters = f({ data: { price: [300] } });
    expect(passesKinesisFilters(filters, rec({ data: Buffer.from('{"price": 300}') }))).toBe(true);
    expect(passesKinesisFilters(filters, rec({ data: Buffer.from('{"price": 300.0}') }))).toBe(false);
  });
});

describe("a tumbling window's answer", () => {
  it('has a state, or the invocation failed [doc]', () => {
    expect(windowState(Buffer.from('{"state":{"n":1},"batchItemFailures":[]}'))).toEqual({ found: true, state: { n: 1 } });
    expect(windowState(Buffer.from('{"state":null}'))).toEqual({ found: true, state: null });
    for (const bad of ['{}', '{"batchItemFailures":[]}', 'null', '[]', '', 'not json', '"state"']) expect(windowState(Buffer.from(bad))).toEqual({ found: false });
  });
});
