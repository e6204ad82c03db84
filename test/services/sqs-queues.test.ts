/**
 * SQS queue operations and message move tasks through the wire: @aws-sdk/client-sqs (JSON 1.0,
 * query-compatible errors) against a started embedded cloud in compressed time.
 *
 * Move tasks need messages in a dead-letter queue; those are put there through the queue's
 * message model (`messages.putMoved`), as a redrive does.
 */
import { randomUUID } from 'node:crypto';
import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type Message,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import type { MessageQueue, QueueRecord, SqsMessage } from '../../src/cloud/services/sqs/types';
import { credentials } from './helpers';

let cloud: RunningCloud;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  sqs = client('us-east-1');
});
afterAll(async () => {
  sqs.destroy();
  await cloud.stop();
});

function client(region: string): SQSClient {
  return new SQSClient({ endpoint: cloud.endpoint, region, credentials, maxAttempts: 1 });
}

const clock = () => cloud.cloud.clock;
const store = () => cloud.cloud.sqs;
let seq = 0;
const uniq = (base = 'q') => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;

async function create(name = uniq(), Attributes?: Record<string, string>, tags?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes, tags }))).QueueUrl!;
}

async function attrs(QueueUrl: string, names: string[] = ['All']): Promise<Record<string, string> | undefined> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as QueueAttributeName[] }))).Attributes;
}

async function arnOf(QueueUrl: string): Promise<string> {
  return (await attrs(QueueUrl, ['QueueArn']))!.QueueArn;
}

interface SdkError {
  name: string;
  message: string;
  Error?: { Code?: string };
  $metadata?: { httpStatusCode?: number };
  $response?: { headers: Record<string, string> };
}

