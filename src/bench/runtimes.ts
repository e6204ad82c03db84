/**
 * Section "runtimes" of `npm run bench`: cold and warm invoke for a Python function (python3.12 on
 * the machine's python3) and custom runtimes (provided.al2023: functions/custom-bootstrap in sh +
 * curl, whose every invoke runs curl twice; and a bootstrap that is a Node.js script keeping one
 * process, the platform's own cost for a compiled runtime), each beside the Node.js figure measured
 * in the same run on the same cloud.
 *   cold  CreateFunction of a new function, then the first Invoke (spawn, init, invoke), median of n
 *   warm  sequential Invoke round trips through @aws-sdk/client-lambda after a warm-up, median and p99
 *   env   RSS of one idle warm environment (the custom runtime's: the shell, not its curl children)
 * A runtime the machine cannot run is reported with the reason instead of numbers.
 */
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { onPath, pythonUnavailableReason } from '../cloud/lambda/runtime/machine';
import { buildFunction } from '../testbed/build';
import { clientConfig, get, median, ms, pct, rssMb, startServe, stopChild, versus } from './common';

const ROLE = 'arn:aws:iam::000000000000:role/bench';
const COLD_RUNS = 10;
const WARM_RUNS = 300;

interface Subject {
  label: string;
  /** A folder under functions/, or the zip itself. */
  code: string | Uint8Array;
  runtime: string;
  handler: string;
  /** The event of the warm runs: the function returns at once. */
  warmEvent: string;
  skip?: string;
}

interface Figures {
  cold: number[];
  warm: number[];
  envMb: number;
}

async function measure(lambda: LambdaClient, endpoint: string, s: Subject, tag: string): Promise<Figures> {
  const zip = typeof s.code === 'string' ? new Uint8Array((await buildFunction(s.code)).zip) : s.code;
  const create = async (name: string) => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: s.runtime as never, Handler: s.handler, Role: ROLE, Code: { ZipFile: zip } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  };
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const name = `bench-rt-${tag}-cold-${i}`;
    await create(name);
    const t = performance.now();
    const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(s.warmEvent) }));
    cold.push(performance.now() - t);
    if (r.FunctionError) throw new Error(`${s.label} cold invoke failed: ${Buffer.from(r.Payload ?? []).toString()}`);
  }
  const name = `bench-rt-${tag}-warm`;
  await create(name);
  const payload = Buffer.from(s.warmEvent);
  for (let i = 0; i < 50; i++) await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
    warm.push(performance.now() - t);
    if (r.FunctionError) throw new Error(`${s.label} warm invoke failed: ${Buffer.from(r.Payload ?? []).toString()}`);
  }
  const envs = JSON.parse((await get(`${endpoint}/_testbed/environments`)).body).environments as { functionName: string; pid?: number }[];
  const env = envs.find((e) => e.functionName === name && e.pid);
  return { cold, warm, envMb: env?.pid ? rssMb(env.pid) : NaN };
}

/** A custom runtime whose bootstrap is a Node.js script: one process, keep-alive HTTP to the Runtime API. */
function nodeScriptBootstrap(): Uint8Array {
  const script = [
    `#!${process.execPath}`,
    "const http = require('http');",
    "const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');",
    'const agent = new http.Agent({ keepAlive: true });',
    'const call = (method, path, body) => new Promise((resolve, reject) => {',
    '  const req = http.request({ host, port, path: `/2018-06-01/runtime${path}`, method, agent }, (res) => {',
    "    const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));",
    '  });',
    "  req.on('error', reject); req.end(body);",
    '});',
    '(async () => { for (;;) {',
    "  const next = await call('GET', '/invocation/next');",
    "  await call('POST', `/invocation/${next.headers['lambda-runtime-aws-request-id']}/response`, next.body);",
    '} })();',
    '',
  ].join('\n');
  return zipSync({ bootstrap: [new TextEncoder().encode(script), { attrs: (0o100755 << 16) >>> 0, os: 3 }] });
}

export async function benchRuntimes(): Promise<void> {
  const subjects: Subject[] = [
    { label: 'Node.js (nodejs20.x)', code: 'control', runtime: 'nodejs20.x', handler: 'index.handler', warmEvent: '{"action":"return","noProbe":true}' },
    {
      label: 'Python (python3.12)',
      code: 'python-echo',
      runtime: 'python3.12',
      handler: 'handler.handler',
      warmEvent: '{"action":"return","noProbe":true}',
      skip: pythonUnavailableReason(),
    },
    {
      label: 'custom runtime (provided.al2023, sh + curl)',
      code: 'custom-bootstrap',
      runtime: 'provided.al2023',
      handler: 'function.handler',
      warmEvent: '{"action":"state"}',
      skip: onPath('curl') ? undefined : 'no curl on this machine',
    },
    { label: 'custom runtime (provided.al2023, a Node.js script bootstrap)', code: nodeScriptBootstrap(), runtime: 'provided.al2023', handler: 'x', warmEvent: '{}' },
  ];
  const { child, endpoint } = await startServe();
  const lambda = new LambdaClient(clientConfig(endpoint));
  try {
    const results: (Figures | undefined)[] = [];
    for (const [i, s] of subjects.entries()) results.push(s.skip ? undefined : await measure(lambda, endpoint, s, String(i)));
    const node = results[0]!;
    const lines = subjects.map((s, i) => {
      const f = results[i];
      if (!f) return `${s.label}: skipped (${s.skip})`;
      const beside = i === 0 ? '' : ` (${versus(median(f.cold), median(node.cold), 'Node.js')})`;
      const besideWarm = i === 0 ? '' : ` (${versus(median(f.warm), median(node.warm), 'Node.js')})`;
      return (
        `${s.label}: cold median ${ms(median(f.cold))}${beside}, p90 ${ms(pct(f.cold, 90))}, n=${f.cold.length}; ` +
        `warm median ${ms(median(f.warm))}${besideWarm}, p99 ${ms(pct(f.warm, 99))}, n=${f.warm.length}; idle warm environment ${f.envMb.toFixed(1)} MB RSS`
      );
    });
    console.log(lines.join('\n'));
  } finally {
    lambda.destroy();
    await stopChild(child);
  }
}
