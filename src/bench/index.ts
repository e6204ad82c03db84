/**
 * `npm run bench`: speed and memory of the embedded cloud, measured, not asserted.
 *   ready       process start -> first request accepted (testbed serve in a child process)
 *   cold        CreateFunction of a new function, then the first Invoke (spawn, init, invoke)
 *   warm        sequential Invoke round trips through @aws-sdk/client-lambda
 *   throughput  16 concurrent callers for a few seconds
 *   memory      RSS of the idle cloud process and of one idle warm environment
 * Everything runs on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HANDLER, buildFunction } from '../testbed/build';

const ROLE = 'arn:aws:iam::000000000000:role/bench';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function startServe(): Promise<{ child: ChildProcess; readyMs: number; endpoint: string }> {
  const cli = path.resolve(__dirname, '..', 'cli', 'index.js');
  const t0 = performance.now();
  // Port 0: the cloud picks a free port and names it in its "Ready." line.
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /Ready\.[^\n]*(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`testbed serve exited early: ${out}`)));
  });
  // The first accepted request marks "ready".
  const r = await get(`${endpoint}/_testbed/health`);
  if (r.status !== 200) throw new Error(`health answered ${r.status}`);
  return { child, readyMs: performance.now() - t0, endpoint };
}

async function main(): Promise<void> {
  const readyRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await startServe();
    readyRuns.push(s.readyMs);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  const { child, endpoint } = await startServe();
  const lambda = new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
  try {
    const echo = await buildFunction('echo');
    const zip = new Uint8Array(echo.zip);
    const idleCloudMb = rssMb(child.pid!);

    // Cold: a new function each time, so each first invoke spawns an environment.
    const cold: number[] = [];
    for (let i = 0; i < 15; i++) {
      const name = `bench-cold-${i}`;
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: HANDLER, Role: ROLE, Code: { ZipFile: zip } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
      const t = performance.now();
      const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"cold":true}') }));
      cold.push(performance.now() - t);
      if (r.FunctionError) throw new Error(`cold invoke failed: ${Buffer.from(r.Payload ?? []).toString()}`);
    }

    // Warm: one function doing nothing but return, so the numbers are the platform's own cost.
    const name = 'bench-warm';
    const control = await buildFunction('control');
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: HANDLER, Role: ROLE, Code: { ZipFile: new Uint8Array(control.zip) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    const payload = Buffer.from('{"action":"return","noProbe":true}');
    for (let i = 0; i < 200; i++) await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
    const warm: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
      warm.push(performance.now() - t);
    }

    // Idle warm environment memory.
    const envs = JSON.parse((await get(`${endpoint}/_testbed/environments`)).body).environments as { functionName: string; pid?: number }[];
    const warmEnv = envs.find((e) => e.functionName === name && e.pid);
    const envMb = warmEnv?.pid ? rssMb(warmEnv.pid) : NaN;

    // Throughput: 16 concurrent callers (environments scale out to 16).
    const callers = 16;
    const durationMs = 4000;
    let count = 0;
    let errors = 0;
    const until = performance.now() + durationMs;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (performance.now() < until) {
          const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
          if (r.FunctionError) errors++;
          count++;
        }
      }),
    );
    const rate = count / ((performance.now() - t0) / 1000);

    const lines = [
      `cloud ready (process start -> first request accepted): median ${ms(median(readyRuns))} (runs: ${readyRuns.map((x) => x.toFixed(0)).join(', ')} ms)   target < 300 ms`,
      `cold invoke (new function: spawn, init, invoke):       median ${ms(median(cold))}, p90 ${ms(pct(cold, 90))}, n=${cold.length}   target median < 150 ms`,
      `warm invoke (sequential, @aws-sdk/client-lambda):      median ${ms(median(warm))}, p99 ${ms(pct(warm, 99))}, n=${warm.length}   target median < 2 ms`,
      `throughput (${callers} concurrent callers, ${durationMs / 1000} s):            ${rate.toFixed(0)} invokes/s (${count} invokes, ${errors} function errors)   target >= 1500/s`,
      `memory: idle cloud ${idleCloudMb.toFixed(1)} MB RSS (target < 150 MB); idle warm environment ${envMb.toFixed(1)} MB RSS (target < 60 MB)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    lambda.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
