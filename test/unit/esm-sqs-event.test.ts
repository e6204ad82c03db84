/**
 * The SQS event record Lambda sends [doc][rec], what FilterCriteria see of a message [doc][rec], and
 * the queue model's `onAvailable` hook the pollers wait on (never on the clock).
 */
import { eventPayload, passesSqsFilters, sqsRecord } from '../../src/cloud/lambda/pollers/sqs-event';
import { compileFilters } from '../../src/cloud/lambda/pollers/validate';
import { md5OfAttributes } from '../../src/cloud/services/sqs/md5';
import { clock, freshStorePerTest, fsend, queue, recv, send } from './sqs-helpers';

freshStorePerTest();

const src = (arn: string, windowed = false) => ({ queueArn: arn, region: 'us-east-1', windowed });

describe('the record', () => {
  it('has the recorded members, in order, for a standard queue [rec]', async () => {
    const q = queue('ev-std');
    send(q, 'Test message.');
    const [r] = await recv(q);
    const rec = sqsRecord(r.message, r.receiptHandle, src(q.arn));
    expect(Object.keys(rec)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(rec).toEqual({
      messageId: r.message.messageId,
      receiptHandle: r.receiptHandle,
      body: 'Test message.',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(r.message.sentTimestamp),
        SenderId: 'AKIDEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(r.message.firstReceiveTimestamp),
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3', // [doc] the sample event's body
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'us-east-1',
    });
    expect(Object.keys(rec.attributes as object)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
  });

  it('shows md5OfMessageAttributes: null for a mapping with a batching window [rec]', async () => {
    const q = queue('ev-window');
    send(q, 'x');
    const [r] = await recv(q);
    const rec = sqsRecord(r.message, r.receiptHandle, src(q.arn, true));
    expect(rec.md5OfMessageAttributes).toBeNull();
    expect(Object.keys(rec).indexOf('md5OfMessageAttributes')).toBe(Object.keys(rec).indexOf('md5OfBody') - 1);
  });

  it('carries message attributes with the list members and their digest [rec]', async () => {
    const q = queue('ev-attrs');
    const attrs = {
      WeeksOn: { DataType: 'Number', StringValue: '6' },
      Title: { DataType: 'String', StringValue: 'The Whistler' },
      Blob: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') },
    };
    send(q, 'b', { messageAttributes: attrs, md5OfMessageAttributes: md5OfAttributes(attrs) });
    const [r] = await recv(q);
    const rec = sqsRecord(r.message, r.receiptHandle, src(q.arn));
    expect(rec.messageAttributes).toEqual({
      WeeksOn: { stringValue: '6', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      Title: { stringValue: 'The Whistler', stringListValues: [], binaryListValues: [], dataType: 'String' },
      Blob: { binaryValue: Buffer.from('Hello binary world!').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    expect(rec.md5OfMessageAttributes).toBe(md5OfAttributes(attrs));
  });

  it('adds the FIFO attributes and the trace header [doc]', async () => {
    const q = queue('ev.fifo');
    send(q, 'f', { messageGroupId: 'g1', messageDeduplicationId: 'dedup-1', messageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } } });
    const [r] = await recv(q);
    const attributes = sqsRecord(r.message, r.receiptHandle, src(q.arn)).attributes as Record<string, string>;
    expect(Object.keys(attributes)).toEqual([
      'ApproximateReceiveCount',
      'AWSTraceHeader',
      'SentTimestamp',
      'SequenceNumber',
      'MessageGroupId',
      'SenderId',
      'MessageDeduplicationId',
      'ApproximateFirstReceiveTimestamp',
    ]);
    expect(attributes).toMatchObject({ MessageGroupId: 'g1', MessageDeduplicationId: 'dedup-1', AWSTraceHeader: 'Root=1-abc', SequenceNumber: r.message.sequenceNumber });
  });

  it('builds the event from serialized records', () => {
    expect(JSON.parse(eventPayload(['{"a":1}', '{"b":2}']).toString())).toEqual({ Records: [{ a: 1 }, { b: 2 }] });
  });
});

describe('filters', () => {
  async function recordWith(body: string, extra = {}) {
    const q = queue(`flt-${Math.random().toString(36).slice(2)}`);
    send(q, body, extra);
    const [r] = await recv(q);
    return sqsRecord(r.message, r.receiptHandle, src(q.arn));
  }
  const compiled = (...patterns: unknown[]) => {
    const f = { patterns: patterns.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))), compiled: [] as never[] };
    compileFilters(f);
    return f.compiled;
  };

  it('passes everything without filters', async () => {
    expect(passesSqsFilters([], await recordWith('anything'))).toBe(true);
  });

  it('matches fields of a JSON body, ORs the filters [rec]', async () => {
    const f = compiled({ body: { testItem: ['test24'] } }, { body: { testItem: ['test45'] } });
    expect(passesSqsFilters(f, await recordWith('{"testItem": "test45"}'))).toBe(true);
    expect(passesSqsFilters(f, await recordWith('{"testItem": "other"}'))).toBe(false);
  });

  it('drops a plain body under a JSON filter, and a JSON body under a plain one [rec][doc]', async () => {
    const json = compiled({ body: { 'my-key': ['my-value'] } });
    expect(passesSqsFilters(json, await recordWith('plain-string'))).toBe(false);
    const plain = compiled({ body: ['plain-string'] });
    expect(passesSqsFilters(plain, await recordWith('plain-string'))).toBe(true);
    expect(passesSqsFilters(plain, await recordWith('{"my-key": "plain-string"}'))).toBe(false);
  });

  it('keeps the text of numbers: 300 is not 300.0 [doc]', async () => {
    const f = compiled({ body: { price: [300] } });
    expect(passesSqsFilters(f, await recordWith('{"price": 300}'))).toBe(true);
    expect(passesSqsFilters(f, await recordWith('{"price": 300.0}'))).toBe(false);
  });

  it('filters on metadata: attributes and message attributes [doc]', async () => {
    const f = compiled({ attributes: { SenderId: ['AKIDEXAMPLE'] } });
    expect(passesSqsFilters(f, await recordWith('x'))).toBe(true);
    const byAttr = compiled({ messageAttributes: { kind: { stringValue: ['a'] } } });
    const rec = await recordWith('x', { messageAttributes: { kind: { DataType: 'String', StringValue: 'a' } } });
    expect(passesSqsFilters(byAttr, rec)).toBe(true);
    expect(passesSqsFilters(byAttr, await recordWith('x'))).toBe(false);
  });
});

describe('the queue tells listeners when messages may be receivable', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it('on a send, once per turn however many', async () => {
    const q = queue('hook-send');
    let calls = 0;
    q.messages.onAvailable(() => calls++);
    send(q, 'a');
    send(q, 'b');
    expect(calls).toBe(0); // never from inside the send
    await tick();
    expect(calls).toBe(1);
  });

  it('when a delay ends and when a visibility timeout ends (virtual time)', async () => {
    const q = queue('hook-delay', { DelaySeconds: '5', VisibilityTimeout: '10' });
    let calls = 0;
    q.messages.onAvailable(() => calls++);
    send(q, 'a');
    await tick();
    expect(calls).toBe(0); // delayed: not receivable yet
    clock.advance(5_000);
    await tick();
    expect(calls).toBe(1);
    expect(await recv(q)).toHaveLength(1);
    await tick();
    const before = calls;
    clock.advance(10_000);
    await tick();
    expect(calls).toBe(before + 1);
  });

  it('on ChangeMessageVisibility to 0, on a FIFO group unblocked, and on close; not after unsubscribing', async () => {
    const q = queue('hook.fifo');
    let calls = 0;
    const off = q.messages.onAvailable(() => calls++);
    fsend(q, 'g1-a', 'g1');
    fsend(q, 'g1-b', 'g1');
    await tick();
    const [first] = await recv(q, 1);
    await tick();
    calls = 0;
    q.messages.deleteMessage(first.receiptHandle); // the group's next message becomes receivable
    await tick();
    expect(calls).toBe(1);
    const [second] = await recv(q, 1);
    await tick();
    calls = 0;
    q.messages.changeVisibility(second.receiptHandle, 0);
    await tick();
    expect(calls).toBe(1);
    q.messages.close();
    await tick();
    expect(calls).toBe(2);
    off();
    const other = queue('hook-off');
    let otherCalls = 0;
    const offOther = other.messages.onAvailable(() => otherCalls++);
    offOther();
    send(other, 'x');
    await tick();
    expect(otherCalls).toBe(0);
  });
});
