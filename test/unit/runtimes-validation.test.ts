/**
 * CreateFunction / UpdateFunctionConfiguration: the runtime checks (deprecated, unknown, not runnable
 * on this machine), model constraints before business rules, and the zip helpers behind custom
 * runtimes (execute bits kept, sizes read from the central directory).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { storeCode } from '../../src/cloud/lambda/code';
import { resetMachineCache } from '../../src/cloud/lambda/runtime/machine';
import { CREATABLE_RUNTIMES, checkRuntime, runtimeFamily } from '../../src/cloud/lambda/runtimes';
import { executableEntries, readCentralDirectory, unzippedSize } from '../../src/cloud/lambda/zip';
import { zipFiles } from '../../src/testbed/build';

jest.setTimeout(60000);

const ROLE = 'arn:aws:iam::000000000000:role/r';
const CODE = zipFiles({ 'index.js': 'exports.handler = async () => process.env.AWS_EXECUTION_ENV;' });

let cloud: RunningCloud;
let lambda: LambdaClient;
beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await cloud.stop();
});

async function createError(input: Record<string, unknown>): Promise<{ name: string; message: string }> {
  try {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'v-fn', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: CODE }, ...input } as never));
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('CreateFunction succeeded');
}

const ENUM = `[${CREATABLE_RUNTIMES.join(', ')}]`;

describe('runtimes', () => {
  test.each(['python3.7', 'nodejs14.x', 'java8', 'go1.x', 'provided', 'ruby2.7', 'dotnetcore3.1', 'nodejs12.x'])('%s is no longer supported (AWS text)', async (runtime) => {
    expect(await createError({ Runtime: runtime })).toEqual({
      name: 'InvalidParameterValueException',
      message: `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    });
  });

  test.each(['non-existent-runtime', 'PYTHON3.9', 'python3.15'])('%s fails the enum (AWS text, AWS order of values)', async (runtime) => {
    expect(await createError({ Runtime: runtime })).toEqual({
      name: 'InvalidParameterValueException',
      message: `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM} or be a valid ARN`,
    });
  });

  test.each(['java21', 'java8.al2', 'dotnet8', 'ruby3.3'])('%s is refused with the reason (nothing here runs it)', async (runtime) => {
    const err = await createError({ Runtime: runtime });
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toMatch(new RegExp(`^Runtime ${runtime.replace('.', '\\.')} is not available in this testbed: (no \\S+ runtime on this machine|the testbed has no \\S+ runtime interface client)`));
  });

  test('python3.x is refused naming what is missing when the machine has no usable python3', async () => {
    const saved = process.env.TESTBED_PYTHON;
    process.env.TESTBED_PYTHON = '/no/such/python3';
    resetMachineCache();
    try {
      expect(await createError({ Runtime: 'python3.12' })).toEqual({
        name: 'InvalidParameterValueException',
        message: 'Runtime python3.12 is not available in this testbed: TESTBED_PYTHON (/no/such/python3) is not a Python 3.8 or later interpreter',
      });
    } finally {
      if (saved === undefined) delete process.env.TESTBED_PYTHON;
      else process.env.TESTBED_PYTHON = saved;
      resetMachineCache();
    }
  });

  test('PackageType Image is refused with a clear text', async () => {
    const err = await createError({ Runtime: 'nodejs20.x', PackageType: 'Image' });
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toMatch(/Container image functions are not supported by this testbed/);
  });

  test('nodejs24.x and nodejs16.x (creatable on AWS) run on this machine\'s node and say so in AWS_EXECUTION_ENV', async () => {
    for (const runtime of ['nodejs24.x', 'nodejs16.x']) {
      const name = `node-${runtime.replace('.', '-')}`;
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as never, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: CODE } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 }, { FunctionName: name });
      const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
      expect(Buffer.from(out.Payload!).toString()).toBe(JSON.stringify(`AWS_Lambda_${runtime}`));
    }
  });

  test('runtime families', () => {
    expect(['nodejs20.x', 'python3.9', 'provided.al2', 'java21', 'dotnet8', 'ruby3.4', 'go1.x', 'nope'].map(runtimeFamily)).toEqual([
      'nodejs', 'python', 'provided', 'java', 'dotnet', 'ruby', 'go', undefined,
    ]);
    expect(() => checkRuntime('provided.al2023')).not.toThrow();
  });
});

describe('the model\'s constraints come before any business rule', () => {
  test('all violations at once, in member order, before the runtime check', async () => {
    expect(await createError({ Runtime: 'non-existent-runtime', Role: 'r1', Timeout: 0, MemorySize: 64 })).toEqual({
      name: 'ValidationException',
      message:
        "3 validation errors detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+; " +
        "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    });
  });

  test('an architecture out of the enum wins over a deprecated runtime and a bad layer list over a missing function', async () => {
    expect(await createError({ Runtime: 'python3.7', Architectures: ['X86_64'] })).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    });
    let err: Error | undefined;
    try {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'no-such-function', Timeout: 901, Layers: ['not-an-arn'] }));
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe('ValidationException');
    expect(err?.message).toMatch(/^2 validation errors detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; Value '\[not-an-arn\]' at 'layers' /);
  });

  test('wrong JSON types are the deserializer\'s error, before constraints', async () => {
    const res = await fetch(`${cloud.endpoint}/2015-03-31/functions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ FunctionName: 'x', Role: 'r1', Timeout: 'soon', Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {} }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^SerializationException/);
  });
});

describe('zip helpers', () => {
  const made = zipSync({
    bootstrap: [new TextEncoder().encode('#!/bin/sh\n'), { attrs: (0o100755 << 16) >>> 0, os: 3 }],
    'lib/data.txt': [new TextEncoder().encode('12345'), { attrs: (0o100644 << 16) >>> 0, os: 3 }],
    'win.exe': [new TextEncoder().encode('xx'), { os: 0 }],
  });
  const zip = Buffer.from(made);

  test('the central directory gives names, sizes and Unix modes', () => {
    const entries = readCentralDirectory(zip)!;
    expect(entries.map((e) => [e.name, e.size, e.mode === undefined ? undefined : (e.mode & 0o777).toString(8)])).toEqual([
      ['bootstrap', 10, '755'],
      ['lib/data.txt', 5, '644'],
      ['win.exe', 2, undefined],
    ]);
    expect(unzippedSize(zip)).toBe(17);
    expect([...executableEntries(zip)]).toEqual(['bootstrap']);
    expect(readCentralDirectory(Buffer.from('not a zip at all, not even close'))).toBeUndefined();
  });

  test('stored code keeps execute bits (a custom runtime\'s bootstrap) and nothing else is executable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-modes-'));
    try {
      const stored = storeCode(dir, zip);
      expect(statSync(path.join(stored.dir, 'bootstrap')).mode & 0o111).not.toBe(0);
      expect(statSync(path.join(stored.dir, 'lib/data.txt')).mode & 0o111).toBe(0);
      expect(statSync(path.join(stored.dir, 'win.exe')).mode & 0o111).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
