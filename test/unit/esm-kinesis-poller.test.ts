/**
 * The Kinesis poller's decisions on one shard, driven directly (esm-kinesis-helpers.ts): starting
 * positions, batch size, the batching window and the 6 MB limit, retries and the OnFailure record,
 * record age, bisection, partial batch responses, filters, throttles, a missing function, updates,
 * and stopping (no timer left behind, nothing waiting on the clock).
 */
import { KINESIS_FAILED, KINESIS_FUNCTION_NOT_FOUND, KINESIS_OK } from '../../src/cloud/lambda/pollers/kinesis';
import { MAX_BATCH_PAYLOAD_BYTES } from '../../src/cloud/lambda/pollers/types';
import {
  advance,
  advanceUntil,
  createStream,
  DEST,
  failed,
  FN_ARN,
  filters,
  mapping,
  ok,
  put,
  ROLE,
  sent,
  settle,
  startPoller,
  throttle,
  useWorld,
  type Call,
} from './esm-kinesis-helpers';

const w = useWorld();

/** A JSON body; `fail` makes the scripted function throw for it, `report` list it in batchItemFailures. */
const body = (n: number, extra: Record<string, unknown> = {}) => JSON.stringify({ n, ...extra });
const ns = (c: Call) => c.data.map((d) => (JSON.parse(d) as { n: number }).n);
/** Fails a batch holding a record with `fail`, reports records with `report` (ReportBatchItemFailures). */
function scripted(call: Call) {
  const steps = call.data.map((d) => JSON.parse(d) as { fail?: boolean; report?: boolean });
  if (steps.some((s) => s.fail)) return failed();
  return ok({ batchItemFailures: call.seqs.filter((_, i) => steps[i].report).map((itemIdentifier) => ({ itemIdentifier })) });
}

describe('starting positions', () => {
  it('TRIM_HORIZON: every record in the stream, in shard order, as the Kinesis event', async () => {
    const { arn } = createStream(w, 'trim');
    const a = put(w, 'trim', 'k', body(1));
    put(w, 'trim', 'k', body(2));
    startPoller(w, mapping(w, arn));
    await settle();
    expect(w.calls.map(ns)).toEqual([[1, 2]]);
    const r = w.calls[0].event.Records[0];
    expect(r).toMatchObject({ eventSource: 'aws:kinesis', eventID: `${a.shardId}:${a.seq}`, invokeIdentityArn: ROLE, eventSourceARN: arn, awsRegion: 'us-east-1' });
    expect(r.kinesis.partitionKey).toBe('k');
  });

  it('LATEST: only what arrives after the mapping starts', async () => {
    const { arn } = createStream(w, 'latest');
    put(w, 'latest', 'k', body(1));
    startPoller(w, mapping(w, arn, { startingPosition: 'LATEST' }));
    await settle();
    expect(w.calls).toHaveLength(0);
    put(w, 'latest', 'k', body(2));
    await settle();
    expect(w.calls.map(ns)).toEqual([[2]]);
  });

  it('AT_TIMESTAMP: from the first record that arrived at or after it (whole or fractional seconds)', async () => {
    const { arn } = createStream(w, 'ts');
    put(w, 'ts', 'k', body(1));
    await advance(w, 5_000);
    const at = w.clock.now();
    put(w, 'ts', 'k', body(2));
    put(w, 'ts', 'k', body(3));
    startPoller(w, mapping(w, arn, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: (at - 1) / 1000 }));
    await settle();
    expect(w.calls.map(ns)).toEqual([[2, 3]]);
  });
});

