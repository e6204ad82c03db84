/**
 * Sending, receiving and deleting messages on a standard queue: bodies, MD5s, message attributes,
 * system attributes, delays and long polling.
 */
import { DeleteMessageCommand, SendMessageBatchCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { eventually, getTestbed } from '../_support/testbed';
import { getAttributes, md5, num, queueTracker, receive, receiveAll, send, sqs } from './_helpers';

const tb = getTestbed();
const queues = queueTracker();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SendMessage and ReceiveMessage', () => {
  it('answers SendMessage with a MessageId and the MD5 of the body, and delivers the body unchanged', async () => {
    const q = await queues.create('sqs-send');
    const body = 'héllo wörld ✓ 日本 🎉\ttab\nnewline\rreturn';
    const sent = await send(q.url, body);
    expect(sent.MessageId).toMatch(UUID);
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    const [m] = await receive(q.url, { WaitTimeSeconds: 5 });
    expect(m).toEqual(
      expect.objectContaining({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5(body), ReceiptHandle: expect.any(String) }),
    );
    expect(m.ReceiptHandle!.length).toBeGreaterThan(0);
    expect(m.Attributes).toBeUndefined(); // none asked for
    expect(m.MessageAttributes).toBeUndefined();
  });

  it('answers the MD5 of the message attributes as AWS computes it, on send and on receive', async () => {
    const q = await queues.create('sqs-md5attrs');
    const text = await send(q.url, 'with a string attribute', {
      MessageAttributes: { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
    });
    expect(text.MD5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
    const binary = await send(q.url, 'with a binary attribute', {
      MessageAttributes: { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } },
    });
    expect(binary.MD5OfMessageAttributes).toBe('31a92b15d92f8db860eda32aceb656c3');
    const got = await receiveAll(q.url, 2, { MessageAttributeNames: ['All'], VisibilityTimeout: 3600 });
    const byId = new Map(got.map((m) => [m.MessageId, m]));
    expect(byId.get(text.MessageId)?.MD5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
    expect(byId.get(binary.MessageId)?.MD5OfMessageAttributes).toBe('31a92b15d92f8db860eda32aceb656c3');
    expect(Buffer.from(byId.get(binary.MessageId)!.MessageAttributes!.binaryAttribute.BinaryValue!).toString()).toBe('Hello binary world!');
  });

  it('returns the message attributes asked for: All, .*, a prefix.* or names, and none otherwise', async () => {
    // VisibilityTimeout 0 puts the message back at once, so each receive sees it again.
    const q = await queues.create('sqs-attrnames', { VisibilityTimeout: '0' });
    const attributes: Record<string, MessageAttributeValue> = {
      Hello: { DataType: 'String', StringValue: 'There' },
      'Help.Me': { DataType: 'String', StringValue: 'Me' },
      General: { DataType: 'String', StringValue: 'Kenobi' },
      Count: { DataType: 'Number', StringValue: '42' },
      Price: { DataType: 'Number.euro', StringValue: '1.50' },
    };
    const sent = await send(q.url, 'msg', { MessageAttributes: attributes });
    const namesOf = async (names?: string[]) => {
      const [m] = await receive(q.url, { WaitTimeSeconds: 5, ...(names ? { MessageAttributeNames: names } : {}) });
      expect(m?.MessageId).toBe(sent.MessageId);
      return Object.keys(m.MessageAttributes ?? {}).sort();
    };
    expect(await namesOf()).toEqual([]);
    expect(await namesOf(['All'])).toEqual(['Count', 'General', 'Hello', 'Help.Me', 'Price']);
    expect(await namesOf(['.*'])).toEqual(['Count', 'General', 'Hello', 'Help.Me', 'Price']);
    expect(await namesOf(['Hel.*'])).toEqual(['Hello', 'Help.Me']);
    expect(await namesOf(['General', 'Hello'])).toEqual(['General', 'Hello']);
    expect(await namesOf(['Foo', 'Hello'])).toEqual(['Hello']);
    expect(await namesOf(['Foo'])).toEqual([]);
    const [all] = await receive(q.url, { WaitTimeSeconds: 5, MessageAttributeNames: ['All'] });
    expect(all.MessageAttributes).toEqual({
      Hello: { DataType: 'String', StringValue: 'There' },
      'Help.Me': { DataType: 'String', StringValue: 'Me' },
      General: { DataType: 'String', StringValue: 'Kenobi' },
      Count: { DataType: 'Number', StringValue: '42' },
      Price: { DataType: 'Number.euro', StringValue: '1.50' },
    });
    expect(all.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('returns the system attributes asked for: SenderId, SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp', async () => {
    const q = await queues.create('sqs-sysattrs', { VisibilityTimeout: '0' });
    const before = await tb.now();
    const sent = await send(q.url, 'msg');
    const after = await tb.now();
    const [m] = await receive(q.url, { WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] });
    expect(m.MessageId).toBe(sent.MessageId);
    expect(Object.keys(m.Attributes ?? {}).sort()).toEqual(['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
    expect(m.Attributes!.SenderId).toMatch(/\S/);
    expect(m.Attributes!.ApproximateReceiveCount).toBe('1');
    expect(m.Attributes!.SentTimestamp).toMatch(/^\d{13}$/); // epoch milliseconds
    expect(num(m, 'SentTimestamp')).toBeGreaterThanOrEqual(before - 1000);
    expect(num(m, 'SentTimestamp')).toBeLessThanOrEqual(after + 1000);
    expect(num(m, 'ApproximateFirstReceiveTimestamp')).toBeGreaterThanOrEqual(num(m, 'SentTimestamp'));

    const [named] = await receive(q.url, { WaitTimeSeconds: 5, MessageSystemAttributeNames: ['SenderId', 'ApproximateReceiveCount'] });
    expect(named.Attributes).toEqual({ SenderId: m.Attributes!.SenderId, ApproximateReceiveCount: '2' });
    const [legacy] = await receive(q.url, { WaitTimeSeconds: 5, AttributeNames: ['All'] });
    expect(legacy.Attributes).toEqual(expect.objectContaining({ ApproximateReceiveCount: '3', SentTimestamp: m.Attributes!.SentTimestamp }));
  });

  it('carries an AWSTraceHeader sent as a message system attribute', async () => {
    const q = await queues.create('sqs-trace');
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await send(q.url, 'traced', { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } });
    const [m] = await receive(q.url, { WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] });
    expect(m.Attributes?.AWSTraceHeader).toBe(trace);
    expect(m.MD5OfMessageAttributes).toBeUndefined(); // a system attribute is not a message attribute
  });

  it('returns one message by default and up to MaxNumberOfMessages 10, each once while it is in flight', async () => {
    const q = await queues.create('sqs-max');
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `message-${i}` }));
    const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: entries }));
    expect(out.Successful).toHaveLength(10);
    const one = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
    expect(one).toHaveLength(1);
    const rest = [];
    for (let i = 0; i < 20 && rest.length < 9; i++) {
      const batch = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 });
      expect(batch.length).toBeLessThanOrEqual(10);
      rest.push(...batch);
    }
    const bodies = [...one, ...rest].map((m) => m.Body).sort();
    expect(bodies).toEqual(entries.map((e) => e.MessageBody).sort());
    expect(await receive(q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
  });
});

