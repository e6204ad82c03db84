/**
 * SendMessage, SendMessageBatch, ReceiveMessage, DeleteMessage, DeleteMessageBatch,
 * ChangeMessageVisibility, ChangeMessageVisibilityBatch, taking and returning the JSON protocol's
 * shapes (@aws-sdk/client-sqs). Message checks live in message-input.ts, queue behaviour in model.ts.
 *
 * Batches: a problem with the request as a whole (no entries, more than 10, bad or repeated ids, over
 * 1 MiB in total, FIFO ids missing) fails the request; a problem with one entry becomes a `Failed`
 * item `{Id, SenderFault, Code, Message}` and the others go through. Empty `Successful` / `Failed`
 * lists are left out, as AWS's JSON answers do.
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { expectType } from '../../protocols/validation';
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameter,
  missingParameter,
  tooManyEntriesInBatchRequest,
} from './errors';
import { md5OfAttributes } from './md5';
import {
  batchFailure,
  checkFifoId,
  checkFifoRequirements,
  intParam,
  messageSize,
  parseAttributes,
  parseMessage,
} from './message-input';
import { MAX_VISIBILITY_TIMEOUT_S } from './model';
import type { SqsStore } from './store';
import type { MessageAttributeValue, SendRequest, SqsMessage } from './types';

type In = Record<string, unknown>;

const BATCH_ID_RE = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;
/** A batch's total size limit, whatever the queue's MaximumMessageSize [rec]. */
const MAX_BATCH_BYTES = 1_048_576;


/** Who sent a message: the caller's access key id (what GetCallerIdentity calls its UserId here), else the account. */
function senderId(ctx: RequestContext): string {
  return ctx.accessKeyId ?? ctx.accountId;
}

/** A batch's entries, checked as a whole: 1-10 entries with distinct valid ids. */
function batchEntries(input: In, entryShape: string): In[] {
  expectType(input.Entries, 'Entries', 'array');
  const entries = (input.Entries as unknown[] | undefined) ?? [];
  if (entries.length === 0) throw emptyBatchRequest(entryShape); // [obs]
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length); // [rec]
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    // (the member names are only built for an error)
    if (typeof e !== 'object' || Array.isArray(e)) expectType(e, `Entries.${i + 1}`, 'object');
    if (e === null) throw invalidBatchEntryId();
    const id = (e as In).Id;
    if (typeof id !== 'string') expectType(id, `Entries.${i + 1}.Id`, 'string');
  }
  const seen = new Set<string>();
  for (const e of entries as In[]) {
    const id = e.Id as string | undefined;
    if (id === undefined || !BATCH_ID_RE.test(id)) throw invalidBatchEntryId(); // [rec]
  }
  for (const e of entries as In[]) {
    const id = e.Id as string;
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id); // [obs]
    seen.add(id);
  }
  return entries as In[];
}

/** The requested message system attributes of `m` (both request members, `All` meaning every one). */
function systemAttributes(m: SqsMessage, names: ReadonlySet<string>): Record<string, string> | undefined {
  if (names.size === 0) return undefined;
  const all = names.has('All');
  const out: Record<string, string> = {};
  const want = (n: string) => all || names.has(n);
  if (want('SenderId')) out.SenderId = m.senderId;
  if (want('ApproximateFirstReceiveTimestamp') && m.firstReceiveTimestamp !== undefined) {
    out.ApproximateFirstReceiveTimestamp = String(m.firstReceiveTimestamp);
  }
  if (want('ApproximateReceiveCount')) out.ApproximateReceiveCount = String(m.receiveCount);
  if (want('SentTimestamp')) out.SentTimestamp = String(m.sentTimestamp);
  const trace = m.messageSystemAttributes.AWSTraceHeader?.StringValue;
  if (want('AWSTraceHeader') && trace !== undefined) out.AWSTraceHeader = trace;
  if (want('DeadLetterQueueSourceArn') && m.deadLetterQueueSourceArn !== undefined) out.DeadLetterQueueSourceArn = m.deadLetterQueueSourceArn;
  if (want('MessageGroupId') && m.messageGroupId !== undefined) out.MessageGroupId = m.messageGroupId;
  if (want('MessageDeduplicationId') && m.messageDeduplicationId !== undefined) out.MessageDeduplicationId = m.messageDeduplicationId;
  if (want('SequenceNumber') && m.sequenceNumber !== undefined) out.SequenceNumber = m.sequenceNumber;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** MessageAttributeNames: `All`, `.*` and `*` (everything), `prefix.*`, or names [rec]. */
function messageAttributes(
  m: SqsMessage,
  names: string[],
): { attributes?: Record<string, MessageAttributeValue>; md5?: string } {
  const stored = m.messageAttributes;
  const keys = Object.keys(stored);
  if (names.length === 0 || keys.length === 0) return {};
  if (names.some((n) => n === 'All' || n === '.*' || n === '*')) return { attributes: copy(stored, keys), md5: m.md5OfMessageAttributes };
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -2));
  const exact = new Set(names);
  const picked = keys.filter((k) => exact.has(k) || prefixes.some((p) => k.startsWith(p)));
  if (picked.length === 0) return {};
  const attributes = copy(stored, picked);
  return { attributes, md5: picked.length === keys.length ? m.md5OfMessageAttributes : md5OfAttributes(attributes) };
}

