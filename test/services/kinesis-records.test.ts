/**
 * Kinesis's data plane through the wire: PutRecord, PutRecords, GetShardIterator (all five types),
 * GetRecords, with @aws-sdk/client-kinesis as users make it (HTTP/2) and over HTTP/1.1. Routing by
 * MD5, sequence numbers, arrival times on the virtual clock, iterator expiry, the end of a closed
 * shard (ChildShards), retention, the per-shard write limits switched on through /_testbed/config,
 * and every bad input with AWS's code, status and text.
 */
import http2 from 'node:http2';
import net from 'node:net';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { evenRanges, partitionHashKey } from '../../src/cloud/services/kinesis/hashing';
import { expectError } from './helpers';
import { ACCOUNT, arnOf, kinesisClient, kinesisHttp1Client, notFound, rawKinesis, uniq } from './kinesis-helpers';

let cloud: RunningCloud;
let k: KinesisClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  k = kinesisClient(cloud.endpoint);
});
afterAll(async () => {
  k.destroy();
  await cloud.stop();
});

async function newStream(shards = 1): Promise<string> {
  const StreamName = uniq('r');
  await k.send(new CreateStreamCommand({ StreamName, ShardCount: shards }));
  return StreamName;
}

async function iterator(StreamName: string, ShardId: string, ShardIteratorType: ShardIteratorType, extra: { StartingSequenceNumber?: string; Timestamp?: Date } = {}): Promise<string> {
  return (await k.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType, ...extra }))).ShardIterator!;
}

const texts = (records: { Data?: Uint8Array }[] | undefined) => (records ?? []).map((r) => Buffer.from(r.Data ?? []).toString());

/** Move the virtual clock to the start of the next second (the write limits count per second). */
function alignToSecond(): void {
  const now = cloud.cloud.clock.now();
  cloud.cloud.clock.advance(1000 - (now % 1000));
}

