/**
 * Payload format version 1.0: the Lambda proxy event API Gateway REST APIs send a function
 * (AWS_PROXY integrations), and how the door turns the function's result into the HTTP response.
 * Pure functions, no state; HTTP APIs' format 1.0 can build on them (their requestContext differs).
 *
 *   buildV1Event(p: V1EventParts): V1Event
 *     The event, keys in AWS's order: resource, path, httpMethod, headers, multiValueHeaders,
 *     queryStringParameters, multiValueQueryStringParameters, pathParameters, stageVariables,
 *     requestContext, body, isBase64Encoded. Empty maps are null [rec]. `headerLines` are the
 *     lines the door passes on (names as sent, the door's own added); `queryPairs` decoded.
 *     `base64`: the body goes base64 with isBase64Encoded true (REST APIs: when the request's
 *     Content-Type is one of the API's binaryMediaTypes, see matchesBinaryMediaType).
 *
 *   v1HeaderMaps(lines): { headers, multiValueHeaders }             last value wins in `headers`
 *   v1QueryMaps(pairs): { queryStringParameters, multiValueQueryStringParameters }
 *   matchesBinaryMediaType(contentType, binaryMediaTypes): boolean  "image/png", "image/*", "*\/*"
 *   mapV1Response(payload, { decodeBase64 }): V1Mapped | { malformed }
 *     The function's result `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}`:
 *     every member optional (statusCode 200), no other member allowed; statusCode an integer or a
 *     string of one; header values strings (booleans and numbers written out), multiValueHeaders
 *     values lists; body a string. Anything else is malformed (REST APIs answer 502) [rec:
 *     test_aws_proxy_response_payload_format_validation]. A header in both maps is sent with the
 *     multiValueHeaders values first, then the headers value, under the multiValueHeaders name
 *     [rec]. `decodeBase64`: decode the body when isBase64Encoded (REST APIs: only when the
 *     request's Accept matches a binary media type; otherwise the base64 text is sent as it is [rec]).
 *
 * Sources: [rec] LocalStack's AWS-recorded snapshots (tests/aws/services/apigateway/
 * test_apigateway_lambda.snapshot.json); [doc] "Input format of a Lambda function for proxy
 * integration" and "Output format of a Lambda function for proxy integration".
 */

export interface V1EventParts {
  /** The resource path template ("/pets/{id}", "/{proxy+}"). */
  resource: string;
  /** The request path without the stage, as sent ("/pets/1"); a leading "//" collapsed to "/" [rec]. */
  path: string;
  httpMethod: string;
  headerLines: [string, string][];
  queryPairs: [string, string][];
  pathParameters?: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
  requestContext: Record<string, unknown>;
  body: Buffer;
  base64: boolean;
}

export interface V1Event {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface V1Mapped {
  status: number;
  /** Response header lines in order, repeats kept (names as the function gave them). */
  headerLines: [string, string][];
  body: Buffer;
}

/** Headers by name (the first casing seen; names compared case-insensitively), last value wins in `headers`. */
export function v1HeaderMaps(lines: [string, string][]): { headers: Record<string, string> | null; multiValueHeaders: Record<string, string[]> | null } {
  if (lines.length === 0) return { headers: null, multiValueHeaders: null };
  const names = new Map<string, string>();
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of lines) {
    const lower = k.toLowerCase();
    const name = names.get(lower) ?? k;
    names.set(lower, name);
    headers[name] = v;
    (multi[name] ??= []).push(v);
  }
  return { headers, multiValueHeaders: multi };
}

