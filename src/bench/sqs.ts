/**
 * The SQS section of `npm run bench`: our embedded cloud's SQS beside fauxqs (an independent pure-JS
 * SQS emulator, devDependency), in the same run, driven by the same @aws-sdk/client-sqs load.
 *   send            16 callers doing SendMessage on a fresh standard queue
 *   receive+delete  16 callers doing ReceiveMessage (10, no wait) then DeleteMessageBatch on a pre-filled queue
 *   loop            16 callers each sending one, receiving (10, no wait), deleting what they got
 *   light client    send and loop again from plain HTTP requests (sqs-wire.ts): the servers' capacity
 *   long-poll       one client long-polls (20 s) an empty queue; once it is parked another client sends;
 *                   send start -> receive resolved with the message
 * Each server runs in its own child process; the load runs here. Throughput figures are the sum of
 * short slices taken in rotation (A B C, C B A, ...) so that noise hits every server alike; next to
 * each figure, the CPU the server process and this (client) process used during it.
 * Same-run baselines: a bare node HTTP server (raw round trips) and a stub SQS server that answers at
 * once (what this client can drive at most: the ceiling of every throughput figure).
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bareRoundTrip, median, ms, pct, profileArgs, startScript, startServe, stopChild } from './common';
import { wireCapacity } from './sqs-wire';
import {
  CALLERS,
  compare,
  describe,
  DRY,
  errorText,
  goalText,
  loadavg,
  rate,
  ratioText,
  rotate,
  ROUNDS,
  SLICE_MS,
  sleep,
  throughputGoal,
  type Runner,
} from './slices';

const LONG_POLL_RUNS = 50;
const PARK_MS = 30;
const BODY = JSON.stringify({ bench: 'sqs', pad: 'x'.repeat(40) }); // 64 bytes
const WAKE_GOAL_MS = 5;


// ------------------------------------------------------------------ servers (child processes)

/** fauxqs is ESM-only; a child process imports it (resolved from the repository root). */
const FAUXQS_SCRIPT = `
const fs = await import('node:fs');
const { startFauxqs } = await import('fauxqs');
const version = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.resolve('fauxqs')), 'utf8')).version;
const server = await startFauxqs({ port: 0, logger: false });
process.on('SIGTERM', () => { server.stop().finally(() => process.exit(0)); });
console.log('READY ' + server.port + ' ' + version);
`;

/**
 * A bare node HTTP server: '{}' to anything, except JSON-1.0 SQS requests (X-Amz-Target), which it
 * answers at once with what the SDK checks (MD5s, receipt handles): the stub SQS server.
 */
const STUB_SCRIPT = `
const http = require('node:http');
const crypto = require('node:crypto');
const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');
const BODY = ${JSON.stringify(BODY)};
const BODY_MD5 = md5(BODY);
let n = 0;
// Messages sent and not yet received, per queue created here; a queue not created here never runs dry.
const waiting = new Map();
const handlers = {
  CreateQueue: (i, host) => { const url = 'http://' + host + '/000000000000/' + i.QueueName; waiting.set(url, 0); return { QueueUrl: url }; },
  SendMessage: (i) => { if (waiting.has(i.QueueUrl)) waiting.set(i.QueueUrl, waiting.get(i.QueueUrl) + 1); return { MessageId: String(++n), MD5OfMessageBody: md5(i.MessageBody) }; },
  SendMessageBatch: (i) => ({ Successful: i.Entries.map((e) => ({ Id: e.Id, MessageId: String(++n), MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] }),
  ReceiveMessage: (i) => {
    let k = i.MaxNumberOfMessages || 1;
    if (waiting.has(i.QueueUrl)) { k = Math.min(k, waiting.get(i.QueueUrl)); waiting.set(i.QueueUrl, waiting.get(i.QueueUrl) - k); }
    return { Messages: Array.from({ length: k }, () => { const id = String(++n); return { MessageId: id, ReceiptHandle: 'rh-' + id, MD5OfBody: BODY_MD5, Body: BODY }; }) };
  },
  DeleteMessage: () => ({}),
  DeleteMessageBatch: (i) => ({ Successful: i.Entries.map((e) => ({ Id: e.Id })), Failed: [] }),
};
const server = http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const target = req.headers['x-amz-target'];
    let out = '{}';
    if (target) out = JSON.stringify(handlers[target.slice(target.indexOf('.') + 1)](JSON.parse(Buffer.concat(chunks).toString() || '{}'), req.headers.host));
    res.writeHead(200, { 'content-type': target ? 'application/x-amz-json-1.0' : 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => console.log('READY ' + server.address().port));
`;


