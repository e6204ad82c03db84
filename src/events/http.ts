/**
 * The synchronous HTTP front doors' events:
 *   apigateway-v1   REST API Lambda proxy integration [doc][rec: LocalStack's AWS recording of a
 *                   proxy event: deploymentId, domainPrefix, extendedRequestId, identity fields]
 *   apigateway-v2   HTTP API, payload format 2.0 [doc]
 *   function-url    Lambda function URL (the 2.0 format, routeKey/stage "$default"; auth NONE shows
 *                   accountId "anonymous", AWS_IAM adds authorizer.iam) [doc]
 *   alb             Application Load Balancer target group of type lambda, single- or multi-value
 *                   headers [doc]
 * Headers: realistic defaults for the door (v1 edge-optimized APIs add CloudFront's), overridden by
 * `--headers`; a body without a content-type gets application/json when it is JSON, else text/plain.
 */
import { clfTime, resolve, traceRoot, type Resolved } from './context';
import { bool, pairs, str, text } from './options';
import type { EventTemplate, OptionDef, Pairs } from './types';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The options every HTTP door takes. */
const REQUEST_OPTIONS: OptionDef[] = [
  { name: 'method', type: 'string', description: 'HTTP method', default: 'GET', choices: HTTP_METHODS },
  { name: 'path', type: 'string', description: 'request path', default: '/' },
  { name: 'query', type: 'map', pairs: 'query', description: 'query string: "a=1&b=2", a=1 (repeatable) or a JSON object', default: 'none' },
  { name: 'headers', type: 'map', pairs: 'header', description: 'request headers: "Name: value" or name=value (repeatable) or a JSON object; they replace the defaults of the same name' },
  { name: 'body', type: 'json', description: 'request body (text; JSON is kept as its text)', default: 'none' },
  { name: 'base64', type: 'boolean', description: 'send the body base64-encoded (isBase64Encoded true), as for binary content', default: 'false' },
  { name: 'sourceIp', type: 'string', description: "the client's IP address", default: '203.0.113.10' },
  { name: 'userAgent', type: 'string', description: "the client's User-Agent", default: 'curl/8.5.0' },
];

interface Request {
  method: string;
  path: string;
  query: Pairs;
  /** The query string as sent (no "?"). */
  rawQuery: string;
  headers: Pairs;
  body: string | undefined;
  base64: boolean;
  sourceIp: string;
  userAgent: string;
}

function lower(p: Pairs): Pairs {
  return p.map(([k, v]) => [k.toLowerCase(), v]);
}

/** Defaults with the user's headers on top (a user header replaces every default of its name). */
function mergeHeaders(defaults: Pairs, user: Pairs | undefined): Pairs {
  if (!user || user.length === 0) return defaults;
  const names = new Set(user.map(([k]) => k.toLowerCase()));
  return [...defaults.filter(([k]) => !names.has(k.toLowerCase())), ...user];
}

function has(p: Pairs, name: string): boolean {
  return p.some(([k]) => k.toLowerCase() === name);
}

function isJson(textValue: string): boolean {
  try {
    JSON.parse(textValue);
    return true;
  } catch {
    return false;
  }
}

/** The request the options describe, with the door's default headers. */
function request(o: Record<string, unknown>, defaultHeaders: (req: { sourceIp: string; userAgent: string }) => Pairs): Request {
  const sourceIp = str(o, 'sourceIp', '203.0.113.10');
  const userAgent = str(o, 'userAgent', 'curl/8.5.0');
  let path = str(o, 'path', '/');
  if (!path.startsWith('/')) path = `/${path}`;
  const query = pairs(o, 'query') ?? [];
  const bodyText = o.body === undefined || o.body === null ? undefined : text(o, 'body', '');
  const base64 = bool(o, 'base64', false);
  let headers = mergeHeaders(defaultHeaders({ sourceIp, userAgent }), pairs(o, 'headers'));
  if (bodyText !== undefined) {
    const extra: Pairs = [];
    if (!has(headers, 'content-type')) extra.push(['content-type', base64 ? 'application/octet-stream' : isJson(bodyText) ? 'application/json' : 'text/plain']);
    if (!has(headers, 'content-length')) extra.push(['content-length', String(Buffer.byteLength(bodyText))]);
    headers = [...headers, ...extra];
  }
  return {
    method: str(o, 'method', 'GET'),
    path,
    query,
    rawQuery: new URLSearchParams(query).toString(),
    headers,
    body: bodyText === undefined ? undefined : base64 ? Buffer.from(bodyText, 'utf8').toString('base64') : bodyText,
    base64,
    sourceIp,
    userAgent,
  };
}

