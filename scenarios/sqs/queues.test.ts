/**
 * The SQS queue API: creating, finding, listing, configuring, tagging, sharing, purging and deleting queues.
 */
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  RemovePermissionCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { eventually, getTestbed, rejection, unique } from '../_support/testbed';
import { failureOf, getAttributes, parseQueueUrl, queueTracker, receive, send, sqs } from './_helpers';

const tb = getTestbed();
const queues = queueTracker();

describe('CreateQueue and GetQueueUrl', () => {
  it('creates a queue whose URL ends with /<account>/<name> and whose ARN is arn:aws:sqs:<region>:<account>:<name>', async () => {
    const q = await queues.create('sqs-create');
    expect(q.account).toMatch(/^\d{12}$/);
    expect(parseQueueUrl(q.url).name).toBe(q.name);
    expect(q.arn).toBe(`arn:aws:sqs:${tb.target.region}:${q.account}:${q.name}`);
    const url = await sqs().send(new GetQueueUrlCommand({ QueueName: q.name }));
    expect(url.QueueUrl).toBe(q.url);
  });

  it('returns the same URL when the queue is created again with the same attributes, or with none', async () => {
    const q = await queues.create('sqs-idem', { VisibilityTimeout: '45', DelaySeconds: '1' });
    const again = await sqs().send(new CreateQueueCommand({ QueueName: q.name, Attributes: { VisibilityTimeout: '45', DelaySeconds: '1' } }));
    expect(again.QueueUrl).toBe(q.url);
    const bare = await sqs().send(new CreateQueueCommand({ QueueName: q.name }));
    expect(bare.QueueUrl).toBe(q.url);
  });

  it('refuses to create an existing queue with a different attribute value (QueueNameExists)', async () => {
    const q = await queues.create('sqs-conflict', { DelaySeconds: '1' });
    const err = await rejection(sqs().send(new CreateQueueCommand({ QueueName: q.name, Attributes: { DelaySeconds: '2' } })));
    expect(err.name).toBe('QueueNameExists');
    expect(err.Code).toBe('QueueAlreadyExists'); // the query-compatible code, from x-amzn-query-error
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('A queue already exists with the same name and a different value for attribute DelaySeconds');
  });

  it('answers GetQueueUrl for an unknown queue with QueueDoesNotExist', async () => {
    const err = await rejection(sqs().send(new GetQueueUrlCommand({ QueueName: unique('sqs-nowhere') })));
    expect(err.name).toBe('QueueDoesNotExist');
    expect(err.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('The specified queue does not exist.');
  });
});

describe('ListQueues', () => {
  it('lists the queues whose names start with QueueNamePrefix', async () => {
    const prefix = unique('sqs-list');
    const a = await sqs().send(new CreateQueueCommand({ QueueName: `${prefix}-a` }));
    const b = await sqs().send(new CreateQueueCommand({ QueueName: `${prefix}-b` }));
    queues.track(a.QueueUrl!);
    queues.track(b.QueueUrl!);
    const other = await queues.create('sqs-notlisted');
    const out = await eventually(
      () => sqs().send(new ListQueuesCommand({ QueueNamePrefix: prefix })),
      (o) => (o.QueueUrls ?? []).length === 2,
    );
    expect([...(out.QueueUrls ?? [])].sort()).toEqual([a.QueueUrl, b.QueueUrl].sort());
    expect(out.QueueUrls).not.toContain(other.url);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages with MaxResults and NextToken', async () => {
    const prefix = unique('sqs-page');
    const urls: string[] = [];
    for (const suffix of ['0', '1', '2']) {
      const out = await sqs().send(new CreateQueueCommand({ QueueName: `${prefix}-${suffix}` }));
      queues.track(out.QueueUrl!);
      urls.push(out.QueueUrl!);
    }
    await eventually(() => sqs().send(new ListQueuesCommand({ QueueNamePrefix: prefix })), (o) => (o.QueueUrls ?? []).length === 3);
    const first = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    expect(first.QueueUrls).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.QueueUrls).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect([...first.QueueUrls!, ...second.QueueUrls!].sort()).toEqual(urls.sort());
  });
});