describe('batches', () => {
  it('hold at most BatchSize records, one shard each, in order', async () => {
    const { arn } = createStream(w, 'size', 2);
    for (let i = 1; i <= 25; i++) put(w, 'size', `key-${i % 5}`, body(i));
    startPoller(w, mapping(w, arn, { batchSize: 4 }));
    await settle(20);
    expect(w.calls.every((c) => c.event.Records.length <= 4)).toBe(true);
    expect(w.calls.every((c) => c.event.Records.every((r) => r.eventID.startsWith(`${c.shardId}:`)))).toBe(true);
    expect(sent(w)).toHaveLength(25);
    for (const shard of new Set(w.calls.map((c) => c.shardId))) {
      const seqs = w.calls.filter((c) => c.shardId === shard).flatMap((c) => c.seqs.map(BigInt));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    }
  });

  it('wait out the batching window from their first record unless full [doc]', async () => {
    const { arn } = createStream(w, 'window');
    startPoller(w, mapping(w, arn, { batchSize: 3, maximumBatchingWindowInSeconds: 20 }));
    put(w, 'window', 'k', body(1));
    await settle();
    await advance(w, 10_000);
    put(w, 'window', 'k', body(2));
    await advance(w, 9_000);
    expect(w.calls).toHaveLength(0);
    await advance(w, 1_500);
    expect(w.calls.map(ns)).toEqual([[1, 2]]);
    for (const n of [3, 4, 5]) put(w, 'window', 'k', body(n));
    await settle();
    expect(w.calls.map(ns)).toEqual([[1, 2], [3, 4, 5]]); // full: at once
  });

  it('close before their event would pass 6 MB [doc]', async () => {
    const { arn } = createStream(w, 'big');
    for (let i = 0; i < 9; i++) put(w, 'big', 'k', Buffer.alloc(1_000_000, 65 + i));
    startPoller(w, mapping(w, arn, { batchSize: 100 }));
    await settle(20);
    expect(w.calls.map((c) => c.event.Records.length)).toEqual([4, 4, 1]);
    expect(Math.max(...w.calls.map((c) => c.bytes))).toBeLessThanOrEqual(MAX_BATCH_PAYLOAD_BYTES);
    expect(w.calls[0].bytes + 1_333_400).toBeGreaterThan(MAX_BATCH_PAYLOAD_BYTES); // a fifth would not fit
  });

  it('follow an update of BatchSize while running', async () => {
    const { arn } = createStream(w, 'update');
    const m = mapping(w, arn, { batchSize: 2 });
    startPoller(w, m);
    for (let i = 1; i <= 4; i++) put(w, 'update', 'k', body(i));
    await settle(10);
    m.batchSize = 5;
    for (let i = 5; i <= 14; i++) put(w, 'update', 'k', body(i));
    await settle(10);
    expect(w.calls.map(ns)).toEqual([[1, 2], [3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]);
  });
});

describe('function errors', () => {
  it('retry the batch while the shard waits; after MaximumRetryAttempts the OnFailure record goes out and the shard moves on [doc][rec]', async () => {
    const { arn } = createStream(w, 'retry');
    const bad = put(w, 'retry', 'k', body(1, { fail: true }));
    put(w, 'retry', 'k', body(2));
    w.behave = scripted;
    const m = mapping(w, arn, { batchSize: 1, maximumRetryAttempts: 2, onFailure: DEST });
    startPoller(w, m);
    await advanceUntil(w, () => w.calls.length === 4, 500);
    expect(w.calls.map(ns)).toEqual([[1], [1], [1], [2]]);
    expect(m.lastProcessingResult).toBe(KINESIS_OK);
    expect(w.failures).toHaveLength(1);
    const f = w.failures[0] as { requestContext: Record<string, unknown>; responseContext: Record<string, unknown>; KinesisBatchInfo: Record<string, unknown> };
    expect(f.requestContext).toEqual({ requestId: expect.any(String), functionArn: FN_ARN, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    expect(f.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(f.KinesisBatchInfo).toMatchObject({ shardId: bad.shardId, startSequenceNumber: bad.seq, endSequenceNumber: bad.seq, batchSize: 1, streamArn: arn });
  });

  it('back off between retries and report PROBLEM while failing', async () => {
    const { arn } = createStream(w, 'backoff');
    put(w, 'backoff', 'k', body(1, { fail: true }));
    w.behave = scripted;
    const m = mapping(w, arn, { maximumRetryAttempts: 10 });
    startPoller(w, m);
    await advanceUntil(w, () => w.calls.length >= 6, 100);
    const gaps = w.calls.slice(1).map((c, i) => c.at - w.calls[i].at);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
    expect(m.lastProcessingResult).toBe(KINESIS_FAILED);
  });

  it('MaximumRetryAttempts -1: retried until the records pass MaximumRecordAgeInSeconds, then RecordAgeExceeded [doc][rec]', async () => {
    const { arn } = createStream(w, 'forever');
    const bad = put(w, 'forever', 'k', body(1, { fail: true }));
    w.behave = scripted;
    startPoller(w, mapping(w, arn, { maximumRetryAttempts: -1, maximumRecordAgeInSeconds: 60, onFailure: DEST }));
    await advanceUntil(w, () => w.failures.length === 1, 5_000);
    const invokes = w.calls.length;
    expect(invokes).toBeGreaterThan(5);
    expect(w.calls.at(-1)!.at - w.calls[0].at).toBeLessThanOrEqual(60_000);
    const f = w.failures[0] as Record<string, Record<string, unknown>>;
    expect(Object.keys(f)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(f.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: invokes });
    expect(f.KinesisBatchInfo).toMatchObject({ startSequenceNumber: bad.seq, batchSize: 1 });
    put(w, 'forever', 'k', body(2));
    await settle();
    expect(w.calls.at(-1)!.data).toEqual([body(2)]);
  });

  it('without a maximum age: retried until the records leave the stream (its retention), then RecordAgeExceeded', async () => {
    const { arn } = createStream(w, 'retention');
    put(w, 'retention', 'k', body(1, { fail: true }));
    w.behave = scripted;
    startPoller(w, mapping(w, arn, { onFailure: DEST }));
    await advance(w, 1_000);
    await advance(w, 23 * 3_600_000);
    expect(w.failures).toHaveLength(0);
    await advanceUntil(w, () => w.failures.length === 1, 600_000);
    expect((w.failures[0] as { requestContext: { condition: string } }).requestContext.condition).toBe('RecordAgeExceeded');
  });

  it('bisect a failing batch until the bad record is alone; splits are not retries [doc]', async () => {
    const { arn } = createStream(w, 'bisect');
    for (let i = 1; i <= 4; i++) put(w, 'bisect', 'k', body(i, { fail: i === 3 }));
    w.behave = scripted;
    const m = mapping(w, arn, { batchSize: 4, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailure: DEST });
    startPoller(w, m);
    await advanceUntil(w, () => w.calls.length >= 5, 200);
    expect(w.calls.map(ns)).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    expect(w.failures.map((f) => (f as { KinesisBatchInfo: { batchSize: number } }).KinesisBatchInfo.batchSize)).toEqual([1]);
  });
});

describe('ReportBatchItemFailures', () => {
  it('checkpoints before the lowest reported record and retries from it [doc]', async () => {
    const { arn } = createStream(w, 'partial');
    for (let i = 1; i <= 4; i++) put(w, 'partial', 'k', body(i, { report: i === 3 || i === 4 }));
    let n = 0;
    w.behave = (c) => (n++ === 0 ? scripted(c) : ok());
    startPoller(w, mapping(w, arn, { batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] }));
    await advanceUntil(w, () => w.calls.length === 2, 200);
    expect(w.calls.map(ns)).toEqual([
      [1, 2, 3, 4],
      [3, 4],
    ]);
  });

  it('counts the retries of the rest: MaximumRetryAttempts 3 gives approximateInvokeCount 4, functionError null [rec]', async () => {
    const { arn } = createStream(w, 'partial-rec');
    for (let i = 0; i < 3; i++) put(w, 'partial-rec', 'k', body(i, { report: i === 2 }));
    w.behave = scripted;
    startPoller(w, mapping(w, arn, { batchSize: 3, maximumRetryAttempts: 3, functionResponseTypes: ['ReportBatchItemFailures'], onFailure: DEST }));
    await advanceUntil(w, () => w.failures.length === 1, 200);
    expect(w.calls.map(ns)).toEqual([[0, 1, 2], [2], [2], [2]]);
    const f = w.failures[0] as { requestContext: Record<string, unknown>; responseContext: Record<string, unknown>; KinesisBatchInfo: Record<string, unknown> };
    expect(f.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 });
    expect(f.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null });
    expect(f.KinesisBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: w.calls[1].seqs[0] });
  });

  it('an identifier not in the batch, an empty one, or a wrong key fails the whole batch (batch-response.ts)', async () => {
    const { arn } = createStream(w, 'unknown');
    put(w, 'unknown', 'k', body(1));
    put(w, 'unknown', 'k', body(2));
    const answers = [{ batchItemFailures: [{ itemIdentifier: '1' }] }, { batchItemFailures: [{ itemIdentifier: '' }] }, { batchItemFailures: [{ foo: 'x' }] }, { batchItemFailures: [] }];
    let i = 0;
    w.behave = () => ok(answers[i++]);
    startPoller(w, mapping(w, arn, { functionResponseTypes: ['ReportBatchItemFailures'] }));
    await advanceUntil(w, () => w.calls.length === 4, 200);
    expect(w.calls.map(ns)).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    await advance(w, 20_000);
    expect(w.calls).toHaveLength(4); // the empty list was a complete success
  });

  it('with bisect on: the batch splits at the returned sequence number, the rest is not halved [doc]', async () => {
    const { arn } = createStream(w, 'partial-bisect');
    for (let i = 1; i <= 6; i++) put(w, 'partial-bisect', 'k', body(i, { report: i === 2 }));
    let n = 0;
    w.behave = (c) => (n++ === 0 ? scripted(c) : ok());
    startPoller(w, mapping(w, arn, { batchSize: 6, bisectBatchOnFunctionError: true, functionResponseTypes: ['ReportBatchItemFailures'] }));
    await advanceUntil(w, () => w.calls.length === 2, 200);
    expect(w.calls.map(ns)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [2, 3, 4, 5, 6],
    ]);
  });
});

