/**
 * `npm run bench`: speed and memory of the embedded cloud, measured, not asserted.
 * Section "lambda":
 *   ready       process start -> first request accepted (testbed serve in a child process)
 *   cold        CreateFunction of a new function, then the first Invoke (spawn, init, invoke)
 *   warm        sequential Invoke round trips through @aws-sdk/client-lambda
 *   throughput  16 concurrent callers for a few seconds
 *   memory      RSS of the idle cloud process and of one idle warm environment
 *   baselines   measured in the same run, each figure printed beside its ratio to one: a bare
 *               `node -e 0` start, and round trips / 16-caller throughput to a bare node HTTP server
 * Section "sqs" (sqs.ts): our SQS beside fauxqs, an independent SQS emulator, in the same run.
 * Section "async" (async.ts): the retry scenario's wall time, publish-to-start latency, Event throughput.
 * Section "kinesis" (kinesis.ts): PutRecords and GetRecords throughput of ours beside kinesalite in the same run.
 * Section "http" (frontdoors.ts): latency and req/s through each HTTP front door beside a direct Invoke.
 * Section "runtimes" (runtimes.ts): cold and warm invoke for Python and custom runtimes beside Node.js.
 * Section "s3" (s3.ts): PutObject/GetObject throughput beside moto's server, upload-to-function-start latency.
 * Section "poll" (poll.ts): SQS -> function latency, SQS mapping throughput, the reliability run at 10,000.
 * Everything runs on 127.0.0.1.
 *
 * Options: `npm run bench -- --only sqs` (or `--only lambda`, `--only lambda,sqs`; also BENCH_ONLY=sqs).
 */
import http from 'node:http';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { HANDLER, buildFunction } from '../testbed/build';
import { bareRoundTrip, clientConfig, get, median, ms, nodeStartMs, pct, rssMb, startBareServer, startServe, stopChild, versus } from './common';
import { benchAsync } from './async';
import { benchFrontDoors } from './frontdoors';
import { benchRuntimes } from './runtimes';
import { benchS3 } from './s3';
import { benchPoll } from './poll';
import { benchKinesis } from './kinesis';
import { benchSqs } from './sqs';

const ROLE = 'arn:aws:iam::000000000000:role/bench';

const SECTIONS = ['lambda', 'sqs', 'async', 'kinesis', 'poll', 'http', 'runtimes', 's3'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections to run: `--only a,b` / `--only=a,b` / BENCH_ONLY=a,b; all of them by default. */
function selectedSections(argv: string[]): Section[] {
  let only = process.env.BENCH_ONLY;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = argv[++i];
    else if (argv[i].startsWith('--only=')) only = argv[i].slice('--only='.length);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log(`usage: npm run bench [-- --only ${SECTIONS.join('|')}[,...]]   (or BENCH_ONLY=...)`);
      process.exit(0);
    } else throw new Error(`unknown bench option ${argv[i]} (try --help)`);
  }
  if (!only) return [...SECTIONS];
  const picked = only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of picked) {
    if (!(SECTIONS as readonly string[]).includes(p)) throw new Error(`unknown bench section "${p}"; sections: ${SECTIONS.join(', ')}`);
  }
  return SECTIONS.filter((s) => picked.includes(s));
}

async function main(): Promise<void> {
  const sections = selectedSections(process.argv.slice(2));
  if (sections.includes('lambda')) await benchLambda();
  if (sections.includes('sqs')) await benchSqs();
  if (sections.includes('async')) await benchAsync();
  if (sections.includes('poll')) await benchPoll();
  if (sections.includes('kinesis')) await benchKinesis();
  if (sections.includes('http')) await benchFrontDoors();
  if (sections.includes('runtimes')) await benchRuntimes();
  if (sections.includes('s3')) await benchS3();
}

async function benchLambda(): Promise<void> {
  // Baselines first, on the same machine in the same minute: the machine's noise moves them too.
  const nodeStart = await nodeStartMs();
  const bare = await startBareServer();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const bareRtt: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const t = performance.now();
    await bareRoundTrip(bare.port, agent);
    if (i >= 200) bareRtt.push(performance.now() - t);
  }
  let bareCount = 0;
  const bareUntil = performance.now() + 2000;
  const bareT0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < bareUntil) {
        await bareRoundTrip(bare.port, agent);
        bareCount++;
      }
    }),
  );
  const bareRate = bareCount / ((performance.now() - bareT0) / 1000);
  agent.destroy();
  await stopChild(bare.child);
  console.log(
    `baselines: node -e 0 start ${ms(nodeStart)}; bare node HTTP server round trip median ${ms(median(bareRtt))}, 16 callers ${bareRate.toFixed(0)} req/s`,
  );

  const readyRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await startServe();
    readyRuns.push(s.readyMs);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  const { child, endpoint } = await startServe();
  const lambda = new LambdaClient(clientConfig(endpoint));
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
      `cloud ready (process start -> first request accepted): median ${ms(median(readyRuns))} (${versus(median(readyRuns), nodeStart, 'node -e 0')}) (runs: ${readyRuns.map((x) => x.toFixed(0)).join(', ')} ms)   target < 300 ms`,
      `cold invoke (new function: spawn, init, invoke):       median ${ms(median(cold))} (${versus(median(cold), nodeStart, 'node -e 0')}), p90 ${ms(pct(cold, 90))}, n=${cold.length}   target median < 150 ms`,
      `warm invoke (sequential, @aws-sdk/client-lambda):      median ${ms(median(warm))} (${versus(median(warm), median(bareRtt), 'bare HTTP round trip')}), p99 ${ms(pct(warm, 99))}, n=${warm.length}   target median < 2 ms`,
      `throughput (${callers} concurrent callers, ${durationMs / 1000} s):            ${rate.toFixed(0)} invokes/s (${versus(rate, bareRate, 'bare HTTP req/s')}) (${count} invokes, ${errors} function errors)   target >= 1500/s`,
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
