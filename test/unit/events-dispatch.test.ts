/**
 * EventBridge delivery against a stub deliverer (no HTTP): what each kind of target is handed
 * (Lambda: the event, trigger `events`, principal events.amazonaws.com, SourceArn the rule, the
 * trace header), retries with backoff on the virtual clock, the RetryPolicy limits, the DLQ and its
 * attributes, bus-to-bus forwarding, putInternal, and schedules firing, re-arming and stopping.
 */
import { Clock } from '../../src/cloud/clock';
import type { Deliverer, DeliveryContext, DeliveryMessage, DeliveryOutcome } from '../../src/cloud/deliver/types';
import type { RequestContext } from '../../src/cloud/protocols/types';
import { eventsOperations, EventsStore } from '../../src/cloud/services/events';
import { backoffMs } from '../../src/cloud/services/events/dispatch';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:target`;
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`;
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn`;
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

interface Call {
  at: number;
  dctx: DeliveryContext;
  arn: string;
  msg: DeliveryMessage;
}

/** A deliverer that records every call and answers from a script (default: ok). */
class StubDeliverer implements Deliverer {
  readonly calls: Call[] = [];
  answers: ((arn: string) => DeliveryOutcome | undefined)[] = [];
  constructor(private readonly clock: Clock) {}
  async deliver(dctx: DeliveryContext, arn: string, msg: DeliveryMessage): Promise<DeliveryOutcome> {
    this.calls.push({ at: this.clock.now(), dctx, arn, msg });
    for (const a of this.answers) {
      const o = a(arn);
      if (o) return o;
    }
    return { ok: true, id: 'x' };
  }
  lost(): void {
    // the delivery log is not under test here
  }
  to(arn: string): Call[] {
    return this.calls.filter((c) => c.arn === arn);
  }
}

const throttled: DeliveryOutcome = { ok: false, kind: 'throttled', code: 'TooManyRequestsException', message: 'Rate exceeded', retryable: true };
const gone: DeliveryOutcome = { ok: false, kind: 'not-found', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', retryable: false };

let clock: Clock;
let deliverer: StubDeliverer;
let store: EventsStore;
let ops: ReturnType<typeof eventsOperations>;

const ctx = (traceHeader?: string): RequestContext => ({ requestId: 'r', region: REGION, accountId: ACCOUNT, endpoint: 'http://127.0.0.1', path: '/', clock, traceHeader });
const call = (op: string, input: Record<string, unknown>, c = ctx()) => ops[op](input, c) as Record<string, unknown>;

/** Let promise chains settle, then fire whatever is due by `ms` of virtual time. */
async function run(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  clock.advance(Math.max(ms, 1));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function put(detail: Record<string, unknown> = { n: 1 }, extra: Record<string, unknown> = {}, c = ctx()): string {
  const out = call('PutEvents', { Entries: [{ Source: 'my.app', DetailType: 'thing', Detail: JSON.stringify(detail), ...extra }] }, c) as { Entries: { EventId: string }[] };
  return out.Entries[0].EventId;
}

function rule(name: string, targets: Record<string, unknown>[], extra: Record<string, unknown> = {}): string {
  const { RuleArn } = call('PutRule', { Name: name, EventPattern: '{"source":["my.app"]}', ...extra }) as { RuleArn: string };
  call('PutTargets', { Rule: name, EventBusName: extra.EventBusName, Targets: targets });
  return RuleArn;
}

beforeEach(() => {
  clock = new Clock('real');
  deliverer = new StubDeliverer(clock);
  store = new EventsStore(clock, deliverer);
  ops = eventsOperations(store);
});
afterEach(() => {
  store.clear();
  clock.clear();
});

describe('delivery to each kind of target', () => {
  it('Lambda: the event as the payload, trigger events, principal and SourceArn, the request trace header', async () => {
    const ruleArn = rule('to-fn', [{ Id: 'f', Arn: FN }]);
    const id = put({ hello: 'world' }, {}, ctx(TRACE));
    expect(deliverer.calls).toEqual([]); // nothing inside the request
    await run();
    const [c] = deliverer.to(FN);
    expect(c.msg).toMatchObject({ trigger: 'events', principal: 'events.amazonaws.com', sourceArn: ruleArn });
    expect(c.dctx).toMatchObject({ accountId: ACCOUNT, region: REGION, traceHeader: TRACE, source: `events:${ruleArn}` });
    const event = JSON.parse(c.msg.body);
    expect(event).toEqual({
      version: '0',
      id,
      'detail-type': 'thing',
      source: 'my.app',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: REGION,
      resources: [],
      detail: { hello: 'world' },
    });
  });

  it("an entry's TraceHeader wins over the request's", async () => {
    rule('to-fn', [{ Id: 'f', Arn: FN }]);
    put({}, { TraceHeader: 'Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb' }, ctx(TRACE));
    await run();
    expect(deliverer.to(FN)[0].dctx.traceHeader).toBe('Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb');
  });

  it('a FIFO queue gets the MessageGroupId and the event id as deduplication id; a standard queue neither', async () => {
    const fifo = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`;
    rule('to-queues', [
      { Id: 'fifo', Arn: fifo, SqsParameters: { MessageGroupId: 'g1' } },
      { Id: 'std', Arn: QUEUE, InputPath: '$.detail' },
    ]);
    const id = put({ n: 7 });
    await run();
    expect(deliverer.to(fifo)[0].msg).toMatchObject({ groupId: 'g1', dedupId: id });
    expect(deliverer.to(QUEUE)[0].msg).toEqual({ body: '{"n":7}' });
  });

  it('a bus target gets the event itself (same id, account, region, time), whatever its input settings', async () => {
    const other = (call('CreateEventBus', { Name: 'other' }) as { EventBusArn: string }).EventBusArn;
    rule('to-bus', [{ Id: 'b', Arn: other, InputPath: '$.detail' }]);
    const id = put({ n: 1 }, { Resources: ['arn:aws:s3:::b'], Time: 1_700_000_000 });
    await run();
    const [c] = deliverer.to(other);
    expect(c.msg.event).toEqual({
      id,
      account: ACCOUNT,
      region: REGION,
      source: 'my.app',
      detailType: 'thing',
      detail: '{"n":1}',
      resources: ['arn:aws:s3:::b'],
      time: new Date('2023-11-14T22:13:20Z'),
    });
  });

  it('only enabled rules deliver; every target of a matching rule is tried', async () => {
    rule('two', [
      { Id: 'a', Arn: QUEUE },
      { Id: 'b', Arn: FN },
    ]);
    rule('off', [{ Id: 'c', Arn: DLQ }], { State: 'DISABLED' });
    put();
    await run();
    expect(deliverer.calls.map((c) => c.arn).sort()).toEqual([FN, QUEUE].sort());
  });
});

