/**
 * The Kinesis event source mapping: one shard's records per batch in shard order; on a function
 * error the batch is retried and the shard waits, up to MaximumRetryAttempts, then the OnFailure
 * destination gets the batch's KinesisBatchInfo and the shard moves on; bisection, partial batch
 * responses, parallelization and tumbling windows as AWS does them.
 */
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { eventually, getTestbed, unique } from '../_support/testbed';
import { awaitBatches, batches, bodiesOf, mappingTracker, queueTracker, receive } from './_helpers';

const tb = getTestbed();
const kinesis = tb.clients.kinesis;
const stack = () =>
  tb.deploy({
    name: 'poll-kinesis',
    functions: {
      shape: { code: 'batch', environment: { LOG_EVENT: '1' } },
      ordered: { code: 'batch' },
      failing: { code: 'batch' },
      bisect: { code: 'batch' },
      partial: { code: 'batch' },
      parallel: { code: 'batch' },
      windowed: { code: 'batch' },
      latest: { code: 'batch' },
    },
  });
const mappings = mappingTracker();
const queues = queueTracker();
const streams: string[] = [];
afterAll(async () => {
  await Promise.all(streams.map((StreamName) => kinesis.send(new DeleteStreamCommand({ StreamName })).catch(() => undefined)));
});

async function stream(prefix: string, shards = 1): Promise<{ name: string; arn: string }> {
  const name = unique(prefix);
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  streams.push(name);
  const summary = await eventually(
    () => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })),
    (s) => s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
  );
  return { name, arn: summary.StreamDescriptionSummary!.StreamARN! };
}

async function put(name: string, data: unknown, partitionKey = 'pk'): Promise<string> {
  const out = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: partitionKey, Data: Buffer.from(JSON.stringify(data)) }));
  return out.SequenceNumber!;
}

