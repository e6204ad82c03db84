/**
 * Checking one message before it is stored (SendMessage and each SendMessageBatch entry): body,
 * message attributes, system attributes, FIFO ids, delay and size, with AWS's codes and texts.
 * Texts marked [rec] are AWS-recorded (LocalStack's AWS snapshots / AWS-validated tests); [obs]
 * were seen from AWS in public bug reports; the rest follow AWS's wording where it is not known.
 */
import { AwsError } from '../../errors';
import { expectType } from '../../protocols/validation';
import { invalidMessageContents, invalidParameter, invalidParameterValue, missingParameter } from './errors';
import { hexDigest, md5OfAttributes, md5OfBody } from './md5';
import type { MessageAttributeValue, QueueRecord, SendRequest } from './types';

export const MAX_MESSAGE_ATTRIBUTES = 10;
export const DEFAULT_MAXIMUM_MESSAGE_SIZE = 1_048_576;
/** FIFO MessageGroupId / MessageDeduplicationId / ReceiveRequestAttemptId: printable ASCII, 1-128. */
const FIFO_ID_RE = /^[\x21-\x7e]{1,128}$/;
const ATTRIBUTE_NAME_RE = /^[\p{L}\p{N}_.-]+$/u;
const DATA_TYPE_RE = /^(String|Number|Binary)(\..*)?$/s;
/** A decimal number (what a Number attribute may hold). */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type In = Record<string, unknown>;

/** The first code point outside XML 1.0's characters, or -1. */
export function invalidCodePoint(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0xd7ff) continue;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if (c >= 0xe000 && c <= 0xfffd) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return c;
  }
  return -1;
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** The bytes SQS counts for a message: body plus every attribute's name, type and value. */
export function messageSize(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let n = utf8Length(body);
  for (const [name, a] of Object.entries(attributes)) {
    n += utf8Length(name) + utf8Length(a.DataType);
    n += a.BinaryValue !== undefined && a.StringValue === undefined ? a.BinaryValue.length : utf8Length(a.StringValue ?? '');
  }
  return n;
}

/** JSON BinaryValue arrives base64 (query.ts passes the same); a Buffer is taken as is. */
function toBytes(value: unknown, member: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  expectType(value, member, 'string');
  return Buffer.from(value as string, 'base64');
}

/** No attributes: one shared (frozen) object, not two new ones for every stored message. */
const NO_ATTRIBUTES: Record<string, MessageAttributeValue> = Object.freeze({});

/**
 * Parse and check a MessageAttributes (or MessageSystemAttributes) map. `kind` words the errors:
 * "user" for MessageAttributes, "system" for MessageSystemAttributes.
 */