/** Last value wins (API Gateway v1 `headers`, ALB without multi-value headers). */
function single(p: Pairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of p) out[k] = v;
  return out;
}

function multi(p: Pairs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of p) (out[k] ??= []).push(v);
  return out;
}

/** Repeats joined with commas (payload format 2.0). */
function joined(p: Pairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of p) out[k] = out[k] === undefined ? v : `${out[k]},${v}`;
  return out;
}

// ---------------------------------------------------------------- API Gateway REST API (v1)

function apiGatewayV1(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const apiId = str(o, 'apiId', 'abcdef1234');
  const stage = str(o, 'stage', 'prod');
  const resource = str(o, 'resource', '/{proxy+}');
  const edge = str(o, 'endpointType', 'EDGE') === 'EDGE';
  const host = `${apiId}.execute-api.${r.region}.amazonaws.com`;
  const req = request(o, ({ sourceIp, userAgent }) => {
    const h: Pairs = [['Accept', '*/*']];
    if (edge) {
      h.push(
        ['Accept-Encoding', 'gzip, deflate, br'],
        ['CloudFront-Forwarded-Proto', 'https'],
        ['CloudFront-Is-Desktop-Viewer', 'true'],
        ['CloudFront-Is-Mobile-Viewer', 'false'],
        ['CloudFront-Is-SmartTV-Viewer', 'false'],
        ['CloudFront-Is-Tablet-Viewer', 'false'],
        ['CloudFront-Viewer-ASN', '16509'],
        ['CloudFront-Viewer-Country', 'US'],
      );
    }
    h.push(['Host', host], ['User-Agent', userAgent]);
    if (edge) h.push(['Via', `2.0 ${r.hex(32)}.cloudfront.net (CloudFront)`], ['X-Amz-Cf-Id', `${r.b64(54)}==`]);
    h.push(['X-Amzn-Trace-Id', traceRoot(r)], ['X-Forwarded-For', edge ? `${sourceIp}, 130.176.${r.digits(2)}.${r.digits(2)}` : sourceIp], ['X-Forwarded-Port', '443'], ['X-Forwarded-Proto', 'https']);
    return h;
  });
  const given = pairs(o, 'pathParameters');
  const pathParameters = given && given.length > 0 ? single(given) : resource.includes('{proxy+}') && req.path !== '/' ? { proxy: req.path.slice(1) } : null;
  const stageVariables = pairs(o, 'stageVariables');
  return {
    resource,
    path: req.path,
    httpMethod: req.method,
    headers: single(req.headers),
    multiValueHeaders: multi(req.headers),
    queryStringParameters: req.query.length ? single(req.query) : null,
    multiValueQueryStringParameters: req.query.length ? multi(req.query) : null,
    pathParameters,
    stageVariables: stageVariables && stageVariables.length ? single(stageVariables) : null,
    requestContext: {
      resourceId: r.alnum(6),
      resourcePath: resource,
      httpMethod: req.method,
      extendedRequestId: `${r.b64(15)}=`,
      requestTime: clfTime(r.now),
      path: `/${stage}${req.path}`,
      accountId: r.accountId,
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: apiId,
      requestTimeEpoch: r.now,
      requestId: r.uuid(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.userAgent,
        user: null,
      },
      domainName: host,
      deploymentId: r.alnum(6),
      apiId,
    },
    body: req.body ?? null,
    isBase64Encoded: req.base64,
  };
}

// ---------------------------------------------------------------- payload format 2.0

