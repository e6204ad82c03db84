/**
 * The S3 section of `npm run bench`: our embedded cloud's S3 beside moto's S3 server (python moto,
 * ThreadedMotoServer, installed on this machine) in the same run, driven by the same
 * @aws-sdk/client-s3 load (path-style, HTTP/1.1 keep-alive, the SDK's default CRC32 checksums):
 *   small PUT / GET   16 callers, 1 KB objects (objects per second), slices in rotation
 *   large PUT / GET   4 callers, 10 MB objects (MB per second), slices in rotation
 *   upload -> start   PutObject to the start of the function the bucket's notification invokes
 *                     asynchronously (ours only: moto runs Lambda functions in Docker)
 * Each server runs in its own child process; the load runs here, with the CPU of the server
 * process and of this process read during each slice.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HANDLER, buildFunction } from '../testbed/build';
import { clientConfig, get, median, ms, pct, startProcess, startServe, stopChild } from './common';
import { describe, loadavg, rate, ratioText, rotate, type Sample } from './slices';

const SMALL = 1024;
const LARGE = 10 * 1024 * 1024;
const SMALL_CALLERS = 16;
const LARGE_CALLERS = 4;
const SMALL_SLICE_MS = 500;
const LARGE_SLICE_MS = 1500;
const LATENCY_RUNS = 60;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const MOTO_SCRIPT = `
import signal, sys, moto
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
server.start()
print('READY %d %s' % (server._server.port, moto.__version__), flush=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
signal.pause()
`;

async function startMoto(): Promise<{ child: ChildProcess; endpoint: string; version: string }> {
  const { child, port, rest } = await startProcess('python3', ['-c', MOTO_SCRIPT], true);
  return { child, endpoint: `http://127.0.0.1:${port}`, version: rest };
}

function s3Client(endpoint: string): S3Client {
  return new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
}

interface Target {
  label: string;
  pid: number;
  s3: S3Client;
  bucket: string;
}

/** ROUNDS slices per target in rotation (A B, B A, ...), after an untimed warm-up slice each. */
function rotation(targets: Target[], callers: number, sliceMs: number, op: (t: Target) => () => Promise<number>): Promise<Map<string, Sample>> {
  return rotate(
    targets.map((t) => ({ label: t.label, pid: t.pid, prepare: async () => op(t) })),
    { callers, sliceMs },
  );
}

function line(name: string, m: Map<string, Sample>, unit: string, scale = 1): string {
  const o = m.get('ours');
  const moto = m.get('moto');
  const fig = (s: Sample | undefined) => {
    if (!s) return 'n/a';
    if (scale === 1) return describe(s, unit);
    return `${(rate(s) / scale).toFixed(1)} ${unit} [server cpu ${((s.serverCpuMs / s.elapsedMs) * 100).toFixed(0)}%, bench cpu ${((s.clientCpuMs / s.elapsedMs) * 100).toFixed(0)}%]${s.errors ? ` (${s.errors} errors)` : ''}`;
  };
  return `${name}\n  ours: ${fig(o)}\n  moto: ${fig(moto)}\n  ours/moto ${ratioText(o && rate(o), moto && rate(moto))}`;
}

async function invocationStarts(endpoint: string, functionName: string): Promise<number[]> {
  const r = await get(`${endpoint}/_testbed/invocations?functionName=${functionName}`);
  const list = JSON.parse(r.body).invocations as { start: string | number }[];
  return list.map((i) => (typeof i.start === 'number' ? i.start : Date.parse(i.start)));
}

