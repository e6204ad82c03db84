/**
 * One queue's messages (src/cloud/services/sqs/model.ts + fifo.ts), driven directly with a Clock in
 * real mode moved by `clock.advance(ms)` (margins of at least 500 ms absorb the real milliseconds
 * the test itself takes).
 */
import { AwsError } from '../../src/cloud/errors';
import type { ReceivedMessage } from '../../src/cloud/services/sqs/types';
import { bodies, clock, freshStorePerTest, fsend, queue, recv, send, store } from './sqs-helpers';

freshStorePerTest();

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error('expected an AwsError');
}

describe('standard queue: visibility', () => {
  it('hides a received message for the queue VisibilityTimeout and brings it back with a new handle', async () => {
    const q = queue('std');
    const sent = send(q, 'hello');
    const t0 = clock.now();
    const [first] = await recv(q);
    expect(first.message.messageId).toBe(sent.messageId);
    expect(first.message.receiveCount).toBe(1);
    expect(first.message.firstReceiveTimestamp).toBeGreaterThanOrEqual(t0);
    expect(await recv(q)).toEqual([]);
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    clock.advance(29_000);
    expect(await recv(q)).toEqual([]);
    clock.advance(1_000);
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    const [second] = await recv(q);
    expect(second.message.receiveCount).toBe(2);
    expect(second.receiptHandle).not.toBe(first.receiptHandle);
    expect(second.message.firstReceiveTimestamp).toBe(first.message.firstReceiveTimestamp);
  });

  it('reads VisibilityTimeout live, and a per-receive override wins', async () => {
    const q = queue('std');
    send(q, 'a');
    q.attributes.VisibilityTimeout = '5';
    await recv(q);
    clock.advance(5_000);
    const [again] = await recv(q, 1, { visibilityTimeout: 100 });
    expect(again.message.receiveCount).toBe(2);
    clock.advance(99_000);
    expect(await recv(q)).toEqual([]);
    clock.advance(1_000);
    expect(await recv(q)).toHaveLength(1);
  });

  it('VisibilityTimeout 0 on receive leaves the message visible for the next receive', async () => {
    const q = queue('std');
    send(q, 'a');
    const [r1] = await recv(q, 1, { visibilityTimeout: 0 });
    const [r2] = await recv(q);
    expect(r2.receiptHandle).not.toBe(r1.receiptHandle);
    expect(r2.message.receiveCount).toBe(2);
    expect(await recv(q)).toEqual([]);
  });

  it('ChangeMessageVisibility counts from the call and is not remembered for the next receive', async () => {
    const q = queue('std', { VisibilityTimeout: '10' });
    send(q, 'a');
    const [r] = await recv(q);
    clock.advance(5_000);
    q.messages.changeVisibility(r.receiptHandle, 60);
    clock.advance(59_000); // 64 s after the receive: still hidden (60 s from the change)
    expect(await recv(q)).toEqual([]);
    clock.advance(1_000);
    const [again] = await recv(q);
    expect(again.message.body).toBe('a');
    clock.advance(10_000); // the queue's 10 s again, not 60
    expect(await recv(q)).toHaveLength(1);
  });

  it('ChangeMessageVisibility 0 makes the message visible at once', async () => {
    const q = queue('std');
    send(q, 'a');
    const [r] = await recv(q);
    q.messages.changeVisibility(r.receiptHandle, 0);
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await recv(q)).toHaveLength(1);
  });

  it('refuses to extend beyond 12 hours from the receive', async () => {
    const q = queue('std');
    send(q, 'a');
    const [r] = await recv(q);
    clock.advance(10_000);
    const e = errorOf(() => q.messages.changeVisibility(r.receiptHandle, 43_200));
    expect([e.code, e.options.queryCode]).toEqual(['InvalidParameterValueException', 'InvalidParameterValue']);
    expect(e.message).toBe('Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]');
    q.messages.changeVisibility(r.receiptHandle, 43_000);
  });

  it('a standard message whose timeout ran out can still be hidden again with its handle [rec]', async () => {
    const q = queue('std', { VisibilityTimeout: '2' });
    send(q, 'a');
    const [r] = await recv(q);
    clock.advance(4_000);
    q.messages.changeVisibility(r.receiptHandle, 2);
    expect(await recv(q)).toEqual([]);
    clock.advance(2_000);
    expect(await recv(q)).toHaveLength(1);
  });
});

