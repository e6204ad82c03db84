/**
 * Destinations and dead-letter queues: the invocation record to OnSuccess / OnFailure (SQS queue,
 * another function invoked asynchronously), the original event to the DLQ with RequestID,
 * ErrorCode and ErrorMessage, both at once, and what is lost when a destination is gone.
 */
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { eventually, getTestbed, rejection } from '../_support/testbed';
import { awaitMessages, body, invokeEvent, putConfig, queueTracker } from './_helpers';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'async-destinations',
    functions: {
      ok: { code: 'control' },
      chained: { code: 'control' },
      next: { code: 'control' },
      dlq: { code: 'control' },
      both: { code: 'control' },
      lost: { code: 'control' },
    },
  });
const queues = queueTracker();

async function setDeadLetterQueue(functionName: string, targetArn: string): Promise<void> {
  await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, DeadLetterConfig: { TargetArn: targetArn } }));
  await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 60 }, { FunctionName: functionName });
}

describe('destinations', () => {
  it('OnSuccess to an SQS queue: the record with condition Success and the function’s response', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-dest-success');
    await putConfig({ FunctionName: functions.ok.name, DestinationConfig: { OnSuccess: { Destination: q.arn } } });
    const requestId = await invokeEvent(functions.ok.name, { action: 'return', value: { hello: 'world' } });
    const [m] = await awaitMessages(q.url, 1);
    expect(body(m)).toEqual({
      version: '1.0',
      timestamp: expect.any(String),
      requestContext: { requestId, functionArn: `${functions.ok.arn}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { action: 'return', value: { hello: 'world' } },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { hello: 'world' },
    });
  });

  it('OnSuccess to another function: it is invoked asynchronously with the record as its event', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-dest-chain');
    await putConfig({ FunctionName: functions.chained.name, DestinationConfig: { OnSuccess: { Destination: functions.next.arn } } });
    // The next function reports its own success to the queue: its requestPayload is the first record.
    await putConfig({ FunctionName: functions.next.name, DestinationConfig: { OnSuccess: { Destination: q.arn } } });
    const requestId = await invokeEvent(functions.chained.name, { action: 'return', value: 'first' });
    const [m] = await awaitMessages(q.url, 1);
    const outer = body(m);
    expect(outer.requestContext.functionArn).toBe(`${functions.next.arn}:$LATEST`);
    expect(outer.requestPayload.requestContext).toEqual(expect.objectContaining({ requestId, condition: 'Success', functionArn: `${functions.chained.arn}:$LATEST` }));
    expect(outer.requestPayload.responsePayload).toBe('first');
  });
});

describe('dead-letter queues', () => {
  it('get the original event unchanged, with RequestID, ErrorCode and ErrorMessage attributes', async () => {
    const { functions } = await stack();
    const dlq = await queues.create('async-dlq');
    await setDeadLetterQueue(functions.dlq.name, dlq.arn);
    await putConfig({ FunctionName: functions.dlq.name, MaximumRetryAttempts: 0 });
    const event = { action: 'throw', message: 'Test exception (this is intentional)', n: [1, 2, 3] };
    const requestId = await invokeEvent(functions.dlq.name, event);
    const [m] = await awaitMessages(dlq.url, 1);
    expect(JSON.parse(m.Body!)).toEqual(event);
    const config = await tb.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functions.dlq.name }));
    expect(config.DeadLetterConfig).toEqual({ TargetArn: dlq.arn });
    expect(m.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'Test exception (this is intentional)' },
    });
  });

  it('must be an SQS queue or an SNS topic', async () => {
    const { functions } = await stack();
    const notAQueue = functions.dlq.arn; // a function ARN
    const e = await rejection(tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functions.dlq.name, DeadLetterConfig: { TargetArn: notAQueue } })));
    expect(e.name).toBe('InvalidParameterValueException');
    const bad = await rejection(tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functions.dlq.name, DeadLetterConfig: { TargetArn: 'not an arn' } })));
    expect(bad.name).toBe('ValidationException');
  });

  it('and an OnFailure destination both get the failed event', async () => {
    const { functions } = await stack();
    const dlq = await queues.create('async-both-dlq');
    const dest = await queues.create('async-both-dest');
    await setDeadLetterQueue(functions.both.name, dlq.arn);
    await putConfig({ FunctionName: functions.both.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: dest.arn } } });
    const requestId = await invokeEvent(functions.both.name, { action: 'throw' });
    const [d] = await awaitMessages(dlq.url, 1);
    const [f] = await awaitMessages(dest.url, 1);
    expect(d.MessageAttributes?.RequestID?.StringValue).toBe(requestId);
    expect(body(f).requestContext.requestId).toBe(requestId);
  });
});

describe('a destination that is gone', () => {
  tb.itIf('invocations')('loses the record, as AWS does, and the cloud’s delivery log says why', async () => {
    const { functions } = await stack();
    const q = await queues.create('async-dest-gone');
    await putConfig({ FunctionName: functions.lost.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    await tb.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await invokeEvent(functions.lost.name, { action: 'throw' });
    const failures = await eventually(
      async () => ((await (await fetch(`${tb.target.endpoint}/_testbed/deliveries`)).json()) as { failures: { target: string; code: string; source: string }[] }).failures,
      (list) => list.some((f) => f.target === q.arn),
    );
    expect(failures.find((f) => f.target === q.arn)).toEqual(
      expect.objectContaining({ code: 'AWS.SimpleQueueService.NonExistentQueue', source: `lambda:OnFailure ${functions.lost.name}` }),
    );
  });
});
