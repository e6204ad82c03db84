/**
 * The visibility timeout: a received message is hidden from other consumers until it is deleted, its
 * timeout runs out or ChangeMessageVisibility says otherwise. (Long waits are in clock.test.ts.)
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { getTestbed, rejection } from '../_support/testbed';
import { num, queueTracker, receive, receiveAll, send, sqs } from './_helpers';

const tb = getTestbed();
const queues = queueTracker();

const changeVisibility = (url: string, handle: string, seconds: number) =>
  sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: seconds }));

describe('visibility timeout', () => {
  it('hides a received message for the VisibilityTimeout given to ReceiveMessage', async () => {
    const q = await queues.create('sqs-vis-hidden');
    const sent = await send(q.url, 'hide me');
    const [first] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
    expect(first.MessageId).toBe(sent.MessageId);
    expect(await receive(q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
  });

  it("hides a received message for the queue's VisibilityTimeout when the call gives none", async () => {
    const q = await queues.create('sqs-vis-queue', { VisibilityTimeout: '3600' });
    await send(q.url, 'hide me');
    expect(await receive(q.url, { WaitTimeSeconds: 5 })).toHaveLength(1);
    expect(await receive(q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
  });

  it('makes a message visible at once with ChangeMessageVisibility 0; the next receive has a new receipt handle and count 2', async () => {
    const q = await queues.create('sqs-vis-zero');
    const sent = await send(q.url, 'again');
    const [first] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'] });
    await changeVisibility(q.url, first.ReceiptHandle!, 0);
    const [second] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'] });
    expect(second.MessageId).toBe(sent.MessageId);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first.Attributes?.ApproximateFirstReceiveTimestamp);
    expect(second.Attributes?.SentTimestamp).toBe(first.Attributes?.SentTimestamp);
    // The latest receipt handle deletes it.
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: second.ReceiptHandle }));
    expect(await receive(q.url, { WaitTimeSeconds: 1 })).toEqual([]);
  });

  it('brings a message back after a short VisibilityTimeout runs out, with ApproximateReceiveCount 2', async () => {
    const q = await queues.create('sqs-vis-expire');
    const sent = await send(q.url, 'come back');
    const [first] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 1, MessageSystemAttributeNames: ['All'] });
    const [second] = await receiveAll(q.url, 1, { WaitTimeSeconds: 10, MessageSystemAttributeNames: ['All'] });
    expect(second?.MessageId).toBe(sent.MessageId);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first.Attributes?.ApproximateFirstReceiveTimestamp);
    expect((await tb.now()) - num(first, 'ApproximateFirstReceiveTimestamp')).toBeGreaterThanOrEqual(900);
  });

  it('refuses ChangeMessageVisibility for a deleted message with InvalidParameterValue', async () => {
    const q = await queues.create('sqs-vis-deleted');
    await send(q.url, 'gone');
    const [m] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
    await changeVisibility(q.url, m.ReceiptHandle!, 42);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    const err = await rejection(changeVisibility(q.url, m.ReceiptHandle!, 42));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });
});
