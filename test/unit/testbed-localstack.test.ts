/** The LocalStack target's container configuration, checked without Docker (nothing is started). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_LOCALSTACK_IMAGE,
  LOCALSTACK_SPEED_ENV,
  LocalStackTarget,
} from '../../src/testbed/targets';

/** The fields GenericContainer keeps its settings in (protected; read here only to check them). */
type ContainerInternals = {
  imageName: { string: string };
  environment: Record<string, string>;
  hostConfig: { Binds?: string[] };
  exposedPorts: unknown[];
  startupTimeoutMs?: number;
};

describe('LocalStackTarget', () => {
  it('defaults to the last token-free community image', () => {
    expect(DEFAULT_LOCALSTACK_IMAGE).toBe('localstack/localstack:4.14.0');
    expect(new LocalStackTarget({ env: {} }).config().image).toBe('localstack/localstack:4.14.0');
  });

  it('takes the image from TESTBED_LOCALSTACK_IMAGE, and withImage over that', () => {
    const env = { TESTBED_LOCALSTACK_IMAGE: 'localstack/localstack:4.13.1' };
    expect(new LocalStackTarget({ env }).config().image).toBe('localstack/localstack:4.13.1');
    expect(new LocalStackTarget({ env }).withImage('my/localstack:1').config().image).toBe('my/localstack:1');
  });

  it('mounts the Docker socket so LocalStack can run Lambda containers', () => {
    const cfg = new LocalStackTarget({ env: {} }).config();
    expect(cfg.bindMounts).toEqual([{ source: '/var/run/docker.sock', target: '/var/run/docker.sock', mode: 'rw' }]);
    expect(new LocalStackTarget({ env: {} }).withDockerSocket(null).config().bindMounts).toEqual([]);
  });

  it('sets the Lambda speed settings', () => {
    const env = new LocalStackTarget({ env: {} }).config().environment;
    for (const name of [
      'LAMBDA_RETRY_BASE_DELAY',
      'LAMBDA_EVENT_SOURCE_MAPPING_POLL_INTERVAL_SEC',
      'LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_EMPTY_POLL_SEC',
      'LAMBDA_KEEPALIVE_MS',
      'LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT',
    ]) {
      expect(env[name]).toBe(LOCALSTACK_SPEED_ENV[name]);
    }
    expect(Number(env.LAMBDA_RETRY_BASE_DELAY)).toBeLessThan(60); // LocalStack's default
    expect(Number(env.LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_EMPTY_POLL_SEC)).toBeLessThan(10);
    expect(Number(env.LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT)).toBeGreaterThanOrEqual(20);
  });

  it('passes LOCALSTACK_AUTH_TOKEN through only when it is set', () => {
    expect(new LocalStackTarget({ env: {} }).config().environment).not.toHaveProperty('LOCALSTACK_AUTH_TOKEN');
    expect(new LocalStackTarget({ env: { LOCALSTACK_AUTH_TOKEN: '' } }).config().environment).not.toHaveProperty(
      'LOCALSTACK_AUTH_TOKEN',
    );
    expect(new LocalStackTarget({ env: { LOCALSTACK_AUTH_TOKEN: 'ls-abc' } }).config().environment.LOCALSTACK_AUTH_TOKEN).toBe(
      'ls-abc',
    );
    expect(new LocalStackTarget({ env: {} }).withAuthToken('ls-xyz').config().environment.LOCALSTACK_AUTH_TOKEN).toBe('ls-xyz');
  });

  it('lets extra settings override the defaults and uses the region', () => {
    const cfg = new LocalStackTarget({ env: { AWS_REGION: 'eu-west-1' } })
      .withEnvironment({ LAMBDA_KEEPALIVE_MS: '1000', DEBUG: '1' })
      .config();
    expect(cfg.environment).toMatchObject({ LAMBDA_KEEPALIVE_MS: '1000', DEBUG: '1', AWS_DEFAULT_REGION: 'eu-west-1' });
  });

  it('builds a Testcontainers LocalstackContainer with exactly that configuration', () => {
    const target = new LocalStackTarget({ env: { LOCALSTACK_AUTH_TOKEN: 'ls-abc' } })
      .withImage('localstack/localstack:4.14.0')
      .withStartupTimeout(90_000);
    const container = target.createContainer() as unknown as ContainerInternals;
    expect(container.imageName.string).toBe('localstack/localstack:4.14.0');
    expect(container.environment).toEqual(target.config().environment);
    expect(container.environment.LOCALSTACK_AUTH_TOKEN).toBe('ls-abc');
    expect(container.hostConfig.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock:rw']);
    expect(container.exposedPorts).toContain(4566);
    expect(container.startupTimeoutMs).toBe(90_000);
  });
});

describe('docker-compose.yml (our cloud, and LocalStack under a profile, for the endpoint target)', () => {
  const text = readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8');

  it('serves our cloud on 127.0.0.1:4566 and LocalStack beside it on 127.0.0.1:4567, with the localstack target\'s image and settings', () => {
    expect(text).toContain('- "127.0.0.1:${TESTBED_HOST_PORT:-4566}:4566"');
    expect(text).toContain(`image: \${TESTBED_LOCALSTACK_IMAGE:-${DEFAULT_LOCALSTACK_IMAGE}}`);
    expect(text).toContain('- "127.0.0.1:${LOCALSTACK_HOST_PORT:-4567}:4566"');
    expect(text).toContain('- /var/run/docker.sock:/var/run/docker.sock');
    expect(text).toContain('LOCALSTACK_AUTH_TOKEN: ${LOCALSTACK_AUTH_TOKEN:-}');
    for (const [name, value] of Object.entries(LOCALSTACK_SPEED_ENV)) {
      expect(text).toContain(`${name}: "${value}"`);
    }
  });
});
