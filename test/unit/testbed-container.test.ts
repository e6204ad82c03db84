/**
 * TestbedContainer's configuration and the container targets' failures, checked without a Docker
 * daemon (DOCKER_HOST points at a socket that does not exist). Starting the image for real is in
 * test/docker/testbed-container.test.ts.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContainerStartError,
  DEFAULT_TESTBED_IMAGE,
  TESTBED_HEALTH_PATH,
  TESTBED_PORT,
  TestbedContainer,
  containerExited,
  dockerHostProblem,
  explainContainerFailure,
  testbedImageHint,
  type ContainerDescription,
} from '../../src/testbed/container';
import { LocalStackTarget, startContainerTarget, startTarget } from '../../src/testbed/targets';

/** The fields GenericContainer keeps its settings in (protected; read here only to check them). */
type ContainerInternals = {
  imageName: { string: string; tag: string };
  environment: Record<string, string>;
  exposedPorts: unknown[];
  startupTimeoutMs?: number;
  waitStrategy: { path?: string; port?: number; options?: { abortOnContainerExit?: boolean } };
};

const subject: ContainerDescription = { what: 'the testbed container', image: 'lambda-testbed:local', imageHint: testbedImageHint('lambda-testbed:local') };
const missingSocket = `unix://${path.join(os.tmpdir(), `no-docker-${process.pid}.sock`)}`;

/** One line, no stack trace. */
function expectOneLine(message: string): void {
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\n\s+at /);
}

