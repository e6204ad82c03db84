/**
 * The sample functions as built: each zip is unpacked into a temp dir, its index.js required (or run
 * in a child node process for actions that end the process) and the handler called with a context
 * shaped like the Node.js runtime's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Callback, Context } from 'aws-lambda';
import { unzipSync } from 'fflate';
import { buildFunctions } from '../../src/testbed/build';
import { parseProbeMessage } from '../../src/testbed/probe';

type Handler = (event: unknown, context: Context, callback: Callback<unknown>) => unknown;

let dir: string;
const bundles: Record<string, string> = {};
let echo: Handler;
let control: Handler;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'testbed-fns-'));
  const built = await buildFunctions({ outDir: path.join(dir, 'out'), names: ['echo', 'control'] });
  for (const name of ['echo', 'control']) {
    const file = path.join(dir, `${name}.js`);
    await writeFile(file, unzipSync(built[name]!.zip)['index.js']!);
    bundles[name] = file;
  }
  echo = (require(bundles.echo!) as { handler: Handler }).handler;
  control = (require(bundles.control!) as { handler: Handler }).handler;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let logged: string[] = [];
let logSpy: jest.SpyInstance;
beforeEach(() => {
  logged = [];
  logSpy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
});
afterEach(() => logSpy.mockRestore());

let seq = 0;
function context(overrides: Partial<Context> = {}): Context {
  seq += 1;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    memoryLimitInMB: '256',
    awsRequestId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    logGroupName: '/aws/lambda/fn',
    logStreamName: '2024/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 2500,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

const noCallback: Callback<unknown> = () => {
  throw new Error('callback must not be used');
};
const probes = () => logged.map((l) => parseProbeMessage(l)).filter((p) => p !== null);
const notProbes = () => logged.filter((l) => parseProbeMessage(l) === null);

describe('echo', () => {
  it('returns the event, context, environment and environment identity; cold then warm', async () => {
    process.env.TESTBED_UNIT_EXTRA = 'extra-value';
    try {
      const ctx = context({ clientContext: { custom: { a: 1 } } as unknown as Context['clientContext'] });
      const event = { hello: 'world', envKeys: ['TESTBED_UNIT_EXTRA', 'TESTBED_UNIT_UNSET'], probeTag: 'e1' };
      const first = (await echo(event, ctx, noCallback)) as Record<string, any>;
      expect(first.event).toEqual(event);
      expect(first.context).toEqual({
        functionName: 'fn',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
        memoryLimitInMB: '256',
        awsRequestId: ctx.awsRequestId,
        logGroupName: '/aws/lambda/fn',
        logStreamName: '2024/01/01/[$LATEST]0123456789abcdef',
        remainingTimeInMillis: 2500,
        clientContext: { custom: { a: 1 } },
        identity: null,
      });
      expect(Object.keys(first.env)).toEqual([
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_REGION',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        '_HANDLER',
        'TZ',
        'TESTBED_UNIT_EXTRA',
        'TESTBED_UNIT_UNSET',
      ]);
      expect(first.env.TESTBED_UNIT_EXTRA).toBe('extra-value');
      expect(first.env.TESTBED_UNIT_UNSET).toBeNull();
      expect(first.envKeys).toEqual(Object.keys(process.env).sort());
      expect(first.coldStart).toBe(true);
      expect(first.invocationCount).toBe(1);
      expect(first.instanceId).toMatch(/^[0-9a-f]{16}$/);

      const second = (await echo('just a string', context(), noCallback)) as Record<string, any>;
      expect(second.event).toBe('just a string');
      expect(second.coldStart).toBe(false);
      expect(second.invocationCount).toBe(2);
      expect(second.instanceId).toBe(first.instanceId);
      expect(second.context.clientContext).toBeNull();

      const recorded = probes();
      expect(recorded.map((p) => [p.requestId, p.coldStart, p.invocationCount, p.tag])).toEqual([
        [ctx.awsRequestId, true, 1, 'e1'],
        [second.context.awsRequestId, false, 2, null],
      ]);
      expect(recorded[0]!.instanceId).toBe(first.instanceId);
      expect(notProbes()).toEqual([]);
    } finally {
      delete process.env.TESTBED_UNIT_EXTRA;
    }
  });
});

describe('control', () => {
  it('returns {ok:true} by default and event.value for "return", always as a Promise', async () => {
    const result = control({}, context(), noCallback);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toEqual({ ok: true });
    await expect(control({ action: 'return', value: [1, 'two'] }, context(), noCallback)).resolves.toEqual([1, 'two']);
    await expect(control({ action: 'return', value: null }, context(), noCallback)).resolves.toBeNull();
    await expect(control('not an object', context(), noCallback)).resolves.toEqual({ ok: true });
  });

  it('records a probe before acting, unless noProbe', async () => {
    const ctx = context();
    await control({ probeTag: 'p', log: ['after probe'] }, ctx, noCallback);
    expect(logged[0]).toMatch(/^TESTBED_PROBE /);
    expect(probes()[0]).toMatchObject({ requestId: ctx.awsRequestId, tag: 'p', functionName: 'fn' });
    expect(logged[1]).toBe('after probe');
    logged = [];
    await control({ noProbe: true, log: ['only'] }, context(), noCallback);
    expect(logged).toEqual(['only']);
  });

  it('"throw" throws synchronously with the given message and name', () => {
    let caught: unknown;
    try {
      control({ action: 'throw', message: 'bad thing', errorName: 'CustomError' }, context(), noCallback);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toBe('bad thing');
    expect((caught as Error).name).toBe('CustomError');
    expect(() => control({ action: 'throw' }, context(), noCallback)).toThrow(new Error('boom'));
  });

  it('"throw" after sleepMs and "reject" reject the returned promise', async () => {
    await expect(control({ action: 'throw', sleepMs: 1 }, context(), noCallback)).rejects.toThrow('boom');
    const rejected = control({ action: 'reject', message: 'nope', errorName: 'Rejected' }, context(), noCallback);
    expect(rejected).toBeInstanceOf(Promise);
    await expect(rejected).rejects.toMatchObject({ name: 'Rejected', message: 'nope' });
  });

  it('"callback-error" returns nothing and reports through the callback, also after sleepMs', async () => {
    for (const sleepMs of [undefined, 5]) {
      let returned: unknown = 'not set';
      const error = await new Promise<unknown>((resolve) => {
        returned = control({ action: 'callback-error', message: 'cb', errorName: 'CbError', sleepMs }, context(), (err) =>
          resolve(err),
        );
      });
      expect(returned).toBeUndefined();
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'CbError', message: 'cb' });
    }
  });

  it('"throw-non-error" throws a plain string', () => {
    let caught: unknown;
    try {
      control({ action: 'throw-non-error', message: 'plain' }, context(), noCallback);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe('plain');
  });

  it('"large" returns a string of event.bytes characters', async () => {
    const result = await control({ action: 'large', bytes: 100_000 }, context(), noCallback);
    expect(typeof result).toBe('string');
    expect((result as string).length).toBe(100_000);
  });

  it('"state" counts in module state and reports the instance', async () => {
    const a = (await control({ action: 'state' }, context(), noCallback)) as { count: number; instanceId: string; coldStart: boolean };
    const b = (await control({ action: 'state' }, context(), noCallback)) as typeof a;
    expect(b.count).toBe(a.count + 1);
    expect(b.instanceId).toBe(a.instanceId);
    expect(b.coldStart).toBe(false);
    expect(probes().map((p) => p.instanceId)).toEqual([a.instanceId, a.instanceId]);
  });

  it('logs the given lines, then logBytes characters in lines of at most 1024', async () => {
    await control({ noProbe: true, log: ['one', 'two'], logBytes: 2500 }, context(), noCallback);
    expect(logged.slice(0, 2)).toEqual(['one', 'two']);
    const filler = logged.slice(2);
    expect(filler.map((l) => l.length)).toEqual([1024, 1024, 452]);
  });

  it('sleeps sleepMs before acting', async () => {
    const started = Date.now();
    await expect(control({ sleepMs: 30, value: 'late' }, context(), noCallback)).resolves.toBe('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects an unknown action', async () => {
    expect(() => control({ action: 'dance' }, context(), noCallback)).toThrow('control: unknown action "dance"');
  });
});

describe('control actions that end the process (child node process)', () => {
  function runInChild(event: unknown, nodeArgs: string[] = [], after = ''): ReturnType<typeof spawnSync> {
    const script = `
      const { handler } = require(${JSON.stringify(bundles.control)});
      const ctx = { functionName: 'fn', functionVersion: '$LATEST', invokedFunctionArn: 'arn', memoryLimitInMB: '128',
        awsRequestId: 'r', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 1000 };
      const result = handler(${JSON.stringify(event)}, ctx, () => {});
      ${after}`;
    return spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8', timeout: 60_000 });
  }

  it('"exit" exits with event.code (default 1)', () => {
    expect(runInChild({ action: 'exit', code: 7 }).status).toBe(7);
    expect(runInChild({ action: 'exit' }).status).toBe(1);
  });

  it('"oom" allocates until the heap limit kills the process', () => {
    const child = runInChild({ action: 'oom' }, ['--max-old-space-size=48']);
    expect(child.error).toBeUndefined();
    expect(child.status === 0).toBe(false);
    expect(String(child.stderr)).toMatch(/heap out of memory|Reached heap limit/);
  });

  it('"hang" returns a promise that stays pending while a timer keeps the process alive', () => {
    const child = runInChild({ action: 'hang', noProbe: true }, [], `
      let settled = false;
      result.then(() => { settled = true; }, () => { settled = true; });
      setImmediate(() => {
        process.stdout.write(JSON.stringify({ settled, resources: process.getActiveResourcesInfo() }));
        process.exit(0);
      });`);
    expect(child.status).toBe(0);
    const report = JSON.parse(String(child.stdout)) as { settled: boolean; resources: string[] };
    expect(report.settled).toBe(false);
    expect(report.resources).toContain('Timeout');
  });
});
