/**
 * Lambda@Edge events [doc: CloudFront Developer Guide, "Lambda@Edge event structure"]:
 * `Records[0].cf` with `config` {distributionDomainName, distributionId, eventType, requestId} and
 *   viewer-request    request {clientIp, headers, method, querystring, uri}
 *   origin-request    request {..., origin: {custom | s3}}
 *   origin-response   request (with origin) and response {headers, status, statusDescription}
 *   viewer-response   request (without origin) and response
 * Headers are lists of {key, value} under lower-case names. With IncludeBody on a request trigger,
 * request.body is {inputTruncated, action: "read-only", encoding: "base64", data}.
 */
import { httpDate, resolve, type Resolved } from './context';
import { bool, int, pairs, str, text } from './options';
import type { EventTemplate, OptionDef, Pairs } from './types';

export const CLOUDFRONT_EVENT_TYPES = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const;
export type CloudFrontEventType = (typeof CLOUDFRONT_EVENT_TYPES)[number];

/** [doc] IncludeBody exposes at most this much of a viewer-request body (origin-request: 1 MB). */
const BODY_LIMITS: Record<string, number> = { 'viewer-request': 40_960, 'origin-request': 1_048_576 };

/** Title-Case of a lower-case header name, as CloudFront's `key` shows it. */
function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** CloudFront's header form: lower-case name -> [{key, value}], repeats kept in order. */
export function cfHeaders(p: Pairs): Record<string, { key: string; value: string }[]> {
  const out: Record<string, { key: string; value: string }[]> = {};
  for (const [k, v] of p) (out[k.toLowerCase()] ??= []).push({ key: k === k.toLowerCase() ? titleCase(k) : k, value: v });
  return out;
}

function merge(defaults: Pairs, user: Pairs | undefined): Pairs {
  if (!user?.length) return defaults;
  const names = new Set(user.map(([k]) => k.toLowerCase()));
  return [...defaults.filter(([k]) => !names.has(k.toLowerCase())), ...user];
}

function origin(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const domain = str(o, 'originDomainName', str(o, 'originType', 'custom') === 's3' ? 'example-bucket.s3.amazonaws.com' : 'example.org');
  if (str(o, 'originType', 'custom') === 's3') {
    return { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: domain, path: '', region: r.region } };
  }
  return {
    custom: {
      customHeaders: {},
      domainName: domain,
      keepaliveTimeout: 5,
      path: '',
      port: 443,
      protocol: 'https',
      readTimeout: 30,
      sslProtocols: ['TLSv1.2'],
    },
  };
}

