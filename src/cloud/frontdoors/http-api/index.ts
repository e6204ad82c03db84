/**
 * The HTTP API front door: requests to `<api-id>.execute-api.localhost[:port]` (the API's
 * ApiEndpoint) and LocalStack's path form `/_aws/execute-api/<api-id>/<path>`, a named stage as the
 * path's first segment and the `$default` stage at the base [doc "Working with stages"].
 *
 *   index.ts             the door: API, stage, CORS preflight, route, authorization, integration
 *   routing.ts           stage and route selection;  cors.ts  CORS answers
 *   lambda-authorizer.ts / jwt.ts   the route's authorizer
 *   integration.ts       the Lambda proxy integration and its outcomes;  v1.ts  payload format 1.0
 *   answers.ts           the API's own `{"message": ...}` answers
 *
 * REST APIs share the host form: this door is registered after theirs and answers 404
 * `{"message":"Not Found"}` for an id no API has. Payload format 2.0 comes from payloads/v2.ts.
 */
import { randomBytes } from 'node:crypto';
import type { LambdaService } from '../../lambda/service';
import type { RawRequest, RawResponse } from '../../protocols/types';
import type { ApiGatewayV2Store } from '../../services/apigatewayv2/store';
import type { ApiRecord, ApiSnapshot, RouteRecord } from '../../services/apigatewayv2/types';
import type { DoorRequest, FrontDoor } from '../index';
import { multiValueHeaders, queryPairs } from '../http';
import { buildV2Event } from '../payloads/v2';
import { answer, newRequestId, type AnswerStatus } from './answers';
import { isPreflight, preflightHeaders, withCorsHeaders } from './cors';
import { callIntegration } from './integration';
import { checkJwt, JwksCache } from './jwt';
import { runLambdaAuthorizer, type AuthorizerRequest } from './lambda-authorizer';
import { selectRoute, selectStage } from './routing';
import { buildV1Event } from './v1';

/** [doc: API Gateway quotas] An HTTP API request's payload is at most 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const HOST = /^([a-z0-9]+)\.execute-api\.localhost$/;
const PATH_FORM = /^\/_aws\/execute-api\/([^/]+)(\/.*)?$/;

/** The API id and the API-relative path (still encoded) a request names, or undefined. */
export function doorTarget(host: string, path: string): { apiId: string; path: string; pathForm: boolean } | undefined {
  const h = HOST.exec(host);
  if (h) return { apiId: h[1], path: path || '/', pathForm: false };
  const p = PATH_FORM.exec(path);
  if (p) return { apiId: p[1], path: p[2] ?? '/', pathForm: true };
  return undefined;
}

function traceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

interface Served {
  api: ApiRecord;
  snapshot: ApiSnapshot;
  stageName: string;
  stageVariables: Record<string, string>;
  route: RouteRecord;
  pathParameters: Record<string, string>;
  /** The stage-relative path (encoded) and the path as the API sees it (the stage included). */
  stagePath: string;
  rawPath: string;
  requestId: string;
  traceHeader: string;
}

