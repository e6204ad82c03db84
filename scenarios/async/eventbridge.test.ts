/**
 * EventBridge invokes Lambda asynchronously: the event envelope, rules with patterns and input
 * transformation, schedules on the target's clock, target retry policies and dead-letter queues,
 * and EventBridge as a Lambda destination.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { getTestbed, unique } from '../_support/testbed';
import { allowService, awaitMessages, body, invokeEvent, putConfig, queueTracker, receive } from './_helpers';

const tb = getTestbed();
const events = () => tb.clients.events;
const stack = () =>
  tb.deploy({ name: 'async-events', functions: { target: { code: 'control' }, transformed: { code: 'control' }, scheduled: { code: 'control' }, source: { code: 'control' } } });
const queues = queueTracker();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function bus(prefix: string): Promise<{ name: string; arn: string }> {
  const name = unique(prefix);
  const out = await events().send(new CreateEventBusCommand({ Name: name }));
  cleanups.push(() => events().send(new DeleteEventBusCommand({ Name: name })));
  return { name, arn: out.EventBusArn! };
}

async function rule(busName: string | undefined, input: { pattern?: object; schedule?: string }, targets: Target[]): Promise<{ name: string; arn: string }> {
  const name = unique('rule').slice(0, 64);
  const out = await events().send(
    new PutRuleCommand({ Name: name, EventBusName: busName, EventPattern: input.pattern && JSON.stringify(input.pattern), ScheduleExpression: input.schedule }),
  );
  cleanups.push(() => events().send(new DeleteRuleCommand({ Name: name, EventBusName: busName })));
  if (targets.length) {
    const put = await events().send(new PutTargetsCommand({ Rule: name, EventBusName: busName, Targets: targets }));
    expect(put.FailedEntryCount).toBe(0);
    cleanups.push(() => events().send(new RemoveTargetsCommand({ Rule: name, EventBusName: busName, Ids: targets.map((t) => t.Id!) })));
  }
  return { name, arn: out.RuleArn! };
}

/** A queue EventBridge may send to (the queue policy AWS requires for a rule target). */
async function eventsQueue(prefix: string) {
  const q = await queues.create(prefix);
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: q.arn }] };
  await tb.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify(policy) } }));
  return q;
}

