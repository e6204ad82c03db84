/**
 * The Kinesis section of `npm run bench`: our embedded cloud's Kinesis beside kinesalite (mhart's
 * Kinesis emulator, devDependency), in the same run, driven by the same @aws-sdk/client-kinesis load
 * over HTTP/1.1 (kinesalite has no h2c; ours is also measured with the SDK's default HTTP/2 client).
 *   round trip   sequential PutRecord (one 100-byte record)
 *   PutRecords   16 callers, 100 records of 100 bytes per call, random partition keys, 4-shard stream
 *   GetRecords   16 callers reading a pre-filled 4-shard stream (4 callers per shard, Limit 100),
 *                each starting again at TRIM_HORIZON when it reaches the end
 * Each server runs in its own child process; the load runs here. Throughput figures are the sum of
 * short slices taken in rotation so that noise hits every server alike, with the CPU the server
 * process and this process used. Goal: ours >= 2x kinesalite in records per second.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { median, ms, pct, profileArgs, startScript, startServe, stopChild } from './common';
import { CALLERS, describe, errorText, goalText, loadavg, rate, ratioText, rotate, ROUNDS, SLICE_MS, type Runner, type Sample } from './slices';

const GOAL = 2;
const SHARDS = 4;
const BATCH = 100;
const RECORD_BYTES = 100;
const PREFILL_PER_SHARD = 5000;
const RTT_RUNS = 500;


/** kinesalite in a child process: streams ACTIVE at once, no shard limit to speak of. */
const KINESALITE_SCRIPT = `
const kinesalite = require('kinesalite');
const version = require('kinesalite/package.json').version;
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100000 });
process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => console.log('READY ' + server.address().port + ' ' + version));
`;

async function startKinesalite(): Promise<{ child: ChildProcess; port: number; version: string }> {
  const { child, port, rest } = await startScript(profileArgs('kinesalite'), KINESALITE_SCRIPT);
  return { child, port, version: rest };
}

function client(endpoint: string, http2 = false): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(http2 ? {} : { requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }) }),
  });
}

interface Target {
  label: string;
  pid: number;
  client: KinesisClient;
}

