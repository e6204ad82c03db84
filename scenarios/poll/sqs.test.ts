/**
 * The SQS event source mapping: Lambda's poller reads the queue, hands the function batches, and acts
 * on the answer: deletes on success, leaves the messages on failure (they return after the
 * visibility timeout and the queue's redrive policy takes them to its DLQ), deletes only what
 * succeeded with ReportBatchItemFailures, drops what no filter matches.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { eventually, getTestbed, rejection } from '../_support/testbed';
import { awaitBatches, batches, bodiesOf, getAttributes, mappingTracker, queueTracker, receive, redrivePolicy, send, waitForState } from './_helpers';

const tb = getTestbed();
const lambda = () => tb.clients.lambda;
const stack = () =>
  tb.deploy({
    name: 'poll-sqs',
    functions: {
      shape: { code: 'batch', environment: { LOG_EVENT: '1' } },
      lifecycle: { code: 'batch' },
      failing: { code: 'batch' },
      partial: { code: 'batch' },
      ignored: { code: 'batch' },
      filtered: { code: 'batch' },
      windowed: { code: 'batch' },
      throttled: { code: 'batch', reservedConcurrency: 2 },
      fifo: { code: 'batch' },
      toggled: { code: 'batch' },
    },
  });
const queues = queueTracker();
const mappings = mappingTracker();

/** Waits until the queue holds no message, visible or in flight. */
async function drained(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const a = await getAttributes(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);
    if (a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0' && a.ApproximateNumberOfMessagesDelayed === '0') return;
    await tb.advance(1000);
  }
  throw new Error(`queue ${url} did not drain`);
}

describe('the SQS event source mapping API', () => {
  it('creates a mapping (202, Creating, then Enabled), lists, updates and deletes it', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-api');
    const created = await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.lifecycle.name, BatchSize: 5 });
    expect(created).toEqual(
      expect.objectContaining({
        UUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        EventSourceArn: q.arn,
        FunctionArn: functions.lifecycle.arn,
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 0,
        State: 'Enabled',
        StateTransitionReason: 'USER_INITIATED',
      }),
    );
    expect(created.EventSourceMappingArn).toMatch(new RegExp(`^arn:aws:lambda:${tb.target.region}:\\d{12}:event-source-mapping:${created.UUID}$`));
    const listed = await lambda().send(new ListEventSourceMappingsCommand({ FunctionName: functions.lifecycle.name }));
    expect(listed.EventSourceMappings!.map((m) => m.UUID)).toContain(created.UUID);
    const bySource = await lambda().send(new ListEventSourceMappingsCommand({ EventSourceArn: q.arn }));
    expect(bySource.EventSourceMappings!.map((m) => m.UUID)).toEqual([created.UUID]);

    const updated = await lambda().send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 8 }));
    expect(updated.$metadata.httpStatusCode).toBe(202);
    expect((await waitForState(created.UUID!, 'Enabled')).BatchSize).toBe(8);

    const deleted = await lambda().send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(deleted.State).toBe('Deleting');
    const gone = await rejection(
      (async () => {
        for (let i = 0; i < 100; i++) {
          await lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
          await tb.advance(1000);
        }
      })(),
    );
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('refuses a batch over 10 without a batching window, and a FIFO batch over 10', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-invalid');
    const e1 = await rejection(mappings.create({ EventSourceArn: q.arn, FunctionName: functions.lifecycle.name, BatchSize: 11 }));
    expect(e1.name).toBe('InvalidParameterValueException');
    expect(e1.message).toBe('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    const fifo = await queues.create('poll-sqs-invalid', {}, { fifo: true });
    const e2 = await rejection(mappings.create({ EventSourceArn: fifo.arn, FunctionName: functions.lifecycle.name, BatchSize: 11, MaximumBatchingWindowInSeconds: 1 }));
    expect(e2.name).toBe('InvalidParameterValueException');
  });

  it('refuses a queue that does not exist', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-missing');
    const missing = `${q.arn}-missing`;
    const e = await rejection(mappings.create({ EventSourceArn: missing, FunctionName: functions.lifecycle.name }));
    expect(e.name).toBe('InvalidParameterValueException');
  });
});

