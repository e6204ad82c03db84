import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  connectEndpointTarget,
  formatCapabilities,
  NO_CAPABILITIES,
  parseCapabilities,
  parseTargetSpec,
  probeCapabilities,
  resolveRegion,
  resolveTargetSpec,
  resolveTestbedImage,
  targetKindOf,
} from '../../src/testbed/targets';
import { clearExportedTarget, exportTarget, importTarget } from '../../src/testbed/target-env';

describe('resolveTargetSpec', () => {
  it('defaults to embedded', () => {
    expect(resolveTargetSpec(undefined, {})).toBe('embedded');
    expect(resolveTargetSpec('', { TESTBED_TARGET: '  ' })).toBe('embedded');
  });

  it('takes TESTBED_TARGET when no CLI value is given', () => {
    expect(resolveTargetSpec(undefined, { TESTBED_TARGET: 'localstack' })).toBe('localstack');
  });

  it('prefers the CLI value over TESTBED_TARGET', () => {
    expect(resolveTargetSpec('embedded', { TESTBED_TARGET: 'localstack' })).toBe('embedded');
    expect(resolveTargetSpec('http://127.0.0.1:4566', { TESTBED_TARGET: 'localstack' })).toBe('http://127.0.0.1:4566');
  });

  it('normalises case and URLs to their origin', () => {
    expect(parseTargetSpec('LocalStack')).toBe('localstack');
    expect(parseTargetSpec('http://127.0.0.1:4566/')).toBe('http://127.0.0.1:4566');
    expect(parseTargetSpec('https://example.test:8443/some/path')).toBe('https://example.test:8443');
  });

  it.each(['docker', 'ftp://127.0.0.1', 'http://', '127.0.0.1:4566'])('rejects %j with a readable error', (bad) => {
    expect(() => parseTargetSpec(bad)).toThrow(/target/i);
  });

  it('maps specs to kinds', () => {
    expect(targetKindOf('embedded')).toBe('embedded');
    expect(targetKindOf('localstack')).toBe('localstack');
    expect(targetKindOf('http://127.0.0.1:1')).toBe('endpoint');
  });
});

describe('resolveRegion', () => {
  it('is TESTBED_REGION > AWS_REGION > AWS_DEFAULT_REGION > us-east-1', () => {
    expect(resolveRegion({})).toBe('us-east-1');
    expect(resolveRegion({ AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('eu-west-1');
    expect(resolveRegion({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-west-2' })).toBe('eu-west-2');
    expect(resolveRegion({ AWS_REGION: 'eu-west-2', TESTBED_REGION: 'ap-south-1' })).toBe('ap-south-1');
  });
});

describe('capabilities', () => {
  it('round-trip through TESTBED_CAPABILITIES', () => {
    expect(formatCapabilities({ ...NO_CAPABILITIES, invocations: true, reset: true, config: true, clock: true, eventbridgeRetryPolicy: false, recursionDetection: true, mappingExtras: false })).toBe('invocations,reset,config,clock,recursionDetection');
    expect(formatCapabilities({ ...NO_CAPABILITIES, invocations: false, reset: false, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false })).toBe('');
    expect(parseCapabilities('invocations,config')).toEqual({ ...NO_CAPABILITIES, invocations: true, reset: false, config: true, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false });
    expect(parseCapabilities(undefined)).toEqual({ ...NO_CAPABILITIES, invocations: false, reset: false, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false });
  });

  it('travel to workers through the environment', () => {
    const env: Record<string, string | undefined> = {};
    expect(importTarget(env)).toBeUndefined();
    exportTarget(
      {
        kind: 'endpoint',
        endpoint: 'http://127.0.0.1:9',
        region: 'eu-west-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        capabilities: { ...NO_CAPABILITIES, invocations: false, reset: true, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false },
      },
      env,
    );
    expect(env).toEqual({
      TESTBED_ENDPOINT: 'http://127.0.0.1:9',
      TESTBED_TARGET_KIND: 'endpoint',
      TESTBED_REGION: 'eu-west-1',
      TESTBED_CAPABILITIES: 'reset',
    });
    expect(importTarget(env)).toMatchObject({
      kind: 'endpoint',
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      capabilities: { ...NO_CAPABILITIES, invocations: false, reset: true, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false },
    });
    clearExportedTarget(env);
    expect(env).toEqual({});
  });

  it('rejects an unknown exported kind', () => {
    expect(() => importTarget({ TESTBED_ENDPOINT: 'http://127.0.0.1:9', TESTBED_TARGET_KIND: 'aws' })).toThrow(/TESTBED_TARGET_KIND/);
  });
});

describe('endpoint target', () => {
  let server: Server;
  let base: string;
  let healthStatus = 200;
  let healthBody = '{"status":"running"}';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/_testbed/health') {
        res.writeHead(healthStatus, { 'content-type': 'application/json' }).end(healthBody);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('detects the testbed capabilities from /_testbed/health', async () => {
    healthStatus = 200;
    const target = await connectEndpointTarget(`${base}/`);
    expect(target).toMatchObject({ kind: 'endpoint', endpoint: base, capabilities: { invocations: true, reset: true } });
    await target.stop(); // never stops someone else's endpoint
    expect(server.listening).toBe(true);
  });

  it('takes the capabilities the health document declares', async () => {
    healthStatus = 200;
    healthBody = '{"status":"ok","capabilities":{"invocations":false,"reset":true,"clock":true}}';
    expect(await probeCapabilities(base)).toEqual({ ...NO_CAPABILITIES, invocations: false, reset: true, config: false, clock: true, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false });
    healthBody = '{"status":"running"}';
  });

  it('falls back to plain AWS APIs when /_testbed/health is absent', async () => {
    healthStatus = 404;
    expect(await probeCapabilities(base)).toEqual({ ...NO_CAPABILITIES, invocations: false, reset: false, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false });
  });

  it('falls back when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probeCapabilities(`http://127.0.0.1:${port}`)).toEqual({ ...NO_CAPABILITIES, invocations: false, reset: false, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false });
  });
});

describe('the container target', () => {
  it('is named "container" (any case), from the CLI or TESTBED_TARGET', () => {
    expect(parseTargetSpec('container')).toBe('container');
    expect(parseTargetSpec(' Container ')).toBe('container');
    expect(resolveTargetSpec(undefined, { TESTBED_TARGET: 'container' })).toBe('container');
    expect(resolveTargetSpec('container', { TESTBED_TARGET: 'localstack' })).toBe('container');
    expect(() => parseTargetSpec('containers')).toThrow('expected "embedded", "localstack", "container" or an http(s)://host:port URL');
  });

  it('is seen by scenarios as an endpoint (our cloud at the mapped port)', () => {
    expect(targetKindOf('container')).toBe('endpoint');
  });

  it('runs TESTBED_IMAGE, or lambda-testbed:local', () => {
    expect(resolveTestbedImage({})).toBe('lambda-testbed:local');
    expect(resolveTestbedImage({ TESTBED_IMAGE: '  ' })).toBe('lambda-testbed:local');
    expect(resolveTestbedImage({ TESTBED_IMAGE: 'ghcr.example/team/lambda-testbed:1.0' })).toBe('ghcr.example/team/lambda-testbed:1.0');
  });
});
