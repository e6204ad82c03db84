/**
 * One published message: the checks Publish and PublishBatch make on it (subject, empty message,
 * message attributes, the 256 KB limit, MessageStructure json, FIFO group and deduplication ids),
 * and FIFO sequence numbers and deduplication within 5 minutes. Texts from AWS recordings [rec].
 */
import { createHash, randomUUID } from 'node:crypto';
import { invalidParameter, mustNotBeNull, parameterValueInvalid } from './errors';
import type { In } from './input';
import type { MessageAttribute, TopicRecord } from './types';

/** Message plus attribute names, types and values, in UTF-8 bytes [rec]. */
export const MAX_MESSAGE_BYTES = 262_144;
/** FIFO deduplication interval [doc]. */
export const DEDUP_INTERVAL_MS = 5 * 60_000;

/** One message as a Publish request or a PublishBatch entry gives it. */
export interface PublishEntry {
  message?: string;
  subject?: string;
  structure?: string;
  attributes?: Record<string, Record<string, unknown>>;
  groupId?: string;
  dedupId?: string;
}

const NAME_CHARS = /^[A-Za-z0-9_.-]$/;
const TYPE_PREFIX = /^(String|Number|Binary)\..+$/;

/**
 * Message attributes, checked in AWS's order [rec]: name length, name characters, DataType
 * present, DataType prefix, a value present, the value in the field its type uses, not empty.
 * `batchPosition` (1-based) words the null-DataType error for PublishBatch.
 */
export function parseAttributes(raw: Record<string, Record<string, unknown>> | undefined, batchPosition?: number): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, attr] of Object.entries(raw ?? {})) {
    if (Buffer.byteLength(name, 'utf8') > 256) throw parameterValueInvalid('Length of message attribute name must be less than 256 bytes.');
    checkAttributeName(name);
    const dataType = attr.DataType;
    if (typeof dataType !== 'string') {
      const at = batchPosition ? `publishBatchRequestEntries.${batchPosition}.member.messageAttributes.${name}.member.dataType` : `messageAttributes.${name}.member.dataType`;
      throw mustNotBeNull(at);
    }
    if (!['String', 'Number', 'Binary'].includes(dataType) && !TYPE_PREFIX.test(dataType)) {
      throw parameterValueInvalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const empty = () => parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    const hasString = typeof attr.StringValue === 'string';
    const hasBinary = typeof attr.BinaryValue === 'string';
    if (!hasString && !hasBinary) throw empty();
    const field = dataType.startsWith('Binary') ? 'Binary' : 'String';
    if (field === 'Binary') {
      if (!hasBinary) throw parameterValueInvalid(`The message attribute '${name}' with type '${dataType}' must use field 'Binary'.`);
      const bytes = Buffer.from(attr.BinaryValue as string, 'base64');
      if (bytes.length === 0) throw empty();
      out[name] = { DataType: dataType, BinaryValue: bytes };
    } else {
      if (!hasString) throw parameterValueInvalid(`The message attribute '${name}' with type '${dataType}' must use field 'String'.`);
      if (attr.StringValue === '') throw empty();
      out[name] = { DataType: dataType, StringValue: attr.StringValue as string };
    }
  }
  return out;
}

