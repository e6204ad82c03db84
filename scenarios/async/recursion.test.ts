/**
 * Recursive loop detection: a function that keeps invoking itself through a supported service is
 * stopped after 16 rounds of one chain, and the event that would have been the 17th goes to failure
 * handling. PutFunctionRecursionConfig Allow lets the loop run.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionRecursionConfigCommand, PutFunctionRecursionConfigCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { eventually, getTestbed, rejection, unique } from '../_support/testbed';
import { allowService, awaitMessages, body, invokeEvent, putConfig, queueTracker } from './_helpers';

const tb = getTestbed();
const stack = () => tb.deploy({ name: 'async-recursion', functions: { loop: { code: 'relay' }, allowed: { code: 'relay' }, viaTopic: { code: 'relay' } } });
const queues = queueTracker();

async function hops(functionName: string, atLeast: number): Promise<number[]> {
  const events = await eventually(
    async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: '"relay hop="' })).catch(() => ({ events: [] }))).events ?? [],
    (ev) => ev.length >= atLeast,
  );
  return events.map((e) => Number(/hop=(\d+)/.exec(e.message ?? '')?.[1])).sort((a, b) => a - b);
}

describe('recursion config', () => {
  it('is Terminate by default, and Put/Get set and read Allow', async () => {
    const { functions } = await stack();
    const get = await tb.clients.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: functions.loop.name }));
    expect(get.RecursiveLoop).toBe('Terminate');
    const put = await tb.clients.lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: functions.allowed.name, RecursiveLoop: 'Allow' }));
    expect(put.RecursiveLoop).toBe('Allow');
    expect((await tb.clients.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: functions.allowed.name }))).RecursiveLoop).toBe('Allow');
  });

  it('refuses a value other than Terminate and Allow', async () => {
    const { functions } = await stack();
    const e = await rejection(tb.clients.lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: functions.loop.name, RecursiveLoop: 'InvalidValue' as 'Allow' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(
      "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]",
    );
  });
});

tb.describeIf('recursionDetection')('recursive loop detection', () => {
  it('stops a function that invokes itself after 16 rounds and sends the next event to OnFailure', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-recursion');
    await putConfig({ FunctionName: functions.loop.name, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await invokeEvent(functions.loop.name, { hop: 0, via: 'lambda', target: functions.loop.arn });
    const [m] = await awaitMessages(q.url, 1);
    const record = body(m);
    expect(record.requestPayload).toEqual({ hop: 16, via: 'lambda', target: functions.loop.arn });
    expect(record.requestContext.approximateInvokeCount).toBe(0);
    expect(await hops(functions.loop.name, 16)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('stops a function that publishes to the SNS topic that invokes it', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-recursion-sns');
    const topic = (await tb.clients.sns.send(new CreateTopicCommand({ Name: unique('async-recursion') }))).TopicArn!;
    try {
      await putConfig({ FunctionName: functions.viaTopic.name, DestinationConfig: { OnFailure: { Destination: q.arn } } });
      await allowService(functions.viaTopic.name, 'sns.amazonaws.com', topic);
      await tb.clients.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: functions.viaTopic.arn }));
      await tb.clients.sns.send(new PublishCommand({ TopicArn: topic, Message: JSON.stringify({ hop: 0, via: 'sns', target: topic }) }));
      const [m] = await awaitMessages(q.url, 1);
      expect(JSON.parse(body(m).requestPayload.Records[0].Sns.Message)).toEqual({ hop: 16, via: 'sns', target: topic });
      expect(await hops(functions.viaTopic.name, 16)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    } finally {
      await tb.clients.sns.send(new DeleteTopicCommand({ TopicArn: topic }));
    }
  });

  it('lets the loop run with RecursiveLoop Allow', async () => {
    const { functions } = await stack();
    await tb.clients.lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: functions.allowed.name, RecursiveLoop: 'Allow' }));
    await invokeEvent(functions.allowed.name, { hop: 0, maxHops: 20, via: 'lambda', target: functions.allowed.arn });
    expect(await hops(functions.allowed.name, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