describe('record age', () => {
  it('records older than MaximumRecordAgeInSeconds go to OnFailure without an invoke; the rest are sent [doc][rec]', async () => {
    const { arn } = createStream(w, 'age');
    const old = put(w, 'age', 'k', 'stream-data');
    await advance(w, 61_000);
    for (let i = 1; i <= 5; i++) put(w, 'age', 'k', `stream-data-${i}`);
    const m = mapping(w, arn, { batchSize: 10, maximumRetryAttempts: 0, maximumRecordAgeInSeconds: 60, onFailure: DEST });
    startPoller(w, m);
    await settle();
    expect(w.calls.map((c) => c.data)).toEqual([[1, 2, 3, 4, 5].map((i) => `stream-data-${i}`)]);
    expect(w.failures).toHaveLength(1);
    const f = w.failures[0] as Record<string, Record<string, unknown>>;
    expect(f.requestContext).toEqual({ requestId: expect.any(String), functionArn: FN_ARN, condition: 'RecordAgeExceeded', approximateInvokeCount: 1 });
    expect(f.responseContext).toBeUndefined();
    expect(f.KinesisBatchInfo).toMatchObject({ startSequenceNumber: old.seq, endSequenceNumber: old.seq, batchSize: 1 });
  });

  it('expired records are reported in batches of at most BatchSize', async () => {
    const { arn } = createStream(w, 'age-batches');
    for (let i = 0; i < 5; i++) put(w, 'age-batches', 'k', body(i));
    await advance(w, 120_000);
    startPoller(w, mapping(w, arn, { batchSize: 2, maximumRecordAgeInSeconds: 60, onFailure: DEST }));
    await settle();
    expect(w.calls).toHaveLength(0);
    expect(w.failures.map((f) => (f as { KinesisBatchInfo: { batchSize: number } }).KinesisBatchInfo.batchSize)).toEqual([2, 2, 1]);
  });
});

