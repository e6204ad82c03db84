/**
 * The synchronous scenarios about the platform, not the language, for a Python function and for a
 * custom runtime: success, function errors and their shapes, timeout, process exit, log tails,
 * cold and warm environments and scale-out, versions.
 */
import { InvokeCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { decode, getTestbed, logTail, payload } from '../_support/testbed';
import { CUSTOM, PYTHON, type RuntimeCase, describeRuntime, fnSpec } from './_helpers';

const tb = getTestbed();

const stackFor = (c: RuntimeCase) => () =>
  tb.deploy({
    name: `runtimes-${c === PYTHON ? 'py' : 'custom'}`,
    functions: {
      main: fnSpec(c, { timeout: 10, environment: { STAGE: 'one' } }),
      short: fnSpec(c, { timeout: 1 }),
    },
  });

async function invoke(name: string, event: unknown, extra: { Qualifier?: string; LogType?: 'Tail' } = {}) {
  return tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload(event), ...extra }));
}

/** A configuration change retires every environment, so the next invoke is cold. */
async function fresh(name: string, stage = 'one'): Promise<void> {
  await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: stage, RUN: `${Date.now()}-${Math.random()}` } } }));
  await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
}

describeRuntime(PYTHON, `${PYTHON.label}: the platform`, () => {
  const stack = stackFor(PYTHON);

  it('answers with the handler\'s result, the context and the Lambda environment', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { hello: 'world', envKeys: ['STAGE'] });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = decode(out.Payload);
    expect(body.event).toEqual({ hello: 'world', envKeys: ['STAGE'] });
    expect(body.context).toEqual(
      expect.objectContaining({ functionName: functions.main.name, functionVersion: '$LATEST', invokedFunctionArn: functions.main.arn, memoryLimitInMB: '128', awsRequestId: out.$metadata.requestId }),
    );
    expect(body.context.remainingTimeInMillis).toBeGreaterThan(5_000);
    expect(body.env).toEqual(expect.objectContaining({ AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12', _HANDLER: 'handler.handler', STAGE: 'one', AWS_REGION: tb.target.region }));
  });

  it('a raised exception: 200, Unhandled, {errorMessage, errorType, requestId, stackTrace}', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { action: 'throw', errorName: 'OrderRejected', message: 'no stock' }, { LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const body = decode(out.Payload);
    expect(Object.keys(body)).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(body).toEqual({ errorMessage: 'no stock', errorType: 'OrderRejected', requestId: out.$metadata.requestId, stackTrace: expect.any(Array) });
    expect(body.stackTrace[0]).toMatch(/^ {2}File ".*handler\.py", line \d+, in handler\n/);
    expect(logTail(out.LogResult)).toContain('[ERROR] OrderRejected: no stock\nTraceback (most recent call last):');
  });

  it('times out with Sandbox.Timedout, and the next invoke starts cold', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.short.name, { action: 'hang' }, { LogType: 'Tail' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/) });
    expect(logTail(out.LogResult)).toMatch(/REPORT RequestId: .*Status: timeout/);
    expect(decode((await invoke(functions.short.name, { action: 'state' })).Payload)).toEqual(expect.objectContaining({ count: 1, coldStart: true }));
  });

  it('os._exit is Runtime.ExitError with the exit status', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { action: 'exit', code: 3 });
    expect(decode(out.Payload)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3` });
  });

  it('the log tail holds START, the output, END and REPORT', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { action: 'return', value: 1, log: ['a line from print'] }, { LogType: 'Tail' });
    const id = out.$metadata.requestId!;
    const tail = logTail(out.LogResult);
    const order = [`START RequestId: ${id} Version: $LATEST`, 'a line from print', `END RequestId: ${id}`, `REPORT RequestId: ${id}\tDuration: `].map((s) => tail.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('warm environments keep module state; overlapping invokes scale out', async () => {
    const { functions } = await stack();
    await fresh(functions.main.name);
    const a = decode((await invoke(functions.main.name, { action: 'state' })).Payload);
    const b = decode((await invoke(functions.main.name, { action: 'state' })).Payload);
    expect(a).toEqual({ count: 1, coldStart: true, instanceId: expect.any(String) });
    expect(b).toEqual({ count: 2, coldStart: false, instanceId: a.instanceId });
    const parallel = await Promise.all([1, 2, 3].map(() => invoke(functions.main.name, { action: 'state', sleepMs: 1000 })));
    expect(new Set(parallel.map((r) => decode(r.Payload).instanceId)).size).toBe(3);
  });

  it('runs the version a qualifier names', async () => {
    const { functions } = await stack();
    const name = functions.main.name;
    await fresh(name, 'published');
    const v = await tb.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await fresh(name, 'latest');
    const pinned = await invoke(name, { envKeys: ['STAGE'] }, { Qualifier: v.Version });
    expect(pinned.ExecutedVersion).toBe(v.Version);
    expect(decode(pinned.Payload).env.STAGE).toBe('published');
    expect(decode((await invoke(name, { envKeys: ['STAGE'] })).Payload).env.STAGE).toBe('latest');
  });
});

describeRuntime(CUSTOM, `${CUSTOM.label}: the platform`, () => {
  const stack = stackFor(CUSTOM);

  it('runs the zip\'s bootstrap: cwd and LAMBDA_TASK_ROOT, _HANDLER, no AWS_EXECUTION_ENV', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { hello: 'world' });
    expect(out.FunctionError).toBeUndefined();
    const body = decode(out.Payload);
    expect(body).toEqual(expect.objectContaining({ event: { hello: 'world' }, handler: 'function.handler', executionEnv: '', stage: 'one' }));
    expect(body.cwd).toBe(body.taskRoot);
  });

  it('an error the runtime posts is passed through: 200, Unhandled, its own body', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { action: 'error' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({ errorMessage: 'custom-bootstrap failed on purpose', errorType: 'Custom.Error' });
  });

  it('times out with Sandbox.Timedout, and the next invoke starts cold', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.short.name, { action: 'hang' });
    expect(decode(out.Payload).errorType).toBe('Sandbox.Timedout');
    expect(decode((await invoke(functions.short.name, { action: 'state' })).Payload)).toEqual(expect.objectContaining({ count: 1, coldStart: true }));
  });

  it('a bootstrap that exits mid-invocation is Runtime.ExitError with its status', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, { action: 'exit' });
    expect(decode(out.Payload)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3` });
  });

  it('the log tail holds START, the bootstrap\'s output, END and REPORT', async () => {
    const { functions } = await stack();
    const out = await invoke(functions.main.name, {}, { LogType: 'Tail' });
    const id = out.$metadata.requestId!;
    const tail = logTail(out.LogResult);
    const order = [`START RequestId: ${id} Version: $LATEST`, `custom-bootstrap handling ${id}`, `END RequestId: ${id}`, `REPORT RequestId: ${id}\tDuration: `].map((s) => tail.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('warm environments keep the process; overlapping invokes scale out', async () => {
    const { functions } = await stack();
    await fresh(functions.main.name);
    const a = decode((await invoke(functions.main.name, { action: 'state' })).Payload);
    const b = decode((await invoke(functions.main.name, { action: 'state' })).Payload);
    expect(a).toEqual({ count: 1, coldStart: true, instanceId: expect.any(String) });
    expect(b).toEqual({ count: 2, coldStart: false, instanceId: a.instanceId });
    const parallel = await Promise.all([1, 2, 3].map(() => invoke(functions.main.name, { action: 'slow' })));
    expect(new Set(parallel.map((r) => decode(r.Payload).instanceId)).size).toBe(3);
  });

  it('runs the version a qualifier names', async () => {
    const { functions } = await stack();
    const name = functions.main.name;
    await fresh(name, 'published');
    const v = await tb.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await fresh(name, 'latest');
    const pinned = await invoke(name, {}, { Qualifier: v.Version });
    expect(pinned.ExecutedVersion).toBe(v.Version);
    expect(decode(pinned.Payload).stage).toBe('published');
    expect(decode((await invoke(name, {})).Payload).stage).toBe('latest');
  });
});
