/**
 * SNS subscriptions through the wire: Subscribe (protocols, endpoints, attributes, idempotency),
 * Unsubscribe, ConfirmSubscription errors, ListSubscriptions(ByTopic) paging, Get/Set
 * SubscriptionAttributes with every validation AWS makes, the topic's subscription counts, and
 * DeleteTopic taking its subscriptions along. Texts from AWS recordings where there are some.
 */
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { ACCOUNT, createQueue, failure, rawQuery, REGION, topicArn, uniq, useSnsEnv } from './sns-helpers';

const env = useSnsEnv();

const topic = async (fifo = false) =>
  (await env.sns.send(new CreateTopicCommand({ Name: fifo ? `${uniq('t')}.fifo` : uniq('t'), Attributes: fifo ? { FifoTopic: 'true' } : undefined }))).TopicArn!;
const subscribe = (TopicArn: string, Protocol: string, Endpoint: string, Attributes?: Record<string, string>, ReturnSubscriptionArn?: boolean) =>
  env.sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes, ReturnSubscriptionArn }));
const subAttrs = async (SubscriptionArn: string) => (await env.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
const setSub = (SubscriptionArn: string, AttributeName: string, AttributeValue: string) =>
  env.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

describe('Subscribe', () => {
  it('an SQS subscription is confirmed at once and has the attributes AWS answers [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const { SubscriptionArn } = await subscribe(t, 'sqs', q.arn);
    expect(SubscriptionArn).toMatch(new RegExp(`^${t}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
    expect(await subAttrs(SubscriptionArn!)).toEqual({
      ConfirmationWasAuthenticated: 'true',
      Endpoint: q.arn,
      Owner: ACCOUNT,
      PendingConfirmation: 'false',
      Protocol: 'sqs',
      RawMessageDelivery: 'false',
      SubscriptionArn,
      SubscriptionPrincipal: `arn:aws:iam::${ACCOUNT}:root`,
      TopicArn: t,
    });
  });

  it('takes attributes at subscribe, lower-casing RawMessageDelivery; an empty FilterPolicy hides the scope [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const wrong = await failure(subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'wrongvalue', FilterPolicyScope: 'MessageBody', FilterPolicy: '' }, true));
    expect(wrong).toMatchObject({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.' });
    const { SubscriptionArn } = await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'TrUe', FilterPolicyScope: 'MessageBody', FilterPolicy: '' }, true);
    const a = await subAttrs(SubscriptionArn!);
    expect(a.RawMessageDelivery).toBe('true');
    expect(a.FilterPolicy).toBeUndefined();
    expect(a.FilterPolicyScope).toBeUndefined();
  });

  it('is idempotent per endpoint unless attributes differ [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const { SubscriptionArn } = await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'True' }, true);
    expect((await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true' }, true)).SubscriptionArn).toBe(SubscriptionArn);
    expect((await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes' }, true)).SubscriptionArn).toBe(SubscriptionArn);
    expect((await subscribe(t, 'sqs', q.arn, undefined, true)).SubscriptionArn).toBe(SubscriptionArn);
    expect((await subscribe(t, 'sqs', q.arn, {}, true)).SubscriptionArn).toBe(SubscriptionArn);
    expect((await subscribe(t, 'sqs', q.arn, { FilterPolicyScope: 'MessageAttributes' }, true)).SubscriptionArn).toBe(SubscriptionArn);
    expect(await failure(subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'false', FilterPolicyScope: 'MessageBody' }, true))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    });
    expect((await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions).toHaveLength(1);
  });

  it('refuses unknown protocols, bad topic ARNs and unknown topics [rec]', async () => {
    const t = await topic();
    expect(await failure(subscribe(t, 'test-protocol', 'localstack@yopmail.com'))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Amazon SNS does not support this protocol string: test-protocol',
    });
    expect(await failure(subscribe('randomstring', 'email', 'a@b.c'))).toMatchObject({ message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1' });
    expect(await failure(subscribe('arn:aws:sns:us-east-1:random', 'email', 'a@b.c'))).toMatchObject({ message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5' });
    expect(await failure(subscribe(`${t}aaa`, 'email', 'a@b.c'))).toMatchObject({ name: 'NotFoundException', code: 'NotFound', status: 404, message: 'Topic does not exist' });
    expect(await failure(env.snsIn('eu-west-1').send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:eu-west-1:000000000000:q' })))).toMatchObject({
      message: 'Invalid parameter: TopicArn',
    });
  });

  it('checks endpoints by protocol [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    expect(await failure(subscribe(t, 'sqs', 'unknown'))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: SQS endpoint ARN' });
    expect(await failure(subscribe(t, 'sqs', q.url))).toMatchObject({ message: 'Invalid parameter: SQS endpoint ARN' });
    // An unknown queue is accepted [rec].
    expect((await subscribe(t, 'sqs', `arn:aws:sqs:${REGION}:${ACCOUNT}:unknown-${uniq()}`)).SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const fifoQueue = await createQueue(env, `${uniq('fq')}.fifo`, { FifoQueue: 'true' });
    expect(await failure(subscribe(t, 'sqs', fifoQueue.arn))).toMatchObject({
      message: 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    });
    for (const bad of ['+15--551234567', 'NAA+15551234567', '+15551234567.', '/+15551234567']) {
      expect(await failure(subscribe(t, 'sms', bad))).toMatchObject({ code: 'InvalidParameter', message: `Invalid SMS endpoint: ${bad}` });
    }
    expect((await subscribe(t, 'sms', '+1234567890')).SubscriptionArn).toMatch(new RegExp(`^${t}:`));
    expect(await failure(subscribe(t, 'http', 'https://127.0.0.1/x'))).toMatchObject({ code: 'InvalidParameter' });
    expect(await failure(subscribe(t, 'lambda', 'not-an-arn'))).toMatchObject({ code: 'InvalidParameter' });
    expect(await failure(subscribe(t, 'sqs', ''))).toMatchObject({ code: 'InvalidParameter' });
    // FIFO topics take SQS subscriptions only [obs].
    const ft = await topic(true);
    expect(await failure(subscribe(ft, 'lambda', lambdaArn('f')))).toMatchObject({ message: 'Invalid parameter: Invalid protocol type: lambda' });
    // A standard queue on a FIFO topic is fine [rec].
    expect((await subscribe(ft, 'sqs', q.arn)).SubscriptionArn).toMatch(new RegExp(`^${ft.replace('.', '\\.')}:`));
  });

  it('a Lambda subscription: confirmed, RawMessageDelivery false and not settable [rec][obs]', async () => {
    const t = await topic();
    const { SubscriptionArn } = await subscribe(t, 'lambda', lambdaArn('my-fn'));
    const a = await subAttrs(SubscriptionArn!);
    expect(a).toMatchObject({ Protocol: 'lambda', PendingConfirmation: 'false', RawMessageDelivery: 'false', Endpoint: lambdaArn('my-fn') });
    expect(a.EffectiveDeliveryPolicy).toBeUndefined();
    expect(await failure(setSub(SubscriptionArn!, 'RawMessageDelivery', 'true'))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.',
    });
  });

  it('email subscriptions stay pending; ReturnSubscriptionArn gives the ARN anyway', async () => {
    const t = await topic();
    expect((await subscribe(t, 'email', 'someone@example.com')).SubscriptionArn).toBe('pending confirmation');
    const arn = (await subscribe(t, 'email', 'someone@example.com', undefined, true)).SubscriptionArn!;
    expect(arn).toMatch(new RegExp(`^${t}:`));
    expect(await subAttrs(arn)).toMatchObject({ PendingConfirmation: 'true', ConfirmationWasAuthenticated: 'false' });
    const listed = (await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions!;
    expect(listed).toEqual([{ SubscriptionArn: 'PendingConfirmation', Owner: ACCOUNT, Protocol: 'email', Endpoint: 'someone@example.com', TopicArn: t }]);
    const a = (await env.sns.send(new GetTopicAttributesCommand({ TopicArn: t }))).Attributes!;
    expect([a.SubscriptionsConfirmed, a.SubscriptionsPending, a.SubscriptionsDeleted]).toEqual(['0', '1', '0']);
  });
});

describe('Unsubscribe', () => {
  it('is idempotent and counts deleted subscriptions [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const { SubscriptionArn } = await subscribe(t, 'sqs', q.arn);
    await env.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await env.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect((await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions).toEqual([]);
    expect(await failure(setSub(SubscriptionArn!, 'RawMessageDelivery', 'true'))).toMatchObject({ code: 'NotFound', status: 404, message: 'Subscription does not exist' });
    const a = (await env.sns.send(new GetTopicAttributesCommand({ TopicArn: t }))).Attributes!;
    expect([a.SubscriptionsConfirmed, a.SubscriptionsPending, a.SubscriptionsDeleted]).toEqual(['0', '0', '1']);
  });

  it('refuses what is not a subscription ARN [rec]', async () => {
    expect(await failure(env.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'randomstring' })))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
    });
    expect(await failure(env.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:random' })))).toMatchObject({
      message: 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5',
    });
    expect(await failure(env.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:111111111111:random' })))).toMatchObject({
      message: 'Invalid parameter: SubscriptionId',
    });
    expect(await failure(env.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'pending confirmation' })))).toMatchObject({
      message: 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
    });
    const r = await rawQuery(env, { Action: 'Unsubscribe', Version: '2010-03-31' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Message>Invalid parameter: SubscriptionArn Reason: no value for required parameter</Message>');
  });
});

describe('ConfirmSubscription', () => {
  const foreign =
    '51b2ff3edb475b7d91550e0ab6edf0c1de2a34e6ebaf6c2262a001bcb7e051c43aa00022ceecce70bd2a67b2042da8d8eb47fef7a4e4e942d23e7fa56146b9ee35da040b4b8af564cc4184a7391c834cb75d75c22981f776ad1ce8805e9bab29da2329985337bb8095627907b46c8577c8440556b6f86582a954758026f41fc62041c4b3f67b0f5921232b5dae5aaca1';

  it('refuses tokens it did not issue [rec]', async () => {
    const t = await topic();
    const confirm = (TopicArn: string, Token: string) => env.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
    expect(await failure(confirm(`${t.slice(0, -1)}i`, foreign))).toMatchObject({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: Token' });
    expect(await failure(confirm(t, 'randomtoken'))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid token' });
    expect(await failure(confirm(t, foreign))).toMatchObject({ message: 'Invalid parameter: Token' });
    expect(await failure(confirm('not-an-arn', foreign))).toMatchObject({ message: 'Invalid parameter: Topic' });
  });
});

describe('Get/SetSubscriptionAttributes', () => {
  it('refuses unknown subscriptions and bad values [rec]', async () => {
    expect(await failure(env.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nonexistent:${uniq()}` })))).toEqual({
      name: 'NotFoundException',
      code: 'NotFound',
      status: 404,
      message: 'Subscription does not exist',
    });
    const t = await topic();
    const q = await createQueue(env);
    const { SubscriptionArn } = await subscribe(t, 'sqs', q.arn);
    const sub = SubscriptionArn!;
    const cases: [string, string, string | RegExp][] = [
      ['FakeAttribute', 'test-value', 'Invalid parameter: AttributeName'],
      ['RawMessageDelivery', 'test-ValUe', 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.'],
      ['RawMessageDelivery', '', 'Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.'],
      ['RedrivePolicy', JSON.stringify({ deadLetterTargetArn: 'fake-arn' }), 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn'],
      ['RedrivePolicy', '{invalidjson}', /^Invalid parameter: RedrivePolicy: failed to parse JSON\. /],
      ['FilterPolicy', '{invalidjson}', /^Invalid parameter: FilterPolicy: failed to parse JSON\. /],
      ['FilterPolicyScope', 'RandomValue', 'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes'],
      ['DeliveryPolicy', JSON.stringify({ healthyRetryPolicy: { numRetries: 5 } }), /^Invalid parameter: DeliveryPolicy: /],
    ];
    for (const [name, value, message] of cases) {
      const f = await failure(setSub(sub, name, value));
      expect(f.code).toBe('InvalidParameter');
      if (typeof message === 'string') expect(f.message).toBe(message);
      else expect(f.message).toMatch(message);
    }
  });

  it('shows FilterPolicyScope only next to a FilterPolicy [rec]', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const sub = (await subscribe(t, 'sqs', q.arn)).SubscriptionArn!;
    await setSub(sub, 'FilterPolicyScope', 'MessageBody');
    expect((await subAttrs(sub)).FilterPolicyScope).toBeUndefined();
    await setSub(sub, 'FilterPolicy', JSON.stringify({ attr: ['match-this'] }));
    expect(await subAttrs(sub)).toMatchObject({ FilterPolicy: '{"attr":["match-this"]}', FilterPolicyScope: 'MessageBody' });
    await setSub(sub, 'FilterPolicy', JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } }));
    await setSub(sub, 'FilterPolicy', '');
    const a = await subAttrs(sub);
    expect(a.FilterPolicy).toBeUndefined();
    expect(a.FilterPolicyScope).toBeUndefined();
  });

  it('a FIFO subscription needs a FIFO DLQ; a standard queue on a FIFO topic does not [rec]', async () => {
    const ft = await topic(true);
    const q = await createQueue(env);
    const fq = await createQueue(env, `${uniq('fq')}.fifo`, { FifoQueue: 'true' });
    const dlq = await createQueue(env);
    const standardSub = (await subscribe(ft, 'sqs', q.arn)).SubscriptionArn!;
    await setSub(standardSub, 'RedrivePolicy', JSON.stringify({ deadLetterTargetArn: dlq.arn }));
    expect(JSON.parse((await subAttrs(standardSub)).RedrivePolicy)).toEqual({ deadLetterTargetArn: dlq.arn });
    const fifoSub = (await subscribe(ft, 'sqs', fq.arn)).SubscriptionArn!;
    expect(await failure(setSub(fifoSub, 'RedrivePolicy', JSON.stringify({ deadLetterTargetArn: dlq.arn })))).toMatchObject({
      message: 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    });
  });

  it('sets RawMessageDelivery and removes a RedrivePolicy with an empty value', async () => {
    const t = await topic();
    const q = await createQueue(env);
    const dlq = await createQueue(env);
    const sub = (await subscribe(t, 'sqs', q.arn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) })).SubscriptionArn!;
    await setSub(sub, 'RawMessageDelivery', 'true');
    expect(await subAttrs(sub)).toMatchObject({ RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await setSub(sub, 'RedrivePolicy', '');
    expect((await subAttrs(sub)).RedrivePolicy).toBeUndefined();
    expect(await failure(setSub(sub, 'DeliveryPolicy', JSON.stringify({ requestPolicy: { headerContentType: 'text/csv' } })))).toMatchObject({ code: 'InvalidParameter' });
  });
});

