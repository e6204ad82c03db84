/**
 * What SQS takes from the request beyond its body. Queue URLs: answered on the host the client used
 * (so SDK v3, which sends to the QueueUrl's host, stays on this endpoint), and accepted on input in
 * AWS's, LocalStack's host and LocalStack's path forms. The X-Amzn-Trace-Id header: the messages'
 * AWSTraceHeader.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';

let cloud: RunningCloud;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = (endpoint: string, region = 'us-east-1') => new SQSClient({ endpoint, region, credentials, maxAttempts: 1 });

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
});
afterAll(async () => {
  await cloud.stop();
});

describe('queue URLs', () => {
  it('are answered on the host the client used', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const c = client(`http://${host}:${cloud.port}`);
      const { QueueUrl } = await c.send(new CreateQueueCommand({ QueueName: `urls-${host.replace(/\W/g, '')}` }));
      expect(QueueUrl).toBe(`http://${host}:${cloud.port}/000000000000/urls-${host.replace(/\W/g, '')}`);
      c.destroy();
    }
  });

  it.each([
    ['AWS host form', (name: string) => `https://sqs.eu-west-1.amazonaws.com/000000000000/${name}`],
    ["LocalStack's host form", (name: string) => `http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/${name}`],
    ["LocalStack's path form", (name: string) => `http://localhost:4566/queue/eu-west-1/000000000000/${name}`],
  ])('are accepted in the %s, with the region it names', async (_form, urlOf) => {
    const name = `urls-form-${Math.floor(Math.random() * 1e9)}`;
    // The client signs for us-east-1; the queue lives in eu-west-1, named by the URL.
    const eu = client(cloud.endpoint, 'eu-west-1');
    await eu.send(new CreateQueueCommand({ QueueName: name }));
    const us = client(cloud.endpoint);
    await us.send(new SendMessageCommand({ QueueUrl: urlOf(name), MessageBody: 'hello' }));
    const got = await us.send(new ReceiveMessageCommand({ QueueUrl: urlOf(name) }));
    expect(got.Messages?.map((m) => m.Body)).toEqual(['hello']);
    const attrs = await us.send(new GetQueueAttributesCommand({ QueueUrl: urlOf(name), AttributeNames: ['QueueArn'] }));
    expect(attrs.Attributes?.QueueArn).toBe(`arn:aws:sqs:eu-west-1:000000000000:${name}`);
    eu.destroy();
    us.destroy();
  });

  it('a URL that names no queue is QueueDoesNotExist', async () => {
    const c = client(cloud.endpoint);
    for (const url of [`${cloud.endpoint}/000000000000/nope`, `${cloud.endpoint}/not-an-account/q`, 'not a url']) {
      await expect(c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    }
    c.destroy();
  });
});

describe('AWSTraceHeader', () => {
  /** A raw JSON 1.0 call with extra headers (the SDK sends no X-Amzn-Trace-Id of its own). */
  const call = async (operation: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${cloud.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}`, ...headers },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<any>;
  };
  const trace = (id: string) => `Root=1-5759e988-${id};Parent=53995c3f42cd8ad8;Sampled=1`;

  it("comes from the send request's X-Amzn-Trace-Id header, for every message of a batch, and the message system attribute overrides it", async () => {
    const { QueueUrl } = await call('CreateQueue', { QueueName: `trace-${Math.floor(Math.random() * 1e9)}` });
    await call('SendMessage', { QueueUrl, MessageBody: 'one' }, { 'x-amzn-trace-id': trace('aaaaaaaaaaaaaaaaaaaaaaaa') });
    const sent = await call(
      'SendMessageBatch',
      {
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'two' },
          { Id: 'b', MessageBody: 'three', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace('cccccccccccccccccccccccc') } } },
        ],
      },
      { 'x-amzn-trace-id': trace('bbbbbbbbbbbbbbbbbbbbbbbb') },
    );
    // Only the entry that sent system attributes gets their digest back.
    expect(sent.Successful.find((e: any) => e.Id === 'a').MD5OfMessageSystemAttributes).toBeUndefined();
    expect(sent.Successful.find((e: any) => e.Id === 'b').MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    await call('SendMessage', { QueueUrl, MessageBody: 'four' });
    const got = await call('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['AWSTraceHeader'] });
    const byBody = Object.fromEntries(got.Messages.map((m: any) => [m.Body, m.Attributes?.AWSTraceHeader]));
    expect(byBody).toEqual({
      one: trace('aaaaaaaaaaaaaaaaaaaaaaaa'),
      two: trace('bbbbbbbbbbbbbbbbbbbbbbbb'),
      three: trace('cccccccccccccccccccccccc'),
      four: undefined,
    });
  });
});
