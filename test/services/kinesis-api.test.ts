/**
 * Kinesis's control plane through the wire: @aws-sdk/client-kinesis as users make it (HTTP/2, h2c on
 * the cloud's port) against a started embedded cloud. Streams (provisioned and on-demand), their
 * descriptions and paging, ListShards with its filters, retention, tags, resharding, status
 * transitions, StreamARN addressing, and every bad input with AWS's code, status and text.
 */
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  RemoveTagsFromStreamCommand,
  SplitShardCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, expectError } from './helpers';
import { ACCOUNT, arnOf, kinesisClient, notFound, rawKinesis, REGION, uniq } from './kinesis-helpers';

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

/** A new stream: provisioned with `shards`, or made without ShardCount (on-demand). */
async function newStream(shards: number | 'no count' = 1): Promise<string> {
  const StreamName = uniq('s');
  await k.send(new CreateStreamCommand({ StreamName, ShardCount: shards === 'no count' ? undefined : shards }));
  return StreamName;
}

/** Run `fn` with the store's state transitions lasting `ms` of virtual time. */
async function withTransitions<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  cloud.cloud.kinesis.stateTransitionMs = ms;
  try {
    return await fn();
  } finally {
    cloud.cloud.kinesis.stateTransitionMs = 0;
  }
}

const ids = (shards: Shard[] | undefined) => (shards ?? []).map((s) => s.ShardId);

