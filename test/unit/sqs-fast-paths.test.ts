/**
 * The shortcuts of the SQS hot paths answer exactly as the long way does:
 *   receipt handles   the latest handle is found without a full parse (model.ts `byHandle`); older,
 *                     deleted, foreign and malformed handles still get the answers they got before
 *   retention         the sweep stops at once when the oldest entry is too young, and departed
 *                     entries are dropped by compaction, not one by one (due-heap.ts ArrivalHeap)
 *   QueueUrl          remembered per region and URL text, forgotten when queues come and go (store.ts)
 *   digests           the one-shot hash gives createHash's digests (md5.ts)
 *   times             kept per queue from its creation, answered in epoch ms (model.ts)
 *   message ids       made without crypto.randomUUID (message-id.ts)
 *   ReceiveMessage    members without a value are left out of each message
 * Driven directly with a Clock in real mode moved by `clock.advance(ms)`, as sqs-model.test.ts.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../src/cloud/errors';
import type { RequestContext } from '../../src/cloud/protocols/types';
import { ArrivalHeap } from '../../src/cloud/services/sqs/due-heap';
import { sqsOperations } from '../../src/cloud/services/sqs/index';
import { hexDigest } from '../../src/cloud/services/sqs/md5';
import { QUEUE_URL_CACHE_LIMIT } from '../../src/cloud/services/sqs/store';
import type { ReceivedMessage } from '../../src/cloud/services/sqs/types';
import { bodies, clock, freshStorePerTest, queue, recv, send, store } from './sqs-helpers';

freshStorePerTest();

/** The error `fn` throws, as [code, message]; 'ok' when it throws nothing. */
function outcome(fn: () => unknown): [string, string] | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof AwsError) return [e.code, e.message];
    throw e;
  }
}

const invalid = (h: string): [string, string] => ['ReceiptHandleIsInvalid', `The input receipt handle "${h}" is not a valid receipt handle.`];
const expired = (h: string): [string, string] => [
  'InvalidParameterValueException',
  `Value ${h} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
];
const notAvailable = (h: string): [string, string] => [
  'InvalidParameterValueException',
  `Value ${h} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
];

