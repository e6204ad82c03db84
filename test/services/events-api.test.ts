/**
 * EventBridge's control plane through the wire: @aws-sdk/client-eventbridge (JSON 1.1) against a
 * started embedded cloud. Buses, rules, targets and tags, their shapes, paging, and every bad
 * input with AWS's code, status and text ([rec] = AWS-recorded, LocalStack's
 * tests/aws/services/events/*.snapshot.json).
 */
import { randomUUID } from 'node:crypto';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { rawEvents } from './events-helpers';
import { credentials, failure } from './helpers';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const PATTERN = JSON.stringify({ source: ['core.update-account-command'], 'detail-type': ['core.update-account-command'], detail: { command: ['update-account'] } });
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:some-queue`;

let cloud: RunningCloud;
let eb: EventBridgeClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  eb = new EventBridgeClient({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  eb.destroy();
  await cloud.stop();
});

let seq = 0;
const uniq = (base: string) => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;
const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;

async function newBus(): Promise<string> {
  const Name = uniq('bus');
  await eb.send(new CreateEventBusCommand({ Name }));
  return Name;
}

describe('event buses', () => {
  it('create, describe, list with a prefix, delete [rec shapes]', async () => {
    const Name = uniq('bus');
    const created = await eb.send(new CreateEventBusCommand({ Name, Description: 'test bus' }));
    expect(created.EventBusArn).toBe(busArn(Name));
    expect(created.Description).toBe('test bus');
    const d = await eb.send(new DescribeEventBusCommand({ Name }));
    expect(d).toMatchObject({ Name, Arn: busArn(Name), Description: 'test bus' });
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect(d.LastModifiedTime).toBeInstanceOf(Date);
    expect((await eb.send(new DescribeEventBusCommand({ Name: busArn(Name) }))).Name).toBe(Name);
    const listed = await eb.send(new ListEventBusesCommand({ NamePrefix: Name }));
    expect(listed.EventBuses).toEqual([{ Name, Arn: busArn(Name), Description: 'test bus', CreationTime: d.CreationTime, LastModifiedTime: d.LastModifiedTime }]);
    await eb.send(new DeleteEventBusCommand({ Name }));
    expect((await eb.send(new ListEventBusesCommand({ NamePrefix: Name }))).EventBuses).toEqual([]);
    // [rec] deleting a bus that is not there succeeds
    await eb.send(new DeleteEventBusCommand({ Name }));
    expect(await failure(eb.send(new DescribeEventBusCommand({ Name })))).toEqual({ name: 'ResourceNotFoundException', status: 400, message: `Event bus ${Name} does not exist.` });
  });

  it('the default bus exists, is described without a name, and cannot be created or deleted [rec]', async () => {
    const d = await eb.send(new DescribeEventBusCommand({}));
    expect(d).toMatchObject({ Name: 'default', Arn: busArn('default') });
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect((await eb.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name)).toContain('default');
    expect(await failure(eb.send(new DeleteEventBusCommand({ Name: 'default' })))).toEqual({ name: 'ValidationException', status: 400, message: 'Cannot delete event bus default.' });
    expect(await failure(eb.send(new CreateEventBusCommand({ Name: 'default' })))).toEqual({ name: 'ResourceAlreadyExistsException', status: 400, message: 'Event bus default already exists.' });
  });

  it('refuses a second bus of the same name [rec], a name with / [obs], an unknown partner source', async () => {
    const Name = await newBus();
    expect(await failure(eb.send(new CreateEventBusCommand({ Name })))).toEqual({ name: 'ResourceAlreadyExistsException', status: 400, message: `Event bus ${Name} already exists.` });
    expect(await failure(eb.send(new CreateEventBusCommand({ Name: 'team/bus' })))).toEqual({ name: 'ValidationException', status: 400, message: "Event bus name must not contain '/'." });
    const src = 'aws.partner/acme.com/123/stream';
    expect(await failure(eb.send(new CreateEventBusCommand({ Name: src, EventSourceName: src })))).toMatchObject({ name: 'ResourceNotFoundException', message: `Event source ${src} does not exist.` });
  });

  it('validates names in AWS\'s words', async () => {
    expect(await failure(eb.send(new CreateEventBusCommand({ Name: 'bad name!' })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
    });
    expect((await failure(eb.send(new CreateEventBusCommand({ Name: 'x'.repeat(257), Description: 'd'.repeat(513) })))).message).toBe(
      `2 validation errors detected: Value '${'x'.repeat(257)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
        `Value '${'d'.repeat(513)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512`,
    );
    expect((await failure(eb.send(new DescribeEventBusCommand({ Name: 'no such!' })))).message).toMatch(/^1 validation error detected: Value 'no such!' at 'name'/);
    const raw = await rawEvents(cloud.endpoint, 'CreateEventBus', {});
    expect(raw).toMatchObject({ status: 400, errorType: 'ValidationException', json: { __type: 'ValidationException', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" } });
    expect((await rawEvents(cloud.endpoint, 'CreateEventBus', { Name: 5 })).json.__type).toBe('SerializationException');
  });

  it('pages with Limit and NextToken [rec]', async () => {
    const prefix = uniq('page');
    for (let i = 0; i < 5; i++) await eb.send(new CreateEventBusCommand({ Name: `${prefix}-${i}` }));
    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3 }));
    expect(first.EventBuses!.map((b) => b.Name)).toEqual([0, 1, 2].map((i) => `${prefix}-${i}`));
    expect(first.NextToken).toBeDefined();
    const second = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3, NextToken: first.NextToken }));
    expect(second.EventBuses!.map((b) => b.Name)).toEqual([3, 4].map((i) => `${prefix}-${i}`));
    expect(second.NextToken).toBeUndefined();
    expect((await failure(eb.send(new ListEventBusesCommand({ Limit: 0 })))).message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect((await failure(eb.send(new ListEventBusesCommand({ NextToken: 'garbage' })))).name).toBe('ValidationException');
  });
});