describe('EventBridge to Lambda', () => {
  it('a matching event reaches the function as the EventBridge envelope', async () => {
    const { functions } = await stack();
    const b = await bus('async-eb');
    const out = await queues.create('async-eb-out');
    await putConfig({ FunctionName: functions.target.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    const r = await rule(b.name, { pattern: { source: ['my.app'], 'detail-type': ['order placed'] } }, [{ Id: 'fn', Arn: functions.target.arn }]);
    await allowService(functions.target.name, 'events.amazonaws.com', r.arn);
    const put = await events().send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: b.name, Source: 'other.app', DetailType: 'order placed', Detail: '{"n":0}' },
          { EventBusName: b.name, Source: 'my.app', DetailType: 'order placed', Detail: '{"orderId":"o-1"}', Resources: ['arn:aws:s3:::bucket'] },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const [m] = await awaitMessages(out.url, 1);
    const event = body(m).requestPayload;
    expect(event).toEqual({
      version: '0',
      id: put.Entries![1].EventId,
      'detail-type': 'order placed',
      source: 'my.app',
      account: expect.stringMatching(/^\d{12}$/),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: tb.target.region,
      resources: ['arn:aws:s3:::bucket'],
      detail: { orderId: 'o-1' },
    });
    // Only the matching event ran the function.
    expect(await receive(out.url, { WaitTimeSeconds: 2 })).toHaveLength(0);
  });

  it('an InputTransformer shapes the function’s event', async () => {
    const { functions } = await stack();
    const b = await bus('async-eb-input');
    const out = await queues.create('async-eb-input-out');
    await putConfig({ FunctionName: functions.transformed.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    const r = await rule(b.name, { pattern: { source: ['shop'] } }, [
      {
        Id: 'fn',
        Arn: functions.transformed.arn,
        InputTransformer: { InputPathsMap: { order: '$.detail.orderId', src: '$.source' }, InputTemplate: '{"order": <order>, "from": <src>, "rule": <aws.events.rule-name>}' },
      },
    ]);
    await allowService(functions.transformed.name, 'events.amazonaws.com', r.arn);
    await events().send(new PutEventsCommand({ Entries: [{ EventBusName: b.name, Source: 'shop', DetailType: 'x', Detail: '{"orderId":"o-7"}' }] }));
    const [m] = await awaitMessages(out.url, 1);
    expect(body(m).requestPayload).toEqual({ order: 'o-7', from: 'shop', rule: r.name });
  });

  tb.itIf('clock')('a rate(5 minutes) schedule fires on the target’s clock', async () => {
    const { functions } = await stack();
    const out = await queues.create('async-eb-schedule-out');
    await putConfig({ FunctionName: functions.scheduled.name, DestinationConfig: { OnSuccess: { Destination: out.arn } } });
    const r = await rule(undefined, { schedule: 'rate(5 minutes)' }, [{ Id: 'fn', Arn: functions.scheduled.arn }]);
    await allowService(functions.scheduled.name, 'events.amazonaws.com', r.arn);
    const [m] = await awaitMessages(out.url, 1, 6 * 60_000);
    expect(body(m).requestPayload).toEqual(
      expect.objectContaining({ 'detail-type': 'Scheduled Event', source: 'aws.events', resources: [r.arn], detail: {} }),
    );
  });
});

tb.describeIf('eventbridgeRetryPolicy')('EventBridge target retry policy and dead-letter queue', () => {
  it('a target that is gone sends the event to the target’s DLQ at once, with RULE_ARN, TARGET_ARN and ERROR_CODE', async () => {
    const b = await bus('async-eb-dlq');
    const gone = await eventsQueue('async-eb-gone');
    const dlq = await eventsQueue('async-eb-dlq');
    const r = await rule(b.name, { pattern: { source: ['dlq.test'] } }, [
      { Id: 'q', Arn: gone.arn, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 }, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await tb.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    const put = await events().send(new PutEventsCommand({ Entries: [{ EventBusName: b.name, Source: 'dlq.test', DetailType: 'x', Detail: '{"k":1}' }] }));
    const [m] = await awaitMessages(dlq.url, 1);
    expect(body(m)).toEqual(expect.objectContaining({ id: put.Entries![0].EventId, source: 'dlq.test', detail: { k: 1 } }));
    expect(m.MessageAttributes?.RULE_ARN?.StringValue).toBe(r.arn);
    expect(m.MessageAttributes?.TARGET_ARN?.StringValue).toBe(gone.arn);
    expect(m.MessageAttributes?.ERROR_CODE?.StringValue).toBeDefined();
  });
});

describe('EventBridge as a Lambda destination', () => {
  it('the record is put on the bus with source lambda and the Success detail-type', async () => {
    const { functions } = await stack();
    const b = await bus('async-eb-dest');
    const q = await eventsQueue('async-eb-dest-q');
    await rule(b.name, { pattern: { source: ['lambda'] } }, [{ Id: 'q', Arn: q.arn }]);
    await putConfig({ FunctionName: functions.source.name, DestinationConfig: { OnSuccess: { Destination: b.arn } } });
    const requestId = await invokeEvent(functions.source.name, { action: 'return', value: { success: true } });
    const [m] = await awaitMessages(q.url, 1);
    const event = body(m);
    expect(event.source).toBe('lambda');
    expect(event['detail-type']).toBe('Lambda Function Invocation Result - Success');
    expect(event.resources).toEqual([b.arn, `${functions.source.arn}:$LATEST`]);
    expect(event.detail.requestContext).toEqual(expect.objectContaining({ requestId, condition: 'Success' }));
    expect(event.detail.responsePayload).toEqual({ success: true });
  });
});
