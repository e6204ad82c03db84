/**
 * SQS message move tasks through the wire: @aws-sdk/client-sqs against a started embedded cloud in
 * compressed time. Move tasks need messages in a dead-letter queue; those are put there through the
 * queue's message model (`messages.putMoved`), as a redrive does.
 */
import { randomUUID } from 'node:crypto';
import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { MessageQueue, QueueRecord, SqsMessage } from '../../src/cloud/services/sqs/types';
import { arnOf, attrs, clock, create, failure, sqs, store, uniq, useSqsCloud } from './sqs-queues-helpers';

useSqsCloud();

// ------------------------------------------------------------------ message move tasks

/** A message as a redrive leaves it in a dead-letter queue. */
function dlqMessage(body: string, sourceArn?: string): SqsMessage {
  return {
    messageId: randomUUID(),
    body,
    md5OfBody: '',
    messageAttributes: {},
    messageSystemAttributes: {},
    senderId: '000000000000',
    sentTimestamp: clock().now(),
    receiveCount: 2,
    deadLetterQueueSourceArn: sourceArn,
  };
}

/**
 * A plain FIFO list standing in for a queue's message model (available messages only), so that the
 * move tasks are tested on their own; installed on the queue records.
 */
function listQueue(): MessageQueue & { items: SqsMessage[] } {
  const items: SqsMessage[] = [];
  const unused = () => {
    throw new Error('not used by move tasks');
  };
  return {
    items,
    counts: () => ({ visible: items.length, inFlight: 0, delayed: 0 }),
    purge: () => void items.splice(0),
    takeForMove: () => items.shift(),
    putMoved: (m) => void items.push(m),
    close: () => undefined,
    send: unused,
    receive: unused,
    deleteMessage: unused,
    changeVisibility: unused,
    attributesChanged: () => undefined,
    onAvailable: () => () => undefined,
  };
}

interface Pipe {
  source: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
  dlq: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
  dest: { url: string; arn: string; q: QueueRecord; list: ReturnType<typeof listQueue> };
}

async function queueWithList(name: string, Attributes?: Record<string, string>) {
  const url = await create(name, Attributes);
  const arn = await arnOf(url);
  const q = store().byArn(arn)!;
  const list = listQueue();
  q.messages = list;
  return { url, arn, q, list };
}

