/**
 * TestbedContainer and `testbed run --target container` against the real image (lambda-testbed:local,
 * or TESTBED_IMAGE), built by `npm run image:local` or `docker build -t lambda-testbed:local .`.
 * Where Docker or the image is missing every test here is reported as skipped with the reason in its
 * title, never passed. Where Testcontainers cannot pull its Ryuk image (machines without a registry),
 * run with TESTCONTAINERS_RYUK_DISABLED=true.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getContainerRuntimeClient } from 'testcontainers';
import { ContainerStartError, TestbedContainer, dockerHostProblem, type StartedTestbedContainer } from '../../src/testbed/container';
import { ALL_CAPABILITIES, startContainerTarget } from '../../src/testbed/targets';
import { skip } from './helpers';

const root = path.resolve(__dirname, '../..');
const image = process.env.TESTBED_IMAGE?.trim() || 'lambda-testbed:local';

/**
 * Why these tests cannot run here, or undefined. Checked in a child process because jest collects
 * tests synchronously; it asks Docker through Testcontainers, as the tests do.
 */
function unavailable(): string | undefined {
  const badHost = dockerHostProblem();
  if (badHost) return badHost;
  const probe = `
    const { getContainerRuntimeClient, getReaper, ImageName } = require('testcontainers');
    const say = (o) => process.stdout.write(JSON.stringify(o));
    getContainerRuntimeClient().then(
      async (c) => {
        if (!(await c.image.exists(ImageName.fromString(${JSON.stringify(image)})))) return say({ image: false });
        await getReaper(c).then(() => say({ ok: true }), () => say({ ryuk: false }));
      },
      () => say({ docker: false }),
    );`;
  try {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 })) as Record<string, boolean>;
    if (out.docker === false) return 'no Docker daemon answers';
    if (out.image === false) return `image ${image} is not built (npm run image:local)`;
    if (out.ryuk === false) return "Testcontainers' Ryuk image cannot be started here (set TESTCONTAINERS_RYUK_DISABLED=true)";
    return undefined;
  } catch (err) {
    return `Docker could not be checked (${(err as Error).message.split('\n')[0]})`;
  }
}

const reason = unavailable();
/** A test, or where Docker or the image is missing, a skipped one with the reason (title and stderr). */
const test = (name: string, fn: () => Promise<void>, timeout = 120_000) => (reason ? skip(name, reason) : it(name, fn, timeout));

async function containerExists(id: string): Promise<boolean> {
  const client = await getContainerRuntimeClient();
  return client.container
    .inspect(client.container.getById(id))
    .then(() => true)
    .catch(() => false);
}

