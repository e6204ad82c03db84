/**
 * SNS delivery with a stub deliverer in place of the cloud's (no HTTP, no other services): the
 * exact Lambda event and how it is handed over (trigger, principal, source ARN, the Publish
 * request's trace header), signatures of Lambda events, the AWS-managed retry schedule on a
 * compressed clock, client errors straight to the DLQ, FIFO order through retries, and clear().
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { Clock } from '../../src/cloud/clock';
import type { Deliverer, DeliveryContext, DeliveryMessage, DeliveryOutcome } from '../../src/cloud/deliver/types';
import type { RequestContext } from '../../src/cloud/protocols/types';
import { snsOperations, SnsStore } from '../../src/cloud/services/sns';
import { MANAGED_RETRY, retryDelayMs } from '../../src/cloud/services/sns/delivery-policy';
import { snsCertificateResponse } from '../../src/cloud/services/sns/signing';

interface Call {
  dctx: DeliveryContext;
  arn: string;
  msg: DeliveryMessage;
  at: number;
}

const ENDPOINT = 'http://127.0.0.1:4566';
const ACCOUNT = '000000000000';

function setup(answer: (call: Call, n: number) => DeliveryOutcome = () => ({ ok: true })) {
  const clock = new Clock('compressed');
  const calls: Call[] = [];
  const deliverer: Deliverer = {
    deliver: async (dctx, arn, msg) => {
      const call = { dctx, arn, msg, at: clock.now() };
      calls.push(call);
      return answer(call, calls.filter((c) => c.arn === arn).length);
    },
    lost: () => undefined,
  };
  const store = new SnsStore(clock, deliverer);
  const ops = snsOperations(store);
  const ctx = (traceHeader?: string): RequestContext => ({ requestId: 'r', region: 'us-east-1', accountId: ACCOUNT, accessKeyId: 'AKID', endpoint: ENDPOINT, path: '/', clock, traceHeader });
  const call = async (op: string, input: Record<string, unknown>, traceHeader?: string) => (await ops[op](input, ctx(traceHeader))) as Record<string, unknown>;
  /** Let deliveries happen: virtual time passes, compressed. */
  const settle = (ms = 10) => clock.advanceBy(ms);
  /** Until `n` deliveries were made (the first signature waits for the key to be made, in real time). */
  const made = async (n: number) => {
    for (let i = 0; i < 500 && calls.length < n; i++) await clock.advanceBy(10);
    return calls;
  };
  return { clock, calls, store, call, settle, made };
}

