/**
 * SQS queue operations through the wire: @aws-sdk/client-sqs (JSON 1.0, query-compatible errors)
 * against a started embedded cloud in compressed time. Tags and permissions: sqs-tags-permissions.test.ts;
 * message move tasks: sqs-move-tasks.test.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { arnOf, attrs, client, clock, cloud, create, failure, rawJson, sqs, STANDARD_DEFAULTS, store, uniq, useSqsCloud } from './sqs-queues-helpers';

useSqsCloud();

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