describe('streams', () => {
  it('is listed by the health endpoints', async () => {
    expect(((await (await fetch(`${cloud.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> }).services.kinesis).toBe('running');
    expect(((await (await fetch(`${cloud.endpoint}/_testbed/health`)).json()) as { services: string[] }).services).toContain('kinesis');
  });

  it('CreateStream (provisioned) and DescribeStream: the shape AWS prints, even hash ranges, 56-digit sequence numbers', async () => {
    const name = await newStream(3);
    const raw = await rawKinesis(cloud.endpoint, 'DescribeStream', { StreamName: name });
    const d = raw.json.StreamDescription as Record<string, unknown>;
    expect(Object.keys(d)).toEqual([
      'StreamName',
      'StreamARN',
      'StreamStatus',
      'StreamModeDetails',
      'Shards',
      'HasMoreShards',
      'RetentionPeriodHours',
      'StreamCreationTimestamp',
      'EnhancedMonitoring',
      'EncryptionType',
    ]);
    expect(d).toMatchObject({
      StreamName: name,
      StreamARN: arnOf(name),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      HasMoreShards: false,
      RetentionPeriodHours: 24,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: 'NONE',
    });
    expect(typeof d.StreamCreationTimestamp).toBe('number');
    expect(Math.abs((d.StreamCreationTimestamp as number) * 1000 - cloud.cloud.clock.now())).toBeLessThan(5000);
    const shards = d.Shards as Shard[];
    expect(shards.map((s) => [s.ShardId, s.HashKeyRange])).toEqual([
      ['shardId-000000000000', { StartingHashKey: '0', EndingHashKey: '113427455640312821154458202477256070484' }],
      ['shardId-000000000001', { StartingHashKey: '113427455640312821154458202477256070485', EndingHashKey: '226854911280625642308916404954512140969' }],
      ['shardId-000000000002', { StartingHashKey: '226854911280625642308916404954512140970', EndingHashKey: '340282366920938463463374607431768211455' }],
    ]);
    for (const s of shards) {
      expect(s.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{56}$/);
      expect(s.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
      expect(s.ParentShardId).toBeUndefined();
    }
  });

  it('CreateStream without ShardCount makes an on-demand stream of 4 shards [rec]; DescribeStreamSummary by ARN', async () => {
    const name = await newStream('no count');
    const d = (await k.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!;
    expect(d.Shards).toHaveLength(4);
    expect(d.StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' });
    const s = (await k.send(new DescribeStreamSummaryCommand({ StreamARN: arnOf(name) }))).StreamDescriptionSummary!;
    expect(s).toMatchObject({ StreamName: name, StreamARN: arnOf(name), StreamStatus: 'ACTIVE', OpenShardCount: 4, ConsumerCount: 0, RetentionPeriodHours: 24, EncryptionType: 'NONE' });
    const withMode = uniq('s');
    await k.send(new CreateStreamCommand({ StreamName: withMode, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, ShardCount: 9 }));
    expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: withMode }))).StreamDescriptionSummary?.OpenShardCount).toBe(4);
  });

  it('refuses a duplicate name, bad names and counts, and too many shards for the account', async () => {
    const name = await newStream(1);
    await expectError(k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })), 'ResourceInUseException', `Stream ${name} under account ${ACCOUNT} already exists.`);
    await expectError(
      k.send(new CreateStreamCommand({ StreamName: '', ShardCount: 0 })),
      'ValidationException',
      "3 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const long = 'a'.repeat(129);
    await expectError(
      k.send(new CreateStreamCommand({ StreamName: long, ShardCount: 1 })),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    await expectError(
      k.send(new CreateStreamCommand({ StreamName: 'x', StreamModeDetails: { StreamMode: 'SOMETIMES' as never } })),
      'ValidationException',
      "1 validation error detected: Value 'SOMETIMES' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
    );
    await expectError(k.send(new CreateStreamCommand({ StreamName: uniq('s'), StreamModeDetails: { StreamMode: 'PROVISIONED' } })), 'InvalidArgumentException');
    const raw = await rawKinesis(cloud.endpoint, 'CreateStream', {});
    expect([raw.status, raw.json]).toEqual([400, { __type: 'ValidationException', message: "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null" }]);

    const open = (await k.send(new DescribeLimitsCommand({}))).OpenShardCount!;
    cloud.cloud.kinesis.shardLimit = open + 2;
    try {
      await expectError(
        k.send(new CreateStreamCommand({ StreamName: uniq('s'), ShardCount: 3 })),
        'LimitExceededException',
        `This request would exceed the shard limit for the account ${ACCOUNT} in ${REGION}. Current shard count for the account: ${open}. Limit: ${open + 2}. ` +
          'Number of additional shards that would have resulted from this request: 3. Refer to the AWS Service Limits page ' +
          '(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
      );
    } finally {
      cloud.cloud.kinesis.shardLimit = undefined;
    }
  });

  it('DescribeLimits counts open shards and on-demand streams', async () => {
    const before = await k.send(new DescribeLimitsCommand({}));
    await newStream(2);
    await newStream('no count');
    const after = await k.send(new DescribeLimitsCommand({}));
    expect(after.ShardLimit).toBe(500);
    expect(after.OpenShardCount! - before.OpenShardCount!).toBe(6);
    expect(after.OnDemandStreamCount! - before.OnDemandStreamCount!).toBe(1);
    expect(after.OnDemandStreamCountLimit).toBe(50);
  });

  it('ListStreams pages by Limit, NextToken and ExclusiveStartStreamName, with StreamSummaries', async () => {
    const region = 'eu-central-1';
    const kr = new KinesisClient({ endpoint: cloud.endpoint, region, credentials, maxAttempts: 1 });
    try {
      for (const n of ['c', 'a', 'b']) await kr.send(new CreateStreamCommand({ StreamName: n, ShardCount: 1 }));
      const p1 = await kr.send(new ListStreamsCommand({ Limit: 2 }));
      expect([p1.StreamNames, p1.HasMoreStreams]).toEqual([['a', 'b'], true]);
      expect(p1.StreamSummaries?.[0]).toMatchObject({ StreamName: 'a', StreamARN: arnOf('a', region), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' } });
      expect(p1.StreamSummaries?.[0].StreamCreationTimestamp).toBeInstanceOf(Date);
      const p2 = await kr.send(new ListStreamsCommand({ Limit: 2, NextToken: p1.NextToken }));
      expect([p2.StreamNames, p2.HasMoreStreams, p2.NextToken]).toEqual([['c'], false, undefined]);
      expect((await kr.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'a' }))).StreamNames).toEqual(['b', 'c']);
      await expectError(kr.send(new ListStreamsCommand({ NextToken: 'garbage' })), 'InvalidArgumentException');
      await expectError(
        kr.send(new ListStreamsCommand({ Limit: 0 })),
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    } finally {
      kr.destroy();
    }
  });

  it('DescribeStream pages shards by Limit and ExclusiveStartShardId', async () => {
    const name = await newStream(5);
    const p1 = (await k.send(new DescribeStreamCommand({ StreamName: name, Limit: 2 }))).StreamDescription!;
    expect([ids(p1.Shards), p1.HasMoreShards]).toEqual([['shardId-000000000000', 'shardId-000000000001'], true]);
    const p2 = (await k.send(new DescribeStreamCommand({ StreamName: name, Limit: 10, ExclusiveStartShardId: 'shardId-000000000001' }))).StreamDescription!;
    expect([ids(p2.Shards), p2.HasMoreShards]).toEqual([['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004'], false]);
    expect(ids((await k.send(new DescribeStreamCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-3' }))).StreamDescription!.Shards)).toEqual(['shardId-000000000004']);
    await expectError(
      k.send(new DescribeStreamCommand({ StreamName: name, Limit: 10001 })),
      'ValidationException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
  });

  it('DeleteStream: the stream is gone (by name or ARN); with a transition delay it is DELETING first', async () => {
    const name = await newStream(1);
    await k.send(new DeleteStreamCommand({ StreamARN: arnOf(name), EnforceConsumerDeletion: true }));
    await expectError(k.send(new DescribeStreamCommand({ StreamName: name })), 'ResourceNotFoundException', notFound(name));
    await expectError(k.send(new DeleteStreamCommand({ StreamName: name })), 'ResourceNotFoundException', notFound(name));
    await withTransitions(10_000, async () => {
      const slow = await newStream(1);
      expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: slow }))).StreamDescriptionSummary?.StreamStatus).toBe('CREATING');
      expect((await k.send(new DescribeStreamCommand({ StreamName: slow }))).StreamDescription?.Shards).toEqual([]);
      await expectError(k.send(new PutRecordCommand({ StreamName: slow, PartitionKey: 'a', Data: Buffer.from('x') })), 'ResourceNotFoundException', notFound(slow));
      cloud.cloud.clock.advance(10_000);
      expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: slow }))).StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
      await k.send(new DeleteStreamCommand({ StreamName: slow }));
      expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: slow }))).StreamDescriptionSummary?.StreamStatus).toBe('DELETING');
      await expectError(k.send(new CreateStreamCommand({ StreamName: slow, ShardCount: 1 })), 'ResourceInUseException');
      cloud.cloud.clock.advance(10_000);
      await expectError(k.send(new DescribeStreamSummaryCommand({ StreamName: slow })), 'ResourceNotFoundException', notFound(slow));
    });
  });

  it('names a stream by StreamARN (its region and account), and refuses neither, a mismatch, or a malformed ARN', async () => {
    const name = await newStream(1);
    expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: name, StreamARN: arnOf(name) }))).StreamDescriptionSummary?.StreamName).toBe(name);
    await expectError(k.send(new DescribeStreamSummaryCommand({ StreamARN: arnOf(name, 'us-west-2') })), 'ResourceNotFoundException', notFound(name));
    await expectError(k.send(new DescribeStreamSummaryCommand({ StreamARN: arnOf(name, REGION, '111122223333') })), 'ResourceNotFoundException', notFound(name, '111122223333'));
    await expectError(k.send(new DescribeStreamSummaryCommand({ StreamName: `${name}x`, StreamARN: arnOf(name) })), 'InvalidArgumentException');
    await expectError(k.send(new DescribeStreamSummaryCommand({})), 'InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
    const bad = await rawKinesis(cloud.endpoint, 'DescribeStreamSummary', { StreamARN: 'arn:aws:sqs:us-east-1:000000000000:q' });
    expect(bad.json).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value 'arn:aws:sqs:us-east-1:000000000000:q' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
    });
  });

  it('answers ResourceNotFoundException with AWS\'s text for every operation on a missing stream [rec]', async () => {
    const name = uniq('missing');
    const ops: [string, Record<string, unknown>][] = [
      ['DescribeStream', {}],
      ['DescribeStreamSummary', {}],
      ['DeleteStream', {}],
      ['ListShards', {}],
      ['PutRecord', { PartitionKey: 'a', Data: '' }],
      ['PutRecords', { Records: [{ PartitionKey: 'a', Data: '' }] }],
      ['IncreaseStreamRetentionPeriod', { RetentionPeriodHours: 48 }],
      ['DecreaseStreamRetentionPeriod', { RetentionPeriodHours: 24 }],
      ['AddTagsToStream', { Tags: { a: 'b' } }],
      ['RemoveTagsFromStream', { TagKeys: ['a'] }],
      ['ListTagsForStream', {}],
      ['SplitShard', { ShardToSplit: 'shardId-0', NewStartingHashKey: '5' }],
      ['MergeShards', { ShardToMerge: 'shardId-0', AdjacentShardToMerge: 'shardId-1' }],
      ['UpdateShardCount', { TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }],
    ];
    for (const [op, body] of ops) {
      const r = await rawKinesis(cloud.endpoint, op, { StreamName: name, ...body });
      expect([op, r.status, r.json]).toEqual([op, 400, { __type: 'ResourceNotFoundException', message: notFound(name) }]);
    }
    const t = await rawKinesis(cloud.endpoint, 'ListTagsForResource', { ResourceARN: arnOf(name) });
    expect(t.json).toEqual({ __type: 'ResourceNotFoundException', message: notFound(name) });
  });

  it.each([
    ['DescribeStream', { StreamName: 'a/b' }, "Value 'a/b' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"],
    ['DescribeStream', { StreamName: 'a', ExclusiveStartShardId: 's'.repeat(129) }, `Value '${'s'.repeat(129)}' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length less than or equal to 128`],
    ['ListTagsForStream', { StreamName: 'a', Limit: 51 }, "Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50"],
    ['ListTagsForStream', { StreamName: 'a', ExclusiveStartTagKey: '' }, "Value '' at 'exclusiveStartTagKey' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ['RemoveTagsFromStream', { StreamName: 'a', TagKeys: [] }, "Value '[]' at 'tagKeys' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ['RemoveTagsFromStream', { StreamName: 'a' }, "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"],
    ['AddTagsToStream', { StreamName: 'a', Tags: { ['k'.repeat(129)]: 'v' } }, `Value '{${'k'.repeat(129)}=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]`],
    ['AddTagsToStream', { StreamName: 'a', Tags: { k: 'v'.repeat(257) } }, `Value '{k=${'v'.repeat(257)}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]`],
    ['TagResource', { Tags: { a: 'b' } }, "Value null at 'resourceARN' failed to satisfy constraint: Member must not be null"],
    ['MergeShards', { StreamName: 'a', ShardToMerge: 'shardId-0' }, "Value null at 'adjacentShardToMerge' failed to satisfy constraint: Member must not be null"],
    ['SplitShard', { StreamName: 'a', ShardToSplit: 'shardId-0' }, "Value null at 'newStartingHashKey' failed to satisfy constraint: Member must not be null"],
    ['UpdateShardCount', { StreamName: 'a', ScalingType: 'UNIFORM_SCALING', TargetShardCount: 0 }, "Value '0' at 'targetShardCount' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['GetShardIterator', { StreamName: 'a', ShardIteratorType: 'LATEST' }, "Value null at 'shardId' failed to satisfy constraint: Member must not be null"],
    ['GetRecords', {}, "Value null at 'shardIterator' failed to satisfy constraint: Member must not be null"],
    ['GetRecords', { ShardIterator: 'A'.repeat(513) }, `Value '${'A'.repeat(513)}' at 'shardIterator' failed to satisfy constraint: Member must have length less than or equal to 512`],
    ['CreateStream', { StreamName: 'a', ShardCount: 1, MaxRecordSizeInKiB: 11000 }, "Value '11000' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240"],
  ])('%s refuses bad input #%#: ValidationException with the model constraint', async (op, body, problem) => {
    const r = await rawKinesis(cloud.endpoint, op, body);
    expect([r.status, r.errorType, r.json]).toEqual([400, 'ValidationException', { __type: 'ValidationException', message: `1 validation error detected: ${problem}` }]);
  });

  it('answers a wrong JSON type with SerializationException and an unknown operation with UnknownOperationException', async () => {
    const r = await rawKinesis(cloud.endpoint, 'CreateStream', { StreamName: 'x', ShardCount: 'two' });
    expect([r.status, r.json.__type]).toEqual([400, 'SerializationException']);
    expect(String(r.json.Message)).toContain('can not be converted to an Integer');
    const u = await rawKinesis(cloud.endpoint, 'NoSuchThing', {});
    expect([u.status, u.json]).toEqual([400, { __type: 'UnknownOperationException' }]);
    const bad = await rawKinesis(cloud.endpoint, 'ListStreams', '{not json');
    expect([bad.status, bad.json.__type]).toEqual([400, 'SerializationException']);
  });
});

describe('ListShards', () => {
  it('pages by MaxResults and NextToken, after ExclusiveStartShardId; refuses a token with a name, or neither', async () => {
    const name = await newStream(5);
    const p1 = await k.send(new ListShardsCommand({ StreamName: name, MaxResults: 2 }));
    expect(ids(p1.Shards)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const p2 = await k.send(new ListShardsCommand({ NextToken: p1.NextToken, MaxResults: 2 }));
    expect(ids(p2.Shards)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    const p3 = await k.send(new ListShardsCommand({ NextToken: p2.NextToken, MaxResults: 2 }));
    expect([ids(p3.Shards), p3.NextToken]).toEqual([['shardId-000000000004'], undefined]);
    expect(ids((await k.send(new ListShardsCommand({ StreamARN: arnOf(name), ExclusiveStartShardId: 'shardId-000000000003' }))).Shards)).toEqual(['shardId-000000000004']);
    await expectError(k.send(new ListShardsCommand({})), 'InvalidArgumentException', 'Either NextToken or StreamName should be provided.');
    await expectError(k.send(new ListShardsCommand({ StreamName: name, NextToken: p1.NextToken })), 'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
    await expectError(k.send(new ListShardsCommand({ NextToken: 'bm9wZQ==' })), 'InvalidArgumentException');
    cloud.cloud.clock.advance(300_001);
    await expectError(k.send(new ListShardsCommand({ NextToken: p2.NextToken })), 'ExpiredNextTokenException');
    await expectError(
      k.send(new ListShardsCommand({ StreamName: name, MaxResults: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('filters by ShardFilter: AT_LATEST, AT/FROM_TRIM_HORIZON, AFTER_SHARD_ID, AT/FROM_TIMESTAMP', async () => {
    const name = await newStream(2);
    const created = cloud.cloud.clock.now();
    cloud.cloud.clock.advance(60_000);
    const mid = cloud.cloud.clock.now();
    cloud.cloud.clock.advance(60_000);
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' }));
    const list = async (ShardFilter: Record<string, unknown>) => ids((await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: ShardFilter as never }))).Shards);
    expect(await list({ Type: 'AT_LATEST' })).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expect(await list({ Type: 'AT_TRIM_HORIZON' })).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(await list({ Type: 'FROM_TRIM_HORIZON' })).toHaveLength(4);
    expect(await list({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' })).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    expect(await list({ Type: 'AT_TIMESTAMP', Timestamp: new Date(mid) })).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(await list({ Type: 'AT_TIMESTAMP', Timestamp: new Date(created - 3_600_000) })).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(await list({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(mid) })).toHaveLength(4);
    expect(await list({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(cloud.cloud.clock.now() + 1000) })).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    await expectError(k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AFTER_SHARD_ID' } })), 'InvalidArgumentException');
    await expectError(k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_TIMESTAMP' } })), 'InvalidArgumentException');
    await expectError(
      k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'LATEST' as never } })),
      'ValidationException',
      "1 validation error detected: Value 'LATEST' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]",
    );
  });
});

describe('retention', () => {
  it('increases and decreases within 24..8760 hours, each only in its own direction', async () => {
    const name = await newStream(1);
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }));
    expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.RetentionPeriodHours).toBe(48);
    await expectError(
      k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 25 })),
      'InvalidArgumentException',
      `Requested retention period (25 hours) for stream ${name} can not be shorter than existing retention period (48 hours). Use DecreaseRetentionPeriod API.`,
    );
    await expectError(
      k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 72 })),
      'InvalidArgumentException',
      `Requested retention period (72 hours) for stream ${name} can not be longer than existing retention period (48 hours). Use IncreaseRetentionPeriod API.`,
    );
    await expectError(
      k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 23 })),
      'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
    );
    await expectError(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 8761 })), 'InvalidArgumentException');
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamARN: arnOf(name), RetentionPeriodHours: 8760 }));
    await k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 }));
    expect((await k.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription?.RetentionPeriodHours).toBe(24);
    const raw = await rawKinesis(cloud.endpoint, 'IncreaseStreamRetentionPeriod', { StreamName: name });
    expect(raw.json.message).toBe("1 validation error detected: Value null at 'retentionPeriodHours' failed to satisfy constraint: Member must not be null");
  });
});

