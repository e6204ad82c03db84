/**
 * One viewer request through a distribution, with the cache behavior's Lambda@Edge functions at
 * the four events [doc: "CloudFront events that can trigger a Lambda@Edge function"]:
 *
 *   viewer-request  -> may rewrite the request, or generate the response (then no other event runs)
 *   origin-request  -> may rewrite the request (uri, query string, headers, body, origin), or
 *                      generate the response (then no origin, no origin-response)
 *   origin          -> the custom origin over loopback
 *   origin-response -> may change the response (any status: it runs for origin errors too)
 *   viewer-response -> may change headers and body, not the status; skipped when the status is
 *                      400 or higher and after a response generated in the viewer request
 *
 * Nothing is cached: every request is a miss, so origin events run for every request.
 * A function that throws, crashes or times out is 503 LambdaExecutionError; a throttled one 503
 * LambdaLimitExceeded; an invalid result 502 LambdaValidationError (pages.ts).
 */
import type { CacheBehavior, DefaultCacheBehavior, LambdaFunctionAssociation } from '@aws-sdk/client-cloudfront';
import type { LambdaService } from '../../lambda/service';
import type { RawResponse } from '../../protocols/types';
import type { LogsStore } from '../../services/logs/store';
import type { CloudFrontStore } from '../../services/cloudfront/store';
import { CLOUDFRONT_REGION, type DistributionRecord, type EdgeEventType } from '../../services/cloudfront/types';
import type { DoorRequest } from '../index';
import { invokeForDoor } from '../invoke';
import { originOf, selectBehavior } from './behaviors';
import { edgeEvent, exposedBody, originObject, type CfConfig, type CfRequest, type CfResponse, type EdgeEvent } from './event';
import { originRequestParts } from './forwarding';
import { cfHeadersFromLines, linesFromCf, rawLines, valuesOf } from './headers';
import { fetchOrigin, type OriginTarget } from './origin';
import { EDGE_HOST, edgeHeaders, errorPage, newEdgeRequestId, PAGE, VIA_ORIGIN, type CacheResult } from './pages';
import { EdgeValidationError, isResponseResult, parseResult, readRequest, readResponse, type ResponseResult } from './results';

export interface EdgeDeps {
  store: CloudFrontStore;
  lambda: LambdaService;
  /** Where CloudFront writes invalid-function-response lines (`/aws/cloudfront/LambdaEdge/<id>`). */
  logs?: LogsStore;
}

type Step<T> = { ok: true; value: T } | { ok: false; answer: RawResponse };

/**
 * A request that already went through this cloud's CloudFront this many times is a loop (an origin
 * pointing back at a distribution): answered as an origin that cannot be reached (a local safeguard).
 */
const MAX_HOPS = 8;

/** Hop-by-hop headers CloudFront does not pass on (the server sets Content-Length). */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade', 'te', 'trailer']);

class Exchange {
  readonly requestId = newEdgeRequestId();
  readonly head: boolean;
  readonly assocs = new Map<EdgeEventType, LambdaFunctionAssociation>();

  constructor(
    readonly deps: EdgeDeps,
    readonly dist: DistributionRecord,
    readonly r: DoorRequest,
    readonly behavior: DefaultCacheBehavior | CacheBehavior,
  ) {
    this.head = r.req.method === 'HEAD';
    for (const a of behavior.LambdaFunctionAssociations?.Items ?? []) this.assocs.set(a.EventType as EdgeEventType, a);
  }

  page(status: number, message: string, result: CacheResult): RawResponse {
    return errorPage(status, message, result, this.requestId, this.head);
  }

  config(eventType: EdgeEventType): CfConfig {
    return { distributionDomainName: this.dist.domainName, distributionId: this.dist.id, eventType, requestId: this.requestId };
  }

  /** Run the event's function synchronously, in us-east-1; its result as a JSON object. */
  async run(type: EdgeEventType, event: EdgeEvent): Promise<Step<Record<string, unknown>>> {
    const a = this.assocs.get(type)!;
    const outcome = await invokeForDoor(this.deps.lambda, {
      functionArn: a.LambdaFunctionARN ?? '',
      region: CLOUDFRONT_REGION,
      accountId: this.deps.store.accountId,
      event,
      trigger: 'cloudfront',
      endpoint: this.r.endpoint,
      // Lambda@Edge replicas log to /aws/lambda/<region>.<name> [doc] (the region serving the viewer: us-east-1 here).
      logGroupName: `/aws/lambda/${CLOUDFRONT_REGION}.${functionNameOf(a.LambdaFunctionARN ?? '')}`,
    });
    if (outcome.kind === 'refused' && outcome.error.code === 'TooManyRequestsException') {
      return { ok: false, answer: this.page(503, PAGE.lambdaThrottled, 'LambdaLimitExceeded') };
    }
    if (outcome.kind !== 'response') return { ok: false, answer: this.page(503, PAGE.lambdaExecution, 'LambdaExecutionError') };
    return this.check(() => parseResult(outcome.payload));
  }