describe('listing and DeleteTopic', () => {
  it('pages subscriptions by 100 with a base64 NextToken [rec]', async () => {
    const t = await topic();
    for (let i = 0; i < 101; i++) await subscribe(t, 'sms', `+12312312${i}`);
    const first = await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }));
    expect(first.Subscriptions).toHaveLength(100);
    expect(Buffer.from(first.NextToken!, 'base64').length).toBeGreaterThan(0);
    const second = await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t, NextToken: first.NextToken }));
    expect(second.Subscriptions).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(first.Subscriptions!.map((s) => s.SubscriptionArn)).not.toContain(second.Subscriptions![0].SubscriptionArn);
    expect(second.Subscriptions![0]).toMatchObject({ Owner: ACCOUNT, Protocol: 'sms', TopicArn: t });
    const all = await env.sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions!.length).toBeLessThanOrEqual(100);
    expect(all.NextToken).toBeDefined();
    expect(await failure(env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `${t}x` })))).toMatchObject({ code: 'NotFound' });
  });

  it('ListSubscriptions lists the region only; DeleteTopic removes the topic subscriptions', async () => {
    const region = 'ap-south-1';
    const client = env.snsIn(region);
    const t = (await client.send(new CreateTopicCommand({ Name: uniq('del') }))).TopicArn!;
    const q = `arn:aws:sqs:${region}:${ACCOUNT}:${uniq('q')}`;
    const sub = (await client.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q }))).SubscriptionArn!;
    expect((await client.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([{ SubscriptionArn: sub, Owner: ACCOUNT, Protocol: 'sqs', Endpoint: q, TopicArn: t }]);
    await client.send(new DeleteTopicCommand({ TopicArn: t }));
    expect((await client.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([]);
    expect(await failure(client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub })))).toMatchObject({ code: 'NotFound' });
    expect(topicArn('x', region)).toContain(region);
  });

  it('/_testbed/reset forgets topics and subscriptions', async () => {
    const t = await topic();
    const q = await createQueue(env);
    await subscribe(t, 'sqs', q.arn);
    expect((await fetch(`${env.cloud.endpoint}/_testbed/reset`, { method: 'POST' })).status).toBe(200);
    expect(await failure(env.sns.send(new GetTopicAttributesCommand({ TopicArn: t })))).toMatchObject({ code: 'NotFound' });
    expect((await env.sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([]);
    const health = (await (await fetch(`${env.cloud.endpoint}/_testbed/health`)).json()) as { services: string[] };
    expect(health.services).toContain('sns');
  });
});
