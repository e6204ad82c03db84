/**
 * Python functions on the execution environments: the machine's python3 running our bootstrap
 * (runtime/python/source.ts) against the real Runtime API. Skipped, with the reason, when the
 * machine has no Python 3.8+.
 */
import { machinePython, pythonUnavailableReason } from '../../src/cloud/lambda/runtime/machine';
import { ENDPOINT, Fixture } from '../runtime/helpers';

jest.setTimeout(60000);

const reason = pythonUnavailableReason();
const describePy = reason ? describe.skip : describe;
if (reason) console.warn(`Python runtime tests skipped: ${reason}`);

const TS = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
const NBSP = '\u00a0';

let fx: Fixture;
beforeAll(() => {
  fx = new Fixture();
});
afterAll(() => fx.close());

function py(files: Record<string, string>, over: Record<string, unknown> = {}) {
  return fx.fn(files, { runtime: 'python3.12', handler: 'handler.handler', ...over });
}

describePy(`python3.x on the machine's python3 (${machinePython()?.version ?? 'none'})`, () => {
  test('result, context, environment, logs in order, warm reuse with module state', async () => {
    const spec = py({
      'handler.py': [
        'import logging, os, sys',
        'print("init line")',
        'count = 0',
        'logger = logging.getLogger()',
        'logger.setLevel(logging.INFO)',
        'def handler(event, context):',
        '    global count',
        '    count += 1',
        '    print("got", event)',
        '    logger.info("info line\\nsecond line")',
        '    return {"count": count, "event": event, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path,',
        '            "ctx": {"fn": context.function_name, "ver": context.function_version, "arn": context.invoked_function_arn,',
        '                    "mem": context.memory_limit_in_mb, "id": context.aws_request_id, "group": context.log_group_name,',
        '                    "stream": context.log_stream_name, "left": context.get_remaining_time_in_millis(),',
        '                    "cc": context.client_context.custom if context.client_context else None,',
        '                    "ccClient": context.client_context.client.app_title if context.client_context else None,',
        '                    "identity": context.identity.cognito_identity_id}}',
      ].join('\n'),
    });
    const clientContext = JSON.stringify({ custom: { tenant: 't1' }, client: { app_title: 'demo' }, env: {} });
    const r = await fx.invoke(spec, { a: 1 }, { clientContext });
    expect(r.functionError).toBeUndefined();
    // The AWS Python runtime's JSON: ", " and ": " separators.
    expect(r.payload.toString()).toMatch(/^\{"count": 1, "event": \{"a": 1\}, /);
    const out = r.json;
    expect(out.ctx).toEqual({
      fn: spec.functionName,
      ver: '$LATEST',
      arn: spec.functionArn,
      mem: '128',
      id: r.requestId,
      group: spec.logGroupName,
      stream: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      left: expect.any(Number),
      cc: { tenant: 't1' },
      ccClient: 'demo',
      identity: null,
    });
    expect(out.ctx.left).toBeGreaterThan(8000);
    expect(out.ctx.left).toBeLessThanOrEqual(10000);
    expect(out.cwd).toBe(spec.codeDir);
    expect(out.env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_python3.12');
    expect(out.env.LAMBDA_TASK_ROOT).toBe(spec.codeDir);
    expect(out.env._HANDLER).toBe('handler.handler');
    expect(out.env.AWS_ENDPOINT_URL).toBe(ENDPOINT);
    expect(out.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(out.env.PYTHONPATH.split(':')[0]).toBe(spec.codeDir);
    expect(out.env.TESTBED_PYTHON).toBeUndefined();
    expect(out.path[0]).toBe(spec.codeDir);
    expect(out.path).not.toContain(expect.stringMatching(/runtime\/python-/));

    const id = r.requestId;
    const lines = r.log.split('\n');
    expect(lines[0]).toBe('init line');
    expect(lines[1]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(lines[2]).toBe("got {'a': 1}");
    // One CloudWatch event per logging call: its inner newline stays inside the event.
    expect(lines[3]).toMatch(new RegExp(`^\\[INFO\\]\\t${TS}\\t${id}\\tinfo line$`));
    expect(lines[4]).toBe('second line');
    expect(lines[5]).toBe(`END RequestId: ${id}`);
    expect(lines[6]).toMatch(/^REPORT RequestId: .*\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t$/);
    expect(fx.sink.messages().filter((m) => m.startsWith('[INFO]'))).toEqual([expect.stringMatching(/info line\nsecond line\n$/)]);

    const r2 = await fx.invoke(spec, { a: 2 });
    expect(r2.coldStart).toBe(false);
    expect(r2.json.count).toBe(2);
    expect(r2.environmentId).toBe(r.environmentId);
  });

  test('logging.info is dropped by default (root logger at WARNING), warnings are printed', async () => {
    const spec = py({
      'handler.py': 'import logging\ndef handler(e, c):\n    logging.info("quiet")\n    logging.warning("loud")\n    return None\n',
    });
    const r = await fx.invoke(spec);
    expect(r.payload.toString()).toBe('null');
    expect(r.log).not.toContain('quiet');
    expect(r.log).toMatch(new RegExp(`\\[WARNING\\]\\t${TS}\\t${r.requestId}\\tloud\\n`));
  });

  test('an exception: the AWS Python error shape, [ERROR] log event with the traceback', async () => {
    const spec = py({ 'handler.py': 'def handler(event, context):\n    return event["action"]\n' });
    const r = await fx.invoke(spec, {});
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('KeyError');
    const body = r.json;
    expect(Object.keys(body)).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(body).toEqual({
      errorMessage: "'action'",
      errorType: 'KeyError',
      requestId: r.requestId,
      stackTrace: [`  File "${spec.codeDir}/handler.py", line 2, in handler\n    return event["action"]\n`],
    });
    expect(r.log).toContain(
      `[ERROR] KeyError: 'action'\nTraceback (most recent call last):\n${NBSP}${NBSP}File "${spec.codeDir}/handler.py", line 2, in handler\n${NBSP.repeat(4)}return event["action"]\nEND RequestId`,
    );
    // The environment survives a function error.
    const again = await fx.invoke(spec, { action: 'ok' });
    expect(again.json).toBe('ok');
    expect(again.coldStart).toBe(false);
  });

  test.each([
    ['handler.handler', 'Runtime.ImportModuleError', { 'other.py': 'x = 1\n' }, "Unable to import module 'handler': No module named 'handler'"],
    ['handler.missing', 'Runtime.HandlerNotFound', { 'handler.py': 'def handler(e, c):\n    return 1\n' }, "Handler 'missing' missing on module 'handler'"],
    ['handler', 'Runtime.MalformedHandlerName', { 'handler.py': '' }, "Bad handler 'handler': not enough values to unpack (expected 2, got 1)"],
    ['sys.handler', 'Runtime.BuiltInModuleConflict', { 'handler.py': '' }, 'Cannot use built-in module sys as a handler module'],
  ])('init error: handler %s -> %s', async (handler, errorType, files, message) => {
    const spec = py(files, { handler });
    const r = await fx.invoke(spec);
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe(errorType);
    // [doc] init errors carry an empty requestId and stackTrace
    expect(r.payload.toString()).toBe(JSON.stringify({ errorMessage: message, errorType, requestId: '', stackTrace: [] }).replace(/","/g, '", "').replace(/":/g, '": '));
    expect(r.log).toContain('LAMBDA_WARNING: Unhandled exception.');
    expect(r.log).toContain(`[ERROR] ${errorType}: ${message}\nTraceback (most recent call last):\n`);
    expect(r.log).toMatch(new RegExp(`REPORT RequestId: .*Status: error\\tError Type: ${errorType.replace('.', '\\.')}`));
  });

  test('a syntax error is Runtime.UserCodeSyntaxError with its line in the trace', async () => {
    const spec = py({ 'handler.py': 'def handler(e, c)\n    return 1\n' });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(r.json.errorMessage).toMatch(/^Syntax error in module 'handler': /);
    expect(r.json.stackTrace).toEqual([expect.stringMatching(new RegExp(`^  File "${spec.codeDir}/handler.py" Line 1\\n    def handler\\(e, c\\)`))]);
  });

  test('nested package handler pkg/mod.fn, module errors at import keep their own type', async () => {
    const spec = py({ 'pkg/__init__.py': '', 'pkg/mod.py': 'def fn(e, c):\n    return "nested"\n' }, { handler: 'pkg/mod.fn' });
    expect((await fx.invoke(spec)).json).toBe('nested');
    const bad = py({ 'handler.py': 'raise ValueError("at import")\ndef handler(e, c):\n    pass\n' });
    const r = await fx.invoke(bad);
    expect(r.errorType).toBe('ValueError');
    expect(r.json).toEqual(expect.objectContaining({ errorMessage: 'at import', errorType: 'ValueError', requestId: '' }));
  });

  test('JSON rules: MarshalError, bytes passed through, Decimal as its digits, ensure_ascii by runtime', async () => {
    const code = {
      'handler.py': [
        'import decimal',
        'def handler(event, context):',
        '    k = event["kind"]',
        '    if k == "set": return {1, 2}',
        '    if k == "bytes": return b"raw bytes"',
        '    if k == "decimal": return {"d": decimal.Decimal("1.10"), "nan": float("nan")}',
        '    return {"s": "caf\\u00e9"}',
      ].join('\n'),
    };
    const spec = py(code);
    const set = await fx.invoke(spec, { kind: 'set' });
    expect(set.errorType).toBe('Runtime.MarshalError');
    expect(set.json).toEqual({
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      errorType: 'Runtime.MarshalError',
      requestId: set.requestId,
      stackTrace: [],
    });
    expect((await fx.invoke(spec, { kind: 'bytes' })).payload.toString()).toBe('raw bytes');
    expect((await fx.invoke(spec, { kind: 'decimal' })).payload.toString()).toBe('{"d": 1.10, "nan": NaN}');
    expect((await fx.invoke(spec, { kind: 'text' })).payload.toString()).toBe('{"s": "café"}');
    const old = py(code, { runtime: 'python3.11' });
    expect((await fx.invoke(old, { kind: 'text' })).payload.toString()).toBe('{"s": "caf\\u00e9"}');
  });

  test('timeout kills the environment; the next invoke starts cold', async () => {
    const spec = py({ 'handler.py': 'import time\nn = 0\ndef handler(e, c):\n    global n\n    n += 1\n    if e.get("sleep"): time.sleep(30)\n    return n\n' }, { timeout: 1 });
    const r = await fx.invoke(spec, { sleep: true });
    expect(r.errorType).toBe('Sandbox.Timedout');
    expect(r.json.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    expect(r.log).toMatch(/REPORT RequestId: .*Status: timeout/);
    const next = await fx.invoke(spec, {});
    expect(next.coldStart).toBe(true);
    expect(next.json).toBe(1);
  });

  test('os._exit and sys.exit are Runtime.ExitError with the exit status', async () => {
    const spec = py({ 'handler.py': 'import os, sys\ndef handler(e, c):\n    print("bye")\n    if e["how"] == "os": os._exit(3)\n    sys.exit(2)\n' });
    const a = await fx.invoke(spec, { how: 'os' });
    expect(a.errorType).toBe('Runtime.ExitError');
    expect(a.json.errorMessage).toMatch(/^RequestId: \S+ Error: Runtime exited with error: exit status 3$/);
    expect(a.log).toContain('bye\n');
    const b = await fx.invoke(spec, { how: 'sys' });
    expect(b.json.errorMessage).toMatch(/Runtime exited with error: exit status 2$/);
  });

  test('memory beyond MemorySize ends the environment as Runtime.OutOfMemory', async () => {
    const spec = py({ 'handler.py': 'def handler(e, c):\n    blob = bytearray(e["mb"] * 1024 * 1024)\n    return len(blob)\n' });
    expect((await fx.invoke(spec, { mb: 16 })).json).toBe(16 * 1024 * 1024);
    const r = await fx.invoke(spec, { mb: 300 });
    expect(r.errorType).toBe('Runtime.OutOfMemory');
    expect(r.json.errorMessage).toMatch(/Runtime exited with error: signal: killed$/);
    expect(r.log).toMatch(/Memory Size: 128 MB\tMax Memory Used: 128 MB/);
  });

  test('function code sees the virtual clock: time.time(), log timestamps and the deadline agree', async () => {
    const local = new Fixture(30 * 24 * 3600 * 1000);
    try {
      const spec = local.fn(
        {
          'handler.py': [
            'import time, logging',
            'init_now = time.time()',
            'logging.getLogger().setLevel(logging.INFO)',
            'def handler(e, c):',
            '    logging.info("tick")',
            '    return {"init": init_now * 1000, "now": time.time() * 1000, "ns": time.time_ns() / 1e6, "left": c.get_remaining_time_in_millis()}',
          ].join('\n'),
        },
        { runtime: 'python3.12', handler: 'handler.handler', timeout: 60 },
      );
      const DAY = 24 * 3600 * 1000;
      local.clock.advance(DAY);
      const first = await local.invoke(spec);
      expect(Math.abs(first.json.init - local.clock.now())).toBeLessThan(5_000);
      local.clock.advance(DAY);
      const r = await local.invoke(spec);
      expect(r.coldStart).toBe(false);
      expect(Math.abs(r.json.now - local.clock.now())).toBeLessThan(5_000);
      expect(Math.abs(r.json.ns - local.clock.now())).toBeLessThan(5_000);
      expect(r.json.left).toBeGreaterThan(55_000);
      expect(r.json.left).toBeLessThanOrEqual(60_000);
      const logged = new RegExp(`\\[INFO\\]\\t(${TS})\\t`).exec(r.log)![1];
      expect(Math.abs(Date.parse(logged) - local.clock.now())).toBeLessThan(5_000);
    } finally {
      await local.close();
    }
  });

  test('boto3 is importable when the machine has it, and targets the cloud', async () => {
    const spec = py({
      'handler.py': 'def handler(e, c):\n    try:\n        import boto3\n    except ImportError:\n        return None\n    return boto3.client("sqs").meta.endpoint_url\n',
    });
    const r = await fx.invoke(spec);
    expect(r.json).toBe(machinePython()!.boto3 ? ENDPOINT : null);
  });
});
