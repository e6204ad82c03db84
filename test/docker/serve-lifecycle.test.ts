/**
 * What the container relies on from `testbed serve`, tested without Docker: the port answers
 * /_localstack/health while the cloud starts (other requests wait for it), SIGTERM is handled from
 * the first moment and stops every function process, settings come from environment variables,
 * and a port in use or a bad host is one clear line and exit code 1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createProgram, serve, startingAnswer } from '../../src/cli';
import { listen, reserve } from '../../src/cloud/server';
import type { RawRequest, RawResponse } from '../../src/cloud/protocols/types';
import { fakeIo, lambdaClient, ROLE, whoamiZip } from './helpers';

const root = path.resolve(__dirname, '..', '..');

function answer(status: number, body: string): RawResponse {
  return { status, headers: { 'content-type': 'text/plain' }, body };
}

const starting = (req: RawRequest): RawResponse | undefined => (req.path === '/_localstack/health' ? answer(200, 'starting') : undefined);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a port bound before the cloud (server.reserve)', () => {
  it('answers health while starting, holds other requests, and hands them to the cloud that adopts the port', async () => {
    const reservation = await reserve(0, '127.0.0.1', starting);
    const base = `http://127.0.0.1:${reservation.port}`;
    const health = await fetch(`${base}/_localstack/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('starting');

    let held: string | undefined;
    const pending = fetch(`${base}/2015-03-31/functions/`).then(async (r) => (held = `${r.status} ${await r.text()}`));
    // The health endpoint still answers at once while that request waits.
    expect(await (await fetch(`${base}/_localstack/health`)).text()).toBe('starting');
    expect(held).toBeUndefined();

    const endpoint = await listen(async (req) => answer(200, `cloud ${req.path}`), reservation.port, '127.0.0.1');
    try {
      expect(endpoint.port).toBe(reservation.port);
      await pending;
      expect(held).toBe('200 cloud /2015-03-31/functions/');
      expect(await (await fetch(`${base}/_localstack/health`)).text()).toBe('cloud /_localstack/health');
      await reservation.release(); // adopted: a no-op, the cloud's endpoint owns the port now
      expect((await fetch(`${base}/x`)).status).toBe(200);
    } finally {
      await endpoint.close();
    }
    await expect(fetch(`${base}/x`)).rejects.toThrow();
  });

  it('answers 503 to the requests still waiting when the cloud never comes, and frees the port', async () => {
    const reservation = await reserve(0, '127.0.0.1', starting);
    const base = `http://127.0.0.1:${reservation.port}`;
    const pending = fetch(`${base}/anything`);
    await fetch(`${base}/_localstack/health`); // the request above has reached the server
    await reservation.release();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('x-amzn-errortype')).toBe('ServiceUnavailableException');
    await expect(fetch(`${base}/_localstack/health`)).rejects.toThrow();
  });

  it('fails like listen() when the port is taken', async () => {
    const holder = await reserve(0, '127.0.0.1', starting);
    try {
      await expect(reserve(holder.port, '127.0.0.1', starting)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await holder.release();
    }
  });
});

describe('testbed serve: start, signals, settings', () => {
  it("answers /_localstack/health while starting in LocalStack's shape with no service running, then with every service running", async () => {
    const early = startingAnswer({ method: 'GET', path: '/_localstack/health', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) })!;
    expect(early.status).toBe(200);
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(early.body as string)).toEqual({ services: {}, edition: 'community', version: `lambda-testbed-${version}` });
    expect(startingAnswer({ method: 'GET', path: '/_testbed/health', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) })).toBeUndefined();

    const { io, waitForLine, signals } = fakeIo();
    const done = serve({ port: 0, host: '127.0.0.1', io });
    const ready = await waitForLine(/Ready\./);
    const endpoint = /(http:\/\/127\.0\.0\.1:\d+)/.exec(ready)![1];
    const health = (await (await fetch(`${endpoint}/_localstack/health`)).json()) as { services: Record<string, string>; edition: string };
    expect(health.edition).toBe('community');
    expect(Object.values(health.services).length).toBeGreaterThan(0);
    expect(new Set(Object.values(health.services))).toEqual(new Set(['running']));
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe(0);
  });

  it('a SIGTERM that arrives while the cloud starts stops it right after it started (exit 0)', async () => {
    const { io, signals, lines, exits } = fakeIo();
    const done = serve({ port: 0, host: '127.0.0.1', io });
    signals.emit('SIGTERM', 'SIGTERM'); // before anything has been awaited
    await expect(done).resolves.toBe(0);
    expect(lines.filter((l) => /^(Ready\.|Received|Stopped)/.test(l)).map((l) => l.split(' ')[0])).toEqual(['Ready.', 'Received', 'Stopped.']);
    expect(exits).toEqual([]);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('a port in use is one line saying what to do, and exit code 1', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const { io, errors, lines, signals } = fakeIo();
      await expect(serve({ port, host: '127.0.0.1', io })).resolves.toBe(1);
      expect(errors).toEqual([
        `testbed: port ${port} on 127.0.0.1 is already in use; stop what holds it, or choose another port with --port (or TESTBED_PORT; 0 = any free port).`,
      ]);
      expect(lines).toEqual([]);
      expect(signals.listenerCount('SIGTERM')).toBe(0);
    } finally {
      holder.close();
    }
  });

  it('a host that is not a local address is one line, and exit code 1', async () => {
    const { io, errors } = fakeIo();
    // 192.0.2.0/24 is TEST-NET-1: never an address of this machine.
    await expect(serve({ port: 0, host: '192.0.2.1', io })).resolves.toBe(1);
    expect(errors).toEqual(['testbed: cannot listen on host "192.0.2.1": no such local address; use --host 127.0.0.1 (or 0.0.0.0 for every interface).']);
  });

  it('takes port, host, time mode and data folder from TESTBED_* environment variables (flags win)', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testbed-serve-env-'));
    const saved = { ...process.env };
    Object.assign(process.env, { TESTBED_PORT: String(port), TESTBED_HOST: '127.0.0.1', TESTBED_TIME: 'compressed', TESTBED_DATA_DIR: dataDir });
    try {
      const { io, waitForLine, signals, exits } = fakeIo();
      const parsed = createProgram(io).parseAsync(['node', 'testbed', 'serve']);
      const ready = await waitForLine(/Ready\./);
      expect(ready).toContain(`http://127.0.0.1:${port} `);
      expect(ready).toContain('compressed time');
      const clock = (await (await fetch(`http://127.0.0.1:${port}/_testbed/clock`)).json()) as { mode: string };
      expect(clock.mode).toBe('compressed');
      signals.emit('SIGTERM', 'SIGTERM');
      await parsed;
      expect(exits).toEqual([0]);
      expect(fs.existsSync(dataDir)).toBe(true); // a given data folder is the caller's: kept

      const flags = fakeIo();
      const again = createProgram(flags.io).parseAsync(['node', 'testbed', 'serve', '--port', '0', '--time', 'real']);
      const line = await flags.waitForLine(/Ready\./);
      expect(line).not.toContain(`:${port} `);
      expect(line).toContain('real time');
      flags.signals.emit('SIGINT', 'SIGINT');
      await again;
      expect(flags.exits).toEqual([0]);
    } finally {
      for (const k of ['TESTBED_PORT', 'TESTBED_HOST', 'TESTBED_TIME', 'TESTBED_DATA_DIR']) delete process.env[k];
      Object.assign(process.env, saved);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('testbed serve as a process', () => {
  it('stops within seconds on SIGTERM (exit 0), taking its function processes with it', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'testbed.js'), 'serve', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      // bin/testbed.js compiles src/ first when dist/ is older than it.
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /Ready\. Embedded cloud listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        void exited.then(() => reject(new Error(`serve exited before Ready.: ${out}${err}`)));
      });
      const lambda = lambdaClient(endpoint);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'whoami', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: whoamiZip() } }));
      const res = await lambda.send(new InvokeCommand({ FunctionName: 'whoami', Payload: JSON.stringify({ n: 1 }) }));
      expect(res.FunctionError).toBeUndefined();
      const body = JSON.parse(Buffer.from(res.Payload!).toString()) as { pid: number; account: string };
      expect(body.account).toBe('000000000000');
      expect(pidAlive(body.pid)).toBe(true); // the warm environment stays

      const sent = process.hrtime.bigint();
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      const ms = Number(process.hrtime.bigint() - sent) / 1e6;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(ms).toBeLessThan(3_000);
      expect(out).toMatch(/Received SIGTERM, stopping\.\.\.\nStopped\.\n$/);
      expect(pidAlive(body.pid)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
