/**
 * The SQS poller's decisions, driven directly: a real queue model and clock (moved by hand), and a
 * fake Lambda host whose `run` the test controls. Batch closing (size, window, 6 MB), throttles
 * within the visibility timeout, failures, concurrency limits, filters and stopping.
 */
import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { InvocationLog, type RunRequest } from '../../src/cloud/lambda/invocations';
import type { FunctionVersion, LambdaFunction } from '../../src/cloud/lambda/model';
import { applySettings, newMapping } from '../../src/cloud/lambda/pollers/mapping';
import { SqsPoller } from '../../src/cloud/lambda/pollers/sqs';
import type { EventSourceMapping, MappingHost, MappingSettings } from '../../src/cloud/lambda/pollers/types';
import { compileFilters } from '../../src/cloud/lambda/pollers/validate';
import type { InvokeResult } from '../../src/cloud/lambda/runtime/types';
import { md5OfBody } from '../../src/cloud/services/sqs/md5';
import { SqsStore } from '../../src/cloud/services/sqs/store';
import type { QueueRecord } from '../../src/cloud/services/sqs/types';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

let clock: Clock;
let store: SqsStore;
let calls: { req: RunRequest; records: { messageId: string; body: string }[] }[];
/** What `run` does for each call (default: succeed with `{}`). */
let behave: (req: RunRequest) => Promise<InvokeResult> | InvokeResult;
let pollers: SqsPoller[];

const ok = (payload = '{}'): InvokeResult => ({ requestId: 'r', payload: Buffer.from(payload), log: '', environmentId: 'e', coldStart: false, durationMs: 1, start: 0, end: 0 });
const failed = (): InvokeResult => ({ ...ok('{"errorMessage":"x"}'), functionError: 'Unhandled' });
const throttle = () => new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429);

function host(): MappingHost {
  const fn = { name: 'f', arn: FN_ARN, accountId: '000000000000', region: 'us-east-1' } as LambdaFunction;
  const version = { version: '$LATEST', state: 'Active', config: { timeout: 3 } } as FunctionVersion;
  return {
    clock,
    invocations: new InvocationLog(),
    sqs: store,
    functions: new Map([['000000000000/us-east-1/f', fn]]),
    async: { recursiveLoop: () => 'Terminate' },
    key: (ctx, name) => `${ctx.accountId}/${ctx.region}/${name}`,
    functionByArn: (_ctx, arn) => (arn === FN_ARN ? fn : undefined),
    resolveVersion: () => ({ version }),
    run: async (_fn, _v, req) => {
      calls.push({ req, records: JSON.parse(req.payload.toString()).Records });
      return behave(req);
    },
  };
}

