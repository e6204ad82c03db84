/**
 * What the SQS suites share: queues created under unique names and deleted after the suite, short
 * send/receive wrappers, and the MD5s SQS answers with.
 */
import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type QueueAttributeName,
  type ReceiveMessageCommandInput,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { getTestbed, unique } from '../_support/testbed';

const tb = getTestbed();
export const sqs = () => tb.clients.sqs;

export interface TestQueue {
  name: string;
  url: string;
  arn: string;
  account: string;
}

/** The account and name a queue URL ends with (`.../<account>/<name>`). */
export function parseQueueUrl(url: string): { account: string; name: string } {
  const m = /\/(\d{12})\/([^/]+)$/.exec(url);
  if (!m) throw new Error(`not a queue URL: ${url}`);
  return { account: m[1], name: m[2] };
}

/**
 * Tracks the queues one suite creates, so afterAll can delete them: `const queues = queueTracker();`
 * then `await queues.create('sqs-x', { VisibilityTimeout: '60' })`.
 */
export function queueTracker() {
  const urls = new Set<string>();
  afterAll(async () => {
    await Promise.all([...urls].map((QueueUrl) => sqs().send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
  });
  return {
    /** CreateQueue under `unique(prefix)` (plus `.fifo` when `fifo`), then reads its ARN. */
    async create(prefix: string, attributes: Record<string, string> = {}, opts: { fifo?: boolean; tags?: Record<string, string> } = {}): Promise<TestQueue> {
      const name = unique(prefix) + (opts.fifo ? '.fifo' : '');
      const Attributes = opts.fifo ? { FifoQueue: 'true', ...attributes } : attributes;
      const out = await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes, tags: opts.tags }));
      const url = out.QueueUrl!;
      urls.add(url);
      const arn = (await getAttributes(url, ['QueueArn'])).QueueArn;
      return { name, url, arn, account: parseQueueUrl(url).account };
    },
    /** Remembers a queue created some other way, for deletion after the suite. */
    track(url: string) {
      urls.add(url);
    },
  };
}

export async function getAttributes(url: string, names: (QueueAttributeName | string)[] = ['All']): Promise<Record<string, string>> {
  const out = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names as QueueAttributeName[] }));
  return (out.Attributes ?? {}) as Record<string, string>;
}

export function send(url: string, body: string, extra: Partial<SendMessageCommandInput> = {}) {
  return sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));
}

/** ReceiveMessage; the messages, [] when none (SQS leaves `Messages` out of an empty answer). */
export async function receive(url: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> {
  const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, ...extra }));
  return out.Messages ?? [];
}

/**
 * Long-polls (WaitTimeSeconds 20 unless given) until `count` messages have arrived or `polls` receives
 * came back empty in a row. The caller asserts on what came back.
 */
export async function receiveAll(url: string, count: number, extra: Partial<ReceiveMessageCommandInput> = {}, polls = 3): Promise<Message[]> {
  const got: Message[] = [];
  let empty = 0;
  while (got.length < count && empty < polls) {
    const batch = await receive(url, { WaitTimeSeconds: 20, MaxNumberOfMessages: Math.min(10, count - got.length), ...extra });
    if (batch.length === 0) empty++;
    else empty = 0;
    got.push(...batch);
  }
  return got;
}

/** Hex MD5 of the UTF-8 bytes of a string (MD5OfMessageBody / MD5OfBody). */
export function md5(text: string | Uint8Array): string {
  return createHash('md5').update(typeof text === 'string' ? Buffer.from(text, 'utf8') : text).digest('hex');
}

/** A system attribute as a number (timestamps and counts are strings on the wire). */
export function num(message: Message, name: string): number {
  const v = message.Attributes?.[name as keyof NonNullable<Message['Attributes']>];
  if (v === undefined) throw new Error(`message ${message.MessageId} has no attribute ${name}: ${JSON.stringify(message.Attributes)}`);
  return Number(v);
}

/** A RedrivePolicy attribute value. */
export function redrivePolicy(deadLetterTargetArn: string, maxReceiveCount: number): string {
  return JSON.stringify({ deadLetterTargetArn, maxReceiveCount });
}

/** The error a call fails with, or undefined when it succeeds. */
export function failureOf(call: Promise<unknown>): Promise<any> {
  return call.then(
    () => undefined,
    (e) => e,
  );
}

/**
 * Runs `attempt` until the target's clock moved less than `windowMs` while it ran (at most 3 times),
 * and returns its result: another suite's wait can carry a shared virtual clock minutes on, past an
 * interval such as FIFO deduplication's 5 minutes, in the middle of a test.
 */
export async function withinWindow<T>(windowMs: number, attempt: () => Promise<T>): Promise<T> {
  const tb = getTestbed();
  for (let i = 0; ; i++) {
    const before = await tb.now();
    const result = await attempt();
    if ((await tb.now()) - before < windowMs || i === 2) return result;
  }
}
