import { Fixture } from './helpers';

jest.setTimeout(60000);

let fx: Fixture;
beforeAll(() => {
  fx = new Fixture();
});
afterAll(() => fx.close());

const TS = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

test('timeout: Sandbox.Timedout, log line before END, Status: timeout, environment replaced', async () => {
  const spec = fx.fn(
    {
      'index.js': `exports.handler = async (e) => { if (e.fast) return 'fast';
        console.log('before hang'); setInterval(() => {}, 1000); await new Promise(() => {}); };`,
    },
    { timeout: 1 },
  );
  const r = await fx.invoke(spec);
  const id = r.requestId;
  expect(r.functionError).toBe('Unhandled');
  expect(r.errorType).toBe('Sandbox.Timedout');
  expect(r.payload.toString()).toBe(
    `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ${id} Error: Task timed out after 1.00 seconds"}`,
  );
  const lines = r.log.split('\n');
  const endAt = lines.indexOf(`END RequestId: ${id}`);
  expect(lines.findIndex((l) => l.endsWith('\tINFO\tbefore hang'))).toBeLessThan(endAt);
  expect(lines[endAt - 1]).toMatch(new RegExp(`^${TS} ${id} Task timed out after 1.00 seconds$`));
  expect(lines[endAt + 1]).toMatch(
    new RegExp(`^REPORT RequestId: ${id}\\tDuration: 1000.00 ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\tStatus: timeout$`),
  );
  expect(fx.manager.list().some((e) => e.id === r.environmentId)).toBe(false);
  const r2 = await fx.invoke(spec, { fast: true });
  expect(r2.json).toBe('fast');
  expect(r2.coldStart).toBe(true);
  expect(r2.environmentId).not.toBe(r.environmentId);
});

test('a slow Init does not eat into the timeout: it counts from the delivery of the event', async () => {
  // 1.5 s of module-load work, then a 1 s timeout for a handler that takes ~0.3 s: fine on AWS.
  const spec = fx.fn(
    {
      'index.js': `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
        exports.handler = async (e, ctx) => { const left = ctx.getRemainingTimeInMillis(); await new Promise((r) => setTimeout(r, 300)); return left; };`,
    },
    { timeout: 1 },
  );
  const r = await fx.invoke(spec);
  expect(r.functionError).toBeUndefined();
  expect(r.coldStart).toBe(true);
  expect(r.initDurationMs).toBeGreaterThanOrEqual(1400);
  expect(r.json).toBeGreaterThan(900);
  expect(r.json).toBeLessThanOrEqual(1000);
});

test('timeout counts a busy loop too (the process is killed)', async () => {
  const spec = fx.fn({ 'index.js': `exports.handler = () => { for (;;) {} };` }, { timeout: 1 });
  const r = await fx.invoke(spec);
  expect(r.errorType).toBe('Sandbox.Timedout');
});

