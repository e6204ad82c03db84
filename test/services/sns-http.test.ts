/**
 * SNS -> HTTP through the wire, with a local HTTP server as the endpoint: the SubscriptionConfirmation
 * (headers, body, signature), confirming by following the SubscribeURL as an unsigned GET (and the
 * broken URLs AWS refuses), notifications (envelope and raw), content types from the delivery
 * policies, the UnsubscribeConfirmation and its restoring SubscribeURL, retries on the virtual
 * clock per the delivery policy, client errors straight to the DLQ, and non-loopback endpoints.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerify, X509Certificate } from 'node:crypto';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { createQueue, receive, uniq, useSnsEnv } from './sns-helpers';

interface Hit {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Virtual time of arrival. */
  at: number;
}

const env = useSnsEnv();
let server: http.Server;
let base = '';
const hits = new Map<string, Hit[]>();
/** Per path: the statuses to answer, in order (then 200). */
const plans = new Map<string, number[]>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const list = hits.get(path) ?? [];
      list.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: env.cloud.cloud.clock.now() });
      hits.set(path, list);
      const status = plans.get(path)?.shift() ?? 200;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const topic = async (Attributes?: Record<string, string>) => (await env.sns.send(new CreateTopicCommand({ Name: uniq('h'), Attributes }))).TopicArn!;

/** Wait (virtual time) until the endpoint path has `n` requests. */
async function hitsAt(path: string, n: number, maxMs = 120_000): Promise<Hit[]> {
  const clock = env.cloud.cloud.clock;
  const until = clock.now() + maxMs;
  while ((hits.get(path)?.length ?? 0) < n && clock.now() < until) await clock.advanceBy(500);
  return hits.get(path) ?? [];
}

