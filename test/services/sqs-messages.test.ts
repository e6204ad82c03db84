/**
 * SQS message operations through the wire: @aws-sdk/client-sqs (JSON 1.0, query-compatible errors;
 * the SDK checks every MD5 it is given) against a started embedded cloud in compressed time.
 * Texts marked [rec] are AWS-recorded (LocalStack's AWS snapshots and AWS-validated tests).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, failure } from './helpers';

let cloud: RunningCloud;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  sqs = new SQSClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});
afterAll(async () => {
  sqs.destroy();
  await cloud.stop();
});

const clock = () => cloud.cloud.clock;
let seq = 0;
const uniq = (base = 'm') => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;

async function create(Attributes?: Record<string, string>, fifo = false): Promise<string> {
  const QueueName = fifo ? `${uniq()}.fifo` : uniq();
  return (await sqs.send(new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: 'true', ...Attributes } : Attributes }))).QueueUrl!;
}

async function arnOf(QueueUrl: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

const send = (QueueUrl: string, MessageBody: string, extra: Partial<ConstructorParameters<typeof SendMessageCommand>[0]> = {}) =>
  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, ...extra }));

async function receive(QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];
}

/** A raw JSON 1.0 call, to see the body and headers as sent. */
async function raw(op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; queryError: string | null }> {
  const res = await fetch(cloud.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, queryError: res.headers.get('x-amzn-query-error') };
}

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('SendMessage and ReceiveMessage', () => {
  it('round-trips body, attributes and system attributes with AWS digests', async () => {
    const url = await create();
    const attributes: Record<string, MessageAttributeValue> = {
      s: { DataType: 'String', StringValue: 'héllo' },
      n: { DataType: 'Number.int', StringValue: '-1.5e3' },
      b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
    };
    const before = clock().now();
    const sent = await send(url, 'body ✓ 日本', {
      MessageAttributes: attributes,
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
    });
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('body ✓ 日本').digest('hex'));
    expect(sent.MD5OfMessageSystemAttributes).toBe('5ae4d5d7636402d80f4eb6d213245a88'); // [rec]
    expect(sent.SequenceNumber).toBeUndefined();
    const [m] = await receive(url, { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.Body).toBe('body ✓ 日本');
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m.MessageAttributes).toEqual({
      s: { DataType: 'String', StringValue: 'héllo' },
      n: { DataType: 'Number.int', StringValue: '-1.5e3' },
      b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    });
    expect(Object.keys(m.Attributes!).sort()).toEqual(['AWSTraceHeader', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
    expect(m.Attributes!.AWSTraceHeader).toBe(TRACE);
    expect(m.Attributes!.ApproximateReceiveCount).toBe('1');
    expect(m.Attributes!.SenderId).toBe(credentials.accessKeyId);
    const sentAt = Number(m.Attributes!.SentTimestamp);
    expect(sentAt).toBeGreaterThanOrEqual(before);
    expect(Number(m.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(sentAt);
  });

  it('answers {} for an empty receive, short or long [rec]', async () => {
    const url = await create();
    expect((await raw('ReceiveMessage', { QueueUrl: url })).json).toEqual({});
    const wall = Date.now();
    const t0 = clock().now();
    expect((await raw('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 5 })).json).toEqual({});
    expect(clock().now() - t0).toBeGreaterThanOrEqual(5_000);
    expect(Date.now() - wall).toBeLessThan(2_000);
  });

  it('filters message attributes: All, .*, *, prefix.*, names; illegal names match nothing [rec]', async () => {
    const url = await create({ VisibilityTimeout: '0' });
    const s = (v: string) => ({ DataType: 'String', StringValue: v });
    await send(url, 'msg', { MessageAttributes: { Hello: s('There'), General: s('Kenobi'), 'Help.Me': s('Me') } });
    const pick = async (names: string[]) => {
      const [m] = await receive(url, { MessageAttributeNames: names });
      return [Object.keys(m.MessageAttributes ?? {}).sort(), m.MD5OfMessageAttributes];
    };
    const all = [['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'];
    expect(await pick([])).toEqual([[], undefined]);
    expect(await pick(['All'])).toEqual(all);
    expect(await pick(['.*'])).toEqual(all);
    expect(await pick(['*'])).toEqual(all);
    expect(await pick(['Foo', 'Help'])).toEqual([[], undefined]);
    expect(await pick(['Hello', 'General'])).toEqual([['General', 'Hello'], 'fca026605781cb4126a1e9044df24232']);
    expect(await pick(['Hel.*'])).toEqual([['Hello', 'Help.Me'], '83fee93c1bcd8b9a5a923ffacdc636c7']);
    expect(await pick(['AWS.'])).toEqual([[], undefined]);
    expect(await pick(['..foo'])).toEqual([[], undefined]);
  });

  it('answers the named system attributes, from either member [rec]', async () => {
    const url = await create({ VisibilityTimeout: '0' });
    await send(url, 'msg');
    expect((await receive(url, { AttributeNames: ['SenderId', 'SequenceNumber'] as unknown as QueueAttributeName[] }))[0].Attributes).toEqual({ SenderId: credentials.accessKeyId });
    expect((await receive(url, { MessageSystemAttributeNames: ['SequenceNumber'] }))[0].Attributes).toBeUndefined();
    const both = (await receive(url, { MessageSystemAttributeNames: ['All'], AttributeNames: ['SenderId'] as unknown as QueueAttributeName[] }))[0].Attributes!;
    expect(Object.keys(both).sort()).toEqual(['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
  });

  it('checks ReceiveMessage parameters [rec]', async () => {
    const url = await create();
    expect(await failure(receive(url, { MaxNumberOfMessages: 11 }))).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    for (const w of [21, -1]) {
      expect((await failure(receive(url, { WaitTimeSeconds: w }))).message).toBe(
        `Value ${w} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      );
    }
    expect((await failure(receive(url, { VisibilityTimeout: 43_201 }))).name).toBe('InvalidParameterValue');
    const r = await raw('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 0 });
    expect([r.status, r.json.__type, r.queryError]).toEqual([400, 'com.amazonaws.sqs#InvalidParameterValueException', 'InvalidParameterValue;Sender']);
    const wrongType = await raw('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: '5' });
    expect([wrongType.status, wrongType.json.__type]).toEqual([400, 'com.amazonaws.sqs#SerializationException']);
    expect((await failure(receive(`${url}-gone`))).name).toBe('QueueDoesNotExist');
  });
});

describe('message checks', () => {
  it('refuses an empty body with MissingParameter [rec]', async () => {
    const url = await create();
    expect(await failure(send(url, ''))).toEqual({ name: 'MissingParameter', status: 400, message: 'The request must contain the parameter MessageBody.' });
    const r = await raw('SendMessage', { QueueUrl: url });
    expect([r.json.__type, r.queryError]).toEqual(['com.amazonaws.sqs#MissingRequiredParameterException', 'MissingParameter;Sender']);
  });

  it('counts body and attributes against MaximumMessageSize [rec]', async () => {
    const url = await create();
    const k = { DataType: 'String', StringValue: 'x' };
    const size = 'k'.length + 'String'.length + 'x'.length;
    await send(url, 'a'.repeat(1_048_576 - size), { MessageAttributes: { k } });
    expect(await failure(send(url, 'a'.repeat(1_048_576 - size + 1), { MessageAttributes: { k } }))).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    });
    const small = await create({ MaximumMessageSize: '1024' });
    await send(small, 'a'.repeat(1024));
    expect((await failure(send(small, 'a'.repeat(1024 - size + 1), { MessageAttributes: { k } }))).message).toBe(
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    );
  });

  it('refuses characters outside XML 1.0 with InvalidMessageContents', async () => {
    const url = await create();
    const e = await failure(send(url, `Invalid-${String.fromCharCode(8)}`));
    expect([e.name, e.status]).toEqual(['InvalidMessageContents', 400]);
    expect(e.message).toMatch(/^Invalid binary character '#x8' was found in the message body/);
    await send(url, 'tab\tnewline\ncr\r emoji 🦀 \ue000');
  });

  it('checks message attributes', async () => {
    const url = await create();
    const s = (v: string, DataType = 'String') => ({ DataType, StringValue: v });
    const bad = async (MessageAttributes: Record<string, MessageAttributeValue>) => failure(send(url, 'x', { MessageAttributes }));
    expect(await bad({ ErrorDetails: s('') })).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.", // [rec]
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, s('v')]));
    expect((await bad(eleven)).message).toBe('Number of message attributes [11] exceeds the allowed maximum [10].');
    for (const name of ['aWs.x', 'AMAZON.x', '.x', 'x.', 'a..b', 'Invalid-!-attr', 'Invalid-§-attr', 'L'.repeat(257)]) {
      expect((await bad({ [name]: s('v') })).name).toBe('InvalidParameterValue');
    }
    expect((await bad({ a: s('v', 'string') })).message).toBe(
      "The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
    );
    expect((await bad({ a: s('ten', 'Number') })).name).toBe('InvalidParameterValue');
    expect((await bad({ a: { DataType: 'Binary', BinaryValue: new Uint8Array() } })).message).toBe(
      "Message (user) attribute 'a' must contain a non-empty value of type 'Binary'.",
    );
    expect((await bad({ a: s(`x${String.fromCharCode(11)}`) })).name).toBe('InvalidParameterValue');
    await send(url, 'x', { MessageAttributes: { 'attr.1øßä': s('Valida'), n: s('1e126', 'Number'), c: s('v', 'String.custom') } }); // [rec] name
    for (const sys of [{ Other: s('v') }, { AWSTraceHeader: s('1', 'Number') }, { AWSTraceHeader: s('') }]) {
      const r = await raw('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: sys });
      expect([r.status, r.queryError]).toEqual([400, 'InvalidParameterValue;Sender']);
    }
  });

  it('takes BinaryValue as base64 on the wire and answers it so', async () => {
    const url = await create();
    const sent = await raw('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary.gz', BinaryValue: 'AAEC/w==' } } });
    expect(sent.status).toBe(200);
    const got = await raw('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: ['All'] });
    const [m] = got.json.Messages as { MessageAttributes: unknown; MD5OfMessageAttributes: string }[];
    expect(m.MessageAttributes).toEqual({ b: { BinaryValue: 'AAEC/w==', DataType: 'Binary.gz' } });
    expect(m.MD5OfMessageAttributes).toBe(sent.json.MD5OfMessageAttributes);
  });

  it('checks per-message DelaySeconds, MessageGroupId and MessageDeduplicationId on a standard queue [rec]', async () => {
    const url = await create();
    expect((await failure(send(url, 'x', { DelaySeconds: 901 }))).message).toBe(
      'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
    );
    for (const id of ['', 'a'.repeat(129), 'group 123']) {
      expect((await failure(send(url, 'x', { MessageGroupId: id }))).message).toBe(
        `Value ${id} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
    expect((await failure(send(url, 'x', { MessageDeduplicationId: 'd' }))).name).toBe('InvalidParameterValue');
    await send(url, 'fair', { MessageGroupId: 'test' });
    const [m] = await receive(url, { MessageSystemAttributeNames: ['All'] });
    expect(m.Attributes!.MessageGroupId).toBe('test'); // [rec] fair queues
  });
});

describe('visibility in virtual time', () => {
  it('brings a message back on a second long poll 30 s later with count 2, in well under 2 s of wall time', async () => {
    const url = await create();
    await send(url, 'again');
    const wall = Date.now();
    const [first] = await receive(url, { VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'] });
    const t0 = clock().now();
    expect(await receive(url, { WaitTimeSeconds: 20 })).toEqual([]);
    const [second] = await receive(url, { WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] });
    const back = clock().now() - t0;
    expect(back).toBeGreaterThanOrEqual(29_900);
    expect(back).toBeLessThan(31_000);
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    expect(second.Attributes!.ApproximateReceiveCount).toBe('2');
    expect(second.Attributes!.ApproximateFirstReceiveTimestamp).toBe(first.Attributes!.ApproximateFirstReceiveTimestamp);
    expect(Date.now() - wall).toBeLessThan(2_000);
  });

  it('ChangeMessageVisibility: from the call, 0 frees at once, 12-hour limit, deleted and garbage handles [rec]', async () => {
    const url = await create({ VisibilityTimeout: '10' });
    await send(url, 'x');
    const [m] = await receive(url);
    await clock().advanceBy(5_000);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 60 }));
    await clock().advanceBy(50_000);
    expect(await receive(url)).toEqual([]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const [again] = await receive(url);
    expect((await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43_200 })))).message).toMatch(
      /Reason: Total VisibilityTimeout for the message is beyond the limit \[43200 seconds\]$/,
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
    expect(await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 42 })))).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: `Value ${again.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    });
    expect(await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })))).toEqual({
      name: 'ReceiptHandleIsInvalid',
      status: 400,
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    });
    expect((await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'INVALID', VisibilityTimeout: 60 })))).name).toBe(
      'ReceiptHandleIsInvalid',
    );
    // Deleting twice is fine [rec]; another queue's handle is not.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
    const other = await create();
    expect((await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: other, ReceiptHandle: again.ReceiptHandle })))).name).toBe('ReceiptHandleIsInvalid');
  });

  it('delays messages by DelaySeconds in virtual time', async () => {
    const url = await create({ DelaySeconds: '5' });
    await send(url, 'queue-delay');
    await send(url, 'own-delay', { DelaySeconds: 60 });
    const t0 = clock().now();
    const [a] = await receive(url, { WaitTimeSeconds: 20, VisibilityTimeout: 600 });
    expect(a.Body).toBe('queue-delay');
    expect(clock().now() - t0).toBeGreaterThanOrEqual(4_900);
    await receive(url, { WaitTimeSeconds: 20 });
    await receive(url, { WaitTimeSeconds: 20 });
    const [b] = await receive(url, { WaitTimeSeconds: 20 });
    expect(b.Body).toBe('own-delay');
    expect(clock().now() - t0).toBeGreaterThanOrEqual(59_900);
  });
});

describe('long polling', () => {
  // In compressed time an idle cloud with a parked poll jumps to the poll's deadline, so this one
  // runs in real time, as `testbed serve` does by default.
  it('hands a sent message to a parked receive at once (real time)', async () => {
    const url = await create();
    const other = new SQSClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    clock().mode = 'real';
    try {
      const parked = receive(url, { WaitTimeSeconds: 20 });
      while (clock().stats().waiters === 0) await new Promise((r) => setImmediate(r));
      const wall = Date.now();
      await other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'ping' }));
      const got = await parked;
      expect(got.map((m) => m.Body)).toEqual(['ping']);
      expect(Date.now() - wall).toBeLessThan(500);
    } finally {
      clock().mode = 'compressed';
      other.destroy();
    }
  });
});

describe('FIFO', () => {
  it('answers sequence numbers and FIFO system attributes; content-based deduplication uses the body SHA-256 [rec]', async () => {
    const url = await create({ ContentBasedDeduplication: 'true', VisibilityTimeout: '0' }, true);
    const a = await send(url, 'message-body-1', { MessageGroupId: 'group-1' });
    expect(a.SequenceNumber).toMatch(/^\d{20,}$/);
    const dup = await send(url, 'message-body-1', { MessageGroupId: 'group-2' });
    expect([dup.MessageId, dup.SequenceNumber]).toEqual([a.MessageId, a.SequenceNumber]);
    const [m] = await receive(url, { MessageSystemAttributeNames: ['All'] });
    expect(m.Attributes).toEqual(
      expect.objectContaining({
        MessageGroupId: 'group-1',
        MessageDeduplicationId: createHash('sha256').update('message-body-1').digest('hex'),
        SequenceNumber: a.SequenceNumber,
      }),
    );
    expect(await receive(url)).toHaveLength(1);
    expect((await receive(url, { MessageSystemAttributeNames: ['All'] }))[0].Attributes!.ApproximateReceiveCount).toBe('3');
  });

  it('checks FIFO sends [rec]', async () => {
    const url = await create({}, true);
    expect(await failure(send(url, 'x', { MessageDeduplicationId: 'd' }))).toEqual({
      name: 'MissingParameter',
      status: 400,
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect((await failure(send(url, 'x', { MessageGroupId: 'g' }))).message).toBe(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    expect((await failure(send(url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 2 }))).message).toBe(
      'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    for (const id of ['', 'group 123']) {
      expect((await failure(send(url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: id }))).message).toBe(
        `Value ${id} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
    await send(url, 'zero delay is fine', { MessageGroupId: 'g', MessageDeduplicationId: 'd0', DelaySeconds: 0 }); // [rec]
  });

  it('refuses to delete with an expired handle [rec] and keeps group order', async () => {
    const url = await create({ VisibilityTimeout: '1' }, true);
    await send(url, 'foobar', { MessageGroupId: '1', MessageDeduplicationId: 'a' });
    await send(url, 'second', { MessageGroupId: '1', MessageDeduplicationId: 'b' });
    const [m] = await receive(url, { MaxNumberOfMessages: 1 });
    expect(await receive(url)).toEqual([]);
    await clock().advanceBy(1_500);
    expect(await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })))).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    });
    expect((await receive(url, { VisibilityTimeout: 30 })).map((x) => x.Body)).toEqual(['foobar', 'second']);
  });
});