describe('filters', () => {
  it('skip what no filter matches (never invoked) and deliver the rest in order: data JSON, partitionKey [doc]', async () => {
    const { arn } = createStream(w, 'filters');
    put(w, 'filters', 'tenant-a', JSON.stringify({ type: 'buy', n: 1 }));
    put(w, 'filters', 'tenant-a', JSON.stringify({ type: 'sell', n: 2 }));
    put(w, 'filters', 'tenant-b', 'plain text, not JSON');
    put(w, 'filters', 'vip-1', 'plain text from a VIP');
    put(w, 'filters', 'tenant-a', JSON.stringify({ type: 'buy', n: 5 }));
    startPoller(w, mapping(w, arn, { filters: filters({ data: { type: ['buy'] } }, { partitionKey: [{ prefix: 'vip-' }] }) }));
    await settle();
    expect(sent(w)).toEqual([JSON.stringify({ type: 'buy', n: 1 }), 'plain text from a VIP', JSON.stringify({ type: 'buy', n: 5 })]);
  });

  it('apply while the function is missing too (records read meanwhile are filtered all the same)', async () => {
    const { arn } = createStream(w, 'filters-nofn');
    w.fnPresent = false;
    startPoller(w, mapping(w, arn, { filters: filters({ data: { keep: [true] } }) }));
    put(w, 'filters-nofn', 'k', JSON.stringify({ keep: false }));
    put(w, 'filters-nofn', 'k', JSON.stringify({ keep: true }));
    await settle();
    w.fnPresent = true;
    await advanceUntil(w, () => w.calls.length > 0);
    await advance(w, 60_000);
    expect(sent(w)).toEqual([JSON.stringify({ keep: true })]);
  });

  it('a batch of only filtered-out records invokes nothing, and the shard moves past them', async () => {
    const { arn } = createStream(w, 'filtered-all');
    const m = mapping(w, arn, { filters: filters({ data: { keep: [true] } }) });
    startPoller(w, m);
    for (let i = 0; i < 5; i++) put(w, 'filtered-all', 'k', body(i));
    await settle();
    expect(w.calls).toHaveLength(0);
    put(w, 'filtered-all', 'k', JSON.stringify({ keep: true }));
    await settle();
    expect(sent(w)).toEqual([JSON.stringify({ keep: true })]);
    expect(m.lastProcessingResult).toBe(KINESIS_OK);
  });
});

