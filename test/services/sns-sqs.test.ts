/**
 * SNS -> SQS through the wire: the JSON envelope (field order, casing, Subject left out, message
 * attributes), signatures verified with node:crypto against the served certificate, raw delivery,
 * MessageStructure json, FIFO topics to FIFO and standard queues (group, deduplication id,
 * order, no second delivery of a duplicate), filter policies in both scopes, the trace header,
 * redrive to the subscription's DLQ when the queue is gone, and SNS as a delivery target of the
 * cloud's deliverer (publishInternal).
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createQueue, failure, receive, receiveN, REGION, uniq, useSnsEnv } from './sns-helpers';

const env = useSnsEnv();

const topic = async (fifo = false, Attributes: Record<string, string> = {}) =>
  (await env.sns.send(new CreateTopicCommand({ Name: fifo ? `${uniq('t')}.fifo` : uniq('t'), Attributes: fifo ? { FifoTopic: 'true', ...Attributes } : Attributes }))).TopicArn!;

const subscribe = async (TopicArn: string, queueArn: string, Attributes?: Record<string, string>) =>
  (await env.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;

/** Verify an envelope's signature as a receiver would: fetch the SigningCertURL, rebuild the string. */
async function verify(m: Record<string, string>): Promise<boolean> {
  const res = await fetch(m.SigningCertURL ?? m.SigningCertUrl);
  expect(res.status).toBe(200);
  const cert = new X509Certificate(await res.text());
  const names = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = names.filter((n) => m[n] !== undefined && m[n] !== null).map((n) => `${n}\n${m[n]}\n`).join('');
  return createVerify(m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(text, 'utf8').verify(cert.publicKey, m.Signature, 'base64');
}

describe('the JSON envelope', () => {
  it('carries the message as AWS does, signed (SignatureVersion 1, SHA1withRSA)', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const sub = await subscribe(t, q.arn);
    const published = await env.sns.send(
      new PublishCommand({
        TopicArn: t,
        Message: 'ö§a1"_!?,. £$-',
        Subject: 'greetings',
        MessageAttributes: { attr1: { DataType: 'Number', StringValue: '99.12' }, bin: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) } },
      }),
    );
    const [m] = await receive(env, q.url);
    const body = JSON.parse(m.Body!) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({ Type: 'Notification', MessageId: published.MessageId, TopicArn: t, Subject: 'greetings', Message: 'ö§a1"_!?,. £$-', SignatureVersion: '1' });
    expect(body.MessageAttributes).toEqual({ attr1: { Type: 'Number', Value: '99.12' }, bin: { Type: 'Binary', Value: 'AgME' } });
    expect(body.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.UnsubscribeURL).toBe(`${env.cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
    expect(body.SigningCertURL).toMatch(new RegExp(`^${env.cloud.endpoint}/_testbed/sns/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
    expect(await verify(body)).toBe(true);
    expect(await verify({ ...body, Message: 'tampered' })).toBe(false);
    // No message attributes on the SQS message itself; the envelope is the body.
    expect(m.MessageAttributes).toBeUndefined();
  });

  it('leaves Subject and MessageAttributes out when unset; SignatureVersion 2 signs with SHA256withRSA', async () => {
    const t = await topic(false, { SignatureVersion: '2' });
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'plain' }));
    const [m] = await receive(env, q.url);
    const body = JSON.parse(m.Body!) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
    expect(body.SignatureVersion).toBe('2');
    expect(await verify(body)).toBe(true);
    expect(await verify({ ...body, SignatureVersion: '1' })).toBe(false);
  });

  it('serves the certificate only under its own name', async () => {
    const ok = await fetch(`${env.cloud.endpoint}/_testbed/sns/SimpleNotificationService-00000000000000000000000000000000.pem`);
    expect(ok.status).toBe(404);
  });

  it('MessageStructure json: the sqs entry when it is a string, else the default', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    await env.sns.send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'default field', sqs: JSON.stringify({ field: 'value' }) }) }));
    await env.sns.send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'default field', sqs: { field: 'value' } }) }));
    const got = await receiveN(env, q.url, 2);
    expect(got.map((m) => JSON.parse(m.Body!).Message).sort()).toEqual(['default field', '{"field":"value"}'].sort());
  });

  it('passes the Publish request trace header on as AWSTraceHeader [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    const trace = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
    const res = await fetch(`${env.cloud.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-amzn-trace-id': trace,
        authorization: `AWS4-HMAC-SHA256 Credential=AKID/20240101/${REGION}/sns/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: t, Message: 'X-Ray propagation test msg' }).toString(),
    });
    expect(res.status).toBe(200);
    const [m] = await receive(env, q.url);
    expect(m.Attributes?.AWSTraceHeader).toBe(trace);
  });
});