function v2Event(
  o: Record<string, unknown>,
  r: Resolved,
  door: { host: string; apiId: string; routeKey: string; stage: string; extraContext: Record<string, unknown>; accountId: string },
): Record<string, unknown> {
  const req = request(o, ({ sourceIp, userAgent }) => [
    ['accept', '*/*'],
    ['host', door.host],
    ['user-agent', userAgent],
    ['x-amzn-trace-id', traceRoot(r)],
    ['x-forwarded-for', sourceIp],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ]);
  const headers = lower(req.headers);
  // [doc] cookie headers become `cookies`; the rest join repeats with commas.
  const cookies = headers.filter(([k]) => k === 'cookie').flatMap(([, v]) => v.split(/;\s*/).filter(Boolean));
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: door.routeKey,
    rawPath: req.path,
    rawQueryString: req.rawQuery,
  };
  if (cookies.length) event.cookies = cookies;
  event.headers = joined(headers.filter(([k]) => k !== 'cookie'));
  if (req.query.length) event.queryStringParameters = joined(req.query);
  event.requestContext = {
    accountId: door.accountId,
    apiId: door.apiId,
    ...door.extraContext,
    domainName: door.host,
    domainPrefix: door.apiId,
    http: { method: req.method, path: req.path, protocol: 'HTTP/1.1', sourceIp: req.sourceIp, userAgent: req.userAgent },
    requestId: `${r.b64(15)}=`,
    routeKey: door.routeKey,
    stage: door.stage,
    time: clfTime(r.now),
    timeEpoch: r.now,
  };
  if (req.body !== undefined) event.body = req.body;
  return event;
}

function apiGatewayV2(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const apiId = str(o, 'apiId', 'abcdef1234');
  const stage = str(o, 'stage', '$default');
  const routeKey = str(o, 'routeKey', '$default');
  const event = v2Event(o, r, { host: `${apiId}.execute-api.${r.region}.amazonaws.com`, apiId, routeKey, stage, extraContext: {}, accountId: r.accountId });
  const pathParameters = pairs(o, 'pathParameters');
  if (pathParameters?.length) event.pathParameters = single(pathParameters);
  event.isBase64Encoded = o.base64 === true;
  const stageVariables = pairs(o, 'stageVariables');
  if (stageVariables?.length) event.stageVariables = single(stageVariables);
  return event;
}

function functionUrl(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const urlId = str(o, 'urlId', r.alnum(32));
  const iam = str(o, 'authType', 'NONE') === 'AWS_IAM';
  const extra: Record<string, unknown> = {};
  if (iam) {
    const userId = `AIDA${r.alnum(17).toUpperCase()}`;
    extra.authorizer = {
      iam: {
        accessKey: `AKIA${r.alnum(16).toUpperCase()}`,
        accountId: r.accountId,
        callerId: userId,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: `arn:aws:iam::${r.accountId}:user/example-user`,
        userId,
      },
    };
  }
  const event = v2Event(o, r, {
    host: `${urlId}.lambda-url.${r.region}.on.aws`,
    apiId: urlId,
    routeKey: '$default',
    stage: '$default',
    extraContext: extra,
    // [doc] a URL with auth type NONE shows the caller's account as "anonymous"
    accountId: iam ? r.accountId : 'anonymous',
  });
  event.isBase64Encoded = o.base64 === true;
  return event;
}

// ---------------------------------------------------------------- Application Load Balancer