describe(`TestbedContainer (${image})`, () => {
  let started: StartedTestbedContainer | undefined;
  afterEach(async () => {
    await started?.stop().catch(() => undefined);
    started = undefined;
  });

  test('starts in compressed time, serves AWS APIs on 127.0.0.1 at getEndpoint(), and stop() removes it', async () => {
    started = await new TestbedContainer(image).withTimeMode('compressed').start();
    const endpoint = started.getEndpoint();
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.getConnectionUri()).toBe(endpoint);

    const health = (await (await fetch(`${endpoint}/_testbed/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const clock = (await (await fetch(`${endpoint}/_testbed/clock`)).json()) as { mode: string };
    expect(clock.mode).toBe('compressed');

    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await sqs.send(new CreateQueueCommand({ QueueName: 'in-the-container' }));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'in-the-container' }));
    expect(QueueUrl).toMatch(/\/000000000000\/in-the-container$/);
    sqs.destroy();

    // Published on loopback only: the cloud runs whatever code it is given.
    const client = await getContainerRuntimeClient();
    const info = await client.container.inspect(client.container.getById(started.getId()));
    expect(info.NetworkSettings.Ports['4566/tcp']?.map((b) => b.HostIp)).toEqual(['127.0.0.1']);

    const id = started.getId();
    const stopping = Date.now();
    await started.stop();
    started = undefined;
    expect(Date.now() - stopping).toBeLessThan(8_000); // it handles SIGTERM; no 10 s kill
    expect(await containerExists(id)).toBe(false);
    await expect(fetch(`${endpoint}/_testbed/health`)).rejects.toThrow();
  });

  test('runs in real time unless told otherwise', async () => {
    started = await new TestbedContainer(image).start();
    const clock = (await (await fetch(`${started.getEndpoint()}/_testbed/clock`)).json()) as { mode: string };
    expect(clock.mode).toBe('real');
  });

  test('the container target probes its capabilities and stops it', async () => {
    const target = await startContainerTarget({ image, env: {} });
    try {
      expect(target).toMatchObject({ kind: 'endpoint', capabilities: ALL_CAPABILITIES, container: { image } });
      expect(await containerExists(target.container!.id)).toBe(true);
    } finally {
      await target.stop();
    }
    expect(await containerExists(target.container!.id)).toBe(false);
  });

  test('an image that is not there: one line, nothing pulled for a :local tag', async () => {
    const started = Date.now();
    const err = (await new TestbedContainer('lambda-testbed-no-such-image:local').start().catch((e: unknown) => e)) as ContainerStartError;
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err.failure).toBe('image-not-found');
    expect(err.message).toBe(
      'Could not start the testbed container: image lambda-testbed-no-such-image:local is not on this machine (":local" images are built, never pulled). ' +
        'Build lambda-testbed-no-such-image:local, or set TESTBED_IMAGE to an image you have (build the default one with "npm run image:local").',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('an image that cannot be pulled: one line', async () => {
    const err = (await new TestbedContainer('lambda-testbed-no-such-image:0.0.0').start().catch((e: unknown) => e)) as ContainerStartError;
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err.failure).toBe('image-not-found');
    expect(err.message).toMatch(/^Could not start the testbed container \(lambda-testbed-no-such-image:0\.0\.0\): the image is not on this machine and could not be pulled \(.+\)\. Build or pull /);
    expect(err.message).not.toContain('\n');
  });

  test('a container that exits while starting: its exit code and last log line, and nothing left behind', async () => {
    const container = new TestbedContainer(image)
      .withEntrypoint(['node'])
      .withCommand(['-e', 'console.log("loading settings"); console.error("bad setting TESTBED_PORT=x"); process.exit(3)'])
      .withStartupTimeout(30_000);
    const started = Date.now();
    const err = (await container.start().catch((e: unknown) => e)) as ContainerStartError;
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err.failure).toBe('container-exited');
    expect(err.message).toMatch(/^Could not start the testbed container \(.+\): the container exited while starting( with code 3)?; its last log line: "bad setting TESTBED_PORT=x"\. Run "docker run --rm .+" to see its whole output\.$/);
    expect(Date.now() - started).toBeLessThan(25_000);
    const client = await getContainerRuntimeClient();
    const left = await client.container.dockerode.listContainers({ all: true });
    expect(left.filter((c) => c.Command.includes('bad setting TESTBED_PORT=x'))).toEqual([]);
  });
});

describe('testbed run --target container', () => {
  test('runs a scenario suite against the image and stops the container', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin/testbed.js'), 'run', '--target', 'container', '--suite', 'sqs/visibility'],
      { cwd: root, env: { ...process.env, TESTBED_IMAGE: image, TESTBED_TARGET: '' } },
    );
    const id = /Target container \S+ \(([0-9a-f]{12})\) ready at http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[1];
    expect(id).toBeDefined();
    expect(stdout).toMatch(/Scenarios: [1-9]\d* passed, 0 failed/);
    expect(await containerExists(id!)).toBe(false);
  }, 300_000);

  test('stops the container when interrupted (Ctrl-C) and exits 130', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/testbed.js'), 'run', '--target', 'container'], {
      cwd: root,
      env: { ...process.env, TESTBED_IMAGE: image, TESTBED_TARGET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const id = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const ready = /\(([0-9a-f]{12})\) ready at http/.exec(out);
        if (ready) resolve(ready[1]);
      });
      void exited.then((code) => reject(new Error(`testbed run ended (exit ${code}) before the target was ready: ${stderr}`)));
    });
    expect(await containerExists(id)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('Received SIGINT, stopping the target...');
    expect(await containerExists(id)).toBe(false);
  }, 120_000);
});

describe('testbed run --target container: bad input, one line and exit 1', () => {
  const testbed = (env: Record<string, string | undefined>) =>
    promisify(execFile)(process.execPath, [path.join(root, 'bin/testbed.js'), 'run', '--target', 'container'], {
      cwd: root,
      env: { ...process.env, TESTBED_TARGET: '', ...env },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );

  test('an image that is not built', async () => {
    const { code, stderr } = await testbed({ TESTBED_IMAGE: 'lambda-testbed-no-such-image:local' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^testbed: Could not start the testbed container: image lambda-testbed-no-such-image:local is not on this machine/)]);
  });

  test('a Ryuk clean-up image that cannot be pulled points at TESTCONTAINERS_RYUK_DISABLED', async () => {
    const { code, stderr } = await testbed({ TESTBED_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: undefined, RYUK_CONTAINER_IMAGE: 'lambda-testbed-no-such-ryuk:0.0.0' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^testbed: Could not start the testbed container \(.+\): Testcontainers could not start its Ryuk clean-up container \(.+\)\. Where that image cannot be pulled, set TESTCONTAINERS_RYUK_DISABLED=true\.$/),
    ]);
  });
});
