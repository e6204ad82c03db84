/**
 * The Kinesis poller end to end, on a started cloud in compressed time: the event, starting
 * positions, OnFailure records, resharding under a running mapping, a tumbling window cut short by a
 * reshard, filters, the stream or the function deleted under a mapping, throttling below the
 * parallelization factor, Disable/Enable, Update, and a poller that never parks on the clock.
 * Each test has its own function (which appends every event it gets to a file: a total order of what
 * ran), stream and mapping. Time moves only through `advance` (a waiter on the cloud's clock).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, DeleteStreamCommand, MergeShardsCommand, PutRecordCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT, createFunction, createQueue, eventually, REGION, ROLE, uniq, useCloud, waitForState } from './esm-helpers';

const env = useCloud({ timeMode: 'compressed' });
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-kinesis-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The consumer: each record's data may be JSON {fail, throw, sleepMs}; every event is appended to $OUT. */
const CONSUMER = `
const fs = require('fs');
exports.handler = async (event) => {
  const recs = event.Records || [];
  const data = recs.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
  const steps = data.map((d) => { try { const v = JSON.parse(d); return v && typeof v === 'object' ? v : {}; } catch { return {}; } });
  fs.appendFileSync(process.env.OUT, JSON.stringify({ t: Date.now(), event }) + '\\n');
  const sleep = Math.max(0, ...steps.map((s) => s.sleepMs || 0));
  if (sleep) await new Promise((r) => setTimeout(r, sleep));
  if (steps.some((s) => s.throw)) throw new Error('failed on purpose');
  const out = { batchItemFailures: recs.filter((_, i) => steps[i].fail).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
  if (event.window) out.state = { count: ((event.state && event.state.count) || 0) + recs.length };
  return out;
};`;

interface KRecord {
  kinesis: { kinesisSchemaVersion: string; partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number };
  eventID: string;
  [k: string]: unknown;
}
interface Run {
  t: number;
  event: { Records: KRecord[]; window?: { start: string; end: string }; state?: { count?: number }; shardId?: string; isFinalInvokeForWindow?: boolean; isWindowTerminatedEarly?: boolean };
}

const decode = (r: KRecord) => Buffer.from(r.kinesis.data, 'base64').toString('utf8');
const shardOf = (r: KRecord) => r.eventID.split(':')[0];

async function consumer() {
  const name = uniq('kin-consumer');
  const out = path.join(outDir, `${name}.jsonl`);
  fs.writeFileSync(out, '');
  const arn = await createFunction(env, name, CONSUMER, { Environment: { OUT: out } });
  // Only whole lines: the function may be writing one while the test reads.
  const runs = (): Run[] =>
    fs
      .readFileSync(out, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Run);
  const records = () => runs().flatMap((r) => r.event.Records);
  return { name, arn, out, runs, records, data: () => records().map(decode) };
}

