/**
 * Message move tasks (DLQ redrive): StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask.
 *
 * A task moves the available messages of a dead-letter queue, oldest first, to DestinationArn or (when
 * that is omitted) back to each message's original source queue (its DeadLetterQueueSourceArn). It
 * runs on the clock's timers: with MaxNumberOfMessagesPerSecond = r one message every 1000/r virtual
 * ms (the first at once), without it as fast as possible in batches; so compressed time jumps through
 * it. A moved message arrives as a new message (AWS: "All redriven messages are considered new
 * messages with a new messageID and enqueueTime"; the retention period restarts, the receive count
 * starts again). It completes when the source has no available message left. A message is never lost: the
 * destination is looked up before a message is taken, and a message whose original source queue is
 * gone goes back to the dead-letter queue; either way the task then fails.
 *
 * Texts and shapes are AWS-recorded (LocalStack's test_sqs_move_task.snapshot.json) where they exist.
 */
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock';
import type { Operation, RequestContext } from '../../protocols/types';
import { expectType } from '../../protocols/validation';
import { parseRedrivePolicy } from './attributes';
import { invalidParameterValue, missingParameter, resourceNotFound } from './errors';
import { newMessageId } from './message-id';
import type { SqsStore } from './store';
import type { QueueRecord, SqsMessage } from './types';

type In = Record<string, unknown>;

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTask {
  id: string;
  handle: string;
  /** The source queue as it was when the task started (a queue recreated under the same name is another queue). */
  source: QueueRecord;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  /** Virtual epoch ms. */
  startedMs: number;
  failureReason?: string;
  timer?: TimerHandle;
}

/** Without MaxNumberOfMessagesPerSecond: how many messages one timer turn moves. */
const UNLIMITED_BATCH = 1000;
/** Finished tasks kept per source queue (ListMessageMoveTasks answers at most 10). */
const HISTORY = 10;
const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';
const ARN_RE = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

/** Task handles are base64 JSON `{"taskId":..,"sourceArn":..}`, as AWS's are. */
export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

export function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const doc = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null) return undefined;
    const { taskId, sourceArn } = doc as Record<string, unknown>;
    if (typeof taskId !== 'string' || typeof sourceArn !== 'string') return undefined;
    return { taskId, sourceArn };
  } catch {
    return undefined;
  }
}

/** Each store's tasks, newest first. */
const registry = new WeakMap<SqsStore, MoveTask[]>();

export function moveTasksOf(store: SqsStore): MoveTask[] {
  let tasks = registry.get(store);
  if (!tasks) registry.set(store, (tasks = []));
  return tasks;
}