  /** A validation step: its value, or CloudFront's 502 page with the failure's line. */
  check<T>(fn: () => T): Step<T> {
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      if (!(e instanceof EdgeValidationError)) throw e;
      this.logValidationError(e.message);
      return { ok: false, answer: this.page(502, e.message, 'LambdaValidationError') };
    }
  }

  /**
   * [doc] CloudFront writes invalid function responses to the log group
   * `/aws/cloudfront/LambdaEdge/<DistributionId>` of the Region the function ran in; the line form is
   * `(<request id>) ERROR Validation error: ...` [obs]; the stream name is unconfirmed.
   */
  private logValidationError(message: string): void {
    const logs = this.deps.logs;
    if (!logs) return;
    const now = this.deps.store.clock.now();
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '/');
    logs.put(CLOUDFRONT_REGION, this.deps.store.accountId, `/aws/cloudfront/LambdaEdge/${this.dist.id}`, `${day}/${CLOUDFRONT_REGION}`, [
      { timestamp: now, message: `(${this.requestId}) ERROR Validation error: ${message}` },
    ]);
  }

  /** The answer to the viewer: the response's headers, CloudFront's own, the body (none for HEAD). */
  answer(response: CfResponse, body: Buffer, result: CacheResult): RawResponse {
    const lines = linesFromCf(response.headers).filter(([k]) => !HOP.has(k.toLowerCase()) && k.toLowerCase() !== 'via');
    return {
      status: Number(response.status),
      ...(response.statusDescription ? { statusMessage: response.statusDescription } : {}),
      headers: {},
      multiHeaders: [...lines, ...edgeHeaders(result, this.requestId, valuesOf(response.headers, 'via'))],
      body: this.head ? '' : body,
    };
  }
}

/** The request with the body exposed, when the association includes it. */
function withBody(request: CfRequest, body: Buffer, a: LambdaFunctionAssociation, event: 'viewer-request' | 'origin-request'): CfRequest {
  return a.IncludeBody ? { ...request, body: exposedBody(body, event) } : request;
}

function withoutBody(request: CfRequest): CfRequest {
  const { body: _body, ...rest } = request;
  void _body;
  return rest;
}

export async function serveViewer(deps: EdgeDeps, dist: DistributionRecord, r: DoorRequest): Promise<RawResponse> {
  const req = r.req;
  const config = dist.config;
  const x = new Exchange(deps, dist, r, selectBehavior(config, req.path));
  if (config.Enabled === false) return x.page(403, PAGE.badRequest, 'Error');
  const hops = (req.headers.via ?? '').split(EDGE_HOST).length - 1;
  if (hops >= MAX_HOPS) return x.page(502, PAGE.originConnect, 'Error');
  if (x.behavior.ViewerProtocolPolicy === 'https-only') return x.page(403, PAGE.httpsOnly, 'Error');
  if (x.behavior.ViewerProtocolPolicy === 'redirect-to-https') return redirectToHttps(x);
  if (!(x.behavior.AllowedMethods?.Items ?? ['HEAD', 'GET']).includes(req.method as never)) return x.page(403, PAGE.methodNotAllowed, 'Error');

  // ---- viewer request
  let request: CfRequest = {
    clientIp: req.sourceIp ?? '127.0.0.1',
    headers: cfHeadersFromLines(rawLines(req.rawHeaders, req.headers)),
    method: req.method,
    querystring: req.rawQuery ?? req.query.toString(),
    uri: req.path,
  };
  let body = req.body;
  const vr = x.assocs.get('viewer-request');
  if (vr) {
    const exposed = withBody(request, body, vr, 'viewer-request');
    const step = await x.run('viewer-request', edgeEvent(x.config('viewer-request'), exposed));
    if (!step.ok) return step.answer;
    const result = step.value;
    if (isResponseResult(result)) {
      const generated = x.check(() => readResponse(result, 'viewer-request'));
      if (!generated.ok) return generated.answer;
      return x.answer(generated.value.response, generated.value.body ?? Buffer.alloc(0), 'LambdaGeneratedResponse');
    }
    const read = x.check(() => readRequest(result, 'viewer-request', exposed, vr.IncludeBody === true));
    if (!read.ok) return read.answer;
    request = withoutBody(read.value.request);
    body = read.value.body ?? body;
  }
  if (config.DefaultRootObject && request.uri === '/') request = { ...request, uri: `/${config.DefaultRootObject}` };

  // ---- origin request
  const origin = originOf(config, x.behavior.TargetOriginId);
  if (!origin) return x.page(502, PAGE.originConnect, 'Error');
  const originObj = originObject(origin, 'http');
  const originDomain = 'custom' in originObj ? originObj.custom.domainName : originObj.s3.domainName;
  const parts = originRequestParts(request, x.behavior, originDomain, VIA_ORIGIN);
  let originRequest: CfRequest = { clientIp: request.clientIp, headers: parts.headers, method: request.method, origin: originObj, querystring: parts.querystring, uri: request.uri };
  let generated: ResponseResult | undefined;
  const orq = x.assocs.get('origin-request');
  if (orq) {
    const exposed = withBody(originRequest, body, orq, 'origin-request');
    const step = await x.run('origin-request', edgeEvent(x.config('origin-request'), exposed));
    if (!step.ok) return step.answer;
    const result = step.value;
    if (isResponseResult(result)) {
      const g = x.check(() => readResponse(result, 'origin-request'));
      if (!g.ok) return g.answer;
      generated = g.value;
    } else {
      const read = x.check(() => readRequest(result, 'origin-request', exposed, orq.IncludeBody === true));
      if (!read.ok) return read.answer;
      originRequest = withoutBody(read.value.request);
      body = read.value.body ?? body;
    }
  }

  // ---- origin, origin response
  let response: CfResponse;
  let responseBody: Buffer;
  let result: CacheResult;
  if (generated) {
    response = generated.response;
    responseBody = generated.body ?? Buffer.alloc(0);
    result = 'LambdaGeneratedResponse';
  } else {
    const fetched = await callOrigin(x, originRequest, body);
    if (!fetched.ok) return fetched.answer;
    ({ response, body: responseBody } = fetched.value);
    const ors = x.assocs.get('origin-response');
    if (ors) {
      const step = await x.run('origin-response', edgeEvent(x.config('origin-response'), originRequest, response));
      if (!step.ok) return step.answer;
      const before = response;
      const changed = x.check(() => readResponse(step.value, 'origin-response', before));
      if (!changed.ok) return changed.answer;
      response = changed.value.response;
      if (changed.value.body !== undefined) responseBody = changed.value.body;
    }
    result = Number(response.status) >= 400 ? 'Error' : 'Miss';
  }

  // ---- viewer response
  const vrs = x.assocs.get('viewer-response');
  if (vrs && Number(response.status) < 400) {
    const step = await x.run('viewer-response', edgeEvent(x.config('viewer-response'), request, response));
    if (!step.ok) return step.answer;
    const before = response;
    const changed = x.check(() => readResponse(step.value, 'viewer-response', before));
    if (!changed.ok) return changed.answer;
    // [doc] A viewer-response function cannot change the status: CloudFront keeps the one it had.
    response = { ...changed.value.response, status: before.status, statusDescription: before.statusDescription };
    if (changed.value.body !== undefined) responseBody = changed.value.body;
  }
  return x.answer(response, responseBody, result);
}

