/**
 * S3 with the rest of the cloud, through the SDK on a started cloud: bucket notifications (the
 * configuration's checks, the s3:TestEvent, the event record, filters), Lambda code read from S3
 * (CreateFunction / UpdateFunctionCode with S3Bucket / S3Key / S3ObjectVersion), and a bucket as
 * the OnFailure destination of asynchronous invocations ([rec] = AWS-recorded answers).
 */
import { AddPermissionCommand, CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand, UpdateFunctionCodeCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';
import { credentials, thrownBy } from './helpers';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
let cloud: RunningCloud;
let s3: S3Client;
let sqs: SQSClient;
let lambda: LambdaClient;
let n = 0;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  const cfg = { endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 };
  s3 = new S3Client({ ...cfg, forcePathStyle: true });
  sqs = new SQSClient(cfg);
  lambda = new LambdaClient(cfg);
});
afterAll(async () => {
  s3.destroy();
  sqs.destroy();
  lambda.destroy();
  await cloud.stop();
});

const uniq = (p: string) => `${p}-${++n}-${Date.now().toString(36)}`;

async function bucket(): Promise<string> {
  const name = uniq('nb');
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

async function queue(): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniq('nq') }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function messages(url: string, count: number): Promise<any[]> {
  const out: any[] = [];
  for (let i = 0; i < 40 && out.length < count; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    out.push(...(r.Messages ?? []).map((m) => JSON.parse(m.Body!)));
  }
  return out;
}


