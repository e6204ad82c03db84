/**
 * Publish and PublishBatch. Both answer once the message is accepted; delivery to the
 * subscriptions happens after (delivery.ts).
 *
 * Publish takes TopicArn or TargetArn (either names the topic; a platform endpoint ARN has no
 * endpoint here [rec]) or PhoneNumber (accepted, not sent). PublishBatch: 1-10 entries with
 * distinct Ids of at most 80 [A-Za-z0-9_-] [rec]; attribute, structure and FIFO errors fail the
 * whole request [rec]; an empty message or a bad subject fails its entry only; all messages
 * together stay within 256 KB [rec].
 */
import { isAwsError, type AwsError } from '../../errors';
import type { Operation, RequestContext } from '../../protocols/types';
import { parseArn } from './arns';
import {
  batchEntryIdInvalid,
  batchEntryIdsNotDistinct,
  batchEntryIdTooLong,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidParameter,
  mustNotBeNull,
  noValue,
  tooManyEntriesInBatchRequest,
} from './errors';
import { list, record, str, type In } from './input';
import { checkEntry, checkSubject, entryOf, MAX_MESSAGE_BYTES, newMessageId, parseAttributes, publishSize } from './message';
import type { CheckedEntry, SnsStore } from './store';

const MAX_BATCH = 10;
const BATCH_ID = /^[A-Za-z0-9_-]+$/;
const E164 = /^\+?[1-9]\d{1,14}$/;

/** Errors that fail one batch entry rather than the request. */
const ENTRY_ERRORS = new Set(['Invalid parameter: Empty message', 'Invalid parameter: Subject']);

export function publishOperations(store: SnsStore): Record<string, Operation> {
  const Publish: Operation = (input: In, ctx: RequestContext) => {
    const topicArn = str(input, 'TopicArn');
    const targetArn = str(input, 'TargetArn');
    const phone = str(input, 'PhoneNumber');
    if (topicArn === undefined && targetArn === undefined) {
      if (phone === undefined) throw noValue('TopicArn or TargetArn'); // unconfirmed text
      if (!E164.test(phone)) throw invalidParameter(`PhoneNumber Reason: ${phone} is not valid to publish to`);
      // SMS: checked like any message, then accepted without sending anything.
      const entry = entryOf(input);
      if (entry.message === undefined) throw mustNotBeNull('message');
      checkSubject(entry.subject);
      if (entry.message === '') throw invalidParameter('Empty message');
      if (publishSize(entry.message, parseAttributes(entry.attributes)) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
      return { MessageId: newMessageId() };
    }
    const param = topicArn !== undefined ? 'TopicArn' : 'TargetArn';
    const arnValue = topicArn ?? (targetArn as string);
    if (topicArn === undefined && parseArn(arnValue)?.resource.startsWith('endpoint/')) {
      throw invalidParameter('TargetArn Reason: No endpoint found for the target arn specified'); // [rec]
    }
    const topic = store.requireTopic(ctx, arnValue, param);
    const checked = checkEntry(topic, entryOf(input));
    const r = store.publishMessage(topic, checked, { traceHeader: ctx.traceHeader, endpoint: store.endpoint(ctx) });
    return { MessageId: r.messageId, SequenceNumber: r.sequenceNumber };
  };

  const PublishBatch: Operation = (input: In, ctx: RequestContext) => {
    const raw = list(input, 'PublishBatchRequestEntries');
    if (raw === undefined) throw mustNotBeNull('publishBatchRequestEntries');
    if (raw.length === 0) throw emptyBatchRequest();
    if (raw.length > MAX_BATCH) throw tooManyEntriesInBatchRequest(); // [rec]
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const entries = raw.map(record);
    const ids = entries.map((e, i) => {
      if (typeof e.Id !== 'string') throw mustNotBeNull(`publishBatchRequestEntries.${i + 1}.member.id`);
      return e.Id;
    });
    if (new Set(ids).size !== ids.length) throw batchEntryIdsNotDistinct(); // [rec]
    for (const id of ids) {
      if (id.length > 80) throw batchEntryIdTooLong(id); // [rec]
      if (!BATCH_ID.test(id)) throw batchEntryIdInvalid(id); // [rec]
    }

    const checked: ({ id: string; entry: CheckedEntry } | { id: string; error: AwsError })[] = [];
    let total = 0;
    entries.forEach((e, i) => {
      try {
        const entry = checkEntry(topic, entryOf(e), i + 1);
        total += entry.size;
        checked.push({ id: ids[i], entry });
      } catch (err) {
        if (isAwsError(err) && ENTRY_ERRORS.has(err.message)) checked.push({ id: ids[i], error: err });
        else throw err;
      }
    });
    if (total > MAX_MESSAGE_BYTES) throw batchRequestTooLong(); // [rec]

    const origin = { traceHeader: ctx.traceHeader, endpoint: store.endpoint(ctx) };
    const Successful: Record<string, string | undefined>[] = [];
    const Failed: Record<string, string | boolean>[] = [];
    for (const c of checked) {
      if ('error' in c) {
        Failed.push({ Id: c.id, Code: c.error.code, Message: c.error.message, SenderFault: true });
        continue;
      }
      const r = store.publishMessage(topic, c.entry, origin);
      Successful.push({ Id: c.id, MessageId: r.messageId, SequenceNumber: r.sequenceNumber });
    }
    return { Successful, Failed };
  };

  return { Publish, PublishBatch };
}