describe('batches', () => {
  it('answers per-entry failures next to successes [rec]', async () => {
    const url = await create({ MaximumMessageSize: '1024' });
    const r = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'a'.repeat(1024) },
          { Id: 'big', MessageBody: 'a'.repeat(1025) },
          { Id: 'bad', MessageBody: String.fromCharCode(1) },
        ],
      }),
    );
    expect(r.Successful!.map((s) => s.Id)).toEqual(['ok']);
    expect(r.Successful![0].MD5OfMessageBody).toBe(createHash('md5').update('a'.repeat(1024)).digest('hex'));
    expect(r.Failed).toEqual([
      { Id: 'big', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' },
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' }),
    ]);
    const ok = await raw('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'x' }] });
    expect(Object.keys(ok.json)).toEqual(['Successful']); // [rec] no empty Failed
  });

  it('refuses bad batches as a whole [rec]', async () => {
    const url = await create();
    const batch = (Entries: { Id: string; MessageBody: string }[]) => failure(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })));
    expect(await batch([])).toEqual({
      name: 'EmptyBatchRequest',
      status: 400,
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    });
    expect(await batch(Array.from({ length: 20 }, (_, i) => ({ Id: `${i}`, MessageBody: 'x' })))).toEqual({
      name: 'TooManyEntriesInBatchRequest',
      status: 400,
      message: 'Maximum number of entries per request are 10. You have sent 20.',
    });
    for (const Id of ['', 'invalid:id', 'testLongId'.repeat(10)]) {
      expect(await batch([{ Id, MessageBody: 'x' }])).toEqual({
        name: 'InvalidBatchEntryId',
        status: 400,
        message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      });
    }
    expect(await batch([{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }])).toEqual({
      name: 'BatchEntryIdsNotDistinct',
      status: 400,
      message: 'Id a repeated.',
    });
    const size = 'k'.length + 'String'.length + 'x'.length;
    const big = await failure(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: '1', MessageBody: 'a'.repeat(1_048_576 - size), MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } } },
            { Id: '2', MessageBody: 'a' },
          ],
        }),
      ),
    );
    expect(big).toEqual({
      name: 'BatchRequestTooLong',
      status: 400,
      message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    });
    const fifo = await create({}, true);
    expect(
      await failure(
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: fifo,
            Entries: [
              { Id: '1', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'a' },
              { Id: '2', MessageBody: 'x', MessageDeduplicationId: 'b' },
            ],
          }),
        ),
      ),
    ).toEqual({ name: 'InvalidParameterValue', status: 400, message: 'The request must contain the parameter MessageGroupId.' });
    expect(await receive(fifo)).toEqual([]);
  });

  it('deletes and changes visibility in batches, with per-entry failures', async () => {
    const url = await create();
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })) }));
    const got = await receive(url);
    expect(got.map((m) => m.Body).sort()).toEqual(['a', 'b', 'c']);
    const change = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'free', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'junk', ReceiptHandle: 'junk', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(change.Successful).toEqual([{ Id: 'free' }]);
    expect(change.Failed).toEqual([
      { Id: 'junk', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "junk" is not a valid receipt handle.' },
    ]);
    const [freed] = await receive(url);
    expect(freed.MessageId).toBe(got[0].MessageId);
    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: '0', ReceiptHandle: freed.ReceiptHandle },
          { Id: '1', ReceiptHandle: got[1].ReceiptHandle },
          { Id: '2', ReceiptHandle: got[2].ReceiptHandle },
          { Id: '3', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    expect(del.Successful!.map((s) => s.Id)).toEqual(['0', '1', '2']);
    expect(del.Failed!.map((f) => [f.Id, f.Code])).toEqual([['3', 'ReceiptHandleIsInvalid']]);
    expect(
      (await failure(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 20 }, (_, i) => ({ Id: `${i}`, ReceiptHandle: 'x' })) })))).message,
    ).toBe('Maximum number of entries per request are 10. You have sent 20.'); // [rec]
    await clock().advanceBy(31_000);
    expect(await receive(url)).toEqual([]);
  });
});