describe('retries and the dead-letter queue', () => {
  it('backoff doubles from 1 s up to 5 min', () => {
    expect([1, 2, 3, 4, 9, 10, 30].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 256000, 300000, 300000]);
  });

  it('retries a throttled target with backoff until it succeeds', async () => {
    let fails = 3;
    deliverer.answers.push((arn) => (arn === QUEUE && fails-- > 0 ? throttled : undefined));
    rule('r', [{ Id: 'q', Arn: QUEUE, DeadLetterConfig: { Arn: DLQ } }]);
    put();
    await run();
    for (const ms of [1000, 2000, 4000]) await run(ms);
    const times = deliverer.to(QUEUE).map((c) => c.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual([1000, 2000, 4000][i]));
    await run(600_000);
    expect(deliverer.to(QUEUE)).toHaveLength(4);
    expect(deliverer.to(DLQ)).toEqual([]);
  });

  it('MaximumRetryAttempts: after the last retry the event goes to the DLQ with its attributes', async () => {
    deliverer.answers.push((arn) => (arn === QUEUE ? throttled : undefined));
    const ruleArn = rule('r', [{ Id: 'q', Arn: QUEUE, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ } }]);
    const id = put();
    await run();
    await run(1000);
    await run(2000);
    await run(600_000);
    expect(deliverer.to(QUEUE)).toHaveLength(3);
    const [d] = deliverer.to(DLQ);
    expect(JSON.parse(d.msg.body).id).toBe(id);
    expect(d.msg.attributes).toEqual({
      RULE_ARN: { DataType: 'String', StringValue: ruleArn },
      TARGET_ARN: { DataType: 'String', StringValue: QUEUE },
      ERROR_CODE: { DataType: 'String', StringValue: 'THROTTLING' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'Rate exceeded' },
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '2' },
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttempts' },
    });
  });

  it('MaximumEventAgeInSeconds: a retry that would come too late is not waited for', async () => {
    deliverer.answers.push((arn) => (arn === QUEUE ? throttled : undefined));
    rule('r', [{ Id: 'q', Arn: QUEUE, RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: DLQ } }]);
    put();
    await run();
    for (const ms of [1000, 2000, 4000, 8000, 16000]) await run(ms);
    // 31 s so far; the next retry (32 s later) would be past 60 s
    expect(deliverer.to(QUEUE)).toHaveLength(6);
    const [d] = deliverer.to(DLQ);
    expect(d.msg.attributes).toMatchObject({
      EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumEventAgeInSeconds' },
      RETRY_ATTEMPTS: { StringValue: '5' },
    });
  });

  it('MaximumRetryAttempts 0: no retry at all', async () => {
    deliverer.answers.push((arn) => (arn === QUEUE ? throttled : undefined));
    rule('r', [{ Id: 'q', Arn: QUEUE, RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: DLQ } }]);
    put();
    await run();
    expect(deliverer.to(QUEUE)).toHaveLength(1);
    expect(deliverer.to(DLQ)[0].msg.attributes).toMatchObject({ RETRY_ATTEMPTS: { StringValue: '0' }, EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumRetryAttempts' } });
  });

  it('a target that does not exist goes to the DLQ at once (NO_RESOURCE, no retry condition)', async () => {
    deliverer.answers.push((arn) => (arn === QUEUE ? gone : undefined));
    rule('r', [{ Id: 'q', Arn: QUEUE, DeadLetterConfig: { Arn: DLQ } }]);
    put();
    await run();
    expect(deliverer.to(QUEUE)).toHaveLength(1);
    const attrs = deliverer.to(DLQ)[0].msg.attributes!;
    expect(attrs.ERROR_CODE.StringValue).toBe('NO_RESOURCE');
    expect(attrs.ERROR_MESSAGE.StringValue).toBe('The specified queue does not exist.');
    expect(attrs.RETRY_ATTEMPTS.StringValue).toBe('0');
    expect(attrs.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
    await run(600_000);
    expect(deliverer.to(QUEUE)).toHaveLength(1);
  });

  it('a permission failure is NO_PERMISSIONS; without a DLQ the event is dropped', async () => {
    deliverer.answers.push((arn) => (arn === FN ? { ok: false, kind: 'permission', code: 'AccessDeniedException', message: 'no', retryable: false } : undefined));
    rule('with', [{ Id: 'f', Arn: FN, DeadLetterConfig: { Arn: DLQ } }]);
    rule('without', [{ Id: 'f', Arn: FN }]);
    put();
    await run(600_000);
    expect(deliverer.to(FN)).toHaveLength(2);
    expect(deliverer.to(DLQ).map((c) => c.msg.attributes!.ERROR_CODE.StringValue)).toEqual(['NO_PERMISSIONS']);
  });

  it('an InputTemplate that does not give valid JSON: not delivered, DLQ with INVALID_JSON', async () => {
    rule('r', [{ Id: 'q', Arn: QUEUE, DeadLetterConfig: { Arn: DLQ }, InputTransformer: { InputPathsMap: { d: '$.detail' }, InputTemplate: '{"d": "<d>"}' } }]);
    put();
    await run();
    expect(deliverer.to(QUEUE)).toEqual([]);
    expect(deliverer.to(DLQ)[0].msg.attributes!.ERROR_CODE.StringValue).toBe('INVALID_JSON');
  });
});

