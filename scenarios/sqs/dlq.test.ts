/**
 * Dead-letter queues: the redrive policy moves a message that was received too often, the redrive
 * allow policy says who may use a queue as their DLQ, and message move tasks send messages back.
 * Receives use VisibilityTimeout 0, so a message is visible again at once and nothing waits.
 */
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { eventually, rejection, unique } from '../_support/testbed';
import { getAttributes, queueTracker, receive, receiveAll, redrivePolicy, send, sqs, type TestQueue } from './_helpers';

const queues = queueTracker();

/** A source queue whose RedrivePolicy names a new DLQ with this maxReceiveCount. */
async function pipe(prefix: string, maxReceiveCount: number, dlqAttributes: Record<string, string> = {}) {
  const dlq = await queues.create(`${prefix}-dlq`, dlqAttributes);
  const source = await queues.create(`${prefix}-src`, { RedrivePolicy: redrivePolicy(dlq.arn, maxReceiveCount) });
  return { source, dlq };
}

/** Receives from a maxReceiveCount-1 source until `count` messages sit in the DLQ. */
async function deadLetter(source: TestQueue, dlq: TestQueue, count: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const got = await receive(source.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 });
    if (got.length > 0) continue;
    const { ApproximateNumberOfMessages } = await getAttributes(dlq.url, ['ApproximateNumberOfMessages']);
    if (Number(ApproximateNumberOfMessages) >= count) return;
  }
  throw new Error(`fewer than ${count} messages reached ${dlq.name}`);
}

describe('redrive policy', () => {
  it('moves a message to the DLQ on the receive after maxReceiveCount receives, keeping its MessageId, body and attributes', async () => {
    const { source, dlq } = await pipe('sqs-redrive', 2);
    const sent = await send(source.url, 'poison pill', { MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } });
    const counts = [];
    for (let i = 0; i < 2; i++) {
      const [m] = await receive(source.url, { WaitTimeSeconds: 5, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] });
      expect(m?.MessageId).toBe(sent.MessageId);
      counts.push(m.Attributes?.ApproximateReceiveCount);
    }
    expect(counts).toEqual(['1', '2']);
    expect(await receive(source.url, { WaitTimeSeconds: 1, VisibilityTimeout: 0 })).toEqual([]);

    const [dead] = await receiveAll(dlq.url, 1, { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead.Body).toBe('poison pill');
    expect(dead.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'test' } });
    expect(dead.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(dead.Attributes?.DeadLetterQueueSourceArn).toBe(source.arn);
  });

  it('shows the RedrivePolicy in GetQueueAttributes', async () => {
    const { source, dlq } = await pipe('sqs-redrive-attr', 5);
    const { RedrivePolicy } = await getAttributes(source.url, ['RedrivePolicy']);
    const policy = JSON.parse(RedrivePolicy);
    expect(policy.deadLetterTargetArn).toBe(dlq.arn);
    expect(Number(policy.maxReceiveCount)).toBe(5);
  });

  it('lists the queues that use a DLQ with ListDeadLetterSourceQueues', async () => {
    const dlq = await queues.create('sqs-sources-dlq');
    const a = await queues.create('sqs-sources-a', { RedrivePolicy: redrivePolicy(dlq.arn, 50) });
    const b = await queues.create('sqs-sources-b', { RedrivePolicy: redrivePolicy(dlq.arn, 50) });
    await queues.create('sqs-sources-other');
    const out = await eventually(
      () => sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url })),
      (o) => (o.queueUrls ?? []).length >= 2,
    );
    expect([...out.queueUrls!].sort()).toEqual([a.url, b.url].sort());
  });

  it('refuses a DLQ of the other queue type (a FIFO source needs a FIFO DLQ)', async () => {
    const standardDlq = await queues.create('sqs-type-dlq');
    const fifoDlq = await queues.create('sqs-type-dlq', {}, { fifo: true });
    const fifoSource = rejection(
      sqs().send(new CreateQueueCommand({ QueueName: `${unique('sqs-type-src')}.fifo`, Attributes: { FifoQueue: 'true', RedrivePolicy: redrivePolicy(standardDlq.arn, 3) } })),
    );
    const standardSource = rejection(sqs().send(new CreateQueueCommand({ QueueName: unique('sqs-type-src'), Attributes: { RedrivePolicy: redrivePolicy(fifoDlq.arn, 3) } })));
    for (const err of await Promise.all([fifoSource, standardSource])) {
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.name).toMatch(/^(InvalidParameterValue|InvalidAttributeValue)$/);
    }
  });
});