async function createFunction(name: string, code: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string }): Promise<string> {
  const out = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT}:role/r`, Code: code.ZipFile ? { ZipFile: code.ZipFile } : code }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
  return out.FunctionArn!;
}

describe('bucket notifications to SQS', () => {
  it('sends s3:TestEvent, then the event record as AWS writes it [rec]', async () => {
    const b = await bucket();
    const q = await queue();
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ Id: 'cfg1', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] } }));
    const [test] = await messages(q.url, 1);
    expect(test).toEqual({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: expect.stringMatching(/Z$/), Bucket: b, RequestId: expect.any(String), HostId: expect.any(String) });
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'dir/a b@c.txt', Body: 'hello' }));
    const [event] = await messages(q.url, 1);
    const r = event.Records[0];
    expect(Object.keys(r)).toEqual(['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3']);
    expect(r).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:/) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'cfg1',
        bucket: { name: b, ownerIdentity: { principalId: expect.any(String) }, arn: `arn:aws:s3:::${b}` },
        object: { key: 'dir/a+b%40c.txt', size: 5, eTag: put.ETag!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]+$/) },
      },
    });
  });

  it('filters by prefix and suffix; DeleteObject is ObjectRemoved:Delete; sequencers increase per key', async () => {
    const b = await bucket();
    const q = await queue();
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [
            { QueueArn: q.arn, Events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'Suffix' as never, Value: '.csv' }] } } },
          ],
        },
      }),
    );
    await messages(q.url, 1); // the test event
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'in/skip.txt', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'out/skip.csv', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'in/take.csv', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'in/take.csv', Body: '22' }));
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'in/take.csv' }));
    const got = (await messages(q.url, 3)).map((m) => m.Records[0]);
    expect(got.map((r) => [r.eventName, r.s3.object.key])).toEqual([
      ['ObjectCreated:Put', 'in/take.csv'],
      ['ObjectCreated:Put', 'in/take.csv'],
      ['ObjectRemoved:Delete', 'in/take.csv'],
    ]);
    const seq = got.map((r) => BigInt(`0x${r.s3.object.sequencer}`));
    expect(seq[0] < seq[1] && seq[1] < seq[2]).toBe(true);
    expect(got[2].s3.object).toEqual({ key: 'in/take.csv', sequencer: expect.any(String) });
    const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
    expect(config.QueueConfigurations?.[0].Filter?.Key?.FilterRules).toEqual([{ Name: 'Prefix', Value: 'in/' }, { Name: 'Suffix', Value: '.csv' }]);
    expect(config.QueueConfigurations?.[0].Id).toEqual(expect.any(String));
  });

  it('versioned buckets: versionId in records; DeleteMarkerCreated with the empty ETag [rec]', async () => {
    const b = await bucket();
    const q = await queue();
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] } }));
    await messages(q.url, 1);
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'v', Body: 'x' }));
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'v' }));
    const [created, marker] = (await messages(q.url, 2)).map((m) => m.Records[0]);
    expect(created.s3.object.versionId).toBe(put.VersionId);
    expect(marker.eventName).toBe('ObjectRemoved:DeleteMarkerCreated');
    expect(marker.s3.object).toEqual({ key: 'v', eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: del.VersionId, sequencer: expect.any(String) });
  });

  it('refuses unparsable ARNs, missing destinations, unknown events, bad filter names and overlaps [rec]', async () => {
    const b = await bucket();
    const q = await queue();
    const put = (NotificationConfiguration: any, SkipDestinationValidation?: boolean) =>
      thrownBy(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration, SkipDestinationValidation })));
    const arn = await put({ QueueConfigurations: [{ QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }] });
    expect([arn.name, arn.message, arn.ArgumentName, arn.ArgumentValue]).toEqual(['InvalidArgument', 'The ARN could not be parsed', 'Queue', 'invalid-queue']);
    const missing = await put({ QueueConfigurations: [{ QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:my-queue`, Events: ['s3:ObjectCreated:*'] }] });
    expect(missing.message).toBe('Unable to validate the following destination configurations');
    expect(missing.ArgumentName1).toBe(`arn:aws:sqs:${REGION}:${ACCOUNT}:my-queue`);
    expect(missing.ArgumentValue1).toBe('The destination queue does not exist');
    const fn = await put({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-lambda`, Events: ['s3:ObjectCreated:*'] }] });
    expect(fn.ArgumentName1).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-lambda, null`);
    expect(fn.ArgumentValue1).toBe(`Not authorized to invoke function [arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-lambda]`);
    const event = await put({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectMade:*'] }] });
    expect(event.name).toBe('InvalidArgument');
    const rule = await put({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'INVALID', Value: 'x' }] } } }] });
    expect([rule.message, rule.ArgumentName]).toEqual(['filter rule name must be either prefix or suffix', 'FilterRule.Name']);
    const overlap = await put({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }, { QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'] }] });
    expect(overlap.message).toBe('Configurations overlap. Configurations on the same bucket cannot share a common event type.');
    const fine = s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: b,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } }, { QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } } }] },
    }));
    await expect(fine).resolves.toBeDefined();
    await expect(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, SkipDestinationValidation: true, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:nowhere`, Events: ['s3:ObjectCreated:*'] }] } }))).resolves.toBeDefined();
  });
});

describe('Lambda and S3', () => {
  const handler = 'exports.handler = async (e) => { if (e.fail) throw new Error("failed on purpose"); return { got: e }; };';

  it('CreateFunction and UpdateFunctionCode from S3 (with S3ObjectVersion); S3’s errors in Lambda’s words [rec]', async () => {
    const b = await bucket();
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    const zip1 = zipFiles({ 'index.js': 'exports.handler = async () => "one";' });
    const zip2 = zipFiles({ 'index.js': 'exports.handler = async () => "two";' });
    const v1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'code.zip', Body: zip1 }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'code.zip', Body: zip2 }));
    const name = uniq('from-s3');
    await createFunction(name, { S3Bucket: b, S3Key: 'code.zip' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
    expect(Buffer.from(out.Payload!).toString()).toBe('"two"');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: b, S3Key: 'code.zip', S3ObjectVersion: v1.VersionId }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
    expect(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload!).toString()).toBe('"one"');
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    const res = await fetch(fn.Code!.Location!);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(zip1))).toBe(true);
    const noBucket = await thrownBy(createFunction(uniq('x'), { S3Bucket: 'no-such-bucket-zz', S3Key: 'k' }));
    expect([noBucket.name, noBucket.message]).toEqual(['InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist']);
    const noKey = await thrownBy(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: b, S3Key: 'missing.zip' })));
    expect(noKey.message).toBe('Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
  });

  it('an upload invokes a permitted function asynchronously with the S3 event; an OnFailure bucket gets failed records', async () => {
    const b = await bucket();
    const records = await bucket();
    const out = await queue();
    const name = uniq('on-upload');
    const arn = await createFunction(name, { ZipFile: zipFiles({ 'index.js': handler }) });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: out.arn }, OnFailure: { Destination: `arn:aws:s3:::${records}` } } }));
    const config = { Bucket: b, NotificationConfiguration: { LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*' as const] }] } };
    const refused = await thrownBy(s3.send(new PutBucketNotificationConfigurationCommand(config)));
    expect(refused.ArgumentValue1).toBe(`Not authorized to invoke function [${arn}]`);
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: `arn:aws:s3:::${b}`, SourceAccount: ACCOUNT }));
    await s3.send(new PutBucketNotificationConfigurationCommand(config));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'upload.txt', Body: 'hi' }));
    const [success] = await messages(out.url, 1);
    expect(success.requestContext.condition).toBe('Success');
    expect(success.requestPayload.Records[0].s3.object.key).toBe('upload.txt');
    expect(success.responsePayload.got.Records[0].eventName).toBe('ObjectCreated:Put');
    // A failing invocation's record lands in the bucket under aws/lambda/async/<function>/ [doc].
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"fail":true}') }));
    let keys: string[] = [];
    for (let i = 0; i < 100 && keys.length === 0; i++) {
      keys = ((await s3.send(new ListObjectsV2Command({ Bucket: records }))).Contents ?? []).map((c) => c.Key!);
      if (!keys.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^aws/lambda/async/${name}/\\d{4}/\\d\\d/\\d\\d/\\d{4}-\\d\\d-\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d-[0-9a-f-]{36}$`));
    const body = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: records, Key: keys[0] }))).Body!.transformToString());
    expect(body.requestContext).toEqual(expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 1 }));
    expect(body.requestPayload).toEqual({ fail: true });
    expect(body.responsePayload.errorMessage).toBe('failed on purpose');
  });
});