describe('tags', () => {
  it('AddTagsToStream / ListTagsForStream (sorted, paged) / RemoveTagsFromStream', async () => {
    const name = uniq('s');
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { team: 'a' } }));
    await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { env: 'dev', b: '', team: 'b' } }));
    const all = await k.send(new ListTagsForStreamCommand({ StreamName: name }));
    expect([all.Tags, all.HasMoreTags]).toEqual([[{ Key: 'b', Value: '' }, { Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }], false]);
    const page = await k.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 1, ExclusiveStartTagKey: 'b' }));
    expect([page.Tags, page.HasMoreTags]).toEqual([[{ Key: 'env', Value: 'dev' }], true]);
    await k.send(new RemoveTagsFromStreamCommand({ StreamARN: arnOf(name), TagKeys: ['b', 'nope'] }));
    expect((await k.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags?.map((t) => t.Key)).toEqual(['env', 'team']);
  });

  it('TagResource / UntagResource / ListTagsForResource by ARN', async () => {
    const name = await newStream(1);
    await k.send(new TagResourceCommand({ ResourceARN: arnOf(name), Tags: { x: '1', y: '2' } }));
    await k.send(new UntagResourceCommand({ ResourceARN: arnOf(name), TagKeys: ['x'] }));
    expect((await k.send(new ListTagsForResourceCommand({ ResourceARN: arnOf(name) }))).Tags).toEqual([{ Key: 'y', Value: '2' }]);
    expect((await k.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags).toEqual([{ Key: 'y', Value: '2' }]);
    await expectError(k.send(new TagResourceCommand({ ResourceARN: arnOf(`${name}-gone`), Tags: { a: 'b' } })), 'ResourceNotFoundException', notFound(`${name}-gone`));
    await expectError(k.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:sqs:us-east-1:000000000000:q' })), 'ValidationException');
  });

  it('refuses bad characters [obs], % with its own text, empty maps, and more than 50 tags', async () => {
    const name = await newStream(1);
    const chars = 'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.';
    for (const bad of ['abc;def', 'abc,def', 'abc\tdef', 'abc\ndef']) {
      await expectError(k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { [bad]: '1' } })), 'InvalidArgumentException', chars);
      await expectError(k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { a: bad } })), 'InvalidArgumentException', chars);
      await expectError(k.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: [bad] })), 'InvalidArgumentException', chars);
    }
    await expectError(
      k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { 'abc%def': '1' } })),
      'InvalidArgumentException',
      `Failed to add tags to stream ${name} under account ${ACCOUNT} because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.`,
    );
    await expectError(
      k.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['abc%def'] })),
      'InvalidArgumentException',
      `Failed to remove tags from stream ${name} under account ${ACCOUNT} because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.`,
    );
    await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { 'ünï côdé_.:/=+-@': 'ok value' } }));
    await expectError(
      k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: {} })),
      'ValidationException',
      "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    for (let i = 0; i < 49; i += 7) {
      await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: Object.fromEntries(Array.from({ length: 7 }, (_, j) => [`k${i + j}`, 'v'])) }));
    }
    await expectError(
      k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { one: 'too many' } })),
      'InvalidArgumentException',
      `Failed to add tags to stream ${name} under account ${ACCOUNT} because a given stream cannot have more than 10 tags associated with it.`,
    );
    await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { k0: 'overwrite is fine' } }));
  });
});

