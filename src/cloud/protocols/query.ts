/**
 * AWS query protocol: form-encoded parameters in (Action, Version, flattened members), XML out.
 *
 * Input decoding is generic: `Tags.member.1.Key=a` -> `{ Tags: [{ Key: 'a' }] }`,
 * `Attributes.entry.1.key=k&Attributes.entry.1.value=v` -> `{ Attributes: { k: 'v' } }`,
 * `X.1=a&X.2=b` -> `{ X: ['a', 'b'] }`. Values stay strings; services coerce.
 *
 * Output encoding: `<OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata>...` with arrays as
 * repeated <member> elements (or flattened with `xmlFlat`), maps marked with `xmlMap` as
 * <entry><key/><value/></entry>, Dates as ISO-8601, booleans lower-case.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { AwsError } from '../errors';
import { toAwsError } from './json';
import type { QueryServiceDef, RawResponse, RequestContext } from './types';

/** Parameters that carry the action, version or a signature, not operation input. */
const RESERVED = new Set(['Action', 'Version']);
const AUTH_PARAM = /^(X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion)$/;

const MAP_MARK = Symbol('xmlMap');
const FLAT_MARK = Symbol('xmlFlat');

type Node = { [k: string]: Node } | string;

/** Mark an object to be serialized as a query-protocol map: <entry><key>k</key><value>v</value></entry>. */
export function xmlMap<T extends Record<string, unknown>>(obj: T, keyName = 'key', valueName = 'value'): T {
  Object.defineProperty(obj, MAP_MARK, { value: { keyName, valueName }, enumerable: false });
  return obj;
}

/** Mark an array to be serialized flattened: the parent element name repeated, no <member> wrapper. */
export function xmlFlat<T extends unknown[]>(arr: T): T {
  Object.defineProperty(arr, FLAT_MARK, { value: true, enumerable: false });
  return arr;
}

/** Decode flattened query parameters into a nested input object. */
export function decodeQueryParams(params: URLSearchParams): Record<string, unknown> {
  const root: { [k: string]: Node } = {};
  for (const [key, value] of params) {
    if (RESERVED.has(key) || AUTH_PARAM.test(key)) continue;
    const parts = key.split('.');
    let node: { [k: string]: Node } = root;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1) {
        // A value never replaces a nested structure (e.g. `Tags=` next to `Tags.member.1.Key`).
        if (!(p in node) || typeof node[p] === 'string') node[p] = value;
      } else {
        const next = node[p];
        if (next === undefined || typeof next === 'string') node[p] = {};
        node = node[p] as { [k: string]: Node };
      }
    }
  }
  return normalize(root) as Record<string, unknown>;
}

const isIndex = (k: string) => /^[0-9]+$/.test(k);

function normalize(node: Node): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') return toList(node.member);
  if (keys.length === 1 && keys[0] === 'entry') return toMap(node.entry);
  if (keys.length > 0 && keys.every(isIndex)) return toList(node);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = normalize(node[k]);
  return out;
}

function toList(node: Node): unknown[] {
  if (typeof node === 'string') return node === '' ? [] : [node];
  return Object.keys(node)
    .filter(isIndex)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => normalize(node[k]));
}

function toMap(node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of toList(node)) {
    if (!e || typeof e !== 'object') continue;
    const entry = e as Record<string, unknown>;
    const k = entry.key ?? entry.Key ?? entry.Name ?? entry.name;
    const v = entry.value ?? entry.Value;
    if (typeof k === 'string') out[k] = v;
  }
  return out;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** Convert a service output value into fast-xml-parser builder input. */
export function toXmlTree(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    return { member: value.map(toXmlTree) };
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown> & { [MAP_MARK]?: { keyName: string; valueName: string } };
    const mark = obj[MAP_MARK];
    if (mark) {
      const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return '';
      return { entry: entries.map(([k, v]) => ({ [mark.keyName]: k, [mark.valueName]: toXmlTree(v) })) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[FLAT_MARK]) {
        if (v.length > 0) out[k] = v.map(toXmlTree);
        continue;
      }
      out[k] = toXmlTree(v);
    }
    return out;
  }
  return String(value);
}

/**
 * A CR goes out as a character reference: XML parsers turn a literal CR in text into LF, which
 * would change the value on the client's side (and break SQS's body MD5). Names never hold one.
 */
export function buildXml(tree: Record<string, unknown>): string {
  return (builder.build(tree) as string).replace(/\r/g, '&#xD;');
}

export async function handleQuery(def: QueryServiceDef, params: URLSearchParams, ctx: RequestContext): Promise<RawResponse> {
  const action = params.get('Action');
  const version = params.get('Version');
  if (!action) return queryError(def, new AwsError('InvalidAction', 'Missing Action', 400), ctx);
  const op = Object.prototype.hasOwnProperty.call(def.operations, action) ? def.operations[action] : undefined;
  const invalid = () => new AwsError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);
  if (!op) return queryError(def, def.unknownAction?.(action) ?? invalid(), ctx);
  if (version !== def.version && !(version === null && def.versionOptional)) return queryError(def, invalid(), ctx);
  let output: unknown;
  try {
    output = await op(decodeQueryParams(params), ctx);
  } catch (e) {
    return queryError(def, toAwsError(e), ctx);
  }
  return queryResponse(def, action, output, ctx);
}

export function queryResponse(def: QueryServiceDef, action: string, output: unknown, ctx: RequestContext): RawResponse {
  const response: Record<string, unknown> = { '@_xmlns': def.xmlNamespace };
  const content = toXmlTree(output ?? {});
  if (def.noResultWrapper?.includes(action)) {
    if (content && typeof content === 'object') Object.assign(response, content);
  } else {
    response[`${action}Result`] = content ?? '';
  }
  response.ResponseMetadata = { RequestId: ctx.requestId };
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
    body: buildXml({ [`${action}Response`]: response }),
  };
}

export function queryError(def: QueryServiceDef | undefined, err: AwsError, ctx: RequestContext): RawResponse {
  const error: Record<string, unknown> = { Type: err.sender ? 'Sender' : 'Receiver', Code: err.options.queryCode ?? err.code, Message: err.message };
  if (err.options.fields) Object.assign(error, toXmlTree(err.options.fields) as object);
  const body = buildXml({
    ErrorResponse: {
      ...(def ? { '@_xmlns': def.xmlNamespace } : {}),
      Error: error,
      RequestId: ctx.requestId,
    },
  });
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId, ...(err.options.headers ?? {}) },
    body,
  };
}