describe('TestbedContainer', () => {
  it('defaults to lambda-testbed:local on port 4566, ready when /_testbed/health answers', () => {
    const c = new TestbedContainer() as unknown as ContainerInternals;
    expect(DEFAULT_TESTBED_IMAGE).toBe('lambda-testbed:local');
    expect(c.imageName.string).toBe('lambda-testbed:local');
    expect(c.exposedPorts).toEqual([TESTBED_PORT]);
    expect(TESTBED_PORT).toBe(4566);
    expect(c.waitStrategy).toMatchObject({ path: TESTBED_HEALTH_PATH, port: 4566, options: { abortOnContainerExit: true } });
    expect(c.startupTimeoutMs).toBe(60_000);
  });

  it('takes another image, a time mode, settings and a startup timeout, fluently', () => {
    const container = new TestbedContainer('my/testbed:1.2')
      .withTimeMode('compressed')
      .withEnvironment({ AWS_DEFAULT_REGION: 'eu-west-1' })
      .withStartupTimeout(5_000);
    expect(container).toBeInstanceOf(TestbedContainer);
    const c = container as unknown as ContainerInternals;
    expect(c.imageName.string).toBe('my/testbed:1.2');
    expect(container.getEnvironment()).toEqual({ TESTBED_TIME: 'compressed', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(c.startupTimeoutMs).toBe(5_000);
    expect(new TestbedContainer().withTimeMode('real').getEnvironment()).toEqual({ TESTBED_TIME: 'real' });
  });

  it('rejects an unknown time mode', () => {
    expect(() => new TestbedContainer().withTimeMode('fast' as 'real')).toThrow(/Unknown time mode "fast": expected "real" or "compressed"/);
  });
});

describe('container failures: one line saying what failed and what to do', () => {
  it('a DOCKER_HOST socket that does not exist', () => {
    expect(dockerHostProblem({ DOCKER_HOST: missingSocket })).toBe(`DOCKER_HOST=${missingSocket} names a socket that does not exist`);
    expect(dockerHostProblem({ DOCKER_HOST: `unix://${os.tmpdir()}` })).toBeUndefined(); // exists
    expect(dockerHostProblem({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined(); // not checked here
    expect(dockerHostProblem({})).toBeUndefined();
  });

  it('no Docker daemon at all', () => {
    const e = explainContainerFailure(new Error('Could not find a working container runtime strategy'), subject, { env: {} });
    expect(e.failure).toBe('docker-unavailable');
    expect(e.message).toBe(
      'Could not start the testbed container (lambda-testbed:local): no Docker daemon was found. ' +
        'Start Docker (or point DOCKER_HOST at its socket), or use --target embedded, which needs no Docker.',
    );
    expect(explainContainerFailure(new Error('connect ECONNREFUSED'), subject, { phase: 'runtime', env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' } }).message).toContain(
      'nothing answered at DOCKER_HOST=tcp://127.0.0.1:2375',
    );
  });

  it('an image that cannot be pulled', () => {
    const e = explainContainerFailure(
      new Error('(HTTP code 404) unexpected - pull access denied for nosuch, repository does not exist or may require \'docker login\'\nmore'),
      { what: 'LocalStack', image: 'nosuch:1', imageHint: 'pull it with "docker pull nosuch:1"' },
      { phase: 'image' },
    );
    expect(e.failure).toBe('image-not-found');
    expect(e.message).toMatch(/^Could not start LocalStack \(nosuch:1\): the image is not on this machine and could not be pulled \(\(HTTP code 404\).*\)\. Pull it with "docker pull nosuch:1"\.$/);
    expectOneLine(e.message);
  });

  it('a container that exits while starting: its exit code and last log line', () => {
    const fromWait = explainContainerFailure(new Error('Container exited during HTTP healthCheck, last 50 logs: starting\nError: boom\n'), subject);
    expect(fromWait.failure).toBe('container-exited');
    expect(fromWait.message).toBe(
      'Could not start the testbed container (lambda-testbed:local): the container exited while starting; its last log line: "Error: boom". ' +
        'Run "docker run --rm lambda-testbed:local" to see its whole output.',
    );
    const fromInspect = containerExited({ ...subject, exitHint: 'images after 4.14.0 need LOCALSTACK_AUTH_TOKEN' }, { exitCode: 3, lastLine: 'no licence' });
    expect(fromInspect.message).toMatch(/exited while starting with code 3; its last log line: "no licence"\. .*; images after 4\.14\.0 need LOCALSTACK_AUTH_TOKEN\.$/);
    expect(explainContainerFailure(new Error('Log stream ended and message "Ready" was not received'), subject).failure).toBe('container-exited');
  });

  it('Ryuk that cannot be pulled points at TESTCONTAINERS_RYUK_DISABLED', () => {
    const e = explainContainerFailure(new Error('Failed to pull image "testcontainers/ryuk:0.14.0"'), subject);
    expect(e.failure).toBe('ryuk-unavailable');
    expect(e.message).toContain('set TESTCONTAINERS_RYUK_DISABLED=true');
  });

  it('a start that times out, and anything else, keep their first line', () => {
    const timeout = explainContainerFailure(new Error('URL /_testbed/health not accessible after 60000ms'), subject);
    expect(timeout.failure).toBe('startup-timeout');
    expect(timeout.message).toContain('(URL /_testbed/health not accessible after 60000ms)');
    const other = explainContainerFailure(new Error('something odd\n    at frame (file.js:1:1)'), subject);
    expect(other).toMatchObject({ failure: 'other', message: 'Could not start the testbed container (lambda-testbed:local): something odd' });
    expect(explainContainerFailure(other, subject)).toBe(other); // already explained
  });

  it('says how to get the image', () => {
    expect(testbedImageHint('lambda-testbed:local')).toContain('npm run image:local');
    expect(testbedImageHint('lambda-testbed:local')).toContain('docker build -t lambda-testbed:local .');
    expect(testbedImageHint('my/testbed:2')).toMatch(/^build or pull my\/testbed:2, or set TESTBED_IMAGE/);
    expect(testbedImageHint('my/testbed:local')).toMatch(/^build my\/testbed:local, or set TESTBED_IMAGE/);
  });
});

describe('starting a container target without a Docker daemon', () => {
  const saved = process.env.DOCKER_HOST;
  beforeEach(() => {
    process.env.DOCKER_HOST = missingSocket;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it('TestbedContainer.start fails at once with one line', async () => {
    const started = Date.now();
    const err = (await new TestbedContainer().start().catch((e: unknown) => e)) as ContainerStartError;
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err.failure).toBe('docker-unavailable');
    expect(err.message).toBe(
      `Could not start the testbed container (lambda-testbed:local): DOCKER_HOST=${missingSocket} names a socket that does not exist. ` +
        'Start Docker (or point DOCKER_HOST at its socket), or use --target embedded, which needs no Docker.',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the container target names the image from TESTBED_IMAGE', async () => {
    await expect(startContainerTarget({ env: { TESTBED_IMAGE: 'my/testbed:9' } })).rejects.toThrow(
      /^Could not start the testbed container \(my\/testbed:9\): DOCKER_HOST=.* names a socket that does not exist\./,
    );
    await expect(startTarget('container', { env: {} })).rejects.toMatchObject({ failure: 'docker-unavailable' });
  });

  it('the localstack target fails the same way', async () => {
    const err = (await new LocalStackTarget({ env: {} }).start().catch((e: unknown) => e)) as ContainerStartError;
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err.failure).toBe('docker-unavailable');
    expect(err.message).toMatch(/^Could not start LocalStack \(localstack\/localstack:4\.14\.0\): DOCKER_HOST=.* names a socket that does not exist\. Start Docker/);
    expectOneLine(err.message);
  });
});