describe('resharding', () => {
  it('SplitShard closes the parent and opens two children with their ranges and lineage', async () => {
    const name = await newStream(1);
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '170141183460469231731687303715884105728' }));
    const shards = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!;
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey])).toEqual([
      ['shardId-000000000000', undefined, '0', '340282366920938463463374607431768211455'],
      ['shardId-000000000001', 'shardId-000000000000', '0', '170141183460469231731687303715884105727'],
      ['shardId-000000000002', 'shardId-000000000000', '170141183460469231731687303715884105728', '340282366920938463463374607431768211455'],
    ]);
    const parentEnd = BigInt(shards[0].SequenceNumberRange!.EndingSequenceNumber!);
    expect(shards[0].SequenceNumberRange!.EndingSequenceNumber).toMatch(/^\d{56}$/);
    expect(BigInt(shards[1].SequenceNumberRange!.StartingSequenceNumber!) > parentEnd).toBe(true);
  });

  it('MergeShards opens one child with ParentShardId and AdjacentParentShardId', async () => {
    const name = await newStream(3);
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000001' }));
    const open = (await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    expect(open.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, s.HashKeyRange?.StartingHashKey])).toEqual([
      ['shardId-000000000000', undefined, undefined, '0'],
      ['shardId-000000000003', 'shardId-000000000002', 'shardId-000000000001', '113427455640312821154458202477256070485'],
    ]);
  });

  it('UpdateShardCount (UNIFORM_SCALING) answers the counts and ends with the target number of even open shards', async () => {
    const name = await newStream(2);
    const out = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    expect(out).toMatchObject({ StreamName: name, CurrentShardCount: 2, TargetShardCount: 3, StreamARN: arnOf(name) });
    const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
    expect([summary.StreamStatus, summary.OpenShardCount]).toEqual(['ACTIVE', 3]);
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 6, ScalingType: 'UNIFORM_SCALING' }));
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    const open = (await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    expect(open).toHaveLength(3);
    await expectError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 7, ScalingType: 'UNIFORM_SCALING' })), 'LimitExceededException');
    await expectError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 1, ScalingType: 'UNIFORM_SCALING' })), 'LimitExceededException');
    await expectError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' })), 'InvalidArgumentException');
    await expectError(
      k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'SOMETHING' as never })),
      'ValidationException',
      "1 validation error detected: Value 'SOMETHING' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]",
    );
    for (const t of [4, 3, 4, 3, 4, 3, 4]) await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: t, ScalingType: 'UNIFORM_SCALING' }));
    await expectError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' })), 'LimitExceededException');
    cloud.cloud.clock.advance(86_400_000);
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
  });

  it('refuses bad split keys, non-adjacent or closed shards, unknown shards, on-demand streams [obs]', async () => {
    const name = await newStream(3);
    await expectError(
      k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shard-0', NewStartingHashKey: '1' })),
      'InvalidArgumentException',
      `NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream ${name} under account ${ACCOUNT} is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 113427455640312821154458202477256070484.`,
    );
    await expectError(
      k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-5', NewStartingHashKey: '0' })),
      'ResourceNotFoundException',
      `Could not find shard shardId-000000000005 in stream ${name} under account ${ACCOUNT}.`,
    );
    await expectError(
      k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'ABKLFD8', NewStartingHashKey: '0' })),
      'ResourceNotFoundException',
      `Could not find shard ABKLFD8 in stream ${name} under account ${ACCOUNT}.`,
    );
    await expectError(
      k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shard-0', NewStartingHashKey: '-1' })),
      'ValidationException',
      "1 validation error detected: Value '-1' at 'newStartingHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
    await expectError(
      k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })),
      'InvalidArgumentException',
      `Shards shardId-000000000000 and shardId-000000000002 in stream ${name} under account ${ACCOUNT} are not an adjacent pair of shards eligible for merging`,
    );
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }));
    await expectError(
      k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' })),
      'InvalidArgumentException',
      `Shard shardId-000000000000 in stream ${name} under account ${ACCOUNT} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
    const od = await newStream('no count');
    await expectError(k.send(new SplitShardCommand({ StreamName: od, ShardToSplit: 'shardId-0', NewStartingHashKey: '1000' })), 'ValidationException');
    await expectError(k.send(new UpdateShardCountCommand({ StreamName: od, TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' })), 'ValidationException');
  });

  it('is UPDATING for the transition delay: writes go on, another reshard is refused [obs]', async () => {
    const name = await newStream(1);
    await withTransitions(30_000, async () => {
      await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-0', NewStartingHashKey: '1000' }));
      expect((await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.StreamStatus).toBe('UPDATING');
      await expectError(
        k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-0', AdjacentShardToMerge: 'shardId-1' })),
        'ResourceInUseException',
        `Stream ${name} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`,
      );
      expect((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x') }))).ShardId).toBe('shardId-000000000000');
      cloud.cloud.clock.advance(30_000);
      const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
      expect([summary.StreamStatus, summary.OpenShardCount]).toEqual(['ACTIVE', 2]);
      expect((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x') }))).ShardId).not.toBe('shardId-000000000000');
    });
  });
});
