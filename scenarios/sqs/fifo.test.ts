/**
 * FIFO queues: strict order per message group, one group in flight at a time, exactly-once sends by
 * deduplication id or content, rising sequence numbers and retry-safe receives.
 */
import { CreateQueueCommand, DeleteMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { rejection, unique } from '../_support/testbed';
import { getAttributes, queueTracker, receive, send, sqs, withinWindow, type TestQueue } from './_helpers';

const queues = queueTracker();

/** Sends that must fall within the 5-minute deduplication interval (and retry window) of the target's clock. */
const DEDUP_WINDOW = 4 * 60_000;

/** Receives and deletes until `count` messages have come, or three receives came back empty in a row. */
async function drain(q: TestQueue, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for (let empty = 0; got.length < count && empty < 3; ) {
    const batch = await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'] });
    empty = batch.length ? 0 : empty + 1;
    for (const m of batch) {
      got.push(m);
      await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return got;
}

describe('FIFO queues', () => {
  it('needs a name ending in .fifo, and only a FIFO queue may have one', async () => {
    const q = await queues.create('sqs-fifo-attrs', {}, { fifo: true });
    expect(q.name.endsWith('.fifo')).toBe(true);
    expect(await getAttributes(q.url, ['All'])).toEqual(expect.objectContaining({ FifoQueue: 'true', ContentBasedDeduplication: 'false' }));
    const noSuffix = await rejection(sqs().send(new CreateQueueCommand({ QueueName: unique('sqs-fifo-nosuffix'), Attributes: { FifoQueue: 'true' } })));
    expect(noSuffix.name).toBe('InvalidParameterValue');
    const standard = await rejection(sqs().send(new CreateQueueCommand({ QueueName: `${unique('sqs-std')}.fifo` })));
    expect(standard.name).toBe('InvalidParameterValue');
    const attr = await rejection(sqs().send(new CreateQueueCommand({ QueueName: unique('sqs-std'), Attributes: { ContentBasedDeduplication: 'true' } })));
    expect(attr.name).toBe('InvalidAttributeName');
    expect(attr.message).toBe('Unknown Attribute ContentBasedDeduplication.');
  });

  it('requires a MessageGroupId (MissingParameter) and a deduplication id or ContentBasedDeduplication', async () => {
    const q = await queues.create('sqs-fifo-required', {}, { fifo: true });
    const group = await rejection(send(q.url, 'x', { MessageDeduplicationId: 'd1' }));
    expect(group.name).toBe('MissingParameter');
    expect(group.message).toBe('The request must contain the parameter MessageGroupId.');
    const dedup = await rejection(send(q.url, 'x', { MessageGroupId: 'g' }));
    expect(dedup.name).toBe('InvalidParameterValue');
    expect(dedup.message).toBe('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  });

  it('refuses a per-message DelaySeconds', async () => {
    const q = await queues.create('sqs-fifo-delay', {}, { fifo: true });
    const err = await rejection(send(q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 2 }));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe('Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
  });

  it('delivers the messages of a group in the order they were sent, with rising sequence numbers', async () => {
    const q = await queues.create('sqs-fifo-order', {}, { fifo: true });
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await send(q.url, `m${i}`, { MessageGroupId: 'orders', MessageDeduplicationId: `d${i}` }));
    const seq = sent.map((s) => BigInt(s.SequenceNumber!));
    for (let i = 1; i < seq.length; i++) expect(seq[i] > seq[i - 1]).toBe(true);

    const got = await drain(q, 6);
    expect(got.map((m) => m.Body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(got.map((m) => m.MessageId)).toEqual(sent.map((s) => s.MessageId));
    expect(got.map((m) => m.Attributes?.SequenceNumber)).toEqual(sent.map((s) => s.SequenceNumber));
    expect(got[0].Attributes).toEqual(expect.objectContaining({ MessageGroupId: 'orders', MessageDeduplicationId: 'd0', ApproximateReceiveCount: '1' }));
  });

  it('returns no later message of a group while one of it is in flight, but messages of other groups', async () => {
    const q = await queues.create('sqs-fifo-groups', {}, { fifo: true });
    await send(q.url, 'a1', { MessageGroupId: 'A', MessageDeduplicationId: 'a1' });
    await send(q.url, 'a2', { MessageGroupId: 'A', MessageDeduplicationId: 'a2' });
    await send(q.url, 'b1', { MessageGroupId: 'B', MessageDeduplicationId: 'b1' });
    const [a1] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
    expect(a1.Body).toBe('a1');
    const others = await receive(q.url, { WaitTimeSeconds: 2, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 });
    expect(others.map((m) => m.Body)).toEqual(['b1']);
    expect(await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10 })).toEqual([]);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: a1.ReceiptHandle }));
    const next = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10 });
    expect(next.map((m) => m.Body)).toEqual(['a2']);
  });

  it('accepts a send with a MessageDeduplicationId already used but delivers it once, across groups too', async () => {
    const { q, first, again, otherGroup } = await withinWindow(DEDUP_WINDOW, async () => {
      const q = await queues.create('sqs-fifo-dedup', {}, { fifo: true });
      const first = await send(q.url, 'original', { MessageGroupId: 'g1', MessageDeduplicationId: 'same-id' });
      const again = await send(q.url, 'retry', { MessageGroupId: 'g1', MessageDeduplicationId: 'same-id' });
      const otherGroup = await send(q.url, 'other group', { MessageGroupId: 'g2', MessageDeduplicationId: 'same-id' });
      return { q, first, again, otherGroup };
    });
    for (const out of [first, again, otherGroup]) expect(out.MessageId).toEqual(expect.any(String));
    const got = await drain(q, 3);
    expect(got.map((m) => m.Body)).toEqual(['original']);
    expect(got[0].MessageId).toBe(first.MessageId);
  });

  it('deduplicates by the SHA-256 of the body with ContentBasedDeduplication; an explicit id wins', async () => {
    const q = await withinWindow(DEDUP_WINDOW, async () => {
      const q = await queues.create('sqs-fifo-cbd', { ContentBasedDeduplication: 'true' }, { fifo: true });
      await send(q.url, '{"order":1}', { MessageGroupId: 'g' });
      await send(q.url, '{"order":1}', { MessageGroupId: 'g' });
      await send(q.url, '{"order":2}', { MessageGroupId: 'g' });
      await send(q.url, '{"order":1}', { MessageGroupId: 'g', MessageDeduplicationId: 'explicit' });
      // Message attributes are not part of the content hash.
      await send(q.url, '{"order":2}', { MessageGroupId: 'g', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } });
      return q;
    });
    const got = await drain(q, 4);
    expect(got.map((m) => m.Body)).toEqual(['{"order":1}', '{"order":2}', '{"order":1}']);
    expect(got[2].Attributes?.MessageDeduplicationId).toBe('explicit');
  });

  it('returns the same messages to a ReceiveMessage retried with the same ReceiveRequestAttemptId', async () => {
    const { q, first, retry } = await withinWindow(DEDUP_WINDOW, async () => {
      const q = await queues.create('sqs-fifo-attempt', {}, { fifo: true });
      await send(q.url, 'r1', { MessageGroupId: 'g', MessageDeduplicationId: 'r1' });
      await send(q.url, 'r2', { MessageGroupId: 'g', MessageDeduplicationId: 'r2' });
      const first = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, ReceiveRequestAttemptId: 'attempt-1' });
      const retry = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, ReceiveRequestAttemptId: 'attempt-1' });
      return { q, first, retry };
    });
    expect(first.length).toBeGreaterThan(0);
    expect(retry.map((m) => m.MessageId)).toEqual(first.map((m) => m.MessageId));
    expect(await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-2' })).toEqual([]);
  });
});
