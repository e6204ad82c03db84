/**
 * The container image, for real where Docker runs: built once for this file with the registry-free
 * script (npm run image:local), started as `docker run -d -p 127.0.0.1::4566 lambda-testbed:local`,
 * then: health and the HEALTHCHECK, a function created and invoked through @aws-sdk/client-lambda,
 * a non-root user, no dev or run-only dependencies in /app, settings through environment variables,
 * and SIGTERM stopping it within seconds with no function process left. Where Docker is absent or
 * its daemon is not running, every test is skipped with the reason in its title.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { docker, dockerStatus, exec, httpGet, lambdaClient, ROLE, skip, whoamiZip } from './helpers';

const root = path.resolve(__dirname, '..', '..');
const IMAGE = 'lambda-testbed:local';
const status = dockerStatus();

/** docker run -d, the host port of 4566, and the container's id. */
async function runContainer(...extra: string[]): Promise<{ id: string; endpoint: string }> {
  const id = await docker('run', '-d', '-p', '127.0.0.1::4566', ...extra, IMAGE);
  const port = /:(\d+)\s*$/m.exec(await docker('port', id, '4566/tcp'))?.[1];
  if (!port) throw new Error(`no host port for ${id}`);
  return { id, endpoint: `http://127.0.0.1:${port}` };
}