test('process.exit(1) and exit(0) mid-invoke: Runtime.ExitError, then a fresh environment', async () => {
  const spec = fx.fn({
    'index.js': `exports.handler = async (e) => { if (e.code === undefined) return 'alive'; console.log('exiting'); process.exit(e.code); };`,
  });
  const r1 = await fx.invoke(spec, { code: 1 });
  expect(r1.functionError).toBe('Unhandled');
  expect(r1.errorType).toBe('Runtime.ExitError');
  expect(r1.payload.toString()).toBe(
    `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: ${r1.requestId} Error: Runtime exited with error: exit status 1"}`,
  );
  expect(r1.log).toContain('\tINFO\texiting\n');
  expect(r1.log).toContain(`RequestId: ${r1.requestId} Error: Runtime exited with error: exit status 1\nRuntime.ExitError\nEND RequestId: ${r1.requestId}\n`);
  expect(r1.log).toMatch(/\tStatus: error\tError Type: Runtime\.ExitError\n$/);

  const r0 = await fx.invoke(spec, { code: 0 });
  expect(r0.json).toEqual({
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${r0.requestId} Error: Runtime exited without providing a reason`,
  });
  expect(r0.environmentId).not.toBe(r1.environmentId);

  const ok = await fx.invoke(spec, {});
  expect(ok.json).toBe('alive');
  expect(ok.coldStart).toBe(true);
});

test('exit during init is an ExitError of the triggering invoke', async () => {
  const spec = fx.fn({ 'index.js': `console.log('bye'); process.exit(3); exports.handler = async () => 1;` });
  const r = await fx.invoke(spec);
  expect(r.json.errorMessage).toBe(`RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`);
  expect(r.log.indexOf('\tINFO\tbye')).toBeLessThan(r.log.indexOf('START RequestId'));
});

test('heap beyond MemorySize: Runtime.OutOfMemory', async () => {
  const spec = fx.fn(
    { 'index.js': `exports.handler = async () => { const keep = []; for (;;) keep.push(new Array(100000).fill(Math.random())); };` },
    { memorySize: 128, timeout: 30 },
  );
  const r = await fx.invoke(spec);
  expect(r.functionError).toBe('Unhandled');
  expect(r.errorType).toBe('Runtime.OutOfMemory');
  expect(r.payload.toString()).toBe(
    `{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: ${r.requestId} Error: Runtime exited with error: signal: killed"}`,
  );
  expect(r.log).toMatch(/Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory\n$/);
  expect(r.log).not.toContain('Last few GCs');
  expect(r.log).not.toContain('FATAL ERROR');
});

test('import error: Runtime.ImportModuleError as the Node runtime reports it', async () => {
  const spec = fx.fn({ 'other.js': 'exports.x = 1;' }, { handler: 'index.handler' });
  const r = await fx.invoke(spec);
  expect(r.errorType).toBe('Runtime.ImportModuleError');
  expect(r.json.errorType).toBe('Runtime.ImportModuleError');
  expect(r.json.errorMessage).toMatch(/^Error: Cannot find module 'index'\nRequire stack:\n- /);
  expect(r.json.trace[0]).toBe("Runtime.ImportModuleError: Error: Cannot find module 'index'");
  // Init output (the uncaught exception) precedes START; REPORT carries the error type.
  expect(r.log).toMatch(new RegExp(`^${TS}\\tundefined\\tERROR\\tUncaught Exception \\t\\{"errorType":"Runtime.ImportModuleError"`));
  expect(r.log.indexOf('Uncaught Exception')).toBeLessThan(r.log.indexOf('START RequestId'));
  expect(r.log).toMatch(/\tStatus: error\tError Type: Runtime\.ImportModuleError\n$/);
  expect(r.coldStart).toBe(true);
  // The environment is discarded; the next invoke tries again.
  const r2 = await fx.invoke(spec);
  expect(r2.errorType).toBe('Runtime.ImportModuleError');
  expect(r2.environmentId).not.toBe(r.environmentId);
});

test('a module that throws at load time reports that error', async () => {
  const spec = fx.fn({ 'index.js': `throw new TypeError('bad config');` });
  const r = await fx.invoke(spec);
  expect(r.json.errorType).toBe('TypeError');
  expect(r.json.errorMessage).toBe('bad config');
});

test('syntax error: Runtime.UserCodeSyntaxError', async () => {
  const spec = fx.fn({ 'index.js': `exports.handler = async () => {;` });
  const r = await fx.invoke(spec);
  expect(r.errorType).toBe('Runtime.UserCodeSyntaxError');
  expect(r.json.errorMessage).toMatch(/^SyntaxError: /);
});

test('handler not found / not a function / malformed handler', async () => {
  const missing = fx.fn({ 'index.js': 'exports.other = async () => 1;' }, { handler: 'index.handler' });
  const r = await fx.invoke(missing);
  expect(r.errorType).toBe('Runtime.HandlerNotFound');
  expect(r.json.errorMessage).toBe('index.handler is undefined or not exported');
  expect(r.json.trace[0]).toBe('Runtime.HandlerNotFound: index.handler is undefined or not exported');

  const notFn = fx.fn({ 'index.js': 'exports.handler = 5;' });
  expect((await fx.invoke(notFn)).json.errorMessage).toBe('index.handler is not a function');

  const bad = fx.fn({ 'index.js': 'exports.handler = async () => 1;' }, { handler: 'index' });
  const b = await fx.invoke(bad);
  expect(b.errorType).toBe('Runtime.MalformedHandlerName');
  expect(b.json.errorMessage).toBe('Bad handler');
});

test('response over 6 MB: Function.ResponseSizeTooLarge; exactly at the limit is fine', async () => {
  const spec = fx.fn({
    'index.js': `exports.handler = async (e) => 'x'.repeat(e.n - 2);`, // JSON string adds two quotes
  });
  const big = await fx.invoke(spec, { n: 6291556 + 1 });
  expect(big.functionError).toBe('Unhandled');
  expect(big.errorType).toBe('Function.ResponseSizeTooLarge');
  expect(big.payload.toString()).toBe(
    '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}',
  );
  const exact = await fx.invoke(spec, { n: 6291556 });
  expect(exact.functionError).toBeUndefined();
  expect(exact.payload.length).toBe(6291556);
  expect(exact.environmentId).toBe(big.environmentId);
});

test('the Runtime API answers 400 to an unknown request id and 404 to unknown paths', async () => {
  const spec = fx.fn({
    'index.js': `const http = require('http');
      const call = (method, p) => new Promise((res) => { const r = http.request({ host: process.env.AWS_LAMBDA_RUNTIME_API.split(':')[0],
        port: +process.env.AWS_LAMBDA_RUNTIME_API.split(':')[1], method, path: p, agent: false }, (x) => { let b = ''; x.on('data', (c) => b += c); x.on('end', () => res([x.statusCode, b])); }); r.end(method === 'POST' ? '{}' : undefined); });
      exports.handler = async () => ({
        unknown: await call('POST', '/2018-06-01/runtime/invocation/not-a-request/response'),
        nope: await call('GET', '/2018-06-01/nope'),
      });`,
  });
  const r = await fx.invoke(spec);
  expect(r.json.unknown[0]).toBe(400);
  expect(JSON.parse(r.json.unknown[1]).errorType).toBe('InvalidRequestID');
  expect(r.json.nope[0]).toBe(404);
});