export function parseAttributes(raw: unknown, member: string, kind: 'user' | 'system'): Record<string, MessageAttributeValue> {
  if (raw === undefined || raw === null) return NO_ATTRIBUTES;
  expectType(raw, member, 'object');
  const entries = Object.entries(raw as In);
  if (entries.length === 0) return NO_ATTRIBUTES;
  if (kind === 'user' && entries.length > MAX_MESSAGE_ATTRIBUTES) {
    // [obs]
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const out: Record<string, MessageAttributeValue> = {};
  // In name order, so that a message with several faults always gets the same answer.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of entries) {
    expectType(value, `${member}.${name}`, 'object');
    const v = value as In;
    expectType(v.DataType, `${member}.${name}.DataType`, 'string');
    expectType(v.StringValue, `${member}.${name}.StringValue`, 'string');
    checkAttributeName(name, kind);
    const dataType = v.DataType as string | undefined;
    if (dataType === undefined || dataType === '') {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    const m = DATA_TYPE_RE.exec(dataType);
    if (!m || utf8Length(dataType) > 256 || invalidCodePoint(dataType) >= 0) {
      // [obs] 2023
      throw invalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (kind === 'system' && dataType !== 'String') {
      throw invalidParameterValue(`The type of message (system) attribute '${name}' is invalid. You must use only the following supported type prefixes: String.`);
    }
    const base = m[1];
    const empty = () =>
      // [rec] for String
      invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
    if (base === 'Binary') {
      const bytes = toBytes(v.BinaryValue, `${member}.${name}.BinaryValue`);
      if (!bytes || bytes.length === 0) throw empty();
      out[name] = { DataType: dataType, BinaryValue: bytes };
      continue;
    }
    const s = v.StringValue as string | undefined;
    if (s === undefined || s === '') throw empty();
    const bad = invalidCodePoint(s);
    if (bad >= 0) {
      throw invalidParameterValue(
        `Message (${kind}) attribute '${name}' has an invalid character '#x${bad.toString(16).toUpperCase()}'. The set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
      );
    }
    if (base === 'Number' && !validNumber(s)) {
      throw invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
    }
    out[name] = { DataType: dataType, StringValue: s };
  }
  return out;
}

/** AWS's numbers: up to 38 significant digits, magnitude between 10^-128 and 10^+126. */
function validNumber(s: string): boolean {
  if (!NUMBER_RE.test(s)) return false;
  const [mantissa, exp = '0'] = s.replace(/^[+-]/, '').split(/[eE]/);
  const digits = mantissa.replace('.', '');
  const first = digits.search(/[1-9]/);
  if (first < 0) return true; // zero
  const last = digits.length - 1 - [...digits].reverse().findIndex((d) => d !== '0');
  if (last - first + 1 > 38) return false;
  const intLen = mantissa.includes('.') ? mantissa.indexOf('.') : mantissa.length;
  const magnitude = Number(exp) + (intLen - 1 - first);
  return magnitude >= -128 && magnitude <= 126;
}

function checkAttributeName(name: string, kind: 'user' | 'system'): void {
  if (kind === 'system') {
    if (name !== 'AWSTraceHeader') {
      throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    return;
  }
  if (name === '') throw invalidParameterValue('The request must contain non-empty message attribute name.'); // [obs]
  if (name.length > 256) throw invalidParameterValue('Message (user) attribute names must be shorter than 256 Bytes');
  if (!ATTRIBUTE_NAME_RE.test(name)) {
    throw invalidParameterValue(
      'Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ',
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.') || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw invalidParameterValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
    );
  }
}

/** FIFO id parameters (MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId) [rec]. */
export function checkFifoId(value: string | undefined, parameter: string): void {
  if (value === undefined) return;
  if (!FIFO_ID_RE.test(value)) {
    throw invalidParameter(parameter, value, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

/** An integer parameter of the JSON protocol (a fraction is refused like an out-of-range value). */
export function intParam(input: In, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  expectType(v, member, 'number');
  return v as number;
}

/**
 * Check a whole-request FIFO precondition of SendMessage / SendMessageBatch: a group id, and a
 * deduplication id unless the queue deduplicates by content. Single sends answer MissingParameter
 * for the group; batches answer InvalidParameterValue for the whole request [rec].
 */
export function checkFifoRequirements(queue: QueueRecord, entry: In, batch: boolean): void {
  if (!queue.fifo) return;
  if (entry.MessageGroupId === undefined || entry.MessageGroupId === null) {
    const text = 'The request must contain the parameter MessageGroupId.';
    throw batch ? invalidParameterValue(text) : missingParameter('MessageGroupId');
  }
  if ((entry.MessageDeduplicationId === undefined || entry.MessageDeduplicationId === null) && queue.attributes.ContentBasedDeduplication !== 'true') {
    throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

/**
 * Check one message (SendMessage's input or a batch entry) for `queue` and build what the model
 * stores. Throws the AwsError AWS answers for the first fault found.
 */
export function parseMessage(queue: QueueRecord, entry: In, senderId: string, batch: boolean): SendRequest {
  expectType(entry.MessageBody, 'MessageBody', 'string');
  expectType(entry.MessageGroupId, 'MessageGroupId', 'string');
  expectType(entry.MessageDeduplicationId, 'MessageDeduplicationId', 'string');
  const body = entry.MessageBody as string | undefined;
  if (body === undefined || body === '') throw missingParameter('MessageBody'); // [rec]
  const delay = intParam(entry, 'DelaySeconds');
  const attributes = parseAttributes(entry.MessageAttributes, 'MessageAttributes', 'user');
  const max = Number(queue.attributes.MaximumMessageSize ?? DEFAULT_MAXIMUM_MESSAGE_SIZE) || DEFAULT_MAXIMUM_MESSAGE_SIZE;
  if (messageSize(body, attributes) > max) {
    // [rec] both wordings
    const lead = batch ? 'One or more parameters cannot be validated.' : 'One or more parameters are invalid.';
    throw invalidParameterValue(`${lead} Reason: Message must be shorter than ${max} bytes.`);
  }
  const bad = invalidCodePoint(body);
  if (bad >= 0) throw invalidMessageContents(bad); // [obs]
  const systemAttributes = parseAttributes(entry.MessageSystemAttributes, 'MessageSystemAttributes', 'system');
  const groupId = entry.MessageGroupId as string | undefined;
  let dedupId = entry.MessageDeduplicationId as string | undefined;
  checkFifoId(groupId, 'MessageGroupId');
  checkFifoId(dedupId, 'MessageDeduplicationId');
  if (delay !== undefined) {
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.'); // [obs]
    if (queue.fifo && delay !== 0) {
      throw invalidParameter('DelaySeconds', delay, 'The request include parameter that is not valid for this queue type.'); // [rec]
    }
  }
  if (!queue.fifo && dedupId !== undefined) {
    throw invalidParameter('MessageDeduplicationId', dedupId, 'The request include parameter that is not valid for this queue type.');
  }
  checkFifoRequirements(queue, entry, batch);
  if (queue.fifo && dedupId === undefined) dedupId = hexDigest('sha256', body);
  return {
    body,
    md5OfBody: md5OfBody(body),
    messageAttributes: attributes,
    md5OfMessageAttributes: md5OfAttributes(attributes),
    messageSystemAttributes: systemAttributes,
    md5OfMessageSystemAttributes: md5OfAttributes(systemAttributes),
    senderId,
    delaySeconds: queue.fifo ? undefined : delay,
    messageGroupId: groupId,
    messageDeduplicationId: dedupId,
  };
}

/** An AwsError as a batch entry's failure. */
export function batchFailure(id: string, e: unknown): { Id: string; SenderFault: boolean; Code: string; Message: string } {
  if (e instanceof AwsError) return { Id: id, SenderFault: e.sender, Code: e.options.queryCode ?? e.code, Message: e.message };
  throw e;
}