/** The SDK's view of an error: its name (the legacy code for unmodeled errors), legacy code, status, message. */
async function failure(p: Promise<unknown>): Promise<{ name: string; code?: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { name: err.name, code: err.Error?.Code, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** A raw JSON 1.0 call, to see `__type` and `x-amzn-query-error` as sent. */
async function rawJson(op: string, body: unknown): Promise<{ status: number; type: string; queryError: string | null; message: string }> {
  const res = await fetch(cloud.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { __type: string; message: string };
  return { status: res.status, type: json.__type, queryError: res.headers.get('x-amzn-query-error'), message: json.message };
}

const STANDARD_DEFAULTS = {
  ApproximateNumberOfMessages: '0',
  ApproximateNumberOfMessagesDelayed: '0',
  ApproximateNumberOfMessagesNotVisible: '0',
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
  VisibilityTimeout: '30',
};

// ------------------------------------------------------------------ CreateQueue / GetQueueUrl / DeleteQueue

describe('CreateQueue', () => {
  it('creates a standard queue with AWS defaults and answers a URL on the endpoint the client used', async () => {
    const name = uniq();
    const before = Math.floor(clock().now() / 1000);
    const url = await create(name);
    expect(url).toBe(`${cloud.endpoint}/000000000000/${name}`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    const a = (await attrs(url))!;
    expect(a).toEqual({
      ...STANDARD_DEFAULTS,
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      CreatedTimestamp: expect.any(String),
      LastModifiedTimestamp: expect.any(String),
    });
    // Epoch seconds, on the cloud's clock.
    expect(Number(a.CreatedTimestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(a.CreatedTimestamp)).toBeLessThanOrEqual(Math.floor(clock().now() / 1000));
    expect(a.LastModifiedTimestamp).toBe(a.CreatedTimestamp);
  });

  it('creates a FIFO queue with the FIFO defaults', async () => {
    const url = await create(uniq('f') + '.fifo', { FifoQueue: 'true' });
    expect(await attrs(url)).toEqual({
      ...STANDARD_DEFAULTS,
      QueueArn: expect.stringMatching(/\.fifo$/),
      CreatedTimestamp: expect.any(String),
      LastModifiedTimestamp: expect.any(String),
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  });

  it('stores the attributes it is given', async () => {
    const url = await create(uniq(), { MessageRetentionPeriod: '604800', ReceiveMessageWaitTimeSeconds: '10', VisibilityTimeout: '20' });
    expect(await attrs(url, ['MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'DelaySeconds'])).toEqual({
      MessageRetentionPeriod: '604800',
      ReceiveMessageWaitTimeSeconds: '10',
      VisibilityTimeout: '20',
      DelaySeconds: '0',
    });
  });

  it('is idempotent for the same attributes and refuses different ones (AWS-recorded sequence)', async () => {
    const name = uniq();
    const url = await create(name, { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '1' });
    expect(await create(name)).toBe(url);
    expect(await create(name, { DelaySeconds: '1' })).toBe(url);
    expect(await create(name, { VisibilityTimeout: '30' })).toBe(url); // a default counts as the same value
    const e = await failure(create(name, { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' }));
    expect(e).toEqual({
      name: 'QueueNameExists',
      code: 'QueueAlreadyExists',
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '2' } }));
    expect(await create(name, { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' })).toBe(url);
    expect((await failure(create(name, { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '1' }))).message).toBe(
      'A queue already exists with the same name and a different value for attribute DelaySeconds',
    );
  });

  it('refuses a FIFO queue of the same name with another ContentBasedDeduplication (AWS-recorded)', async () => {
    const name = uniq('f') + '.fifo';
    const url = await create(name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    expect(await create(name, { FifoQueue: 'true' })).toBe(url);
    expect((await failure(create(name, { FifoQueue: 'true', ContentBasedDeduplication: 'false' }))).message).toBe(
      'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    );
  });

  it('checks queue names', async () => {
    const standard = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
    const fifo =
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length';
    for (const name of ['with space', 'a'.repeat(81), 'x.fifo', 'abc@']) {
      expect(await failure(create(name))).toEqual({ name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: standard });
    }
    expect((await failure(create(uniq(), { FifoQueue: 'true' }))).message).toBe(fifo);
    expect((await failure(create(`${'a'.repeat(76)}.fifo`, { FifoQueue: 'true' }))).message).toBe(fifo);
    expect(await create(`${'a'.repeat(75)}.fifo`, { FifoQueue: 'true' })).toMatch(/\.fifo$/);
    expect(await create('b'.repeat(80))).toMatch(/b{80}$/);
  });

  it('refuses FIFO attributes on a standard queue (AWS-recorded texts)', async () => {
    const name = uniq();
    expect(await failure(create(name, { FifoQueue: 'false' }))).toEqual({
      name: 'InvalidAttributeName',
      code: 'InvalidAttributeName',
      status: 400,
      message: 'Unknown Attribute FifoQueue.',
    });
    expect((await failure(create(name, { ContentBasedDeduplication: 'false' }))).message).toBe('Unknown Attribute ContentBasedDeduplication.');
    expect((await failure(create(name, { DeduplicationScope: 'queue' }))).message).toBe(
      'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    );
    expect((await failure(create(name, { FifoThroughputLimit: 'perQueue' }))).message).toBe(
      'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
    );
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: name }))).rejects.toThrow('The specified queue does not exist.');
  });

  it('checks attribute names and ranges', async () => {
    expect((await failure(create(uniq(), { QueueArn: 'x' }))).message).toBe('Unknown Attribute QueueArn.');
    expect((await failure(create(uniq(), { Foo: '1' }))).message).toBe('Unknown Attribute Foo.');
    const cases: [string, string][] = [
      ['VisibilityTimeout', '43201'],
      ['VisibilityTimeout', '-1'],
      ['DelaySeconds', '901'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['MessageRetentionPeriod', '59'],
      ['MessageRetentionPeriod', '1209601'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['KmsDataKeyReusePeriodSeconds', '59'],
      ['DelaySeconds', '1.5'],
    ];
    for (const [name, value] of cases) {
      expect(await failure(create(uniq(), { [name]: value }))).toEqual({
        name: 'InvalidAttributeValue',
        code: 'InvalidAttributeValue',
        status: 400,
        message: `Invalid value for the parameter ${name}.`,
      });
    }
  });

  it('answers AWS JSON names on the wire: __type InvalidParameterValueException, legacy code in x-amzn-query-error', async () => {
    expect(await rawJson('CreateQueue', { QueueName: 'bad name' })).toEqual({
      status: 400,
      type: 'com.amazonaws.sqs#InvalidParameterValueException',
      queryError: 'InvalidParameterValue;Sender',
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    });
    expect(await rawJson('CreateQueue', {})).toEqual(
      expect.objectContaining({ type: 'com.amazonaws.sqs#InvalidParameterValueException', message: 'Value for parameter QueueName is invalid. Reason: Must specify a queue name.' }),
    );
    const name = uniq();
    await create(name, { DelaySeconds: '1' });
    expect(await rawJson('CreateQueue', { QueueName: name, Attributes: { DelaySeconds: '2' } })).toEqual(
      expect.objectContaining({ type: 'com.amazonaws.sqs#QueueNameExists', queryError: 'QueueAlreadyExists;Sender' }),
    );
  });

  it('accepts numbers in the JSON attribute map as their text', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
      body: JSON.stringify({ QueueName: 'numeric-attrs', Attributes: { DelaySeconds: 400 } }),
    });
    expect(res.status).toBe(200);
    const { QueueUrl } = (await res.json()) as { QueueUrl: string };
    expect(await attrs(QueueUrl, ['DelaySeconds'])).toEqual({ DelaySeconds: '400' });
  });

  it('keeps a deleted name for 60 s (QueueDeletedRecently)', async () => {
    const name = uniq();
    const url = await create(name);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await failure(create(name))).toEqual({
      name: 'QueueDeletedRecently',
      code: 'AWS.SimpleQueueService.QueueDeletedRecently',
      status: 400,
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    });
    clock().advance(59_000);
    expect((await failure(create(name))).name).toBe('QueueDeletedRecently');
    clock().advance(1_000);
    expect(await create(name)).toBe(url);
  });

  it('keeps queues per region', async () => {
    const name = uniq();
    const east = await create(name);
    const west = client('eu-west-1');
    try {
      await expect(west.send(new GetQueueUrlCommand({ QueueName: name }))).rejects.toThrow('The specified queue does not exist.');
      const westUrl = (await west.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '5' } }))).QueueUrl!;
      expect((await west.send(new GetQueueAttributesCommand({ QueueUrl: westUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn).toBe(
        `arn:aws:sqs:eu-west-1:000000000000:${name}`,
      );
      expect(await attrs(east, ['DelaySeconds'])).toEqual({ DelaySeconds: '0' });
    } finally {
      west.destroy();
    }
  });
});

describe('DeleteQueue and GetQueueUrl', () => {
  it('a deleted queue does not exist any more (AWS-recorded texts)', async () => {
    const name = uniq();
    const url = await create(name);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await failure(attrs(url))).toEqual({
      name: 'QueueDoesNotExist',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
      message: 'The specified queue does not exist.',
    });
    expect((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: name })))).name).toBe('QueueDoesNotExist');
    expect((await failure(sqs.send(new DeleteQueueCommand({ QueueUrl: url })))).name).toBe('QueueDoesNotExist');
  });

  it('GetQueueUrl finds a queue of the given owner account', async () => {
    const name = uniq();
    const url = await create(name);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '000000000000' }))).QueueUrl).toBe(url);
    expect((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '111111111111' })))).name).toBe('QueueDoesNotExist');
  });
});

