/**
 * Set-up shared by the unit tests that drive SQS queues' message models directly (sqs-model,
 * sqs-fast-paths): a fresh Clock in real mode (moved by `clock.advance(ms)`) and SqsStore per test,
 * queues added straight to the store, and sends / receives without the wire.
 *
 * `clock` and `store` are live bindings, replaced before each test by the hooks `freshStorePerTest()`
 * registers (call it once at the top of a test file).
 */
import { Clock } from '../../src/cloud/clock';
import { md5OfBody } from '../../src/cloud/services/sqs/md5';
import { SqsStore } from '../../src/cloud/services/sqs/store';
import type { QueueRecord, ReceiveRequest, ReceivedMessage, SendRequest, SendResult } from '../../src/cloud/services/sqs/types';

export let clock: Clock;
export let store: SqsStore;
let n = 0;

export function freshStorePerTest(): void {
  beforeEach(() => {
    clock = new Clock('real');
    store = new SqsStore(clock);
  });

  afterEach(() => {
    store.clear();
    clock.clear();
  });
}

/** A queue with the default attributes (and the FIFO ones for a `.fifo` name), plus `attrs`. */
export function queue(name: string, attrs: Record<string, string> = {}, region = 'us-east-1'): QueueRecord {
  const fifo = name.endsWith('.fifo');
  const a = { accountId: '000000000000', region, name };
  return store.add({
    ...a,
    arn: store.arnOf(a),
    fifo,
    attributes: {
      VisibilityTimeout: '30',
      DelaySeconds: '0',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      MaximumMessageSize: '1048576',
      ...(fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } : {}),
      ...attrs,
    },
    tags: {},
    createdMs: clock.now(),
    lastModifiedMs: clock.now(),
  });
}

/** Send `body` (FIFO: to group 'g' with a fresh deduplication id, unless `extra` says otherwise). */
export function send(q: QueueRecord, body: string, extra: Partial<SendRequest> = {}): SendResult {
  return q.messages.send({
    body,
    md5OfBody: md5OfBody(body),
    messageAttributes: {},
    messageSystemAttributes: {},
    senderId: 'AKIDEXAMPLE',
    ...(q.fifo ? { messageGroupId: 'g', messageDeduplicationId: `d-${++n}` } : {}),
    ...extra,
  });
}

/** FIFO: send `body` to `group` with a fresh deduplication id. */
export const fsend = (q: QueueRecord, body: string, group: string) => send(q, body, { messageGroupId: group, messageDeduplicationId: `${body}-${++n}` });

/** Receive up to `max` messages at once (no wait). */
export function recv(q: QueueRecord, max = 10, extra: Partial<ReceiveRequest> = {}): Promise<ReceivedMessage[]> {
  return q.messages.receive({ max, waitSeconds: 0, ...extra });
}

export const bodies = (r: ReceivedMessage[]) => r.map((x) => x.message.body);