function cloudFrontEvent(type: CloudFrontEventType, o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const distributionId = str(o, 'distributionId', 'EDFDVBD6EXAMPLE');
  const distributionDomainName = str(o, 'distributionDomainName', 'd111111abcdef8.cloudfront.net');
  const clientIp = str(o, 'clientIp', '203.0.113.178');
  const method = str(o, 'method', 'GET');
  const atOrigin = type === 'origin-request' || type === 'origin-response';
  const originDomain = str(o, 'originDomainName', str(o, 'originType', 'custom') === 's3' ? 'example-bucket.s3.amazonaws.com' : 'example.org');
  const viewerHeaders: Pairs = [
    ['host', distributionDomainName],
    ['user-agent', 'curl/8.5.0'],
    ['accept', '*/*'],
  ];
  const originHeaders: Pairs = [
    ['x-forwarded-for', clientIp],
    ['user-agent', 'Amazon CloudFront'],
    ['via', `2.0 ${r.hex(32)}.cloudfront.net (CloudFront)`],
    ['host', originDomain],
    ['cache-control', 'no-cache'],
  ];
  const requestHeaders = merge(atOrigin ? originHeaders : viewerHeaders, pairs(o, 'headers'));
  const request: Record<string, unknown> = { clientIp, headers: cfHeaders(requestHeaders), method };
  if (atOrigin) request.origin = origin(o, r);
  request.querystring = str(o, 'querystring', '');
  request.uri = str(o, 'uri', '/');
  const includeBody = bool(o, 'includeBody', false) || o.body !== undefined;
  if (includeBody && (type === 'viewer-request' || type === 'origin-request')) {
    const data = Buffer.from(text(o, 'body', ''), 'utf8');
    const limit = BODY_LIMITS[type];
    request.body = {
      inputTruncated: data.length > limit,
      action: 'read-only',
      encoding: 'base64',
      data: data.subarray(0, limit).toString('base64'),
    };
  }
  const cf: Record<string, unknown> = {
    config: { distributionDomainName, distributionId, eventType: type, requestId: `${r.b64(54)}==` },
    request,
  };
  if (type === 'origin-response' || type === 'viewer-response') {
    const status = int(o, 'status', 200);
    const responseHeaders: Pairs = [
      ['content-type', 'text/html'],
      ['content-length', '1270'],
      ['date', httpDate(r.now)],
      ['last-modified', httpDate(r.now - 86_400_000)],
      ['etag', `"${r.hex(32)}"`],
      ['server', 'ECS (dca/24A0)'],
    ];
    if (type === 'viewer-response') {
      responseHeaders.push(['x-cache', 'Miss from cloudfront'], ['via', `1.1 ${r.hex(32)}.cloudfront.net (CloudFront)`], ['x-amz-cf-pop', 'SEA19-C1'], ['x-amz-cf-id', `${r.b64(54)}==`]);
    }
    cf.response = {
      headers: cfHeaders(merge(responseHeaders, pairs(o, 'responseHeaders'))),
      status: String(status),
      statusDescription: str(o, 'statusDescription', STATUS_TEXT[status] ?? ''),
    };
  }
  return { Records: [{ cf }] };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

const COMMON: OptionDef[] = [
  { name: 'uri', type: 'string', description: 'request URI (path)', default: '/' },
  { name: 'method', type: 'string', description: 'HTTP method', default: 'GET', choices: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] },
  { name: 'querystring', type: 'string', description: 'query string without "?", e.g. "a=1&b=2"', default: '' },
  { name: 'headers', type: 'map', pairs: 'header', description: 'request headers ("Name: value", repeatable, or a JSON object); replace the defaults of the same name' },
  { name: 'clientIp', type: 'string', description: "the viewer's IP address", default: '203.0.113.178' },
  { name: 'distributionId', type: 'string', description: 'distribution id', default: 'EDFDVBD6EXAMPLE' },
  { name: 'distributionDomainName', type: 'string', description: "the distribution's domain name", default: 'd111111abcdef8.cloudfront.net' },
];
const BODY: OptionDef[] = [
  { name: 'body', type: 'json', description: 'request body (as IncludeBody exposes it, base64-encoded in the event)', default: 'none' },
  { name: 'includeBody', type: 'boolean', description: 'the association has IncludeBody (an empty body when --body is not given)', default: 'false' },
];
const ORIGIN: OptionDef[] = [
  { name: 'originType', type: 'string', description: 'custom (HTTP) origin or S3 origin', default: 'custom', choices: ['custom', 's3'] },
  { name: 'originDomainName', type: 'string', description: "the origin's domain name", default: 'example.org' },
];
const RESPONSE: OptionDef[] = [
  { name: 'status', type: 'integer', description: 'response status', default: '200', min: 100, max: 599 },
  { name: 'statusDescription', type: 'string', description: 'response reason phrase', default: 'OK' },
  { name: 'responseHeaders', type: 'map', pairs: 'header', description: 'response headers ("Name: value", repeatable, or a JSON object)' },
];

const OPTIONS: Record<CloudFrontEventType, OptionDef[]> = {
  'viewer-request': [...COMMON, ...BODY],
  'origin-request': [...COMMON, ...BODY, ...ORIGIN],
  'origin-response': [...COMMON, ...ORIGIN, ...RESPONSE],
  'viewer-response': [...COMMON, ...RESPONSE],
};

const TITLES: Record<CloudFrontEventType, string> = {
  'viewer-request': 'CloudFront Lambda@Edge viewer-request event',
  'origin-request': 'CloudFront Lambda@Edge origin-request event',
  'origin-response': 'CloudFront Lambda@Edge origin-response event',
  'viewer-response': 'CloudFront Lambda@Edge viewer-response event',
};

export const CLOUDFRONT_TEMPLATES: EventTemplate[] = CLOUDFRONT_EVENT_TYPES.map((type) => ({
  name: `cloudfront-${type}`,
  family: 'cloudfront',
  title: TITLES[type],
  options: OPTIONS[type],
  mapPaths: ['Records[].cf.request.headers', 'Records[].cf.response.headers', 'Records[].cf.request.origin.custom.customHeaders', 'Records[].cf.request.origin.s3.customHeaders'],
  freePaths: ['Records[].cf.request.body.data'],
  build: (o, ctx) => cloudFrontEvent(type, o, resolve(ctx)),
}));