async function callOrigin(x: Exchange, request: CfRequest, body: Buffer): Promise<Step<{ response: CfResponse; body: Buffer }>> {
  const o = request.origin!;
  const target: OriginTarget =
    'custom' in o
      ? { protocol: o.custom.protocol, domainName: o.custom.domainName, port: o.custom.port, path: o.custom.path, readTimeout: o.custom.readTimeout }
      : { protocol: 'https', domainName: o.s3.domainName, port: 443, path: o.s3.path, readTimeout: 30 };
  const custom = 'custom' in o ? o.custom.customHeaders : o.s3.customHeaders;
  const headers = linesFromCf({ ...request.headers, ...custom }).filter(([k]) => !HOP.has(k.toLowerCase()));
  if (body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(request.method)) headers.push(['Content-Length', String(body.length)]);
  headers.push(['X-Amz-Cf-Id', x.requestId]);
  const fetched = await fetchOrigin(target, { method: request.method, uri: request.uri, querystring: request.querystring, headers, body }, x.deps.store.clock);
  if (!fetched.ok) {
    if (fetched.kind === 'dns') return { ok: false, answer: x.page(502, PAGE.originDns, 'Error') };
    if (fetched.kind === 'connect') return { ok: false, answer: x.page(502, PAGE.originConnect, 'Error') };
    return { ok: false, answer: x.page(504, PAGE.originTimeout, 'Error') };
  }
  const response: CfResponse = { status: String(fetched.status), statusDescription: fetched.statusMessage, headers: cfHeadersFromLines(fetched.headers) };
  return { ok: true, value: { response, body: fetched.body } };
}

function redirectToHttps(x: Exchange): RawResponse {
  const req = x.r.req;
  const location = `https://${req.headers.host ?? x.dist.domainName}${req.path}${req.rawQuery ? `?${req.rawQuery}` : ''}`;
  const body = '<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>CloudFront</center>\r\n</body>\r\n</html>\r\n';
  return {
    status: 301,
    statusMessage: 'Moved Permanently',
    headers: {},
    multiHeaders: [['Server', 'CloudFront'], ['Content-Type', 'text/html'], ['Location', location], ...edgeHeaders('Redirect', x.requestId)],
    body: x.head ? '' : body,
  };
}

/** The function name in a function ARN (`arn:aws:lambda:us-east-1:123:function:name:1` -> `name`). */
function functionNameOf(arn: string): string {
  return arn.split(':')[6] ?? arn;
}