const decode = (h: string) => Buffer.from(h, 'base64').toString('utf8');
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('receipt handles', () => {
  it('standard: an older handle after a new receive still deletes, but cannot change visibility', async () => {
    const q = queue('std', { VisibilityTimeout: '1' });
    send(q, 'a');
    const [first] = await recv(q);
    clock.advance(1_500);
    const [second] = await recv(q);
    expect(second.receiptHandle).not.toBe(first.receiptHandle);
    expect(outcome(() => q.messages.changeVisibility(first.receiptHandle, 10))).toEqual(expired(first.receiptHandle));
    expect(outcome(() => q.messages.deleteMessage(first.receiptHandle))).toBe('ok');
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    // Gone for either handle now.
    expect(outcome(() => q.messages.deleteMessage(second.receiptHandle))).toBe('ok');
    expect(outcome(() => q.messages.changeVisibility(second.receiptHandle, 10))).toEqual(notAvailable(second.receiptHandle));
    clock.advance(5_000);
    expect(await recv(q)).toEqual([]);
  });

  it('FIFO: an older handle after a new receive is expired for deletes too; the latest one deletes', async () => {
    const q = queue('q.fifo', { VisibilityTimeout: '1' });
    send(q, 'a');
    const [first] = await recv(q);
    clock.advance(1_500);
    const [second] = await recv(q);
    expect(outcome(() => q.messages.deleteMessage(first.receiptHandle))).toEqual(expired(first.receiptHandle));
    expect(outcome(() => q.messages.changeVisibility(first.receiptHandle, 5))).toEqual(expired(first.receiptHandle));
    expect(q.messages.counts().inFlight).toBe(1);
    expect(outcome(() => q.messages.deleteMessage(second.receiptHandle))).toBe('ok');
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('the latest handle keeps working while its message is visible again (standard)', async () => {
    const q = queue('std', { VisibilityTimeout: '1' });
    send(q, 'a');
    const [r] = await recv(q);
    clock.advance(1_500);
    expect(q.messages.counts().visible).toBe(1);
    expect(outcome(() => q.messages.changeVisibility(r.receiptHandle, 30))).toBe('ok');
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(outcome(() => q.messages.deleteMessage(r.receiptHandle))).toBe('ok');
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('deleted messages never come back, whatever their handles do afterwards', async () => {
    const q = queue('std', { VisibilityTimeout: '2' });
    for (let i = 0; i < 25; i++) send(q, `m${i}`);
    const got: ReceivedMessage[] = [];
    for (let r = await recv(q); r.length > 0; r = await recv(q)) got.push(...r);
    expect(got).toHaveLength(25);
    for (const x of got.filter((_, i) => i % 2 === 0)) q.messages.deleteMessage(x.receiptHandle);
    clock.advance(3_000);
    const again: ReceivedMessage[] = [];
    for (let r = await recv(q); r.length > 0; r = await recv(q)) again.push(...r);
    expect(bodies(again).sort()).toEqual(bodies(got.filter((_, i) => i % 2 === 1)).sort());
    for (const x of got) q.messages.deleteMessage(x.receiptHandle); // older handles: the rest go too
    for (const x of again) expect(outcome(() => q.messages.deleteMessage(x.receiptHandle))).toBe('ok');
    clock.advance(60_000);
    expect(await recv(q)).toEqual([]);
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    for (const x of again) expect(outcome(() => q.messages.changeVisibility(x.receiptHandle, 1))).toEqual(notAvailable(x.receiptHandle));
  });

  it('purged and moved-away messages answer as deleted ones', async () => {
    const dlq = queue('dlq');
    const src = queue('src', { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    send(src, 'moved');
    const [m] = await recv(src);
    clock.advance(1_500);
    expect(await recv(src)).toEqual([]); // moves it to the DLQ
    expect(outcome(() => src.messages.deleteMessage(m.receiptHandle))).toBe('ok');
    expect(outcome(() => src.messages.changeVisibility(m.receiptHandle, 1))).toEqual(notAvailable(m.receiptHandle));
    // In the DLQ the source's handle is another queue's.
    expect(outcome(() => dlq.messages.deleteMessage(m.receiptHandle))).toEqual(invalid(m.receiptHandle));
    const [d] = await recv(dlq);
    expect(d.message.body).toBe('moved');
    dlq.messages.purge();
    expect(outcome(() => dlq.messages.deleteMessage(d.receiptHandle))).toBe('ok');
    expect(outcome(() => dlq.messages.changeVisibility(d.receiptHandle, 1))).toEqual(notAvailable(d.receiptHandle));
  });

  it('tells malformed and tampered handles from this queue\'s own', async () => {
    const q = queue('std');
    const other = queue('stdx');
    send(q, 'a');
    send(other, 'b');
    const [r] = await recv(q);
    const [theirs] = await recv(other);
    const h = r.receiptHandle;
    const [word, id, tail] = decode(h).split(' ');
    const cases = [
      h + 'A', // past the end
      h.slice(0, -4), // cut
      encode(`${word} ${id}`), // no tail
      encode(`${word} ${id} ${tail} x`), // a fourth part
      encode(`${word} ${id} ${'z'.repeat(24)}`), // a tail that is not hex
      encode(`${word} ${id} ${tail.slice(1)}`), // a short tail
      encode(`${word} `) + '!'.repeat(60), // not base64 after this queue's own start
      encode(`${decode(theirs.receiptHandle).split(' ')[0]} ${id} ${tail}`), // another queue's first word
      theirs.receiptHandle,
    ];
    for (const bad of cases) {
      expect(outcome(() => q.messages.deleteMessage(bad))).toEqual(invalid(bad));
      expect(outcome(() => q.messages.changeVisibility(bad, 5))).toEqual(invalid(bad));
    }
    expect(q.messages.counts().inFlight).toBe(1);
    // A well-formed handle of this queue naming a message id it does not hold: already deleted.
    const unknown = encode(`${word} 00000000-0000-4000-8000-000000000000 ${tail}`);
    expect(outcome(() => q.messages.deleteMessage(unknown))).toBe('ok');
    expect(outcome(() => q.messages.changeVisibility(unknown, 5))).toEqual(notAvailable(unknown));
    expect(outcome(() => q.messages.deleteMessage(h))).toBe('ok');
    expect(q.messages.counts().inFlight).toBe(0);
  });

  it('is base64 of "<queue arn><pad> <message id> <24 hex>", the first word padded to whole 3-byte groups', async () => {
    // Queue name lengths 1, 2, 3 cover every remainder.
    for (const name of ['a', 'ab', 'abc', 'abcd.fifo']) {
      const q = queue(name);
      send(q, 'x');
      const [r] = await recv(q);
      const [word, id, tail, ...rest] = decode(r.receiptHandle).split(' ');
      expect(rest).toEqual([]);
      expect(word).toMatch(new RegExp(`^${q.arn.replace(/\./g, '\\.')}#{0,2}$`));
      expect((word.length + 1) % 3).toBe(0);
      expect(id).toBe(r.message.messageId);
      expect(tail).toMatch(/^[0-9a-f]{24}$/);
      expect(encode(decode(r.receiptHandle))).toBe(r.receiptHandle);
      expect(outcome(() => q.messages.deleteMessage(r.receiptHandle))).toBe('ok');
      expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    }
  });
});

describe('retention', () => {
  it('a message younger than the retention period stays behind departed older ones', async () => {
    const q = queue('std', { MessageRetentionPeriod: '60' });
    send(q, 'a');
    const [a] = await recv(q);
    q.messages.deleteMessage(a.receiptHandle);
    clock.advance(40_000);
    send(q, 'b');
    clock.advance(30_000); // a's entry is 70 s old, b is 30 s old
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(bodies(await recv(q, 10, { visibilityTimeout: 0 }))).toEqual(['b']);
    clock.advance(31_000);
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await recv(q)).toEqual([]);
  });

  it('drops old messages behind many deleted ones, and reads a changed period at once', async () => {
    const q = queue('std', { MessageRetentionPeriod: '600', VisibilityTimeout: '5' });
    for (let i = 0; i < 3000; i++) send(q, `m${i}`);
    for (let k = 0; k < 200; k++) for (const x of await recv(q)) q.messages.deleteMessage(x.receiptHandle);
    expect(q.messages.counts()).toEqual({ visible: 1000, inFlight: 0, delayed: 0 });
    clock.advance(100_000);
    expect(q.messages.counts().visible).toBe(1000);
    q.attributes.MessageRetentionPeriod = '60';
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await recv(q)).toEqual([]);
  });

  it('a standard DLQ drops a moved-in message by its original time even behind departed entries', async () => {
    const dlq = queue('dlq', { MessageRetentionPeriod: '60' });
    const src = queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    send(src, 'old');
    await recv(src, 1, { visibilityTimeout: 0 });
    clock.advance(30_000);
    send(dlq, 'deleted');
    const [d] = await recv(dlq);
    dlq.messages.deleteMessage(d.receiptHandle);
    clock.advance(10_000);
    expect(await recv(src)).toEqual([]); // 'old' moves in, 40 s old
    expect(dlq.messages.counts().visible).toBe(1);
    clock.advance(20_000);
    expect(dlq.messages.counts().visible).toBe(0);
  });
});

describe('times', () => {
  it('a message moved to a queue created much later keeps its epoch times and its retention start', async () => {
    const src = queue('src', { VisibilityTimeout: '0' });
    const sentAt = clock.now();
    send(src, 'old');
    const [first] = await recv(src);
    const firstReceive = clock.now();
    clock.advance(50_000);
    const dlq = queue('dlq', { MessageRetentionPeriod: '60' }); // queue time 0 is 50 s after the send
    src.attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    expect(await recv(src)).toEqual([]); // moves it
    const [moved] = await recv(dlq, 1, { visibilityTimeout: 0 });
    expect(moved.message.messageId).toBe(first.message.messageId);
    expect(Math.abs(moved.message.sentTimestamp - sentAt)).toBeLessThan(500);
    expect(Math.abs(moved.message.firstReceiveTimestamp! - firstReceive)).toBeLessThan(500);
    expect(moved.message.receiveCount).toBe(2);
    clock.advance(9_000);
    expect(dlq.messages.counts().visible).toBe(1); // 59 s after the send
    clock.advance(2_000);
    expect(dlq.messages.counts().visible).toBe(0); // 61 s
  });

  it('SentTimestamp and the first receive are epoch milliseconds, also when virtual time is far ahead', async () => {
    const q = queue('q', { VisibilityTimeout: '1' });
    const before = send(q, 'before').messageId;
    clock.advance(26 * 86_400_000); // past 2^31 ms of queue time: no longer small integers
    expect(q.messages.counts().visible).toBe(0); // 'before' is past its 4 days
    const t0 = clock.now();
    send(q, 'a');
    clock.advance(3_600_000);
    const [r] = await recv(q);
    expect(r.message.messageId).not.toBe(before);
    expect(Math.abs(r.message.sentTimestamp - t0)).toBeLessThan(500);
    expect(Math.abs(r.message.firstReceiveTimestamp! - (t0 + 3_600_000))).toBeLessThan(500);
    clock.advance(1_500);
    const [again] = await recv(q, 1, { visibilityTimeout: 5 });
    expect(again.message.receiveCount).toBe(2);
    clock.advance(1_000);
    expect(outcome(() => q.messages.changeVisibility(again.receiptHandle, 43_200))).toEqual([
      'InvalidParameterValueException',
      'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    ]);
    expect(outcome(() => q.messages.changeVisibility(again.receiptHandle, 43_000))).toBe('ok');
    clock.advance(42_999_000);
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    clock.advance(1_500);
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });
});

describe('message ids', () => {
  it('are distinct version 4 UUIDs', () => {
    const q = queue('ids');
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(send(q, `m${i}`).messageId);
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ArrivalHeap', () => {
  interface Item {
    enqueuedAt: number;
    order: number;
    state: string;
  }

  it('keeps at most twice the live entries once many have departed, and still knows the oldest', () => {
    const heap = new ArrivalHeap<Item>();
    const items: Item[] = [];
    let live = 0;
    for (let i = 0; i < 5000; i++) {
      // Mostly in time order, every 7th one older (moved in).
      const item = { enqueuedAt: i % 7 === 0 ? i - 500 : i, order: i, state: 'visible' };
      items.push(item);
      heap.push(item, ++live);
    }
    expect(heap.size).toBe(5000);
    for (let i = 0; i < 4900; i++) {
      items[i].state = 'gone';
      heap.departed(--live);
      expect(heap.size).toBeLessThanOrEqual(Math.max(1024, 2 * live) + 1);
    }
    const rest = items.slice(4900);
    const oldest = rest.reduce((a, b) => (b.enqueuedAt < a.enqueuedAt || (b.enqueuedAt === a.enqueuedAt && b.order < a.order) ? b : a));
    expect(heap.oldest()).toBe(oldest);
    expect(heap.live().length).toBe(100);
    // Drain in order.
    const seen: Item[] = [];
    for (let x = heap.oldest(); x; x = heap.oldest()) {
      seen.push(x);
      x.state = 'gone';
    }
    expect(seen).toEqual([...rest].sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.order - b.order));
  });

  it('peek shows the oldest entry, departed or not', () => {
    const heap = new ArrivalHeap<Item>();
    expect(heap.peek()).toBeUndefined();
    const a = { enqueuedAt: 10, order: 1, state: 'visible' };
    const b = { enqueuedAt: 20, order: 2, state: 'visible' };
    heap.push(b, 1);
    heap.push(a, 2);
    a.state = 'gone';
    expect(heap.peek()).toBe(a);
    expect(heap.oldest()).toBe(b);
    expect(heap.peek()).toBe(b);
  });
});

describe('QueueUrl resolution', () => {
  const ctx = (region = 'us-east-1') => ({ region, accountId: '000000000000' });

  it('answers the same queue for the same URL, and forgets it when the queue goes', () => {
    const q = queue('q1');
    const url = 'http://localhost:4566/000000000000/q1';
    expect(store.resolve(ctx(), url)).toBe(q);
    expect(store.resolve(ctx(), url)).toBe(q);
    store.remove(q);
    expect(() => store.resolve(ctx(), url)).toThrow('The specified queue does not exist.');
    const again = queue('q1');
    expect(again).not.toBe(q);
    expect(store.resolve(ctx(), url)).toBe(again);
    store.clear();
    expect(() => store.resolve(ctx(), url)).toThrow('The specified queue does not exist.');
  });

  it('a URL without a region names a queue of the request\'s region', () => {
    const east = queue('q1');
    const west = queue('q1', {}, 'eu-west-1');
    const url = 'http://localhost:4566/000000000000/q1';
    expect(store.resolve(ctx(), url)).toBe(east);
    expect(store.resolve(ctx('eu-west-1'), url)).toBe(west);
    expect(store.resolve(ctx(), url)).toBe(east);
    expect(() => store.resolve(ctx('ap-south-1'), url)).toThrow('The specified queue does not exist.');
    // A URL that names its region does not depend on the request's.
    expect(store.resolve(ctx(), 'http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q1')).toBe(west);
  });

  it('finds a queue created after a miss on its URL', () => {
    const url = 'http://localhost:4566/000000000000/later';
    expect(() => store.resolve(ctx(), url)).toThrow('The specified queue does not exist.');
    const q = queue('later');
    expect(store.resolve(ctx(), url)).toBe(q);
  });

  it(`remembers at most ${QUEUE_URL_CACHE_LIMIT} URLs`, () => {
    const q = queue('q1');
    for (let i = 0; i < 3 * QUEUE_URL_CACHE_LIMIT; i++) {
      expect(store.resolve(ctx(), `http://host-${i}:4566/000000000000/q1`)).toBe(q);
      expect(store['resolvedCount']).toBeLessThanOrEqual(QUEUE_URL_CACHE_LIMIT);
    }
  });
});

describe('digests', () => {
  it('hexDigest equals createHash for strings (as UTF-8) and bytes', () => {
    for (const data of ['', 'abc', 'h\u00e9llo \u4e16\u754c \ud83d\ude00', 'x'.repeat(100_000), Buffer.from([0, 1, 2, 255])]) {
      for (const algorithm of ['md5', 'sha256'] as const) {
        expect(hexDigest(algorithm, data)).toBe(createHash(algorithm).update(data).digest('hex'));
      }
    }
  });
});

describe('ReceiveMessage answer', () => {
  const context = (): RequestContext => ({
    requestId: 'r',
    region: 'us-east-1',
    accountId: '000000000000',
    accessKeyId: 'AKIDEXAMPLE',
    endpoint: 'http://localhost:4566',
    path: '/',
    clock,
  });

  it('leaves out members without a value, and keeps the members\' order', async () => {
    const ops = sqsOperations(store);
    const ctx = context();
    const { QueueUrl } = (await ops.CreateQueue({ QueueName: 'answer' }, ctx)) as { QueueUrl: string };
    await ops.SendMessage({ QueueUrl, MessageBody: 'plain' }, ctx);
    await ops.SendMessage({ QueueUrl, MessageBody: 'rich', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }, ctx);
    type Answer = { Messages: Record<string, unknown>[] };
    const bare = (await ops.ReceiveMessage({ QueueUrl, MaxNumberOfMessages: 10 }, ctx)) as Answer;
    expect(bare.Messages.map((m) => Object.keys(m))).toEqual([
      ['MessageId', 'ReceiptHandle', 'MD5OfBody', 'Body'],
      ['MessageId', 'ReceiptHandle', 'MD5OfBody', 'Body'],
    ]);
    for (const m of bare.Messages) await ops.ChangeMessageVisibility({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }, ctx);
    const full = (await ops.ReceiveMessage(
      { QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['SenderId'], MessageAttributeNames: ['All'] },
      ctx,
    )) as Answer;
    const byBody = new Map(full.Messages.map((m) => [m.Body, m]));
    expect(Object.keys(byBody.get('plain')!)).toEqual(['MessageId', 'ReceiptHandle', 'MD5OfBody', 'Body', 'Attributes']);
    expect(Object.keys(byBody.get('rich')!)).toEqual([
      'MessageId',
      'ReceiptHandle',
      'MD5OfBody',
      'Body',
      'Attributes',
      'MD5OfMessageAttributes',
      'MessageAttributes',
    ]);
    expect(byBody.get('rich')!.MessageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
  });
});
