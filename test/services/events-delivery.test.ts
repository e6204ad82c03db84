/**
 * EventBridge's data plane through the wire: PutEvents and TestEventPattern with
 * @aws-sdk/client-eventbridge, delivery read back from SQS queues with @aws-sdk/client-sqs, against
 * a started embedded cloud in compressed time (schedules and retries jump over idle time).
 * [rec] = AWS-recorded (LocalStack's tests/aws/services/events/*.snapshot.json).
 */
import { randomUUID } from 'node:crypto';
import {
  CreateEventBusCommand,
  DisableRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, failure } from './helpers';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const SOURCE = 'core.update-account-command';
const DETAIL = { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } };
const PATTERN = { source: [SOURCE], 'detail-type': [SOURCE], detail: { command: ['update-account'] } };
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

let cloud: RunningCloud;
let eb: EventBridgeClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  const config = { endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 };
  eb = new EventBridgeClient(config);
  sqs = new SQSClient(config);
});
afterAll(async () => {
  eb.destroy();
  sqs.destroy();
  await cloud.stop();
});

let seq = 0;
const uniq = (base: string) => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;

async function queue(fifo = false): Promise<{ url: string; arn: string }> {
  const QueueName = fifo ? `${uniq('q')}.fifo` : uniq('q');
  const url = (await sqs.send(new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: 'true' } : undefined }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/**
 * Receive until `n` messages came (long polls: compressed time jumps while they wait), or `polls`
 * polls in a row came back empty.
 */
async function receive(url: string, n = 1, waitSeconds = 20, polls = 1): Promise<Message[]> {
  const out: Message[] = [];
  let empty = 0;
  while (out.length < n && empty < polls) {
    const got = (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
      )
    ).Messages;
    if (!got?.length) {
      empty++;
      continue;
    }
    empty = 0;
    out.push(...got);
    // consumed: deleted, so that a visibility timeout passing in compressed time does not bring it back
    for (const m of got) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  }
  return out;
}

const bodies = (ms: Message[]) => ms.map((m) => JSON.parse(m.Body!) as Record<string, unknown>);

/** A rule on `bus` with the given pattern and targets. */
async function rule(targets: Target[], pattern: unknown = PATTERN, EventBusName?: string): Promise<string> {
  const Name = uniq('rule');
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name, EventBusName, EventPattern: JSON.stringify(pattern) }));
  await eb.send(new PutTargetsCommand({ Rule: Name, EventBusName, Targets: targets }));
  return RuleArn!;
}