describe('Kinesis records through a mapping', () => {
  it('reach the function as the Kinesis event', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-shape');
    const seq = await put(s.name, { hello: 'kinesis' }, 'key-1');
    await mappings.create({ EventSourceArn: s.arn, FunctionName: functions.shape.name, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    await awaitBatches(functions.shape.name, (l) => l.length >= 1);
    const events = await eventually(
      async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functions.shape.name}`, filterPattern: '"EVENT"' }))).events ?? [],
      (e) => e.length > 0,
    );
    const record = JSON.parse(/EVENT (\{.*\})\s*$/.exec(events[0].message!)![1]).Records[0];
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'key-1',
        sequenceNumber: seq,
        data: Buffer.from(JSON.stringify({ hello: 'kinesis' })).toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${seq}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
      awsRegion: tb.target.region,
      eventSourceARN: s.arn,
    });
  });

  it('a shard’s records arrive in order', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-order');
    for (let n = 1; n <= 25; n++) await put(s.name, { n });
    await mappings.create({ EventSourceArn: s.arn, FunctionName: functions.ordered.name, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    const lines = await awaitBatches(functions.ordered.name, (l) => bodiesOf(l).length >= 25);
    expect(bodiesOf(lines).map((b) => JSON.parse(b).n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(Math.max(...lines.map((l) => l.bodies.length))).toBeLessThanOrEqual(10);
  });

  it('LATEST starts after the records already in the stream', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-latest');
    await put(s.name, { n: 'before' });
    await mappings.create({ EventSourceArn: s.arn, FunctionName: functions.latest.name, StartingPosition: 'LATEST', BatchSize: 10 });
    await put(s.name, { n: 'after' });
    const lines = await awaitBatches(functions.latest.name, (l) => l.length >= 1);
    expect(bodiesOf(lines).map((b) => JSON.parse(b).n)).toEqual(['after']);
  });

  it('a failing batch is retried while the shard waits; after MaximumRetryAttempts the OnFailure destination gets the batch info and the shard moves on', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-fail');
    const dest = await queues.create('poll-kin-fail-dest');
    const bad = await put(s.name, { n: 1, throw: true });
    await put(s.name, { n: 2 });
    await mappings.create({
      EventSourceArn: s.arn,
      FunctionName: functions.failing.name,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dest.arn } },
    });
    const lines = await awaitBatches(functions.failing.name, (l) => bodiesOf(l).some((b) => JSON.parse(b).n === 2));
    const ns = bodiesOf(lines).map((b) => JSON.parse(b).n);
    expect(ns).toEqual([1, 1, 1, 2]); // the first try and two retries, then the next record
    const [m] = await receive(dest.url, { WaitTimeSeconds: 20 });
    const info = JSON.parse(m.Body!);
    expect(info.requestContext).toEqual(expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }));
    expect(info.KinesisBatchInfo).toEqual(
      expect.objectContaining({ shardId: 'shardId-000000000000', startSequenceNumber: bad, endSequenceNumber: bad, batchSize: 1, streamArn: s.arn }),
    );
  });

  tb.itIf('mappingExtras')('BisectBatchOnFunctionError splits a failing batch until the bad record is alone', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-bisect');
    for (let n = 1; n <= 4; n++) await put(s.name, { n, throw: n === 3 });
    await mappings.create({
      EventSourceArn: s.arn,
      FunctionName: functions.bisect.name,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 4,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 0,
    });
    const lines = await awaitBatches(functions.bisect.name, (l) => l.some((x) => x.bodies.length === 1 && JSON.parse(x.bodies[0]).n === 3) && bodiesOf(l).some((b) => JSON.parse(b).n === 4 && l.length > 2));
    const sizes = lines.map((l) => l.bodies.map((b) => JSON.parse(b).n));
    expect(sizes[0]).toEqual([1, 2, 3, 4]);
    expect(sizes).toContainEqual([3]);
  });

  it('ReportBatchItemFailures: the shard checkpoints before the lowest failed record and retries from it', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-partial');
    for (let n = 1; n <= 4; n++) await put(s.name, { n, fail: n === 3 });
    await mappings.create({
      EventSourceArn: s.arn,
      FunctionName: functions.partial.name,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 4,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 1,
    });
    const lines = await awaitBatches(functions.partial.name, (l) => l.length >= 2);
    expect(lines[0].bodies.map((b) => JSON.parse(b).n)).toEqual([1, 2, 3, 4]);
    expect(lines[1].bodies.map((b) => JSON.parse(b).n)).toEqual([3, 4]);
  });

  tb.itIf('mappingExtras')('ParallelizationFactor runs several batches of one shard at once, keeping each partition key in order', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-parallel');
    for (let n = 1; n <= 10; n++) for (const key of ['a', 'b', 'c', 'd']) await put(s.name, { key, n, sleepMs: 50 }, key);
    await mappings.create({ EventSourceArn: s.arn, FunctionName: functions.parallel.name, StartingPosition: 'TRIM_HORIZON', BatchSize: 5, ParallelizationFactor: 4 });
    const lines = await awaitBatches(functions.parallel.name, (l) => bodiesOf(l).length >= 40);
    for (const key of ['a', 'b', 'c', 'd']) {
      const ns = bodiesOf(lines).map((b) => JSON.parse(b)).filter((b) => b.key === key).map((b) => b.n);
      expect(ns).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
  });

  tb.itIf('mappingExtras')('TumblingWindowInSeconds carries state from invoke to invoke and ends each window with a final invoke', async () => {
    const { functions } = await stack();
    const s = await stream('poll-kin-window');
    await mappings.create({ EventSourceArn: s.arn, FunctionName: functions.windowed.name, StartingPosition: 'TRIM_HORIZON', BatchSize: 2, TumblingWindowInSeconds: 60 });
    for (let n = 1; n <= 4; n++) await put(s.name, { n });
    await awaitBatches(functions.windowed.name, (l) => bodiesOf(l).length >= 4);
    // The four records may fall in one window or straddle two: let both end.
    await tb.advance(121_000);
    type WindowLine = { bodies: string[]; state?: { count: number }; final?: boolean; window?: { start: string; end: string } };
    const finals = (l: WindowLine[]) => l.filter((x) => x.final === true);
    const lines = (await eventually(
      async () => (await batches(functions.windowed.name)) as unknown as WindowLine[],
      (l) => finals(l).reduce((n, x) => n + (x.state?.count ?? 0), 0) >= 4,
    )) as WindowLine[];
    expect(lines.every((x) => x.window !== undefined)).toBe(true);
    expect(finals(lines).every((x) => x.bodies.length === 0)).toBe(true);
    expect(finals(lines).reduce((n, x) => n + (x.state?.count ?? 0), 0)).toBe(4);
  });
});
