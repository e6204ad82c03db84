/**
 * Synchronous Invoke (RequestResponse): what the caller gets back and what the function saw.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { readProbes, waitForProbes } from '../../src/testbed/probe';
import { decode, getTestbed, logTail, payload } from '../_support/testbed';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'sync-invoke',
    functions: {
      echo: { code: 'echo', environment: { GREETING: 'hello' } },
      control: { code: 'control' },
    },
  });


describe('synchronous invoke', () => {
  it('returns the function result with status 200 and the executed version', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.echo.name, Payload: payload({ hello: 'world', n: 1 }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = decode(out.Payload);
    expect(body.event).toEqual({ hello: 'world', n: 1 });
    expect(body.context).toEqual(
      expect.objectContaining({
        functionName: functions.echo.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: functions.echo.arn,
        memoryLimitInMB: '128',
        logGroupName: `/aws/lambda/${functions.echo.name}`,
      }),
    );
    expect(body.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.context.remainingTimeInMillis).toBeGreaterThan(0);
    expect(body.context.remainingTimeInMillis).toBeLessThanOrEqual(3000);
    expect(body.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('gives the function the Lambda environment and its own variables, nothing of the host', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.echo.name, Payload: payload({ envKeys: ['GREETING', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT'] }) }),
    );
    const body = decode(out.Payload);
    expect(body.env).toEqual(
      expect.objectContaining({
        AWS_LAMBDA_FUNCTION_NAME: functions.echo.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_REGION: tb.target.region,
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functions.echo.name}`,
        _HANDLER: 'index.handler',
        GREETING: 'hello',
      }),
    );
    expect(body.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^[\w.-]+:\d+$/);
    expect(body.env.TZ).toMatch(/UTC/);
    const keys: string[] = body.envKeys;
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_LAMBDA_LOG_STREAM_NAME', 'LAMBDA_TASK_ROOT']) expect(keys).toContain(k);
    expect(keys.filter((k) => /^(npm_|JEST|INIT_CWD|TESTBED_)/.test(k))).toEqual([]);
  });

  it('hands the client context to the function', async () => {
    const { functions } = await stack();
    const clientContext = { client: { installation_id: 'i-1', app_title: 'demo' }, custom: { tenant: 't1' }, env: { platform: 'test' } };
    const out = await tb.clients.lambda.send(
      new InvokeCommand({
        FunctionName: functions.echo.name,
        Payload: payload({}),
        ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
      }),
    );
    const body = decode(out.Payload);
    expect(body.context.clientContext).toEqual(expect.objectContaining({ custom: { tenant: 't1' } }));
  });

  it("lets the function call AWS with the runtime's SDK and its execution-role credentials", async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.control.name, Payload: payload({ action: 'whoami' }) }));
    const me = decode(out.Payload);
    expect({ error: out.FunctionError, me }).toEqual({ error: undefined, me: { Account: expect.any(String), Arn: expect.any(String), UserId: expect.any(String) } });
    expect(me.Account).toMatch(/^\d{12}$/);
    expect(typeof me.Arn).toBe('string');
    const caller = await tb.clients.sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(caller.Account); // the call landed in the same account as the test's own
  });

  it('reports a thrown error as Unhandled with the Node.js error shape', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.control.name, Payload: payload({ action: 'throw', message: 'kaput', errorName: 'OrderError' }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('OrderError');
    expect(err.errorMessage).toBe('kaput');
    expect(Array.isArray(err.trace)).toBe(true);
    expect(err.trace[0]).toContain('kaput');
  });

  it('reports a rejected promise and a callback error the same way', async () => {
    const { functions } = await stack();
    for (const action of ['reject', 'callback-error']) {
      const out = await tb.clients.lambda.send(
        new InvokeCommand({ FunctionName: functions.control.name, Payload: payload({ action, message: `via ${action}` }) }),
      );
      expect(out.FunctionError).toBe('Unhandled');
      expect(decode(out.Payload)).toEqual(expect.objectContaining({ errorType: 'Error', errorMessage: `via ${action}` }));
    }
  });

  it('returns null when the handler returns nothing, and any JSON value as-is', async () => {
    const { functions } = await stack();
    const none = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.control.name, Payload: payload({ action: 'return', value: null }) }));
    expect(Buffer.from(none.Payload ?? []).toString()).toBe('null');
    const list = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.control.name, Payload: payload({ action: 'return', value: [1, 'two', { three: 3 }] }) }));
    expect(decode(list.Payload)).toEqual([1, 'two', { three: 3 }]);
  });

  it('returns the tail of the log with LogType Tail: START, the function output, END, REPORT', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.control.name, LogType: 'Tail', Payload: payload({ log: ['first line', 'second line'] }) }),
    );
    const log = logTail(out.LogResult);
    const requestId = out.$metadata.requestId;
    expect(log).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(log).toMatch(/\tINFO\tfirst line\n/);
    expect(log).toMatch(/END RequestId: [0-9a-f-]{36}/);
    expect(log).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);
    expect(log.indexOf('first line')).toBeLessThan(log.indexOf('END RequestId'));
    if (requestId) expect(log).toContain(requestId);
  });

  it('keeps only the last 4 KB of a long log in the tail', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.control.name, LogType: 'Tail', Payload: payload({ logBytes: 20_000 }) }),
    );
    const raw = Buffer.from(out.LogResult ?? '', 'base64');
    expect(raw.length).toBe(4096);
    expect(raw.toString('utf8')).toMatch(/REPORT RequestId: .*\n?$/);
    expect(raw.toString('utf8')).not.toContain('START RequestId');
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const { functions } = await stack();
    const tag = `dry-${Date.now()}`;
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.echo.name, InvocationType: 'DryRun', Payload: payload({ probeTag: tag }) }),
    );
    expect(out.StatusCode).toBe(204);
    expect(out.Payload?.length ?? 0).toBe(0);
    // A real invoke with another tag proves the probe works; the dry run left no record.
    const real = `real-${Date.now()}`;
    await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, Payload: payload({ probeTag: real }) }));
    await waitForProbes(tb.clients.logs, functions.echo.name, (r) => r.length === 1, { tag: real });
    expect(await readProbes(tb.clients.logs, functions.echo.name, { tag })).toEqual([]);
  });

  it('accepts an Event invoke with 202 and runs it', async () => {
    const { functions } = await stack();
    const tag = `event-${Date.now()}`;
    const out = await tb.clients.lambda.send(
      new InvokeCommand({ FunctionName: functions.echo.name, InvocationType: 'Event', Payload: payload({ probeTag: tag }) }),
    );
    expect(out.StatusCode).toBe(202);
    expect(out.Payload?.length ?? 0).toBe(0);
    const probes = await waitForProbes(tb.clients.logs, functions.echo.name, (r) => r.length === 1, { tag });
    expect(probes[0].functionName).toBe(functions.echo.name);
  });
});