// ------------------------------------------------------------------ ListQueues

describe('ListQueues', () => {
  it('lists by prefix, leaves QueueUrls out when nothing matches, pages with MaxResults', async () => {
    const prefix = `lq${randomUUID().slice(0, 6)}`;
    const urls: string[] = [];
    for (let i = 0; i < 5; i++) urls.push(await create(`${prefix}-${i}`));
    await create(`other${prefix}`);

    const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(all.QueueUrls).toEqual(urls);
    expect(all.NextToken).toBeUndefined();

    const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-nope` }));
    expect(none.QueueUrls).toBeUndefined();

    const p1 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    expect(p1.QueueUrls).toEqual(urls.slice(0, 2));
    expect(p1.NextToken).toEqual(expect.any(String));
    const p2 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 10, NextToken: p1.NextToken }));
    expect(p2.QueueUrls).toEqual(urls.slice(2));
    expect(p2.NextToken).toBeUndefined();

    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual(expect.arrayContaining(urls));
  });

  it('checks MaxResults and NextToken', async () => {
    for (const MaxResults of [0, 1001]) {
      expect(await failure(sqs.send(new ListQueuesCommand({ MaxResults })))).toEqual({
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.',
      });
    }
    const prefix = `lt${randomUUID().slice(0, 6)}`;
    await create(`${prefix}-a`);
    await create(`${prefix}-b`);
    const { NextToken } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1 }));
    expect((await failure(sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, NextToken })))).message).toBe(
      'MaxResults is a mandatory parameter when you provide a value for NextToken.',
    );
    expect((await failure(sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'x', MaxResults: 1, NextToken })))).message).toBe(
      'Invalid NextToken value. If you are passing in NextToken, you must not change the other request parameters.',
    );
  });
});

// ------------------------------------------------------------------ GetQueueAttributes / SetQueueAttributes

describe('GetQueueAttributes', () => {
  it('answers exactly the named attributes', async () => {
    const url = await create();
    const a = (await attrs(url, ['QueueArn', 'CreatedTimestamp', 'VisibilityTimeout']))!;
    expect(Object.keys(a).sort()).toEqual(['CreatedTimestamp', 'QueueArn', 'VisibilityTimeout']);
    expect(a.VisibilityTimeout).toBe('30');
  });

  it('leaves Attributes out when the queue has none of the named ones, refuses unknown names', async () => {
    const url = await create();
    expect(await attrs(url, ['FifoQueue', 'Policy', 'RedrivePolicy'])).toBeUndefined();
    expect(await attrs(url, [])).toBeUndefined();
    expect(await failure(attrs(url, ['VisibilityTimeout', 'Foobar']))).toEqual({
      name: 'InvalidAttributeName',
      code: 'InvalidAttributeName',
      status: 400,
      message: 'Unknown Attribute Foobar.',
    });
  });
});

describe('SetQueueAttributes', () => {
  it('updates attributes and LastModifiedTimestamp (AWS-recorded values)', async () => {
    const url = await create(uniq(), { MessageRetentionPeriod: '604800', ReceiveMessageWaitTimeSeconds: '10', VisibilityTimeout: '20' });
    const before = (await attrs(url))!;
    clock().advance(5_000);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '2048', VisibilityTimeout: '69', DelaySeconds: '420' } }));
    const after = (await attrs(url))!;
    expect(after).toEqual({
      ...before,
      MaximumMessageSize: '2048',
      VisibilityTimeout: '69',
      DelaySeconds: '420',
      LastModifiedTimestamp: expect.any(String),
    });
    expect(Number(after.LastModifiedTimestamp) - Number(before.LastModifiedTimestamp)).toBeGreaterThanOrEqual(5);
    expect(after.CreatedTimestamp).toBe(before.CreatedTimestamp);
  });

  it('takes effect on the live queue record the message model reads', async () => {
    const url = await create();
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '7' } }));
    expect(store().resolve({ region: 'us-east-1', accountId: '000000000000' }, url).attributes.VisibilityTimeout).toBe('7');
  });

  it('refuses FifoQueue on a standard queue and a change of type on a FIFO queue (AWS-recorded)', async () => {
    const url = await create();
    for (const v of ['true', 'false']) {
      expect((await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: v } })))).message).toBe(
        'Unknown Attribute FifoQueue.',
      );
    }
    const fifo = await create(uniq('f') + '.fifo', { FifoQueue: 'true' });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo, Attributes: { FifoQueue: 'true' } }));
    expect(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo, Attributes: { FifoQueue: 'false' } })))).toEqual({
      name: 'InvalidAttributeValue',
      code: 'InvalidAttributeValue',
      status: 400,
      message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    });
  });

  it('changes nothing when one attribute of the request is invalid', async () => {
    const url = await create();
    await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '10', DelaySeconds: '1000' } })));
    expect(await attrs(url, ['VisibilityTimeout', 'DelaySeconds'])).toEqual({ VisibilityTimeout: '30', DelaySeconds: '0' });
  });

  it('settles server-side encryption as AWS does (AWS-recorded)', async () => {
    const url = await create();
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } }));
    expect(await attrs(url, ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'])).toEqual({
      KmsMasterKeyId: 'testKeyId',
      KmsDataKeyReusePeriodSeconds: '6000',
      SqsManagedSseEnabled: 'false',
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' } }));
    expect(await attrs(url)).toEqual({ ...STANDARD_DEFAULTS, SqsManagedSseEnabled: 'false', QueueArn: expect.any(String), CreatedTimestamp: expect.any(String), LastModifiedTimestamp: expect.any(String) });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { SqsManagedSseEnabled: 'true' } }));
    expect(await attrs(url, ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'])).toEqual({ SqsManagedSseEnabled: 'true' });
    expect(
      await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'testKeyId', SqsManagedSseEnabled: 'true' } }))),
    ).toEqual({
      name: 'InvalidAttributeName',
      code: 'InvalidAttributeName',
      status: 400,
      message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    });
  });

  it('switches FIFO throughput modes (AWS-recorded) and refuses perMessageGroupId without messageGroup', async () => {
    const url = await create(uniq('f') + '.fifo', { FifoQueue: 'true' });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } }));
    expect(await attrs(url, ['DeduplicationScope', 'FifoThroughputLimit'])).toEqual({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    expect((await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DeduplicationScope: 'queue' } })))).name).toBe(
      'InvalidAttributeValue',
    );
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } }));
    expect(await attrs(url, ['DeduplicationScope', 'FifoThroughputLimit'])).toEqual({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  });

  it('sets and clears a Policy', async () => {
    const url = await create();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy } }));
    expect(await attrs(url, ['Policy'])).toEqual({ Policy: policy });
    expect((await attrs(url))!.Policy).toBe(policy);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } }));
    expect(await attrs(url, ['Policy'])).toBeUndefined();
    expect((await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: 'badjson' } })))).message).toBe(
      'Invalid value for the parameter Policy.',
    );
  });
});

// ------------------------------------------------------------------ RedrivePolicy / ListDeadLetterSourceQueues

describe('RedrivePolicy and RedriveAllowPolicy', () => {
  it('stores a valid policy with the count as a number, and "" removes it', async () => {
    const dlq = await create(uniq('dlq'));
    const dlqArn = await arnOf(dlq);
    const url = await create(uniq(), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '42' }) });
    expect(await attrs(url, ['RedrivePolicy'])).toEqual({ RedrivePolicy: `{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":42}` });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: '' } }));
    expect(await attrs(url, ['RedrivePolicy'])).toBeUndefined();
  });

  it('refuses bad policies with AWS texts', async () => {
    const dlq = await create(uniq('dlq'));
    const dlqArn = await arnOf(dlq);
    const fifoDlq = await create(uniq('dlq') + '.fifo', { FifoQueue: 'true' });
    const fifoDlqArn = await arnOf(fifoDlq);
    const url = await create();
    const set = (RedrivePolicy: string) => failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy } })));
    const reason = (raw: string, r: string) => `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${r}`;

    let raw = JSON.stringify({ deadLetterTargetArn: dlqArn });
    expect(await set(raw)).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: reason(raw, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'),
    });
    raw = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1001 });
    expect((await set(raw)).message).toBe(reason(raw, 'Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.'));
    raw = JSON.stringify({ deadLetterTargetArn: fifoDlqArn, maxReceiveCount: 5 });
    expect((await set(raw)).message).toBe(reason(raw, 'Dead-letter queue must be same type of queue as the source..'));
    raw = JSON.stringify({ deadLetterTargetArn: `${dlqArn}-missing`, maxReceiveCount: 5 });
    expect((await set(raw)).message).toBe(reason(raw, 'Dead letter target does not exist.'));
    expect((await set('{')).message).toBe('Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.');
    expect(await attrs(url, ['RedrivePolicy'])).toBeUndefined();
  });

  it("follows the dead-letter queue's RedriveAllowPolicy", async () => {
    const dlq = await create(uniq('dlq'), { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const dlqArn = await arnOf(dlq);
    const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    expect((await failure(create(uniq(), { RedrivePolicy: policy }))).name).toBe('InvalidParameterValue');

    const name = uniq();
    const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
    const allow = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: allow } }));
    expect(await attrs(dlq, ['RedriveAllowPolicy'])).toEqual({ RedriveAllowPolicy: allow });
    expect((await failure(create(uniq(), { RedrivePolicy: policy }))).name).toBe('InvalidParameterValue');
    expect(await create(name, { RedrivePolicy: policy })).toMatch(new RegExp(`/${name}$`));
  });

  it('checks RedriveAllowPolicy', async () => {
    const url = await create();
    const raw = JSON.stringify({ redrivePermission: 'byQueue' });
    expect(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedriveAllowPolicy: raw } })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: `Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.`,
    });
  });
});