async function verify(m: Record<string, string>): Promise<boolean> {
  const cert = new X509Certificate(await (await fetch(m.SigningCertURL)).text());
  const names = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = names.filter((n) => m[n] !== undefined).map((n) => `${n}\n${m[n]}\n`).join('');
  return createVerify(m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(text).verify(cert.publicKey, m.Signature, 'base64');
}

/** Subscribe an endpoint path and confirm it by following the SubscribeURL; the subscription ARN. */
async function confirmed(t: string, path: string, Attributes?: Record<string, string>): Promise<string> {
  const arn = (await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: `${base}${path}`, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
  const [confirmation] = await hitsAt(path, 1);
  const res = await fetch(JSON.parse(confirmation.body).SubscribeURL);
  expect(res.status).toBe(200);
  return arn;
}

describe('subscribing an HTTP endpoint', () => {
  it('POSTs a signed SubscriptionConfirmation and stays pending until the SubscribeURL is visited [rec]', async () => {
    const t = await topic();
    const path = `/${uniq('confirm')}`;
    expect((await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: `${base}${path}` }))).SubscriptionArn).toBe('pending confirmation');
    const [hit] = await hitsAt(path, 1);
    expect(hit.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'accept-encoding': 'gzip,deflate',
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-topic-arn': t,
    });
    expect(hit.headers['x-amz-sns-subscription-arn']).toBeUndefined();
    const body = JSON.parse(hit.body) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    expect(hit.headers['x-amz-sns-message-id']).toBe(body.MessageId);
    expect(body.Message).toBe(`You have chosen to subscribe to the topic ${t}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    expect(body.SubscribeURL).toBe(`${env.cloud.endpoint}/?Action=ConfirmSubscription&TopicArn=${t}&Token=${body.Token}`);
    expect(body.Token).toMatch(/^[0-9a-f]{288}$/);
    expect(await verify(body)).toBe(true);

    const [listed] = (await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions!;
    expect(listed.SubscriptionArn).toBe('PendingConfirmation');
    const service = env.cloud.endpoint;
    const get = async (url: string) => {
      const r = await fetch(url);
      return { status: r.status, text: (await r.text()).replace(/&apos;/g, "'") };
    };
    const broken = await get(`${service}/?Action=ConfirmSubscription&TopicArn=not-an-arn&Token=${body.Token}`);
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('<Code>InvalidParameter</Code><Message>Invalid parameter: Topic</Message>');
    expect((await get(`${service}/?Action=ConfirmSubscription&TopicArn=${t}&Token=abc123`)).text).toContain('<Message>Invalid parameter: Token</Message>');
    expect((await get(`${service}/?Action=ConfirmSubscription&TopicArn=${t.replace('us-east-1', 'eu-central-1')}&Token=${body.Token}`)).text).toContain('<Message>Invalid parameter: Topic</Message>');
    // A topic that does not exist, in the token's region, still confirms [rec].
    const confirmedByOther = await get(`${service}/?Action=ConfirmSubscription&TopicArn=${t}zz&Token=${body.Token}`);
    expect(confirmedByOther.status).toBe(200);
    expect(confirmedByOther.text).toMatch(/^<ConfirmSubscriptionResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:/);
    const again = await get(body.SubscribeURL);
    expect(again.status).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(again.text)![1];
    const attrs = (await env.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!;
    expect(attrs).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false', Protocol: 'http', Endpoint: `${base}${path}` });
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy)).toEqual({
      healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      guaranteed: false,
    });
  });

  it('ConfirmSubscription through the SDK marks the confirmation authenticated', async () => {
    const t = await topic();
    const path = `/${uniq('sdk')}`;
    const arn = (await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: `${base}${path}`, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    const [hit] = await hitsAt(path, 1);
    const { SubscriptionArn } = await env.sns.send(new ConfirmSubscriptionCommand({ TopicArn: t, Token: JSON.parse(hit.body).Token }));
    expect(SubscriptionArn).toBe(arn);
    expect((await env.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' });
  });

  it('a pending subscription receives no notifications; subscribing again sends a new confirmation', async () => {
    const t = await topic();
    const path = `/${uniq('pending')}`;
    await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: `${base}${path}` }));
    await hitsAt(path, 1);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'not for you' }));
    expect(await hitsAt(path, 2, 5_000)).toHaveLength(1);
    expect((await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: `${base}${path}` }))).SubscriptionArn).toBe('pending confirmation');
    const [first, second] = await hitsAt(path, 2);
    expect(second.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(JSON.parse(second.body).Token).not.toBe(JSON.parse(first.body).Token);
    expect((await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions).toHaveLength(1);
  });
});

describe('notifications', () => {
  it('POSTs the signed envelope with AWS headers [rec]', async () => {
    const t = await topic();
    const path = `/${uniq('note')}`;
    const sub = await confirmed(t, path);
    const { MessageId } = await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'test_external_http_endpoint', Subject: 'Hi' }));
    const hit = (await hitsAt(path, 2))[1];
    expect(hit.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': t,
      'x-amz-sns-subscription-arn': sub,
    });
    expect(hit.headers['x-amz-sns-rawdelivery']).toBeUndefined();
    const body = JSON.parse(hit.body) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
    expect(body.UnsubscribeURL).toBe(`${env.cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
    expect(await verify(body)).toBe(true);
  });

  it('raw delivery POSTs the message itself, with x-amz-sns-rawdelivery; the subscription content type applies [rec]', async () => {
    const t = await topic();
    const path = `/${uniq('raw')}`;
    const sub = await confirmed(t, path, { RawMessageDelivery: 'true' });
    await env.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ requestPolicy: { headerContentType: 'text/csv' } }) }));
    const attrs = (await env.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub }))).Attributes!;
    expect(JSON.parse(attrs.DeliveryPolicy)).toEqual({ healthyRetryPolicy: null, sicklyRetryPolicy: null, throttlePolicy: null, requestPolicy: { headerContentType: 'text/csv' }, guaranteed: false });
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy).requestPolicy).toEqual({ headerContentType: 'text/csv' });
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'a,b,c' }));
    const hit = (await hitsAt(path, 2))[1];
    expect(hit.body).toBe('a,b,c');
    expect(hit.headers).toMatchObject({ 'content-type': 'text/csv', 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-message-type': 'Notification' });
  });

  it("the topic's DeliveryPolicy content type applies to notifications, not to confirmations [rec]", async () => {
    const t = await topic({ DeliveryPolicy: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: 'application/json' } } }) });
    const path = `/${uniq('json')}`;
    await confirmed(t, path);
    expect(hits.get(path)![0].headers['content-type']).toBe('text/plain; charset=UTF-8');
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: '{}' }));
    expect((await hitsAt(path, 2))[1].headers['content-type']).toBe('application/json');
  });

  it('MessageStructure json: the http entry', async () => {
    const t = await topic();
    const path = `/${uniq('struct')}`;
    await confirmed(t, path);
    await env.sns.send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', http: 'for http', https: 'for https' }) }));
    expect(JSON.parse((await hitsAt(path, 2))[1].body).Message).toBe('for http');
  });
});