const throttled: DeliveryOutcome = { ok: false, kind: 'throttled', code: 'TooManyRequestsException', message: 'Rate exceeded', retryable: true };
const gone: DeliveryOutcome = { ok: false, kind: 'not-found', code: 'ResourceNotFoundException', message: 'Function not found', retryable: false };
const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:my-fn`;

async function verifyWith(sns: Record<string, string>, algorithm: 'RSA-SHA1' | 'RSA-SHA256'): Promise<boolean> {
  const cert = await snsCertificateResponse(sns.SigningCertUrl.slice(ENDPOINT.length));
  const text = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    .filter((n) => sns[n] !== undefined && sns[n] !== null)
    .map((n) => `${n}\n${sns[n]}\n`)
    .join('');
  return createVerify(algorithm).update(text).verify(new X509Certificate(cert!.body as string).publicKey, sns.Signature, 'base64');
}

describe('SNS -> Lambda', () => {
  it('invokes with the exact SNS event, trigger sns, principal sns.amazonaws.com, the topic as source and the request trace header', async () => {
    const { calls, call, made } = setup();
    const topic = (await call('CreateTopic', { Name: 'lambda-topic' })).TopicArn as string;
    const sub = (await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn })).SubscriptionArn as string;
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a87bb23b:0';
    const { MessageId } = await call(
      'Publish',
      { TopicArn: topic, Message: 'Hello world.', MessageAttributes: { Test: { DataType: 'String', StringValue: 'TestString' }, Bin: { DataType: 'Binary', BinaryValue: 'AAEC' } } },
      trace,
    );
    expect(calls).toHaveLength(0); // nothing inside the Publish call
    await made(1);
    expect(calls).toHaveLength(1);
    const [c] = calls;
    expect(c.arn).toBe(fn);
    expect(c.dctx).toEqual({ accountId: ACCOUNT, region: 'us-east-1', traceHeader: trace, source: `sns:${sub}` });
    expect(c.msg).toMatchObject({ trigger: 'sns', principal: 'sns.amazonaws.com', sourceArn: topic });
    const event = JSON.parse(c.msg.body);
    expect(Object.keys(event.Records[0])).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: sub });
    const sns = event.Records[0].Sns;
    expect(Object.keys(sns)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
    expect(sns).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topic,
      Subject: null,
      Message: 'Hello world.',
      SignatureVersion: '1',
      UnsubscribeUrl: `${ENDPOINT}/?Action=Unsubscribe&SubscriptionArn=${sub}`,
      MessageAttributes: { Test: { Type: 'String', Value: 'TestString' }, Bin: { Type: 'Binary', Value: 'AAEC' } },
    });
    expect(sns.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(sns.SigningCertUrl).toMatch(/^http:\/\/127\.0\.0\.1:4566\/_testbed\/sns\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    expect(await verifyWith(sns, 'RSA-SHA1')).toBe(true);
  });

  it('says SignatureVersion "1" even when the topic signs with SHA256 (version 2), as AWS does [rec]', async () => {
    const { calls, call, made } = setup();
    const topic = (await call('CreateTopic', { Name: 'v2', Attributes: { SignatureVersion: '2' } })).TopicArn as string;
    await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn });
    await call('Publish', { TopicArn: topic, Message: 'Hello world.', Subject: '[Subject] Test subject Signature v2' });
    await made(1);
    const sns = JSON.parse(calls[0].msg.body).Records[0].Sns;
    expect(sns.SignatureVersion).toBe('1');
    expect(sns.Subject).toBe('[Subject] Test subject Signature v2');
    expect(await verifyWith(sns, 'RSA-SHA256')).toBe(true);
    expect(await verifyWith(sns, 'RSA-SHA1')).toBe(false);
  });

  it('MessageStructure json: the lambda entry', async () => {
    const { calls, call, made } = setup();
    const topic = (await call('CreateTopic', { Name: 's' })).TopicArn as string;
    await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn });
    await call('Publish', { TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', lambda: 'for lambda' }) });
    await made(1);
    expect(JSON.parse(calls[0].msg.body).Records[0].Sns.Message).toBe('for lambda');
  });
});

describe('retries and dead-letter queues', () => {
  it('retries throttling on the AWS-managed schedule: 3 at once, 2 at 1 s, then backing off to 20 s [doc]', async () => {
    const { clock, calls, call, settle } = setup((_c, n) => (n <= 16 ? throttled : { ok: true }));
    const topic = (await call('CreateTopic', { Name: 'retry' })).TopicArn as string;
    await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn });
    const t0 = clock.now();
    await call('Publish', { TopicArn: topic, Message: 'm' });
    await settle(200_000);
    expect(calls).toHaveLength(17);
    const offsets = calls.map((c) => c.at - t0);
    const gaps = offsets.slice(1).map((o, i) => o - offsets[i]);
    const expected = [0, 0, 0, 1000, 1000, ...Array.from({ length: 10 }, (_, j) => Math.round(1000 * Math.pow(20, j / 9))), 20_000];
    expect(gaps).toHaveLength(expected.length);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(expected[i]);
      expect(g).toBeLessThan(expected[i] + 500);
    });
    expect(new Set(calls.map((c) => c.msg.body)).size).toBe(1);
  });

  it('the managed policy has 100,015 retries, the last ones 20 s apart [doc]', () => {
    expect([1, 2, 3].map((k) => retryDelayMs(MANAGED_RETRY, k))).toEqual([0, 0, 0]);
    expect([4, 5].map((k) => retryDelayMs(MANAGED_RETRY, k))).toEqual([1000, 1000]);
    expect(retryDelayMs(MANAGED_RETRY, 6)).toBe(1000);
    expect(retryDelayMs(MANAGED_RETRY, 15)).toBe(20_000);
    expect(retryDelayMs(MANAGED_RETRY, 16)).toBe(20_000);
    expect(retryDelayMs(MANAGED_RETRY, 100_015)).toBe(20_000);
    expect(retryDelayMs(MANAGED_RETRY, 100_016)).toBeUndefined();
  });

  it('a client error (function gone) goes to the DLQ at once, with the envelope [rec]', async () => {
    const dlq = `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq`;
    const { calls, call, settle } = setup((c) => (c.arn === fn ? gone : { ok: true }));
    const topic = (await call('CreateTopic', { Name: 'dlq' })).TopicArn as string;
    const sub = (await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq }) } }))
      .SubscriptionArn as string;
    await call('Publish', { TopicArn: topic, Message: 'test_redrive_policy', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }, 'Root=1-x');
    await settle(5_000);
    expect(calls.map((c) => c.arn)).toEqual([fn, dlq]);
    const body = JSON.parse(calls[1].msg.body);
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({ Message: 'test_redrive_policy', UnsubscribeURL: `${ENDPOINT}/?Action=Unsubscribe&SubscriptionArn=${sub}`, MessageAttributes: { attr1: { Type: 'Number', Value: '1' } } });
    expect(calls[1].dctx).toMatchObject({ traceHeader: 'Root=1-x', source: `sns:${sub}` });
  });

  it('FIFO topics keep order per subscription through retries; clear() stops what is pending', async () => {
    let first = true;
    const q = `arn:aws:sqs:us-east-1:${ACCOUNT}:q.fifo`;
    const { calls, call, settle, store, clock } = setup((c) => {
      if (c.arn === q && first) {
        first = false;
        return throttled;
      }
      return { ok: true };
    });
    const topic = (await call('CreateTopic', { Name: 'f.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } })).TopicArn as string;
    await call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: q });
    for (const m of ['a', 'b', 'c']) await call('Publish', { TopicArn: topic, Message: m, MessageGroupId: 'g' });
    await settle(10_000);
    expect(calls.map((c) => JSON.parse(c.msg.body).Message)).toEqual(['a', 'a', 'b', 'c']);
    expect(calls[0].msg).toMatchObject({ groupId: 'g', dedupId: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // clear(): a delivery waiting for its retry never happens.
    const fn2 = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:busy`;
    const other = setup(() => throttled);
    const t2 = (await other.call('CreateTopic', { Name: 'c' })).TopicArn as string;
    await other.call('Subscribe', { TopicArn: t2, Protocol: 'lambda', Endpoint: fn2 });
    await other.call('Publish', { TopicArn: t2, Message: 'm' });
    await other.settle(2_500);
    const made = other.calls.length;
    expect(made).toBeGreaterThanOrEqual(5);
    other.store.clear();
    await other.settle(120_000);
    expect(other.calls).toHaveLength(made);
    expect(other.clock.stats().timers).toBe(0);
    store.clear();
    expect(clock.stats().timers).toBe(0);
  });
});