/** Polls until the cloud answers its health endpoint (connection errors while it starts are expected). */
async function waitForHealth(endpoint: string, id: string): Promise<Record<string, string>> {
  for (;;) {
    try {
      const res = await httpGet(`${endpoint}/_localstack/health`);
      const body = JSON.parse(res.body) as { services: Record<string, string> };
      if (res.status === 200 && Object.keys(body.services).length > 0) return body.services;
    } catch {
      // not accepting yet
    }
    if ((await docker('inspect', '-f', '{{.State.Running}}', id)) !== 'true') {
      throw new Error(`the container exited while starting:\n${(await exec('docker', ['logs', id])).stdout}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The container's first health status event (healthy or unhealthy), from its creation on. */
async function firstHealthStatus(id: string): Promise<string> {
  const since = await docker('inspect', '-f', '{{.Created}}', id);
  const events = spawn('docker', ['events', '--since', since, '--filter', `container=${id}`, '--filter', 'event=health_status', '--format', '{{.Status}}'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      events.stdout.on('data', (b: Buffer) => {
        text += b.toString();
        const line = /^health_status: (\w+)$/m.exec(text);
        if (line) resolve(line[1]);
      });
      events.on('exit', (code) => reject(new Error(`docker events ended (exit ${code}) without a health status`)));
    });
  } finally {
    events.kill();
  }
}

const TESTS = [
  'answers /_localstack/health and its HEALTHCHECK reports healthy',
  'creates and invokes a function through @aws-sdk/client-lambda (the function process inside the container)',
  'runs as the non-root node user',
  'holds dist/ and the production dependencies only: no dev or run-only packages, no sources',
  'takes the time mode from TESTBED_TIME',
  'stops within seconds on SIGTERM (exit 0), with no function process left',
  'stops within seconds on SIGTERM even when a function left a detached process behind',
];

if ('reason' in status) {
  describe('the lambda-testbed image', () => {
    for (const name of TESTS) skip(name, status.reason);
  });
} else {
  describe(`the lambda-testbed image (Docker ${status.version})`, () => {
    const containers: string[] = [];
    let main: { id: string; endpoint: string };

    beforeAll(async () => {
      const build = await exec(process.execPath, [path.join(root, 'scripts', 'image-local.js'), '--tag', IMAGE], { cwd: root, timeout: 600_000 });
      if (build.code !== 0) throw new Error(`npm run image:local failed (exit ${build.code}):\n${build.stderr}`);
      expect(build.stdout).toMatch(/image:local: built lambda-testbed:local \(\d+\.\d MB\)/);
      main = await runContainer();
      containers.push(main.id);
      await waitForHealth(main.endpoint, main.id);
    }, 600_000);

    afterAll(async () => {
      for (const id of containers) await exec('docker', ['rm', '-f', id]);
    });

    it(TESTS[0], async () => {
      const services = await waitForHealth(main.endpoint, main.id);
      expect(services).toMatchObject({ lambda: 'running', sqs: 'running', sns: 'running', events: 'running', kinesis: 'running' });
      expect(await firstHealthStatus(main.id)).toBe('healthy');
    }, 60_000);

    it(TESTS[1], async () => {
      const lambda = lambdaClient(main.endpoint);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'whoami', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: whoamiZip() } }));
      const res = await lambda.send(new InvokeCommand({ FunctionName: 'whoami', Payload: JSON.stringify({ hello: 'container' }) }));
      expect(res.StatusCode).toBe(200);
      expect(res.FunctionError).toBeUndefined();
      const body = JSON.parse(Buffer.from(res.Payload!).toString()) as { event: unknown; account: string; endpoint: string };
      expect(body.event).toEqual({ hello: 'container' });
      // The runtime's own AWS SDK reached the cloud from inside the container.
      expect(body.account).toBe('000000000000');
      expect(body.endpoint).toMatch(/:4566$/);
      const top = await docker('top', main.id, '-o', 'pid,args');
      expect(top).toMatch(/bootstrap-[0-9a-f]+\.js/);
    });

    it(TESTS[2], async () => {
      expect(await docker('inspect', '-f', '{{.Config.User}}', IMAGE)).toBe('1000:1000');
      expect(await docker('exec', main.id, 'node', '-p', 'process.getuid() + " " + require("os").userInfo().username')).toBe('1000 node');
    });

    it(TESTS[3], async () => {
      const listing = JSON.parse(
        await docker(
          'exec',
          main.id,
          'node',
          '-p',
          'const fs=require("fs");JSON.stringify({app:fs.readdirSync("/app").sort(),modules:fs.readdirSync("/app/node_modules").flatMap(d=>d.startsWith("@")?fs.readdirSync("/app/node_modules/"+d).map(n=>d+"/"+n):[d])})',
        ),
      ) as { app: string[]; modules: string[] };
      expect(listing.app).toEqual(['dist', 'node_modules', 'package.json']);
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
      const unwanted = [...Object.keys(pkg.devDependencies), 'jest', 'jest-junit', 'testcontainers', '@testcontainers/localstack', 'typescript', '@types/node'];
      expect(listing.modules.filter((m) => unwanted.includes(m))).toEqual([]);
      expect(listing.modules).toEqual(expect.arrayContaining(['@aws-sdk/client-lambda', 'commander', 'esbuild', 'fflate']));
    });

    it(TESTS[4], async () => {
      const other = await runContainer('-e', 'TESTBED_TIME=compressed');
      containers.push(other.id);
      await waitForHealth(other.endpoint, other.id);
      const clock = (await (await fetch(`${other.endpoint}/_testbed/clock`)).json()) as { mode: string };
      expect(clock.mode).toBe('compressed');
      expect((await (await fetch(`${main.endpoint}/_testbed/clock`)).json()) as { mode: string }).toMatchObject({ mode: 'real' });
    });

    it(TESTS[5], async () => {
      // A function environment alive (from the invoke test, or a new one).
      const lambda = lambdaClient(main.endpoint);
      const res = await lambda.send(new InvokeCommand({ FunctionName: 'whoami', Payload: '{}' }));
      expect(res.FunctionError).toBeUndefined();
      const top = (await docker('top', main.id, '-o', 'pid,args')).split('\n').slice(1);
      const functionPids = top.filter((l) => /bootstrap-[0-9a-f]+\.js/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
      expect(functionPids.length).toBeGreaterThan(0);
      // docker top shows host pids: with a local daemon they can be checked after the stop.
      const visible = functionPids.filter((pid) => fs.existsSync(`/proc/${pid}/cmdline`) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('bootstrap-'));
      const mainPid = Number(await docker('inspect', '-f', '{{.State.Pid}}', main.id));
      if (fs.existsSync(`/proc/${mainPid}`)) expect(visible).toEqual(functionPids); // the daemon runs on this machine

      const started = process.hrtime.bigint();
      await docker('stop', '--time', '10', main.id);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(ms).toBeLessThan(5_000);
      // 0: serve handled SIGTERM itself (a container killed after the grace period exits 137).
      expect(await docker('inspect', '-f', '{{.State.ExitCode}} {{.State.OOMKilled}}', main.id)).toBe('0 false');
      const logs = await exec('docker', ['logs', main.id]);
      expect(logs.stdout).toMatch(/Received SIGTERM, stopping\.\.\.\nStopped\.\n$/);
      for (const pid of visible) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    }, 60_000);

    it(TESTS[6], async () => {
      const other = await runContainer();
      containers.push(other.id);
      await waitForHealth(other.endpoint, other.id);
      // A process in its own group, holding the function's stdout and stderr open.
      const code =
        "const cp = require('child_process');" +
        "exports.handler = async () => { const c = cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'inherit' }); c.unref(); return c.pid; };";
      const lambda = lambdaClient(other.endpoint);
      await lambda.send(
        new CreateFunctionCommand({ FunctionName: 'leaves-a-process', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipSync({ 'index.js': new TextEncoder().encode(code) }) } }),
      );
      const res = await lambda.send(new InvokeCommand({ FunctionName: 'leaves-a-process' }));
      expect(res.FunctionError).toBeUndefined();
      const started = process.hrtime.bigint();
      await docker('stop', '--time', '10', other.id);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5_000);
      expect(await docker('inspect', '-f', '{{.State.Running}}', other.id)).toBe('false');
      expect((await exec('docker', ['logs', other.id])).stdout).toMatch(/Received SIGTERM, stopping\.\.\./);
    }, 60_000);
  });
}