function alb(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const name = str(o, 'targetGroup', 'lambda-target');
  const multiValue = bool(o, 'multiValue', false);
  const host = `my-alb-${r.digits(10)}.${r.region}.elb.amazonaws.com`;
  const req = request(o, ({ sourceIp, userAgent }) => [
    ['accept', '*/*'],
    ['connection', 'keep-alive'],
    ['host', host],
    ['user-agent', userAgent],
    ['x-amzn-trace-id', traceRoot(r)],
    ['x-forwarded-for', sourceIp],
    ['x-forwarded-port', '80'],
    ['x-forwarded-proto', 'http'],
  ]);
  const headers = lower(req.headers);
  // [doc] the load balancer passes query values as sent (still percent-encoded).
  const query: Pairs = req.query.map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]);
  const event: Record<string, unknown> = {
    requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:${r.region}:${r.accountId}:targetgroup/${name}/${r.hex(16)}` } },
    httpMethod: req.method,
    path: req.path,
  };
  if (multiValue) {
    event.multiValueQueryStringParameters = multi(query);
    event.multiValueHeaders = multi(headers);
  } else {
    event.queryStringParameters = single(query);
    event.headers = single(headers);
  }
  event.body = req.body ?? '';
  event.isBase64Encoded = req.base64;
  return event;
}

// ---------------------------------------------------------------- the templates

const HEADER_MAPS = ['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables'];

export const HTTP_TEMPLATES: EventTemplate[] = [
  {
    name: 'apigateway-v1',
    family: 'http',
    title: 'API Gateway REST API (v1): Lambda proxy integration request',
    options: [
      ...REQUEST_OPTIONS,
      { name: 'resource', type: 'string', description: 'the API resource the request matched', default: '/{proxy+}' },
      { name: 'pathParameters', type: 'map', description: 'path parameters (default: {proxy} for a /{proxy+} resource)' },
      { name: 'stage', type: 'string', description: 'stage name', default: 'prod' },
      { name: 'stageVariables', type: 'map', description: 'stage variables', default: 'none' },
      { name: 'apiId', type: 'string', description: 'REST API id', default: 'abcdef1234' },
      { name: 'endpointType', type: 'string', description: 'EDGE adds the CloudFront headers an edge-optimized API passes', default: 'EDGE', choices: ['EDGE', 'REGIONAL'] },
    ],
    mapPaths: HEADER_MAPS,
    freePaths: ['body'],
    build: (o, ctx) => apiGatewayV1(o, resolve(ctx)),
  },
  {
    name: 'apigateway-v2',
    family: 'http',
    title: 'API Gateway HTTP API (v2): payload format 2.0 request',
    options: [
      ...REQUEST_OPTIONS,
      { name: 'routeKey', type: 'string', description: 'the route that matched, e.g. "POST /items"', default: '$default' },
      { name: 'pathParameters', type: 'map', description: 'path parameters of the route', default: 'none' },
      { name: 'stage', type: 'string', description: 'stage name', default: '$default' },
      { name: 'stageVariables', type: 'map', description: 'stage variables', default: 'none' },
      { name: 'apiId', type: 'string', description: 'HTTP API id', default: 'abcdef1234' },
    ],
    mapPaths: [...HEADER_MAPS, 'requestContext.authorizer.jwt.claims'],
    freePaths: ['body'],
    build: (o, ctx) => apiGatewayV2(o, resolve(ctx)),
  },
  {
    name: 'function-url',
    family: 'http',
    title: 'Lambda function URL request (payload format 2.0)',
    options: [
      ...REQUEST_OPTIONS,
      { name: 'authType', type: 'string', description: "the URL's auth type (AWS_IAM adds requestContext.authorizer.iam)", default: 'NONE', choices: ['NONE', 'AWS_IAM'] },
      { name: 'urlId', type: 'string', description: "the URL's id (its host name's first label)", default: 'random' },
    ],
    mapPaths: HEADER_MAPS,
    freePaths: ['body'],
    build: (o, ctx) => functionUrl(o, resolve(ctx)),
  },
  {
    name: 'alb',
    family: 'http',
    title: 'Application Load Balancer request to a Lambda target group',
    options: [
      ...REQUEST_OPTIONS,
      { name: 'multiValue', type: 'boolean', description: 'the target group has multi-value headers on (multiValueHeaders, multiValueQueryStringParameters)', default: 'false' },
      { name: 'targetGroup', type: 'string', description: 'target group name', default: 'lambda-target' },
    ],
    mapPaths: HEADER_MAPS,
    freePaths: ['body'],
    build: (o, ctx) => alb(o, resolve(ctx)),
  },
];