describe('redrive allow policy', () => {
  it('lets no queue use a DLQ whose RedriveAllowPolicy is denyAll', async () => {
    const dlq = await queues.create('sqs-deny-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const created = await rejection(sqs().send(new CreateQueueCommand({ QueueName: unique('sqs-deny-src'), Attributes: { RedrivePolicy: redrivePolicy(dlq.arn, 3) } })));
    expect(created.name).toBe('InvalidParameterValue');
    const existing = await queues.create('sqs-deny-existing');
    const set = await rejection(sqs().send(new SetQueueAttributesCommand({ QueueUrl: existing.url, Attributes: { RedrivePolicy: redrivePolicy(dlq.arn, 3) } })));
    expect(set.name).toBe('InvalidParameterValue');
    expect((await getAttributes(existing.url, ['RedrivePolicy'])).RedrivePolicy).toBeUndefined();
  });

  it('lets only the listed source queues use a DLQ whose RedriveAllowPolicy is byQueue', async () => {
    const allowed = await queues.create('sqs-byqueue-allowed');
    const dlq = await queues.create('sqs-byqueue-dlq', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [allowed.arn] }),
    });
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: allowed.url, Attributes: { RedrivePolicy: redrivePolicy(dlq.arn, 3) } }));
    const other = await queues.create('sqs-byqueue-other');
    const err = await rejection(sqs().send(new SetQueueAttributesCommand({ QueueUrl: other.url, Attributes: { RedrivePolicy: redrivePolicy(dlq.arn, 3) } })));
    expect(err.name).toBe('InvalidParameterValue');
  });
});

describe('message move tasks', () => {
  it('moves the messages of a DLQ back to their source queue when no DestinationArn is given', async () => {
    const { source, dlq } = await pipe('sqs-move-back', 1);
    await send(source.url, 'message-1');
    await send(source.url, 'message-2');
    await deadLetter(source, dlq, 2);

    const started = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(started.TaskHandle).toEqual(expect.any(String));
    const back = await receiveAll(source.url, 2, { VisibilityTimeout: 3600 });
    expect(back.map((m) => m.Body).sort()).toEqual(['message-1', 'message-2']);

    const tasks = await eventually(
      () => sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn })),
      (o) => o.Results?.[0]?.Status === 'COMPLETED' && o.Results[0].ApproximateNumberOfMessagesMoved === 2,
    );
    expect(tasks.Results![0]).toEqual(
      expect.objectContaining({ SourceArn: dlq.arn, Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 2 }),
    );
    expect(tasks.Results![0].StartedTimestamp).toEqual(expect.any(Number));
    expect(tasks.Results![0].DestinationArn).toBeUndefined();
    expect(await receive(dlq.url, { WaitTimeSeconds: 1 })).toEqual([]);
  });

  it('moves the messages of a DLQ to the DestinationArn given', async () => {
    const { source, dlq } = await pipe('sqs-move-dest', 1);
    const destination = await queues.create('sqs-move-dest-target');
    await send(source.url, 'to elsewhere');
    await deadLetter(source, dlq, 1);
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }));
    const [m] = await receiveAll(destination.url, 1);
    expect(m?.Body).toBe('to elsewhere');
    const tasks = await eventually(
      () => sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn })),
      (o) => o.Results?.[0]?.Status === 'COMPLETED',
    );
    expect(tasks.Results![0]).toEqual(expect.objectContaining({ SourceArn: dlq.arn, DestinationArn: destination.arn, ApproximateNumberOfMessagesMoved: 1 }));
  });

  it('cancels a running task with CancelMessageMoveTask', async () => {
    const { source, dlq } = await pipe('sqs-move-cancel', 1);
    for (let i = 0; i < 10; i++) await send(source.url, `message-${i}`);
    await deadLetter(source, dlq, 10);
    const { TaskHandle } = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }));
    const running = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(running.Results?.[0]).toEqual(expect.objectContaining({ MaxNumberOfMessagesPerSecond: 1, ApproximateNumberOfMessagesToMove: 10 }));
    const cancel = await sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle })).catch((e: Error) => e);
    if (cancel instanceof Error) {
      // Only when the task had already finished: another suite's wait can carry a shared virtual clock 10 s on.
      const done = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
      expect(done.Results?.[0]?.Status).toBe('COMPLETED');
      return;
    }
    expect(cancel.ApproximateNumberOfMessagesMoved).toBeLessThan(10);
    const after = await eventually(
      () => sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn })),
      (o) => o.Results?.[0]?.Status === 'CANCELLED',
    );
    expect(after.Results![0].ApproximateNumberOfMessagesMoved).toBeLessThan(10);
  });

  it('refuses to start a task on a queue that is no DLQ, and to cancel an unknown task handle', async () => {
    const plain = await queues.create('sqs-move-plain');
    const other = await queues.create('sqs-move-plain-dest');
    const start = await rejection(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn, DestinationArn: other.arn })));
    expect(start.name).toBe('InvalidParameterValue');
    expect(start.message).toBe('Source queue must be configured as a Dead Letter Queue.');
    const cancel = await rejection(sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })));
    expect(cancel.name).toBe('InvalidParameterValue');
    expect(cancel.message).toBe('Value for parameter TaskHandle is invalid.');
  });
});