function copy(stored: Record<string, MessageAttributeValue>, keys: string[]): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const k of keys) {
    const a = stored[k];
    out[k] = a.BinaryValue !== undefined ? { BinaryValue: a.BinaryValue, DataType: a.DataType } : { StringValue: a.StringValue, DataType: a.DataType };
  }
  return out;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** The names of both lists as a set. */
function nameSet(a: string[], b: string[]): ReadonlySet<string> {
  if (a.length === 0 && b.length === 0) return NO_NAMES;
  const out = new Set(a);
  for (const n of b) out.add(n);
  return out;
}

function nameList(input: In, member: string): string[] {
  const v = input[member];
  if (v === undefined || v === null) return [];
  expectType(v, member, 'array');
  for (const [i, n] of (v as unknown[]).entries()) expectType(n, `${member}.${i + 1}`, 'string');
  return v as string[];
}

/**
 * The X-Amzn-Trace-Id header of a SendMessage(Batch) request becomes the AWSTraceHeader of each of its
 * messages; a message's own AWSTraceHeader system attribute overrides it (AWS X-Ray guide). The
 * digest the caller gets back covers only the system attributes it sent.
 */
function withTraceHeader(req: SendRequest, ctx: RequestContext): SendRequest {
  const trace = ctx.traceHeader;
  if (trace === undefined || trace === '' || req.messageSystemAttributes.AWSTraceHeader) return req;
  return { ...req, messageSystemAttributes: { ...req.messageSystemAttributes, AWSTraceHeader: { DataType: 'String', StringValue: trace } } };
}

