/**
 * SQS behaviour that takes minutes of AWS time: visibility timeouts running out, long delays, message
 * retention, the 60-second purge and delete windows and the 5-minute FIFO deduplication interval.
 * They run on a target with a virtual clock (compressed time: idle waits are skipped), so each takes
 * well under a second of wall time; elsewhere they are skipped with the reason in the title.
 *
 * Another suite's waits can move the shared clock on while a test runs, so a message that must stay
 * hidden gets at least an hour of visibility timeout, and only lower bounds are asserted on the
 * target's own timestamps.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  PurgeQueueCommand,
} from '@aws-sdk/client-sqs';
import { getTestbed, unique } from '../_support/testbed';
import { failureOf, getAttributes, num, queueTracker, receive, receiveAll, redrivePolicy, send, sqs } from './_helpers';

const tb = getTestbed();
const queues = queueTracker();
const itClock = tb.itIf('clock');

const MINUTE = 60_000;

describe('visibility timeout in compressed time', () => {
  itClock('brings a message received with VisibilityTimeout 30 back on a later long poll, 30 s later by the target clock, with ApproximateReceiveCount 2', async () => {
    const wallStart = Date.now();
    const q = await queues.create('sqs-clock-vis30');
    const sent = await send(q.url, 'order #1');
    const [first] = await receive(q.url, { WaitTimeSeconds: 20, VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'] });
    expect(first.MessageId).toBe(sent.MessageId);
    expect(first.Attributes?.ApproximateReceiveCount).toBe('1');
    const firstReceivedAt = num(first, 'ApproximateFirstReceiveTimestamp');

    // A 20-second long poll ends before the 30 s are over; the next one gets the message back.
    const [second] = await receiveAll(q.url, 1, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] });
    const now = await tb.now();
    const wall = Date.now() - wallStart;

    expect(second?.MessageId).toBe(sent.MessageId);
    expect(second.Body).toBe('order #1');
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first.Attributes?.ApproximateFirstReceiveTimestamp);
    expect(second.Attributes?.SentTimestamp).toBe(first.Attributes?.SentTimestamp);
    expect(now - firstReceivedAt).toBeGreaterThanOrEqual(30_000);
    expect(wall).toBeLessThan(2000); // 30+ s of the target's time in compressed time
  });

  itClock('waits the whole WaitTimeSeconds 20 of the target clock on an empty queue, in well under 2 s of wall time', async () => {
    const q = await queues.create('sqs-clock-poll20');
    const before = await tb.now();
    const wallStart = Date.now();
    expect(await receive(q.url, { WaitTimeSeconds: 20 })).toEqual([]);
    expect((await tb.now()) - before).toBeGreaterThanOrEqual(20_000);
    expect(Date.now() - wallStart).toBeLessThan(2000);
  });

  itClock('counts ChangeMessageVisibility from the call, and the next receive uses the queue timeout again', async () => {
    const q = await queues.create('sqs-clock-change', { VisibilityTimeout: '30' });
    const sent = await send(q.url, 'extend me');
    const [first] = await receive(q.url, { WaitTimeSeconds: 20, VisibilityTimeout: 1200 });
    await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 3600 }));
    await tb.advance(15 * MINUTE);
    await tb.advance(15 * MINUTE); // 30 min: past the 20 min of the receive, within the hour of the change
    expect(await receive(q.url, { MaxNumberOfMessages: 10 })).toEqual([]);

    await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const [second] = await receive(q.url, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] });
    expect(second.MessageId).toBe(sent.MessageId);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    // The hour was not remembered: received with the queue's 30 s, it is back within a few long polls.
    const [third] = await receiveAll(q.url, 1, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] });
    expect(third?.MessageId).toBe(sent.MessageId);
    expect(third.Attributes?.ApproximateReceiveCount).toBe('3');
  });

  itClock('moves a message that keeps timing out to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await queues.create('sqs-clock-dlq');
    const q = await queues.create('sqs-clock-src', { VisibilityTimeout: '30', RedrivePolicy: redrivePolicy(dlq.arn, 2) });
    const sent = await send(q.url, 'poison');
    const receives = [];
    for (let i = 0; i < 6; i++) receives.push(...(await receive(q.url, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] })));
    expect(receives.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['1', '2']);
    const [dead] = await receiveAll(dlq.url, 1, { MessageSystemAttributeNames: ['All'] });
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead.Attributes?.DeadLetterQueueSourceArn).toBe(q.arn);
  });
});

describe('delays and retention in compressed time', () => {
  itClock("holds every message of a queue with DelaySeconds 600 back for 10 minutes of the target's time", async () => {
    const q = await queues.create('sqs-clock-qdelay', { DelaySeconds: '600' });
    const sent = await send(q.url, 'ten minutes');
    const early = await receive(q.url, { MessageSystemAttributeNames: ['All'] });
    const attrs = await getAttributes(q.url, ['ApproximateNumberOfMessagesDelayed']);
    if (early.length === 0) expect(attrs.ApproximateNumberOfMessagesDelayed).toBe('1');
    await tb.advance(10 * MINUTE);
    const got = early.length ? early : await receiveAll(q.url, 1, { MessageSystemAttributeNames: ['All'] });
    expect(got.map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(num(got[0], 'ApproximateFirstReceiveTimestamp') - num(got[0], 'SentTimestamp')).toBeGreaterThanOrEqual(600_000);
  });

  itClock('holds a message sent with DelaySeconds 900 (the maximum) back for 15 minutes', async () => {
    const q = await queues.create('sqs-clock-mdelay');
    const sent = await send(q.url, 'fifteen minutes', { DelaySeconds: 900 });
    await tb.advance(15 * MINUTE);
    const [m] = await receiveAll(q.url, 1, { MessageSystemAttributeNames: ['All'] });
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(num(m, 'ApproximateFirstReceiveTimestamp') - num(m, 'SentTimestamp')).toBeGreaterThanOrEqual(900_000);
  });

  itClock('drops a message older than MessageRetentionPeriod 60', async () => {
    const q = await queues.create('sqs-clock-retention', { MessageRetentionPeriod: '60' });
    await send(q.url, 'short-lived');
    await tb.advance(61_000);
    expect(await receive(q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
    const attrs = await getAttributes(q.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    expect(attrs).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    const fresh = await send(q.url, 'new');
    const [m] = await receive(q.url, { WaitTimeSeconds: 20 });
    expect(m?.MessageId).toBe(fresh.MessageId);
  });
});

describe('60-second windows in compressed time', () => {
  itClock('allows PurgeQueue again 60 seconds after the last purge', async () => {
    const q = await queues.create('sqs-clock-purge');
    const purgedAt = await tb.now();
    await sqs().send(new PurgeQueueCommand({ QueueUrl: q.url }));
    const early = await failureOf(sqs().send(new PurgeQueueCommand({ QueueUrl: q.url })));
    if (early || (await tb.now()) - purgedAt < 60_000) expect(early?.name).toBe('PurgeQueueInProgress');
    await tb.advance(61_000);
    await sqs().send(new PurgeQueueCommand({ QueueUrl: q.url }));
  });

  itClock('lets a deleted queue name be reused 60 seconds after DeleteQueue, as a new empty queue', async () => {
    const name = unique('sqs-clock-reuse');
    const created = await sqs().send(new CreateQueueCommand({ QueueName: name }));
    await send(created.QueueUrl!, 'from the old queue');
    const deletedAt = await tb.now();
    await sqs().send(new DeleteQueueCommand({ QueueUrl: created.QueueUrl }));
    const early = await failureOf(sqs().send(new CreateQueueCommand({ QueueName: name })));
    if (early || (await tb.now()) - deletedAt < 60_000) expect(early?.name).toBe('QueueDeletedRecently');
    else await sqs().send(new DeleteQueueCommand({ QueueUrl: created.QueueUrl })); // recreated after a jump: start over
    await tb.advance(61_000);
    const again = await sqs().send(new CreateQueueCommand({ QueueName: name }));
    queues.track(again.QueueUrl!);
    expect(await receive(again.QueueUrl!, { MaxNumberOfMessages: 10 })).toEqual([]);
  });
});

describe('FIFO deduplication interval in compressed time', () => {
  itClock('drops a duplicate MessageDeduplicationId for 5 minutes, even after the first was deleted, and accepts it afterwards', async () => {
    const q = await queues.create('sqs-clock-dedup', {}, { fifo: true });
    const first = await send(q.url, 'first', { MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    const [m] = await receive(q.url, { WaitTimeSeconds: 20, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['SentTimestamp'] });
    expect(m.MessageId).toBe(first.MessageId);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));

    await send(q.url, 'duplicate', { MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    const duplicates = await receive(q.url, { MaxNumberOfMessages: 10 });
    // (Unless another suite's wait has already carried the shared clock past the interval.)
    if ((await tb.now()) - num(m, 'SentTimestamp') < 4 * MINUTE) expect(duplicates).toEqual([]);
    for (const d of duplicates) await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: d.ReceiptHandle }));

    await tb.advance(5 * MINUTE + 1000);
    const later = await send(q.url, 'after the interval', { MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    const [n] = await receive(q.url, { WaitTimeSeconds: 20 });
    expect(n?.MessageId).toBe(later.MessageId);
    expect(n.Body).toBe('after the interval');
  });
});