// ------------------------------------------------------------------ clients

function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
}

interface Target {
  label: string;
  pid: number;
  endpoint: string;
  /** The load's client. */
  client: SQSClient;
  /** A second client (own connections, same configuration): the long-poll test's sender. */
  other: SQSClient;
}

let queueSeq = 0;
async function createQueue(t: Target, prefix: string): Promise<string> {
  const r = await t.client.send(new CreateQueueCommand({ QueueName: `bench-${prefix}-${process.pid}-${++queueSeq}` }));
  return r.QueueUrl!;
}

async function prefill(t: Target, queueUrl: string, count: number): Promise<void> {
  let left = Math.ceil(count / 10);
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (left-- > 0) {
        const r = await t.client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: BODY })) }),
        );
        if (r.Failed?.length) throw new Error(`${t.label}: prefill SendMessageBatch failed: ${JSON.stringify(r.Failed[0])}`);
      }
    }),
  );
}

/** Receive up to 10 (no wait) and delete them in one batch; the number received. */
async function receiveDelete(t: Target, queueUrl: string): Promise<number> {
  const r = await t.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  const msgs: Message[] = r.Messages ?? [];
  if (msgs.length === 0) return 0;
  const d = await t.client.send(
    new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
  );
  if (d.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(d.Failed[0])}`);
  return msgs.length;
}

// ------------------------------------------------------------------ measuring


/** Sequential round trips of `op`, RUNS per target in rotating blocks; the durations in ms. */
async function roundTrips(targets: { label: string; op: () => Promise<unknown> }[], runs: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(targets.map((t) => [t.label, []]));
  for (const t of targets) for (let i = 0; i < 100; i++) await t.op();
  const blocks = 5;
  for (let b = 0; b < blocks; b++) {
    const order = b % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      for (let i = 0; i < runs / blocks; i++) {
        const t0 = performance.now();
        await t.op();
        out.get(t.label)!.push(performance.now() - t0);
      }
    }
  }
  return out;
}

/** One long-poll wake-up: send start -> the parked receive resolved with the message, in ms. */
async function wakeUp(t: Target, queueUrl: string): Promise<number> {
  let resolvedAt = 0;
  const recv = t.client
    .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 20 }))
    .then((r) => {
      resolvedAt = performance.now();
      return r;
    });
  recv.catch(() => undefined);
  await sleep(PARK_MS);
  if (resolvedAt) throw new Error(`long poll returned before any send (${(await recv).Messages?.length ?? 0} messages)`);
  const t0 = performance.now();
  await t.other.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: BODY }));
  const r = await recv;
  const m = r.Messages?.[0];
  if (!m) throw new Error('long poll returned without the message');
  await t.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  return resolvedAt - t0;
}

// ------------------------------------------------------------------ the section

export async function benchSqs(): Promise<void> {
  const children: ChildProcess[] = [];
  const clients: SQSClient[] = [];
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const ours = await startServe(profileArgs('ours'));
    children.push(ours.child);
    const fq = await startScript([...profileArgs('fauxqs'), '--input-type=module'], FAUXQS_SCRIPT);
    children.push(fq.child);
    const stub = await startScript([], STUB_SCRIPT);
    children.push(stub.child);

    const target = (label: string, pid: number, endpoint: string): Target => {
      const t = { label, pid, endpoint, client: sqsClient(endpoint), other: sqsClient(endpoint) };
      clients.push(t.client, t.other);
      return t;
    };
    const fauxqs = target('fauxqs', fq.child.pid!, `http://127.0.0.1:${fq.port}`);
    const stubT = target('stub', stub.child.pid!, `http://127.0.0.1:${stub.port}`);
    let oursT: Target | undefined = target('ours', ours.child.pid!, ours.endpoint);
    let oursMissing = '';
    try {
      await createQueue(oursT, 'probe');
    } catch (e) {
      oursMissing = errorText(e);
      oursT = undefined;
    }
    await createQueue(fauxqs, 'probe');
    const sqsTargets = oursT ? [oursT, fauxqs] : [fauxqs];

    const lines: string[] = [];
    lines.push(
      `SQS: ours (testbed serve) vs fauxqs ${fq.rest}, each in a child process; @aws-sdk/client-sqs (keep-alive agent, maxSockets 64) from this process; ` +
        `${CALLERS} callers; throughput = ${ROUNDS} x ${SLICE_MS / 1000} s slices per server, interleaved; ${Buffer.byteLength(BODY)}-byte bodies; ` +
        `${os.cpus().length} CPUs, load average ${loadavg()}`,
    );
    if (!oursT) lines.push(`ours: not available (CreateQueue: ${oursMissing}); fauxqs and the baselines only`);
    console.log(lines.join('\n'));
    lines.length = 0;

    // Baseline: bare node HTTP round trips (no SDK), sequential and 16 callers.
    const bareOp = () => bareRoundTrip(stub.port, bareAgent, BODY).then(() => 1);

    // Sequential round trips: bare HTTP, SendMessage on each server.
    const seqQueues = new Map<string, string>();
    for (const t of [...sqsTargets, stubT]) seqQueues.set(t.label, await createQueue(t, 'seq'));
    const rtt = await roundTrips(
      [
        { label: 'bare', op: bareOp },
        ...[...sqsTargets, stubT].map((t) => ({ label: t.label, op: () => t.client.send(new SendMessageCommand({ QueueUrl: seqQueues.get(t.label)!, MessageBody: BODY })) })),
      ],
      500,
    );
    const rttText = (label: string) => {
      const xs = rtt.get(label);
      return xs ? `median ${ms(median(xs))}, p99 ${ms(pct(xs, 99))}` : 'n/a';
    };

    // 1. Send throughput: a fresh queue per slice.
    const sendRunners: Runner[] = [
      { label: 'bare', pid: stubT.pid, prepare: async () => bareOp },
      ...[...sqsTargets, stubT].map((t) => ({
        label: t.label,
        pid: t.pid,
        prepare: async () => {
          const q = await createQueue(t, 'send');
          return async () => {
            await t.client.send(new SendMessageCommand({ QueueUrl: q, MessageBody: BODY }));
            return 1;
          };
        },
      })),
    ];
    const send = await rotate(sendRunners);

    lines.push(`baseline, bare node HTTP server (no SDK): round trip ${rttText('bare')}; ${CALLERS} callers ${describe(send.get('bare'), 'req/s')}`);
    lines.push(`baseline, SDK against a stub SQS server that answers at once: SendMessage round trip ${rttText('stub')}; ${CALLERS} callers ${describe(send.get('stub'), 'msg/s')}`);
    lines.push(`SendMessage round trip (sequential):  ours ${rttText('ours')} | fauxqs ${rttText('fauxqs')}`);
    lines.push(
      `send throughput:           ours ${describe(send.get('ours'), 'msg/s')} | fauxqs ${describe(send.get('fauxqs'), 'msg/s')} | ${compare(send)}   ${throughputGoal(send)}`,
    );
    console.log(lines.join('\n'));
    lines.length = 0;

    // 2. Receive+delete throughput: every slice gets its own queue, pre-filled beforehand (untimed) with
    // more than it can drain (a receive+delete pair moves 10 messages; a send moves 1).
    const fastestSend = Math.max(...sqsTargets.map((t) => rate(send.get(t.label)!)));
    const fill = Math.min(100_000, Math.max(8_000, Math.ceil((fastestSend * 10 * SLICE_MS) / 1000 / 10) * 10));
    const filled = new Map<string, string[]>();
    for (const t of sqsTargets) {
      const qs: string[] = [];
      for (let i = 0; i <= ROUNDS; i++) {
        const q = await createQueue(t, 'recv');
        await prefill(t, q, i === 0 ? Math.ceil(fill / 2) : fill);
        qs.push(q);
      }
      filled.set(t.label, qs);
    }
    const recvRunners: Runner[] = [...sqsTargets, stubT].map((t) => ({
      label: t.label,
      pid: t.pid,
      prepare: async () => {
        const q = t === stubT ? 'http://stub/000000000000/q' : filled.get(t.label)!.shift()!;
        return async () => {
          const n = await receiveDelete(t, q);
          return n === 0 ? DRY : n;
        };
      },
    }));
    await sleep(200);
    const recv = await rotate(recvRunners);
    lines.push(`receive+delete throughput (queues pre-filled with ${fill} messages each):`);
    lines.push(`  baseline, stub SQS server: ${describe(recv.get('stub'), 'msg/s')}`);
    lines.push(
      `  ours ${describe(recv.get('ours'), 'msg/s')} | fauxqs ${describe(recv.get('fauxqs'), 'msg/s')} | ${compare(recv)}   ${throughputGoal(recv)}`,
    );
    console.log(lines.join('\n'));
    lines.length = 0;

    // 3. Send/receive/delete loop: each caller sends one, receives up to 10, deletes what it got;
    // counted: messages deleted.
    const loopRunners: Runner[] = [...sqsTargets, stubT].map((t) => ({
      label: t.label,
      pid: t.pid,
      prepare: async () => {
        const q = await createQueue(t, 'loop');
        return async () => {
          await t.client.send(new SendMessageCommand({ QueueUrl: q, MessageBody: BODY }));
          return receiveDelete(t, q);
        };
      },
    }));
    const loop = await rotate(loopRunners);
    lines.push(`send/receive/delete loop (messages deleted per second):`);
    lines.push(`  baseline, stub SQS server: ${describe(loop.get('stub'), 'msg/s')}`);
    lines.push(
      `  ours ${describe(loop.get('ours'), 'msg/s')} | fauxqs ${describe(loop.get('fauxqs'), 'msg/s')} | ${compare(loop)}   ${throughputGoal(loop)}`,
    );
    console.log(lines.join('\n'));
    lines.length = 0;

    // 4. The same servers under a light client: what they can take when the SDK is not the limit.
    console.log((await wireCapacity([...sqsTargets, stubT], BODY)).join('\n'));

    // 5. Long-poll wake-up, interleaved run by run.
    const pollQueues = new Map<string, string>();
    for (const t of sqsTargets) pollQueues.set(t.label, await createQueue(t, 'poll'));
    const wake = new Map<string, number[]>(sqsTargets.map((t) => [t.label, []]));
    const wakeFailures = new Map<string, string[]>(sqsTargets.map((t) => [t.label, []]));
    for (let i = -3; i < LONG_POLL_RUNS; i++) {
      const order = i % 2 === 0 ? sqsTargets : [...sqsTargets].reverse();
      for (const t of order) {
        const failures = wakeFailures.get(t.label)!;
        if (failures.length >= 3) continue;
        try {
          const d = await wakeUp(t, pollQueues.get(t.label)!);
          if (i >= 0) wake.get(t.label)!.push(d);
        } catch (e) {
          failures.push(errorText(e));
          // A receive may still be parked on the old queue: go on with a fresh one.
          pollQueues.set(t.label, await createQueue(t, 'poll'));
        }
      }
    }
    const wakeText = (label: string) => {
      const xs = wake.get(label);
      const f = wakeFailures.get(label) ?? [];
      if (!xs) return 'n/a';
      const fail = f.length ? ` (${f.length} failed${f.length >= 3 ? ', gave up' : ''}: ${f[0]})` : '';
      return xs.length ? `median ${ms(median(xs))}, p90 ${ms(pct(xs, 90))}, n=${xs.length}${fail}` : `no measurement${fail}`;
    };
    const oursWake = wake.get('ours');
    const fqWake = wake.get('fauxqs')!;
    lines.push(`long-poll wake-up (receive parked ${PARK_MS} ms, then another client sends; send start -> receive resolved):`);
    lines.push(
      `  ours ${wakeText('ours')} | fauxqs ${wakeText('fauxqs')} | ours/fauxqs (median) ${ratioText(
        oursWake?.length ? median(oursWake) : undefined,
        fqWake.length ? median(fqWake) : undefined,
      )}   goal ours median < ${WAKE_GOAL_MS} ms: ${goalText(oursWake?.length ? median(oursWake) < WAKE_GOAL_MS : undefined)}`,
    );
    lines.push(`(load average at the end: ${loadavg()}; "client-bound": this process used >= 85% of a core, so the figure is the client's limit, and server cpu per message is the fairer comparison)`);
    console.log(lines.join('\n'));
  } finally {
    for (const c of clients) c.destroy();
    bareAgent.destroy();
    for (const c of children) await stopChild(c);
  }
}