function checkAttributeName(name: string): void {
  if (name.startsWith('.')) throw parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
  let prev = '';
  for (const ch of name) {
    if (!NAME_CHARS.test(ch)) {
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase();
      throw parameterValueInvalid(
        `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    }
    if (ch === '.' && prev === '.') throw parameterValueInvalid("Message attribute name can not have successive '.' character.");
    prev = ch;
  }
}

/** What counts toward the 256 KB limit: the message, and each attribute's name, type and value [rec]. */
export function publishSize(message: string, attributes: Record<string, MessageAttribute>): number {
  let n = Buffer.byteLength(message, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    n += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType, 'utf8');
    n += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  return n;
}

/** Subject: not empty [rec], under 100 characters, no line breaks or control characters [model]. */
export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if (subject === '' || [...subject].length >= 100 || /[\u0000-\u001f\u007f]/.test(subject)) throw invalidParameter('Subject');
}

/** MessageStructure json: the default message and the string entries by protocol [rec]. */
export function parseStructure(message: string, structure: string | undefined): { message: string; perProtocol?: Record<string, string> } {
  if (structure === undefined || structure === '') return { message };
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const perProtocol: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    // Non-string values are ignored [model].
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (typeof v === 'string') perProtocol[k] = v;
  }
  if (perProtocol.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return { message: perProtocol.default, perProtocol };
}

const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** MessageGroupId / MessageDeduplicationId: 1-128 alphanumeric and punctuation characters [model]. */
function checkFifoId(value: string | undefined, param: string): void {
  if (value !== undefined && !FIFO_ID.test(value)) {
    throw invalidParameter(`${param} Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`); // unconfirmed text
  }
}

/** The FIFO rules of one message [rec]; returns the deduplication id to use (FIFO topics). */
export function fifoRules(topic: TopicRecord, groupId: string | undefined, dedupId: string | undefined, message: string): string | undefined {
  checkFifoId(groupId, 'MessageGroupId');
  checkFifoId(dedupId, 'MessageDeduplicationId');
  if (!topic.fifo) {
    if (dedupId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return undefined;
  }
  if (groupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (dedupId !== undefined) return dedupId;
  if (topic.attributes.ContentBasedDeduplication !== 'true') {
    throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  // SHA-256 of the message body, not of its attributes [model]; the SQS FIFO queue gets the same id [rec].
  return createHash('sha256').update(message, 'utf8').digest('hex');
}

/**
 * Check a Publish entry completely (everything but the topic), or throw AWS's error. PublishBatch
 * passes the entry's position and checks the size of the whole batch instead of each message's.
 */
export function checkEntry(topic: TopicRecord, entry: PublishEntry, batchPosition?: number) {
  const member = batchPosition ? `publishBatchRequestEntries.${batchPosition}.member.` : '';
  if (entry.message === undefined) throw mustNotBeNull(`${member}message`);
  checkSubject(entry.subject);
  if (entry.message === '') throw invalidParameter('Empty message'); // [rec]
  const attributes = parseAttributes(entry.attributes, batchPosition);
  const size = publishSize(entry.message, attributes);
  if (!batchPosition && size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long'); // [rec]
  const dedupId = fifoRules(topic, entry.groupId, entry.dedupId, entry.message);
  const structured = parseStructure(entry.message, entry.structure);
  return { ...structured, attributes, subject: entry.subject, groupId: entry.groupId, dedupId, size };
}

/** A Publish entry from its decoded members. */
export function entryOf(input: In): PublishEntry {
  const s = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const attrs = input.MessageAttributes;
  return {
    message: s('Message'),
    subject: s('Subject'),
    structure: s('MessageStructure'),
    attributes: typeof attrs === 'object' && attrs !== null && !Array.isArray(attrs) ? (attrs as Record<string, Record<string, unknown>>) : undefined,
    groupId: s('MessageGroupId'),
    dedupId: s('MessageDeduplicationId'),
  };
}

export const newMessageId = (): string => randomUUID();

/** The next SequenceNumber of a FIFO topic: 20 digits or more, rising [model]. */
export function nextSequenceNumber(topic: TopicRecord, now: number): string {
  const base = BigInt(Math.floor(now)) * 10_000_000n;
  topic.lastSequence = base > topic.lastSequence ? base : topic.lastSequence + 1n;
  return topic.lastSequence.toString();
}

/** The deduplication key of a FIFO message (per group when FifoThroughputScope is MessageGroup [model]). */
export function dedupKey(topic: TopicRecord, groupId: string | undefined, dedupId: string): string {
  return topic.attributes.FifoThroughputScope === 'MessageGroup' ? `${groupId ?? ''}\u0000${dedupId}` : dedupId;
}

/** A message seen within the deduplication interval: the id and sequence number it was given. */
export function recentDuplicate(topic: TopicRecord, key: string, now: number): { messageId: string; sequenceNumber: string } | undefined {
  if (topic.dedup.size > 1000) for (const [k, e] of topic.dedup) if (e.expires <= now) topic.dedup.delete(k);
  const e = topic.dedup.get(key);
  if (!e || e.expires <= now) return undefined;
  return e;
}