const entry = (extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({ Source: SOURCE, DetailType: SOURCE, Detail: JSON.stringify(DETAIL), ...extra });

describe('PutEvents', () => {
  it('answers each entry in order: an EventId, or its own error [rec]', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          entry(),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: 'just a string' }),
          entry({ Detail: '["an", "array"]' }),
          entry({ Detail: '{"malformed": ' }),
          entry({ Detail: JSON.stringify(JSON.stringify(DETAIL)) }),
          entry({ Source: 'aws.s3' }),
          entry({ EventBusName: uniq('no-such-bus') }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(8);
    expect(out.Entries).toEqual([
      { EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      // [rec] a bus that does not exist: accepted, and the event goes nowhere
      { EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
  });

  it('more than 10 entries fails the request, entries printed as AWS does [rec]', async () => {
    const Entries = Array.from({ length: 11 }, () => entry({ Detail: '{"command": "update-account"}', EventBusName: 'default' }));
    const e = await failure(eb.send(new PutEventsCommand({ Entries })));
    const one =
      'PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, detailType=core.update-account-command, detail={"command": "update-account"}, ' +
      'eventBusName=default, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)';
    expect(e).toEqual({
      name: 'ValidationException',
      status: 400,
      message: `1 validation error detected: Value '[${Array(11).fill(one).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    });
    expect((await failure(eb.send(new PutEventsCommand({ Entries: [] })))).message).toBe(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('over 256 KB in all fails the request [rec]; the size counts Source, DetailType, Detail, Resources and 14 for a Time [doc]', async () => {
    const big = (n: number) => JSON.stringify({ a: 'x'.repeat(n - 8) }); // n bytes
    const fixed = 2 * Buffer.byteLength(SOURCE);
    expect(await failure(eb.send(new PutEventsCommand({ Entries: [entry({ Detail: big(256 * 1024) })] })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: 'Total size of the entries in the request is over the limit.',
    });
    const exact = big(256 * 1024 - fixed - 14 - 5);
    expect((await eb.send(new PutEventsCommand({ Entries: [entry({ Detail: exact, Time: new Date(), Resources: ['abcde'] })] }))).FailedEntryCount).toBe(0);
    expect((await failure(eb.send(new PutEventsCommand({ Entries: [entry({ Detail: exact, Time: new Date(), Resources: ['abcdef'] })] })))).name).toBe('ValidationException');
  });

  it('model constraints on an entry fail the request', async () => {
    expect((await failure(eb.send(new PutEventsCommand({ Entries: [entry({ EventBusName: 'a/b' })] })))).message).toBe(
      "1 validation error detected: Value 'a/b' at 'entries.1.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+",
    );
    expect((await failure(eb.send(new PutEventsCommand({ Entries: [entry({ TraceHeader: 'x'.repeat(501) })] })))).message).toMatch(
      /at 'entries\.1\.member\.traceHeader' failed to satisfy constraint: Member must have length less than or equal to 500$/,
    );
  });

  it('delivers the event to a queue target, with Time, Resources and the trace header [rec shape]', async () => {
    const q = await queue();
    await rule([{ Id: 'q', Arn: q.arn }]);
    const out = await eb.send(new PutEventsCommand({ Entries: [entry({ Time: new Date('2022-01-01T00:00:00.750Z'), Resources: ['arn:aws:s3:::bucket'], TraceHeader: TRACE })] }));
    const [m] = await receive(q.url);
    expect(JSON.parse(m.Body!)).toEqual({
      version: '0',
      id: out.Entries![0].EventId,
      'detail-type': SOURCE,
      source: SOURCE,
      account: ACCOUNT,
      time: '2022-01-01T00:00:00Z',
      region: REGION,
      resources: ['arn:aws:s3:::bucket'],
      detail: DETAIL,
    });
    expect(m.Attributes!.AWSTraceHeader).toBe(TRACE);
  });

  it('delivers only to rules whose pattern matches, each target once; not to disabled rules', async () => {
    const [a, b, c] = [await queue(), await queue(), await queue()];
    await rule([{ Id: 'a', Arn: a.arn }], { source: ['source-one'] });
    await rule([{ Id: 'b', Arn: b.arn }], { source: ['source-one', 'source-two'] });
    const off = uniq('off');
    await eb.send(new PutRuleCommand({ Name: off, EventPattern: JSON.stringify({ source: ['source-one'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: off, Targets: [{ Id: 'c', Arn: c.arn }] }));
    await eb.send(new DisableRuleCommand({ Name: off }));
    await eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'source-one' }), entry({ Source: 'source-two' }), entry({ Source: 'source-three' })] }));
    expect(bodies(await receive(a.url, 2, 2)).map((e) => e.source)).toEqual(['source-one']);
    expect(bodies(await receive(b.url, 3, 2)).map((e) => e.source).sort()).toEqual(['source-one', 'source-two']);
    expect(await receive(c.url, 1, 2)).toEqual([]);
  });

  it('content patterns decide delivery (nested detail, numeric range)', async () => {
    const q = await queue();
    await rule([{ Id: 'q', Arn: q.arn }], { source: ['filter-test'], detail: { payload: { amount: [{ numeric: ['>=', 100] }] } } });
    await eb.send(
      new PutEventsCommand({
        Entries: [50, 100, 250].map((amount) => entry({ Source: 'filter-test', Detail: JSON.stringify({ payload: { amount } }) })),
      }),
    );
    expect(bodies(await receive(q.url, 3, 2)).map((e) => (e.detail as { payload: { amount: number } }).payload.amount).sort((a, b) => a - b)).toEqual([100, 250]);
  });

  it('an event on a custom bus reaches only that bus\'s rules [rec]', async () => {
    const bus = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const [onDefault, onCustom] = [await queue(), await queue()];
    await rule([{ Id: 'd', Arn: onDefault.arn }]);
    await rule([{ Id: 'c', Arn: onCustom.arn }], PATTERN, bus);
    await eb.send(new PutEventsCommand({ Entries: [entry({ EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`, Detail: '{"command": "update-account", "n": 1}' })] }));
    expect(bodies(await receive(onCustom.url)).map((e) => e.detail)).toEqual([{ command: 'update-account', n: 1 }]);
    expect(bodies(await receive(onDefault.url, 5, 1)).filter((e) => (e.detail as { n?: number }).n === 1)).toEqual([]);
  });
});

