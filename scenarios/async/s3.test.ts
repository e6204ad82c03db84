/**
 * S3 invokes Lambda asynchronously: an upload fires the function with the S3 event record as AWS
 * sends it (the function reads the object back through the SDK), Lambda's retries and OnFailure
 * destination apply to a failing function, prefix/suffix filters choose which uploads fire, and an
 * S3 bucket takes OnFailure records as objects.
 */
import { PutBucketNotificationConfigurationCommand, PutObjectCommand, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { eventually, getTestbed } from '../_support/testbed';
import { bucketTracker, s3 } from '../s3/_helpers';
import { allowService, attemptStarts, awaitMessages, body, invokeEvent, putConfig, queueTracker, receive } from './_helpers';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'async-s3',
    functions: { reader: { code: 's3-reader', timeout: 10 }, failing: { code: 's3-reader', timeout: 10 }, filtered: { code: 's3-reader', timeout: 10 }, dropped: { code: 'control' } },
  });
const queues = queueTracker();
const buckets = bucketTracker();

/** Lets S3 invoke the function from this bucket, then subscribes it to the bucket's events. */
async function notify(bucket: string, functionName: string, functionArn: string, events: string[], filter?: { prefix?: string; suffix?: string }) {
  await allowService(functionName, 's3.amazonaws.com', `arn:aws:s3:::${bucket}`);
  const FilterRules = [
    ...(filter?.prefix !== undefined ? [{ Name: 'prefix' as const, Value: filter.prefix }] : []),
    ...(filter?.suffix !== undefined ? [{ Name: 'suffix' as const, Value: filter.suffix }] : []),
  ];
  await s3().send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [{ Id: `to-${functionName}`.slice(0, 60), LambdaFunctionArn: functionArn, Events: events as never, Filter: FilterRules.length ? { Key: { FilterRules } } : undefined }],
      },
    }),
  );
}

describe('S3 to Lambda', () => {
  it('an upload invokes the function with the S3 event record; the function reads the object back', async () => {
    const { functions } = await stack();
    const b = await buckets.create('async-s3-put');
    const out = await queues.create('async-s3-put-out');
    await putConfig({ FunctionName: functions.reader.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    await notify(b, functions.reader.name, functions.reader.arn, ['s3:ObjectCreated:*']);
    const put = await s3().send(new PutObjectCommand({ Bucket: b, Key: 'incoming/report 1.json', Body: '{"rows":3}' }));
    const [m] = await awaitMessages(out.url, 1);
    const record = body(m);
    expect(record.requestContext.condition).toBe('Success');
    const event = record.requestPayload;
    expect(event.Records).toHaveLength(1);
    const r = event.Records[0];
    expect(Object.keys(r)).toEqual(['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3']);
    expect(r).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: tb.target.region,
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.any(String) },
      requestParameters: { sourceIPAddress: expect.any(String) },
      responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: `to-${functions.reader.name}`.slice(0, 60),
        bucket: { name: b, ownerIdentity: { principalId: expect.any(String) }, arn: `arn:aws:s3:::${b}` },
        object: { key: 'incoming/report+1.json', size: 10, eTag: put.ETag!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]+$/) },
      },
    });
    expect(record.responsePayload).toEqual({ objects: [{ bucket: b, key: 'incoming/report 1.json', text: '{"rows":3}' }] });
  });

  it('a failing function is retried by Lambda a minute later; the OnFailure record carries the S3 event', async () => {
    const { functions } = await stack();
    const b = await buckets.create('async-s3-fail');
    const out = await queues.create('async-s3-fail-out');
    await putConfig({ FunctionName: functions.failing.name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: out.arn } } });
    await notify(b, functions.failing.name, functions.failing.arn, ['s3:ObjectCreated:Put']);
    await s3().send(new PutObjectCommand({ Bucket: b, Key: 'bad.json', Body: JSON.stringify({ action: 'throw', message: 'cannot parse bad.json' }) }));
    const [m] = await awaitMessages(out.url, 1);
    const record = body(m);
    expect(record.requestContext).toEqual(expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 2 }));
    expect(record.responseContext.functionError).toBe('Unhandled');
    expect(record.responsePayload.errorMessage).toBe('cannot parse bad.json');
    expect(record.requestPayload.Records[0].s3.object.key).toBe('bad.json');
    const starts = await attemptStarts(functions.failing.name, record.requestContext.requestId, 2);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(55_000);
  });

  it('prefix and suffix filters: only matching uploads invoke the function', async () => {
    const { functions } = await stack();
    const b = await buckets.create('async-s3-filter');
    const out = await queues.create('async-s3-filter-out');
    await putConfig({ FunctionName: functions.filtered.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    await notify(b, functions.filtered.name, functions.filtered.arn, ['s3:ObjectCreated:*'], { prefix: 'in/', suffix: '.csv' });
    for (const Key of ['in/a.txt', 'out/b.csv', 'in/C.CSV', 'in/d.csv']) await s3().send(new PutObjectCommand({ Bucket: b, Key, Body: Key }));
    const [m] = await awaitMessages(out.url, 1);
    expect(body(m).requestPayload.Records[0].s3.object.key).toBe('in/d.csv');
    // The uploads before it did not fire: nothing else arrives.
    expect(await receive(out.url, { WaitTimeSeconds: 2 })).toEqual([]);
  });
});

describe('an S3 bucket as the OnFailure destination', () => {
  it('the invocation record is written as aws/lambda/async/<function>/YYYY/MM/DD/<time>-<uuid> [doc]', async () => {
    const { functions } = await stack();
    const records = await buckets.create('async-s3-dest');
    await putConfig({ FunctionName: functions.dropped.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `arn:aws:s3:::${records}` } } });
    const requestId = await invokeEvent(functions.dropped.name, { action: 'throw', message: 'kept in S3' });
    const keys = await eventually(
      async () => ((await s3().send(new ListObjectsV2Command({ Bucket: records }))).Contents ?? []).map((c) => c.Key!),
      (k) => k.length > 0,
      120_000,
    );
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^aws/lambda/async/${functions.dropped.name}/\\d{4}/\\d\\d/\\d\\d/\\d{4}-\\d\\d-\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d-[0-9a-f-]{36}$`));
    const record = JSON.parse(await (await s3().send(new GetObjectCommand({ Bucket: records, Key: keys[0] }))).Body!.transformToString());
    expect(record.requestContext).toEqual(expect.objectContaining({ requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1 }));
    expect(record.requestPayload).toEqual({ action: 'throw', message: 'kept in S3' });
    expect(record.responsePayload.errorMessage).toBe('kept in S3');
  });
});