describe('ListDeadLetterSourceQueues', () => {
  it('lists the queues whose RedrivePolicy targets the queue, with paging', async () => {
    const dlq = await create(uniq('dlq'));
    const policy = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 50 });
    const a = await create(`src-a-${randomUUID().slice(0, 6)}`, { RedrivePolicy: policy });
    const b = await create(`src-b-${randomUUID().slice(0, 6)}`);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: b, Attributes: { RedrivePolicy: policy } }));
    await create(uniq('unrelated'));

    const all = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(all.queueUrls).toEqual([a, b]);
    expect(all.NextToken).toBeUndefined();

    const p1 = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1 }));
    expect(p1.queueUrls).toEqual([a]);
    const p2 = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1, NextToken: p1.NextToken }));
    expect(p2.queueUrls).toEqual([b]);
    expect(p2.NextToken).toBeUndefined();

    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: a, Attributes: { RedrivePolicy: '' } }));
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([b]);
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: a }))).queueUrls).toEqual([]);
  });
});

// ------------------------------------------------------------------ PurgeQueue

describe('PurgeQueue', () => {
  it('purges once per 60 s (AWS-recorded text) and records the time', async () => {
    const name = uniq();
    const url = await create(name);
    const q = store().resolve({ region: 'us-east-1', accountId: '000000000000' }, url);
    const purge = jest.spyOn(q.messages, 'purge');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(purge).toHaveBeenCalledTimes(1);
    expect(q.lastPurgeMs).toBeLessThanOrEqual(clock().now());
    clock().advance(59_000);
    expect(await failure(sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).toEqual({
      name: 'PurgeQueueInProgress',
      code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      status: 403,
      message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    });
    expect(purge).toHaveBeenCalledTimes(1);
    clock().advance(1_000);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(purge).toHaveBeenCalledTimes(2);
  });
});

// ------------------------------------------------------------------ tags

describe('tags', () => {
  it('tags, lists and untags (AWS-recorded)', async () => {
    const url = await create();
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag1: 'value1', tag2: 'value2', tag3: '' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag1: 'value1', tag2: 'value2', tag3: '' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tag1', 'tag3', 'missing'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag2: 'value2' });
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag2: 'V2', Tag2: 'other case' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag2: 'V2', Tag2: 'other case' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tag2', 'Tag2'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toBeUndefined();
  });

  it('takes tags at creation', async () => {
    const url = await create(uniq(), undefined, { team: 'a', env: 'test' });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'a', env: 'test' });
  });

  it('checks tag limits', async () => {
    const name = uniq();
    const url = await create(name);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: many }));
    expect(await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { one: 'more' } })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: `Too many tags added for queue ${name}.`,
    });
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { k0: 'replaced' } })); // overwriting does not add
    expect((await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { ['k'.repeat(129)]: 'v' } })))).message).toBe(
      'Tag keys must be between 1 and 128 characters in length.',
    );
    expect(await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: {} })))).toEqual({
      name: 'MissingParameter',
      code: 'MissingParameter',
      status: 400,
      message: 'The request must contain the parameter Tags.',
    });
    expect((await failure(sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: [] })))).message).toBe(
      'Tag keys must be between 1 and 128 characters in length.',
    );
  });
});

