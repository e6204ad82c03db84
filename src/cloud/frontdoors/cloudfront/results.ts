/**
 * What a Lambda@Edge function returned, checked as CloudFront checks it [doc: "Testing and
 * debugging Lambda@Edge functions" (invalid function responses), "Lambda@Edge event structure",
 * "Generating HTTP responses in request triggers", "Restrictions on edge functions"]. A failure
 * is an EdgeValidationError whose message is the line CloudFront's 502 page shows
 * (LambdaValidationError). Texts marked [obs] are CloudFront's as quoted in public bug reports; the
 * others are unconfirmed, in the same forms.
 */
import type { EdgeEventType } from '../../services/cloudfront/types';
import type { CfBody, CfOrigin, CfRequest, CfResponse } from './event';
import { isDisallowed, READ_ONLY, VIEWER_REQUEST_FORBIDDEN_ADDS, type CfHeader, type CfHeaders } from './headers';

export class EdgeValidationError extends Error {}

export const MESSAGES = {
  /** [obs] serverless-next.js 525, 981 */
  notParsable: 'The Lambda function returned invalid JSON: The JSON output is not parsable.',
  /** [obs] aws-samples/react-ssr-lambda 28, Widen/cloudfront-auth 30 */
  notObject: 'The Lambda function returned invalid JSON: The JSON output must be an object type.',
  /** [obs] (an object that is neither a request nor a response) sirceljm/aws-lambda-blog 20 */
  notRequestOrResponse: 'The Lambda function returned an invalid request or response to CloudFront.',
  /** [obs] (a header given as a single object) */
  headerNotArray: 'The Lambda function returned an invalid entry in the headers object: Each header entry in the headers object must be an array.',
  headersNotObject: 'The Lambda function returned an invalid entry in the headers object: The headers must be an object.',
  headerEntry: 'The Lambda function returned an invalid entry in the headers object: Each header must have a string value.',
  headerKey: 'The Lambda function returned an invalid entry in the headers object: The header key does not match the header name.',
  invalidHeader: 'The Lambda function result failed validation: The function returned an invalid header.',
  readOnlyHeader: 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.',
  disallowedHeader: 'The Lambda function result failed validation: The function tried to add a disallowed header.',
  /** [obs] marksteele/edge-rewrite 6 */
  uri: 'The Lambda function result failed validation: The specified URI is in an invalid format.',
  querystring: 'The Lambda function result failed validation: The specified query string is in an invalid format.',
  /** [obs] */
  body: 'The Lambda function result failed validation: The body is not a string, is not an object, or exceeds the maximum size.',
  bodyEncoding: 'The Lambda function result failed validation: The body encoding is not valid.',
  status: 'The Lambda function result failed validation: The status code is not valid.',
  noContentBody: 'The Lambda function result failed validation: A response with status 204 cannot have a body.',
  origin: 'The Lambda function result failed validation: The origin is not valid.',
} as const;

const fail = (message: string): never => {
  throw new EdgeValidationError(message);
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** [doc] Size of a generated (or replaced) response, headers and body: 40 KB viewer, 1 MB origin. */
export const RESPONSE_LIMIT = { viewer: 40 * 1024, origin: 1024 * 1024 };
const responseLimit = (event: EdgeEventType) => (event.startsWith('viewer') ? RESPONSE_LIMIT.viewer : RESPONSE_LIMIT.origin);

/** The payload as a JSON object, or the invalid-JSON errors. */
export function parseResult(payload: Buffer): Obj {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return fail(MESSAGES.notParsable);
  }
  if (!isObj(value)) fail(MESSAGES.notObject);
  return value as Obj;
}

/** A request event's result is a generated response when it carries a status. */
export const isResponseResult = (result: Obj) => 'status' in result;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;

