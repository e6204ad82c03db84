/**
 * Payload format version 2.0: the event Lambda Function URLs and API Gateway HTTP APIs send a
 * function, and how they turn its result into the HTTP response. Pure functions, no state.
 *
 *   buildV2Event(o: {
 *     req: RawRequest;            // the HTTP request as received (rawHeaders/rawQuery used when present)
 *     domainName: string;         // "<url-id>.lambda-url.<region>.localhost" / "<api-id>.execute-api.localhost"
 *     domainPrefix: string;       // "<url-id>" / "<api-id>"
 *     apiId: string;              // the url id (Function URLs) or the API id
 *     accountId: string;          // "anonymous" for a Function URL with AuthType NONE; the signer's or owner's account otherwise
 *     requestId: string;
 *     timeEpoch: number;          // ms, from the cloud's clock
 *     routeKey: string;           // "$default" or "GET /pets/{id}"
 *     rawPath: string;            // the path as sent (percent-encoding kept); HTTP APIs include a named stage
 *     stage: string;              // "$default" or the stage name
 *     httpPath?: string;          // requestContext.http.path (default: rawPath)
 *     pathParameters?: Record<string,string>;
 *     stageVariables?: Record<string,string>;
 *     authorizer?: unknown;       // requestContext.authorizer ({iam:{...}}, {jwt:{...}}, {lambda:{...}}); absent when undefined
 *     authentication?: unknown;   // requestContext.authentication (mTLS); absent when undefined
 *     extraHeaders?: [string,string][]; // headers the front door adds (x-forwarded-*, x-amzn-trace-id), appended after the client's
 *     dropHeaders?: string[];     // lower-case names the front door does not pass on (hop-by-hop: connection)
 *   }): Record<string, unknown>
 *
 *   mapV2Response(payload: Buffer, opts?: { defaultContentType?: string | null })
 *     : { status; headers: Record<string,string>; multiHeaders: [string,string][]; body: Buffer } | { malformed: string }
 *
 *   isTextContentType(contentType: string | undefined): boolean   // the body-as-text rule
 *   formatRequestTime(epochMs: number): string                    // "12/Mar/2020:19:03:58 +0000"
 *
 * Sources: [doc] "Lambda function URL invocation payloads" (urls-invocation.html#urls-payloads) and
 * API Gateway "Working with AWS Lambda proxy integrations for HTTP APIs" (format 2.0);
 * [rec] LocalStack's AWS-recorded snapshots (tests/aws/services/lambda_/test_lambda.snapshot.json,
 * TestLambdaURL::test_lambda_url_invocation[*]); [obs] third-party checks against AWS, noted inline.
 */
import type { RawRequest } from '../../protocols/types';
import { headerLines, queryPairs } from '../http';

export interface V2EventInput {
  req: RawRequest;
  domainName: string;
  domainPrefix: string;
  apiId: string;
  accountId: string;
  requestId: string;
  timeEpoch: number;
  routeKey: string;
  rawPath: string;
  stage: string;
  httpPath?: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  authorizer?: unknown;
  authentication?: unknown;
  extraHeaders?: [string, string][];
  dropHeaders?: string[];
}

export interface V2Response {
  status: number;
  /** Single-valued response headers, names as the function gave them. */
  headers: Record<string, string>;
  /** Repeated header lines: one `set-cookie` per entry of the result's `cookies`. */
  multiHeaders: [string, string][];
  body: Buffer;
}

