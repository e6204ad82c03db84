/**
 * Execution environments and concurrency: cold then warm, scale-out, reserved concurrency throttling.
 */
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { decode, getTestbed, payload } from '../_support/testbed';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'sync-concurrency',
    functions: {
      warm: { code: 'control' },
      scale: { code: 'control', timeout: 10 },
      reserved: { code: 'control', timeout: 10 },
    },
  });

/** A configuration change retires every environment, so the next invoke is cold (as on AWS). */
async function freshEnvironments(name: string): Promise<void> {
  await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { RUN: `${Date.now()}-${Math.random()}` } } }));
  await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
}

describe('execution environments', () => {
  it('starts cold, then reuses the warm environment with its module state', async () => {
    const { functions } = await stack();
    await freshEnvironments(functions.warm.name);
    const first = decode((await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.warm.name, Payload: payload({ action: 'state' }) }))).Payload);
    const second = decode((await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.warm.name, Payload: payload({ action: 'state' }) }))).Payload);
    const third = decode((await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.warm.name, Payload: payload({ action: 'state' }) }))).Payload);
    expect(first).toEqual({ count: 1, coldStart: true, instanceId: expect.any(String) });
    expect(second).toEqual({ count: 2, coldStart: false, instanceId: first.instanceId });
    expect(third).toEqual({ count: 3, coldStart: false, instanceId: first.instanceId });
  });

  it('scales out: N overlapping invokes run in N environments', async () => {
    const { functions } = await stack();
    await freshEnvironments(functions.scale.name);
    const n = 5;
    const results = await Promise.all(
      Array.from({ length: n }, () =>
        tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.scale.name, Payload: payload({ action: 'state', sleepMs: 1000 }) })),
      ),
    );
    const bodies = results.map((r) => decode(r.Payload));
    expect(new Set(bodies.map((b) => b.instanceId)).size).toBe(n);
    expect(bodies.every((b) => b.coldStart === true && b.count === 1)).toBe(true);
  });

  tb.itIf('invocations')('records each invocation with its environment, cold or warm', async () => {
    const { functions } = await stack();
    await freshEnvironments(functions.scale.name);
    const first = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.scale.name, Payload: payload({ action: 'state' }) }));
    const second = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.scale.name, Payload: payload({ action: 'state' }) }));
    const [a] = await tb.invocations({ requestId: first.$metadata.requestId });
    const [b] = await tb.invocations({ requestId: second.$metadata.requestId });
    expect(a).toEqual(expect.objectContaining({ functionName: functions.scale.name, trigger: 'invoke', coldStart: true, outcome: 'success', executedVersion: '$LATEST' }));
    expect(b).toEqual(expect.objectContaining({ coldStart: false, environmentId: a.environmentId, outcome: 'success' }));
    expect(Number(b.end)).toBeGreaterThanOrEqual(Number(b.start));
  });
});

describe('reserved concurrency', () => {
  it('throttles every invoke with 429 when reserved concurrency is 0', async () => {
    const { functions } = await stack();
    const name = functions.reserved.name;
    await tb.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
    try {
      const got = await tb.clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
      expect(got.ReservedConcurrentExecutions).toBe(0);
      const err = await tb.clients.lambdaNoRetry.send(new InvokeCommand({ FunctionName: name, Payload: payload({}) })).catch((e) => e);
      expect(err).toBeInstanceOf(TooManyRequestsException);
      expect(err.$metadata.httpStatusCode).toBe(429);
      expect(err.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect(err.message).toBe('Rate Exceeded.');
    } finally {
      await tb.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    }
    const ok = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({}) }));
    expect(ok.StatusCode).toBe(200);
  });

  tb.itIf('invocations')('accepts an Event invoke under reserved concurrency 0 and never runs it', async () => {
    const { functions } = await stack();
    const name = functions.reserved.name;
    await tb.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
    try {
      const out = await tb.clients.lambdaNoRetry.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: payload({}) }));
      expect(out.StatusCode).toBe(202);
      const requestId = out.$metadata.requestId!;
      const deadline = Date.now() + 10_000;
      let records = await tb.invocations({ requestId });
      while (records.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setImmediate(r));
        records = await tb.invocations({ requestId });
      }
      expect(records).toEqual([expect.objectContaining({ trigger: 'event', outcome: 'dropped', errorType: 'ZeroReservedConcurrency', environmentId: null })]);
    } finally {
      await tb.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    }
  });

  it('throttles the invoke beyond the reserved concurrency while another one runs', async () => {
    const { functions } = await stack();
    const name = functions.reserved.name;
    await tb.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
    try {
      // Two overlapping invokes, each holding its slot for 2 s: exactly one runs, the other is refused.
      const send = () =>
        tb.clients.lambdaNoRetry.send(new InvokeCommand({ FunctionName: name, Payload: payload({ action: 'state', sleepMs: 2000 }) })).catch((e) => e);
      const results = await Promise.all([send(), send()]);
      const throttled = results.filter((r) => r instanceof TooManyRequestsException);
      const ran = results.filter((r) => !(r instanceof Error));
      expect(throttled).toHaveLength(1);
      expect(ran).toHaveLength(1);
      expect(throttled[0].Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect(ran[0].StatusCode).toBe(200);
    } finally {
      await tb.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    }
  });
});
