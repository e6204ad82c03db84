/**
 * The Function URL front door: `<url-id>.lambda-url.<region>.localhost[:port]`.
 *
 *   index.ts   this file: host -> URL config, access, CORS preflight, invocation, HTTP answer
 *   access.ts  AuthType NONE (resource policy) and AWS_IAM (SigV4) checks
 *   cors.ts    the URL's CORS configuration answered by the door
 *   stream.ts  InvokeMode RESPONSE_STREAM (the streaming work's seam)
 *
 * The answers AWS's Function URLs give, with their sources:
 * - unknown url id: 403 `{"Message":null}`, x-amzn-ErrorType AccessDeniedException [rec
 *   TestLambdaURL::test_lambda_url_non_existing_url]; a URL deleted with its alias: 403 with the
 *   troubleshooting message [rec test_lambda_url_persists_after_alias_delete];
 * - access refused: 403 (access.ts);
 * - the function failed (error, timeout, crash) or answered a malformed response: 502 with the
 *   body `Internal Server Error` [rec test_lambda_url_invocation_exception];
 * - Lambda refused the invocation (throttled 429 [doc urls-configuration "Throttling function
 *   URLs"], a request over 6 MB 413, not active 409): that status, `{"Message": <Lambda's message>}`
 *   and x-amzn-ErrorType [unverified: the bodies are Lambda's Invoke errors];
 * - otherwise the payload v2.0 mapping (payloads/v2.ts), with x-amzn-RequestId = the invocation's
 *   request id [rec TestRequestIdHandling::test_request_id_invoke_url].
 */
import { freshTraceHeader } from '../../lambda/async';
import type { LambdaService } from '../../lambda/service';
import { findFunctionUrl } from '../../lambda/urls';
import type { RawResponse } from '../../protocols/types';
import { ACCOUNT_ID } from '../../protocols/types';
import type { DoorRequest, FrontDoor } from '../index';
import { invokeForDoor, type DoorInvocation } from '../invoke';
import { buildV2Event, mapV2Response } from '../payloads/v2';
import { checkAccess, FORBIDDEN_TROUBLESHOOTING } from './access';
import { type CorsConfig, isPreflight, overlay, preflightHeaders, responseHeaders } from './cors';
import { answerStreaming } from './stream';
import { randomUUID } from 'node:crypto';

const HOST_RE = /^([a-z0-9]+)\.lambda-url\.([a-z0-9-]+)\.localhost$/;

/** Headers the URL does not pass on to the function [rec: `connection` is not among the event's headers]. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection'];

function json(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function denied(message: string | null, requestId: string): RawResponse {
  return json(403, { Message: message }, { 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': requestId });
}

function badGateway(requestId: string, extra: Record<string, string> = {}): RawResponse {
  return { status: 502, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...extra }, body: 'Internal Server Error' };
}

export function functionUrlDoor(lambda: LambdaService): FrontDoor {
  return {
    name: 'function-url',
    handle: (r) => {
      const m = HOST_RE.exec(r.host);
      if (!m) return undefined;
      return answer(lambda, r, m[1], m[2]);
    },
  };
}

async function answer(lambda: LambdaService, r: DoorRequest, urlId: string, region: string): Promise<RawResponse> {
  const req = r.req;
  const requestId = randomUUID();
  const found = findFunctionUrl(lambda, urlId, region);
  if (found.kind === 'unknown') return denied(null, requestId);
  if (found.kind === 'gone') return denied(FORBIDDEN_TROUBLESHOOTING, requestId);
  const { fn, qualifier, config } = found;

  const cors = config.cors as CorsConfig | undefined;
  if (cors && isPreflight(req.method, req.headers)) {
    return { status: 200, headers: { 'x-amzn-requestid': requestId, ...preflightHeaders(cors, req.headers) }, body: '' };
  }

  const access = checkAccess(config.authType, fn.policies.get(qualifier), req, ACCOUNT_ID);
  if (!access.ok) return denied(access.message, requestId);

  const now = lambda.clock.now();
  const traceHeader = req.headers['x-amzn-trace-id'] ?? freshTraceHeader(now).split(';')[0];
  const event = buildV2Event({
    req,
    domainName: r.host,
    domainPrefix: urlId,
    apiId: urlId,
    accountId: access.accountId,
    requestId,
    timeEpoch: now,
    routeKey: '$default',
    rawPath: req.path || '/',
    stage: '$default',
    authorizer: access.authorizer,
    dropHeaders: HOP_BY_HOP,
    // [rec] AWS adds these (and x-amzn-tls-* on its TLS endpoint; this door is plain HTTP).
    extraHeaders: [
      ...(req.headers['x-amzn-trace-id'] ? [] : ([['x-amzn-trace-id', traceHeader]] as [string, string][])),
      ['x-forwarded-for', req.sourceIp ?? '127.0.0.1'],
      ['x-forwarded-proto', 'http'],
      ['x-forwarded-port', r.port],
    ],
  });
  const corsHeaders = cors ? responseHeaders(cors, req.headers) : {};
  const invocation: DoorInvocation = {
    functionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn,
    region: fn.region,
    accountId: fn.accountId,
    event,
    trigger: 'function-url',
    endpoint: r.endpoint,
    traceHeader,
    requestId,
  };
  if (config.invokeMode === 'RESPONSE_STREAM') return answerStreaming(lambda, invocation, corsHeaders);

  const out = await invokeForDoor(lambda, invocation);
  const idHeaders = { 'x-amzn-requestid': out.requestId, 'x-amzn-trace-id': traceHeader };
  switch (out.kind) {
    case 'refused':
      return json(out.error.status, { Message: out.error.message }, { 'x-amzn-errortype': out.error.code, ...idHeaders });
    case 'function-error':
    case 'timeout':
      return badGateway(out.requestId, { 'x-amzn-trace-id': traceHeader });
    case 'response': {
      const mapped = mapV2Response(out.payload);
      if ('malformed' in mapped) return badGateway(out.requestId, { 'x-amzn-trace-id': traceHeader });
      return {
        status: mapped.status,
        headers: { ...overlay(mapped.headers, corsHeaders), ...idHeaders },
        multiHeaders: mapped.multiHeaders,
        body: req.method === 'HEAD' ? Buffer.alloc(0) : mapped.body,
      };
    }
  }
}