describe('dead-letter queues', () => {
  it('moves a message past maxReceiveCount with DeadLetterQueueSourceArn; its count goes on [rec]', async () => {
    const dlq = await create();
    const dlqArn = await arnOf(dlq);
    const src = await create({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const attrs = { MyAttribute: { DataType: 'String', StringValue: 'foobar' } };
    await send(src, 'message-1', { MessageAttributes: attrs, MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } } });
    const opts = { VisibilityTimeout: 0, MessageSystemAttributeNames: ['All' as const], MessageAttributeNames: ['All'] };
    const pre = await receive(src, opts);
    expect(pre).toHaveLength(1);
    expect(await receive(src, opts)).toEqual([]);
    const [moved] = await receive(dlq, opts);
    expect(moved.MessageId).toBe(pre[0].MessageId);
    expect(moved.MD5OfMessageAttributes).toBe('adb59cd4678ea5a855436b949cd07ab6');
    expect(moved.MessageAttributes).toEqual(attrs);
    expect(moved.Attributes).toEqual(
      expect.objectContaining({ ApproximateReceiveCount: '2', AWSTraceHeader: TRACE, DeadLetterQueueSourceArn: await arnOf(src) }),
    );
  });
});

describe('nothing is lost', () => {
  it('16 concurrent callers send, receive and delete: every message is delivered and deleted', async () => {
    const url = await create({ VisibilityTimeout: '5' });
    const total = 400;
    const sentIds = new Set<string>();
    const deleted = new Set<string>();
    const clients = Array.from({ length: 16 }, () => new SQSClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }));
    const senders = clients.slice(0, 8).map(async (c, i) => {
      for (let b = 0; b < total / 8 / 10; b++) {
        const r = await c.send(
          new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `e${k}`, MessageBody: `s${i}-b${b}-${k}` })) }),
        );
        expect(r.Failed).toBeUndefined();
        for (const s of r.Successful!) sentIds.add(s.MessageId!);
      }
    });
    const receivers = clients.slice(8).map(async (c, i) => {
      for (;;) {
        const got =
          (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] })))
            .Messages ?? [];
        if (got.length === 0 && deleted.size >= total) return;
        // Half the receivers delete one by one, half in batches; one in five messages is left to come back once.
        const keep = got.filter((m) => m.Attributes!.ApproximateReceiveCount !== '1' || m.MessageId!.charCodeAt(0) % 5 !== 0);
        if (i % 2 === 0) {
          for (const m of keep) await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
        } else if (keep.length > 0) {
          const r = await c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: keep.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) }));
          expect(r.Failed).toBeUndefined();
        }
        for (const m of keep) deleted.add(m.MessageId!);
      }
    });
    await Promise.all([...senders, ...receivers]);
    for (const c of clients) c.destroy();
    expect(sentIds.size).toBe(total);
    expect([...sentIds].every((id) => deleted.has(id))).toBe(true);
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    expect([a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed]).toEqual(['0', '0', '0']);
  });
});