describe('putInternal (the deliverer puts an event on a bus)', () => {
  const bus = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;

  it('routes a new event to the rules of the bus', async () => {
    rule('r', [{ Id: 'q', Arn: QUEUE }]);
    const out = store.putInternal({ accountId: ACCOUNT, region: REGION, source: 'lambda:OnSuccess fn' }, bus, { source: 'my.app', detailType: 'x', detail: '{"a":1}' });
    expect(out).toEqual({ ok: true, id: expect.any(String) });
    await run();
    expect(JSON.parse(deliverer.to(QUEUE)[0].msg.body)).toMatchObject({ id: (out as { id: string }).id, source: 'my.app', 'detail-type': 'x', detail: { a: 1 } });
  });

  it('keeps a forwarded event as it is', async () => {
    rule('r', [{ Id: 'q', Arn: QUEUE }]);
    store.putInternal({ accountId: ACCOUNT, region: REGION, source: 'events:x' }, bus, {
      id: 'e-1',
      account: '111111111111',
      region: 'eu-west-1',
      source: 'my.app',
      detailType: 'x',
      detail: '{}',
      time: new Date('2024-01-01T00:00:00.999Z'),
    });
    await run();
    expect(JSON.parse(deliverer.to(QUEUE)[0].msg.body)).toMatchObject({ id: 'e-1', account: '111111111111', region: 'eu-west-1', time: '2024-01-01T00:00:00Z' });
  });

  it('refuses a bus that does not exist, a detail that is not an object, and an endless bus-to-bus loop', () => {
    const d = { accountId: ACCOUNT, region: REGION, source: 'x' };
    expect(store.putInternal(d, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/nope`, { source: 's', detailType: 't', detail: '{}' })).toMatchObject({
      ok: false,
      kind: 'not-found',
      message: 'Event bus nope does not exist.',
    });
    expect(store.putInternal(d, bus, { source: 's', detailType: 't', detail: '[1]' })).toMatchObject({ ok: false, kind: 'invalid', code: 'MalformedDetail' });
    const outcomes = Array.from({ length: 12 }, () => store.putInternal(d, bus, { id: 'loop', source: 's', detailType: 't', detail: '{}' }).ok);
    expect(outcomes.filter((ok) => ok)).toHaveLength(10);
  });
});

describe('schedules', () => {
  function scheduled(expression: string, state = 'ENABLED'): string {
    const { RuleArn } = call('PutRule', { Name: 'tick', ScheduleExpression: expression, State: state }) as { RuleArn: string };
    call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'q', Arn: QUEUE }] });
    return RuleArn;
  }

  it('rate(1 minute) fires a Scheduled Event every minute', async () => {
    const arn = scheduled('rate(1 minute)');
    const start = clock.now();
    await run(59_000);
    expect(deliverer.to(QUEUE)).toEqual([]);
    await run(1_000);
    await run(60_000);
    const calls = deliverer.to(QUEUE);
    expect(calls).toHaveLength(2);
    const e = JSON.parse(calls[0].msg.body);
    expect(e).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: new Date(Math.floor((start + 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      region: REGION,
      resources: [arn],
      detail: {},
    });
    expect(JSON.parse(calls[1].msg.body).id).not.toBe(e.id);
  });

  it('cron fires at whole minutes, UTC', async () => {
    scheduled('cron(* * * * ? *)');
    await run(60_000);
    const [c] = deliverer.to(QUEUE);
    // (advance() fires due timers at the moment it jumps to; the event carries the scheduled minute)
    expect(JSON.parse(c.msg.body).time).toMatch(/:00Z$/);
    expect(Date.parse(JSON.parse(c.msg.body).time)).toBeGreaterThan(c.at - 60_000);
  });

  it('stops when the rule is disabled, starts again when enabled, stops for good when deleted', async () => {
    scheduled('rate(1 minute)');
    call('DisableRule', { Name: 'tick' });
    await run(300_000);
    expect(deliverer.to(QUEUE)).toEqual([]);
    call('EnableRule', { Name: 'tick' });
    await run(60_000);
    expect(deliverer.to(QUEUE)).toHaveLength(1);
    call('RemoveTargets', { Rule: 'tick', Ids: ['q'] });
    call('DeleteRule', { Name: 'tick' });
    await run(300_000);
    expect(deliverer.to(QUEUE)).toHaveLength(1);
    expect(clock.stats().timers).toBe(0);
  });

  it('a disabled schedule rule does not fire; re-putting it changes the schedule', async () => {
    scheduled('rate(1 minute)', 'DISABLED');
    await run(120_000);
    expect(deliverer.to(QUEUE)).toEqual([]);
    call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(5 minutes)' });
    await run(240_000);
    expect(deliverer.to(QUEUE)).toEqual([]);
    await run(60_000);
    expect(deliverer.to(QUEUE)).toHaveLength(1);
  });
});
