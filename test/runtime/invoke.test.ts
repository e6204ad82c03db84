import { Fixture } from './helpers';
import { ENDPOINT } from './helpers';

jest.setTimeout(30000);

let fx: Fixture;
beforeAll(() => {
  fx = new Fixture();
});
afterAll(() => fx.close());

const TS = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

describe('successful invocations', () => {
  test('async handler: result, cold start, START/END/REPORT in order with init output first', async () => {
    const spec = fx.fn({
      'index.js': `console.log('init says hi');
        exports.handler = async (event, context) => { console.log('got', JSON.stringify(event)); return { echo: event, fn: context.functionName }; };`,
    });
    const r = await fx.invoke(spec, { a: 1 });
    expect(r.functionError).toBeUndefined();
    expect(r.errorType).toBeUndefined();
    expect(r.json).toEqual({ echo: { a: 1 }, fn: spec.functionName });
    expect(r.coldStart).toBe(true);
    expect(r.initDurationMs).toBeGreaterThan(0);
    const id = r.requestId;
    const lines = r.log.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${TS}\\tundefined\\tINFO\\tinit says hi$`));
    expect(lines[1]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(lines[2]).toMatch(new RegExp(`^${TS}\\t${id}\\tINFO\\tgot {"a":1}$`));
    expect(lines[3]).toBe(`END RequestId: ${id}`);
    expect(lines[4]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t$`,
      ),
    );
    expect(lines[5]).toBe('');
    expect(lines).toHaveLength(6);

    // The same events went to CloudWatch, in the env's stream, one event per line.
    const envStream = fx.sink.calls.find((c) => c.group === spec.logGroupName)!.stream;
    expect(envStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(fx.sink.messages(envStream).join('')).toBe(r.log);
    expect(fx.sink.calls.every((c) => c.region === 'us-east-1' && c.accountId === '000000000000')).toBe(true);

    // Warm: no Init Duration.
    const r2 = await fx.invoke(spec, { a: 2 });
    expect(r2.coldStart).toBe(false);
    expect(r2.initDurationMs).toBeUndefined();
    expect(r2.log).not.toContain('Init Duration');
    expect(r2.log).toMatch(/Max Memory Used: \d+ MB\t\n$/);
    expect(r2.environmentId).toBe(r.environmentId);
  });

  test('callback handler, waiting for the empty event loop by default', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = (event, context, cb) => {
          setTimeout(() => console.log('timer done'), 50);
          cb(null, { waited: context.callbackWaitsForEmptyEventLoop });
        };`,
    });
    const r = await fx.invoke(spec);
    expect(r.json).toEqual({ waited: true });
    // The timer ran before the invocation completed, so its line is in this invocation's log.
    expect(r.log.indexOf('timer done')).toBeGreaterThan(0);
    expect(r.log.indexOf('timer done')).toBeLessThan(r.log.indexOf('END RequestId'));
  });

  test('callbackWaitsForEmptyEventLoop = false returns at once', async () => {
    const spec = fx.fn({
      'index.js': `let t; exports.handler = (event, context, cb) => {
          context.callbackWaitsForEmptyEventLoop = false;
          t = setTimeout(() => {}, 20000);
          cb(null, 'quick');
        };`,
    });
    const r = await fx.invoke(spec);
    expect(r.json).toBe('quick');
    expect(r.durationMs).toBeLessThan(10000);
  });

  test('sync handler that never completes resolves null when the loop drains', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = (event, context, cb) => { console.log('nothing'); };` });
    const r = await fx.invoke(spec);
    expect(r.payload.toString()).toBe('null');
    expect(r.functionError).toBeUndefined();
  });

  test('undefined result is null; context.succeed / context.done / context.fail', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = (event, context) => {
          if (event.m === 'undef') return Promise.resolve(undefined);
          if (event.m === 'succeed') return context.succeed({ s: 1 });
          if (event.m === 'done') return context.done(null, 'd');
          if (event.m === 'fail') return context.fail(new Error('failed via context'));
          if (event.m === 'failnothing') return context.fail();
        };`,
    });
    expect((await fx.invoke(spec, { m: 'undef' })).payload.toString()).toBe('null');
    expect((await fx.invoke(spec, { m: 'succeed' })).json).toEqual({ s: 1 });
    expect((await fx.invoke(spec, { m: 'done' })).json).toBe('d');
    const f = await fx.invoke(spec, { m: 'fail' });
    expect(f.functionError).toBe('Unhandled');
    expect(f.json.errorMessage).toBe('failed via context');
    const h = await fx.invoke(spec, { m: 'failnothing' });
    expect(h.json).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] });
  });

  test('ESM handlers (.mjs) and nested handler paths', async () => {
    const esm = fx.fn({ 'app/main.mjs': `export const handler = async (e) => ({ esm: true, e });` }, { handler: 'app/main.handler' });
    expect((await fx.invoke(esm, 5)).json).toEqual({ esm: true, e: 5 });
    const typeModule = fx.fn({
      'package.json': '{"type":"module"}',
      'index.js': `export const api = { v1: { go: async () => 'nested-esm' } };`,
    }, { handler: 'index.api.v1.go' });
    expect((await fx.invoke(typeModule)).json).toBe('nested-esm');
    const cjs = fx.fn({ 'lib.cjs': `module.exports.h = async () => 'cjs';` }, { handler: 'lib.h' });
    expect((await fx.invoke(cjs)).json).toBe('cjs');
  });
});

describe('function errors', () => {
  test('thrown Error: Node runtime error shape and an Invoke Error log line', async () => {
    const spec = fx.fn({
      'index.js': `class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
        exports.handler = async () => { throw new MyError('it broke'); };`,
    });
    const r = await fx.invoke(spec);
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('MyError');
    expect(Object.keys(r.json)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(r.json.errorType).toBe('MyError');
    expect(r.json.errorMessage).toBe('it broke');
    expect(r.json.trace[0]).toBe('MyError: it broke');
    expect(r.json.trace[1]).toMatch(/^ {4}at /);
    expect(r.log).toMatch(new RegExp(`${TS}\\t${r.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"MyError","errorMessage":"it broke"`));
    // A handled function error keeps the environment.
    const r2 = await fx.invoke(spec);
    expect(r2.environmentId).toBe(r.environmentId);
  });

  test('sync throw, rejected promise with non-Error values, callback(error)', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = (event, context, cb) => {
          if (event.m === 'sync') throw new TypeError('bad type');
          if (event.m === 'str') return Promise.reject('just a string');
          if (event.m === 'num') return Promise.reject(42);
          if (event.m === 'cb') return cb(new RangeError('out of range'));
        };`,
    });
    const s = await fx.invoke(spec, { m: 'sync' });
    expect(s.json.errorType).toBe('TypeError');
    expect(s.json.errorMessage).toBe('bad type');
    expect((await fx.invoke(spec, { m: 'str' })).json).toEqual({ errorType: 'string', errorMessage: 'just a string', trace: [] });
    expect((await fx.invoke(spec, { m: 'num' })).json).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    const c = await fx.invoke(spec, { m: 'cb' });
    expect(c.errorType).toBe('RangeError');
    expect(c.json.errorMessage).toBe('out of range');
  });

  test('unhandled promise rejection fails the invocation and replaces the environment', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = async () => { Promise.reject(new Error('nobody caught me')); await new Promise((r) => setTimeout(r, 5000)); return 'late'; };`,
    });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(r.json.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(r.json.errorMessage).toBe('Error: nobody caught me');
    expect(r.json.trace[0]).toBe('Runtime.UnhandledPromiseRejection: Error: nobody caught me');
    const r2 = await fx.invoke(spec);
    expect(r2.coldStart).toBe(true);
    expect(r2.environmentId).not.toBe(r.environmentId);
  });

  test('uncaught exception from a timer fails the invocation', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = () => new Promise(() => { setTimeout(() => { throw new SyntaxError('from a timer'); }, 1); });`,
    });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('SyntaxError');
    expect(r.json.errorMessage).toBe('from a timer');
    expect(r.log).toContain('\tERROR\tUncaught Exception \t{"errorType":"SyntaxError","errorMessage":"from a timer"');
  });
});