/** PutObject -> the start of the function the notification invokes (warm, idle cloud). */
async function uploadToStart(endpoint: string, s3: S3Client): Promise<number[]> {
  const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  try {
    const zip = new Uint8Array((await buildFunction('control')).zip);
    const fn = await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'bench-s3', Runtime: 'nodejs20.x', Handler: HANDLER, Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: zip } }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'bench-s3' });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-notify' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'bench-s3', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::bench-notify' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'bench-notify',
        NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'] }] },
      }),
    );
    const out: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      const before = (await invocationStarts(endpoint, 'bench-s3')).length;
      const t = Date.now();
      await s3.send(new PutObjectCommand({ Bucket: 'bench-notify', Key: `k${i}`, Body: '{"noProbe":true}' }));
      const deadline = Date.now() + 20_000;
      let all: number[] = [];
      do {
        all = await invocationStarts(endpoint, 'bench-s3');
        if (all.length > before) break;
        await new Promise((r) => setImmediate(r));
      } while (Date.now() < deadline);
      if (all.length <= before) throw new Error('bench: the notification never started the function');
      if (i >= 10) out.push(all[all.length - 1] - t); // the first ones include the cold start
    }
    return out;
  } finally {
    lambda.destroy();
  }
}

export async function benchS3(): Promise<void> {
  const ours = await startServe();
  let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
  let motoError: string | undefined;
  try {
    moto = await startMoto();
  } catch (e) {
    motoError = e instanceof Error ? e.message : String(e);
  }
  const targets: Target[] = [{ label: 'ours', pid: ours.child.pid!, s3: s3Client(ours.endpoint), bucket: 'bench-s3' }];
  if (moto) targets.push({ label: 'moto', pid: moto.child.pid!, s3: s3Client(moto.endpoint), bucket: 'bench-s3' });
  try {
    console.log(`S3 (ours beside moto ${moto ? moto.version : `n/a: ${motoError}`}); load average ${loadavg()}`);
    for (const t of targets) await t.s3.send(new CreateBucketCommand({ Bucket: t.bucket }));
    const small = randomBytes(SMALL);
    const large = randomBytes(LARGE);
    // GETs read a fixed set of objects written first.
    for (const t of targets) {
      for (let i = 0; i < 64; i++) await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: `small/${i}`, Body: small }));
      for (let i = 0; i < 4; i++) await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: `large/${i}`, Body: large }));
    }
    let seq = 0;
    const putSmall = (t: Target) => async () => {
      await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: `put-small/${seq++ % 1000}`, Body: small }));
      return 1;
    };
    const getSmall = (t: Target) => async () => {
      const o = await t.s3.send(new GetObjectCommand({ Bucket: t.bucket, Key: `small/${seq++ % 64}` }));
      await o.Body!.transformToByteArray();
      return 1;
    };
    const putLarge = (t: Target) => async () => {
      await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: `put-large/${seq++ % 8}`, Body: large }));
      return LARGE;
    };
    const getLarge = (t: Target) => async () => {
      const o = await t.s3.send(new GetObjectCommand({ Bucket: t.bucket, Key: `large/${seq++ % 4}` }));
      return (await o.Body!.transformToByteArray()).length;
    };
    console.log(line(`PutObject 1 KB, ${SMALL_CALLERS} callers:`, await rotation(targets, SMALL_CALLERS, SMALL_SLICE_MS, putSmall), 'objects/s'));
    console.log(line(`GetObject 1 KB, ${SMALL_CALLERS} callers:`, await rotation(targets, SMALL_CALLERS, SMALL_SLICE_MS, getSmall), 'objects/s'));
    console.log(line(`PutObject 10 MB, ${LARGE_CALLERS} callers:`, await rotation(targets, LARGE_CALLERS, LARGE_SLICE_MS, putLarge), 'MB/s', 1024 * 1024));
    console.log(line(`GetObject 10 MB, ${LARGE_CALLERS} callers:`, await rotation(targets, LARGE_CALLERS, LARGE_SLICE_MS, getLarge), 'MB/s', 1024 * 1024));
    const lat = await uploadToStart(ours.endpoint, targets[0].s3);
    console.log(`PutObject -> function start (bucket notification, warm, idle cloud): median ${ms(median(lat))}, p90 ${ms(pct(lat, 90))}, n=${lat.length}   (moto: n/a, its Lambda needs Docker)`);
  } finally {
    for (const t of targets) t.s3.destroy();
    await stopChild(ours.child);
    if (moto) await stopChild(moto.child);
  }
}