describe('raw message delivery', () => {
  it('delivers the Message as the body and the attributes as SQS message attributes [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn, { RawMessageDelivery: 'true' });
    await env.sns.send(
      new PublishCommand({
        TopicArn: t,
        Message: 'Test msg',
        MessageAttributes: {
          attr1: { DataType: 'Number', StringValue: '99.12' },
          store: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) },
          list: { DataType: 'String.Array', StringValue: '["a","b"]' },
        },
      }),
    );
    const [m] = await receive(env, q.url);
    expect(m.Body).toBe('Test msg');
    expect(m.MessageAttributes).toEqual({
      attr1: { DataType: 'Number', StringValue: '99.12' },
      store: { DataType: 'Binary', BinaryValue: Uint8Array.from([2, 3, 4]) },
      list: { DataType: 'String.Array', StringValue: '["a","b"]' },
    });
    expect(m.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('FIFO topics', () => {
  it('to a FIFO queue: group and deduplication ids kept, SequenceNumber in the envelope, no signature, order kept [rec]', async () => {
    const t = await topic(true, { ContentBasedDeduplication: 'true' });
    const q = await createQueue(env, `${uniq('fq')}.fifo`, { FifoQueue: 'true' });
    await subscribe(t, q.arn);
    const first = await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'Test', MessageGroupId: 'message-group-id-1' }));
    for (let i = 0; i < 8; i++) await env.sns.send(new PublishCommand({ TopicArn: t, Message: `m${i}`, MessageGroupId: 'message-group-id-1' }));
    // A duplicate within 5 minutes is accepted and not delivered again.
    expect((await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'Test', MessageGroupId: 'message-group-id-1' }))).MessageId).toBe(first.MessageId);
    const got = await receiveN(env, q.url, 9);
    expect(got.map((m) => JSON.parse(m.Body!).Message)).toEqual(['Test', 'm0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    const [m] = got;
    expect(m.Attributes).toMatchObject({
      MessageGroupId: 'message-group-id-1',
      MessageDeduplicationId: '532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25', // [rec] SHA-256 of "Test"
    });
    const body = JSON.parse(m.Body!) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    expect(body.SequenceNumber).toBe(first.SequenceNumber);
    expect(await receive(env, q.url, 10, 2)).toEqual([]);
  });

  it('to a standard queue: no group or deduplication id on the SQS message [rec]', async () => {
    const t = await topic(true);
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'Test', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    const [m] = await receive(env, q.url);
    expect(m.Attributes?.MessageGroupId).toBeUndefined();
    expect(m.Attributes?.MessageDeduplicationId).toBeUndefined();
    expect(JSON.parse(m.Body!).SequenceNumber).toMatch(/^\d{20,}$/);
  });

  it('a standard topic forwards MessageGroupId to a standard queue [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'x', MessageGroupId: 'my-group-id-1' }));
    const [m] = await receive(env, q.url);
    expect(m.Attributes?.MessageGroupId).toBe('my-group-id-1');
  });
});

describe('filter policies', () => {
  it('MessageAttributes scope: only matching messages are delivered', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const sub = await subscribe(t, q.arn, { FilterPolicy: JSON.stringify({ attr1: [{ numeric: ['>', 0, '<=', 100] }] }) });
    const send = (v: string) => env.sns.send(new PublishCommand({ TopicArn: t, Message: `v=${v}`, MessageAttributes: { attr1: { DataType: 'Number', StringValue: v } } }));
    await send('99.12');
    await send('111');
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'no attributes' }));
    const got = await receiveN(env, q.url, 1);
    expect(got.map((m) => JSON.parse(m.Body!).Message)).toEqual(['v=99.12']);
    expect(await receive(env, q.url, 10, 2)).toEqual([]);
    // Changing the policy takes effect for later messages.
    await env.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ attr1: [{ numeric: ['>', 100] }] }) }));
    await send('111');
    expect((await receiveN(env, q.url, 1)).map((m) => JSON.parse(m.Body!).Message)).toEqual(['v=111']);
  });

  it('MessageBody scope: nested keys of a JSON body', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn, { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } }), RawMessageDelivery: 'true' });
    for (const b of [{ object: { key: 'auto-yes' } }, { object: { key: 'manual' } }, 'not json']) {
      await env.sns.send(new PublishCommand({ TopicArn: t, Message: typeof b === 'string' ? b : JSON.stringify(b) }));
    }
    const got = await receiveN(env, q.url, 1);
    expect(got.map((m) => m.Body)).toEqual([JSON.stringify({ object: { key: 'auto-yes' } })]);
    expect(await receive(env, q.url, 10, 2)).toEqual([]);
  });

  it('refuses bad policies with SNS texts, from Subscribe and from SetSubscriptionAttributes [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const bad = await failure(env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn, Attributes: { FilterPolicy: '{"key":[]}' } })));
    expect(bad.code).toBe('InvalidParameter');
    expect(bad.message.startsWith('Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed')).toBe(true);
    const sub = await subscribe(t, q.arn);
    const nested = await failure(
      env.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } }) })),
    );
    expect(nested).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy' });
    const json = await failure(env.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: '{invalidjson}' })));
    expect(json.message.startsWith('Invalid parameter: FilterPolicy: failed to parse JSON.')).toBe(true);
  });
});