describe('before the function is reached', () => {
  it('throttles are retried without counting as retries; nothing lost, order kept [doc]', async () => {
    const { arn } = createStream(w, 'throttled');
    for (let i = 1; i <= 3; i++) put(w, 'throttled', 'k', body(i));
    let throttles = 4;
    w.behave = (c) => {
      if (throttles-- > 0) throw throttle();
      return ok();
    };
    startPoller(w, mapping(w, arn, { batchSize: 1, maximumRetryAttempts: 0, onFailure: DEST }));
    await advanceUntil(w, () => sent(w).length === 7, 500);
    expect(w.calls.map(ns).flat()).toEqual([1, 1, 1, 1, 1, 2, 3]);
    expect(w.failures).toHaveLength(0);
  });

  it('a deleted function: PROBLEM, the shard waits, nothing lost; delivered in order once it is back', async () => {
    const { arn } = createStream(w, 'nofn');
    w.fnPresent = false;
    const m = mapping(w, arn, { batchSize: 2 });
    startPoller(w, m);
    for (let i = 1; i <= 3; i++) put(w, 'nofn', 'k', body(i));
    await settle();
    expect(m.lastProcessingResult).toBe(KINESIS_FUNCTION_NOT_FOUND);
    await advance(w, 3_600_000);
    expect(w.calls).toHaveLength(0);
    w.fnPresent = true;
    await advanceUntil(w, () => sent(w).length === 3);
    expect(w.calls.map(ns)).toEqual([[1, 2], [3]]);
    expect(m.lastProcessingResult).toBe(KINESIS_OK);
  });

  it('a function not Active yet: the shard waits without a problem', async () => {
    const { arn } = createStream(w, 'pending');
    w.fnState = 'Pending';
    const m = mapping(w, arn);
    startPoller(w, m);
    put(w, 'pending', 'k', body(1));
    await advance(w, 30_000);
    expect(w.calls).toHaveLength(0);
    expect(m.lastProcessingResult).toBe('No records processed');
    w.fnState = 'Active';
    await advanceUntil(w, () => w.calls.length === 1);
  });

  it('a service error is retried without counting', async () => {
    const { arn } = createStream(w, 'service');
    put(w, 'service', 'k', body(1));
    let n = 0;
    w.behave = () => {
      if (n++ < 3) throw new Error('boom');
      return ok();
    };
    startPoller(w, mapping(w, arn, { maximumRetryAttempts: 0, onFailure: DEST }));
    await advanceUntil(w, () => w.calls.length === 4, 500);
    expect(w.failures).toHaveLength(0);
  });
});

