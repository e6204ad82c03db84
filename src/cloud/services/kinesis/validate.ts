/**
 * What every Kinesis operation checks first: JSON types (SerializationException), model constraints
 * (ValidationException, "1 validation error detected: ..." [obs]), base64 blobs, and which stream a
 * request names (StreamName and/or StreamARN [model]).
 */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { expectType, Validator } from '../../protocols/validation';
import { streamNameArnMismatch, streamNotFound, streamRequired } from './errors';
import { parseStreamArn, type KinesisStore } from './store';
import type { Stream } from './stream';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type In = Record<string, any>;

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** Each member present must have its JSON type. */
export function types(input: In, spec: Record<string, JsonType>): void {
  for (const [k, t] of Object.entries(spec)) expectType(input[k], k, t);
}

export const validator = () => new Validator('ValidationException', 400);

export const NAME_RE = /^[a-zA-Z0-9_.-]+$/;
const NAME_TEXT = '[a-zA-Z0-9_.-]+';
const ARN_RE = /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/;
const ARN_TEXT = 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+';
const RESOURCE_ARN_RE = /^arn:aws.*:kinesis:.*:\d{12}:.*stream\/\S+$/;
const RESOURCE_ARN_TEXT = 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+';
const HASH_KEY_RE = /^(0|([1-9]\d{0,38}))$/;
const SEQUENCE_RE = /^(0|([1-9]\d{0,128}))$/;

/** A name-like member (StreamName, ShardId, ExclusiveStartStreamName...): pattern, then length [obs]. */
export function checkName(v: Validator, value: string | undefined, member: string): void {
  if (value === undefined) return;
  v.pattern(value, member, NAME_RE, NAME_TEXT);
  v.length(value, member, 1, 128);
}

export function checkArn(v: Validator, value: string | undefined, member: string, resource = false): void {
  if (value === undefined) return;
  v.pattern(value, member, resource ? RESOURCE_ARN_RE : ARN_RE, resource ? RESOURCE_ARN_TEXT : ARN_TEXT);
  v.length(value, member, 1, 2048);
}

export function checkHashKey(v: Validator, value: string | undefined, member: string): void {
  v.pattern(value, member, HASH_KEY_RE, '0|([1-9]\\d{0,38})');
}

export function checkSequence(v: Validator, value: string | undefined, member: string): void {
  v.pattern(value, member, SEQUENCE_RE, '0|([1-9]\\d{0,128})');
}

/** StreamName and StreamARN, as every stream operation has them (StreamId is accepted and ignored). */
export function checkStreamRef(v: Validator, input: In): void {
  types(input, { StreamName: 'string', StreamARN: 'string', StreamId: 'string' });
  checkArn(v, input.StreamARN, 'streamARN');
  checkName(v, input.StreamName, 'streamName');
}

/** An Integer member: JSON numbers are truncated, and clamped to Java's int [obs]. */
export function int(value: unknown): number | undefined {
  if (typeof value !== 'number') return undefined;
  return Math.min(Math.trunc(value), 2147483647);
}

/** The stream a request names: by StreamARN (its account and region) or by StreamName in the caller's. */
export function findStream(store: KinesisStore, ctx: RequestContext, input: In): Stream {
  const name = input.StreamName as string | undefined;
  const arn = input.StreamARN as string | undefined;
  if (arn !== undefined) {
    const p = parseStreamArn(arn);
    if (!p) throw streamNotFound(arn.slice(arn.indexOf('stream/') + 7), arn.split(':')[4] ?? ctx.accountId);
    if (name !== undefined && name !== p.name) throw streamNameArnMismatch();
    const s = store.get(p.accountId, p.region, p.name);
    if (!s) throw streamNotFound(p.name, p.accountId);
    return s;
  }
  if (name === undefined) throw streamRequired();
  const s = store.get(ctx.accountId, ctx.region, name);
  if (!s) throw streamNotFound(name, ctx.accountId);
  return s;
}

/** How AWS prints a blob in a validation message [obs]. */
export const blobText = (n: number) => `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;

function serialization(message: string): AwsError {
  return new AwsError('SerializationException', message, 400, { messageKey: 'Message' });
}

/** A base64 blob member: its bytes, or AWS's SerializationException for text that is not base64 [obs]. */
export function decodeBlob(value: unknown, member: string): Buffer {
  if (typeof value !== 'string') {
    expectType(value, member, 'string');
    return Buffer.alloc(0);
  }
  if (value.length % 4 !== 0) {
    throw serialization(`'${value}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
  }
  const bad = /[^a-zA-Z0-9+/=]|=[^=]/.exec(value);
  if (bad) throw serialization(`'${value}' can not be converted to a Blob: Invalid Base64 character: '${bad[0][0]}'`);
  const bytes = Buffer.from(value, 'base64');
  // (the misspelling is AWS's [obs])
  if (bytes.toString('base64') !== value) throw serialization(`'${value}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected`);
  return bytes;
}

/** A map as Java prints it in a validation message: {a=1, b=2}. */
export const mapText = (m: Record<string, string>) => `{${Object.entries(m).map(([k, val]) => `${k}=${val}`).join(', ')}}`;

/** A TagMap member [model]: 1..200 entries (`min`), keys 1..128, values 0..256. */
export function checkTagMap(v: Validator, value: unknown, member: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    expectType(value, member, 'object');
    return {};
  }
  const tags = value as Record<string, unknown>;
  for (const [k, val] of Object.entries(tags)) expectType(val, `${member}.${k}`, 'string');
  const m = tags as Record<string, string>;
  const n = Object.keys(m).length;
  if (n < 1) v.fail(mapText(m), member, 'Member must have length greater than or equal to 1');
  else if (n > 200) v.fail(mapText(m), member, 'Member must have length less than or equal to 200');
  if (Object.keys(m).some((k) => k.length < 1 || k.length > 128)) {
    v.fail(mapText(m), member, 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]');
  }
  if (Object.values(m).some((x) => x.length > 256)) {
    v.fail(mapText(m), member, 'Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]');
  }
  return m;
}

/** A TagKeyList member [model]: 1..50 keys of 1..128. */
export function checkTagKeys(v: Validator, value: unknown, member: string): string[] {
  if (value === undefined || value === null) return [];
  expectType(value, member, 'array');
  const keys = value as unknown[];
  keys.forEach((k, i) => expectType(k, `${member}.member.${i + 1}`, 'string'));
  const list = keys as string[];
  v.length(list, member, 1, 50);
  if (list.some((k) => k.length < 1 || k.length > 128)) {
    v.fail(list, member, 'Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]');
  }
  return list;
}

/** Tag text Kinesis accepts [obs]: letters, digits, spaces and _ . / = + - % @ (and ':', as AWS's own tags use). */
const TAG_CHARS = /^[\p{L}\p{N} _.:/=+\-%@]*$/u;

export function tagCharsValid(s: string): boolean {
  return TAG_CHARS.test(s);
}
