/** Helpers the bench sections share: statistics, /proc readings and the embedded cloud in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
export const ms = (n: number) => `${n.toFixed(2)} ms`;

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks, 100/s on Linux).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

export function get(url: string): Promise<{ status: number; body: string }> {
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

/** BENCH_CPU_PROF=<dir>: server children run under `node --cpu-prof`, profiles written to <dir> when they stop. */
export function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
}

export async function startServe(nodeArgs: string[] = [], serveArgs: string[] = []): Promise<{ child: ChildProcess; readyMs: number; endpoint: string }> {
  const cli = path.resolve(__dirname, '..', 'cli', 'index.js');
  const t0 = performance.now();
  // Port 0: the cloud picks a free port and names it in its "Ready." line.
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--port', '0', ...serveArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
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

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Baseline: how long a bare `node -e 0` takes from spawn to exit, in ms (median of `runs`). */
export async function nodeStartMs(runs = 5): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** Baseline: a bare node HTTP server in a child process that answers '{}' to anything. */
export async function startBareServer(): Promise<{ child: ChildProcess; port: number }> {
  const script =
    "const s = require('node:http').createServer({ keepAliveTimeout: 65000 }, (q, r) => { q.resume(); q.on('end', () => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }); r.end('{}'); }); });" +
    "s.listen(0, '127.0.0.1', () => console.log('READY ' + s.address().port)); process.on('SIGTERM', () => process.exit(0));";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`bare server exited early: ${out}`)));
  });
  return { child, port };
}

/** One POST round trip to a bare server over `agent`. */
export function bareRoundTrip(port: number, agent: http.Agent, body = '{}'): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** "<figure> (<ratio>x <baseline name>)": a figure beside its same-run baseline. */
export const versus = (value: number, baseline: number, name: string) => `${(value / baseline).toFixed(2)}x ${name}`;

/**
 * A peer or stub server in a child process: `node <args> -e <script>`, run from the repository root;
 * the script prints `READY <port> [anything]` once it listens. Returns the port and the rest of that line.
 */
export function startScript(args: string[], script: string): Promise<{ child: ChildProcess; port: number; rest: string }> {
  return startProcess(process.execPath, [...args, '-e', script]);
}

/**
 * Any command that prints `READY <port> [anything]` once it listens (moto's server, a node script).
 * Its stderr is passed through unless `quiet` (moto logs every request there); either way the last of
 * it is in the error when the command exits before it is ready.
 */
export async function startProcess(command: string, args: string[], quiet = false): Promise<{ child: ChildProcess; port: number; rest: string }> {
  const child = spawn(command, args, { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-2000);
    if (!quiet) process.stderr.write(c);
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /READY ([^\n]*)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server child exited early (${code}): ${out}${err.slice(-500)}`)));
    child.once('error', reject);
  });
  const [port, ...rest] = line.split(' ');
  return { child, port: Number(port), rest: rest.join(' ') };
}

/** What every bench client gets: the endpoint, test credentials, no retries, a keep-alive agent of 64 sockets. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  };
}