describe('stopping', () => {
  it('an idle poller holds no timer and never waits on the clock', async () => {
    const { arn } = createStream(w, 'idle');
    const p = startPoller(w, mapping(w, arn));
    put(w, 'idle', 'k', body(1));
    await settle();
    expect(w.calls).toHaveLength(1);
    expect(p.idle()).toBe(true);
    expect(w.clock.stats()).toEqual({ timers: 0, waiters: 0, busy: 0 });
  });

  it('stop() cancels every timer (window, retry, tumbling window, problem) and nothing runs after it', async () => {
    const { arn } = createStream(w, 'stop', 3);
    w.behave = (c) => (c.data.some((d) => d.includes('fail')) ? failed() : ok({ state: {} }));
    const windowed = startPoller(w, mapping(w, arn, { maximumBatchingWindowInSeconds: 100 }));
    const failing = startPoller(w, mapping(w, arn, { filters: filters({ data: { fail: [true] } }) }));
    const tumbling = startPoller(w, mapping(w, arn, { tumblingWindowInSeconds: 900, filters: filters({ data: { w: [true] } }) }));
    const gone = startPoller(w, mapping(w, `${arn}-missing`));
    put(w, 'stop', 'a', JSON.stringify({ fail: true }));
    put(w, 'stop', 'b', JSON.stringify({ w: true }));
    await settle();
    expect(w.clock.stats().timers).toBeGreaterThanOrEqual(4);
    const before = w.calls.length;
    for (const p of [windowed, failing, tumbling, gone]) p.stop();
    expect(w.clock.stats()).toEqual({ timers: 0, waiters: 0, busy: 0 });
    put(w, 'stop', 'c', body(3));
    await advance(w, 3_600_000);
    expect(w.calls).toHaveLength(before);
    expect([windowed, failing, tumbling, gone].every((p) => p.idle())).toBe(true);
  });

  it('a batch with the function when stopped still counts; no timer is set after it', async () => {
    const { arn } = createStream(w, 'inflight');
    let finish!: () => void;
    w.behave = () => new Promise((r) => (finish = () => r(failed())));
    const p = startPoller(w, mapping(w, arn, { maximumRetryAttempts: 0, onFailure: DEST }));
    put(w, 'inflight', 'k', body(1));
    await settle();
    expect(p.idle()).toBe(false);
    p.stop();
    finish();
    await settle();
    expect(w.failures).toHaveLength(1); // its result counted
    expect(w.clock.stats()).toEqual({ timers: 0, waiters: 0, busy: 0 });
    expect(p.idle()).toBe(true);
  });
});
