/**
 * Payload format 1.0 as HTTP APIs send it [doc "Working with AWS Lambda proxy integrations for HTTP
 * APIs", format 1.0]: REST API's proxy event with `version: "1.0"` and HTTP API's requestContext
 * (domainName, domainPrefix, extendedRequestId, protocol, requestTime; `authorizer` `{claims: null,
 * scopes: null}` without an authorizer; `resourceId: null`). Header names are lower-cased [doc];
 * repeated headers and query parameters keep every value in the multiValue* members and their last
 * value in the single-valued ones. A named stage is part of `path` and `requestContext.path`, as
 * HTTP APIs send it [obs]. Own adapter: the REST door's v1 event differs in requestContext.
 *
 * Response [doc: "Lambda function response for format 1.0"]: `{statusCode, headers,
 * multiValueHeaders, body, isBase64Encoded}`; a result without a valid statusCode, or with headers,
 * multiValueHeaders or body of the wrong type, is malformed (the door answers 500). When a header is
 * in both maps the multiValueHeaders values are sent [doc, REST APIs' rule]. Pure functions.
 */
import type { RawRequest } from '../../protocols/types';
import { headerLines, queryPairs } from '../http';
import { formatRequestTime, isTextContentType } from '../payloads/v2';
import { v1Identity } from '../payloads/v1';

export interface V1EventInput {
  req: RawRequest;
  domainName: string;
  domainPrefix: string;
  apiId: string;
  accountId: string;
  requestId: string;
  timeEpoch: number;
  /** The route's path template ("/items/{id}"); the request path for the `$default` route. */
  resource: string;
  /** The path as sent (a named stage included). */
  path: string;
  stage: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  /** requestContext.authorizer (default `{claims: null, scopes: null}`). */
  authorizer?: Record<string, unknown>;
  extraHeaders?: [string, string][];
}

export function buildV1Event(o: V1EventInput): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of [...headerLines(o.req), ...(o.extraHeaders ?? [])]) {
    headers[k] = v;
    (multiValueHeaders[k] ??= []).push(v);
  }
  const pairs = queryPairs(o.req);
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  for (const [k, v] of pairs) {
    (query ??= {})[k] = v;
    ((multiQuery ??= {})[k] ??= []).push(v);
  }
  const body = o.req.body;
  const text = body.length === 0 || isTextContentType(headers['content-type']);
  const userAgent = headers['user-agent'] ?? null;
  return {
    version: '1.0',
    resource: o.resource,
    path: o.path,
    httpMethod: o.req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    requestContext: {
      accountId: o.accountId,
      apiId: o.apiId,
      authorizer: o.authorizer ?? { claims: null, scopes: null },
      domainName: o.domainName,
      domainPrefix: o.domainPrefix,
      extendedRequestId: o.requestId,
      httpMethod: o.req.method,
      identity: v1Identity(o.req.sourceIp ?? '127.0.0.1', userAgent),
      path: o.path,
      protocol: o.req.protocol ?? 'HTTP/1.1',
      requestId: o.requestId,
      requestTime: formatRequestTime(o.timeEpoch),
      requestTimeEpoch: o.timeEpoch,
      resourceId: null,
      resourcePath: o.resource,
      stage: o.stage,
    },
    pathParameters: o.pathParameters && Object.keys(o.pathParameters).length > 0 ? o.pathParameters : null,
    stageVariables: o.stageVariables && Object.keys(o.stageVariables).length > 0 ? o.stageVariables : null,
    body: body.length === 0 ? null : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !text,
  };
}

export interface V1Response {
  status: number;
  headers: Record<string, string>;
  multiHeaders: [string, string][];
  body: Buffer;
}

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

export function mapV1Response(payload: Buffer, opts: { defaultContentType?: string | null } = {}): V1Response | { malformed: string } {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return { malformed: 'The response is not valid JSON' };
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return { malformed: 'The response must be an object with a statusCode' };
  const r = result as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' && /^\s*\d+\s*$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `Invalid statusCode: ${JSON.stringify(r.statusCode)}` };
  }
  const lines = new Map<string, [string, string][]>();
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return { malformed: 'headers must be an object' };
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      const s = scalar(v);
      if (s === undefined) return { malformed: `header ${k} must be a string` };
      lines.set(k.toLowerCase(), [[k, s]]);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return { malformed: 'multiValueHeaders must be an object' };
    for (const [k, list] of Object.entries(r.multiValueHeaders as Record<string, unknown>)) {
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list)) return { malformed: `multiValueHeaders ${k} must be a list` };
      const values: [string, string][] = [];
      for (const v of list) {
        const s = scalar(v);
        if (s === undefined) return { malformed: `multiValueHeaders ${k} must hold strings` };
        values.push([k, s]);
      }
      lines.set(k.toLowerCase(), values);
    }
  }
  const headers: Record<string, string> = {};
  const multiHeaders: [string, string][] = [];
  for (const values of lines.values()) {
    if (values.length === 1) headers[values[0][0]] = values[0][1];
    else multiHeaders.push(...values);
  }
  const defaultType = opts.defaultContentType === undefined ? 'application/json' : opts.defaultContentType;
  if (defaultType !== null && !lines.has('content-type')) headers['content-type'] = defaultType;
  let bodyText = '';
  if (r.body !== undefined && r.body !== null) {
    const s = scalar(r.body);
    if (s === undefined) return { malformed: 'body must be a string' };
    bodyText = s;
  }
  const isBase64 = r.isBase64Encoded === true || r.isBase64Encoded === 'true';
  return { status, headers, multiHeaders, body: Buffer.from(bodyText, isBase64 ? 'base64' : 'utf8') };
}