/** Query parameters, last value wins in the single-valued map [rec]. */
export function v1QueryMaps(pairs: [string, string][]): {
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
} {
  if (pairs.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

const nullIfEmpty = <T extends object>(o: T | null | undefined): T | null => (o && Object.keys(o).length ? o : null);

export function buildV1Event(p: V1EventParts): V1Event {
  const { headers, multiValueHeaders } = v1HeaderMaps(p.headerLines);
  const { queryStringParameters, multiValueQueryStringParameters } = v1QueryMaps(p.queryPairs);
  return {
    resource: p.resource,
    path: p.path,
    httpMethod: p.httpMethod,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: nullIfEmpty(p.pathParameters),
    stageVariables: nullIfEmpty(p.stageVariables),
    requestContext: p.requestContext,
    body: p.body.length === 0 ? null : p.base64 ? p.body.toString('base64') : p.body.toString('utf8'),
    isBase64Encoded: p.base64,
  };
}

/** Whether a media type (a Content-Type or one Accept entry) is one of the binary media types. */
export function matchesBinaryMediaType(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  const [type, subtype] = mime.split('/');
  return binaryMediaTypes.some((b) => {
    const [bt, bs] = b.trim().toLowerCase().split('/');
    return (bt === '*' || bt === type) && (bs === '*' || bs === subtype);
  });
}

const ALLOWED = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function headerValue(v: unknown): string | undefined | false {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return false;
}

/** The function's result as the HTTP response, or why it is malformed. */
export function mapV1Response(payload: Buffer, opts: { decodeBase64: boolean }): V1Mapped | { malformed: string } {
  let r: unknown;
  try {
    r = JSON.parse(payload.toString('utf8'));
  } catch {
    return { malformed: 'the result is not JSON' };
  }
  if (!isObj(r)) return { malformed: 'the result is not a JSON object' };
  const extra = Object.keys(r).find((k) => !ALLOWED.has(k));
  if (extra) return { malformed: `unexpected member ${JSON.stringify(extra)}` };

  let status = 200;
  if (r.statusCode !== undefined && r.statusCode !== null) {
    const n = typeof r.statusCode === 'number' ? r.statusCode : typeof r.statusCode === 'string' && /^\s*\d+\s*$/.test(r.statusCode) ? Number(r.statusCode) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) return { malformed: `invalid statusCode ${JSON.stringify(r.statusCode)}` };
    status = n;
  }

  const single: [string, string][] = [];
  if (r.headers !== undefined && r.headers !== null) {
    if (!isObj(r.headers)) return { malformed: 'headers is not an object' };
    for (const [k, v] of Object.entries(r.headers)) {
      const s = headerValue(v);
      if (s === false) return { malformed: `header ${k} is not a string` };
      if (s !== undefined) single.push([k, s]);
    }
  }
  const lines: [string, string][] = [];
  const taken = new Set<string>();
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (!isObj(r.multiValueHeaders)) return { malformed: 'multiValueHeaders is not an object' };
    for (const [k, values] of Object.entries(r.multiValueHeaders)) {
      if (values === null) continue;
      if (!Array.isArray(values)) return { malformed: `multiValueHeaders ${k} is not a list` };
      for (const v of values) {
        const s = headerValue(v);
        if (s === false) return { malformed: `multiValueHeaders ${k} holds a non-string` };
        if (s !== undefined) lines.push([k, s]);
      }
      const same = single.find(([name]) => name.toLowerCase() === k.toLowerCase());
      if (same) lines.push([k, same[1]]);
      taken.add(k.toLowerCase());
    }
  }
  for (const [k, v] of single) if (!taken.has(k.toLowerCase())) lines.push([k, v]);

  let text = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body === 'string') text = r.body;
    else if (typeof r.body === 'number' || typeof r.body === 'boolean') text = String(r.body);
    else return { malformed: 'body is not a string' };
  }
  let body = Buffer.from(text, 'utf8');
  if (r.isBase64Encoded === true && opts.decodeBase64) {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return { malformed: 'body is not base64' };
    body = Buffer.from(compact, 'base64');
  }
  return { status, headerLines: lines, body };
}

/**
 * The caller as a v1.0 event's requestContext.identity shows it [rec] (REST APIs, and HTTP APIs'
 * payload format 1.0); apiKey/apiKeyId when a key was used.
 */
export function v1Identity(sourceIp: string, userAgent: string | null, apiKey?: { value: string; id: string }): Record<string, unknown> {
  return {
    accessKey: null,
    accountId: null,
    ...(apiKey ? { apiKey: apiKey.value, apiKeyId: apiKey.id } : {}),
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
