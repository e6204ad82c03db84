/**
 * The reliability property of the poll-based model (issue 7): functions that fail at random (throw,
 * time out, crash, report partial failures) under an SQS mapping and a Kinesis mapping, and at the
 * end every message and record accounted for:
 *   - SQS: each message exactly once either deleted after a processing that succeeded for it, or in
 *     the queue's DLQ after its last processing failed, or still in the queue (none here: the run
 *     waits until the queue is empty);
 *   - Kinesis: each record either processed successfully, in its partition key's order, or inside
 *     exactly one failed batch reported to the OnFailure destination.
 * Used by test/cloud/reliability.test.ts (small) and `npm run bench -- --only reliability` (10,000).
 * It speaks AWS APIs only, plus POST /_testbed/clock/advance to let the embedded cloud's time pass.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetEventSourceMappingCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { HANDLER, buildFunction } from './build';
import type { Clients } from './clients';

export interface ReliabilityOptions {
  endpoint: string;
  clients: Clients;
  messages: number;
  records: number;
  /** Probability that an invocation fails (CHAOS of the batch function). */
  chaos: number;
  /** A prefix for the resources, unique per run. */
  prefix: string;
  /** The queue's redrive policy: receives before a message goes to the DLQ (default 3). */
  maxReceiveCount?: number;
  log?: (line: string) => void;
}

export interface ReliabilityReport {
  sqs: { sent: number; deleted: number; inDlq: number; inQueue: number; invocations: number; violations: string[] };
  kinesis: { put: number; processed: number; toDestination: number; invocations: number; violations: string[] };
  wallMs: number;
}

interface BatchLine {
  ids: string[];
  bodies: string[];
  /** Kinesis: each record's shard. */
  shards?: (string | null)[];
  mode: string;
  failed: string[];
  order: number;
}

const ROLE = 'arn:aws:iam::000000000000:role/reliability';

async function advance(endpoint: string, ms: number): Promise<void> {
  const res = await fetch(`${endpoint}/_testbed/clock/advance`, { method: 'POST', body: JSON.stringify({ ms }) });
  if (!res.ok) throw new Error(`clock advance answered ${res.status}`);
}

async function batchLines(c: Clients, functionName: string): Promise<BatchLine[]> {
  const out: BatchLine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await c.logs
      .send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: '"BATCH"', nextToken }))
      .catch((e: Error) => {
        if (e.name === 'ResourceNotFoundException') return { events: [], nextToken: undefined }; // the function has not run yet
        throw e;
      });
    for (const e of page.events ?? []) {
      const m = /BATCH (\{.*\})\s*$/.exec(e.message ?? '');
      if (m) out.push({ ...(JSON.parse(m[1]) as Omit<BatchLine, 'order'>), order: out.length });
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return out;
}

async function createFunction(c: Clients, name: string, zip: Uint8Array, chaos: number): Promise<string> {
  const out = await c.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: HANDLER,
      Role: ROLE,
      Timeout: 1,
      Code: { ZipFile: zip },
      Environment: { Variables: { CHAOS: String(chaos) } },
    }),
  );
  await waitUntilFunctionActiveV2({ client: c.lambda, maxWaitTime: 60 }, { FunctionName: name });
  return out.FunctionArn!;
}

async function enabled(c: Clients, uuid: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if ((await c.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State === 'Enabled') return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`mapping ${uuid} did not become Enabled`);
}