export function messageOperations(store: SqsStore): Record<string, Operation> {
  const SendMessage: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    const req = withTraceHeader(parseMessage(q, input, senderId(ctx), false), ctx);
    const r = q.messages.send(req);
    return {
      MD5OfMessageBody: req.md5OfBody,
      MD5OfMessageAttributes: req.md5OfMessageAttributes,
      MD5OfMessageSystemAttributes: req.md5OfMessageSystemAttributes,
      MessageId: r.messageId,
      SequenceNumber: r.sequenceNumber,
    };
  };

  const SendMessageBatch: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
    let total = 0;
    for (const e of entries) {
      checkFifoRequirements(q, e, true);
      if (typeof e.MessageBody === 'string') {
        let attributes: Record<string, MessageAttributeValue> = {};
        try {
          attributes = parseAttributes(e.MessageAttributes, 'MessageAttributes', 'user');
        } catch {
          // an entry's own fault: reported for that entry below
        }
        total += messageSize(e.MessageBody, attributes);
      }
    }
    if (total > MAX_BATCH_BYTES) throw batchRequestTooLong(total, MAX_BATCH_BYTES); // [rec]
    const sender = senderId(ctx);
    return eachEntry(entries, (e, id) => {
      const req = withTraceHeader(parseMessage(q, e, sender, true), ctx);
      const r = q.messages.send(req);
      return {
        Id: id,
        MessageId: r.messageId,
        MD5OfMessageBody: req.md5OfBody,
        MD5OfMessageAttributes: req.md5OfMessageAttributes,
        MD5OfMessageSystemAttributes: req.md5OfMessageSystemAttributes,
        SequenceNumber: r.sequenceNumber,
      };
    });
  };

  const ReceiveMessage: Operation = async (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    const max = intParam(input, 'MaxNumberOfMessages');
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10)) {
      throw invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.'); // [rec]
    }
    const wait = intParam(input, 'WaitTimeSeconds');
    if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > 20)) {
      throw invalidParameter('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.'); // [rec]
    }
    const visibility = intParam(input, 'VisibilityTimeout');
    if (visibility !== undefined && (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_TIMEOUT_S)) {
      throw invalidParameter('VisibilityTimeout', visibility, `Must be >= 0 and <= ${MAX_VISIBILITY_TIMEOUT_S}, if provided.`);
    }
    expectType(input.ReceiveRequestAttemptId, 'ReceiveRequestAttemptId', 'string');
    const attemptId = input.ReceiveRequestAttemptId as string | undefined;
    checkFifoId(attemptId, 'ReceiveRequestAttemptId');
    const systemNames = nameSet(nameList(input, 'MessageSystemAttributeNames'), nameList(input, 'AttributeNames'));
    const attributeNames = nameList(input, 'MessageAttributeNames');
    const queueWait = Number(q.attributes.ReceiveMessageWaitTimeSeconds ?? 0) || 0;
    const received = await q.messages.receive({
      max: max ?? 1,
      visibilityTimeout: visibility,
      waitSeconds: wait ?? queueWait,
      attemptId: q.fifo ? attemptId : undefined,
    });
    if (received.length === 0) return {};
    const Messages: Record<string, unknown>[] = new Array(received.length);
    for (let i = 0; i < received.length; i++) {
      const { message: m, receiptHandle } = received[i];
      // Members without a value are left out (the same answer as undefined ones, less to serialize).
      const out: Record<string, unknown> = { MessageId: m.messageId, ReceiptHandle: receiptHandle, MD5OfBody: m.md5OfBody, Body: m.body };
      const system = systemAttributes(m, systemNames);
      if (system !== undefined) out.Attributes = system;
      if (attributeNames.length > 0) {
        const { attributes, md5 } = messageAttributes(m, attributeNames);
        if (md5 !== undefined) out.MD5OfMessageAttributes = md5;
        if (attributes !== undefined) out.MessageAttributes = attributes;
      }
      Messages[i] = out;
    }
    return { Messages };
  };

  const receiptHandle = (input: In, member = 'ReceiptHandle'): string => {
    expectType(input[member], member, 'string');
    if (input[member] === undefined || input[member] === null) throw missingParameter(member);
    return input[member] as string;
  };

  const visibilityTimeout = (input: In): number => {
    const v = intParam(input, 'VisibilityTimeout');
    if (v === undefined) throw missingParameter('VisibilityTimeout');
    if (!Number.isInteger(v) || v < 0 || v > MAX_VISIBILITY_TIMEOUT_S) {
      throw invalidParameter('VisibilityTimeout', v, `Must be >= 0 and <= ${MAX_VISIBILITY_TIMEOUT_S}, if provided.`);
    }
    return v;
  };

  const DeleteMessage: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    q.messages.deleteMessage(receiptHandle(input));
    return {};
  };

  const DeleteMessageBatch: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    return eachEntry(batchEntries(input, 'DeleteMessageBatchRequestEntry'), (e, id) => {
      q.messages.deleteMessage(receiptHandle(e));
      return { Id: id };
    });
  };

  const ChangeMessageVisibility: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    const handle = receiptHandle(input);
    q.messages.changeVisibility(handle, visibilityTimeout(input));
    return {};
  };

  const ChangeMessageVisibilityBatch: Operation = (input: In, ctx) => {
    const q = store.resolveInput(ctx, input);
    return eachEntry(batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry'), (e, id) => {
      const handle = receiptHandle(e);
      q.messages.changeVisibility(handle, visibilityTimeout(e));
      return { Id: id };
    });
  };

  return {
    SendMessage,
    SendMessageBatch,
    ReceiveMessage,
    DeleteMessage,
    DeleteMessageBatch,
    ChangeMessageVisibility,
    ChangeMessageVisibilityBatch,
  };
}

/**
 * A batch's answer: `fn` runs on each entry in turn; what it returns is the entry's `Successful` item,
 * what it throws becomes its `Failed` one. Empty lists are left out.
 */
function eachEntry(entries: In[], fn: (entry: In, id: string) => unknown): { Successful?: unknown[]; Failed?: unknown[] } {
  const successful: unknown[] = [];
  const failed: unknown[] = [];
  for (const e of entries) {
    const id = e.Id as string;
    try {
      successful.push(fn(e, id));
    } catch (err) {
      failed.push(batchFailure(id, err));
    }
  }
  return { Successful: successful.length > 0 ? successful : undefined, Failed: failed.length > 0 ? failed : undefined };
}

