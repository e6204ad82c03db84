/**
 * The SQS poller end to end, on a started cloud in compressed time: batches, windows, results,
 * partial batch responses, filters, FIFO order, disabling, throttling, problems and recursion.
 * Each test has its own function (which appends every event it gets to a file: a total order of what
 * ran), queue and mapping. Time moves only through `advance` (a waiter on the cloud's clock).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { functionHash } from '../../src/cloud/lambda/async/recursion';
import { createFunction, createQueue, eventually, uniq, useCloud, waitForState } from './esm-helpers';

const env = useCloud({ timeMode: 'compressed' });
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-sqs-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The consumer: each body may be JSON {fail, throw, sleepMs, answer}; every event is appended to $OUT. */
const CONSUMER = `
const fs = require('fs');
exports.handler = async (event) => {
  const recs = event.Records || [];
  const steps = recs.map((r) => { try { const v = JSON.parse(r.body); return v && typeof v === 'object' ? v : {}; } catch { return {}; } });
  fs.appendFileSync(process.env.OUT, JSON.stringify({ t: Date.now(), trace: process.env._X_AMZN_TRACE_ID, records: recs }) + '\\n');
  const sleep = Math.max(0, ...steps.map((s) => s.sleepMs || 0));
  if (sleep) await new Promise((r) => setTimeout(r, sleep));
  const answer = steps.find((s) => 'answer' in s);
  if (answer) return answer.answer;
  if (steps.some((s) => s.throw)) throw new Error('failed on purpose');
  return { batchItemFailures: recs.filter((_, i) => steps[i].fail).map((r) => ({ itemIdentifier: r.messageId })) };
};`;

interface Rec {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  [k: string]: unknown;
}
interface Run {
  t: number;
  trace: string;
  records: Rec[];
}

/** A consumer function writing to its own file. */
async function consumer(opts: { Timeout?: number } = {}) {
  const name = uniq('esm-consumer');
  const out = path.join(outDir, `${name}.jsonl`);
  fs.writeFileSync(out, '');
  const arn = await createFunction(env, name, CONSUMER, { ...opts, Environment: { OUT: out } });
  // A line the function is still writing has no newline yet: only whole lines count.
  const runs = (): Run[] =>
    fs
      .readFileSync(out, 'utf8')
      .split('\n')
      .slice(0, -1)
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Run);
  return { name, arn, out, runs, bodies: () => runs().flatMap((r) => r.records.map((x) => x.body)) };
}

async function mapping(input: Partial<CreateEventSourceMappingCommandInput>): Promise<string> {
  const out = await env.lambda.send(new CreateEventSourceMappingCommand(input as CreateEventSourceMappingCommandInput));
  await waitForState(env, out.UUID!, input.Enabled === false ? 'Disabled' : 'Enabled');
  return out.UUID!;
}

const send = (url: string, body: string, extra: Record<string, unknown> = {}) => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));

async function sendMany(url: string, bodies: string[], extra: (i: number) => Record<string, unknown> = () => ({})) {
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: chunk.map((b, j) => ({ Id: `m${i + j}`, MessageBody: b, ...extra(i + j) })) }));
  }
}

async function counts(url: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const a = (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible), delayed: Number(a.ApproximateNumberOfMessagesDelayed) };
}

const empty = (c: { visible: number; inFlight: number; delayed: number }) => c.visible + c.inFlight + c.delayed === 0;

/** Let `ms` of virtual time pass (compressed: idle gaps are jumped). */
const advance = (ms: number) => env.cloud.cloud.clock.advanceBy(ms);
const now = () => env.cloud.cloud.clock.now();

async function invocations(functionName: string): Promise<{ outcome: string; trigger: string; errorType: string | null }[]> {
  const res = await fetch(`${env.cloud.endpoint}/_testbed/invocations?functionName=${functionName}`);
  return ((await res.json()) as { invocations: { outcome: string; trigger: string; errorType: string | null }[] }).invocations;
}