describe('a bucket as a stream mapping’s OnFailure destination', () => {
  it('writes the failed batch’s record with its payload under aws/lambda/<mapping>/<shard>/ [doc][rec]', async () => {
    const { KinesisClient, CreateStreamCommand, PutRecordCommand, DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
    const { CreateEventSourceMappingCommand } = await import('@aws-sdk/client-lambda');
    const kinesis = new KinesisClient({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
    try {
      const records = await bucket();
      const stream = uniq('st');
      await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
      let streamArn = '';
      for (let i = 0; i < 100; i++) {
        const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
        streamArn = d.StreamDescriptionSummary!.StreamARN!;
        if (d.StreamDescriptionSummary!.StreamStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const name = uniq('kfail');
      await createFunction(name, { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => { throw new Error("no"); };' }) });
      await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('{"x":1}') }));
      const m = await lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 1, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `arn:aws:s3:::${records}` } } }),
      );
      let keys: string[] = [];
      for (let i = 0; i < 200 && keys.length === 0; i++) {
        keys = ((await s3.send(new ListObjectsV2Command({ Bucket: records }))).Contents ?? []).map((c) => c.Key!);
        if (!keys.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^aws/lambda/${m.UUID}/shardId-000000000000/\\d{4}/\\d\\d/\\d\\d/\\d{4}-\\d\\d-\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d-`));
      const body = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: records, Key: keys[0] }))).Body!.transformToString());
      expect(body.KinesisBatchInfo).toEqual(expect.objectContaining({ batchSize: 1, shardId: 'shardId-000000000000', streamArn }));
      expect(body.payload.Records).toHaveLength(1);
      expect(Buffer.from(body.payload.Records[0].kinesis.data, 'base64').toString()).toBe('{"x":1}');
    } finally {
      kinesis.destroy();
    }
  });
});

describe('SNS and EventBridge destinations', () => {
  it('SNS gets the record with Subject "Amazon S3 Notification"; EventBridge an "Object Created" event from aws.s3 [rec]', async () => {
    const { SNSClient, CreateTopicCommand, SubscribeCommand } = await import('@aws-sdk/client-sns');
    const { EventBridgeClient, PutRuleCommand, PutTargetsCommand } = await import('@aws-sdk/client-eventbridge');
    const cfg = { endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 };
    const sns = new SNSClient(cfg);
    const events = new EventBridgeClient(cfg);
    try {
      const b = await bucket();
      const viaSns = await queue();
      const viaEvents = await queue();
      const topic = (await sns.send(new CreateTopicCommand({ Name: uniq('nt') }))).TopicArn!;
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: viaSns.arn }));
      const rule = uniq('nr');
      await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [b] } } }) }));
      await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: viaEvents.arn }] }));
      await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { TopicConfigurations: [{ TopicArn: topic, Events: ['s3:ObjectCreated:*'] }], EventBridgeConfiguration: {} } }));
      const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
      expect(config.EventBridgeConfiguration).toEqual({});
      const [test] = await messages(viaSns.url, 1);
      expect(test.Subject).toBe('Amazon S3 Notification');
      expect(JSON.parse(test.Message).Event).toBe('s3:TestEvent');
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'e b.txt', Body: 'abc' }));
      const [notification] = await messages(viaSns.url, 1);
      expect(notification.Subject).toBe('Amazon S3 Notification');
      expect(JSON.parse(notification.Message).Records[0].s3.object.key).toBe('e+b.txt');
      const [event] = await messages(viaEvents.url, 1);
      expect(event).toEqual(
        expect.objectContaining({
          source: 'aws.s3',
          'detail-type': 'Object Created',
          account: ACCOUNT,
          region: REGION,
          resources: [`arn:aws:s3:::${b}`],
          detail: expect.objectContaining({ version: '0', bucket: { name: b }, object: expect.objectContaining({ key: 'e b.txt', size: 3 }), reason: 'PutObject' }),
        }),
      );
    } finally {
      sns.destroy();
      events.destroy();
    }
  });
});
