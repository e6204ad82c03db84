/**
 * SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch: up to 10 entries, each
 * answered in Successful or Failed; a malformed batch fails as a whole.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { rejection } from '../_support/testbed';
import { md5, queueTracker, receive, receiveAll, send, sqs, type TestQueue } from './_helpers';

const queues = queueTracker();

const sendBatch = (q: TestQueue, Entries: SendMessageBatchRequestEntry[]) => sqs().send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries }));

/** A receipt handle of a message in flight for an hour. */
async function handleOf(q: TestQueue): Promise<string> {
  await send(q.url, 'handle');
  const [m] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
  return m.ReceiptHandle!;
}

describe('SendMessageBatch', () => {
  it('sends every entry and answers each in Successful with its Id, MessageId and MD5s', async () => {
    const q = await queues.create('sqs-batch-send');
    const out = await sendBatch(q, [
      { Id: 'plain', MessageBody: 'first' },
      { Id: 'with-attrs', MessageBody: 'second', MessageAttributes: { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } } },
      { Id: 'delayed_0', MessageBody: 'third', DelaySeconds: 0 },
    ]);
    expect(out.Failed ?? []).toEqual([]);
    const byId = new Map((out.Successful ?? []).map((s) => [s.Id, s]));
    expect([...byId.keys()].sort()).toEqual(['delayed_0', 'plain', 'with-attrs']);
    expect(byId.get('plain')).toEqual(expect.objectContaining({ MessageId: expect.any(String), MD5OfMessageBody: md5('first') }));
    expect(byId.get('plain')!.MD5OfMessageAttributes).toBeUndefined();
    expect(byId.get('with-attrs')!.MD5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
    const got = await receiveAll(q.url, 3, { VisibilityTimeout: 3600 });
    expect(got.map((m) => m.Body).sort()).toEqual(['first', 'second', 'third']);
    expect(got.map((m) => m.MessageId).sort()).toEqual([...byId.values()].map((s) => s.MessageId).sort());
  });

  it('answers an entry that cannot be sent in Failed and sends the others', async () => {
    const q = await queues.create('sqs-batch-partial', { MaximumMessageSize: '1024' });
    const out = await sendBatch(q, [
      { Id: 'fits', MessageBody: 'a'.repeat(1024) },
      { Id: 'too_big', MessageBody: 'a'.repeat(1025) },
      { Id: 'bad-char', MessageBody: '\u0001' },
    ]);
    expect(out.Successful?.map((s) => s.Id)).toEqual(['fits']);
    const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
    expect(failed.get('too_big')).toEqual({
      Id: 'too_big',
      SenderFault: true,
      Code: 'InvalidParameterValue',
      Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    });
    expect(failed.get('bad-char')).toEqual(expect.objectContaining({ SenderFault: true, Code: 'InvalidMessageContents' }));
    const got = await receiveAll(q.url, 1, { MaxNumberOfMessages: 10 }, 1);
    expect(got.map((m) => m.Body)).toEqual(['a'.repeat(1024)]);
  });
});