describe('a standard queue', () => {
  it('delivers the exact event, deletes the batch on success, logs trigger sqs [doc][rec]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-ok'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    const sentAt = now();
    await send(q.url, 'Test message.', { MessageAttributes: { Title: { DataType: 'String', StringValue: 'The Whistler' } } });
    const [run] = await eventually(fn.runs, (r) => r.length === 1);
    const rec = run.records[0];
    expect(rec).toMatchObject({
      body: 'Test message.',
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'us-east-1',
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      messageAttributes: { Title: { stringValue: 'The Whistler', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    });
    expect(rec.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(rec.attributes.SentTimestamp)).toBeGreaterThanOrEqual(sentAt - 5);
    expect(typeof rec.md5OfMessageAttributes).toBe('string');
    await eventually(() => counts(q.url), empty);
    const log = await eventually(() => invocations(fn.name), (l) => l.length === 1 && l[0].outcome === 'success');
    expect(log[0].trigger).toBe('sqs');
  });

  it('returns a failed batch after the visibility timeout, and the redrive moves it to the DLQ [doc][rec]', async () => {
    const fn = await consumer({ Timeout: 3 });
    const dlq = await createQueue(env, uniq('esm-dlq'));
    const q = await createQueue(env, uniq('esm-fail'), { VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 1 });
    await send(q.url, JSON.stringify({ throw: true }));
    await eventually(fn.runs, (r) => r.length === 1);
    const t0 = now();
    expect((await counts(q.url)).inFlight).toBe(1); // nothing deleted
    await advance(10_000);
    const runs = await eventually(fn.runs, (r) => r.length === 2);
    expect(runs.map((r) => r.records[0].attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    // The visibility timeout counts from the receive (before the first run's cold start).
    expect(runs[1].t - Number(runs[0].records[0].attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(10_000);
    await advance(10_000);
    const moved = await eventually(
      () => env.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageSystemAttributeNames: ['All'] })),
      (r) => (r.Messages ?? []).length === 1,
    );
    expect(moved.Messages![0].Body).toBe(JSON.stringify({ throw: true }));
    expect(moved.Messages![0].Attributes!.DeadLetterQueueSourceArn).toBe(q.arn);
    expect(fn.runs()).toHaveLength(2);
    expect(now() - t0).toBeGreaterThanOrEqual(20_000);
    const m = (await env.lambda.send(new GetEventSourceMappingCommand({ UUID: (await listOne(fn.name)) }))).LastProcessingResult;
    expect(m).toBe('PROBLEM: Function call failed');
  });

  it('sends batches of BatchSize at once when no window is set', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-batch'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 10, Enabled: false });
    await sendMany(q.url, Array.from({ length: 25 }, (_, i) => `m${i}`));
    const uuid = await listOne(fn.name);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await eventually(fn.bodies, (b) => b.length === 25);
    expect(fn.runs().map((r) => r.records.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(new Set(fn.bodies()).size).toBe(25);
    await eventually(() => counts(q.url), empty);
  });
});

async function listOne(functionName: string): Promise<string> {
  const { ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda');
  const out = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName }));
  return out.EventSourceMappings![0].UUID!;
}

describe('batching windows (virtual time)', () => {
  it('a 5-minute window closes after 5 virtual minutes, in a fraction of the wall time [doc]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-window'), { VisibilityTimeout: '600' });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 100, MaximumBatchingWindowInSeconds: 300 });
    await send(q.url, 'first');
    const sentAt = now();
    const wall = Date.now();
    await advance(299_000);
    expect(fn.runs()).toHaveLength(0); // still gathering
    await send(q.url, 'second');
    await advance(2_000);
    const [run] = await eventually(fn.runs, (r) => r.length === 1);
    expect(run.records.map((r) => r.body)).toEqual(['first', 'second']);
    expect(run.t - sentAt).toBeGreaterThanOrEqual(300_000);
    expect(run.t - sentAt).toBeLessThan(303_000);
    expect(Date.now() - wall).toBeLessThan(15_000);
    expect(run.records[0].md5OfMessageAttributes).toBeNull(); // [rec] with a window
  });

  it('a full batch does not wait for its window', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-full'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 15, MaximumBatchingWindowInSeconds: 300, Enabled: false });
    await sendMany(q.url, Array.from({ length: 15 }, (_, i) => `b${i}`));
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    const t0 = now();
    const [run] = await eventually(fn.runs, (r) => r.length === 1);
    expect(run.records).toHaveLength(15);
    expect(run.t - t0).toBeLessThan(60_000);
  });

  it('closes a batch before its event would pass 6 MB [doc]', async () => {
    // 6 MB events take seconds to write out on a loaded machine: a timeout would send the batch
    // back for the queue's 300 s visibility timeout, past this test's wait.
    const fn = await consumer({ Timeout: 60 });
    const q = await createQueue(env, uniq('esm-6mb'), { VisibilityTimeout: '300' });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 100, MaximumBatchingWindowInSeconds: 1, Enabled: false });
    const big = (i: number) => `${i}`.padEnd(1_000_000, 'x');
    for (let i = 0; i < 10; i++) await send(q.url, big(i));
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    await advance(3_000);
    await eventually(fn.runs, (r) => r.flatMap((x) => x.records).length === 10);
    const sizes = fn.runs().map((r) => r.records.length);
    // Two batches, 6 then 4 messages; they may finish in either order.
    expect([...sizes].sort((a, b) => b - a)).toEqual([6, 4]);
    await eventually(() => counts(q.url), empty);
  });
});