async function stream(shards = 1): Promise<{ name: string; arn: string }> {
  const name = uniq('kin');
  await env.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return { name, arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}` };
}

const put = async (name: string, data: string, key = 'pk') => (await env.kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: Buffer.from(data) }))).SequenceNumber!;

async function mapping(input: Partial<CreateEventSourceMappingCommandInput>): Promise<string> {
  const out = await env.lambda.send(new CreateEventSourceMappingCommand({ StartingPosition: 'TRIM_HORIZON', ...input } as CreateEventSourceMappingCommandInput));
  await waitForState(env, out.UUID!, input.Enabled === false ? 'Disabled' : 'Enabled');
  return out.UUID!;
}

const getMapping = (uuid: string) => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
const advance = (ms: number) => env.cloud.cloud.clock.advanceBy(ms);
const now = () => env.cloud.cloud.clock.now();

/** Advance in steps until `cond` holds. */
async function advanceUntil(cond: () => boolean | Promise<boolean>, stepMs = 1_000, maxSteps = 600): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (await cond()) return;
    await advance(stepMs);
  }
  throw new Error('condition not met');
}

async function receiveAll(url: string) {
  const out = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, Record<string, unknown>>);
}

describe('the event', () => {
  it("is AWS's Kinesis event: one shard per batch, the function's role, epoch seconds; LastProcessingResult OK [doc]", async () => {
    const fn = await consumer();
    const s = await stream(2);
    const seqs: string[] = [];
    for (let i = 0; i < 6; i++) seqs.push(await put(s.name, JSON.stringify({ i }), `key-${i}`));
    const putAt = now();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 10 });
    await eventually(fn.records, (r) => r.length === 6);
    for (const run of fn.runs()) expect(new Set(run.event.Records.map(shardOf)).size).toBe(1);
    const rec = fn.records().find((r) => r.kinesis.sequenceNumber === seqs[0])!;
    expect(Object.keys(rec)).toEqual(['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion', 'eventSourceARN']);
    expect(rec).toMatchObject({ eventSource: 'aws:kinesis', eventVersion: '1.0', eventName: 'aws:kinesis:record', invokeIdentityArn: ROLE, awsRegion: REGION, eventSourceARN: s.arn });
    expect(rec.eventID).toBe(`${shardOf(rec)}:${seqs[0]}`);
    expect(Object.keys(rec.kinesis)).toEqual(['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp']);
    expect(rec.kinesis).toMatchObject({ kinesisSchemaVersion: '1.0', partitionKey: 'key-0', data: Buffer.from('{"i":0}').toString('base64') });
    expect(rec.kinesis.approximateArrivalTimestamp).toBeLessThanOrEqual(putAt / 1000);
    expect(rec.kinesis.approximateArrivalTimestamp).toBeGreaterThan(putAt / 1000 - 60);
    const m = await eventually(() => getMapping(uuid), (x) => x.LastProcessingResult === 'OK');
    expect(m.State).toBe('Enabled');
    // An idle poller never parks on the clock: nothing for compressed time to race toward.
    expect(env.cloud.cloud.clock.stats().waiters).toBe(0);
  });

  it('LATEST skips what is in the stream; AT_TIMESTAMP starts at the first record at or after it', async () => {
    const fn = await consumer();
    const latest = await stream();
    await put(latest.name, 'before');
    await mapping({ FunctionName: fn.name, EventSourceArn: latest.arn, StartingPosition: 'LATEST' });
    await put(latest.name, 'after');
    await eventually(fn.data, (d) => d.length === 1);
    expect(fn.data()).toEqual(['after']);

    const fn2 = await consumer();
    const ts = await stream();
    await put(ts.name, 'too early');
    await advance(2_000);
    const at = now();
    await put(ts.name, 'on time');
    await mapping({ FunctionName: fn2.name, EventSourceArn: ts.arn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(at - 500) });
    await eventually(fn2.data, (d) => d.length === 1);
    expect(fn2.data()).toEqual(['on time']);
  });

  it('filters on data and partitionKey: what no filter matches is skipped, never invoked [doc]', async () => {
    const fn = await consumer();
    const s = await stream();
    await mapping({
      FunctionName: fn.name,
      EventSourceArn: s.arn,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { type: ['buy'] } }) }, { Pattern: JSON.stringify({ partitionKey: [{ prefix: 'vip-' }] }) }] },
    });
    await put(s.name, JSON.stringify({ type: 'sell' }), 'a');
    await put(s.name, 'not json', 'b');
    await put(s.name, JSON.stringify({ type: 'buy' }), 'c');
    await put(s.name, 'vip text', 'vip-1');
    await eventually(fn.data, (d) => d.length === 2);
    await advance(5_000);
    expect(fn.data()).toEqual([JSON.stringify({ type: 'buy' }), 'vip text']);
  });
});

describe('failures', () => {
  it('after MaximumRetryAttempts the OnFailure queue gets the KinesisBatchInfo, as AWS records it [rec]', async () => {
    const fn = await consumer();
    const s = await stream();
    const dest = await createQueue(env, uniq('kin-onfailure'));
    const bad = await put(s.name, JSON.stringify({ throw: true }));
    await put(s.name, JSON.stringify({ n: 2 }));
    await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 1, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: dest.arn } } });
    await advanceUntil(() => fn.data().includes(JSON.stringify({ n: 2 })), 200);
    expect(fn.data()).toEqual([JSON.stringify({ throw: true }), JSON.stringify({ throw: true }), JSON.stringify({ n: 2 })]);
    const [body] = await eventually(() => receiveAll(dest.url), (m) => m.length === 1);
    expect(Object.keys(body)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(body.requestContext).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: fn.arn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(body.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(body.version).toBe('1.0');
    expect(body.KinesisBatchInfo).toEqual({
      shardId: 'shardId-000000000000',
      startSequenceNumber: bad,
      endSequenceNumber: bad,
      approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      approximateArrivalOfLastRecord: expect.stringMatching(/Z$/),
      batchSize: 1,
      streamArn: s.arn,
    });
  });

  it('MaximumRetryAttempts -1: retried until MaximumRecordAgeInSeconds, then RecordAgeExceeded without responseContext [doc][rec]', async () => {
    const fn = await consumer();
    const s = await stream();
    const dest = await createQueue(env, uniq('kin-age'));
    const bad = await put(s.name, JSON.stringify({ throw: true }));
    await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: dest.arn } } });
    const t0 = now();
    let bodies: Record<string, Record<string, unknown>>[] = [];
    await advanceUntil(async () => (bodies = [...bodies, ...(await receiveAll(dest.url))]).length > 0, 5_000);
    expect(now() - t0).toBeGreaterThanOrEqual(55_000);
    const invokes = fn.runs().length;
    expect(invokes).toBeGreaterThan(3);
    expect(Object.keys(bodies[0])).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(bodies[0].requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: invokes });
    expect(bodies[0].KinesisBatchInfo).toMatchObject({ startSequenceNumber: bad, batchSize: 1 });
    await put(s.name, 'fine');
    await eventually(fn.data, (d) => d.at(-1) === 'fine');
  });
});

describe('resharding under a running mapping', () => {
  it('split then merge: each parent is drained before its children start; children are read from their start [doc]', async () => {
    const fn = await consumer();
    const s = await stream();
    await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 2 });
    await put(s.name, JSON.stringify({ p: 1, sleepMs: 300 }), 'a');
    await put(s.name, JSON.stringify({ p: 2 }), 'b');
    await put(s.name, JSON.stringify({ p: 3 }), 'c');
    await env.kinesis.send(new SplitShardCommand({ StreamName: s.name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }));
    for (let i = 0; i < 8; i++) await put(s.name, JSON.stringify({ c: i }), `child-key-${i}`);
    await eventually(fn.records, (r) => r.length === 11);
    const shards = fn.records().map(shardOf);
    expect(shards.slice(0, 3)).toEqual(['shardId-000000000000', 'shardId-000000000000', 'shardId-000000000000']);
    expect(new Set(shards.slice(3))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    expect(fn.data().slice(3).map((d) => JSON.parse(d).c).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    await env.kinesis.send(new MergeShardsCommand({ StreamName: s.name, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    await put(s.name, 'merged', 'any');
    await eventually(fn.records, (r) => r.length === 12);
    expect(shardOf(fn.records()[11])).toBe('shardId-000000000003');
  });

  it('a tumbling window cut short by a reshard ends with isWindowTerminatedEarly; the children start their own [doc]', async () => {
    const fn = await consumer();
    const s = await stream();
    await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, TumblingWindowInSeconds: 900 });
    await put(s.name, 'in the parent');
    await eventually(fn.runs, (r) => r.length === 1);
    expect(fn.runs()[0].event.window!.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // [doc] no milliseconds
    await env.kinesis.send(new SplitShardCommand({ StreamName: s.name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }));
    const [, final] = await eventually(fn.runs, (r) => r.length === 2);
    expect(final.event).toMatchObject({ Records: [], shardId: 'shardId-000000000000', isFinalInvokeForWindow: true, isWindowTerminatedEarly: true, state: { count: 1 } });
    expect(final.t).toBeLessThan(Date.parse(final.event.window!.end));
    await put(s.name, 'in a child');
    const runs = await eventually(fn.runs, (r) => r.length === 3);
    expect(runs[2].event).toMatchObject({ state: {}, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false });
    expect(runs[2].event.shardId).not.toBe('shardId-000000000000');
  });
});

describe('things deleted under a running mapping', () => {
  it('the stream: PROBLEM, the mapping stays Enabled; a stream of that name made again is read from its start', async () => {
    const fn = await consumer();
    const s = await stream();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, StartingPosition: 'LATEST' });
    await env.kinesis.send(new DeleteStreamCommand({ StreamName: s.name }));
    const m = await eventually(() => getMapping(uuid), (x) => x.LastProcessingResult === `PROBLEM: Stream not found: ${s.arn}`);
    expect(m.State).toBe('Enabled');
    await advance(30_000);
    await env.kinesis.send(new CreateStreamCommand({ StreamName: s.name, ShardCount: 1 }));
    await put(s.name, 'new stream 1');
    await put(s.name, 'new stream 2');
    await advanceUntil(() => fn.data().length === 2);
    expect(fn.data()).toEqual(['new stream 1', 'new stream 2']);
    await eventually(() => getMapping(uuid), (x) => x.LastProcessingResult === 'OK');
  });

  it('the function: PROBLEM, the shard waits, no record lost; delivered in order once it is back', async () => {
    const fn = await consumer();
    const s = await stream();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 2 });
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.name }));
    for (let i = 1; i <= 3; i++) await put(s.name, `r${i}`);
    await eventually(() => getMapping(uuid), (x) => x.LastProcessingResult === 'PROBLEM: Function not found');
    await advance(120_000);
    expect(fn.runs()).toHaveLength(0);
    await createFunction(env, fn.name, CONSUMER, { Environment: { OUT: fn.out } });
    await advanceUntil(() => fn.data().length === 3);
    expect(fn.data()).toEqual(['r1', 'r2', 'r3']);
  });
});

describe('concurrency', () => {
  it('reserved concurrency 1 below ParallelizationFactor 4: nothing lost, each partition key in order [doc]', async () => {
    const fn = await consumer();
    await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.name, ReservedConcurrentExecutions: 1 }));
    const s = await stream();
    const records = [];
    for (let n = 1; n <= 5; n++) for (const k of ['a', 'b', 'c', 'd']) records.push({ PartitionKey: k, Data: Buffer.from(JSON.stringify({ k, n, sleepMs: 20 })) });
    await env.kinesis.send(new PutRecordsCommand({ StreamName: s.name, Records: records }));
    await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 2, ParallelizationFactor: 4, MaximumRetryAttempts: 0 });
    await advanceUntil(() => fn.data().length >= 20, 500);
    const got = fn.data().map((d) => JSON.parse(d) as { k: string; n: number });
    expect(got).toHaveLength(20);
    for (const k of ['a', 'b', 'c', 'd']) expect(got.filter((g) => g.k === k).map((g) => g.n)).toEqual([1, 2, 3, 4, 5]);
    const envs = ((await (await fetch(`${env.cloud.endpoint}/_testbed/environments`)).json()) as { environments: { functionName: string }[] }).environments;
    expect(envs.filter((e) => e.functionName === fn.name).length).toBeLessThanOrEqual(1);
  });
});

describe('the mapping changed while running', () => {
  it('Disable then Enable resumes where it stopped: nothing twice, nothing lost [doc]', async () => {
    const fn = await consumer();
    const s = await stream();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, StartingPosition: 'LATEST' });
    await put(s.name, 'r1');
    await put(s.name, 'r2');
    await eventually(fn.data, (d) => d.length === 2);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await waitForState(env, uuid, 'Disabled');
    await put(s.name, 'r3');
    await put(s.name, 'r4');
    await advance(60_000);
    expect(fn.data()).toEqual(['r1', 'r2']);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await eventually(fn.data, (d) => d.length === 4);
    await advance(10_000);
    expect(fn.data()).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('an Update of BatchSize applies to the next batches', async () => {
    const fn = await consumer();
    const s = await stream();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, BatchSize: 2 });
    const many = (from: number, n: number) =>
      env.kinesis.send(new PutRecordsCommand({ StreamName: s.name, Records: Array.from({ length: n }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.from(`r${from + i}`) })) }));
    await many(0, 4);
    await eventually(fn.data, (d) => d.length === 4);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 }));
    await waitForState(env, uuid, 'Enabled');
    await many(4, 10);
    await eventually(fn.data, (d) => d.length === 14);
    expect(fn.runs().map((r) => r.event.Records.length)).toEqual([2, 2, 5, 5]);
  });

  it('DeleteEventSourceMapping stops the poller: no timer of it fires, nothing is invoked after', async () => {
    const fn = await consumer();
    const s = await stream();
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: s.arn, MaximumBatchingWindowInSeconds: 300, BatchSize: 100 });
    await put(s.name, 'waits in a window');
    const mappings = env.cloud.cloud.lambda.mappings;
    const m = mappings.store.all().find((x) => x.uuid === uuid)!;
    const poller = mappings.pollerOf(m)!;
    await eventually(() => poller.idle(), (idle) => !idle); // the record is read, its window open
    const timersBefore = env.cloud.cloud.clock.stats().timers;
    await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await eventually(() => env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: fn.name })), (l) => (l.EventSourceMappings ?? []).length === 0);
    expect(mappings.pollerOf(m)).toBeUndefined();
    expect(env.cloud.cloud.clock.stats().timers).toBeLessThan(timersBefore); // its window timer is gone
    await put(s.name, 'after the delete');
    await advance(600_000);
    expect(fn.runs()).toHaveLength(0);
    expect(poller.idle()).toBe(true);
    expect(env.cloud.cloud.clock.stats().waiters).toBe(0);
  });
});