/** source -> dlq (its RedrivePolicy target), and a separate destination queue. */
async function pipe(messages = 0): Promise<Pipe> {
  const dlq = await queueWithList(uniq('dlq'));
  const source = await queueWithList(uniq('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
  const dest = await queueWithList(uniq('dest'));
  for (let i = 0; i < messages; i++) dlq.list.putMoved(dlqMessage(`message-${i}`, source.arn));
  return { source, dlq, dest };
}

const listTasks = async (SourceArn: string, MaxResults?: number) =>
  (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ?? [];

describe('StartMessageMoveTask', () => {
  it('moves every message to the destination and completes (AWS-recorded shape)', async () => {
    const p = await pipe(2);
    const originals = p.dlq.list.items.map((m) => m.messageId);
    clock().advance(1000);
    const started = clock().now();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn }));
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString())).toEqual({ taskId: expect.any(String), sourceArn: p.dlq.arn });
    await clock().advanceBy(10);
    expect(p.dest.list.items.map((m) => m.body)).toEqual(['message-0', 'message-1']);
    expect(p.dlq.list.items).toEqual([]);
    // Redriven messages are new messages: new id and enqueue time, never received, no DLQ source.
    for (const m of p.dest.list.items) {
      expect(originals).not.toContain(m.messageId);
      expect(m).toEqual(expect.objectContaining({ receiveCount: 0, deadLetterQueueSourceArn: undefined }));
      expect(m.sentTimestamp).toBeGreaterThanOrEqual(started); // the originals were sent 1 s earlier
    }
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
      DestinationArn: p.dest.arn,
      SourceArn: p.dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: 'COMPLETED',
    });
    expect(task.StartedTimestamp).toBeGreaterThanOrEqual(started);
    expect(task.StartedTimestamp).toBeLessThan(started + 10_000);
  });

  it('without DestinationArn moves each message back to its own source queue', async () => {
    const p = await pipe();
    const other = await queueWithList(uniq('src2'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: p.dlq.arn, maxReceiveCount: 1 }) });
    p.dlq.list.putMoved(dlqMessage('1-1', p.source.arn));
    p.dlq.list.putMoved(dlqMessage('2-1', other.arn));
    p.dlq.list.putMoved(dlqMessage('1-2', p.source.arn));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn }));
    await clock().advanceBy(10);
    expect(p.source.list.items.map((m) => m.body)).toEqual(['1-1', '1-2']);
    expect(other.list.items.map((m) => m.body)).toEqual(['2-1']);
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual(expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 }));
    expect(task).not.toHaveProperty('DestinationArn');
    expect(task).not.toHaveProperty('MaxNumberOfMessagesPerSecond');
  });

  it('paces MaxNumberOfMessagesPerSecond on the virtual clock: 4 messages at 1/s take 3 s', async () => {
    const p = await pipe(4);
    const t0 = clock().now();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    const offset0 = clock().offsetMs();
    await clock().advanceBy(10);
    expect(p.dest.list.items).toHaveLength(1);
    expect(await listTasks(p.dlq.arn)).toEqual([
      {
        TaskHandle,
        Status: 'RUNNING',
        SourceArn: p.dlq.arn,
        DestinationArn: p.dest.arn,
        MaxNumberOfMessagesPerSecond: 1,
        ApproximateNumberOfMessagesMoved: 1,
        ApproximateNumberOfMessagesToMove: 4,
        StartedTimestamp: expect.any(Number),
      },
    ]);
    await clock().advanceBy(1000);
    expect(p.dest.list.items).toHaveLength(2);
    await clock().advanceBy(2000);
    expect(p.dest.list.items.map((m) => m.body)).toEqual(['message-0', 'message-1', 'message-2', 'message-3']);
    const [done] = await listTasks(p.dlq.arn);
    expect(done).toEqual(expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4 }));
    expect(done).not.toHaveProperty('TaskHandle');
    expect(clock().now() - t0).toBeGreaterThanOrEqual(3000);
    expect(clock().offsetMs() - offset0).toBeGreaterThanOrEqual(2500); // compressed time jumped the waits
  });

  it('allows one active task per source queue (AWS-recorded)', async () => {
    const p = await pipe(10);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
  });

  it('refuses a source that is no dead-letter queue, and missing queues (AWS-recorded)', async () => {
    const p = await pipe(1);
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dest.arn })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: `${p.dest.arn}-gone` })))).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
    });
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${p.dlq.arn}-gone` })))).message).toBe(
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'not-an-arn' })))).message).toBe(
      'You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>',
    );
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dlq.arn })))).message).toBe(
      'Source queue arn and destination queue arn cannot be the same.',
    );
    const fifo = await create(uniq('f') + '.fifo', { FifoQueue: 'true' });
    expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: await arnOf(fifo) })))).message).toBe(
      'The source queue and destination queue must be of the same queue type.',
    );
    for (const rate of [0, 501]) {
      expect((await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, MaxNumberOfMessagesPerSecond: rate })))).message).toBe(
        "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
      );
    }
    expect(p.dlq.list.items).toHaveLength(1);
    expect(await listTasks(p.dlq.arn)).toEqual([]);
  });

  it('fails without losing a message when the destination disappears', async () => {
    const p = await pipe(10);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(1500);
    const movedBefore = p.dest.list.items.length;
    expect(movedBefore).toBe(2);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: p.dest.url }));
    await clock().advanceBy(1000);
    const [task] = await listTasks(p.dlq.arn);
    expect(task).toEqual(
      expect.objectContaining({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 10 }),
    );
    expect(task).not.toHaveProperty('TaskHandle');
    expect(p.dlq.list.items).toHaveLength(8);
    // Failed is not active: a new task may start.
    const dest2 = await queueWithList(uniq('dest'));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: dest2.arn }));
    await clock().advanceBy(10);
    expect(dest2.list.items).toHaveLength(8);
  });

  it('keeps a message in the dead-letter queue when its original source queue is gone, and fails', async () => {
    const p = await pipe();
    p.dlq.list.putMoved(dlqMessage('orphan', 'arn:aws:sqs:us-east-1:000000000000:gone'));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn }));
    await clock().advanceBy(10);
    expect(p.dlq.list.items.map((m) => m.body)).toEqual(['orphan']);
    expect((await listTasks(p.dlq.arn))[0]).toEqual(expect.objectContaining({ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0 }));
  });

  it('fails when the source queue is deleted while running', async () => {
    const p = await pipe(5);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(10);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: p.dlq.url }));
    await clock().advanceBy(3000);
    expect(p.dest.list.items).toHaveLength(1);
  });
});

describe('ListMessageMoveTasks and CancelMessageMoveTask', () => {
  it('cancels a running task: no more messages move (AWS-recorded shape)', async () => {
    const p = await pipe(10);
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await clock().advanceBy(1500);
    expect(await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).toEqual(expect.objectContaining({ ApproximateNumberOfMessagesMoved: 2 }));
    await clock().advanceBy(5000);
    expect(p.dest.list.items).toHaveLength(2);
    expect(p.dlq.list.items).toHaveLength(8);
    expect(await listTasks(p.dlq.arn)).toEqual([
      {
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 10,
        DestinationArn: p.dest.arn,
        MaxNumberOfMessagesPerSecond: 1,
        SourceArn: p.dlq.arn,
        StartedTimestamp: expect.any(Number),
        Status: 'CANCELLED',
      },
    ]);
    expect((await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))))).toEqual(
      expect.objectContaining({ name: 'ResourceNotFoundException', status: 404, message: 'Task does not exist.' }),
    );
  });

  it('refuses bad task handles (AWS-recorded)', async () => {
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value for parameter TaskHandle is invalid.',
    });
    const handle = (taskId: string, sourceArn: string) => Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
    expect(
      await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(randomUUID(), 'arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456') }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
    });
    const url = await create();
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(randomUUID(), await arnOf(url)) })))).toEqual({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      status: 404,
      message: 'Task does not exist.',
    });
  });

  it('lists the newest task first, one by default, up to MaxResults (1-10)', async () => {
    const p = await pipe();
    const handles: string[] = [];
    for (let i = 0; i < 3; i++) {
      p.dlq.list.putMoved(dlqMessage(`m${i}`, p.source.arn));
      handles.push((await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: p.dlq.arn, DestinationArn: p.dest.arn }))).TaskHandle!);
      await clock().advanceBy(10);
    }
    const ids = (rs: { TaskHandle?: string; StartedTimestamp?: number }[]) => rs.map((r) => r.StartedTimestamp);
    const one = await listTasks(p.dlq.arn);
    expect(one).toHaveLength(1);
    const three = await listTasks(p.dlq.arn, 10);
    expect(three).toHaveLength(3);
    expect(ids(three)).toEqual([...ids(three)].sort((a, b) => b! - a!));
    expect(three[0]).toEqual(one[0]);
    expect(three.every((r) => r.Status === 'COMPLETED' && r.ApproximateNumberOfMessagesMoved === 1)).toBe(true);
    for (const MaxResults of [0, 11]) {
      expect((await failure(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: p.dlq.arn, MaxResults })))).message).toBe(
        "Value for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.",
      );
    }
    expect((await failure(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: `${p.dlq.arn}-gone` })))).name).toBe('ResourceNotFoundException');
  });
});

// ------------------------------------------------------------------ with the message model

describe('with real messages', () => {
  const send = (QueueUrl: string, MessageBody: string, DelaySeconds?: number) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, DelaySeconds }));
  const receive = async (QueueUrl: string, opts: { wait?: number; visibility?: number; max?: number } = {}) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: opts.wait ?? 0,
          VisibilityTimeout: opts.visibility,
          MaxNumberOfMessages: opts.max ?? 10,
          MessageSystemAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  const counts = async (url: string) =>
    attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);

  it('counts visible, in-flight and delayed messages', async () => {
    const url = await create();
    await send(url, 'a');
    await send(url, 'b');
    await send(url, 'later', 60);
    expect(await receive(url, { max: 1 })).toHaveLength(1);
    expect(await counts(url)).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('PurgeQueue deletes visible, in-flight and delayed messages', async () => {
    const url = await create();
    await send(url, 'a');
    await send(url, 'b');
    await send(url, 'later', 5);
    await receive(url, { max: 1, visibility: 5 });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await counts(url)).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' });
    await clock().advanceBy(6_000);
    expect(await receive(url)).toEqual([]);
    await send(url, 'after');
    expect((await receive(url)).map((m) => m.Body)).toEqual(['after']);
  });

  it('redrives dead letters back to their source queue with a move task, paced on the virtual clock', async () => {
    const dlq = await create(uniq('dlq'));
    const dlqArn = await arnOf(dlq);
    const source = await create(uniq('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const ids: string[] = [];
    for (const body of ['m0', 'm1', 'm2']) ids.push((await send(source, body)).MessageId!);
    // The first receive counts 1; the next one moves each message to the DLQ.
    expect(await receive(source, { visibility: 0 })).toHaveLength(3);
    expect(await receive(source, { visibility: 0 })).toEqual([]);
    expect(await counts(dlq)).toEqual(expect.objectContaining({ ApproximateNumberOfMessages: '3' }));
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([source]);

    const t0 = clock().now();
    const offset0 = clock().offsetMs();
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const got: Message[] = [];
    while (got.length < 3) got.push(...(await receive(source, { wait: 20, visibility: 600 })));
    expect(got.map((m) => m.Body).sort()).toEqual(['m0', 'm1', 'm2']);
    for (const m of got) {
      expect(ids).not.toContain(m.MessageId);
      expect(m.Attributes).toEqual(expect.objectContaining({ ApproximateReceiveCount: '1' }));
      expect(m.Attributes).not.toHaveProperty('DeadLetterQueueSourceArn');
    }
    expect(clock().now() - t0).toBeGreaterThanOrEqual(2000);
    expect(clock().offsetMs() - offset0).toBeGreaterThanOrEqual(1500); // jumped, not waited
    expect(await counts(dlq)).toEqual(expect.objectContaining({ ApproximateNumberOfMessages: '0' }));
    expect((await listTasks(dlqArn))[0]).toEqual(
      expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3, SourceArn: dlqArn }),
    );
  });
});