describe('standard queue: handles and deletes', () => {
  it('deletes with the latest handle, and again without error [rec]', async () => {
    const q = queue('std');
    send(q, 'a');
    const [r] = await recv(q);
    q.messages.deleteMessage(r.receiptHandle);
    q.messages.deleteMessage(r.receiptHandle);
    expect(q.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    clock.advance(60_000);
    expect(await recv(q)).toEqual([]);
  });

  it('deletes with a handle whose visibility timeout ran out [rec]', async () => {
    const q = queue('std', { VisibilityTimeout: '1' });
    send(q, 'a');
    const [r] = await recv(q);
    clock.advance(2_000);
    q.messages.deleteMessage(r.receiptHandle);
    expect(await recv(q)).toEqual([]);
  });

  it('tells malformed handles and other queues\' handles from stale ones', async () => {
    const q = queue('one');
    const other = queue('two');
    send(other, 'x');
    const [theirs] = await recv(other);
    for (const bad of ['garbage', 'INVALID', theirs.receiptHandle, '']) {
      const e = errorOf(() => q.messages.deleteMessage(bad));
      expect(e.code).toBe('ReceiptHandleIsInvalid');
      expect(e.message).toBe(`The input receipt handle "${bad}" is not a valid receipt handle.`);
    }
    send(q, 'a');
    const [mine] = await recv(q);
    q.messages.deleteMessage(mine.receiptHandle);
    const e = errorOf(() => q.messages.changeVisibility(mine.receiptHandle, 10));
    expect([e.code, e.options.queryCode]).toEqual(['InvalidParameterValueException', 'InvalidParameterValue']);
    expect(e.message).toBe(
      `Value ${mine.receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });
});

describe('delays and retention', () => {
  it('delays by the queue DelaySeconds and by a per-message delay', async () => {
    const q = queue('std', { DelaySeconds: '10' });
    send(q, 'queue-delay');
    send(q, 'own-delay', { delaySeconds: 100 });
    send(q, 'no-delay', { delaySeconds: 0 });
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 2 });
    expect(bodies(await recv(q, 10, { visibilityTimeout: 43_200 }))).toEqual(['no-delay']);
    clock.advance(9_000);
    expect(await recv(q)).toEqual([]);
    clock.advance(1_000);
    expect(bodies(await recv(q, 10, { visibilityTimeout: 43_200 }))).toEqual(['queue-delay']);
    clock.advance(90_000);
    expect(bodies(await recv(q))).toEqual(['own-delay']);
  });

  it('drops messages older than MessageRetentionPeriod, in flight or not', async () => {
    const q = queue('std', { MessageRetentionPeriod: '60' });
    send(q, 'old');
    send(q, 'old-in-flight');
    clock.advance(30_000);
    await recv(q, 1, { visibilityTimeout: 600 });
    send(q, 'young');
    clock.advance(30_000);
    expect(q.messages.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(bodies(await recv(q))).toEqual(['young']);
  });
});

describe('retention of moved messages', () => {
  it('a standard DLQ counts retention from the original enqueue time', async () => {
    const dlq = queue('dlq', { MessageRetentionPeriod: '60' });
    const src = queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    send(src, 'old');
    await recv(src, 1, { visibilityTimeout: 0 });
    clock.advance(40_000);
    send(dlq, 'young');
    expect(await recv(src)).toEqual([]); // moves 'old' to the DLQ
    expect(dlq.messages.counts().visible).toBe(2);
    clock.advance(20_000);
    expect(dlq.messages.counts().visible).toBe(1);
    expect(bodies(await recv(dlq))).toEqual(['young']);
  });

  it('a FIFO DLQ restarts it', async () => {
    const dlq = queue('dlq.fifo', { MessageRetentionPeriod: '60' });
    const src = queue('src.fifo', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    fsend(src, 'old', 'g');
    await recv(src, 1, { visibilityTimeout: 0 });
    clock.advance(40_000);
    expect(await recv(src)).toEqual([]);
    clock.advance(30_000);
    expect(bodies(await recv(dlq))).toEqual(['old']);
  });
});

describe('long polling', () => {
  it('answers a parked receive as soon as a message is sent', async () => {
    const q = queue('std');
    const pending = q.messages.receive({ max: 10, waitSeconds: 20 });
    send(q, 'now');
    expect(bodies(await pending)).toEqual(['now']);
  });

  it('answers when a delay ends or a visibility timeout runs out, at that virtual time', async () => {
    const q = queue('std', { VisibilityTimeout: '5' });
    send(q, 'later', { delaySeconds: 3 });
    const t0 = clock.now();
    const pending = q.messages.receive({ max: 10, waitSeconds: 20 });
    clock.advance(3_000);
    const [m] = await pending;
    expect(m.message.body).toBe('later');
    expect(m.message.firstReceiveTimestamp! - t0).toBeGreaterThanOrEqual(3_000);
    const again = q.messages.receive({ max: 10, waitSeconds: 20 });
    clock.advance(5_000);
    expect((await again)[0].message.receiveCount).toBe(2);
  });

  it('answers empty at the end of its wait, and when the queue is closed', async () => {
    const q = queue('std');
    const pending = q.messages.receive({ max: 10, waitSeconds: 20 });
    clock.advance(20_000);
    expect(await pending).toEqual([]);
    const parked = q.messages.receive({ max: 10, waitSeconds: 20 });
    store.remove(q);
    expect(await parked).toEqual([]);
    expect(clock.stats().waiters).toBe(0);
  });

  it('wakes one parked receive per message', async () => {
    const q = queue('std');
    const polls = [1, 2, 3].map(() => q.messages.receive({ max: 1, waitSeconds: 20 }));
    send(q, 'a');
    send(q, 'b');
    const results: string[][] = [];
    for (const p of polls.slice(0, 2)) results.push(bodies(await p));
    expect(results.flat().sort()).toEqual(['a', 'b']);
    clock.advance(20_000);
    expect(await polls[2]).toEqual([]);
  });
});

describe('timers', () => {
  it('keeps at most one clock timer per queue however many messages wait', async () => {
    const q = queue('std');
    for (let i = 0; i < 50; i++) send(q, `d${i}`, { delaySeconds: 1 + (i % 7) });
    for (let i = 0; i < 50; i++) send(q, `v${i}`);
    await recv(q, 10);
    await recv(q, 10, { visibilityTimeout: 3 });
    expect(clock.stats().timers).toBe(1);
    expect(clock.nextDue()! - clock.now()).toBeLessThanOrEqual(1_000);
    clock.advance(60_000);
    expect(q.messages.counts()).toEqual({ visible: 100, inFlight: 0, delayed: 0 });
    expect(clock.stats().timers).toBe(0);
  });
});

describe('redrive', () => {
  it('moves a message received more than maxReceiveCount times to the DLQ, keeping it as it was [rec]', async () => {
    const dlq = queue('dlq');
    const src = queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    const sent = send(src, 'm', {
      messageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
    const [first] = await recv(src, 1, { visibilityTimeout: 0 });
    expect(first.message.receiveCount).toBe(1);
    expect(await recv(src, 1, { visibilityTimeout: 0 })).toEqual([]);
    expect(src.messages.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [moved] = await recv(dlq);
    expect(moved.message.messageId).toBe(sent.messageId);
    expect(moved.message.deadLetterQueueSourceArn).toBe(src.arn);
    expect(moved.message.receiveCount).toBe(2);
    expect(moved.message.messageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
    expect(moved.message.firstReceiveTimestamp).toBe(first.message.firstReceiveTimestamp);
  });

  it('wakes a long poll on the DLQ when a message moves in', async () => {
    const dlq = queue('dlq');
    const src = queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
    send(src, 'm');
    await recv(src, 1, { visibilityTimeout: 0 });
    const parked = dlq.messages.receive({ max: 1, waitSeconds: 20 });
    await recv(src);
    expect(bodies(await parked)).toEqual(['m']);
  });

  it('takeForMove / putMoved move the oldest available message', async () => {
    const a = queue('a');
    const b = queue('b');
    send(a, 'first');
    send(a, 'second');
    const m = a.messages.takeForMove()!;
    expect(m.body).toBe('first');
    b.messages.putMoved(m);
    expect(a.messages.counts().visible).toBe(1);
    expect(bodies(await recv(b))).toEqual(['first']);
  });
});

describe('FIFO', () => {
  it('keeps order within a group and blocks a group while a message of it is in flight', async () => {
    const q = queue('q.fifo');
    fsend(q, 'g1-m1', 'g1');
    fsend(q, 'g1-m2', 'g1');
    fsend(q, 'g2-m1', 'g2');
    const first = await recv(q, 1);
    expect(bodies(first)).toEqual(['g1-m1']);
    expect(bodies(await recv(q, 10))).toEqual(['g2-m1']);
    expect(await recv(q, 10)).toEqual([]);
    q.messages.deleteMessage(first[0].receiptHandle);
    expect(bodies(await recv(q, 10))).toEqual(['g1-m2']);
  });

  it('takes as many of one group as it can, then the next group, in order', async () => {
    const q = queue('q.fifo');
    fsend(q, 'g1-m1', 'g1');
    fsend(q, 'g2-m1', 'g2');
    fsend(q, 'g1-m2', 'g1');
    fsend(q, 'g2-m2', 'g2');
    fsend(q, 'g3-m1', 'g3');
    expect(bodies(await recv(q, 10))).toEqual(['g1-m1', 'g1-m2', 'g2-m1', 'g2-m2', 'g3-m1']);
  });

  it.each([
    [0, []],
    [1, ['foo']],
    [2, ['foo', 'bar']],
  ])('a message kept in flight blocks the later ones of its group (position %i) [rec]', async (position, expected) => {
    const q = queue('q.fifo', { VisibilityTimeout: '1' });
    for (const b of ['foo', 'bar', 'baz']) fsend(q, b, '1');
    const all = await recv(q, 5);
    expect(bodies(all)).toEqual(['foo', 'bar', 'baz']);
    q.messages.changeVisibility(all[position].receiptHandle, 4);
    clock.advance(2_500);
    expect(bodies(await recv(q, 5))).toEqual(expected);
  });

  it('serves a group whose head came back after a group sent before that [rec]', async () => {
    const q = queue('q.fifo');
    fsend(q, 'g1-m1', 'group-1');
    fsend(q, 'g1-m2', 'group-1');
    fsend(q, 'g2-m1', 'group-2');
    const r = await recv(q, 2);
    expect(bodies(r)).toEqual(['g1-m1', 'g1-m2']);
    q.messages.changeVisibility(r[0].receiptHandle, 1);
    clock.advance(2_000);
    expect(bodies(await recv(q, 3))).toEqual(['g2-m1', 'g1-m1']);
  });

  it('a group unblocked by deletes keeps its place before groups sent later [rec]', async () => {
    const q = queue('q.fifo');
    for (const [b, g] of [
      ['g1-m1', '1'],
      ['g2-m1', '2'],
      ['g1-m2', '1'],
      ['g2-m2', '2'],
      ['g1-m3', '1'],
      ['g1-m4', '1'],
      ['g3-m1', '3'],
    ]) {
      fsend(q, b, g);
    }
    const r = await recv(q, 2);
    expect(bodies(r)).toEqual(['g1-m1', 'g1-m2']);
    for (const x of r) q.messages.deleteMessage(x.receiptHandle);
    expect(bodies(await recv(q, 10))).toEqual(['g2-m1', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
  });

  it('refuses to delete with a handle whose visibility timeout ran out [rec]', async () => {
    const q = queue('q.fifo', { VisibilityTimeout: '1' });
    fsend(q, 'a', 'g');
    const [r] = await recv(q);
    clock.advance(1_500);
    const e = errorOf(() => q.messages.deleteMessage(r.receiptHandle));
    expect(e.message).toBe(`Value ${r.receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    expect(q.messages.counts().visible).toBe(1);
  });

  it('deduplicates over 5 minutes, per queue or per message group', async () => {
    const q = queue('q.fifo');
    const a = send(q, 'x', { messageGroupId: 'g1', messageDeduplicationId: 'same' });
    const b = send(q, 'y', { messageGroupId: 'g2', messageDeduplicationId: 'same' });
    expect(b).toEqual({ messageId: a.messageId, sequenceNumber: a.sequenceNumber, duplicate: true });
    expect(q.messages.counts().visible).toBe(1);
    clock.advance(5 * 60_000);
    expect(send(q, 'z', { messageGroupId: 'g1', messageDeduplicationId: 'same' }).duplicate).toBe(false);

    const hq = queue('h.fifo', { DeduplicationScope: 'messageGroup' });
    send(hq, 'x', { messageGroupId: 'g1', messageDeduplicationId: 'same' });
    expect(send(hq, 'x', { messageGroupId: 'g2', messageDeduplicationId: 'same' }).duplicate).toBe(false);
    expect(send(hq, 'x', { messageGroupId: 'g1', messageDeduplicationId: 'same' }).duplicate).toBe(true);
  });

  it('a duplicate stays undelivered after the original is deleted [rec]', async () => {
    const q = queue('q.fifo');
    send(q, 'x', { messageDeduplicationId: 'd' });
    const [r] = await recv(q);
    q.messages.deleteMessage(r.receiptHandle);
    send(q, 'x', { messageDeduplicationId: 'd' });
    expect(await recv(q)).toEqual([]);
  });

  it('numbers messages with rising sequence numbers of at least 20 digits', () => {
    const q = queue('q.fifo');
    const seqs = [1, 2, 3].map((i) => BigInt(fsend(q, `m${i}`, 'g').sequenceNumber!));
    expect(seqs[0].toString().length).toBeGreaterThanOrEqual(20);
    expect(seqs[1] > seqs[0] && seqs[2] > seqs[1]).toBe(true);
  });

  it('applies the queue DelaySeconds, also when it changes later', async () => {
    const q = queue('q.fifo', { DelaySeconds: '10' });
    fsend(q, 'a', 'g');
    expect(q.messages.counts().delayed).toBe(1);
    q.attributes.DelaySeconds = '2';
    q.messages.attributesChanged();
    clock.advance(2_000);
    expect(bodies(await recv(q))).toEqual(['a']);
  });

  it('a retry with the same ReceiveRequestAttemptId returns the same messages and handles', async () => {
    const q = queue('q.fifo', { VisibilityTimeout: '30' });
    fsend(q, 'a', 'g1');
    fsend(q, 'b', 'g2');
    const first = await recv(q, 10, { attemptId: 'att-1' });
    clock.advance(20_000);
    const retry = await recv(q, 10, { attemptId: 'att-1' });
    expect(retry.map((r) => r.receiptHandle)).toEqual(first.map((r) => r.receiptHandle));
    expect(retry.map((r) => r.message.receiveCount)).toEqual([1, 1]);
    clock.advance(20_000); // 40 s after the first receive, 20 s after the retry restarted the timeout
    expect(await recv(q, 10)).toEqual([]);
    q.messages.deleteMessage(first[0].receiptHandle);
    fsend(q, 'c', 'g3');
    const other = await recv(q, 10, { attemptId: 'att-1' });
    expect(bodies(other)).toEqual(['c']);
  });
});

describe('nothing is lost', () => {
  it('every message ends deleted, in the DLQ or still queued, under a random mix of operations', async () => {
    let seed = 42;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    for (const name of ['mix', 'mix.fifo']) {
      const dlq = queue(`${name.replace('.fifo', '')}-dlq${name.endsWith('.fifo') ? '.fifo' : ''}`);
      const q = queue(name, { VisibilityTimeout: '3', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
      const sent = new Set<string>();
      const deleted = new Set<string>();
      const handles: string[] = [];
      const polls: Promise<ReceivedMessage[]>[] = [];
      const keep = (r: ReceivedMessage[]) => r.forEach((x) => handles.push(x.receiptHandle));
      for (let step = 0; step < 3000; step++) {
        const op = rnd(10);
        if (op < 3) {
          const r = q.fifo ? fsend(q, `m${step}`, `g${rnd(4)}`) : send(q, `m${step}`, { delaySeconds: rnd(3) });
          if (!r.duplicate) sent.add(r.messageId);
        } else if (op < 5) {
          keep(await recv(q, 1 + rnd(10), { visibilityTimeout: rnd(4) }));
        } else if (op === 5) {
          polls.push(q.messages.receive({ max: 3, waitSeconds: 1 + rnd(3) }));
        } else if (op < 8 && handles.length > 0) {
          const h = handles.splice(rnd(handles.length), 1)[0];
          try {
            const id = Buffer.from(h, 'base64').toString('utf8').split(' ')[1];
            const total = () => Object.values(q.messages.counts()).reduce((a, b) => a + b, 0);
            const before = total();
            q.messages.deleteMessage(h);
            if (total() === before - 1) deleted.add(id);
          } catch (e) {
            expect((e as AwsError).options.queryCode).toBe('InvalidParameterValue'); // FIFO: expired handle
          }
        } else if (op === 8 && handles.length > 0) {
          try {
            q.messages.changeVisibility(handles[rnd(handles.length)], rnd(3));
          } catch (e) {
            expect((e as AwsError).options.queryCode).toBe('InvalidParameterValue');
          }
        } else {
          clock.advance(rnd(2_000));
        }
      }
      clock.advance(60_000);
      for (const r of await Promise.all(polls)) keep(r);
      clock.advance(60_000); // what the last long polls took is visible again
      // Drain both queues.
      const remaining = new Set<string>();
      for (const target of [q, dlq]) {
        for (;;) {
          const r = await recv(target, 10, { visibilityTimeout: 600 });
          if (r.length === 0) break;
          for (const x of r) remaining.add(x.message.messageId);
          for (const x of r) target.messages.deleteMessage(x.receiptHandle);
        }
        expect([target.name, target.messages.counts()]).toEqual([target.name, { visible: 0, inFlight: 0, delayed: 0 }]);
      }
      for (const id of sent) expect(deleted.has(id) || remaining.has(id)).toBe(true);
      expect(deleted.size + remaining.size).toBe(sent.size);
    }
  });
});