describe('SQS messages through a mapping', () => {
  it('reach the function as the SQS event, and a successful batch is deleted', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-shape');
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.shape.name, BatchSize: 1 });
    const sent = await send(q.url, 'hello from sqs', { MessageAttributes: { Kind: { DataType: 'String', StringValue: 'greeting' } } });
    const [line] = await awaitBatches(functions.shape.name, (l) => l.length >= 1);
    expect(line.ids).toEqual([sent.MessageId]);
    expect(line.bodies).toEqual(['hello from sqs']);
    const event = await awaitEvent(functions.shape.name);
    expect(event.Records[0]).toEqual({
      messageId: sent.MessageId,
      receiptHandle: expect.any(String),
      body: 'hello from sqs',
      attributes: expect.objectContaining({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      }),
      messageAttributes: { Kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: sent.MD5OfMessageBody,
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: tb.target.region,
    });
    await drained(q.url);
  });

  it('a failing batch is not deleted: the messages come back and the queue’s redrive policy moves them to its DLQ', async () => {
    const { functions } = await stack();
    const dlq = await queues.create('poll-sqs-fail-dlq');
    const q = await queues.create('poll-sqs-fail', { VisibilityTimeout: '5', RedrivePolicy: redrivePolicy(dlq.arn, 2) });
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.failing.name, BatchSize: 1 });
    await send(q.url, JSON.stringify({ throw: true, n: 1 }));
    await awaitBatches(functions.failing.name, (l) => l.length >= 1);
    await tb.advance(6000);
    await awaitBatches(functions.failing.name, (l) => l.length >= 2);
    await tb.advance(6000);
    const [dead] = await receive(dlq.url, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(dead?.Body).toBe(JSON.stringify({ throw: true, n: 1 }));
    expect((await batches(functions.failing.name)).length).toBe(2);
  });

  it('with ReportBatchItemFailures, only the reported messages stay; the rest are deleted', async () => {
    const { functions } = await stack();
    const dlq = await queues.create('poll-sqs-partial-dlq');
    const q = await queues.create('poll-sqs-partial', { VisibilityTimeout: '5', RedrivePolicy: redrivePolicy(dlq.arn, 1) });
    const bodies = [1, 2, 3, 4, 5].map((n) => JSON.stringify({ n, fail: n === 2 || n === 4 }));
    for (const b of bodies) await send(q.url, b);
    await mappings.create({
      EventSourceArn: q.arn,
      FunctionName: functions.partial.name,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await awaitBatches(functions.partial.name, (l) => bodiesOf(l).length >= 5);
    await tb.advance(6000);
    const hold = { VisibilityTimeout: 43_200, MaxNumberOfMessages: 10 }; // read messages stay hidden while the shared clock moves on
    const dead = [...(await receive(dlq.url, { WaitTimeSeconds: 20, ...hold })), ...(await receive(dlq.url, { WaitTimeSeconds: 1, ...hold }))];
    expect(dead.map((m) => JSON.parse(m.Body!).n).sort()).toEqual([2, 4]);
    await drained(q.url);
  });

  it('without ReportBatchItemFailures, an answer listing failures counts as success: the whole batch is deleted', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-ignored', { VisibilityTimeout: '5' });
    for (const n of [1, 2, 3]) await send(q.url, JSON.stringify({ n, fail: true }));
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.ignored.name, BatchSize: 10, MaximumBatchingWindowInSeconds: 1 });
    await awaitBatches(functions.ignored.name, (l) => bodiesOf(l).length >= 3);
    await drained(q.url);
    expect(bodiesOf(await batches(functions.ignored.name))).toHaveLength(3);
  });

  it('a message that matches no filter is deleted without invoking the function', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-filter');
    await mappings.create({
      EventSourceArn: q.arn,
      FunctionName: functions.filtered.name,
      BatchSize: 1,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['keep'] } }) }] },
    });
    await send(q.url, JSON.stringify({ kind: 'drop', n: 1 }));
    await send(q.url, JSON.stringify({ kind: 'keep', n: 2 }));
    const lines = await awaitBatches(functions.filtered.name, (l) => l.length >= 1);
    await drained(q.url);
    expect(bodiesOf(await batches(functions.filtered.name))).toEqual([JSON.stringify({ kind: 'keep', n: 2 })]);
    expect(lines.length).toBe(1);
  });

  tb.itIf('clock')('a batching window of 5 minutes holds the batch for 5 virtual minutes', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-window');
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.windowed.name, BatchSize: 100, MaximumBatchingWindowInSeconds: 300 });
    const sentAt = await tb.now();
    for (const n of [1, 2, 3]) await send(q.url, `w${n}`);
    expect(await batches(functions.windowed.name)).toHaveLength(0);
    await tb.advance(301_000);
    const [line] = await awaitBatches(functions.windowed.name, (l) => l.length >= 1);
    expect(line.bodies.sort()).toEqual(['w1', 'w2', 'w3']);
    expect(line.timestamp - sentAt).toBeGreaterThanOrEqual(300_000);
  });

  it('a consumer limited to 2 concurrent executions drains a burst of 1,000 messages, none lost', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-burst', { VisibilityTimeout: '60' });
    const entries = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    for (let i = 0; i < entries.length; i += 10) {
      await Promise.all(entries.slice(i, i + 10).map((b) => send(q.url, b)));
    }
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.throttled.name, BatchSize: 10 });
    const lines = await awaitBatches(functions.throttled.name, (l) => new Set(bodiesOf(l)).size >= 1000, 120_000);
    await drained(q.url);
    const seen = bodiesOf(lines);
    expect(new Set(seen).size).toBe(1000);
  }, 180_000);

  it('FIFO: each message group in order, and a failing group does not hold up the others', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-fifo', { VisibilityTimeout: '5', ContentBasedDeduplication: 'true' }, { fifo: true });
    for (let n = 1; n <= 3; n++) await send(q.url, JSON.stringify({ g: 'a', n }), { MessageGroupId: 'a' });
    await send(q.url, JSON.stringify({ g: 'b', n: 1, throw: true }), { MessageGroupId: 'b' });
    for (let n = 4; n <= 6; n++) await send(q.url, JSON.stringify({ g: 'a', n }), { MessageGroupId: 'a' });
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.fifo.name, BatchSize: 1 });
    const lines = await awaitBatches(functions.fifo.name, (l) => bodiesOf(l).filter((b) => JSON.parse(b).g === 'a').length >= 6);
    const groupA = bodiesOf(lines).map((b) => JSON.parse(b)).filter((b) => b.g === 'a').map((b) => b.n);
    expect(groupA).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a disabled mapping leaves the messages in the queue; enabled again, it delivers them', async () => {
    const { functions } = await stack();
    const q = await queues.create('poll-sqs-toggle');
    const m = await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.toggled.name, BatchSize: 1, Enabled: false });
    await send(q.url, 'while disabled');
    await tb.advance(2000);
    expect((await getAttributes(q.url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages).toBe('1');
    expect(await batches(functions.toggled.name)).toHaveLength(0);
    await lambda().send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await waitForState(m.UUID!, 'Enabled');
    const lines = await awaitBatches(functions.toggled.name, (l) => l.length >= 1);
    expect(lines[0].bodies).toEqual(['while disabled']);
  });
});

async function awaitEvent(functionName: string): Promise<any> {
  const events = await eventually(
    async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: '"EVENT"' }))).events ?? [],
    (e) => e.length > 0,
  );
  return JSON.parse(/EVENT (\{.*\})\s*$/.exec(events[0].message!)![1]);
}
