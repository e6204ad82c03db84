/**
 * Failures inside the function: timeout, process exit, out of memory, oversized response.
 * Each replaces the execution environment; the next invoke starts cold and works.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { decode, getTestbed, logTail, payload } from '../_support/testbed';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'sync-failures',
    functions: {
      timeout: { code: 'control', timeout: 1 },
      exit: { code: 'control' },
      oom: { code: 'control', memorySize: 128, timeout: 30 },
      large: { code: 'control', memorySize: 512, timeout: 10 },
    },
  });


describe('function failures', () => {
  it('times out after the configured timeout with Sandbox.Timedout', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.timeout.name, LogType: 'Tail', Payload: payload({ action: 'hang', log: ['about to hang'] }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('Sandbox.Timedout');
    expect(err.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    const log = logTail(out.LogResult);
    expect(log).toContain('about to hang');
    expect(log).toMatch(/Task timed out after 1\.00 seconds/);
    expect(log).toMatch(/REPORT RequestId: .*Status: timeout/);

    const next = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.timeout.name, Payload: payload({ action: 'state' }) }));
    expect(next.FunctionError).toBeUndefined();
    expect(decode(next.Payload)).toEqual(expect.objectContaining({ count: 1, coldStart: true }));
  });

  it('reports a process exit as Runtime.ExitError and replaces the environment', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.exit.name, Payload: payload({ action: 'exit', code: 3 }) }));
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('Runtime.ExitError');
    expect(err.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);

    const next = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.exit.name, Payload: payload({ action: 'state' }) }));
    expect(decode(next.Payload)).toEqual(expect.objectContaining({ count: 1, coldStart: true }));
  });

  it('reports a heap beyond MemorySize as Runtime.OutOfMemory', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.oom.name, LogType: 'Tail', Payload: payload({ action: 'oom' }) }));
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('Runtime.OutOfMemory');
    expect(err.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    expect(logTail(out.LogResult)).toMatch(/REPORT RequestId: .*Memory Size: 128 MB/);

    const next = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.oom.name, Payload: payload({ action: 'state' }) }));
    expect(next.FunctionError).toBeUndefined();
  });

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.large.name, Payload: payload({ action: 'large', bytes: 6_291_556 }) }), // 6291558 bytes of JSON: 2 over the limit
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('returns a response just under 6 MB intact', async () => {
    const { functions } = await stack();
    const bytes = 6 * 1024 * 1024 - 100; // the JSON string adds two quotes
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.large.name, Payload: payload({ action: 'large', bytes }) }));
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toHaveLength(bytes);
  });
});