describe('TestEventPattern', () => {
  const event = { id: '1', source: 'order', 'detail-type': 'Test', account: ACCOUNT, region: REGION, time: '2022-07-13T13:48:01Z' };

  it('matches and does not match [rec]; events need no resources', async () => {
    expect((await eb.send(new TestEventPatternCommand({ Event: JSON.stringify(event), EventPattern: JSON.stringify({ source: ['order'], 'detail-type': ['Test'] }) }))).Result).toBe(true);
    expect((await eb.send(new TestEventPatternCommand({ Event: JSON.stringify(event), EventPattern: JSON.stringify({ source: ['shipment'] }) }))).Result).toBe(false);
  });

  it('content filters: numbers by value [rec: 300.0 matches [300]], prefix, anything-but, exists', async () => {
    const test = async (pattern: unknown, detail: unknown) =>
      (await eb.send(new TestEventPatternCommand({ Event: JSON.stringify({ ...event, detail }), EventPattern: JSON.stringify(pattern) }))).Result;
    expect(await test({ detail: { n: [300] } }, { n: 300.0 })).toBe(true);
    expect(await test({ detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, { n: 5 })).toBe(true);
    expect(await test({ detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, { n: 6 })).toBe(false);
    expect(await test({ detail: { s: [{ prefix: 'ab' }] } }, { s: 'abc' })).toBe(true);
    expect(await test({ detail: { s: [{ 'anything-but': ['abc'] }] } }, { s: 'abc' })).toBe(false);
    expect(await test({ detail: { s: [{ exists: false }] } }, {})).toBe(true);
  });

  it('refuses an event that is not a JSON object with the required fields [rec]', async () => {
    for (const Event of ['plain string', '["an", "array"]', JSON.stringify({ testEvent: 'value' }), JSON.stringify({ ...event, id: undefined })]) {
      expect(await failure(eb.send(new TestEventPatternCommand({ Event, EventPattern: '{"source": ["order"]}' })))).toEqual({
        name: 'ValidationException',
        status: 400,
        message: 'Parameter Event is not valid.',
      });
    }
  });

  it('refuses an invalid pattern with InvalidEventPatternException [rec]', async () => {
    expect(await failure(eb.send(new TestEventPatternCommand({ Event: JSON.stringify(event), EventPattern: '["not", "a", "dict", "but valid json"]' })))).toEqual({
      name: 'InvalidEventPatternException',
      status: 400,
      message: 'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]',
    });
  });
});

describe('what targets receive', () => {
  it('Input, InputPath and InputTransformer (JSON and string templates) [rec]', async () => {
    const [fixed, path, json, text, whole] = [await queue(), await queue(), await queue(), await queue(), await queue()];
    const ruleArn = await rule([
      { Id: 'fixed', Arn: fixed.arn, Input: '{"custom-value": "somecustominput"}' },
      { Id: 'path', Arn: path.arn, InputPath: '$.detail.payload.sf_id' },
      {
        Id: 'json',
        Arn: json.arn,
        InputTransformer: { InputPathsMap: { 'detail-type': '$.detail-type', command: '$.detail.command', payload: '$.detail.payload' }, InputTemplate: '{"detailType": <detail-type>, "command": <command>, "p": <payload>}' },
      },
      {
        Id: 'text',
        Arn: text.arn,
        InputTransformer: { InputPathsMap: { payload: '$.detail.payload', none: '$.detail.none' }, InputTemplate: '"Payload of <payload> in <aws.events.rule-name>, <none>."' },
      },
      { Id: 'whole', Arn: whole.arn, InputTransformer: { InputTemplate: '{"e": <aws.events.event.json>, "rule": "<aws.events.rule-arn>"}' } },
    ]);
    const id = (await eb.send(new PutEventsCommand({ Entries: [entry()] }))).Entries![0].EventId;
    expect((await receive(fixed.url))[0].Body).toBe('{"custom-value": "somecustominput"}');
    expect((await receive(path.url))[0].Body).toBe('"baz"');
    expect(JSON.parse((await receive(json.url))[0].Body!)).toEqual({ detailType: SOURCE, command: 'update-account', p: DETAIL.payload });
    expect((await receive(text.url))[0].Body).toBe(`"Payload of {acc_id:0a787ecb-4015,sf_id:baz} in ${ruleArn.split('/').pop()}, ."`);
    const w = JSON.parse((await receive(whole.url))[0].Body!);
    expect(w).toMatchObject({ e: { id, source: SOURCE, detail: DETAIL }, rule: ruleArn });
  });

  it('an InputTemplate that does not give valid JSON is not delivered [rec]', async () => {
    const q = await queue();
    await rule([{ Id: 'q', Arn: q.arn, InputTransformer: { InputPathsMap: { payload: '$.detail.payload' }, InputTemplate: '{"payload": "<payload>"}' } }]);
    await eb.send(new PutEventsCommand({ Entries: [entry()] }));
    expect(await receive(q.url, 1, 2)).toEqual([]);
  });

  it('a FIFO queue target: MessageGroupId from SqsParameters, the event id as deduplication id', async () => {
    const q = await queue(true);
    await rule([{ Id: 'fifo', Arn: q.arn, SqsParameters: { MessageGroupId: 'group-1' } }]);
    const out = await eb.send(new PutEventsCommand({ Entries: [entry({ Detail: '{"command": "update-account", "n": 1}' }), entry({ Detail: '{"command": "update-account", "n": 2}' })] }));
    const ms = await receive(q.url, 2);
    expect(bodies(ms).map((e) => (e.detail as { n: number }).n)).toEqual([1, 2]);
    expect(ms.map((m) => m.Attributes!.MessageGroupId)).toEqual(['group-1', 'group-1']);
    expect(ms.map((m) => m.Attributes!.MessageDeduplicationId)).toEqual(out.Entries!.map((e) => e.EventId));
  });
});

describe('bus to bus', () => {
  it('a rule with another bus as target forwards the event as it is [rec]', async () => {
    const bus = uniq('bus');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    const q = await queue();
    await rule([{ Id: 'bus', Arn: busArn }], { source: ['bus-to-bus'] });
    await rule([{ Id: 'q', Arn: q.arn }], { source: ['bus-to-bus'] }, bus);
    const id = (await eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'bus-to-bus', Resources: ['r1'] })] }))).Entries![0].EventId;
    const [e] = bodies(await receive(q.url));
    expect(e).toMatchObject({ id, source: 'bus-to-bus', 'detail-type': SOURCE, account: ACCOUNT, region: REGION, resources: ['r1'], detail: DETAIL });
  });
});