describe('GetQueueAttributes and SetQueueAttributes', () => {
  it('answers All with the documented defaults, the ARN and timestamps in epoch seconds', async () => {
    const before = await tb.now();
    const q = await queues.create('sqs-defaults');
    const after = await tb.now();
    const attrs = await getAttributes(q.url, ['All']);
    expect(attrs).toEqual(
      expect.objectContaining({
        VisibilityTimeout: '30',
        DelaySeconds: '0',
        MessageRetentionPeriod: '345600',
        ReceiveMessageWaitTimeSeconds: '0',
        MaximumMessageSize: '1048576',
        QueueArn: q.arn,
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
      }),
    );
    for (const key of ['CreatedTimestamp', 'LastModifiedTimestamp']) {
      expect(attrs[key]).toMatch(/^\d{10}$/); // seconds, not milliseconds
      expect(Number(attrs[key])).toBeGreaterThanOrEqual(Math.floor(before / 1000) - 2);
      expect(Number(attrs[key])).toBeLessThanOrEqual(Math.ceil(after / 1000) + 2);
    }
    expect(attrs.FifoQueue).toBeUndefined(); // a standard queue has no FIFO attributes
    expect(attrs.RedrivePolicy).toBeUndefined();
  });

  it('answers only the attributes named', async () => {
    const q = await queues.create('sqs-named', { VisibilityTimeout: '40' });
    const attrs = await getAttributes(q.url, ['VisibilityTimeout', 'QueueArn']);
    expect(attrs).toEqual({ VisibilityTimeout: '40', QueueArn: q.arn });
  });

  it('changes attributes with SetQueueAttributes and moves LastModifiedTimestamp, not CreatedTimestamp', async () => {
    const q = await queues.create('sqs-set');
    const initial = await getAttributes(q.url, ['CreatedTimestamp', 'LastModifiedTimestamp']);
    await sqs().send(
      new SetQueueAttributesCommand({
        QueueUrl: q.url,
        Attributes: { VisibilityTimeout: '69', DelaySeconds: '420', MaximumMessageSize: '2048', MessageRetentionPeriod: '604800', ReceiveMessageWaitTimeSeconds: '10' },
      }),
    );
    const attrs = await getAttributes(q.url, ['All']);
    expect(attrs).toEqual(
      expect.objectContaining({ VisibilityTimeout: '69', DelaySeconds: '420', MaximumMessageSize: '2048', MessageRetentionPeriod: '604800', ReceiveMessageWaitTimeSeconds: '10' }),
    );
    expect(attrs.CreatedTimestamp).toBe(initial.CreatedTimestamp);
    expect(Number(attrs.LastModifiedTimestamp)).toBeGreaterThanOrEqual(Number(initial.LastModifiedTimestamp));
  });

  it('counts visible, in-flight and delayed messages in ApproximateNumberOfMessages, ...NotVisible and ...Delayed', async () => {
    const q = await queues.create('sqs-counts');
    const sentAt = await tb.now();
    await send(q.url, 'one');
    await send(q.url, 'two');
    await send(q.url, 'later', { DelaySeconds: 900 });
    const [inFlight] = await receive(q.url, { VisibilityTimeout: 3600, WaitTimeSeconds: 5 });
    expect(inFlight).toBeDefined();
    const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
    // The counters are approximate and may lag on AWS; the delayed one holds while the 900 s delay runs by the target's clock.
    const attrs = await eventually(
      () => getAttributes(q.url, names),
      (a) => a.ApproximateNumberOfMessages === '1' && a.ApproximateNumberOfMessagesNotVisible === '1',
    );
    if ((await tb.now()) - sentAt < 890_000) expect(attrs.ApproximateNumberOfMessagesDelayed).toBe('1');
  });
});

describe('tags', () => {
  it('keeps the tags given to CreateQueue and lists them with ListQueueTags', async () => {
    const q = await queues.create('sqs-tags-create', {}, { tags: { team: 'payments', empty: '' } });
    const out = await sqs().send(new ListQueueTagsCommand({ QueueUrl: q.url }));
    expect(out.Tags).toEqual({ team: 'payments', empty: '' });
  });

  it('adds and overwrites tags with TagQueue, removes them with UntagQueue, ignoring unknown keys', async () => {
    const q = await queues.create('sqs-tags');
    await sqs().send(new TagQueueCommand({ QueueUrl: q.url, Tags: { tag1: 'value1', tag2: 'value2', tag3: '' } }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: q.url }))).Tags).toEqual({ tag1: 'value1', tag2: 'value2', tag3: '' });
    await sqs().send(new TagQueueCommand({ QueueUrl: q.url, Tags: { tag2: 'changed', Tag2: 'other case' } }));
    await sqs().send(new UntagQueueCommand({ QueueUrl: q.url, TagKeys: ['tag1', 'tag3', 'no-such-tag'] }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: q.url }))).Tags).toEqual({ tag2: 'changed', Tag2: 'other case' });
    await sqs().send(new UntagQueueCommand({ QueueUrl: q.url, TagKeys: ['tag2', 'Tag2'] }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: q.url }))).Tags ?? {}).toEqual({});
  });
});

