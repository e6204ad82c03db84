/**
 * Reading request members the way API Gateway's (Coral/Jackson) deserializer does: a member of the
 * wrong JSON type is a SerializationException worded after the Java class it found [rec:
 * "class java.lang.Boolean can not be converted to an String"], paging parameters, and the JSON
 * body itself.
 */
import { AwsError } from '../../errors';

export type Body = Record<string, unknown>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function serialization(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

function javaClass(v: unknown): string {
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (typeof v === 'number') return 'com.amazon.coral.value.json.numbers.TruncatingBigNumber';
  return 'java.lang.String';
}

/** The request body as a JSON object ({} when empty). */
export function jsonBody(raw: Buffer): Body {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(raw));
  } catch {
    throw serialization('Unable to parse request body as JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw serialization('Start of list found where not expected');
  return parsed as Body;
}

function structural(v: unknown): AwsError | undefined {
  if (Array.isArray(v)) return serialization('Start of list found where not expected');
  if (v !== null && typeof v === 'object') return serialization('Start of structure or map found where not expected');
  return undefined;
}

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw structural(v) ?? serialization(`class ${javaClass(v)} can not be converted to an String`);
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw structural(v) ?? serialization(`class ${javaClass(v)} can not be converted to an Boolean`);
}

export function optInt(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw structural(v) ?? serialization(`class ${javaClass(v)} can not be converted to an Integer`);
}

export function optStringList(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw serialization('Start of structure or map found where not expected');
  for (const x of v) if (typeof x !== 'string') throw structural(x) ?? serialization(`class ${javaClass(x)} can not be converted to an String`);
  return [...(v as string[])];
}

/** A map of strings; `nullable` keeps null values (mapping templates). */
export function optStringMap(body: Body, key: string, nullable = false): Record<string, string | null> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization('Start of list found where not expected');
  const out: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null && nullable) out[k] = null;
    else if (typeof x === 'string') out[k] = x;
    else throw structural(x) ?? serialization(`class ${javaClass(x)} can not be converted to an String`);
  }
  return out;
}

export function optBoolMap(body: Body, key: string): Record<string, boolean> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization('Start of list found where not expected');
  const out: Record<string, boolean> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'boolean') out[k] = x;
    else throw structural(x) ?? serialization(`class ${javaClass(x)} can not be converted to an Boolean`);
  }
  return out;
}

/** `limit` and `position` of a Get*s call: a page of `items` and the next position. */
export function page<T>(items: T[], query: URLSearchParams, defaultLimit = 25): { item: T[]; position?: string } {
  const rawLimit = query.get('limit');
  let limit = defaultLimit;
  if (rawLimit !== null && rawLimit !== '') {
    const n = Number(rawLimit);
    if (!Number.isInteger(n)) throw new AwsError('BadRequestException', `Invalid limit: ${rawLimit}`, 400);
    limit = n < 1 ? defaultLimit : Math.min(n, 500);
  }
  let start = 0;
  const position = query.get('position');
  if (position) {
    const decoded = Number(Buffer.from(position, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw new AwsError('BadRequestException', 'Invalid position parameter', 400);
    start = decoded;
  }
  const item = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return next ? { item, position: next } : { item };
}