let streamSeq = 0;
async function createStream(t: Target, prefix: string): Promise<string> {
  const StreamName = `bench-${prefix}-${process.pid}-${++streamSeq}`;
  await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: SHARDS }));
  // kinesalite turns ACTIVE on a timer even at 0 ms: wait for it.
  for (let i = 0; i < 200; i++) {
    const d = await t.client.send(new DescribeStreamCommand({ StreamName }));
    if (d.StreamDescription?.StreamStatus === 'ACTIVE') return StreamName;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${t.label}: stream ${StreamName} never became ACTIVE`);
}

const DATA = randomBytes(RECORD_BYTES);
const batch = () => Array.from({ length: BATCH }, () => ({ PartitionKey: randomBytes(8).toString('hex'), Data: DATA }));

async function putRecords(t: Target, StreamName: string): Promise<number> {
  const r = await t.client.send(new PutRecordsCommand({ StreamName, Records: batch() }));
  if (r.FailedRecordCount) throw new Error(`${t.label}: PutRecords failed ${r.FailedRecordCount} records`);
  return BATCH;
}

/** One reader per caller: its own iterator on one shard, back to TRIM_HORIZON at the end. */
function reader(t: Target, StreamName: string, shardIds: string[]): () => Promise<number> {
  const iterators: (string | undefined)[] = Array.from({ length: CALLERS });
  const free = Array.from({ length: CALLERS }, (_, i) => i);
  return async () => {
    const me = free.shift()!;
    try {
      const ShardId = shardIds[me % shardIds.length];
      iterators[me] ??= (await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const r = await t.client.send(new GetRecordsCommand({ ShardIterator: iterators[me]!, Limit: BATCH }));
      const n = r.Records?.length ?? 0;
      iterators[me] = n === 0 || !r.NextShardIterator ? undefined : r.NextShardIterator;
      return n;
    } finally {
      free.push(me);
    }
  };
}

function compare(m: Map<string, Sample>, a: string, b: string): string {
  const x = m.get(a);
  const y = m.get(b);
  if (!x || !y) return `${a}/${b} n/a`;
  const cost = (s: Sample) => s.serverCpuMs / Math.max(1, s.count);
  return `${a}/${b} ${ratioText(rate(x), rate(y))} (server cpu per record: ${b}/${a} ${ratioText(cost(y), cost(x))})   goal >= ${GOAL}x: ${goalText(rate(x) / rate(y) >= GOAL)}`;
}

export async function benchKinesis(): Promise<void> {
  const children: ChildProcess[] = [];
  const clients: KinesisClient[] = [];
  try {
    const ours = await startServe(profileArgs('ours'));
    children.push(ours.child);
    const kl = await startKinesalite();
    children.push(kl.child);
    const target = (label: string, pid: number, endpoint: string, h2 = false): Target => {
      const t = { label, pid, client: client(endpoint, h2) };
      clients.push(t.client);
      return t;
    };
    const oursT = target('ours', ours.child.pid!, ours.endpoint);
    const oursH2 = target('ours-h2', ours.child.pid!, ours.endpoint, true);
    const klT = target('kinesalite', kl.child.pid!, `http://127.0.0.1:${kl.port}`);
    const targets = [oursT, klT];

    console.log(
      `Kinesis: ours (testbed serve) vs kinesalite ${kl.version}, each in a child process; @aws-sdk/client-kinesis over HTTP/1.1 (keep-alive agent, maxSockets 64) ` +
        `from this process, and ours again with the SDK's default HTTP/2 client; ${CALLERS} callers; ${SHARDS}-shard streams, ${RECORD_BYTES}-byte records, ` +
        `${BATCH} per call; throughput = ${ROUNDS} x ${SLICE_MS / 1000} s slices per server, interleaved; ${os.cpus().length} CPUs, load average ${loadavg()}`,
    );

    // Sequential PutRecord round trips.
    const rtt = new Map<string, number[]>();
    for (const t of [...targets, oursH2]) {
      const name = await createStream(t, 'rtt');
      const xs: number[] = [];
      for (let i = 0; i < RTT_RUNS + 50; i++) {
        const t0 = performance.now();
        await t.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: String(i), Data: DATA }));
        if (i >= 50) xs.push(performance.now() - t0);
      }
      rtt.set(t.label, xs);
    }
    const rttText = (label: string) => `median ${ms(median(rtt.get(label)!))}, p99 ${ms(pct(rtt.get(label)!, 99))}`;
    console.log(`PutRecord round trip (sequential): ours ${rttText('ours')} | ours over HTTP/2 ${rttText('ours-h2')} | kinesalite ${rttText('kinesalite')}`);

    // PutRecords throughput: a fresh stream per slice.
    const putRunners: Runner[] = [...targets, oursH2].map((t) => ({
      label: t.label,
      pid: t.pid,
      prepare: async () => {
        const name = await createStream(t, 'put');
        return () => putRecords(t, name);
      },
    }));
    const put = await rotate(putRunners);
    console.log(
      [
        `PutRecords throughput (records/s):`,
        `  ours ${describe(put.get('ours'), 'rec/s')} | kinesalite ${describe(put.get('kinesalite'), 'rec/s')}`,
        `  ours over HTTP/2 ${describe(put.get('ours-h2'), 'rec/s')}`,
        `  ${compare(put, 'ours', 'kinesalite')}`,
      ].join('\n'),
    );

    // GetRecords throughput: one pre-filled stream per server, read over and over.
    const filled = new Map<string, { name: string; shards: string[] }>();
    for (const t of targets) {
      const name = await createStream(t, 'get');
      let left = Math.ceil((PREFILL_PER_SHARD * SHARDS) / BATCH);
      await Promise.all(
        Array.from({ length: CALLERS }, async () => {
          while (left-- > 0) await putRecords(t, name);
        }),
      );
      const d = await t.client.send(new DescribeStreamCommand({ StreamName: name }));
      filled.set(t.label, { name, shards: (d.StreamDescription?.Shards ?? []).map((s) => s.ShardId!) });
    }
    const getRunners: Runner[] = [...targets, oursH2].map((t) => ({
      label: t.label,
      pid: t.pid,
      prepare: async () => {
        const f = filled.get(t.label === 'ours-h2' ? 'ours' : t.label)!;
        return reader(t, f.name, f.shards);
      },
    }));
    const get = await rotate(getRunners);
    console.log(
      [
        `GetRecords throughput (records/s; Limit ${BATCH}; ${PREFILL_PER_SHARD} records per shard, read again from TRIM_HORIZON at the end):`,
        `  ours ${describe(get.get('ours'), 'rec/s')} | kinesalite ${describe(get.get('kinesalite'), 'rec/s')}`,
        `  ours over HTTP/2 ${describe(get.get('ours-h2'), 'rec/s')}`,
        `  ${compare(get, 'ours', 'kinesalite')}`,
        `(load average at the end: ${loadavg()}; "client-bound": this process used >= 85% of a core, so the figure is the client's limit, and server cpu per record is the fairer comparison)`,
      ].join('\n'),
    );
  } catch (e) {
    console.log(`Kinesis section failed: ${errorText(e)}`);
    throw e;
  } finally {
    for (const c of clients) c.destroy();
    for (const c of children) await stopChild(c);
  }
}