export function readHeaders(value: unknown): CfHeaders {
  if (value === undefined || value === null) return {};
  if (!isObj(value)) fail(MESSAGES.headersNotObject);
  const out: CfHeaders = {};
  for (const [rawName, entries] of Object.entries(value as Obj)) {
    const name = rawName.toLowerCase();
    if (!Array.isArray(entries)) fail(MESSAGES.headerNotArray);
    for (const e of entries as unknown[]) {
      if (!isObj(e) || typeof e.value !== 'string') fail(MESSAGES.headerEntry);
      const entry = e as { key?: unknown; value: string };
      if (entry.key !== undefined && (typeof entry.key !== 'string' || entry.key.toLowerCase() !== name)) fail(MESSAGES.headerKey);
      if (!TOKEN.test(name) || BAD_VALUE.test(entry.value)) fail(MESSAGES.invalidHeader);
      (out[name] ??= []).push({ ...(entry.key !== undefined ? { key: entry.key as string } : {}), value: entry.value } as CfHeader);
    }
  }
  return out;
}

/** Disallowed headers may not appear; read-only ones (of the event) must be as they were. */
function checkHeaderRules(event: EdgeEventType, before: CfHeaders | undefined, after: CfHeaders): void {
  for (const name of Object.keys(after)) {
    if (isDisallowed(name) && !(before && name in before)) fail(MESSAGES.disallowedHeader);
    if (event === 'viewer-request' && VIEWER_REQUEST_FORBIDDEN_ADDS.has(name) && !(before && name in before)) fail(MESSAGES.disallowedHeader);
  }
  if (!before) return;
  for (const name of READ_ONLY[event]) {
    const was = (before[name] ?? []).map((e) => e.value).join('\n');
    const now = (after[name] ?? []).map((e) => e.value).join('\n');
    if (was !== now || (before[name] === undefined) !== (after[name] === undefined)) fail(MESSAGES.readOnlyHeader);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decode(data: string, encoding: unknown): Buffer {
  if (encoding === undefined || encoding === 'text') return Buffer.from(data, 'utf8');
  if (encoding !== 'base64') return fail(MESSAGES.bodyEncoding);
  if (!BASE64.test(data)) fail(MESSAGES.bodyEncoding);
  return Buffer.from(data, 'base64');
}

export interface RequestResult {
  request: CfRequest;
  /** A replacement body (IncludeBody and `action: "replace"`), truncated at the event's limit. */
  body?: Buffer;
}

/**
 * A request event's result as the request to continue with: uri, querystring, headers, body
 * (replace) and, in origin requests, origin may change; method and clientIp are read-only.
 */
export function readRequest(result: Obj, event: 'viewer-request' | 'origin-request', original: CfRequest, includeBody: boolean): RequestResult {
  if (typeof result.uri !== 'string') return fail(MESSAGES.notRequestOrResponse);
  const uri = result.uri;
  if (!uri.startsWith('/') || /[\s\0-\x1f\x7f]/.test(uri)) fail(MESSAGES.uri);
  const qs = result.querystring ?? '';
  if (typeof qs !== 'string' || /[\s\0-\x1f\x7f#]/.test(qs)) fail(MESSAGES.querystring);
  // [doc] The URI with its query string must be less than 8,192 characters.
  if (uri.length + (qs as string).length + 1 >= 8192) fail(MESSAGES.uri);
  const headers = readHeaders(result.headers);
  checkHeaderRules(event, original.headers, headers);
  const request: CfRequest = { clientIp: original.clientIp, headers, method: original.method, querystring: qs as string, uri };
  let body: Buffer | undefined;
  if (original.body) {
    request.body = original.body;
    if (includeBody && isObj(result.body) && result.body.action === 'replace') {
      const b = result.body as Partial<CfBody>;
      if (typeof b.data !== 'string') fail(MESSAGES.body);
      // base64 is the default encoding of a replaced request body [doc]
      const bytes = decode(b.data as string, b.encoding ?? 'base64');
      const limit = event === 'viewer-request' ? 40 * 1024 : 1024 * 1024;
      body = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
      request.body = { inputTruncated: original.body.inputTruncated, action: 'replace', encoding: 'base64', data: body.toString('base64') };
    }
  }
  if (event === 'origin-request') request.origin = result.origin === undefined ? original.origin : readOrigin(result.origin);
  return { request, body };
}

/** [doc] An origin-request function may send the request to another origin (one custom or S3 origin). */
function readOrigin(value: unknown): CfOrigin {
  if (!isObj(value)) return fail(MESSAGES.origin);
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'custom' && keys[0] !== 's3') || !isObj(value[keys[0]])) return fail(MESSAGES.origin);
  const o = value[keys[0]] as Obj;
  const domainName = o.domainName;
  if (typeof domainName !== 'string' || domainName === '' || domainName.includes(':') || domainName.length > 253) fail(MESSAGES.origin);
  const path = o.path ?? '';
  if (typeof path !== 'string' || (path !== '' && (!path.startsWith('/') || path.endsWith('/')))) fail(MESSAGES.origin);
  const customHeaders = readHeaders(o.customHeaders);
  if (keys[0] === 's3') {
    return { s3: { authMethod: o.authMethod === 'origin-access-identity' ? 'origin-access-identity' : 'none', customHeaders, domainName: domainName as string, path: path as string, region: String(o.region ?? 'us-east-1') } };
  }
  const port = Number(o.port ?? 80);
  if (!Number.isInteger(port) || !(port === 80 || port === 443 || (port >= 1024 && port <= 65535))) fail(MESSAGES.origin);
  const protocol = o.protocol ?? 'http';
  if (protocol !== 'http' && protocol !== 'https') return fail(MESSAGES.origin);
  const readTimeout = Number(o.readTimeout ?? 30);
  const keepaliveTimeout = Number(o.keepaliveTimeout ?? 5);
  if (!(readTimeout >= 1 && readTimeout <= 180) || !(keepaliveTimeout >= 1 && keepaliveTimeout <= 60)) fail(MESSAGES.origin);
  const sslProtocols = Array.isArray(o.sslProtocols) ? o.sslProtocols.map(String) : ['TLSv1.2'];
  return { custom: { customHeaders, domainName: domainName as string, keepaliveTimeout, path: path as string, port, protocol, readTimeout, sslProtocols } };
}

export interface ResponseResult {
  response: CfResponse;
  /** The body, when the function set one (a generated response, or a replaced body). */
  body?: Buffer;
}

/**
 * A response: generated in a request event (`original` undefined) or changed in a response event.
 * `status` is required, 200-599; headers follow the event's rules; `body` (with `bodyEncoding`
 * text or base64) and the headers together stay within 40 KB (viewer events) or 1 MB (origin events).
 */
export function readResponse(result: Obj, event: EdgeEventType, original?: CfResponse): ResponseResult {
  if (!('status' in result)) return fail(MESSAGES.notRequestOrResponse);
  const statusText = String(result.status);
  if (!/^[0-9]{3}$/.test(statusText) || Number(statusText) < 200 || Number(statusText) > 599) fail(MESSAGES.status);
  const description = result.statusDescription;
  if (description !== undefined && typeof description !== 'string') fail(MESSAGES.status);
  const headers = readHeaders(result.headers);
  checkHeaderRules(event, original?.headers, headers);
  const response: CfResponse = {
    status: statusText,
    statusDescription: (description as string | undefined) ?? (original && original.status === statusText ? original.statusDescription : ''),
    headers,
  };
  let body: Buffer | undefined;
  if (result.body !== undefined && result.body !== null) {
    if (typeof result.body !== 'string') fail(MESSAGES.body);
    body = decode(result.body as string, result.bodyEncoding);
  }
  let size = body?.length ?? 0;
  for (const [name, entries] of Object.entries(headers)) for (const e of entries) size += name.length + e.value.length + 4;
  if ((body !== undefined || !original) && size > responseLimit(event)) fail(MESSAGES.body);
  // [doc] A 204 generated in a viewer request may not carry a body.
  if (!original && event === 'viewer-request' && statusText === '204' && body !== undefined && body.length > 0) fail(MESSAGES.noContentBody);
  return { response, body };
}