describe('context, headers and environment', () => {
  test('context fields, client context, identity, deadline and trace id', async () => {
    const spec = fx.fn(
      {
        'index.js': `exports.handler = async (event, context) => ({
          functionName: context.functionName, functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId, logGroupName: context.logGroupName, logStreamName: context.logStreamName,
          clientContext: context.clientContext, identity: context.identity,
          remaining: context.getRemainingTimeInMillis(), waits: context.callbackWaitsForEmptyEventLoop,
          trace: process.env._X_AMZN_TRACE_ID, streamEnv: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
        });`,
      },
      { timeout: 7, memorySize: 256 },
    );
    const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const r = await fx.invoke(spec, {}, {
      invokedFunctionArn: `${spec.functionArn}:live`,
      clientContext: JSON.stringify({ custom: { who: 'tester', emoji: 'é' }, env: { platform: 'x' } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
      traceId,
    });
    const c = r.json;
    expect(c.functionName).toBe(spec.functionName);
    expect(c.functionVersion).toBe('$LATEST');
    expect(c.invokedFunctionArn).toBe(`${spec.functionArn}:live`);
    expect(c.memoryLimitInMB).toBe('256');
    expect(c.awsRequestId).toBe(r.requestId);
    expect(c.logGroupName).toBe(spec.logGroupName);
    expect(c.logStreamName).toBe(c.streamEnv);
    expect(c.clientContext).toEqual({ custom: { who: 'tester', emoji: 'é' }, env: { platform: 'x' } });
    expect(c.identity).toEqual({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' });
    expect(c.remaining).toBeGreaterThan(0);
    expect(c.remaining).toBeLessThanOrEqual(7000);
    expect(c.waits).toBe(true);
    expect(c.trace).toBe(traceId);
    expect(r.log).toContain('Memory Size: 256 MB');

    // Without a trace id the platform makes one; without client context the field is undefined.
    const r2 = await fx.invoke(spec);
    expect(r2.json.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(r2.json.clientContext).toBeUndefined();
    expect(r2.json.identity).toBeUndefined();
  });

  test('the AWS SDK v3 resolves from function code, as the runtime provides it on AWS', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = async () => typeof require('@aws-sdk/client-lambda').LambdaClient;`,
    });
    const r = await fx.invoke(spec);
    expect(r.json).toBe('function');
  });

  test('the process sees exactly the Lambda environment and nothing of the host', async () => {
    process.env.TESTBED_HOST_LEAK_CANARY_7f3a = 'leaked';
    try {
      const spec = fx.fn(
        { 'index.js': `exports.handler = async () => ({ env: process.env, cwd: process.cwd(), argv: process.execArgv });` },
        { environment: { MY_VAR: 'mine', AWS_REGION: 'eu-west-9', TZ: 'Europe/Paris', AWS_LAMBDA_FUNCTION_NAME: 'spoof' } },
      );
      const r = await fx.invoke(spec);
      const env = r.json.env as Record<string, string>;
      expect(env.TESTBED_HOST_LEAK_CANARY_7f3a).toBeUndefined();
      expect(Object.keys(env).sort()).toEqual(
        [
          'AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
          'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
          'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_LAMBDA_RUNTIME_API', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
          'LAMBDA_RUNTIME_DIR', 'LAMBDA_TASK_ROOT', 'LANG', 'MY_VAR', 'NODE_PATH', 'PATH', 'TZ', '_HANDLER', '_X_AMZN_TRACE_ID',
        ].sort(),
      );
      expect(env.MY_VAR).toBe('mine');
      expect(env.AWS_REGION).toBe('us-east-1'); // reserved: user value ignored
      expect(env.AWS_DEFAULT_REGION).toBe('us-east-1');
      expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe(spec.functionName);
      expect(env.TZ).toBe('Europe/Paris'); // not reserved on AWS
      expect(env.AWS_ENDPOINT_URL).toBe(ENDPOINT);
      expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs20.x');
      expect(env.AWS_LAMBDA_INITIALIZATION_TYPE).toBe('on-demand');
      expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('128');
      expect(env.AWS_LAMBDA_FUNCTION_VERSION).toBe('$LATEST');
      expect(env.AWS_LAMBDA_LOG_GROUP_NAME).toBe(spec.logGroupName);
      expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(env._HANDLER).toBe('index.handler');
      expect(env.NODE_PATH.split(':')).toContain(spec.codeDir);
      expect(env.LAMBDA_TASK_ROOT).toBe(spec.codeDir);
      expect(env.LANG).toBe('en_US.UTF-8');
      expect(env.PATH.split(':')).toContain(require('node:path').dirname(process.execPath));
      expect(r.json.cwd).toBe(spec.codeDir);
      expect(r.json.argv).toEqual(expect.arrayContaining(['--max-old-space-size=116']));
    } finally {
      delete process.env.TESTBED_HOST_LEAK_CANARY_7f3a;
    }
  });

  test('default TZ is :UTC and the log stream is the environment stream', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = async () => process.env.TZ;` });
    const r = await fx.invoke(spec);
    expect(r.json).toBe(':UTC');
  });
});

describe('log output', () => {
  test('multi-line console output is one event; raw writes and stderr pass through; order is kept', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = async () => {
          console.log('line one\\nline two');
          console.warn('careful');
          console.error(new Error('shown'));
          console.info({ a: 1 });
          console.debug('dbg');
          process.stdout.write('raw text\\n');
          process.stderr.write('to stderr\\n');
          process.stdout.write('no newline at the end');
          for (let i = 0; i < 200; i++) console.log('bulk ' + i);
          return 'ok';
        };`,
    });
    const r = await fx.invoke(spec);
    const stream = fx.sink.calls.filter((c) => c.group === spec.logGroupName).at(-1)!.stream;
    const msgs = fx.sink.messages(stream);
    const id = r.requestId;
    const start = msgs.indexOf(`START RequestId: ${id} Version: $LATEST\n`);
    const end = msgs.indexOf(`END RequestId: ${id}\n`);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const body = msgs.slice(start + 1, end);
    expect(body[0]).toMatch(new RegExp(`^${TS}\\t${id}\\tINFO\\tline one\\nline two\\n$`));
    expect(body[1]).toMatch(/\tWARN\tcareful\n$/);
    expect(body[2]).toMatch(/\tERROR\tError: shown\n {4}at /);
    expect(body[3]).toMatch(/\tINFO\t\{ a: 1 \}\n$/);
    expect(body[4]).toMatch(/\tDEBUG\tdbg\n$/);
    expect(body).toContain('raw text\n');
    expect(body).toContain('to stderr\n');
    expect(body).toContain('no newline at the end\n');
    expect(body.filter((m) => m.includes('\tbulk ')).length).toBe(200);
    // stdout and stderr are two pipes: their relative order is not fixed, stdout's own order is.
    expect(body.filter((m) => m !== 'to stderr\n').at(-1)).toMatch(/\tbulk 199\n$/);
  });

  test('a large log (many events) arrives complete before END', async () => {
    const spec = fx.fn({
      'index.js': `exports.handler = async (e) => { const s = 'x'.repeat(1000); for (let i = 0; i < e.n; i++) console.log(i + ' ' + s); return e.n; };`,
    });
    const r = await fx.invoke(spec, { n: 5000 });
    expect(r.json).toBe(5000);
    const stream = fx.sink.calls.filter((c) => c.group === spec.logGroupName).at(-1)!.stream;
    const msgs = fx.sink.messages(stream);
    const end = msgs.indexOf(`END RequestId: ${r.requestId}\n`);
    const logged = msgs.slice(0, end).filter((m) => m.includes('\tINFO\t'));
    expect(logged).toHaveLength(5000);
    expect(logged[4999]).toContain('\tINFO\t4999 x');
    expect(r.log.length).toBeLessThanOrEqual(1024 * 1024);
    expect(r.log.endsWith('\t\n')).toBe(true);
  });
});