describe('rules', () => {
  it('put, list, describe, disable, enable, delete on the default and a custom bus [rec shapes]', async () => {
    for (const bus of ['default', await newBus()]) {
      const Name = uniq('rule');
      const EventBusName = bus === 'default' ? undefined : bus;
      const arn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus === 'default' ? '' : `${bus}/`}${Name}`;
      expect((await eb.send(new PutRuleCommand({ Name, EventBusName, EventPattern: PATTERN, Description: 'd' }))).RuleArn).toBe(arn);
      expect((await eb.send(new ListRulesCommand({ NamePrefix: Name, EventBusName }))).Rules).toEqual([
        { Name, Arn: arn, EventBusName: bus, EventPattern: PATTERN, State: 'ENABLED', Description: 'd' },
      ]);
      const d = await eb.send(new DescribeRuleCommand({ Name, EventBusName }));
      expect(d).toMatchObject({ Name, Arn: arn, EventBusName: bus, EventPattern: PATTERN, State: 'ENABLED', Description: 'd', CreatedBy: ACCOUNT });
      await eb.send(new DisableRuleCommand({ Name, EventBusName }));
      expect((await eb.send(new DescribeRuleCommand({ Name, EventBusName }))).State).toBe('DISABLED');
      await eb.send(new EnableRuleCommand({ Name, EventBusName: bus === 'default' ? undefined : busArn(bus) }));
      expect((await eb.send(new DescribeRuleCommand({ Name, EventBusName }))).State).toBe('ENABLED');
      await eb.send(new DeleteRuleCommand({ Name, EventBusName }));
      expect((await eb.send(new ListRulesCommand({ NamePrefix: Name, EventBusName }))).Rules).toEqual([]);
      // deleting a rule that is not there succeeds [obs]
      await eb.send(new DeleteRuleCommand({ Name, EventBusName }));
    }
  });

  it('re-putting a rule replaces its settings and keeps its targets [rec]', async () => {
    const Name = uniq('rule');
    await eb.send(new PutRuleCommand({ Name, EventPattern: PATTERN, Description: 'first', State: 'DISABLED' }));
    await eb.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 't', Arn: QUEUE }] }));
    await eb.send(new PutRuleCommand({ Name, ScheduleExpression: 'rate(5 minutes)' }));
    const d = await eb.send(new DescribeRuleCommand({ Name }));
    expect(d.Description).toBeUndefined();
    expect(d.EventPattern).toBeUndefined();
    expect(d.ScheduleExpression).toBe('rate(5 minutes)');
    expect(d.State).toBe('ENABLED');
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: Name }))).Targets).toEqual([{ Id: 't', Arn: QUEUE }]);
  });

  it('pages rules in name order', async () => {
    const prefix = uniq('rp');
    for (const i of [3, 0, 4, 1, 2]) await eb.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventPattern: PATTERN }));
    const first = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 3 }));
    expect(first.Rules!.map((r) => r.Name)).toEqual([0, 1, 2].map((i) => `${prefix}-${i}`));
    const second = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 3, NextToken: first.NextToken }));
    expect(second.Rules!.map((r) => r.Name)).toEqual([3, 4].map((i) => `${prefix}-${i}`));
    expect(second.NextToken).toBeUndefined();
  });

  it('schedules: accepted expressions, only on the default bus, AWS\'s refusals [rec]', async () => {
    for (const expr of ['rate(1 minute)', 'cron(0 20 * * ? *)', 'cron(15 10 ? * 6L 2002-2005)', 'cron(0 2 ? * SAT#3 *)']) {
      const Name = uniq('sched');
      await eb.send(new PutRuleCommand({ Name, ScheduleExpression: expr }));
      expect((await eb.send(new ListRulesCommand({ NamePrefix: Name }))).Rules).toEqual([
        { Name, Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${Name}`, EventBusName: 'default', ScheduleExpression: expr, State: 'ENABLED' },
      ]);
    }
    for (const expr of ['cron(INVALID)', 'cron(0 dummy ? * MON-FRI *)', 'cron(7 20 * * NOT *)', 'cron(71 8 1 * ? *)', 'cron(0 1 * * * *)', 'rate(1 minutes)', 'rate(0 minutes)', 'every day']) {
      expect(await failure(eb.send(new PutRuleCommand({ Name: uniq('bad'), ScheduleExpression: expr })))).toEqual({
        name: 'ValidationException',
        status: 400,
        message: 'Parameter ScheduleExpression is not valid.',
      });
    }
    const bus = await newBus();
    expect(await failure(eb.send(new PutRuleCommand({ Name: uniq('s'), EventBusName: bus, ScheduleExpression: 'rate(1 minute)' })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
  });

  it('refuses bad input', async () => {
    expect(await failure(eb.send(new PutRuleCommand({ Name: uniq('r') })))).toEqual({ name: 'ValidationException', status: 400, message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' });
    expect(await failure(eb.send(new PutRuleCommand({ Name: 'bad name', EventPattern: PATTERN })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    });
    expect((await failure(eb.send(new PutRuleCommand({ Name: 'x'.repeat(65), EventPattern: PATTERN })))).message).toBe(
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    expect((await failure(eb.send(new PutRuleCommand({ Name: uniq('r'), EventPattern: PATTERN, State: 'SOMETIMES' as never })))).message).toBe(
      "1 validation error detected: Value 'SOMETIMES' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    );
    expect((await failure(eb.send(new PutRuleCommand({ Name: uniq('r'), EventPattern: 'x'.repeat(4097) })))).message).toMatch(/at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096$/);
    expect(await failure(eb.send(new PutRuleCommand({ Name: uniq('r'), EventPattern: PATTERN, EventBusName: 'nope' })))).toEqual({ name: 'ResourceNotFoundException', status: 400, message: 'Event bus nope does not exist.' });
  });

  it('an invalid EventPattern is InvalidEventPatternException (the pattern engine\'s text)', async () => {
    // [rec] the text is the pattern engine's (src/cloud/patterns)
    expect(await failure(eb.send(new PutRuleCommand({ Name: uniq('r'), EventPattern: '{"source": "not-a-list"}' })))).toEqual({
      name: 'InvalidEventPatternException',
      status: 400,
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array\n at [Source: (String)"{"source": "not-a-list"}"; line: 1, column: 13]',
    });
  });

  it('a rule that does not exist: AWS\'s text for each operation [rec]', async () => {
    const Name = uniq('missing');
    const expected = { name: 'ResourceNotFoundException', status: 400, message: `Rule ${Name} does not exist on EventBus default.` };
    expect(await failure(eb.send(new DescribeRuleCommand({ Name })))).toEqual(expected);
    expect(await failure(eb.send(new EnableRuleCommand({ Name })))).toEqual(expected);
    expect(await failure(eb.send(new DisableRuleCommand({ Name })))).toEqual(expected);
    expect(await failure(eb.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 't', Arn: QUEUE }] })))).toEqual(expected);
    expect(await failure(eb.send(new RemoveTargetsCommand({ Rule: Name, Ids: ['t'] })))).toEqual(expected);
    expect(await failure(eb.send(new ListTargetsByRuleCommand({ Rule: Name })))).toEqual(expected);
    const bus = await newBus();
    expect(await failure(eb.send(new DescribeRuleCommand({ Name, EventBusName: bus })))).toMatchObject({ message: `Rule ${Name} does not exist on EventBus ${bus}.` });
  });

  it("a rule with targets cannot be deleted [rec], even with Force", async () => {
    const Name = uniq('r');
    await eb.send(new PutRuleCommand({ Name, EventPattern: PATTERN }));
    await eb.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 't', Arn: QUEUE }] }));
    const expected = { name: 'ValidationException', status: 400, message: "Rule can't be deleted since it has targets." };
    expect(await failure(eb.send(new DeleteRuleCommand({ Name })))).toEqual(expected);
    expect(await failure(eb.send(new DeleteRuleCommand({ Name, Force: true })))).toEqual(expected);
    await eb.send(new RemoveTargetsCommand({ Rule: Name, Ids: ['t'] }));
    await eb.send(new DeleteRuleCommand({ Name }));
  });

  it('deleting a bus deletes its rules', async () => {
    const bus = await newBus();
    const Name = uniq('r');
    await eb.send(new PutRuleCommand({ Name, EventBusName: bus, EventPattern: PATTERN }));
    await eb.send(new DeleteEventBusCommand({ Name: bus }));
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    expect((await eb.send(new ListRulesCommand({ EventBusName: bus }))).Rules).toEqual([]);
  });
});