// ------------------------------------------------------------------ permissions

describe('AddPermission / RemovePermission', () => {
  it('builds the Policy attribute as AWS does through a permission lifecycle (AWS-recorded)', async () => {
    const url = await create();
    const arn = await arnOf(url);
    const policyOf = async () => {
      const a = await attrs(url, ['Policy']);
      return a && JSON.parse(a.Policy);
    };
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000', '668614515564'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }));
    expect(await policyOf()).toEqual({
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'crossaccountpermission',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::000000000000:root', 'arn:aws:iam::668614515564:root'] },
          Action: 'SQS:ReceiveMessage',
          Resource: arn,
        },
      ],
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' }));
    expect(await policyOf()).toBeUndefined();

    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }));
    expect((await policyOf()).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::000000000000:root' });
    expect(
      await failure(sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['668614515564'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }))),
    ).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.',
    });
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission2' }));
    expect((await policyOf()).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['crossaccountpermission', 'crossaccountpermission2']);
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' }));
    expect((await policyOf()).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['crossaccountpermission2']);
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission2' }));
    expect(await policyOf()).toBeUndefined();
    expect(await failure(sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission2' })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    });
  });

  it('checks actions', async () => {
    const url = await create();
    const add = (Actions: string[]) => failure(sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions, Label: 'l' })));
    expect(await add(Array(8).fill('SendMessage'))).toEqual({
      name: 'OverLimit',
      code: 'OverLimit',
      status: 403,
      message: '8 Actions were found, maximum allowed is 7.',
    });
    expect((await add(['CreateQueue'])).message).toBe('Value SQS:CreateQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.');
    expect(await attrs(url, ['Policy'])).toBeUndefined();
  });
});

