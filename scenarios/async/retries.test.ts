/**
 * The internal queue: a function error is retried after about 1 minute and then 2 minutes, up to
 * MaximumRetryAttempts; the event age is checked before each attempt; the request id stays the
 * same; each attempt is its own START..REPORT in CloudWatch Logs.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { eventually, getTestbed, payload, unique } from '../_support/testbed';
import { attemptStarts, awaitMessages, body, invokeEvent, putConfig, queueTracker } from './_helpers';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'async-retries',
    functions: {
      failing: { code: 'control' },
      once: { code: 'control' },
      age60: { code: 'control' },
      age90: { code: 'control' },
      timeout: { code: 'control', timeout: 1 },
      zero: { code: 'control' },
      busy: { code: 'control', timeout: 10, reservedConcurrency: 1 },
    },
  });
const queues = queueTracker();

describe('retries of asynchronous invocation', () => {
  it('a failing function runs three times, about 60 s and 120 s apart, then its OnFailure record says RetriesExhausted', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-fail');
    await putConfig({ FunctionName: functions.failing.name, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    const wallStart = Date.now();
    const requestId = await invokeEvent(functions.failing.name, { action: 'throw', message: 'intentional failure' });
    const [m] = await awaitMessages(q.url, 1);
    const wall = Date.now() - wallStart;
    expect(m).toBeDefined();
    const record = body(m);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: { requestId, functionArn: `${functions.failing.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { action: 'throw', message: 'intentional failure' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: expect.objectContaining({ errorType: 'Error', errorMessage: 'intentional failure' }),
    });
    const starts = await attemptStarts(functions.failing.name, requestId, 3);
    expect(starts).toHaveLength(3);
    if (tb.has('clock')) {
      // 1 minute, then 2 minutes after the previous attempt ended [doc]; in compressed time, in well under 2 s of wall time.
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(60_000);
      expect(starts[1] - starts[0]).toBeLessThan(62_000);
      expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(120_000);
      expect(starts[2] - starts[1]).toBeLessThan(122_000);
      expect(wall).toBeLessThan(10_000); // the bench measures it; this only guards against real waiting
    }
  });

  it('MaximumRetryAttempts 0: one attempt, and the record counts one invoke', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-once');
    await putConfig({ FunctionName: functions.once.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    const requestId = await invokeEvent(functions.once.name, { action: 'throw' });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1 }));
    expect(await attemptStarts(functions.once.name, requestId, 1)).toHaveLength(1);
  });

  it('MaximumEventAgeInSeconds 60: the retry would come too late, so the event ends after one attempt with EventAgeExceeded', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-age60');
    await putConfig({ FunctionName: functions.age60.name, MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await invokeEvent(functions.age60.name, { action: 'throw' });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 }));
    expect(body(m).responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  });

  it('MaximumEventAgeInSeconds 90: one retry fits, the second would not', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-age90');
    await putConfig({ FunctionName: functions.age90.name, MaximumEventAgeInSeconds: 90, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await invokeEvent(functions.age90.name, { action: 'throw' });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 }));
  });

  it('a timeout is a function error: retried, and the record carries Sandbox.Timedout', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-timeout');
    await putConfig({ FunctionName: functions.timeout.name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await invokeEvent(functions.timeout.name, { action: 'hang' });
    const [m] = await awaitMessages(q.url, 1);
    const record = body(m);
    expect(record.requestContext.approximateInvokeCount).toBe(2);
    expect(record.responsePayload).toEqual(expect.objectContaining({ errorType: 'Sandbox.Timedout' }));
  });

  it('reserved concurrency 0 sends the event to failure handling without running it', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-zero');
    await putConfig({ FunctionName: functions.zero.name, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await tb.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: functions.zero.name, ReservedConcurrentExecutions: 0 }));
    const requestId = await invokeEvent(functions.zero.name, { action: 'return' });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ requestId, approximateInvokeCount: 0 }));
    expect(body(m).responseContext).toBeUndefined();
  });
});

describe('throttled asynchronous invocation', () => {
  it('is put back with a backoff, not counted as an attempt, and runs once a slot is free', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-retries-throttled');
    await putConfig({ FunctionName: functions.busy.name, MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: q.arn } } });
    // Hold the function's only concurrency slot with a synchronous invoke.
    const mark = unique('holding');
    const holding = tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.busy.name, Payload: payload({ action: 'return', log: [mark], sleepMs: 1500 }) }));
    await eventually(
      async () =>
        (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functions.busy.name}`, filterPattern: `"${mark}"` })).catch(() => ({ events: [] }))).events ?? [],
      (ev) => ev.length > 0,
    );
    const requestId = await invokeEvent(functions.busy.name, { action: 'return', value: 'after the throttle' });
    await holding;
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m).requestContext).toEqual(expect.objectContaining({ requestId, condition: 'Success', approximateInvokeCount: 1 }));
    expect(body(m).responsePayload).toBe('after the throttle');
  });
});
