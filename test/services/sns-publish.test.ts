/**
 * Publish and PublishBatch through the wire: every bad input answered as AWS answers it (texts from
 * AWS recordings), the 256 KB limit at its exact edge, TopicArn/TargetArn, FIFO rules and
 * deduplication as seen in the answers, and batch entry failures.
 */
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, type MessageAttributeValue, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { failure, rawQuery, topicArn, uniq, useSnsEnv } from './sns-helpers';

const env = useSnsEnv();
let standard: string;
let fifo: string;
let fifoDedup: string;
beforeAll(async () => {
  standard = (await env.sns.send(new CreateTopicCommand({ Name: uniq('pub') }))).TopicArn!;
  fifo = (await env.sns.send(new CreateTopicCommand({ Name: `${uniq('pub')}.fifo`, Attributes: { FifoTopic: 'true' } }))).TopicArn!;
  fifoDedup = (await env.sns.send(new CreateTopicCommand({ Name: `${uniq('pub')}.fifo`, Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }))).TopicArn!;
});

const publish = (input: Partial<ConstructorParameters<typeof PublishCommand>[0]>) => env.sns.send(new PublishCommand({ Message: 'm', ...input }));
const batch = (TopicArn: string, PublishBatchRequestEntries: PublishBatchRequestEntry[]) => env.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries }));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Publish', () => {
  it('answers a MessageId, for TopicArn and TargetArn alike', async () => {
    expect((await publish({ TopicArn: standard })).MessageId).toMatch(UUID);
    const r = await publish({ TargetArn: standard });
    expect(r.MessageId).toMatch(UUID);
    expect(r.SequenceNumber).toBeUndefined();
  });

  it('refuses malformed ARNs, unknown topics, other regions and platform endpoints [rec]', async () => {
    expect(await failure(publish({ TopicArn: 'randomstring' }))).toMatchObject({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1' });
    expect(await failure(publish({ TopicArn: 'randomstring:1' }))).toMatchObject({ message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2' });
    expect(await failure(publish({ TopicArn: '' }))).toMatchObject({ message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1' });
    expect(await failure(publish({ TopicArn: `${standard}-fake` }))).toMatchObject({ name: 'NotFoundException', code: 'NotFound', status: 404, message: 'Topic does not exist' });
    expect(await failure(env.snsIn('eu-central-1').send(new PublishCommand({ TopicArn: standard, Message: 'm' })))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: TopicArn' });
    expect(
      await failure(env.snsIn('eu-central-1').send(new PublishBatchCommand({ TopicArn: standard, PublishBatchRequestEntries: [{ Id: '1', Message: 'm' }] }))),
    ).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: TopicArn' });
    const endpoint = 'arn:aws:sns:us-east-1:000000000000:endpoint/APNS/abcdef/0f7d5971-aa8b-4bd5-b585-0826e9f93a66';
    expect(await failure(publish({ TargetArn: endpoint }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified' });
    expect(await failure(publish({}))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter' });
  });

  it('refuses an empty subject and an empty message [rec], and a subject with a line break', async () => {
    expect(await failure(publish({ TopicArn: standard, Subject: '' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Subject' });
    expect(await failure(publish({ TopicArn: standard, Subject: 'a\nb' }))).toMatchObject({ message: 'Invalid parameter: Subject' });
    expect(await failure(publish({ TopicArn: standard, Subject: 's'.repeat(100) }))).toMatchObject({ message: 'Invalid parameter: Subject' });
    expect((await publish({ TopicArn: standard, Subject: 's'.repeat(99) })).MessageId).toMatch(UUID);
    expect(await failure(publish({ TopicArn: standard, Message: '' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Empty message' });
  });

  it('counts message and attributes against 262,144 bytes, to the byte [rec]', async () => {
    expect(await failure(publish({ TopicArn: standard, Message: 'This is a test message'.repeat(12000) }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Message too long' });
    const attrs = { attr1: { DataType: 'Number', StringValue: '1' } };
    const attrBytes = 'attr1'.length + 'Number'.length + 1;
    const over = 'a'.repeat(262144 - attrBytes + 1);
    expect(await failure(publish({ TopicArn: standard, Message: over, MessageAttributes: attrs }))).toMatchObject({ message: 'Invalid parameter: Message too long' });
    expect((await publish({ TopicArn: standard, Message: over.slice(1), MessageAttributes: attrs })).MessageId).toMatch(UUID);
    const multibyte = 'é'.repeat(131072); // 262,144 bytes
    expect((await publish({ TopicArn: standard, Message: multibyte })).MessageId).toMatch(UUID);
    expect(await failure(publish({ TopicArn: standard, Message: `${multibyte}x` }))).toMatchObject({ message: 'Invalid parameter: Message too long' });
  });

  it('checks MessageStructure json [rec]', async () => {
    const json = (Message: string) => publish({ TopicArn: standard, Message, MessageStructure: 'json' });
    expect(await failure(json(JSON.stringify({ sqs: 'Test message' })))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Message Structure - No default entry in JSON message body' });
    expect(await failure(json('{"default": "This is a default message"} }'))).toMatchObject({ message: 'Invalid parameter: Message Structure - JSON message body failed to parse' });
    expect((await json('{"default": "This is a default message", "default": "Duplicate"}')).MessageId).toMatch(UUID);
    expect(await failure(json(JSON.stringify({ default: { object: 'test' } })))).toMatchObject({ message: 'Invalid parameter: Message Structure - No default entry in JSON message body' });
  });

  const ATTRIBUTE_ERRORS: [string, Record<string, Partial<MessageAttributeValue>>, string, string][] = [
    ['missing_string_attr', { attr1: { DataType: 'String', StringValue: '' } }, 'ParameterValueInvalid', "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'."],
    ['fully_missing_string_attr', { attr1: { DataType: 'String' } }, 'ParameterValueInvalid', "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'."],
    ['missing_binary_attr', { attr1: { DataType: 'Binary', BinaryValue: new Uint8Array() } }, 'ParameterValueInvalid', "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'Binary'."],
    ['str_attr_binary_value', { attr1: { DataType: 'String', BinaryValue: Buffer.from('123') } }, 'ParameterValueInvalid', "The message attribute 'attr1' with type 'String' must use field 'String'."],
    ['int_attr_binary_value', { attr1: { DataType: 'Number', BinaryValue: Buffer.from('123') } }, 'ParameterValueInvalid', "The message attribute 'attr1' with type 'Number' must use field 'String'."],
    ['binary_attr_string_value', { attr1: { DataType: 'Binary', StringValue: '123' } }, 'ParameterValueInvalid', "The message attribute 'attr1' with type 'Binary' must use field 'Binary'."],
    ['invalid_attr_string_value', { attr1: { DataType: 'InvalidType', StringValue: '123' } }, 'ParameterValueInvalid', "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
    ['prefix_only', { attr1: { DataType: 'String.', StringValue: 'x' } }, 'ParameterValueInvalid', "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
    ['glued_prefix', { attr1: { DataType: 'Stringprefixed', StringValue: 'x' } }, 'ParameterValueInvalid', "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
    ['too_long_name', { ['a'.repeat(257)]: { DataType: 'String', StringValue: '123' } }, 'ParameterValueInvalid', 'Length of message attribute name must be less than 256 bytes.'],
    ['invalid_name', { 'a^*?': { DataType: 'String', StringValue: '123' } }, 'ParameterValueInvalid', "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."],
    ['invalid_name_2', { '.abc': { DataType: 'String', StringValue: '123' } }, 'ParameterValueInvalid', "Invalid message attribute name starting with character '.' was found."],
    ['invalid_name_3', { 'abc.': { DataType: 'String', StringValue: '123' } }, 'ParameterValueInvalid', "Invalid message attribute name ending with character '.' was found."],
    ['invalid_name_4', { 'a..bc': { DataType: 'String', StringValue: '123' } }, 'ParameterValueInvalid', "Message attribute name can not have successive '.' character."],
  ]; // [rec] test_empty_or_wrong_message_attributes, test_message_attributes_prefixes

  it.each(ATTRIBUTE_ERRORS)('refuses message attributes: %s [rec], in Publish and in PublishBatch', async (_case, attrs, code, message) => {
    const MessageAttributes = attrs as Record<string, MessageAttributeValue>;
    expect(await failure(publish({ TopicArn: standard, Message: 'test message', MessageAttributes }))).toMatchObject({ code, status: 400, message });
    expect(await failure(batch(standard, [{ Id: '1', Message: 'test-batch', MessageAttributes }, { Id: '3', Message: 'valid-batch' }]))).toMatchObject({ code, message });
  });

  it('a missing DataType is a ValidationError naming the member [rec] (sent raw: the SDK needs a DataType)', async () => {
    const r = await rawQuery(env, {
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: standard,
      Message: 'x',
      'MessageAttributes.entry.1.Name': 'attr1',
      'MessageAttributes.entry.1.Value.StringValue': 'value',
    });
    expect(r.status).toBe(400);
    expect(r.text.replace(/&apos;/g, "'")).toContain("<Code>ValidationError</Code><Message>1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null</Message>");
    const b = await rawQuery(env, {
      Action: 'PublishBatch',
      Version: '2010-03-31',
      TopicArn: standard,
      'PublishBatchRequestEntries.member.1.Id': '1',
      'PublishBatchRequestEntries.member.1.Message': 'x',
      'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name': 'attr1',
      'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue': 'value',
    });
    expect(b.text.replace(/&apos;/g, "'")).toContain("Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType'");
  });

  it('accepts custom type suffixes and String.Array', async () => {
    for (const DataType of ['String.prefixed', 'String.  prefixed.', 'Number.float', 'Binary.gif', 'String.Array']) {
      const value = DataType.startsWith('Binary') ? { BinaryValue: Buffer.from([1, 2]) } : { StringValue: DataType === 'String.Array' ? '["a","b"]' : '12' };
      expect((await publish({ TopicArn: standard, MessageAttributes: { attr1: { DataType, ...value } } })).MessageId).toMatch(UUID);
    }
  });

  it('FIFO topics: MessageGroupId required, a deduplication id or content-based deduplication, and SequenceNumber [rec]', async () => {
    expect(await failure(publish({ TopicArn: fifo, Message: 'test' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics' });
    expect(await failure(publish({ TopicArn: fifo, Message: 'test', MessageGroupId: 'g' }))).toMatchObject({
      message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    expect(await failure(publish({ TopicArn: standard, Message: 'test', MessageDeduplicationId: 'd' }))).toMatchObject({
      message: 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    });
    expect(await failure(publish({ TopicArn: fifo, Message: 'test', MessageGroupId: 'g', MessageDeduplicationId: 'd'.repeat(129) }))).toMatchObject({ code: 'InvalidParameter' });
    const a = await publish({ TopicArn: fifo, Message: 'test', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    const b = await publish({ TopicArn: fifo, Message: 'test', MessageGroupId: 'g', MessageDeduplicationId: 'd2' });
    expect(a.SequenceNumber).toMatch(/^\d{20,}$/);
    expect(BigInt(b.SequenceNumber!)).toBeGreaterThan(BigInt(a.SequenceNumber!));
    // The same id within 5 minutes is a duplicate: the first message's id and number again [rec].
    expect(await publish({ TopicArn: fifo, Message: 'other body', MessageGroupId: 'g', MessageDeduplicationId: 'd1' })).toMatchObject({ MessageId: a.MessageId, SequenceNumber: a.SequenceNumber });
    // Content-based: the body decides.
    const c1 = await publish({ TopicArn: fifoDedup, Message: 'same', MessageGroupId: 'g' });
    expect(await publish({ TopicArn: fifoDedup, Message: 'same', MessageGroupId: 'other-group' })).toMatchObject({ MessageId: c1.MessageId });
    expect((await publish({ TopicArn: fifoDedup, Message: 'different', MessageGroupId: 'g' })).MessageId).not.toBe(c1.MessageId);
    // ... until the interval is over.
    await env.cloud.cloud.clock.advanceBy(5 * 60_000 + 1);
    expect((await publish({ TopicArn: fifoDedup, Message: 'same', MessageGroupId: 'g' })).MessageId).not.toBe(c1.MessageId);
  });

  it('standard topics accept a MessageGroupId', async () => {
    expect((await publish({ TopicArn: standard, MessageGroupId: 'my-group-id-1' })).MessageId).toMatch(UUID);
  });
});

describe('PublishBatch', () => {
  it('answers every entry, with SequenceNumbers on FIFO topics, and duplicates with the first answers [rec]', async () => {
    const r = await batch(standard, [
      { Id: '1', Message: 'one' },
      { Id: 'valid-message_123', Message: 'two', Subject: 'S' },
      { Id: 'a'.repeat(80), Message: 'three' },
    ]);
    expect(r.Failed).toEqual([]);
    expect(r.Successful!.map((s) => s.Id)).toEqual(['1', 'valid-message_123', 'a'.repeat(80)]);
    for (const s of r.Successful!) expect(s.MessageId).toMatch(UUID);
    const entries = [1, 2, 3].map((i) => ({ Id: String(i), Message: `m${i}`, MessageGroupId: 'complexMessageGroupId', MessageDeduplicationId: `dedup-${i}` }));
    const f = await batch(fifo, entries);
    expect(f.Successful!.map((s) => s.Id)).toEqual(['1', '2', '3']);
    const seqs = f.Successful!.map((s) => BigInt(s.SequenceNumber!));
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    expect(seqs[2]).toBeGreaterThan(seqs[1]);
    expect((await batch(fifo, entries)).Successful).toEqual(f.Successful);
  });

  it('refuses batches AWS refuses [rec]', async () => {
    expect(await failure(batch(standard, Array.from({ length: 11 }, (_, i) => ({ Id: `Id_${i}`, Message: 'Too many messages' }))))).toMatchObject({
      name: 'TooManyEntriesInBatchRequestException',
      code: 'TooManyEntriesInBatchRequest',
      status: 400,
      message: 'The batch request contains more entries than permissible.',
    });
    expect(await failure(batch(standard, [{ Id: '1', Message: 'a' }, { Id: '1', Message: 'b' }]))).toMatchObject({
      code: 'BatchEntryIdsNotDistinct',
      message: 'Two or more batch entries in the request have the same Id.',
    });
    expect(await failure(batch(standard, [{ Id: 'message.id', Message: 'a' }]))).toMatchObject({
      code: 'InvalidBatchEntryId',
      message: 'The Id of a batch entry in the batch request contains an impermissible character: message.id',
    });
    expect(await failure(batch(standard, [{ Id: 'msg@123#test', Message: 'a' }]))).toMatchObject({ message: 'The Id of a batch entry in the batch request contains an impermissible character: msg@123#test' });
    expect(await failure(batch(standard, [{ Id: 'a'.repeat(81), Message: 'a' }]))).toMatchObject({
      code: 'InvalidBatchEntryId',
      message: `The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`,
    });
    expect(await failure(batch(`${standard}-nope`, [{ Id: '1', Message: 'a' }]))).toMatchObject({ code: 'NotFound', status: 404, message: 'Topic does not exist' });
    expect(await failure(batch(fifo, [{ Id: '1', Message: 'Test message without Group ID' }]))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
    expect(await failure(batch(fifo, [{ Id: '1', Message: 'no dedup', MessageGroupId: 'msg1' }]))).toMatchObject({
      message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    expect(await failure(batch(standard, [{ Id: '1', Message: JSON.stringify({ sqs: 'test sqs' }), MessageStructure: 'json' }]))).toMatchObject({
      message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    });
    expect(await failure(batch(standard, []))).toMatchObject({ code: 'EmptyBatchRequest' });
  });

  it('counts all messages together against 262,144 bytes [rec]', async () => {
    const max = 262144;
    expect(await failure(batch(standard, [{ Id: '1', Message: 'a'.repeat(max / 2) }, { Id: '2', Message: 'b'.repeat(1 + max / 2) }]))).toMatchObject({
      code: 'BatchRequestTooLong',
      status: 400,
      message: 'The length of all the messages put together is more than the limit.',
    });
    const attrs = { attr1: { DataType: 'Number', StringValue: '1' } };
    const body = 'a'.repeat(max - ('attr1'.length + 'Number'.length + 1));
    expect(await failure(batch(standard, [{ Id: '1', Message: body, MessageAttributes: attrs }, { Id: '2', Message: 'b' }]))).toMatchObject({ code: 'BatchRequestTooLong' });
    const ok = await batch(standard, [{ Id: '1', Message: body.slice(1), MessageAttributes: attrs }, { Id: '2', Message: 'b' }]);
    expect(ok.Successful).toHaveLength(2);
  });

  it('fails an entry with an empty message or a bad subject, and publishes the others', async () => {
    const r = await batch(standard, [
      { Id: 'ok', Message: 'fine' },
      { Id: 'empty', Message: '' },
      { Id: 'subject', Message: 'x', Subject: '' },
    ]);
    expect(r.Successful!.map((s) => s.Id)).toEqual(['ok']);
    expect(r.Failed).toEqual([
      { Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true },
      { Id: 'subject', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true },
    ]);
    expect(topicArn('x')).toContain(':x');
  });
});