// ------------------------------------------------------------------ message move tasks

/** A message as a redrive leaves it in a dead-letter queue. */
function dlqMessage(body: string, sourceArn?: string): SqsMessage {
  return {
    messageId: randomUUID(),
    body,
    md5OfBody: '',
    messageAttributes: {},
    messageSystemAttributes: {},
    senderId: '000000000000',
    sentTimestamp: clock().now(),
    receiveCount: 2,
    deadLetterQueueSourceArn: sourceArn,
  };
}

/**
 * A plain FIFO list standing in for a queue's message model (available messages only), so that the
 * move tasks are tested on their own; installed on the queue records.
 */
function listQueue(): MessageQueue & { items: SqsMessage[] } {
  const items: SqsMessage[] = [];
  const unused = () => {
    throw new Error('not used by move tasks');
  };
  return {
    items,
    counts: () => ({ visible: items.length, inFlight: 0, delayed: 0 }),
    purge: () => void items.splice(0),
    takeForMove: () => items.shift(),
    putMoved: (m) => void items.push(m),
    close: () => undefined,
    send: unused,
    receive: unused,
    deleteMessage: unused,
    changeVisibility: unused,
    attributesChanged: () => undefined,
    onAvailable: () => () => undefined,
  };
}

interface Pipe {
  source: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
  dlq: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
  dest: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
}

async function queueWithList(name: string, Attributes?: Record<string, string>) {
  const url = await create(name, Attributes);
  const arn = await arnOf(url);
  const q = store().byArn(arn)!;
  const list = listQueue();
  q.messages = list;
  return { url, arn, q, list };
}