describe('DeleteMessage', () => {
  it('deletes a received message: it is never received again', async () => {
    const q = await queues.create('sqs-delete-msg', { VisibilityTimeout: '0' });
    const sent = await send(q.url, 'delete me');
    const [m] = await receive(q.url, { WaitTimeSeconds: 5 });
    expect(m.MessageId).toBe(sent.MessageId);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    expect(await receive(q.url, { WaitTimeSeconds: 1 })).toEqual([]);
    await eventually(
      () => getAttributes(q.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']),
      (a) => a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0',
    );
  });

  it('accepts the receipt handle of an already deleted message again', async () => {
    const q = await queues.create('sqs-delete-twice');
    await send(q.url, 'once');
    const [m] = await receive(q.url, { WaitTimeSeconds: 5 });
    for (let i = 0; i < 3; i++) await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
  });
});

describe('delays', () => {
  it('holds a message sent with DelaySeconds back until the delay has passed', async () => {
    const q = await queues.create('sqs-delay');
    const sent = await send(q.url, 'later', { DelaySeconds: 2 });
    // Right after the send the message is hidden (unless the target's clock has already run past the delay).
    const early = await receive(q.url, { MessageSystemAttributeNames: ['All'] });
    const later = early.length ? early : await receiveAll(q.url, 1, { WaitTimeSeconds: 10, MessageSystemAttributeNames: ['All'] });
    expect(later.map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(num(later[0], 'ApproximateFirstReceiveTimestamp') - num(later[0], 'SentTimestamp')).toBeGreaterThanOrEqual(2000);
  });

  it("lets a message's own DelaySeconds 0 override the queue's DelaySeconds", async () => {
    const q = await queues.create('sqs-delay-override', { DelaySeconds: '900' });
    const delayed = await send(q.url, 'queue delay');
    const now = await send(q.url, 'no delay', { DelaySeconds: 0 });
    const got = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, MessageSystemAttributeNames: ['All'] });
    expect(got.map((m) => m.MessageId)).toContain(now.MessageId);
    // The queue-delayed one only comes along once 900 s of the target's time have passed.
    for (const m of got.filter((m) => m.MessageId === delayed.MessageId)) {
      expect(num(m, 'ApproximateFirstReceiveTimestamp') - num(m, 'SentTimestamp')).toBeGreaterThanOrEqual(900_000);
    }
  });
});

describe('long polling', () => {
  it('waits up to WaitTimeSeconds on an empty queue and answers with no messages', async () => {
    const q = await queues.create('sqs-longpoll-empty');
    const before = await tb.now();
    expect(await receive(q.url, { WaitTimeSeconds: 2 })).toEqual([]);
    expect((await tb.now()) - before).toBeGreaterThanOrEqual(1900);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the call gives no WaitTimeSeconds', async () => {
    const q = await queues.create('sqs-longpoll-queue', { ReceiveMessageWaitTimeSeconds: '2' });
    const before = await tb.now();
    expect(await receive(q.url)).toEqual([]);
    expect((await tb.now()) - before).toBeGreaterThanOrEqual(1900);
  });

  it('returns as soon as a message is sent by another call while it waits', async () => {
    const q = await queues.create('sqs-longpoll-wake');
    const started = Date.now();
    const poll = receive(q.url, { WaitTimeSeconds: 20 });
    const sent = await send(q.url, 'wake up');
    let got = await poll;
    // In compressed time the first wait may end before the send lands; the next poll finds the message at once.
    if (got.length === 0 && tb.has('clock')) got = await receive(q.url, { WaitTimeSeconds: 20 });
    expect(got.map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