export function httpApiDoor(store: ApiGatewayV2Store, lambda: LambdaService): FrontDoor {
  const jwks = new JwksCache(lambda.clock);

  async function serve(r: DoorRequest, target: { apiId: string; path: string }): Promise<RawResponse> {
    const requestId = newRequestId();
    const api = store.byId(target.apiId);
    if (!api || api.protocolType !== 'HTTP') return answer(404, requestId);
    // [doc "Disabling the default endpoint"]: clients of the default endpoint are refused.
    if (api.disableExecuteApiEndpoint) return answer(403, requestId);
    const req = r.req;
    if (req.body.length > MAX_REQUEST_BYTES) return answer(413, requestId);
    const stages = new Set(api.stages.keys());
    const sel = selectStage(stages, target.path);
    const stage = sel && api.stages.get(sel.stage);
    const deployment = stage?.deploymentId ? api.deployments.get(stage.deploymentId) : undefined;
    if (!sel || !stage || !deployment) return answer(404, requestId);
    const snapshot = deployment.snapshot;
    const cors = snapshot.corsConfiguration;
    const match = selectRoute(snapshot.routes, req.method, sel.path);
    if (!match && cors && isPreflight(req)) return { status: 204, headers: { 'apigw-requestid': requestId, ...preflightHeaders(cors, req) }, body: '' };
    const out = match
      ? await route(r, {
          api,
          snapshot,
          stageName: sel.stage,
          stageVariables: stage.stageVariables,
          route: match.route,
          pathParameters: match.pathParameters,
          stagePath: sel.path,
          rawPath: target.path,
          requestId,
          traceHeader: req.headers['x-amzn-trace-id'] ?? traceId(lambda.clock.now()),
        })
      : answer(404, requestId);
    // [doc] With a CORS configuration, the API's headers replace the integration's [unverified: on the API's own answers too].
    if (cors) out.headers = withCorsHeaders(cors, req, out.headers);
    return out;
  }

  /** The route's authorization and integration. */
  async function route(r: DoorRequest, s: Served): Promise<RawResponse> {
    const req = r.req;
    const own = (status: AnswerStatus, headers?: Record<string, string>) => answer(status, s.requestId, headers);
    const integrationId = /^integrations\/(.+)$/.exec(s.route.target ?? '')?.[1];
    const integration = integrationId ? s.snapshot.integrations[integrationId] : undefined;
    // A route without an integration has nothing to serve [unverified: AWS's answer].
    if (!integration) return own(404);

    const now = lambda.clock.now();
    const domainName = HOST.test(r.host) ? r.host : `${s.api.apiId}.execute-api.localhost`;
    const isDefaultRoute = s.route.routeKey === '$default';
    const routePath = isDefaultRoute ? undefined : s.route.routeKey.slice(s.route.routeKey.indexOf(' ') + 1);
    const arnBase = `arn:aws:execute-api:${s.api.region}:${s.api.accountId}:${s.api.apiId}/${s.stageName}`;
    const extraHeaders: [string, string][] = [];
    const sent = multiValueHeaders(req);
    if (!sent['x-amzn-trace-id']) extraHeaders.push(['x-amzn-trace-id', s.traceHeader]);
    if (!sent['x-forwarded-for']) extraHeaders.push(['x-forwarded-for', req.sourceIp ?? '127.0.0.1']);
    if (!sent['x-forwarded-port']) extraHeaders.push(['x-forwarded-port', r.port]);
    if (!sent['x-forwarded-proto']) extraHeaders.push(['x-forwarded-proto', 'http']);
    const common = { req, domainName, domainPrefix: s.api.apiId, apiId: s.api.apiId, accountId: s.api.accountId, requestId: s.requestId, timeEpoch: now };
    const v2Event = (authorizer?: unknown) =>
      buildV2Event({
        ...common,
        routeKey: s.route.routeKey,
        rawPath: s.rawPath,
        stage: s.stageName,
        pathParameters: s.pathParameters,
        stageVariables: s.stageVariables,
        authorizer,
        extraHeaders,
      });
    const v1Event = (authorizer?: Record<string, unknown>) =>
      buildV1Event({
        ...common,
        resource: routePath ?? s.stagePath,
        path: s.rawPath,
        stage: s.stageName,
        pathParameters: s.pathParameters,
        stageVariables: s.stageVariables,
        authorizer,
        extraHeaders,
      });

    // Authorization [doc "Controlling and managing access to an HTTP API"].
    let authorizerV2: unknown;
    let authorizerV1: Record<string, unknown> | undefined;
    const type = s.route.authorizationType;
    if (type === 'AWS_IAM') {
      const auth = req.headers.authorization ?? '';
      const credential = /Credential=([^/,\s]+)\//.exec(auth)?.[1] ?? req.query.get('X-Amz-Credential')?.split('/')[0];
      if (!credential) return own(403);
      const iam = { accessKey: credential, accountId: s.api.accountId, callerId: credential, cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::${s.api.accountId}:root`, userId: s.api.accountId };
      authorizerV2 = { iam };
    } else if (type === 'JWT' || type === 'CUSTOM') {
      const authorizer = s.route.authorizerId ? s.snapshot.authorizers[s.route.authorizerId] : undefined;
      if (!authorizer) return own(500);
      if (type === 'JWT') {
        const source = authorizer.identitySource?.[0] ?? '$request.header.Authorization';
        const token = identityOf(source, req);
        if (!token) return own(401);
        const result = await checkJwt({
          token,
          issuer: authorizer.jwtConfiguration?.issuer ?? '',
          audience: authorizer.jwtConfiguration?.audience ?? [],
          routeScopes: s.route.authorizationScopes ?? [],
          nowMs: lambda.clock.now(),
          keys: jwks,
        });
        if (!result.ok) return own(result.status, { 'www-authenticate': result.wwwAuthenticate });
        authorizerV2 = { jwt: { claims: result.claims, scopes: result.scopes } };
        authorizerV1 = { claims: result.claims, scopes: result.scopes };
      } else {
        const method = req.method;
        const routeArn = isDefaultRoute ? `${arnBase}/$default` : `${arnBase}/${method}${s.stagePath}`;
        const a = await runLambdaAuthorizer(store, lambda, authorizer, authorizerRequest(r, s, routeArn, v2Event, v1Event));
        if (!a.allow) return own(a.status);
        authorizerV2 = { lambda: a.context };
        authorizerV1 = { ...a.context, ...(a.principalId !== undefined ? { principalId: a.principalId } : {}), integrationLatency: 0 };
      }
    }

    const event = integration.payloadFormatVersion === '2.0' ? v2Event(authorizerV2) : v1Event(authorizerV1);
    // The integration's permission names the route: `<api>/<stage>/<METHOD><path>`, `<api>/<stage>/$default`
    // [doc "Troubleshooting issues with HTTP API Lambda integrations"; the route path as CDK grants it].
    const sourceArn = isDefaultRoute ? `${arnBase}/$default` : `${arnBase}/${s.route.routeKey.split(' ')[0]}${routePath}`;
    const result = await callIntegration(lambda, {
      integration,
      stageVariables: s.stageVariables,
      accountId: s.api.accountId,
      endpoint: r.endpoint,
      traceHeader: s.traceHeader,
      sourceArn,
      event,
    });
    if (typeof result === 'number') return own(result);
    return {
      status: result.status,
      headers: { ...result.headers, 'apigw-requestid': s.requestId },
      multiHeaders: result.multiHeaders,
      body: result.body,
    };
  }

  /** A JWT authorizer's token: its identity source's value (a header or query parameter). */
  function identityOf(source: string, req: RawRequest): string | undefined {
    const m = /^\$request\.(header|querystring)\.(.+)$/.exec(source);
    if (!m) return undefined;
    const values = m[1] === 'header' ? multiValueHeaders(req)[m[2].toLowerCase()] : queryPairs(req).filter(([k]) => k === m[2]).map(([, v]) => v);
    return values?.length ? values.join(',') : undefined;
  }

  function authorizerRequest(
    r: DoorRequest,
    s: Served,
    routeArn: string,
    v2Event: () => Record<string, unknown>,
    v1Event: () => Record<string, unknown>,
  ): AuthorizerRequest {
    const query: Record<string, string[]> = {};
    for (const [k, v] of queryPairs(r.req)) (query[k] ??= []).push(v);
    return {
      apiId: s.api.apiId,
      accountId: s.api.accountId,
      region: s.api.region,
      stage: s.stageName,
      endpoint: r.endpoint,
      traceHeader: s.traceHeader,
      headers: multiValueHeaders(r.req),
      query,
      stageVariables: s.stageVariables,
      context: {
        apiId: s.api.apiId,
        domainPrefix: s.api.apiId,
        httpMethod: r.req.method,
        path: s.rawPath,
        protocol: r.req.protocol ?? 'HTTP/1.1',
        requestId: s.requestId,
        routeKey: s.route.routeKey,
        stage: s.stageName,
        'identity.sourceIp': r.req.sourceIp ?? '127.0.0.1',
        ...(r.req.headers['user-agent'] ? { 'identity.userAgent': r.req.headers['user-agent'] } : {}),
      },
      routeArn,
      v2Event: () => v2Event(),
      v1Event: () => v1Event(),
    };
  }

  return {
    name: 'http-api',
    handle(r) {
      const target = doorTarget(r.host, r.req.path);
      if (!target) return undefined;
      return serve(r, target);
    },
  };
}