describe('unsubscribing', () => {
  it('following the UnsubscribeURL deletes the subscription and POSTs an UnsubscribeConfirmation whose SubscribeURL restores it [rec]', async () => {
    const t = await topic();
    const path = `/${uniq('unsub')}`;
    const sub = await confirmed(t, path);
    const r = await fetch(`${env.cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/^<UnsubscribeResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><ResponseMetadata>/);
    const hit = (await hitsAt(path, 2))[1];
    expect(hit.headers).toMatchObject({ 'x-amz-sns-message-type': 'UnsubscribeConfirmation', 'x-amz-sns-subscription-arn': sub, 'x-amz-sns-topic-arn': t });
    const body = JSON.parse(hit.body) as Record<string, string>;
    expect(body.Type).toBe('UnsubscribeConfirmation');
    expect(body.Message).toBe(`You have chosen to deactivate subscription ${sub}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
    expect(body.SubscribeURL).toBe(`${env.cloud.endpoint}/?Action=ConfirmSubscription&TopicArn=${t}&Token=${body.Token}`);
    expect(await verify(body)).toBe(true);
    expect((await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions).toEqual([]);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'while gone' }));
    expect(await hitsAt(path, 3, 3_000)).toHaveLength(2);
    expect((await fetch(body.SubscribeURL)).status).toBe(200);
    expect((await env.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions!.map((s) => s.SubscriptionArn)).toEqual([sub]);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'back' }));
    expect(JSON.parse((await hitsAt(path, 3))[2].body).Message).toBe('back');
  });
});

describe('failures and retries', () => {
  it('retries server errors per the default policy (3 retries, 20 s apart), then dead-letters [doc]', async () => {
    const t = await topic();
    const path = `/${uniq('retry')}`;
    const dlq = await createQueue(env);
    const sub = await confirmed(t, path, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    plans.set(path, [500, 503, 500, 502]);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'flaky' }));
    const got = (await hitsAt(path, 5)).slice(1);
    expect(got).toHaveLength(4);
    const gaps = got.slice(1).map((h, i) => h.at - got[i].at);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(20_000);
      expect(g).toBeLessThan(21_500);
    }
    const [m] = await receive(env, dlq.url);
    expect(JSON.parse(m.Body!)).toMatchObject({ Type: 'Notification', Message: 'flaky', UnsubscribeURL: expect.stringContaining(sub) });
  });

  it('a success on a retry ends the delivery; the subscription DeliveryPolicy sets the delays', async () => {
    const t = await topic();
    const path = `/${uniq('policy')}`;
    const sub = await confirmed(t, path);
    await env.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: sub,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 2, maxDelayTarget: 8, numRetries: 4, numNoDelayRetries: 1, backoffFunction: 'linear' } }),
      }),
    );
    plans.set(path, [500, 500, 500]);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'eventually' }));
    const got = (await hitsAt(path, 5)).slice(1);
    expect(got).toHaveLength(4);
    const gaps = got.slice(1).map((h, i) => h.at - got[i].at);
    // 1 immediate retry, then backing off linearly from 2 s to 8 s over 3 retries: 0, 2, 5 s.
    expect(gaps[0]).toBeLessThan(1_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2_000);
    expect(gaps[1]).toBeLessThan(3_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(5_000);
    expect(gaps[2]).toBeLessThan(6_000);
    expect(await hitsAt(path, 6, 60_000)).toHaveLength(5);
  });

  it('a client error (4xx) is not retried: straight to the DLQ [doc]', async () => {
    const t = await topic();
    const path = `/${uniq('gone')}`;
    const dlq = await createQueue(env);
    await confirmed(t, path, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }), RawMessageDelivery: 'true' });
    plans.set(path, [404]);
    await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'nobody home' }));
    const [m] = await receive(env, dlq.url);
    expect(m.Body).toBe('nobody home');
    expect(await hitsAt(path, 3, 90_000)).toHaveLength(2);
  });

  it('endpoints off this machine are unreachable: no confirmation leaves, deliveries fail and are retried', async () => {
    const t = await topic();
    const endpoint = 'http://example.com/sns';
    const arn = (await env.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: endpoint, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    // Confirm with the token the cloud keeps (nothing could have been sent to example.com).
    const token = [...env.cloud.cloud.sns.tokens].find(([, r]) => r.subscriptionArn === arn)![0];
    await env.sns.send(new ConfirmSubscriptionCommand({ TopicArn: t, Token: token }));
    const before = env.cloud.cloud.sns.dispatcher.failures.length;
    const { MessageId } = await env.sns.send(new PublishCommand({ TopicArn: t, Message: 'far away' }));
    await env.cloud.cloud.clock.advanceBy(61_000);
    const f = env.cloud.cloud.sns.dispatcher.failures.slice(before).find((x) => x.messageId === MessageId);
    expect(f).toMatchObject({ subscriptionArn: arn, code: 'EndpointUnreachable', attempts: 4, outcome: 'dropped' });
  });
});
