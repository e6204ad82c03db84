/**
 * SNS invokes Lambda asynchronously: the SNS event as AWS sends it, the resource-policy check,
 * Lambda's retries on top of SNS's delivery, SNS as a destination and as a dead-letter target.
 */
import { UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { getTestbed, unique } from '../_support/testbed';
import { allowService, awaitMessages, body, invokeEvent, putConfig, queueTracker } from './_helpers';

const tb = getTestbed();
const sns = () => tb.clients.sns;
const stack = () =>
  tb.deploy({ name: 'async-sns', functions: { subscriber: { code: 'control' }, failing: { code: 'control' }, unpermitted: { code: 'control' }, source: { code: 'control' }, dlq: { code: 'control' } } });
const queues = queueTracker();
const topics: string[] = [];
afterAll(async () => {
  await Promise.all(topics.map((TopicArn) => sns().send(new DeleteTopicCommand({ TopicArn })).catch(() => undefined)));
});

async function topic(prefix: string): Promise<string> {
  const arn = (await sns().send(new CreateTopicCommand({ Name: unique(prefix) }))).TopicArn!;
  topics.push(arn);
  return arn;
}

/** A queue that SNS may send to (the queue policy AWS requires for an SNS subscription). */
async function snsQueue(prefix: string, topicArn: string) {
  const q = await queues.create(prefix);
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: q.arn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }],
  };
  await tb.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify(policy) } }));
  return q;
}

describe('SNS to Lambda', () => {
  it('delivers the SNS event: one record with the notification, its attributes and a signature', async () => {
    const { functions } = await stack();
    const t = await topic('async-sns-event');
    const out = await queues.create('async-sns-event-out');
    await putConfig({ FunctionName: functions.subscriber.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    await allowService(functions.subscriber.name, 'sns.amazonaws.com', t);
    const sub = await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'lambda', Endpoint: functions.subscriber.arn, ReturnSubscriptionArn: true }));
    const published = await sns().send(
      new PublishCommand({ TopicArn: t, Subject: 'TestInvoke', Message: 'Hello from SNS!', MessageAttributes: { Test: { DataType: 'String', StringValue: 'TestString' } } }),
    );
    const [m] = await awaitMessages(out.url, 1);
    const event = body(m).requestPayload;
    expect(event.Records).toHaveLength(1);
    const r = event.Records[0];
    expect(r).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: sub.SubscriptionArn,
      Sns: expect.objectContaining({
        Type: 'Notification',
        MessageId: published.MessageId,
        TopicArn: t,
        Subject: 'TestInvoke',
        Message: 'Hello from SNS!',
        Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        SignatureVersion: '1',
        Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        SigningCertUrl: expect.stringMatching(/^https?:\/\/.+\.pem$/),
        UnsubscribeUrl: expect.stringContaining('Action=Unsubscribe'),
        MessageAttributes: { Test: { Type: 'String', Value: 'TestString' } },
      }),
    });
  });

  it('a failing subscriber is retried by Lambda; the OnFailure record carries the SNS event', async () => {
    const { functions } = await stack();
    const t = await topic('async-sns-fail');
    const out = await queues.create('async-sns-fail-out');
    await putConfig({ FunctionName: functions.failing.name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: out.arn } } });
    await allowService(functions.failing.name, 'sns.amazonaws.com', t);
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'lambda', Endpoint: functions.failing.arn }));
    await sns().send(new PublishCommand({ TopicArn: t, Message: JSON.stringify({ action: 'throw' }) }));
    const [m] = await awaitMessages(out.url, 1);
    const record = body(m);
    expect(record.requestContext).toEqual(expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 2 }));
    expect(record.requestPayload.Records[0].Sns.Message).toBe('{"action":"throw"}');
  });

  it('without a resource policy that lets SNS invoke it, the message goes to the subscription’s dead-letter queue', async () => {
    const { functions } = await stack();
    const t = await topic('async-sns-noperm');
    const dlq = await snsQueue('async-sns-noperm-dlq', t);
    const sub = await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'lambda', Endpoint: functions.unpermitted.arn, ReturnSubscriptionArn: true }));
    await sns().send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }) }),
    );
    await sns().send(new PublishCommand({ TopicArn: t, Message: 'nobody may invoke me' }));
    const [m] = await awaitMessages(dlq.url, 1);
    expect(m.Body).toContain('nobody may invoke me');
  });
});

describe('SNS as a destination and as a dead-letter target', () => {
  it('OnSuccess to a topic: the record reaches the topic’s SQS subscriber', async () => {
    const { functions } = await stack();
    const t = await topic('async-sns-dest');
    const q = await snsQueue('async-sns-dest-q', t);
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await putConfig({ FunctionName: functions.source.name, DestinationConfig: { OnSuccess: { Destination: t } } });
    const requestId = await invokeEvent(functions.source.name, { action: 'return', value: 'to the topic' });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ requestId, condition: 'Success' }));
    expect(body(m).responsePayload).toBe('to the topic');
  });

  it('DeadLetterConfig to a topic: the original event, with the DLQ attributes as message attributes', async () => {
    const { functions } = await stack();
    const t = await topic('async-sns-dlq');
    const q = await snsQueue('async-sns-dlq-q', t);
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn }));
    await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functions.dlq.name, DeadLetterConfig: { TargetArn: t } }));
    await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 60 }, { FunctionName: functions.dlq.name });
    await putConfig({ FunctionName: functions.dlq.name, MaximumRetryAttempts: 0 });
    const requestId = await invokeEvent(functions.dlq.name, { action: 'throw', message: 'to the dead letters' });
    const [m] = await awaitMessages(q.url, 1);
    const envelope = body(m);
    expect(JSON.parse(envelope.Message)).toEqual({ action: 'throw', message: 'to the dead letters' });
    expect(envelope.MessageAttributes).toEqual({
      RequestID: { Type: 'String', Value: requestId },
      ErrorCode: { Type: 'Number', Value: '200' },
      ErrorMessage: { Type: 'String', Value: 'to the dead letters' },
    });
  });
});
