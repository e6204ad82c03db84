/**
 * A Python function under the other invocation models: an SQS event source mapping hands it a
 * batch (deleted after success), and an Event invoke that raises is retried, then its OnFailure
 * record carries the Python error shape.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { eventually, getTestbed } from '../_support/testbed';
import { awaitMessages, body, invokeEvent, putConfig } from '../async/_helpers';
import { mappingTracker } from '../poll/_helpers';
import { getAttributes, queueTracker, send } from '../sqs/_helpers';
import { PYTHON, describeRuntime, fnSpec } from './_helpers';

const tb = getTestbed();
const queues = queueTracker();
const mappings = mappingTracker();
const stack = () => tb.deploy({ name: 'runtimes-py-models', functions: { poll: fnSpec(PYTHON, { timeout: 10 }), async: fnSpec(PYTHON) } });

describeRuntime(PYTHON, `${PYTHON.label}: asynchronous and poll-based`, () => {
  it('an SQS mapping hands the function the batch; a successful batch is deleted', async () => {
    const { functions } = await stack();
    const q = await queues.create('runtimes-py-sqs');
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.poll.name, BatchSize: 1 });
    await send(q.url, 'hello python from sqs');
    const found = await eventually(
      async () =>
        (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functions.poll.name}`, filterPattern: '"PY_RECORDS"' })).catch(() => ({ events: [] })))
          .events ?? [],
      (events) => events.some((e) => e.message?.includes('hello python from sqs')),
      60_000,
    );
    expect(found.find((e) => e.message?.includes('hello python from sqs'))!.message).toContain('PY_RECORDS ["hello python from sqs"]');
    await eventually(
      async () => {
        await tb.advance(1000);
        return getAttributes(q.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
      },
      (a) => a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0',
      60_000,
    );
  });

  it('an Event invoke that raises is retried; the OnFailure record has the Python error shape', async () => {
    const { functions } = await stack();
    const q = await queues.create('runtimes-py-async');
    await putConfig({ FunctionName: functions.async.name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: q.arn } } });
    const requestId = await invokeEvent(functions.async.name, { action: 'throw', errorName: 'PaymentDeclined', message: 'card expired' });
    const [m] = await awaitMessages(q.url, 1);
    expect(m).toBeDefined();
    const record = body(m);
    expect(record.requestContext).toEqual({ requestId, functionArn: `${functions.async.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.responsePayload).toEqual({ errorMessage: 'card expired', errorType: 'PaymentDeclined', requestId, stackTrace: expect.any(Array) });
  });
});