describe('DeleteMessageBatch and ChangeMessageVisibilityBatch', () => {
  it('deletes each entry and answers an invalid receipt handle in Failed', async () => {
    const q = await queues.create('sqs-batch-delete');
    await sendBatch(q, [
      { Id: 'a', MessageBody: 'a' },
      { Id: 'b', MessageBody: 'b' },
    ]);
    const got = await receiveAll(q.url, 2, { VisibilityTimeout: 3600 });
    expect(got).toHaveLength(2);
    const out = await sqs().send(
      new DeleteMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [...got.map((m, i) => ({ Id: `ok${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: 'bad', ReceiptHandle: 'garbage' }],
      }),
    );
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(['ok0', 'ok1']);
    expect(out.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
    expect(await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10 })).toEqual([]);
  });

  it('changes the visibility of each entry and answers an invalid receipt handle in Failed', async () => {
    const q = await queues.create('sqs-batch-visibility');
    await sendBatch(q, [
      { Id: 'a', MessageBody: 'show' },
      { Id: 'b', MessageBody: 'hide' },
    ]);
    const got = await receiveAll(q.url, 2, { VisibilityTimeout: 3600 });
    const show = got.find((m) => m.Body === 'show')!;
    const hide = got.find((m) => m.Body === 'hide')!;
    const out = await sqs().send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'show', ReceiptHandle: show.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'hide', ReceiptHandle: hide.ReceiptHandle, VisibilityTimeout: 7200 },
          { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(['hide', 'show']);
    expect(out.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
    const again = await receive(q.url, { WaitTimeSeconds: 5, MaxNumberOfMessages: 10 });
    expect(again.map((m) => m.Body)).toEqual(['show']);
  });
});

describe('malformed batches', () => {
  const eleven = <T>(make: (i: number) => T): T[] => Array.from({ length: 11 }, (_, i) => make(i));

  it('refuses an empty batch with EmptyBatchRequest', async () => {
    const q = await queues.create('sqs-batch-empty');
    const errors = await Promise.all([
      rejection(sendBatch(q, [])),
      rejection(sqs().send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [] }))),
      rejection(sqs().send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: q.url, Entries: [] }))),
    ]);
    for (const err of errors) {
      expect(err.name).toBe('EmptyBatchRequest');
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('refuses more than 10 entries with TooManyEntriesInBatchRequest', async () => {
    const q = await queues.create('sqs-batch-eleven');
    const handle = await handleOf(q);
    const errors = await Promise.all([
      rejection(sendBatch(q, eleven((i) => ({ Id: `m${i}`, MessageBody: `body-${i}` })))),
      rejection(sqs().send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: eleven((i) => ({ Id: `m${i}`, ReceiptHandle: handle })) }))),
      rejection(
        sqs().send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: q.url, Entries: eleven((i) => ({ Id: `m${i}`, ReceiptHandle: handle, VisibilityTimeout: 3600 })) })),
      ),
    ]);
    for (const err of errors) {
      expect(err.name).toBe('TooManyEntriesInBatchRequest');
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    }
    expect(await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10 })).toEqual([]); // nothing was sent
  });

  it('refuses entries with the same Id with BatchEntryIdsNotDistinct', async () => {
    const q = await queues.create('sqs-batch-dupid');
    const handle = await handleOf(q);
    const errors = await Promise.all([
      rejection(sendBatch(q, [{ Id: 'same', MessageBody: '1' }, { Id: 'same', MessageBody: '2' }])),
      rejection(sqs().send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: 'same', ReceiptHandle: handle }, { Id: 'same', ReceiptHandle: handle }] }))),
    ]);
    for (const err of errors) expect(err.name).toBe('BatchEntryIdsNotDistinct');
    expect(await receive(q.url, { WaitTimeSeconds: 1, MaxNumberOfMessages: 10 })).toEqual([]);
  });

  it.each([
    ['with a colon', 'invalid:id'],
    ['81 characters long', 'x'.repeat(81)],
    ['empty', ''],
  ])('refuses an entry Id %s with InvalidBatchEntryId', async (_what, id) => {
    const q = await queues.create('sqs-batch-badid');
    const errors = await Promise.all([
      rejection(sendBatch(q, [{ Id: id, MessageBody: 'x' }])),
      rejection(sqs().send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: id, ReceiptHandle: 'testHandle1' }] }))),
    ]);
    for (const err of errors) {
      expect(err.name).toBe('InvalidBatchEntryId');
      expect(err.message).toBe('A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
  });

  it('accepts an entry Id of 80 characters', async () => {
    const q = await queues.create('sqs-batch-id80');
    const out = await sendBatch(q, [{ Id: 'A-z_0'.repeat(16), MessageBody: 'x' }]);
    expect(out.Successful?.map((s) => s.Id)).toEqual(['A-z_0'.repeat(16)]);
  });

  it('refuses a batch whose messages add up to more than 1 MiB with BatchRequestTooLong', async () => {
    const q = await queues.create('sqs-batch-toolong');
    // The attribute counts as name + type + value: 1 + 6 + 1 bytes, so the first entry is exactly 1 MiB.
    const attributes = { k: { DataType: 'String', StringValue: 'x' } };
    const err = await rejection(
      sendBatch(q, [
        { Id: '1', MessageBody: 'a'.repeat(1024 * 1024 - 8), MessageAttributes: attributes },
        { Id: '2', MessageBody: 'a' },
      ]),
    );
    expect(err.name).toBe('BatchRequestTooLong');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.');
    const fits = await sendBatch(q, [{ Id: '1', MessageBody: 'a'.repeat(1024 * 1024 - 8), MessageAttributes: attributes }]);
    expect(fits.Successful).toHaveLength(1);
  });
});

describe('after malformed batches', () => {
  it('keeps serving: a good batch still goes through', async () => {
    const q = await queues.create('sqs-batch-alive');
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { VisibilityTimeout: '3600' } }));
    const out = await sendBatch(q, [{ Id: 'ok', MessageBody: 'still alive' }]);
    expect(out.Successful).toHaveLength(1);
    const [m] = await receive(q.url, { WaitTimeSeconds: 5 });
    expect(m.Body).toBe('still alive');
  });
});