describe('targets', () => {
  async function newRule(bus?: string): Promise<string> {
    const Name = uniq('r');
    await eb.send(new PutRuleCommand({ Name, EventBusName: bus, EventPattern: PATTERN }));
    return Name;
  }

  it('put, list, remove [rec]; the last of repeated Ids wins [rec]; list order and paging', async () => {
    const Rule = await newRule();
    const put = await eb.send(
      new PutTargetsCommand({
        Rule,
        Targets: [
          { Id: 'b', Arn: QUEUE, InputPath: '$.detail' },
          { Id: 'a', Arn: QUEUE, Input: '{"x": 1}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 }, DeadLetterConfig: { Arn: QUEUE } },
          { Id: 'b', Arn: QUEUE, InputPath: '$.notexisting' },
        ],
      }),
    );
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    const listed = (await eb.send(new ListTargetsByRuleCommand({ Rule }))).Targets;
    expect(listed).toEqual([
      { Id: 'b', Arn: QUEUE, InputPath: '$.notexisting' },
      { Id: 'a', Arn: QUEUE, Input: '{"x": 1}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 }, DeadLetterConfig: { Arn: QUEUE } },
    ]);
    const page1 = await eb.send(new ListTargetsByRuleCommand({ Rule, Limit: 1 }));
    expect(page1.Targets!.map((t) => t.Id)).toEqual(['b']);
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule, Limit: 1, NextToken: page1.NextToken }))).Targets!.map((t) => t.Id)).toEqual(['a']);
    expect(await eb.send(new RemoveTargetsCommand({ Rule, Ids: ['b', 'never-there'] }))).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule }))).Targets!.map((t) => t.Id)).toEqual(['a']);
  });

  it('at most 5 targets per rule: LimitExceededException [rec]', async () => {
    const Rule = await newRule();
    const t = (i: number): Target => ({ Id: `t${i}`, Arn: QUEUE });
    await eb.send(new PutTargetsCommand({ Rule, Targets: [0, 1, 2, 3, 4].map(t) }));
    await eb.send(new PutTargetsCommand({ Rule, Targets: [t(4)] })); // replacing one is fine
    expect(await failure(eb.send(new PutTargetsCommand({ Rule, Targets: [t(5)] })))).toEqual({ name: 'LimitExceededException', status: 400, message: 'The requested resource exceeds the maximum number allowed.' });
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule }))).Targets).toHaveLength(5);
  });

  it('validates targets in AWS\'s words [rec]', async () => {
    const Rule = await newRule();
    const bad = async (Targets: Target[]) => failure(eb.send(new PutTargetsCommand({ Rule, Targets })));
    expect(await bad([{ Id: '!@#$@!#$', Arn: QUEUE }])).toEqual({
      name: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    });
    expect((await bad([{ Id: 'x'.repeat(65), Arn: QUEUE }])).message).toBe(
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    expect((await bad([{ Id: 'ok', Arn: QUEUE, RetryPolicy: { MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59 } }])).message).toBe(
      "2 validation errors detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185; " +
        "Value '59' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    );
    expect((await bad([{ Id: 'ok', Arn: QUEUE, RetryPolicy: { MaximumEventAgeInSeconds: 86401 } }])).message).toMatch(/Member must have value less than or equal to 86400$/);
    expect((await bad([{ Id: 'ok', Arn: QUEUE, InputPath: '$.detail', InputTransformer: { InputTemplate: '"x"' } }])).message).toBe(
      'Only one of Input, InputPath, or InputTransformer must be provided for target ok.',
    );
    expect((await bad([{ Id: 'ok', Arn: QUEUE, InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '{"a": <a>, "b": <notdefinedkey>}' } }])).message).toBe(
      'InputTemplate for target ok contains invalid placeholder notdefinedkey.',
    );
    expect((await bad([{ Id: 'ok', Arn: QUEUE, InputTransformer: { InputPathsMap: { 'a.b': '$.detail' }, InputTemplate: '"x"' } }])).message).toMatch(
      /at 'targets\.1\.member\.inputTransformer\.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must satisfy regular expression pattern: \[A-Za-z0-9\\_\\-\]\+\]$/,
    );
    expect((await bad([{ Id: 'ok', Arn: QUEUE, InputTransformer: { InputTemplate: '' } }])).message).toMatch(/at 'targets\.1\.member\.inputTransformer\.inputTemplate' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
    expect((await bad([{ Id: 'ok', Arn: 'not-an-arn' }])).message).toBe('Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.');
    expect((await bad([{ Id: 'fifo', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q.fifo` }])).message).toBe('Parameter(s) SqsParameters must be specified for target: fifo.');
    expect((await bad([{ Id: 'ok', Arn: QUEUE, Input: 'not json' }])).name).toBe('ValidationException');
    expect((await bad([{ Id: 'ok', Arn: QUEUE, InputPath: 'detail' }])).name).toBe('ValidationException');
    expect((await bad([])).message).toBe("1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect((await failure(eb.send(new RemoveTargetsCommand({ Rule, Ids: [] })))).message).toBe(
      "1 validation error detected: Value '[]' at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await rawEvents(cloud.endpoint, 'PutTargets', { Rule })).json.message).toBe("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
    expect((await rawEvents(cloud.endpoint, 'PutTargets', { Rule, Targets: [{ Id: 'a' }] })).json.message).toBe(
      "1 validation error detected: Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null",
    );
    // nothing was stored by the refused calls
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule }))).Targets).toEqual([]);
  });

  it('ListRuleNamesByTarget: rule names with a target of that ARN, on the default or a named bus, paged [rec]', async () => {
    const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${uniq('q')}`;
    for (const bus of [undefined, await newBus()]) {
      const prefix = uniq('lr');
      for (let i = 0; i < 5; i++) {
        await eb.send(new PutRuleCommand({ Name: `${prefix}${i}`, EventBusName: bus, EventPattern: PATTERN }));
        await eb.send(new PutTargetsCommand({ Rule: `${prefix}${i}`, EventBusName: bus, Targets: [{ Id: 't', Arn: arn }] }));
      }
      const first = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus, Limit: 2 }));
      expect(first.RuleNames).toEqual([`${prefix}0`, `${prefix}1`]);
      const second = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus, Limit: 2, NextToken: first.NextToken }));
      const third = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus, Limit: 2, NextToken: second.NextToken }));
      expect([...second.RuleNames!, ...third.RuleNames!]).toEqual([2, 3, 4].map((i) => `${prefix}${i}`));
      expect(third.NextToken).toBeUndefined();
    }
    expect((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: `${QUEUE}-none` }))).RuleNames).toEqual([]);
    expect(await failure(eb.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE, EventBusName: 'nope' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('tags', () => {
  it('tag, list, untag a rule and a bus (the default one too) [rec]', async () => {
    const bus = await newBus();
    const Name = uniq('r');
    const ruleArn = (await eb.send(new PutRuleCommand({ Name, EventBusName: bus, EventPattern: PATTERN }))).RuleArn!;
    for (const ResourceARN of [ruleArn, busArn(bus), busArn('default')]) {
      await eb.send(new TagResourceCommand({ ResourceARN, Tags: [{ Key: 'tag1', Value: 'value1' }, { Key: 'tag2', Value: 'value2' }] }));
      expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).toEqual([{ Key: 'tag1', Value: 'value1' }, { Key: 'tag2', Value: 'value2' }]);
      await eb.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['tag2', 'not-there'] }));
      expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).toEqual([{ Key: 'tag1', Value: 'value1' }]);
    }
    await eb.send(new UntagResourceCommand({ ResourceARN: busArn('default'), TagKeys: ['tag1'] }));
  });

  it('tags given at creation; a bus or rule made again starts without tags [rec]', async () => {
    const bus = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus, Tags: [{ Key: 'k', Value: 'v' }] }));
    const Name = uniq('r');
    const ruleArn = (await eb.send(new PutRuleCommand({ Name, EventPattern: PATTERN, Tags: [{ Key: 'a', Value: '1' }] }))).RuleArn!;
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn(bus) }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }))).Tags).toEqual([{ Key: 'a', Value: '1' }]);
    await eb.send(new DeleteEventBusCommand({ Name: bus }));
    await eb.send(new DeleteRuleCommand({ Name }));
    expect(await failure(eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn(bus) })))).toEqual({ name: 'ResourceNotFoundException', status: 400, message: `Event bus ${bus} does not exist.` });
    expect(await failure(eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn })))).toEqual({ name: 'ResourceNotFoundException', status: 400, message: `Rule ${Name} does not exist on EventBus default.` });
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    await eb.send(new PutRuleCommand({ Name, EventPattern: PATTERN }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn(bus) }))).Tags).toEqual([]);
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }))).Tags).toEqual([]);
  });

  it('resources that do not exist, and bad input [rec]', async () => {
    const missing = uniq('missing');
    const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${missing}`;
    for (const p of [
      eb.send(new TagResourceCommand({ ResourceARN: ruleArn, Tags: [{ Key: 'a', Value: 'b' }] })),
      eb.send(new UntagResourceCommand({ ResourceARN: ruleArn, TagKeys: ['a'] })),
      eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn })),
    ]) {
      expect(await failure(p)).toEqual({ name: 'ResourceNotFoundException', status: 400, message: `Rule ${missing} does not exist on EventBus default.` });
    }
    expect(await failure(eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn(missing) })))).toMatchObject({ message: `Event bus ${missing} does not exist.` });
    expect((await failure(eb.send(new TagResourceCommand({ ResourceARN: busArn('default'), Tags: [{ Key: '', Value: 'b' }] })))).message).toBe(
      "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await failure(eb.send(new ListTagsForResourceCommand({ ResourceARN: QUEUE })))).name).toBe('ValidationException');
  });
});

describe('the protocol', () => {
  it('an unknown operation and a body that is not JSON', async () => {
    expect(await rawEvents(cloud.endpoint, 'Nope', {})).toMatchObject({ status: 400, json: { __type: 'UnknownOperationException' } });
    expect(await rawEvents(cloud.endpoint, 'ListRules', '{not json')).toMatchObject({ status: 400, json: { __type: 'SerializationException' } });
    expect((await rawEvents(cloud.endpoint, 'ListRules', { Limit: 'ten' })).json.__type).toBe('SerializationException');
  });

  it('answers application/x-amz-json-1.1 with x-amzn-RequestId', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListEventBuses' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