describe('dead-letter queues and failed deliveries', () => {
  it('a deleted queue sends the message to the RedrivePolicy queue at once, as the endpoint would have had it [rec]', async () => {
    for (const raw of [true, false]) {
      const t = await topic();
      const q = await createQueue(env);
      const dlq = await createQueue(env);
      await subscribe(t, q.arn, { RawMessageDelivery: String(raw), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
      await env.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
      await env.sns.send(
        new PublishCommand({
          TopicArn: t,
          Message: 'test_dlq_after_sqs_endpoint_deleted',
          MessageAttributes: { attr1: { DataType: 'Number', StringValue: '111' }, attr2: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) } },
        }),
      );
      const [m] = await receive(env, dlq.url);
      expect(m).toBeDefined();
      if (raw) {
        expect(m.Body).toBe('test_dlq_after_sqs_endpoint_deleted');
        expect(m.MessageAttributes).toEqual({ attr1: { DataType: 'Number', StringValue: '111' }, attr2: { DataType: 'Binary', BinaryValue: Uint8Array.from([2, 3, 4]) } });
      } else {
        const body = JSON.parse(m.Body!);
        expect(body).toMatchObject({ Type: 'Notification', Message: 'test_dlq_after_sqs_endpoint_deleted', MessageAttributes: { attr1: { Type: 'Number', Value: '111' }, attr2: { Type: 'Binary', Value: 'AgME' } } });
        expect(await verify(body)).toBe(true);
      }
    }
  });

  it('without a DLQ the message is dropped, and both the deliverer and SNS say why', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const sub = await subscribe(t, q.arn);
    await env.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    const before = env.cloud.cloud.sns.dispatcher.failures.length;
    const { MessageId } = await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'lost' }));
    await env.cloud.cloud.clock.advanceBy(1000);
    const mine = env.cloud.cloud.sns.dispatcher.failures.slice(before).filter((f) => f.messageId === MessageId);
    expect(mine).toEqual([expect.objectContaining({ subscriptionArn: sub, code: 'AWS.SimpleQueueService.NonExistentQueue', attempts: 1, outcome: 'dropped' })]);
    expect(env.cloud.cloud.deliverer.failures.some((f) => f.source === `sns:${sub}` && f.kind === 'not-found')).toBe(true);
  });

  it('an unsubscribed queue gets nothing more', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const sub = await subscribe(t, q.arn);
    await env.sns.send(new UnsubscribeCommand({ SubscriptionArn: sub }));
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'after' }));
    expect(await receive(env, q.url, 10, 2)).toEqual([]);
  });
});

describe('SNS as a target of the cloud deliverer (Lambda destinations, DLQs, EventBridge)', () => {
  it('publishInternal publishes to the topic with the deliverer-given attributes and trace header', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, q.arn);
    const dctx = { accountId: '000000000000', region: REGION, traceHeader: 'Root=1-abc-def', source: 'lambda:OnFailure fn' };
    const outcome = await env.cloud.cloud.deliverer.deliver(dctx, t, {
      body: JSON.stringify({ raise_error: 1 }),
      attributes: { ErrorCode: { DataType: 'Number', StringValue: '200' }, RequestID: { DataType: 'String', StringValue: 'req-1' } },
    });
    expect(outcome).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [m] = await receive(env, q.url);
    const body = JSON.parse(m.Body!);
    expect(body).toMatchObject({ Message: '{"raise_error":1}', MessageAttributes: { ErrorCode: { Type: 'Number', Value: '200' }, RequestID: { Type: 'String', Value: 'req-1' } } });
    expect(m.Attributes?.AWSTraceHeader).toBe('Root=1-abc-def');
    const missing = await env.cloud.cloud.deliverer.deliver(dctx, `${t}-gone`, { body: 'x' });
    expect(missing).toMatchObject({ ok: false, kind: 'not-found', code: 'NotFound' });
    const fifoTopic = await topic(true);
    expect(await env.cloud.cloud.deliverer.deliver(dctx, fifoTopic, { body: 'x' })).toMatchObject({ ok: false, kind: 'invalid', code: 'InvalidParameter' });
    // An SQS message sent by hand still arrives normally (the queue is not affected by SNS).
    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'direct' }));
    expect((await receive(env, q.url)).map((x) => x.Body)).toEqual(['direct']);
  });
});
