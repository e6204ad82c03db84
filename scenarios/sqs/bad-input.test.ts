/**
 * Bad input to SQS gets AWS's error name and, where AWS's text is known, its message; the endpoint
 * keeps serving and nothing else is affected.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type MessageAttributeValue,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { rejection, unique } from '../_support/testbed';
import { getAttributes, queueTracker, receive, send, sqs } from './_helpers';

const queues = queueTracker();

const createQueue = (QueueName: string, Attributes?: Record<string, string>) => sqs().send(new CreateQueueCommand({ QueueName, Attributes }));

describe('bad queue names and attributes', () => {
  it.each([
    ['a space', 'bad name'],
    ['a dot', 'bad.name'],
    ['a slash', 'bad/name'],
    ['81 characters', 'q'.repeat(81)],
  ])('refuses a queue name with %s with InvalidParameterValue', async (_what, name) => {
    const err = await rejection(createQueue(name));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/1 to 80 in length/);
  });

  it('accepts a name of 80 letters, digits, hyphens and underscores', async () => {
    const name = `${unique('sqs_80')}-`.padEnd(80, 'x');
    const out = await createQueue(name);
    queues.track(out.QueueUrl!);
    expect(out.QueueUrl!.endsWith(`/${name}`)).toBe(true);
  });

  it.each([
    ['VisibilityTimeout', '43201'],
    ['VisibilityTimeout', '-1'],
    ['VisibilityTimeout', 'soon'],
    ['DelaySeconds', '901'],
    ['MessageRetentionPeriod', '59'],
    ['MessageRetentionPeriod', '1209601'],
    ['MaximumMessageSize', '1023'],
    ['MaximumMessageSize', '1048577'],
    ['ReceiveMessageWaitTimeSeconds', '21'],
  ])('refuses %s %s with InvalidAttributeValue, on CreateQueue and SetQueueAttributes', async (attribute, value) => {
    const created = await rejection(createQueue(unique('sqs-range'), { [attribute]: value }));
    expect(created.name).toBe('InvalidAttributeValue');
    expect(created.$metadata.httpStatusCode).toBe(400);
    expect(created.message).toMatch(new RegExp(`^Invalid value for the parameter ${attribute}`));
    const q = await queues.create('sqs-range-set');
    const set = await rejection(sqs().send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { [attribute]: value } })));
    expect(set.name).toBe('InvalidAttributeValue');
    expect((await getAttributes(q.url, [attribute]))[attribute]).not.toBe(value);
  });

  it('accepts the limits themselves', async () => {
    const q = await queues.create('sqs-limits', {
      VisibilityTimeout: '43200',
      DelaySeconds: '900',
      MessageRetentionPeriod: '1209600',
      MaximumMessageSize: '1024',
      ReceiveMessageWaitTimeSeconds: '20',
    });
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { VisibilityTimeout: '0', MessageRetentionPeriod: '60', MaximumMessageSize: '1048576' } }));
    expect(await getAttributes(q.url, ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize', 'DelaySeconds'])).toEqual({
      VisibilityTimeout: '0',
      MessageRetentionPeriod: '60',
      MaximumMessageSize: '1048576',
      DelaySeconds: '900',
    });
  });

  it('refuses unknown attribute names with InvalidAttributeName', async () => {
    const created = await rejection(createQueue(unique('sqs-unknown'), { Colour: 'blue' }));
    expect(created.name).toBe('InvalidAttributeName');
    expect(created.message).toBe('Unknown Attribute Colour.');
    const q = await queues.create('sqs-unknown-set');
    const set = await rejection(sqs().send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Colour: 'blue' } as Record<string, string> })));
    expect(set.name).toBe('InvalidAttributeName');
    const get = await rejection(sqs().send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['Colour' as QueueAttributeName] })));
    expect(get.name).toBe('InvalidAttributeName');
    expect(get.message).toBe('Unknown Attribute Colour.');
  });
});

describe('bad ReceiveMessage parameters', () => {
  it.each([
    ['MaxNumberOfMessages', 11, 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    ['MaxNumberOfMessages', 0, 'Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    ['WaitTimeSeconds', 21, 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
    ['WaitTimeSeconds', -1, 'Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
  ])('refuses %s %d with InvalidParameterValue', async (parameter, value, message) => {
    const q = await queues.create('sqs-recv-range');
    const err = await rejection(receive(q.url, { [parameter]: value }));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(message);
  });
});

describe('bad messages', () => {
  it('refuses a message over 1 MiB (body and attributes) with InvalidParameterValue', async () => {
    const q = await queues.create('sqs-big');
    const attributes = { k: { DataType: 'String', StringValue: 'x' } }; // 8 bytes: name, type and value
    const err = await rejection(send(q.url, 'a'.repeat(1024 * 1024 - 8 + 1), { MessageAttributes: attributes }));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.');
    const fits = await send(q.url, 'a'.repeat(1024 * 1024 - 8), { MessageAttributes: attributes });
    expect(fits.MessageId).toEqual(expect.any(String));
  });

  it('refuses a message over a smaller MaximumMessageSize of the queue', async () => {
    const q = await queues.create('sqs-small', { MaximumMessageSize: '1024' });
    await send(q.url, 'a'.repeat(1024));
    const err = await rejection(send(q.url, 'a'.repeat(1025)));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  });

  it.each([
    ['NUL', 'before\u0000after', '#x0'],
    ['a control character', 'bell\u0007', '#x7'],
    ['U+FFFF', 'end\uffff', '#xFFFF'],
  ])('refuses a body with %s with InvalidMessageContents', async (_what, body, char) => {
    const q = await queues.create('sqs-chars');
    const err = await rejection(send(q.url, body));
    expect(err.name).toBe('InvalidMessageContents');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      `Invalid binary character '${char}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
    );
  });

  it('refuses an empty body with MissingParameter', async () => {
    const q = await queues.create('sqs-empty-body');
    const err = await rejection(send(q.url, ''));
    expect(err.name).toBe('MissingParameter');
    expect(err.message).toBe('The request must contain the parameter MessageBody.');
  });

  it('refuses more than 10 message attributes with InvalidParameterValue', async () => {
    const q = await queues.create('sqs-attrs11');
    const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: `${i}` }]));
    await send(q.url, 'ten', { MessageAttributes: attrs(10) });
    const err = await rejection(send(q.url, 'eleven', { MessageAttributes: attrs(11) }));
    expect(err.name).toBe('InvalidParameterValue');
  });

  it.each([
    ['an empty String value', { ErrorDetails: { DataType: 'String', StringValue: '' } }, "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."],
    ['a name starting with AWS.', { 'AWS.reserved': { DataType: 'String', StringValue: 'x' } }, undefined],
    ['an unknown DataType', { a: { DataType: 'Text', StringValue: 'x' } }, undefined],
  ] as [string, Record<string, MessageAttributeValue>, string | undefined][])('refuses a message attribute with %s', async (_what, attributes, message) => {
    const q = await queues.create('sqs-badattr');
    const err = await rejection(send(q.url, 'x', { MessageAttributes: attributes }));
    expect(err.name).toBe('InvalidParameterValue');
    if (message) expect(err.message).toBe(message);
  });

  it('refuses an invalid MessageGroupId on a standard queue', async () => {
    const q = await queues.create('sqs-badgroup');
    const err = await rejection(send(q.url, 'x', { MessageGroupId: 'group 123' }));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    );
  });
});

describe('bad receipt handles and queue URLs', () => {
  it('refuses a malformed receipt handle with ReceiptHandleIsInvalid', async () => {
    const q = await queues.create('sqs-badhandle');
    const del = await rejection(sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: 'garbage' })));
    expect(del.name).toBe('ReceiptHandleIsInvalid');
    expect(del.message).toBe('The input receipt handle "garbage" is not a valid receipt handle.');
    const change = await rejection(sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: 'INVALID', VisibilityTimeout: 60 })));
    expect(change.name).toBe('ReceiptHandleIsInvalid');
  });

  it("refuses the receipt handle of another queue's message and leaves that message alone", async () => {
    const a = await queues.create('sqs-handle-a');
    const b = await queues.create('sqs-handle-b');
    const sent = await send(a.url, 'belongs to a');
    const [m] = await receive(a.url, { WaitTimeSeconds: 5, VisibilityTimeout: 0 });
    const err = await rejection(sqs().send(new DeleteMessageCommand({ QueueUrl: b.url, ReceiptHandle: m.ReceiptHandle })));
    expect(err.name).toMatch(/^(ReceiptHandleIsInvalid|InvalidParameterValue)$/);
    const [still] = await receive(a.url, { WaitTimeSeconds: 5 });
    expect(still?.MessageId).toBe(sent.MessageId);
  });

  it('answers calls on a queue that does not exist with QueueDoesNotExist', async () => {
    const q = await queues.create('sqs-exists');
    const missing = q.url.replace(/[^/]+$/, unique('sqs-missing'));
    for (const call of [() => send(missing, 'x'), () => receive(missing), () => getAttributes(missing)]) {
      const err = await rejection(call());
      expect(err.name).toBe('QueueDoesNotExist');
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toBe('The specified queue does not exist.');
    }
  });
});

describe('after bad input', () => {
  it('keeps serving: a queue is created, and a message sent, received and deleted', async () => {
    const q = await queues.create('sqs-alive');
    const sent = await send(q.url, 'still alive');
    const [m] = await receive(q.url, { WaitTimeSeconds: 5, VisibilityTimeout: 3600 });
    expect(m?.MessageId).toBe(sent.MessageId);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    expect(await receive(q.url, { WaitTimeSeconds: 1 })).toEqual([]);
  });
});