describe('ReportBatchItemFailures', () => {
  it('keeps only the reported messages [doc][rec]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-partial'), { VisibilityTimeout: '10' });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, FunctionResponseTypes: ['ReportBatchItemFailures'], Enabled: false });
    await sendMany(q.url, ['ok-1', JSON.stringify({ fail: true, n: 2 }), 'ok-3']);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    await eventually(fn.runs, (r) => r.length === 1);
    await eventually(() => counts(q.url), (c) => c.inFlight === 1 && c.visible === 0);
    await advance(10_000);
    const runs = await eventually(fn.runs, (r) => r.length === 2);
    expect(runs[1].records.map((r) => r.body)).toEqual([JSON.stringify({ fail: true, n: 2 })]);
    expect(runs[1].records[0].attributes.ApproximateReceiveCount).toBe('2');
  });

  it('a list instead of the object fails the whole batch [rec]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-badanswer'), { VisibilityTimeout: '10' });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, FunctionResponseTypes: ['ReportBatchItemFailures'], Enabled: false });
    await sendMany(q.url, ['plain', JSON.stringify({ answer: [{ foo: 'notvalid' }] })]);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    await eventually(fn.runs, (r) => r.length === 1);
    await eventually(() => counts(q.url), (c) => c.inFlight === 2);
  });

  it('an empty object is a complete success [rec]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-emptyanswer'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await send(q.url, JSON.stringify({ answer: {} }));
    await eventually(fn.runs, (r) => r.length === 1);
    await eventually(() => counts(q.url), empty);
  });
});

describe('filters', () => {
  it('deletes what no filter matches without invoking, delivers the rest [doc][rec]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-filter'));
    await mapping({
      FunctionName: fn.name,
      EventSourceArn: q.arn,
      Enabled: false,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { testItem: ['test24'] } }) }, { Pattern: JSON.stringify({ body: ['plain-yes'] }) }] },
    });
    await sendMany(q.url, [JSON.stringify({ testItem: 'test24' }), JSON.stringify({ testItem: 'other' }), 'plain-yes', 'plain-no', JSON.stringify({ x: 'plain-yes' })]);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    await eventually(() => counts(q.url), empty);
    await eventually(fn.bodies, (b) => b.length === 2);
    expect(fn.bodies().sort()).toEqual([JSON.stringify({ testItem: 'test24' }), 'plain-yes'].sort());
  });
});

describe('FIFO', () => {
  it('keeps each group in order, one batch per group at a time, a failing group blocked while others flow [doc]', async () => {
    const fn = await consumer();
    const q = await createQueue(env, `${uniq('esm')}.fifo`, { VisibilityTimeout: '20' });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 1, Enabled: false });
    const bodies = ['a1', JSON.stringify({ g: 'a', n: 2, throw: true }), 'a3', 'b1', 'b2', 'b3'];
    await sendMany(q.url, bodies, (i) => ({ MessageGroupId: i < 3 ? 'A' : 'B', MessageDeduplicationId: `d${i}` }));
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    // B flows entirely while A is stuck behind its failed second message.
    await eventually(fn.bodies, (b) => ['b1', 'b2', 'b3'].every((x) => b.includes(x)) && b.filter((x) => x.includes('"throw"')).length === 1);
    expect(fn.bodies()).not.toContain('a3');
    await advance(20_000);
    await eventually(fn.bodies, (b) => b.filter((x) => x.includes('"throw"')).length === 2);
    expect(fn.bodies()).not.toContain('a3');
    const order = (g: string) => fn.runs().flatMap((r) => r.records.filter((x) => x.attributes.MessageGroupId === g).map((x) => x.body));
    expect(order('B')).toEqual(['b1', 'b2', 'b3']);
    expect(order('A')).toEqual(['a1', bodies[1], bodies[1]]);
    const attrs = fn.runs()[0].records[0].attributes;
    expect(Object.keys(attrs)).toEqual(expect.arrayContaining(['SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId']));
  });
});

describe('disable and enable', () => {
  it('a disabled mapping leaves messages in the queue; enabling delivers them', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-disable'));
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await waitForState(env, uuid, 'Disabled');
    await sendMany(q.url, ['x1', 'x2', 'x3']);
    await advance(60_000);
    expect(await counts(q.url)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    expect(fn.runs()).toHaveLength(0);
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await eventually(fn.bodies, (b) => b.length === 3);
    await eventually(() => counts(q.url), empty);
    // An idle poller never parks on the clock: nothing for compressed time to race toward.
    expect(env.cloud.cloud.clock.stats().waiters).toBe(0);
  });
});