describe('writes', () => {
  it('routes each record to the shard whose hash range holds the MD5 of its partition key, with rising sequence numbers', async () => {
    const name = await newStream(4);
    const ranges = evenRanges(4);
    const bySeq = new Map<string, string[]>();
    for (let i = 0; i < 40; i++) {
      const key = `key-${i}`;
      const r = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: Buffer.from(String(i)) }));
      const h = partitionHashKey(key);
      const expected = ranges.findIndex((x) => h >= x.start && h <= x.end);
      expect(r.ShardId).toBe(`shardId-00000000000${expected}`);
      expect(r.SequenceNumber).toMatch(/^\d{56}$/);
      expect(r.EncryptionType).toBeUndefined();
      bySeq.set(r.ShardId!, [...(bySeq.get(r.ShardId!) ?? []), r.SequenceNumber!]);
    }
    expect(bySeq.size).toBe(4);
    for (const seqs of bySeq.values()) {
      for (let i = 1; i < seqs.length; i++) expect(BigInt(seqs[i]) > BigInt(seqs[i - 1])).toBe(true);
    }
  });

  it('ExplicitHashKey overrides the partition key; out of range is InvalidArgumentException [obs]', async () => {
    const name = await newStream(2);
    const ranges = evenRanges(2);
    const r = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', ExplicitHashKey: ranges[1].start.toString(), Data: Buffer.from('x') }));
    expect(r.ShardId).toBe('shardId-000000000001');
    const big = (1n << 128n).toString();
    await expectError(
      k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', ExplicitHashKey: big, Data: Buffer.from('x') })),
      'InvalidArgumentException',
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${big}`,
    );
    await expectError(
      k.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }, { PartitionKey: 'a', ExplicitHashKey: big, Data: Buffer.from('x') }] })),
      'InvalidArgumentException',
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${big}`,
    );
  });

  it('PutRecords answers one result per record, in order, and FailedRecordCount', async () => {
    const name = await newStream(3);
    const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `p${i % 7}`, Data: Buffer.from(`d${i}`) }));
    const out = await k.send(new PutRecordsCommand({ StreamARN: arnOf(name), Records: records }));
    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records).toHaveLength(500);
    const ranges = evenRanges(3);
    out.Records!.forEach((r, i) => {
      const h = partitionHashKey(`p${i % 7}`);
      expect(r.ShardId).toBe(`shardId-00000000000${ranges.findIndex((x) => h >= x.start && h <= x.end)}`);
      expect(r.ErrorCode).toBeUndefined();
    });
    // Order within a shard follows the request.
    const it0 = await iterator(name, out.Records![0].ShardId!, 'TRIM_HORIZON');
    const got = texts((await k.send(new GetRecordsCommand({ ShardIterator: it0 }))).Records);
    const sent = records.filter((_, i) => out.Records![i].ShardId === out.Records![0].ShardId).map((r) => r.Data.toString());
    expect(got).toEqual(sent);
  });

  it('keeps data byte for byte: empty, unicode, binary [rec]', async () => {
    const name = await newStream(1);
    const datas = [Buffer.alloc(0), Buffer.from('ünicödé 统一码 💣💻🔥'), Buffer.from([0, 255, 1, 254]), Buffer.alloc(1000, 'a')];
    for (const Data of datas) await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: '1', Data }));
    const r = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(name, 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(r.Records!.map((x) => Buffer.from(x.Data!))).toEqual(datas);
    expect(r.Records!.map((x) => x.PartitionKey)).toEqual(['1', '1', '1', '1']);
  });

  it('refuses bad records: validation texts [obs], too large, too many, bad SequenceNumberForOrdering', async () => {
    const name = await newStream(1);
    const v = await rawKinesis(cloud.endpoint, 'PutRecord', { StreamName: name, PartitionKey: '', Data: '', ExplicitHashKey: '', SequenceNumberForOrdering: '' });
    expect(v.json).toEqual({
      __type: 'ValidationException',
      message:
        "3 validation errors detected: Value '' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); " +
        "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    });
    const missing = await rawKinesis(cloud.endpoint, 'PutRecord', { StreamName: name });
    expect(missing.json.message).toBe(
      "2 validation errors detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null; Value null at 'data' failed to satisfy constraint: Member must not be null",
    );
    const longKey = 'k'.repeat(257);
    await expectError(
      k.send(new PutRecordCommand({ StreamName: name, PartitionKey: longKey, Data: Buffer.from('x') })),
      'ValidationException',
      `1 validation error detected: Value '${longKey}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await expectError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.alloc(1024 * 1024 + 1) })), 'InvalidArgumentException');
    await expectError(
      k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.alloc(10 * 1024 * 1024 + 1) })),
      'ValidationException',
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760",
    );
    await expectError(
      k.send(new PutRecordsCommand({ StreamName: name, Records: [] })),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const many = await rawKinesis(cloud.endpoint, 'PutRecords', { StreamName: name, Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'a', Data: '' })) });
    expect(many.json.message).toMatch(/^1 validation error detected: Value '\[com\.amazonaws\.kinesis\.v20131202\.PutRecordsRequestEntry@c965e310, .*' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/);
    const entry = await rawKinesis(cloud.endpoint, 'PutRecords', { StreamName: name, Records: [{ PartitionKey: '', Data: '', ExplicitHashKey: '' }] });
    expect(entry.json.message).toBe(
      "2 validation errors detected: Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'records.1.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
    const tooMuch = Array.from({ length: 11 }, () => ({ PartitionKey: 'a', Data: Buffer.alloc(1024 * 1024) }));
    await expectError(k.send(new PutRecordsCommand({ StreamName: name, Records: tooMuch })), 'InvalidArgumentException');
    const seq = BigInt('0x20000000000800000000000000000000000000000000002').toString();
    await expectError(
      k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x'), SequenceNumberForOrdering: seq })),
      'InvalidArgumentException',
      `ExclusiveMinimumSequenceNumber ${seq} used in PutRecord on stream ${name} under account ${ACCOUNT} is invalid.`,
    );
    const first = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x') }));
    const second = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('y'), SequenceNumberForOrdering: first.SequenceNumber }));
    expect(BigInt(second.SequenceNumber!) > BigInt(first.SequenceNumber!)).toBe(true);
  });

  it('refuses Data that is not base64 with SerializationException [obs]', async () => {
    const name = await newStream(1);
    const cases: [string, string][] = [
      ['abc', "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"],
      ['ab!d', "'ab!d' can not be converted to a Blob: Invalid Base64 character: '!'"],
      ['a=bc', "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='"],
      ['YR==', "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    ];
    for (const [data, message] of cases) {
      const r = await rawKinesis(cloud.endpoint, 'PutRecord', { StreamName: name, PartitionKey: 'a', Data: data });
      expect([r.status, r.json]).toEqual([400, { __type: 'SerializationException', Message: message }]);
    }
    const n = await rawKinesis(cloud.endpoint, 'PutRecord', { StreamName: name, PartitionKey: 'a', Data: 5 });
    expect(n.json.__type).toBe('SerializationException');
    const list = await rawKinesis(cloud.endpoint, 'PutRecords', { StreamName: name, Records: { a: 1 } });
    expect(list.json.__type).toBe('SerializationException');
  });
});

describe('reads', () => {
  it('GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP', async () => {
    const name = await newStream(1);
    const shard = 'shardId-000000000000';
    const seqs: string[] = [];
    for (const d of ['a', 'b']) seqs.push((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from(d) }))).SequenceNumber!);
    cloud.cloud.clock.advance(5000);
    const tC = cloud.cloud.clock.now();
    const latest = await iterator(name, shard, 'LATEST');
    for (const d of ['c', 'd']) seqs.push((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from(d) }))).SequenceNumber!);
    const read = async (it: string) => texts((await k.send(new GetRecordsCommand({ ShardIterator: it }))).Records);
    expect(await read(await iterator(name, shard, 'TRIM_HORIZON'))).toEqual(['a', 'b', 'c', 'd']);
    expect(await read(latest)).toEqual(['c', 'd']);
    expect(await read(await iterator(name, shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).toEqual(['b', 'c', 'd']);
    expect(await read(await iterator(name, shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).toEqual(['c', 'd']);
    // SDK v3 sends AT_TIMESTAMP with a fraction of a second...
    expect(await read(await iterator(name, shard, 'AT_TIMESTAMP', { Timestamp: new Date(tC) }))).toEqual(['c', 'd']);
    // ...botocore whole epoch seconds: both are seconds.
    const whole = await rawKinesis(cloud.endpoint, 'GetShardIterator', { StreamName: name, ShardId: shard, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: Math.floor(tC / 1000) - 1 });
    expect(await read(whole.json.ShardIterator as string)).toEqual(['c', 'd']);
    expect(await read(await iterator(name, '0', 'AT_TIMESTAMP', { Timestamp: new Date(tC - 60_000) }))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('GetRecords: Limit, a new NextShardIterator every time [rec], MillisBehindLatest, arrival times from the virtual clock', async () => {
    const name = await newStream(1);
    cloud.cloud.clock.advance(3_600_000);
    const before = cloud.cloud.clock.now();
    await k.send(new PutRecordsCommand({ StreamName: name, Records: ['1', '2', '3'].map((d) => ({ PartitionKey: 'k', Data: Buffer.from(d) })) }));
    const after = cloud.cloud.clock.now();
    cloud.cloud.clock.advance(10_000);
    const it0 = await iterator(name, 'shardId-0', 'TRIM_HORIZON');
    const p1 = await k.send(new GetRecordsCommand({ ShardIterator: it0, Limit: 2 }));
    expect(texts(p1.Records)).toEqual(['1', '2']);
    const arrival = p1.Records![0].ApproximateArrivalTimestamp!.getTime();
    expect(arrival).toBeGreaterThanOrEqual(before);
    expect(arrival).toBeLessThanOrEqual(after);
    expect(p1.MillisBehindLatest).toBeGreaterThanOrEqual(10_000);
    expect(p1.NextShardIterator).not.toBe(it0);
    const p2 = await k.send(new GetRecordsCommand({ ShardIterator: p1.NextShardIterator! }));
    expect([texts(p2.Records), p2.MillisBehindLatest, p2.ChildShards]).toEqual([['3'], 0, undefined]);
    const p3 = await k.send(new GetRecordsCommand({ ShardIterator: p2.NextShardIterator! }));
    expect(p3.Records).toEqual([]);
    expect(p3.NextShardIterator).not.toBe(p2.NextShardIterator);
    const raw = await rawKinesis(cloud.endpoint, 'GetRecords', { ShardIterator: it0, Limit: 1 });
    const rec = (raw.json.Records as Record<string, unknown>[])[0];
    expect(Object.keys(rec)).toEqual(['SequenceNumber', 'ApproximateArrivalTimestamp', 'Data', 'PartitionKey']);
    expect(rec.ApproximateArrivalTimestamp).toBe(arrival / 1000);
    expect(rec.Data).toBe(Buffer.from('1').toString('base64'));
    // AWS takes an iterator in double quotes [rec].
    expect(texts((await k.send(new GetRecordsCommand({ ShardIterator: `"${it0}"` }))).Records)).toEqual(['1', '2', '3']);
  });

  it('iterators expire after 5 virtual minutes [obs]; a made-up one is invalid', async () => {
    const name = await newStream(1);
    const it0 = await iterator(name, 'shardId-0', 'LATEST');
    cloud.cloud.clock.advance(299_000);
    const ok = await k.send(new GetRecordsCommand({ ShardIterator: it0 }));
    cloud.cloud.clock.advance(1_001);
    const e = await k.send(new GetRecordsCommand({ ShardIterator: it0 })).catch((x: unknown) => x as Error & { $metadata: { httpStatusCode: number } });
    expect(e).toMatchObject({ name: 'ExpiredIteratorException', $metadata: { httpStatusCode: 400 } });
    expect((e as Error).message).toMatch(
      /^Iterator expired\. The iterator was created at time \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} while right now it is \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} which is further in the future than the tolerated delay of 300000 milliseconds\.$/,
    );
    // The iterator GetRecords handed out is new: it has its own 5 minutes.
    await k.send(new GetRecordsCommand({ ShardIterator: ok.NextShardIterator! }));
    await expectError(k.send(new GetRecordsCommand({ ShardIterator: 'AAAAAAAAAAGnotreallyaniterator' })), 'InvalidArgumentException', 'Invalid ShardIterator.');
    await expectError(
      k.send(new GetRecordsCommand({ ShardIterator: ok.NextShardIterator!, Limit: 10001 })),
      'ValidationException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
  });

  it('an iterator of a deleted stream, or one made again, names a shard that does not exist [obs]', async () => {
    const name = await newStream(2);
    const it1 = await iterator(name, 'shardId-1', 'TRIM_HORIZON');
    await rawKinesis(cloud.endpoint, 'DeleteStream', { StreamName: name });
    await expectError(k.send(new GetRecordsCommand({ ShardIterator: it1 })), 'ResourceNotFoundException', `Shard shardId-000000000001 in stream ${name} under account ${ACCOUNT} does not exist`);
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    await expectError(k.send(new GetRecordsCommand({ ShardIterator: it1 })), 'ResourceNotFoundException', `Shard shardId-000000000001 in stream ${name} under account ${ACCOUNT} does not exist`);
  });

  it('GetShardIterator refuses what AWS refuses, with its texts [obs]', async () => {
    const name = await newStream(2);
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', ExplicitHashKey: '0', Data: Buffer.from('x') }));
    const mismatch = (type: string, also: boolean) =>
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
      `Request specified ${type} and ${also ? 'also a' : 'no'} StartingSequenceNumber.`;
    await expectError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'InvalidArgumentException', mismatch('AT_SEQUENCE_NUMBER', false));
    await expectError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' })), 'InvalidArgumentException', mismatch('AFTER_SEQUENCE_NUMBER', false));
    await expectError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'LATEST', StartingSequenceNumber: '5' })), 'InvalidArgumentException', mismatch('LATEST', true));
    await expectError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'TRIM_HORIZON', StartingSequenceNumber: '5' })), 'InvalidArgumentException', mismatch('TRIM_HORIZON', true));
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-1', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber })),
      'InvalidArgumentException',
      'Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in a call to a shard with shardId-000000000001',
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '5' })),
      'InvalidArgumentException',
      `StartingSequenceNumber 5 used in GetShardIterator on shard shardId-000000000000 in stream ${name} under account ${ACCOUNT} is invalid.`,
    );
    // A sequence number of the same shard of another stream (made another second).
    cloud.cloud.clock.advance(2000);
    const other = await newStream(1);
    const foreign = (await k.send(new PutRecordCommand({ StreamName: other, PartitionKey: 'a', Data: Buffer.from('x') }))).SequenceNumber!;
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: foreign })),
      'InvalidArgumentException',
      `StartingSequenceNumber ${foreign} used in GetShardIterator on shard shardId-000000000000 in stream ${name} under account ${ACCOUNT} is invalid because it did not come from this stream.`,
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AT_TIMESTAMP' })),
      'InvalidArgumentException',
      'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
    );
    const future = cloud.cloud.clock.now() + 60_000;
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(future) })),
      'InvalidArgumentException',
      new RegExp(`^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\\. timestampInMillis: ${future}, currentTimestampInMillis: \\d+$`),
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-5', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
      `Shard shardId-000000000005 in stream ${name} under account ${ACCOUNT} does not exist`,
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: '2.14E4', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
      `Could not find shard 2.14E4 in stream ${name} under account ${ACCOUNT}.`,
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: `${name}-gone`, ShardId: '2147483647', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
      `Shard shardId-002147483647 in stream ${name}-gone under account ${ACCOUNT} does not exist`,
    );
    await expectError(
      k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'NEWEST' as never })),
      'ValidationException',
      "1 validation error detected: Value 'NEWEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
    );
    const ts = await rawKinesis(cloud.endpoint, 'GetShardIterator', { StreamName: name, ShardId: 'shardId-0', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 'yesterday' });
    expect(ts.json.__type).toBe('SerializationException');
  });

  it('the end of a closed shard: no NextShardIterator, and ChildShards with their parents and ranges', async () => {
    const name = await newStream(1);
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('before') }));
    const it0 = await iterator(name, 'shardId-0', 'TRIM_HORIZON');
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-0', NewStartingHashKey: '1000' }));
    const after = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('after') }));
    expect(after.ShardId).not.toBe('shardId-000000000000');
    const r = await k.send(new GetRecordsCommand({ ShardIterator: it0 }));
    expect(texts(r.Records)).toEqual(['before']);
    expect(r.NextShardIterator).toBeUndefined();
    expect(r.MillisBehindLatest).toBe(0);
    expect(r.ChildShards).toEqual([
      { ShardId: 'shardId-000000000001', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '999' } },
      { ShardId: 'shardId-000000000002', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '1000', EndingHashKey: '340282366920938463463374607431768211455' } },
    ]);
    const paged = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(name, 'shardId-0', 'TRIM_HORIZON'), Limit: 1 }));
    expect(paged.NextShardIterator).toBeUndefined(); // the one record was the last
    const child = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(name, after.ShardId!, 'TRIM_HORIZON') }));
    expect(texts(child.Records)).toEqual(['after']);
    expect(child.NextShardIterator).toBeDefined();
  });

  it('records past the retention period are gone on the virtual clock', async () => {
    const name = await newStream(1);
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('old') }));
    cloud.cloud.clock.advance(24 * 3_600_000 + 1000);
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('new') }));
    expect(texts((await k.send(new GetRecordsCommand({ ShardIterator: await iterator(name, '0', 'TRIM_HORIZON') }))).Records)).toEqual(['new']);
  });
});

describe('write limits (/_testbed/config kinesisShardLimits)', () => {
  const config = async (body: unknown) => (await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;

  it('are off by default, then answer ProvisionedThroughputExceededException per shard and second [doc]', async () => {
    const name = await newStream(2);
    expect(((await (await fetch(`${cloud.endpoint}/_testbed/config`)).json()) as { kinesisShardLimits: boolean }).kinesisShardLimits).toBe(false);
    alignToSecond();
    const big = Array.from({ length: 500 }, () => ({ PartitionKey: 'hot', Data: Buffer.alloc(3000) }));
    expect((await k.send(new PutRecordsCommand({ StreamName: name, Records: big }))).FailedRecordCount).toBe(0);

    expect(await config({ kinesisShardLimits: true })).toMatchObject({ kinesisShardLimits: true });
    try {
      alignToSecond();
      const cold = { PartitionKey: 'cold-0', ExplicitHashKey: evenRanges(2)[1].start.toString(), Data: Buffer.from('x') };
      const out = await k.send(new PutRecordsCommand({ StreamName: name, Records: [...big.slice(1), cold] }));
      const hot = out.Records![0].ShardId!;
      const fits = Math.floor((1024 * 1024) / 3003); // data + partition key per record
      expect(out.FailedRecordCount).toBe(499 - fits);
      expect(out.Records!.slice(0, fits).every((r) => r.SequenceNumber !== undefined)).toBe(true);
      expect(out.Records![fits]).toEqual({
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: `Rate exceeded for shard ${hot} in stream ${name} under account ${ACCOUNT}.`,
      });
      expect(out.Records![499].ShardId).toBe('shardId-000000000001'); // the other shard is not hot
      await expectError(
        k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'hot', Data: Buffer.alloc(3000) })),
        'ProvisionedThroughputExceededException',
        `Rate exceeded for shard ${hot} in stream ${name} under account ${ACCOUNT}.`,
      );
      // A new second: the shard takes writes again, up to 1,000 records.
      alignToSecond();
      const small = Array.from({ length: 500 }, () => ({ PartitionKey: 'hot', Data: Buffer.from('x') }));
      expect((await k.send(new PutRecordsCommand({ StreamName: name, Records: small }))).FailedRecordCount).toBe(0);
      expect((await k.send(new PutRecordsCommand({ StreamName: name, Records: small.slice(1) }))).FailedRecordCount).toBe(0);
      const last = await k.send(new PutRecordsCommand({ StreamName: name, Records: small.slice(0, 2) }));
      expect([last.FailedRecordCount, last.Records![0].ErrorCode, last.Records![1].ErrorCode]).toEqual([1, undefined, 'ProvisionedThroughputExceededException']);
    } finally {
      await config({ kinesisShardLimits: false });
    }
    const bad = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify({ kinesisShardLimits: 'yes' }) });
    expect(bad.status).toBe(400);
  });
});

describe('clients', () => {
  it('the default client speaks HTTP/2 to the cloud', () => {
    const handler = (k.config as unknown as { requestHandler: unknown }).requestHandler;
    expect(handler).toBeInstanceOf(NodeHttp2Handler);
  });

  it('a broken HTTP/2 connection (garbage after the preface, a client gone mid-request) hurts only itself', async () => {
    const name = await newStream(1);
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    // Garbage where the first frame should be: the server ends the connection.
    const sock = net.connect(cloud.port, '127.0.0.1');
    sock.on('data', () => undefined);
    sock.on('error', () => undefined);
    const closed = new Promise((r) => sock.once('close', r));
    sock.write(Buffer.concat([preface, Buffer.from('this is not a frame at all')]));
    await closed;
    // The preface alone, then gone.
    const bare = net.connect(cloud.port, '127.0.0.1');
    bare.on('error', () => undefined);
    bare.end(preface);
    // A request whose body never ends, its session destroyed once it is under way.
    const session = http2.connect(cloud.endpoint);
    session.on('error', () => undefined);
    await new Promise((r) => session.once('remoteSettings', r));
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecord' });
    req.on('error', () => undefined);
    req.write('{"StreamName": "');
    session.destroy();
    expect((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('still here') }))).ShardId).toBe('shardId-000000000000');
  });

  it('the same operations work over HTTP/1.1', async () => {
    const h1 = kinesisHttp1Client(cloud.endpoint);
    try {
      const name = uniq('h1');
      await h1.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      const put = await h1.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'a', Data: Buffer.from('one') }] }));
      expect(put.FailedRecordCount).toBe(0);
      const it0 = (await h1.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
      expect(texts((await h1.send(new GetRecordsCommand({ ShardIterator: it0 }))).Records)).toEqual(['one']);
      await expectError(h1.send(new PutRecordCommand({ StreamName: `${name}x`, PartitionKey: 'a', Data: Buffer.from('x') })), 'ResourceNotFoundException', notFound(`${name}x`));
    } finally {
      h1.destroy();
    }
  });
});
