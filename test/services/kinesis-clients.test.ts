/**
 * Real clients against a started cloud: every Kinesis operation through each python3 with boto3
 * found on PATH (test/services/kinesis-boto3.py; botocore speaks JSON 1.1 over HTTP/1.1 and sends
 * AT_TIMESTAMP in whole seconds), and through each AWS CLI (opt in with TESTBED_CLI_TESTS=1: each CLI
 * call starts a Python interpreter, seconds each). When no client is installed the test is skipped
 * with the reason in its title and on stderr. (Client discovery and running are in real-clients.ts.)
 */
import { KINESIS_OPERATIONS } from './kinesis-helpers';
import { ACCOUNT, boto3Tests, CliSession, describeEachCli, lazyCloud, notDriven, REGION, reportClient, TIMEOUT } from './real-clients';

const getCloud = lazyCloud();

// ------------------------------------------------------------------------------------ boto3

boto3Tests({
  service: 'Kinesis',
  script: 'kinesis-boto3.py',
  title: 'drives every Kinesis operation (test/services/kinesis-boto3.py)',
  operations: KINESIS_OPERATIONS,
  // (TagResource, UntagResource and ListTagsForResource came to botocore in 2024)
  mayLack: ['TagResource', 'UntagResource', 'ListTagsForResource'],
  cloud: getCloud,
  check: (result) => expect(result.protocol).toBe('json'),
  log: 'kinesis-clients',
});

// ------------------------------------------------------------------------------------ AWS CLI

describeEachCli('Kinesis', (cli) => {
  it(
    'drives every Kinesis operation',
    async () => {
      const session = new CliSession(cli, (await getCloud()).endpoint);
      const k = (op: string, command: string, ...args: string[]) => session.call('kinesis', op, command, ...args);
      const name = `cli-stream-${Date.now().toString(36)}`;
      const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
      // Blobs given as text: CLI v1 sends the text's bytes; v2 wants base64 unless told otherwise.
      const raw = cli.major >= 2 ? ['--cli-binary-format', 'raw-in-base64-out'] : [];

      await k('CreateStream', 'create-stream', '--stream-name', name, '--shard-count', '2');
      expect((await k('DescribeStream', 'describe-stream', '--stream-name', name)).StreamDescription.StreamARN).toBe(arn);
      expect((await k('DescribeStreamSummary', 'describe-stream-summary', '--stream-arn', arn)).StreamDescriptionSummary.OpenShardCount).toBe(2);
      expect((await k('ListStreams', 'list-streams')).StreamNames).toContain(name);
      expect((await k('DescribeLimits', 'describe-limits')).ShardLimit).toBe(500);
      const put = await k('PutRecord', 'put-record', '--stream-name', name, '--partition-key', 'a', '--data', 'one', ...raw);
      expect(put.SequenceNumber).toMatch(/^\d{56}$/);
      const entries = JSON.stringify([{ PartitionKey: 'a', Data: 'two' }]);
      expect((await k('PutRecords', 'put-records', '--stream-name', name, '--records', entries, ...raw)).FailedRecordCount).toBe(0);
      const it0 = (await k('GetShardIterator', 'get-shard-iterator', '--stream-name', name, '--shard-id', put.ShardId, '--shard-iterator-type', 'TRIM_HORIZON')).ShardIterator;
      const got = await k('GetRecords', 'get-records', '--shard-iterator', it0);
      expect(got.Records.map((r: { Data: string }) => Buffer.from(r.Data, 'base64').toString())).toEqual(['one', 'two']);
      expect((await k('ListShards', 'list-shards', '--stream-name', name)).Shards).toHaveLength(2);
      await k('SplitShard', 'split-shard', '--stream-name', name, '--shard-to-split', 'shardId-000000000000', '--new-starting-hash-key', '1000');
      await k('MergeShards', 'merge-shards', '--stream-name', name, '--shard-to-merge', 'shardId-000000000002', '--adjacent-shard-to-merge', 'shardId-000000000003');
      expect((await k('UpdateShardCount', 'update-shard-count', '--stream-name', name, '--target-shard-count', '4', '--scaling-type', 'UNIFORM_SCALING')).TargetShardCount).toBe(4);
      await k('IncreaseStreamRetentionPeriod', 'increase-stream-retention-period', '--stream-name', name, '--retention-period-hours', '48');
      await k('DecreaseStreamRetentionPeriod', 'decrease-stream-retention-period', '--stream-name', name, '--retention-period-hours', '24');
      await k('AddTagsToStream', 'add-tags-to-stream', '--stream-name', name, '--tags', 'env=dev,team=a');
      expect((await k('ListTagsForStream', 'list-tags-for-stream', '--stream-name', name)).Tags).toEqual([{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
      await k('RemoveTagsFromStream', 'remove-tags-from-stream', '--stream-name', name, '--tag-keys', 'team');
      const missing: string[] = [];
      const help = await session.run('kinesis', 'tag-resource', 'help');
      if (help.code === 0 || !/Invalid choice/.test(help.stderr)) {
        await k('TagResource', 'tag-resource', '--resource-arn', arn, '--tags', 'x=1');
        await k('UntagResource', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'env');
        expect((await k('ListTagsForResource', 'list-tags-for-resource', '--resource-arn', arn)).Tags).toEqual([{ Key: 'x', Value: '1' }]);
      } else {
        missing.push('TagResource', 'UntagResource', 'ListTagsForResource');
      }
      expect(await session.error('kinesis', 'describe-stream', '--stream-name', `${name}-nope`)).toMatchObject({
        code: 'ResourceNotFoundException',
        message: `Stream ${name}-nope under account ${ACCOUNT} not found.`,
      });
      await k('DeleteStream', 'delete-stream', '--stream-name', name);
      expect(notDriven(KINESIS_OPERATIONS, session.passed, missing)).toEqual([]);
      reportClient('kinesis-clients', session.name, undefined, session.passed.size, missing);
    },
    TIMEOUT,
  );
});