describe('schedules (compressed time)', () => {
  it('rate(1 minute): a Scheduled Event each minute to each target, until the rule is disabled [rec shape]', async () => {
    const q = await queue();
    const Name = uniq('tick');
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name, ScheduleExpression: 'rate(1 minute)' }));
    await eb.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'q', Arn: q.arn }] }));
    const before = cloud.cloud.clock.now();
    const [first] = bodies(await receive(q.url, 1, 20, 4));
    const [second] = bodies(await receive(q.url, 1, 20, 4));
    expect(first).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: REGION,
      resources: [RuleArn],
      detail: {},
    });
    expect(Date.parse(second.time as string) - Date.parse(first.time as string)).toBe(60_000);
    expect(cloud.cloud.clock.now() - before).toBeGreaterThanOrEqual(119_000);
    await eb.send(new DisableRuleCommand({ Name }));
    expect(await receive(q.url, 1, 20, 6)).toEqual([]);
    await eb.send(new RemoveTargetsCommand({ Rule: Name, Ids: ['q'] }));
  });

  it('cron(* * * * ? *) with Input: the fixed input each minute [rec]', async () => {
    const q = await queue();
    const Name = uniq('cron');
    await eb.send(new PutRuleCommand({ Name, ScheduleExpression: 'cron(* * * * ? *)' }));
    await eb.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'q', Arn: q.arn, Input: '{"custom-value": "somecustominput"}' }] }));
    const ms = await receive(q.url, 1, 20, 4);
    expect(ms.map((m) => m.Body)).toEqual(['{"custom-value": "somecustominput"}']);
    await eb.send(new DisableRuleCommand({ Name }));
  });
});

describe('retries and dead-letter queues', () => {
  it('a target queue that is gone: the event goes to the DLQ at once, with its attributes [doc]', async () => {
    const [target, dlq] = [await queue(), await queue()];
    const ruleArn = await rule([{ Id: 'gone', Arn: target.arn, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 5 } }]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
    const id = (await eb.send(new PutEventsCommand({ Entries: [entry()] }))).Entries![0].EventId;
    const [m] = await receive(dlq.url);
    expect(JSON.parse(m.Body!)).toMatchObject({ id, source: SOURCE, detail: DETAIL });
    const attrs = Object.fromEntries(Object.entries(m.MessageAttributes!).map(([k, v]) => [k, [v.DataType, v.StringValue]]));
    expect(attrs).toEqual({
      RULE_ARN: ['String', ruleArn],
      TARGET_ARN: ['String', target.arn],
      ERROR_CODE: ['String', 'NO_RESOURCE'],
      ERROR_MESSAGE: ['String', 'The specified queue does not exist.'],
      RETRY_ATTEMPTS: ['Number', '0'],
    });
  });

  it('a deleted FIFO queue target: to the DLQ too', async () => {
    const [fifo, dlq] = [await queue(true), await queue()];
    await rule([{ Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'g' }, DeadLetterConfig: { Arn: dlq.arn } }]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: fifo.url }));
    await eb.send(new PutEventsCommand({ Entries: [entry()] }));
    const [m] = await receive(dlq.url);
    expect(m.MessageAttributes!.ERROR_CODE.StringValue).toBe('NO_RESOURCE');
  });
});