export function moveTaskOperations(store: SqsStore): Record<string, Operation> {
  const tasks = moveTasksOf(store);

  /** The queue an ARN member names; `member` is SourceArn or DestinationArn. */
  const queueByArn = (arn: string, member: string): QueueRecord => {
    if (!ARN_RE.test(arn)) {
      throw invalidParameterValue(`You must use this format to specify the ${member}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`);
    }
    const q = store.byArn(arn);
    if (!q) throw resourceNotFound(`The resource that you specified for the ${member} parameter doesn't exist.`);
    return q;
  };

  const requiredArn = (input: In, member: string): string => {
    expectType(input[member], member, 'string');
    const v = input[member];
    if (v === undefined || v === null) throw missingParameter(member);
    return v as string;
  };

  const isDeadLetterQueue = (arn: string) =>
    store.all().some((q) => parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn === arn);

  const tasksOf = (source: QueueRecord) => tasks.filter((t) => t.source === source);

  const finish = (task: MoveTask, status: MoveTaskStatus, failureReason?: string) => {
    task.status = status;
    task.failureReason = failureReason;
    task.timer?.cancel();
    task.timer = undefined;
    // Keep a bounded history per source.
    const mine = tasksOf(task.source);
    for (const old of mine.slice(HISTORY)) if (old.status !== 'RUNNING') tasks.splice(tasks.indexOf(old), 1);
  };

  const schedule = (task: MoveTask, ms: number) => {
    task.timer = store.clock.setTimeout(() => step(task), ms);
  };

  /** One turn: move one message (rate-limited) or a batch, then schedule the next turn. */
  const step = (task: MoveTask) => {
    task.timer = undefined;
    if (task.status !== 'RUNNING') return;
    const source = task.source;
    if (store.byArn(task.sourceArn) !== source) return finish(task, 'FAILED', NON_EXISTENT_QUEUE);
    const budget = task.rate ? 1 : UNLIMITED_BATCH;
    for (let i = 0; i < budget; i++) {
      let dest: QueueRecord | undefined;
      if (task.destinationArn) {
        dest = store.byArn(task.destinationArn);
        if (!dest) return finish(task, 'FAILED', NON_EXISTENT_QUEUE);
      }
      const m = source.messages.takeForMove();
      if (!m) return finish(task, 'COMPLETED');
      if (!dest) {
        dest = m.deadLetterQueueSourceArn ? store.byArn(m.deadLetterQueueSourceArn) : undefined;
        if (!dest) {
          source.messages.putMoved(m); // its original queue is gone: the message stays in the DLQ
          return finish(task, 'FAILED', NON_EXISTENT_QUEUE);
        }
      }
      dest.messages.putMoved(redriven(m, store.clock.now()));
      task.moved++;
    }
    if (source.messages.counts().visible === 0) return finish(task, 'COMPLETED');
    schedule(task, task.rate ? 1000 / task.rate : 0);
  };

  return {
    StartMessageMoveTask(input: In, _ctx: RequestContext) {
      const sourceArn = requiredArn(input, 'SourceArn');
      expectType(input.DestinationArn, 'DestinationArn', 'string');
      expectType(input.MaxNumberOfMessagesPerSecond, 'MaxNumberOfMessagesPerSecond', 'number');
      const source = queueByArn(sourceArn, 'SourceArn');
      if (!isDeadLetterQueue(sourceArn)) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');

      const destinationArn = (input.DestinationArn as string | undefined | null) ?? undefined;
      if (destinationArn !== undefined) {
        if (destinationArn === sourceArn) throw invalidParameterValue('Source queue arn and destination queue arn cannot be the same.');
        const dest = queueByArn(destinationArn, 'DestinationArn');
        if (dest.fifo !== source.fifo) throw invalidParameterValue('The source queue and destination queue must be of the same queue type.');
      }
      const rate = (input.MaxNumberOfMessagesPerSecond as number | undefined | null) ?? undefined;
      if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
        throw invalidParameterValue("Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.");
      }
      if (tasksOf(source).some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
        throw invalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      }

      // Forget the finished tasks of queues that are gone (a recreated queue starts without history).
      for (let i = tasks.length - 1; i >= 0; i--) {
        if (tasks[i].status !== 'RUNNING' && store.byArn(tasks[i].sourceArn) !== tasks[i].source) tasks.splice(i, 1);
      }
      const id = randomUUID();
      const task: MoveTask = {
        id,
        handle: encodeTaskHandle(id, sourceArn),
        source,
        sourceArn,
        destinationArn,
        rate,
        status: 'RUNNING',
        moved: 0,
        toMove: source.messages.counts().visible,
        startedMs: store.clock.now(),
      };
      tasks.unshift(task);
      schedule(task, 0);
      return { TaskHandle: task.handle };
    },

    ListMessageMoveTasks(input: In, _ctx: RequestContext) {
      const sourceArn = requiredArn(input, 'SourceArn');
      expectType(input.MaxResults, 'MaxResults', 'number');
      const source = queueByArn(sourceArn, 'SourceArn');
      const max = (input.MaxResults as number | undefined | null) ?? 1;
      if (!Number.isInteger(max) || max < 1 || max > 10) {
        throw invalidParameterValue("Value for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.");
      }
      return { Results: tasksOf(source).slice(0, max).map(taskView) };
    },

    CancelMessageMoveTask(input: In, _ctx: RequestContext) {
      expectType(input.TaskHandle, 'TaskHandle', 'string');
      const handle = input.TaskHandle as string | undefined | null;
      if (handle === undefined || handle === null) throw missingParameter('TaskHandle');
      const decoded = decodeTaskHandle(handle);
      if (!decoded) throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
      const source = store.byArn(decoded.sourceArn);
      if (!source) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
      const task = tasksOf(source).find((t) => t.id === decoded.taskId);
      if (!task || task.status !== 'RUNNING') throw resourceNotFound('Task does not exist.');
      finish(task, 'CANCELLED');
      return { ApproximateNumberOfMessagesMoved: task.moved };
    },
  };
}

/** The message a move task delivers: same body and attributes, new id and enqueue time, never received. */
export function redriven(m: SqsMessage, now: number): SqsMessage {
  return {
    ...m,
    messageId: newMessageId(),
    sentTimestamp: now,
    receiveCount: 0,
    firstReceiveTimestamp: undefined,
    receiptHandle: undefined,
    deadLetterQueueSourceArn: undefined,
    sequenceNumber: undefined,
  };
}

/** A ListMessageMoveTasks entry: the handle only while running, the reason only when failed. */
export function taskView(t: MoveTask) {
  return {
    TaskHandle: t.status === 'RUNNING' ? t.handle : undefined,
    Status: t.status,
    SourceArn: t.sourceArn,
    DestinationArn: t.destinationArn,
    MaxNumberOfMessagesPerSecond: t.rate,
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.toMove,
    FailureReason: t.status === 'FAILED' ? t.failureReason : undefined,
    StartedTimestamp: t.startedMs,
  };
}