describe('publishInternal', () => {
  it('answers outcomes: ok with the message id, not-found, invalid', async () => {
    const { store, call, calls, made } = setup();
    const topic = (await call('CreateTopic', { Name: 'internal' })).TopicArn as string;
    await call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: fn });
    const dctx = { accountId: ACCOUNT, region: 'us-east-1', traceHeader: 'Root=1-y', source: 'events:rule' };
    const ok = store.publishInternal(dctx, topic, { message: '{"detail":{}}', subject: 'Subject', attributes: { a: { DataType: 'Binary', BinaryValue: Buffer.from([1]) } } });
    expect(ok).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await made(1);
    const sns = JSON.parse(calls[0].msg.body).Records[0].Sns;
    expect(sns).toMatchObject({ Message: '{"detail":{}}', Subject: 'Subject', MessageAttributes: { a: { Type: 'Binary', Value: 'AQ==' } } });
    expect(calls[0].dctx.traceHeader).toBe('Root=1-y');
    expect(store.publishInternal(dctx, `${topic}x`, { message: 'm' })).toMatchObject({ ok: false, kind: 'not-found', retryable: false });
    expect(store.publishInternal(dctx, topic, { message: '' })).toMatchObject({ ok: false, kind: 'invalid', code: 'InvalidParameter', message: 'Invalid parameter: Empty message' });
  });
});