/** source -> dlq (its RedrivePolicy target), and a separate destination queue. */
async function pipe(messages = 0): Promise<Pipe> {
  const dlq = await queueWithList(uniq('dlq'));
  const source = await queueWithList(uniq('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
  const dest = await queueWithList(uniq('dest'));
  for (let i = 0; i < messages; i++) dlq.list.putMoved(dlqMessage(`message-${i}`, source.arn));
  return { source, dlq, dest };
}

const listTasks = async (SourceArn: string, MaxResults?: number) =>
  (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ?? [];

describe('StartMessageMoveTask', () => {
  it('moves every message to the destination and completes (AWS-recorded shape)', async () => {
    const p = await pipe(2);
    const originals = p.dlq.list.items.map((m) => m.messageId);
    clock().advance(1000);
    const started = clock().now();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn }));
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString())).toEqual({ taskId: expect.any(String), sourceArn: p.dlq.arn });
    await clock().advanceBy(10);
    expect(p.dest.list.items.map((m) => m.body)).toEqual(['message-0', 'message-1']);
    expect(p.dlq.list.items).toEqual([]);
    // Redriven messages are new messages: new id and enqueue time, never received, no DLQ source.
    for (const m of p.dest.list.items) {
      expect(originals).not.toContain(m.messageId);
      expect(m).toEqual(expect.objectContaining({ receiveCount: 0, deadLetterQueueSourceArn: undefined }));
      expect(m.sentTimestamp).toBeGreaterThanOrEqual(started); // the originals were sent 1 s earlier
    }
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
      DestinationArn: p.dest.arn,
      SourceArn: p.dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: 'COMPLETED',
    });
    expect(task.StartedTimestamp).toBeGreaterThanOrEqual(started);
    expect(task.StartedTimestamp).toBeLessThan(started + 10_000);
  });

  it('without DestinationArn moves each message back to its own source queue', async () => {
    const p = await pipe();
    const other = await queueWithList(uniq('src2'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: p.dlq.arn, maxReceiveCount: 1 }) });
    p.dlq.list.putMoved(dlqMessage('1-1', p.source.arn));
    p.dlq.list.putMoved(dlqMessage('2-1', other.arn));
    p.dlq.list.putMoved(dlqMessage('1-2', p.source.arn));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn }));
    await clock().advanceBy(10);
    expect(p.source.list.items.map((m) => m.body)).toEqual(['1-1', '1-2']);
    expect(other.list.items.map((m) => m.body)).toEqual(['2-1']);
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual(expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 }));
    expect(task).not.toHaveProperty('DestinationArn');
    expect(task).not.toHaveProperty('MaxNumberOfMessagesPerSecond');
  });

  it('paces MaxNumberOfMessagesPerSecond on the virtual clock: 4 messages at 1/s take 3 s', async () => {
    const p = await pipe(4);
    const t0 = clock().now();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    const offset0 = clock().offsetMs();
    await clock().advanceBy(10);
    expect(p.dest.list.items).toHaveLength(1);
    expect(await listTasks(p.dlq.arn)).toEqual([
      {
        TaskHandle,
        Status: 'RUNNING',
        SourceArn: p.dlq.arn,
        DestinationArn: p.dest.arn,
        MaxNumberOfMessagesPerSecond: 1,
        ApproximateNumberOfMessagesMoved: 1,
        ApproximateNumberOfMessagesToMove: 4,
        StartedTimestamp: expect.any(Number),
      },
    ]);
    await clock().advanceBy(1000);
    expect(p.dest.list.items).toHaveLength(2);
    await clock().advanceBy(2000);
    expect(p.dest.list.items.map((m) => m.body)).toEqual(['message-0', 'message-1', 'message-2', 'message-3']);
    const [done] = await listTasks(p.dlq.arn);
    expect(done).toEqual(expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4 }));
    expect(done).not.toHaveProperty('TaskHandle');
    expect(clock().now() - t0).toBeGreaterThanOrEqual(3000);
    expect(clock().offsetMs() - offset0).toBeGreaterThanOrEqual(2500); // compressed time jumped the waits
  });

  it('allows one active task per source queue (AWS-recorded)', async () => {
    const p = await pipe(10);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
  });

  it('refuses a source that is no dead-letter queue, and missing queues (AWS-recorded)', async () => {
    const p = await pipe(1);
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dest.arn })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: `${p.dest.arn}-gone` })))).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
    });
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${p.dlq.arn}-gone` })))).message).toBe(
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'not-an-arn' })))).message).toBe(
      'You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>',
    );
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dlq.arn })))).message).toBe(
      'Source queue arn and destination queue arn cannot be the same.',
    );
    const fifo = await create(uniq('f') + '.fifo', { FifoQueue: 'true' });
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: await arnOf(fifo) })))).message).toBe(
      'The source queue and destination queue must be of the same queue type.',
    );
    for (const rate of [0, 501]) {
      expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, MaxNumberOfMessagesPerSecond: rate })))).message).toBe(
        "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
      );
    }
    expect(p.dlq.list.items).toHaveLength(1);
    expect(await listTasks(p.dlq.arn)).toEqual([]);
  });

  it('fails without losing a message when the destination disappears', async () => {
    const p = await pipe(10);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(1500);
    const movedBefore = p.dest.list.items.length;
    expect(movedBefore).toBe(2);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: p.dest.url }));
    await clock().advanceBy(1000);
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual(
      expect.objectContaining({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 10 }),
    );
    expect(task).not.toHaveProperty('TaskHandle');
    expect(p.dlq.list.items).toHaveLength(8);
    // Failed is not active: a new task may start.
    const dest2 = await queueWithList(uniq('dest'));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: dest2.arn }));
    await clock().advanceBy(10);
    expect(dest2.list.items).toHaveLength(8);
  });

  it('keeps a message in the dead-letter queue when its original source queue is gone, and fails', async () => {
    const p = await pipe();
    p.dlq.list.putMoved(dlqMessage('orphan', 'arn:aws:sqs:us-east-1:000000000000:gone'));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn }));
    await clock().advanceBy(10);
    expect(p.dlq.list.items.map((m) => m.body)).toEqual(['orphan']);
    expect((await listTasks(p.dlq.arn))[0]).toEqual(expect.objectContaining({ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0 }));
  });

  it('fails when the source queue is deleted while running', async () => {
    const p = await pipe(5);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(10);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: p.dlq.url }));
    await clock().advanceBy(3000);
    expect(p.dest.list.items).toHaveLength(1);
  });
});

describe('ListMessageMoveTasks and CancelMessageMoveTask', () => {
  it('cancels a running task: no more messages move (AWS-recorded shape)', async () => {
    const p = await pipe(10);
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(1500);
    expect(await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).toEqual(expect.objectContaining({ ApproximateNumberOfMessagesMoved: 2 }));
    await clock().advanceBy(5000);
    expect(p.dest.list.items).toHaveLength(2);
    expect(p.dlq.list.items).toHaveLength(8);
    expect(await listTasks(p.dlq.arn)).toEqual([
      {
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 10,
        DestinationArn: p.dest.arn,
        MaxNumberOfMessagesPerSecond: 1,
        SourceArn: p.dlq.arn,
        StartedTimestamp: expect.any(Number),
        Status: 'CANCELLED',
      },
    ]);
    expect((await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))))).toEqual(
      expect.objectContaining({ name: 'ResourceNotFoundException', status: 404, message: 'Task does not exist.' }),
    );
  });

  it('refuses bad task handles (AWS-recorded)', async () => {
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value for parameter TaskHandle is invalid.',
    });
    const handle = (taskId: string, sourceArn: string) => Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
    expect(
      await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(randomUUID(), 'arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456') }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
    });
    const url = await create();
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(randomUUID(), await arnOf(url)) })))).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Task does not exist.',
    });
  });

  it('lists the newest task first, one by default, up to MaxResults (1-10)', async () => {
    const p = await pipe();
    const handles: string[] = [];
    for (let i = 0; i < 3; i++) {
      p.dlq.list.putMoved(dlqMessage(`m${i}`, p.source.arn));
      handles.push((await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn }))).TaskHandle!);
      await clock().advanceBy(10);
    }
    const ids = (rs: { TaskHandle?: string; StartedTimestamp?: number }[]) => rs.map((r) => r.StartedTimestamp);
    const one = await listTasks(p.dlq.arn);
    expect(one).toHaveLength(1);
    const three = await listTasks(p.dlq.arn, 10);
    expect(three).toHaveLength(3);
    expect(ids(three)).toEqual([...ids(three)].sort((a, b) => b! - a!));
    expect(three[0]).toEqual(one[0]);
    expect(three.every((r) => r.Status === 'COMPLETED' && r.ApproximateNumberOfMessagesMoved === 1)).toBe(true);
    for (const MaxResults of [0, 11]) {
      expect((await failure(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: p.dlq.arn, MaxResults })))).message).toBe(
        "Value for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.",
      );
    }
    expect((await failure(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: `${p.dlq.arn}-gone` })))).name).toBe('ResourceNotFoundException');
  });
});

// ------------------------------------------------------------------ with the message model

describe('with real messages', () => {
  const send = (QueueUrl: string, MessageBody: string, DelaySeconds?: number) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, DelaySeconds }));
  const receive = async (QueueUrl: string, opts: { wait?: number; visibility?: number; max?: number } = {}) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: opts.wait ?? 0,
          VisibilityTimeout: opts.visibility,
          MaxNumberOfMessages: opts.max ?? 10,
          MessageSystemAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  const counts = async (url: string) =>
    attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);

  it('counts visible, in-flight and delayed messages', async () => {
    const url = await create();
    await send(url, 'a');
    await send(url, 'b');
    await send(url, 'later', 60);
    expect(await receive(url, { max: 1 })).toHaveLength(1);
    expect(await counts(url)).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('PurgeQueue deletes visible, in-flight and delayed messages', async () => {
    const url = await create();
    await send(url, 'a');
    await send(url, 'b');
    await send(url, 'later', 5);
    await receive(url, { max: 1, visibility: 5 });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await counts(url)).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' });
    await clock().advanceBy(6_000);
    expect(await receive(url)).toEqual([]);
    await send(url, 'after');
    expect((await receive(url)).map((m) => m.Body)).toEqual(['after']);
  });

  it('redrives dead letters back to their source queue with a move task, paced on the virtual clock', async () => {
    const dlq = await create(uniq('dlq'));
    const dlqArn = await arnOf(dlq);
    const source = await create(uniq('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const ids: string[] = [];
    for (const body of ['m0', 'm1', 'm2']) ids.push((await send(source, body)).MessageId!);
    // The first receive counts 1; the next one moves each message to the DLQ.
    expect(await receive(source, { visibility: 0 })).toHaveLength(3);
    expect(await receive(source, { visibility: 0 })).toEqual([]);
    expect(await counts(dlq)).toEqual(expect.objectContaining({ ApproximateNumberOfMessages: '3' }));
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([source]);

    const t0 = clock().now();
    const offset0 = clock().offsetMs();
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const got: Message[] = [];
    while (got.length < 3) got.push(...(await receive(source, { wait: 20, visibility: 600 })));
    expect(got.map((m) => m.Body).sort()).toEqual(['m0', 'm1', 'm2']);
    for (const m of got) {
      expect(ids).not.toContain(m.MessageId);
      expect(m.Attributes).toEqual(expect.objectContaining({ ApproximateReceiveCount: '1' }));
      expect(m.Attributes).not.toHaveProperty('DeadLetterQueueSourceArn');
    }
    expect(clock().now() - t0).toBeGreaterThanOrEqual(2000);
    expect(clock().offsetMs() - offset0).toBeGreaterThanOrEqual(1500); // jumped, not waited
    expect(await counts(dlq)).toEqual(expect.objectContaining({ ApproximateNumberOfMessages: '0' }));
    expect((await listTasks(dlqArn))[0]).toEqual(
      expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3, SourceArn: dlqArn }),
    );
  });
});