function queue(name: string, attrs: Record<string, string> = {}): QueueRecord {
  const a = { accountId: '000000000000', region: 'us-east-1', name };
  return store.add({
    ...a,
    arn: store.arnOf(a),
    fifo: name.endsWith('.fifo'),
    attributes: { VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600', ReceiveMessageWaitTimeSeconds: '0', MaximumMessageSize: '1048576', ...attrs },
    tags: {},
    createdMs: clock.now(),
    lastModifiedMs: clock.now(),
  });
}

function send(q: QueueRecord, body: string): void {
  q.messages.send({ body, md5OfBody: md5OfBody(body), messageAttributes: {}, messageSystemAttributes: {}, senderId: 'AKID' });
}

function poller(q: QueueRecord, settings: MappingSettings = {}): { p: SqsPoller; m: EventSourceMapping } {
  const m = newMapping({ uuid: 'u', accountId: '000000000000', region: 'us-east-1', kind: 'sqs', eventSourceArn: q.arn, functionArn: FN_ARN, functionName: 'f', now: clock.now(), tags: {} });
  if (settings.filters) compileFilters(settings.filters);
  applySettings(m, settings);
  m.state = 'Enabled';
  const p = new SqsPoller({ host: host(), cap: () => 16 }, m);
  pollers.push(p);
  p.start();
  return { p, m };
}

/** Let promise chains and queued microtasks settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

const counts = (q: QueueRecord) => q.messages.counts();

beforeEach(() => {
  clock = new Clock('real');
  store = new SqsStore(clock);
  calls = [];
  behave = () => ok();
  pollers = [];
});

afterEach(() => {
  for (const p of pollers) p.stop();
  store.clear();
  clock.clear();
});

describe('closing a batch', () => {
  it('without a window: at once, with what is there', async () => {
    const q = queue('p-nowindow');
    for (const b of ['a', 'b', 'c']) send(q, b);
    poller(q);
    await settle();
    expect(calls.map((c) => c.records.map((r) => r.body))).toEqual([['a', 'b', 'c']]);
    expect(calls[0].req.trigger).toBe('sqs');
    expect(counts(q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('with a window: when the window ends, counted from the first message', async () => {
    const q = queue('p-window');
    poller(q, { batchSize: 50, maximumBatchingWindowInSeconds: 20 });
    send(q, 'first');
    await settle();
    clock.advance(10_000);
    send(q, 'second');
    await settle();
    clock.advance(9_900); // (real time passes too: leave a margin)
    await settle();
    expect(calls).toHaveLength(0);
    clock.advance(100);
    await settle();
    expect(calls.map((c) => c.records.map((r) => r.body))).toEqual([['first', 'second']]);
  });

  it('with a window: as soon as BatchSize messages are there', async () => {
    const q = queue('p-size');
    poller(q, { batchSize: 12, maximumBatchingWindowInSeconds: 300 });
    for (let i = 0; i < 25; i++) send(q, `m${i}`);
    await settle();
    expect(calls.map((c) => c.records.length)).toEqual([12, 12]);
    clock.advance(300_000);
    await settle();
    expect(calls.map((c) => c.records.length)).toEqual([12, 12, 1]);
  });

  it('before the event would pass 6 MB: the message that does not fit opens the next batch', async () => {
    const q = queue('p-6mb');
    poller(q, { batchSize: 100, maximumBatchingWindowInSeconds: 5 });
    for (let i = 0; i < 7; i++) send(q, `${i}`.padEnd(1_000_000, 'x'));
    await settle();
    expect(calls.map((c) => c.records.length)).toEqual([6]);
    expect(calls[0].req.payload.length).toBeLessThanOrEqual(6_291_456);
    clock.advance(5_000);
    await settle();
    expect(calls.map((c) => c.records.map((r) => r.body[0]))).toEqual([['0', '1', '2', '3', '4', '5'], ['6']]);
  });

  it('takes messages that become visible later (a delay) without polling', async () => {
    const q = queue('p-delay', { DelaySeconds: '60' });
    poller(q);
    send(q, 'later');
    await settle();
    expect(calls).toHaveLength(0);
    clock.advance(60_000);
    await settle();
    expect(calls).toHaveLength(1);
  });
});

describe('results', () => {
  it('a function error deletes nothing; the messages come back after the visibility timeout', async () => {
    const q = queue('p-error', { VisibilityTimeout: '30' });
    behave = () => failed();
    const { p, m } = poller(q);
    send(q, 'x');
    await settle();
    expect(counts(q).inFlight).toBe(1);
    expect(m.lastProcessingResult).toBe('PROBLEM: Function call failed');
    expect(p.scaler.concurrency).toBe(4);
    behave = () => ok();
    clock.advance(30_000);
    await settle();
    expect(calls).toHaveLength(2);
    expect(counts(q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(m.lastProcessingResult).toBeUndefined();
  });

  it('ReportBatchItemFailures keeps the reported ones, and does not scale down on errors', async () => {
    const q = queue('p-partial');
    behave = (req) => {
      const ids = JSON.parse(req.payload.toString()).Records.map((r: { messageId: string }) => r.messageId);
      return ok(JSON.stringify({ batchItemFailures: [{ itemIdentifier: ids[1] }] }));
    };
    const { p } = poller(q, { functionResponseTypes: ['ReportBatchItemFailures'] });
    for (const b of ['a', 'b', 'c']) send(q, b);
    await settle();
    expect(counts(q)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    behave = () => failed();
    clock.advance(30_000);
    await settle();
    expect(p.scaler.concurrency).toBe(5);
  });

  it('without ReportBatchItemFailures an answer naming failures still deletes everything', async () => {
    const q = queue('p-noreport');
    behave = () => ok('{"batchItemFailures":[{"itemIdentifier":"x"}]}');
    poller(q);
    send(q, 'a');
    await settle();
    expect(counts(q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('throttles', () => {
  it('retries a throttled batch after a back-off, and backs the concurrency off', async () => {
    const q = queue('p-throttle');
    let n = 0;
    behave = () => {
      if (n++ === 0) throw throttle();
      return ok();
    };
    const { p } = poller(q);
    send(q, 'a');
    await settle();
    expect(calls).toHaveLength(1);
    expect(p.scaler.concurrency).toBe(1); // nothing else was running
    clock.advance(900);
    await settle();
    expect(calls).toHaveLength(1);
    clock.advance(100);
    await settle();
    expect(calls).toHaveLength(2);
    expect(counts(q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('gives up when the next try would come after the visibility timeout: the messages come back [doc]', async () => {
    const q = queue('p-throttle-vt', { VisibilityTimeout: '4' });
    behave = () => {
      throw throttle();
    };
    poller(q);
    send(q, 'a');
    await settle();
    clock.advance(1_000); // second try at 1 s; the third would be at 3 s, the fourth at 7 s > 4 s
    await settle();
    clock.advance(2_000);
    await settle();
    expect(calls).toHaveLength(3);
    expect(counts(q).inFlight).toBe(1);
    clock.advance(1_000); // visible again: received again, receive count 2
    await settle();
    expect(calls).toHaveLength(4);
    expect(calls[3].records[0]).toMatchObject({ attributes: { ApproximateReceiveCount: '2' } });
  });
});

describe('concurrency', () => {
  it('runs at most MaximumConcurrency batches at once, and the next when one ends', async () => {
    const q = queue('p-conc');
    const pending: (() => void)[] = [];
    behave = () => new Promise((resolve) => pending.push(() => resolve(ok())));
    const { p } = poller(q, { batchSize: 1, scalingConfig: { maximumConcurrency: 2 } });
    for (let i = 0; i < 5; i++) send(q, `m${i}`);
    await settle();
    expect(calls).toHaveLength(2);
    expect(p.inFlight).toBe(2);
    pending.shift()!();
    await settle();
    expect(calls).toHaveLength(3);
    while (pending.length) {
      pending.shift()!();
      await settle();
    }
    expect(calls).toHaveLength(5);
    expect(p.idle()).toBe(true);
  });

  it('starts at 5 concurrent batches', async () => {
    const q = queue('p-five');
    const pending: (() => void)[] = [];
    behave = () => new Promise((resolve) => pending.push(() => resolve(ok())));
    poller(q, { batchSize: 1 });
    for (let i = 0; i < 9; i++) send(q, `m${i}`);
    await settle();
    expect(calls).toHaveLength(5);
    for (const r of pending.splice(0)) r();
    await settle();
    for (const r of pending.splice(0)) r();
    await settle();
    expect(calls).toHaveLength(9);
  });
});

describe('filters and stopping', () => {
  it('deletes what no filter matches without invoking', async () => {
    const q = queue('p-filter');
    poller(q, { filters: { patterns: [JSON.stringify({ body: { keep: [true] } })], compiled: [] } });
    send(q, '{"keep": true}');
    send(q, '{"keep": false}');
    send(q, 'plain');
    await settle();
    expect(calls.map((c) => c.records.map((r) => r.body))).toEqual([['{"keep": true}']]);
    expect(counts(q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('stop gives a gathering batch back to the queue at once, and takes nothing more', async () => {
    const q = queue('p-stop');
    const { p } = poller(q, { batchSize: 50, maximumBatchingWindowInSeconds: 60 });
    send(q, 'a');
    await settle();
    expect(counts(q).inFlight).toBe(1);
    p.stop();
    expect(counts(q)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    send(q, 'b');
    clock.advance(60_000);
    await settle();
    expect(calls).toHaveLength(0);
    expect(counts(q).visible).toBe(2);
  });
});