export async function runReliability(o: ReliabilityOptions): Promise<ReliabilityReport> {
  const c = o.clients;
  const log = o.log ?? (() => undefined);
  const t0 = performance.now();
  const zip = new Uint8Array((await buildFunction('batch')).zip);

  // ---- SQS
  const sqsFn = `${o.prefix}-sqs`;
  await createFunction(c, sqsFn, zip, o.chaos);
  const dlqUrl = (await c.sqs.send(new CreateQueueCommand({ QueueName: `${o.prefix}-dlq` }))).QueueUrl!;
  const dlqArn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const qUrl = (
    await c.sqs.send(
      new CreateQueueCommand({ QueueName: `${o.prefix}-q`, Attributes: { VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: o.maxReceiveCount ?? 3 }) } }),
    )
  ).QueueUrl!;
  const qArn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: qUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const bodies = Array.from({ length: o.messages }, (_, i) => `m-${i}`);
  for (let i = 0; i < bodies.length; i += 10) {
    await c.sqs.send(new SendMessageBatchCommand({ QueueUrl: qUrl, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
  }
  const sqsMapping = await c.lambda.send(
    new CreateEventSourceMappingCommand({ EventSourceArn: qArn, FunctionName: sqsFn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
  );
  await enabled(c, sqsMapping.UUID!);

  // ---- Kinesis
  const kinFn = `${o.prefix}-kin`;
  await createFunction(c, kinFn, zip, o.chaos);
  const destUrl = (await c.sqs.send(new CreateQueueCommand({ QueueName: `${o.prefix}-kin-failures` }))).QueueUrl!;
  const destArn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: destUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const stream = `${o.prefix}-stream`;
  await c.kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
  let streamArn = '';
  for (let i = 0; i < 1000 && !streamArn; i++) {
    const s = (await c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary!;
    if (s.StreamStatus === 'ACTIVE') streamArn = s.StreamARN!;
    else await new Promise((r) => setImmediate(r));
  }
  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
  const kinMapping = await c.lambda.send(
    new CreateEventSourceMappingCommand({
      EventSourceArn: streamArn,
      FunctionName: kinFn,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      ParallelizationFactor: 2,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: destArn } },
    }),
  );
  await enabled(c, kinMapping.UUID!);
  const perKey = new Map<string, number>();
  const datas: string[] = [];
  for (let i = 0; i < o.records; i++) {
    const key = keys[i % keys.length];
    const n = (perKey.get(key) ?? 0) + 1;
    perKey.set(key, n);
    datas.push(JSON.stringify({ key, n }));
  }
  for (let i = 0; i < datas.length; i += 500) {
    const out = await c.kinesis.send(
      new PutRecordsCommand({ StreamName: stream, Records: datas.slice(i, i + 500).map((d) => ({ Data: Buffer.from(d), PartitionKey: JSON.parse(d).key })) }),
    );
    if (out.FailedRecordCount) throw new Error(`PutRecords failed ${out.FailedRecordCount} records`);
  }
  log(`sent ${o.messages} messages and put ${o.records} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // ---- Wait until the queue is empty and the stream's records are all processed or reported.
  const failuresSeen: { shardId: string; start: bigint; end: bigint }[] = [];
  const drainFailures = async () => {
    for (;;) {
      const r = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: destUrl, MaxNumberOfMessages: 10 }));
      if (!r.Messages?.length) return;
      for (const m of r.Messages) {
        const info = JSON.parse(m.Body!).KinesisBatchInfo;
        failuresSeen.push({ shardId: info.shardId, start: BigInt(info.startSequenceNumber), end: BigInt(info.endSequenceNumber) });
      }
      await c.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: destUrl, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  };
  const kinLinesDone = async () => {
    const lines = await batchLines(c, kinFn);
    const seen = new Set(lines.flatMap((l) => l.bodies));
    return seen.size;
  };
  for (let round = 0; ; round++) {
    const a = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: qUrl, AttributeNames: ['All'] }))).Attributes!;
    const inQueue = Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible) + Number(a.ApproximateNumberOfMessagesDelayed);
    await drainFailures();
    const kinSeen = await kinLinesDone();
    const kinAccounted = kinSeen >= o.records || failuresSeen.length > 0;
    const kinesisIdle = (await fetch(`${o.endpoint}/_testbed/invocations?functionName=${kinFn}`).then((r) => r.json()) as { invocations: { outcome: string }[] }).invocations.every((i) => i.outcome !== 'running');
    if (inQueue === 0 && kinAccounted && kinesisIdle && round > 0) {
      // Settle: the stream side is done when nothing new happens during a quiet round.
      const before = (await batchLines(c, kinFn)).length;
      await advance(o.endpoint, 30_000);
      await drainFailures();
      if ((await batchLines(c, kinFn)).length === before) break;
    } else {
      await advance(o.endpoint, 5_000);
    }
    if (round > 2000) throw new Error('reliability run did not settle');
  }

  // ---- SQS accounting
  const sqsViolations: string[] = [];
  const sqsLines = await batchLines(c, sqsFn);
  const last = new Map<string, BatchLine>();
  for (const l of sqsLines) for (const b of l.bodies) last.set(b, l);
  const dead: string[] = [];
  for (;;) {
    const r = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    if (!r.Messages?.length) break;
    dead.push(...r.Messages.map((m) => m.Body!));
    await c.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  const deadCount = new Map<string, number>();
  for (const b of dead) deadCount.set(b, (deadCount.get(b) ?? 0) + 1);
  let deleted = 0;
  for (const b of bodies) {
    const l = last.get(b);
    const succeeded = l !== undefined && (l.mode === 'ok' || (l.mode === 'partial' && !l.failed.includes(l.ids[l.bodies.indexOf(b)])));
    const inDlq = deadCount.get(b) ?? 0;
    if (succeeded && inDlq > 0) sqsViolations.push(`${b}: processed successfully, yet in the DLQ`);
    if (!succeeded && inDlq !== 1) sqsViolations.push(`${b}: its last processing failed (${l?.mode ?? 'never processed'}), and the DLQ holds it ${inDlq} times`);
    if (succeeded) deleted++;
  }
  for (const b of deadCount.keys()) if (!bodies.includes(b)) sqsViolations.push(`${b}: in the DLQ but never sent`);

  // ---- Kinesis accounting
  const kinViolations: string[] = [];
  const kinLines = await batchLines(c, kinFn);
  const done = new Map<string, number>(); // data -> order of its first successful processing
  for (const l of kinLines) {
    const firstFailed = l.mode === 'partial' && l.failed.length ? Math.min(...l.failed.map((id) => l.ids.indexOf(id))) : Infinity;
    l.bodies.forEach((b, i) => {
      const ok = l.mode === 'ok' || (l.mode === 'partial' && i < firstFailed);
      if (ok && !done.has(b)) done.set(b, l.order * 10_000 + i);
    });
  }
  // Records reported as failed: those whose sequence number lies in a reported range of their shard.
  const seqOf = new Map<string, { shard: string; seq: bigint }>();
  for (const l of kinLines) l.bodies.forEach((b, i) => seqOf.set(b, { shard: l.shards?.[i] ?? '', seq: BigInt(l.ids[i]) }));
  // A reported range (start..end sequence numbers of one shard) may span records of other lanes of
  // the shard (ParallelizationFactor) that were processed: a record is reported when it lies in a
  // range and was not processed. Every range must hold at least one such record.
  let toDestination = 0;
  const inRange = (s: { shard: string; seq: bigint }, f: { shardId: string; start: bigint; end: bigint }) => s.shard === f.shardId && s.seq >= f.start && s.seq <= f.end;
  for (const d of datas) {
    const s = seqOf.get(d);
    const reported = s ? failuresSeen.filter((f) => inRange(s, f)).length : 0;
    if (!done.has(d) && reported === 0) kinViolations.push(`${d}: neither processed nor reported`);
    if (!done.has(d) && reported > 1) kinViolations.push(`${d}: reported ${reported} times`);
    if (!done.has(d) && reported > 0) toDestination++;
  }
  for (const f of failuresSeen) {
    const holds = datas.some((d) => !done.has(d) && seqOf.has(d) && inRange(seqOf.get(d)!, f));
    if (!holds) kinViolations.push(`a failure report (${f.shardId} ${f.start}..${f.end}) covers only records that were processed`);
  }
  for (const key of keys) {
    const ns = datas.filter((d) => JSON.parse(d).key === key && done.has(d)).sort((a, b) => done.get(a)! - done.get(b)!).map((d) => JSON.parse(d).n as number);
    for (let i = 1; i < ns.length; i++) if (ns[i] < ns[i - 1]) kinViolations.push(`key ${key}: record ${ns[i]} processed after ${ns[i - 1]}`);
  }
  return {
    sqs: { sent: bodies.length, deleted, inDlq: dead.length, inQueue: 0, invocations: sqsLines.length, violations: sqsViolations },
    kinesis: { put: datas.length, processed: done.size, toDestination, invocations: kinLines.length, violations: kinViolations },
    wallMs: performance.now() - t0,
  };
}