export type V2Mapped = V2Response | { malformed: string };

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** requestContext.time: "12/Mar/2020:19:03:58 +0000" (UTC) [doc]. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * Whether a request body of this Content-Type reaches the function as text (isBase64Encoded false).
 * [doc] "If the content type of the request is binary, the body is base64-encoded"; the docs do not
 * list the types. [obs] checked against AWS (ministackorg/ministack#766, HTTP API payload 2.0): text
 * only for text/*, application/json, application/xml and application/javascript; everything else,
 * a missing Content-Type and application/x-www-form-urlencoded included, is base64.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime.startsWith('text/') || mime === 'application/json' || mime === 'application/xml' || mime === 'application/javascript';
}

/** The payload format 2.0 event, keys in AWS's order [doc]; empty parts left out as AWS leaves them out. */
export function buildV2Event(o: V2EventInput): Record<string, unknown> {
  const lines = headerLines(o.req);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const drop = new Set(o.dropHeaders ?? []);
  for (const [k, v] of [...lines, ...(o.extraHeaders ?? [])]) {
    if (drop.has(k)) continue;
    if (k === 'cookie') {
      // [doc] "cookies: An array containing all cookies sent as part of the request"; the Cookie
      // header itself is not among the headers.
      for (const c of v.split(';')) {
        const t = c.trim();
        if (t) cookies.push(t);
      }
      continue;
    }
    // [doc] "Multi-value headers are concatenated into a single string" ("value1,value2").
    headers[k] = k in headers ? `${headers[k]},${v}` : v;
  }

  const query: Record<string, string> = {};
  let hasQuery = false;
  for (const [k, v] of queryPairs(o.req)) {
    hasQuery = true;
    // [doc] repeated parameters: "parameter1": "value1,value2".
    query[k] = k in query ? `${query[k]},${v}` : v;
  }
  const rawQueryString = o.req.rawQuery ?? o.req.query.toString();

  const requestContext: Record<string, unknown> = { accountId: o.accountId, apiId: o.apiId };
  if (o.authentication !== undefined) requestContext.authentication = o.authentication;
  if (o.authorizer !== undefined) requestContext.authorizer = o.authorizer;
  requestContext.domainName = o.domainName;
  requestContext.domainPrefix = o.domainPrefix;
  requestContext.http = {
    method: o.req.method,
    path: o.httpPath ?? o.rawPath,
    protocol: o.req.protocol ?? 'HTTP/1.1',
    sourceIp: o.req.sourceIp ?? '127.0.0.1',
    userAgent: headers['user-agent'] ?? '',
  };
  requestContext.requestId = o.requestId;
  requestContext.routeKey = o.routeKey;
  requestContext.stage = o.stage;
  requestContext.time = formatRequestTime(o.timeEpoch);
  requestContext.timeEpoch = o.timeEpoch;

  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: o.routeKey,
    rawPath: o.rawPath,
    rawQueryString,
  };
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = headers;
  if (hasQuery) event.queryStringParameters = query;
  event.requestContext = requestContext;
  const body = o.req.body;
  let isBase64Encoded = false;
  if (body.length > 0) {
    if (isTextContentType(headers['content-type'])) event.body = body.toString('utf8');
    else {
      event.body = body.toString('base64');
      isBase64Encoded = true;
    }
  }
  if (o.pathParameters && Object.keys(o.pathParameters).length > 0) event.pathParameters = o.pathParameters;
  event.isBase64Encoded = isBase64Encoded;
  if (o.stageVariables && Object.keys(o.stageVariables).length > 0) event.stageVariables = o.stageVariables;
  return event;
}

/**
 * The HTTP response for a function's result [doc]:
 * - an object with `statusCode`: that status (a number or numeric string [rec], 100-599 [doc]),
 *   `headers` (string values; numbers and booleans written out), `cookies` (one set-cookie line
 *   each), `body` (a string; base64-decoded when `isBase64Encoded` is true);
 * - any other valid JSON ("doesn't return a statusCode"): 200, `content-type: application/json`, and
 *   the result as the body: a JSON string as its text (`"hello"` -> `hello`), an object or array as
 *   compact JSON, a number or boolean as written [rec].
 * Without a content-type header the answer carries `application/json` [rec] (opts.defaultContentType
 * changes or, with null, removes it for a door that differs).
 * Malformed (the door answers its own 5xx): a payload that is not JSON, a status outside 100-599 or
 * not a whole number, headers that are not an object of scalars, cookies that are not an array of
 * strings, a body that is an object or array [unverified: AWS documents only the good shapes].
 */
export function mapV2Response(payload: Buffer, opts: { defaultContentType?: string | null } = {}): V2Mapped {
  const defaultType = opts.defaultContentType === undefined ? 'application/json' : opts.defaultContentType;
  const text = payload.toString('utf8');
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch {
    return { malformed: 'The response is not valid JSON' };
  }
  const withDefault = (h: Record<string, string>) => {
    if (defaultType !== null && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = defaultType;
    return h;
  };

  if (result === null || typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
    let body: string;
    if (typeof result === 'string') body = result;
    else if (result !== null && typeof result === 'object') body = JSON.stringify(result);
    else body = text.trim();
    return { status: 200, headers: withDefault({}), multiHeaders: [], body: Buffer.from(body, 'utf8') };
  }

  const r = result as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' && /^\s*\d+\s*$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `Invalid statusCode: ${JSON.stringify(r.statusCode)}` };
  }

  const headers: Record<string, string> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return { malformed: 'headers must be an object' };
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      let value: string;
      if (typeof v === 'string') value = v;
      else if (typeof v === 'number' || typeof v === 'boolean') value = String(v);
      else return { malformed: `header ${k} must be a string` };
      // A name or value HTTP cannot carry [unverified: AWS's answer to one is not documented].
      if (!HEADER_NAME.test(k) || /[\r\n\0]/.test(value)) return { malformed: `header ${k} cannot be sent` };
      // The front door frames the body itself.
      if (FRAMING.has(k.toLowerCase())) continue;
      headers[k] = value;
    }
  }

  const multiHeaders: [string, string][] = [];
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return { malformed: 'cookies must be an array' };
    for (const c of r.cookies) {
      if (typeof c !== 'string' || /[\r\n\0]/.test(c)) return { malformed: 'cookies must be strings HTTP can carry' };
      multiHeaders.push(['set-cookie', c]);
    }
  }

  let bodyText = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body === 'string') bodyText = r.body;
    else if (typeof r.body === 'number' || typeof r.body === 'boolean') bodyText = String(r.body);
    else return { malformed: 'body must be a string' };
  }
  const isBase64 = r.isBase64Encoded === true || r.isBase64Encoded === 'true';
  const body = isBase64 ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
  return { status, headers: withDefault(headers), multiHeaders, body };
}