describe('AddPermission and RemovePermission', () => {
  it('adds a statement to the Policy attribute and removes it again', async () => {
    const q = await queues.create('sqs-perm');
    await sqs().send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'allow-receive', AWSAccountIds: [q.account], Actions: ['ReceiveMessage'] }));
    const { Policy } = await getAttributes(q.url, ['Policy']);
    const policy = JSON.parse(Policy);
    expect(policy.Version).toBe('2008-10-17');
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toEqual(
      expect.objectContaining({ Sid: 'allow-receive', Effect: 'Allow', Action: 'SQS:ReceiveMessage', Resource: q.arn }),
    );
    expect(JSON.stringify(policy.Statement[0].Principal)).toContain(q.account);

    const dup = await rejection(sqs().send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'allow-receive', AWSAccountIds: [q.account], Actions: ['SendMessage'] })));
    expect(dup.name).toBe('InvalidParameterValue');
    expect(dup.message).toBe('Value allow-receive for parameter Label is invalid. Reason: Already exists.');

    await sqs().send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'allow-receive' }));
    expect((await getAttributes(q.url, ['Policy'])).Policy).toBeUndefined();

    const gone = await rejection(sqs().send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'allow-receive' })));
    expect(gone.name).toBe('InvalidParameterValue');
    expect(gone.message).toBe("Value allow-receive for parameter Label is invalid. Reason: can't find label.");
  });
});

describe('PurgeQueue', () => {
  it('deletes every message, and refuses a second purge within 60 seconds with PurgeQueueInProgress', async () => {
    const q = await queues.create('sqs-purge');
    await send(q.url, 'visible');
    await send(q.url, 'in flight');
    await send(q.url, 'delayed', { DelaySeconds: 900 });
    expect(await receive(q.url, { VisibilityTimeout: 3600, WaitTimeSeconds: 5 })).toHaveLength(1);
    const purgedAt = await tb.now();
    await sqs().send(new PurgeQueueCommand({ QueueUrl: q.url }));
    const err = await failureOf(sqs().send(new PurgeQueueCommand({ QueueUrl: q.url })));
    // (A second purge may only succeed when another suite's wait has carried a shared virtual clock a minute on.)
    if (err || (await tb.now()) - purgedAt < 60_000) {
      expect(err?.name).toBe('PurgeQueueInProgress');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe(`Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
    }
    // AWS takes up to 60 s to purge; the queue reports nothing left once it is done.
    await eventually(
      () => getAttributes(q.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']),
      (a) => a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0' && a.ApproximateNumberOfMessagesDelayed === '0',
      50_000,
    );
    expect(await receive(q.url)).toEqual([]);
    await send(q.url, 'after the purge');
    const [m] = await receive(q.url, { WaitTimeSeconds: 5 });
    expect(m?.Body).toBe('after the purge');
  });
});

describe('DeleteQueue', () => {
  it('deletes the queue: it answers QueueDoesNotExist and its name cannot be reused for 60 seconds', async () => {
    const q = await queues.create('sqs-delete');
    const deletedAt = await tb.now();
    await sqs().send(new DeleteQueueCommand({ QueueUrl: q.url }));
    const err = await eventually(
      () => sqs().send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['All'] })).then(() => undefined, (e: any) => e),
      (e) => e?.name === 'QueueDoesNotExist',
      50_000,
    );
    expect(err.message).toBe('The specified queue does not exist.');
    const url = await rejection(sqs().send(new GetQueueUrlCommand({ QueueName: q.name })));
    expect(url.name).toBe('QueueDoesNotExist');
    const again = await failureOf(sqs().send(new CreateQueueCommand({ QueueName: q.name })));
    if (again || (await tb.now()) - deletedAt < 60_000) {
      expect(again?.name).toBe('QueueDeletedRecently');
      expect(again.message).toBe('You must wait 60 seconds after deleting a queue before you can create another with the same name.');
    } else {
      queues.track(q.url); // recreated after a clock jump of a minute or more: delete it again after the suite
    }
  });
});