describe('concurrency', () => {
  it('a consumer with reserved concurrency 2 drains a burst of 1,000 messages with none lost [doc]', async () => {
    const fn = await consumer();
    await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.name, ReservedConcurrentExecutions: 2 }));
    const q = await createQueue(env, uniq('esm-burst'), { VisibilityTimeout: '30' });
    const bodies = Array.from({ length: 1000 }, (_, i) => `burst-${i}`);
    await sendMany(q.url, bodies);
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 10 });
    for (let i = 0; i < 600; i++) {
      if (new Set(fn.bodies()).size === 1000 && empty(await counts(q.url))) break;
      await advance(1_000);
    }
    expect(new Set(fn.bodies()).size).toBe(1000);
    expect(await counts(q.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const envs = ((await (await fetch(`${env.cloud.endpoint}/_testbed/environments`)).json()) as { environments: { functionName: string }[] }).environments;
    expect(envs.filter((e) => e.functionName === fn.name).length).toBeLessThanOrEqual(2);
    // The mapping found the function's limit by being throttled, and backed off to it [doc].
    const mappings = env.cloud.cloud.lambda.mappings;
    const poller = mappings.pollerOf(mappings.store.all().find((m) => m.functionName === fn.name)!) as unknown as { scaler: { concurrency: number } };
    expect(poller.scaler.concurrency).toBeLessThanOrEqual(2);
  });

  it('ScalingConfig.MaximumConcurrency caps the batches in flight', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-maxconc'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn, BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 }, Enabled: false });
    await sendMany(q.url, Array.from({ length: 8 }, (_, i) => JSON.stringify({ sleepMs: 150, i })));
    await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: await listOne(fn.name), Enabled: true }));
    let most = 0;
    await eventually(
      async () => {
        const list = await invocations(fn.name);
        most = Math.max(most, list.filter((i) => i.outcome === 'running').length);
        return list.filter((i) => i.outcome === 'success').length;
      },
      (n) => n === 8,
    );
    expect(most).toBe(2);
  });
});

describe('problems', () => {
  it('a deleted function: PROBLEM, nothing received, nothing lost; delivered once it is back', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-nofn'));
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.name }));
    await send(q.url, 'waits');
    await eventually(() => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })), (m) => m.LastProcessingResult === 'PROBLEM: Function not found');
    expect(await counts(q.url)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    await createFunction(env, fn.name, CONSUMER, { Environment: { OUT: fn.out } });
    await advance(10_000);
    await eventually(fn.bodies, (b) => b.length === 1);
    await eventually(() => counts(q.url), empty);
    const m = await eventually(() => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })), (x) => x.LastProcessingResult === undefined);
    expect(m.State).toBe('Enabled');
  });

  it('a deleted queue: PROBLEM, the mapping stays Enabled', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-noq'));
    const uuid = await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    await env.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    const m = await eventually(() => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })), (x) => (x.LastProcessingResult ?? '').startsWith('PROBLEM'));
    expect(m.LastProcessingResult).toBe(
      'PROBLEM: Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.',
    );
    expect(m.State).toBe('Enabled');
  });
});

describe('recursion', () => {
  it("passes the message's trace header on, one more in its Lineage [doc]", async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-trace'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    const hash = functionHash(fn.arn);
    await send(q.url, 'traced', { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: `Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=${hash}:3` } } });
    const [run] = await eventually(fn.runs, (r) => r.length === 1);
    expect(run.trace).toContain('Root=1-5759e988-bd862e3fe1be46a994272793');
    expect(run.trace).toContain(`Lineage=${hash}:4`);
    expect(run.records[0].attributes.AWSTraceHeader).toContain(`${hash}:3`);
  });

  it('stops a looping chain: the message goes to the DLQ, the function is not invoked [doc]', async () => {
    const fn = await consumer();
    const dlq = await createQueue(env, uniq('esm-loop-dlq'));
    const q = await createQueue(env, uniq('esm-loop'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    const header = `Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=${functionHash(fn.arn)}:16`;
    await send(q.url, 'looping', { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: header } } });
    await eventually(() => counts(dlq.url), (c) => c.visible === 1);
    expect(await counts(q.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(fn.runs()).toHaveLength(0);
    const log = await invocations(fn.name);
    expect(log).toEqual([expect.objectContaining({ outcome: 'dropped', trigger: 'sqs', errorType: 'RecursiveInvocationException' })]);
  });
});

describe('reset', () => {
  it('forgets mappings and stops their pollers', async () => {
    const fn = await consumer();
    const q = await createQueue(env, uniq('esm-reset'));
    await mapping({ FunctionName: fn.name, EventSourceArn: q.arn });
    expect(env.cloud.cloud.lambda.mappings.store.all().length).toBeGreaterThan(0);
    const old = env.cloud.cloud.lambda.mappings;
    const res = await fetch(`${env.cloud.endpoint}/_testbed/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(old.store.all()).toHaveLength(0);
    expect(old.idle()).toBe(true);
    expect(env.cloud.cloud.lambda.mappings.store.all()).toHaveLength(0);
  });
});
