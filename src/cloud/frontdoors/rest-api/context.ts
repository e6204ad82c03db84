/**
 * What API Gateway knows about one request before it runs the method: its ids, time, caller,
 * the header lines it passes on (hop-by-hop headers dropped, X-Amzn-Trace-Id and X-Forwarded-*
 * added), and the `requestContext` of the proxy event [rec: test_apigateway_lambda.snapshot.json].
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RawRequest } from '../../protocols/types';
import type { DeployedApi } from '../../services/apigateway/types';
import { formatRequestTime } from '../payloads/v2';
import { v1Identity } from '../payloads/v1';
import { headerLines, queryPairs } from '../http';

/** Dropped before the integration, even by proxy integrations [obs: LocalStack's AWS-checked list]. */
const DROPPED = new Set(['connection', 'content-length', 'content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'www-authenticate']);
/** Passed on title-cased, as CloudFront in front of API Gateway writes them [obs]. */
const TITLE_CASED: Record<string, string> = { authorization: 'Authorization', 'user-agent': 'User-Agent' };

export interface RequestInfo {
  requestId: string;
  extendedRequestId: string;
  /** Virtual epoch ms. */
  epochMs: number;
  requestTime: string;
  /** `Root=1-...;Parent=...;Sampled=0`: the trace id passed to Lambda and sent back. */
  traceId: string;
  sourceIp: string;
  userAgent: string | null;
  domainName: string;
  domainPrefix: string;
  /** Header lines as the integration sees them (names as sent). */
  headers: [string, string][];
  /** Query pairs, decoded. */
  query: [string, string][];
}

/** `x-amz-apigw-id` / extendedRequestId: 16 characters ending in "=" like AWS's ("BHrK2FLcoAMEbJQ="). */
export function newExtendedRequestId(): string {
  return `${randomBytes(12).toString('base64').replace(/[+/]/g, 'A').slice(0, 15)}=`;
}

/** An X-Ray trace header, keeping the caller's Root (and Parent/Sampled) when it sent one. */
export function traceHeader(incoming: string | undefined, epochMs: number): string {
  const parts = Object.fromEntries(
    (incoming ?? '')
      .split(';')
      .map((p) => p.trim().split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k.toLowerCase(), v]),
  );
  const root = parts.root ?? `1-${Math.floor(epochMs / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
  const parent = parts.parent ?? randomBytes(8).toString('hex');
  const sampled = parts.sampled ?? '0';
  return `Root=${root};Parent=${parent};Sampled=${sampled}`;
}

export function requestInfo(req: RawRequest, o: { host: string; port: string; apiId: string; form: string; epochMs: number }): RequestInfo {
  const requestId = randomUUID();
  const lines = headerLines(req);
  const get = (name: string) => lines.find(([k]) => k === name)?.[1];
  const traceId = traceHeader(get('x-amzn-trace-id'), o.epochMs);
  const sourceIp = (req.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, '');
  // Names as sent: headerLines lower-cases them, rawHeaders keeps the original casing.
  const source: [string, string][] = [];
  const raw = req.rawHeaders;
  if (raw) {
    for (let i = 0; i + 1 < raw.length; i += 2) if (!raw[i].startsWith(':')) source.push([raw[i], raw[i + 1]]);
  } else source.push(...lines);
  const headers: [string, string][] = [];
  let forwardedFor: string | undefined;
  for (const [name, value] of source) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower === 'x-amzn-trace-id' || lower.startsWith('x-forwarded-')) {
      if (lower === 'x-forwarded-for') forwardedFor = value;
      continue;
    }
    headers.push([TITLE_CASED[lower] ?? name, value]);
  }
  headers.push(['X-Amzn-Trace-Id', traceId.split(';')[0]]);
  headers.push(['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp]);
  headers.push(['X-Forwarded-Port', o.port]);
  headers.push(['X-Forwarded-Proto', 'http']);
  const domainName = o.form === 'host' ? o.host : `${o.apiId}.execute-api.localhost`;
  return {
    requestId,
    extendedRequestId: newExtendedRequestId(),
    epochMs: o.epochMs,
    requestTime: formatRequestTime(o.epochMs),
    traceId,
    sourceIp,
    userAgent: get('user-agent') ?? null,
    domainName,
    domainPrefix: domainName.split('.')[0],
    headers,
    query: queryPairs(req),
  };
}

/** requestContext of the v1.0 event (and of a REQUEST authorizer's event) [rec]. */
export function requestContext(
  info: RequestInfo,
  o: {
    api: DeployedApi;
    deploymentId: string;
    stage: string;
    httpMethod: string;
    /** The path after the stage, as sent. */
    path: string;
    resourceId: string;
    resourcePath: string;
    apiKey?: { value: string; id: string };
    authorizer?: Record<string, unknown>;
  },
): Record<string, unknown> {
  return {
    accountId: o.api.accountId,
    apiId: o.api.id,
    ...(o.authorizer ? { authorizer: o.authorizer } : {}),
    deploymentId: o.deploymentId,
    domainName: info.domainName,
    domainPrefix: info.domainPrefix,
    extendedRequestId: info.extendedRequestId,
    httpMethod: o.httpMethod,
    identity: v1Identity(info.sourceIp, info.userAgent, o.apiKey),
    path: `/${o.stage}${o.path}`,
    protocol: 'HTTP/1.1',
    requestId: info.requestId,
    requestTime: info.requestTime,
    requestTimeEpoch: info.epochMs,
    resourceId: o.resourceId,
    resourcePath: o.resourcePath,
    stage: o.stage,
  };
}

/** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<VERB>/<path>`: the methodArn authorizers get [doc]. */
export function methodArn(api: DeployedApi, stage: string, httpMethod: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/${stage}/${httpMethod}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The source ARN API Gateway presents to Lambda for an integration: the resource template [obs]. */
export function integrationSourceArn(api: DeployedApi, stage: string, httpMethod: string, resourcePath: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/${stage}/${httpMethod}${resourcePath}`;
}
