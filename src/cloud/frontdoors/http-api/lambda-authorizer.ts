/**
 * Lambda authorizers of HTTP APIs [doc "Working with AWS Lambda authorizers for HTTP APIs"]:
 * - identity sources ($request.header.x, $request.querystring.x, $context.x, $stageVariables.x):
 *   when one is missing or empty, the function is not invoked and the client gets 401
 *   `{"message":"Unauthorized"}` [doc];
 * - the event: payload 2.0 (`type: "REQUEST"`, routeArn, identitySource as a list) or 1.0
 *   (methodArn, identitySource and authorizationToken as "a,b") [doc];
 * - the answer: with simple responses `{isAuthorized, context}`, otherwise an IAM policy
 *   `{principalId, policyDocument, context}` whose statements allow or deny execute-api:Invoke on
 *   the route's ARN (an explicit Deny wins; no Allow is a denial). Denied: 403
 *   `{"message":"Forbidden"}`. A function that cannot be invoked (no permission for
 *   apigateway.amazonaws.com on `arn:aws:execute-api:<region>:<account>:<api-id>/authorizers/<id>`
 *   [doc]), fails or answers in another shape: 500 `{"message":"Internal Server Error"}` [doc];
 * - caching: with a TTL, the answer is kept per identity source values (on the cloud's clock), for
 *   every route of the API that uses the authorizer [doc].
 */
import type { LambdaService } from '../../lambda/service';
import type { ApiGatewayV2Store } from '../../services/apigatewayv2/store';
import type { AuthorizerRecord } from '../../services/apigatewayv2/types';
import { lambdaFunctionOf } from '../../services/apigatewayv2/validate';
import { invokeForDoor } from '../invoke';

/** Where an authorizer's answer stands: allowed (with the context passed on) or the HTTP answer. */
export type Authorization = { allow: true; context: Record<string, unknown>; principalId?: string } | { allow: false; status: 401 | 403 | 500 };

/** What the door knows of the request, for identity sources and the events. */
export interface AuthorizerRequest {
  apiId: string;
  accountId: string;
  region: string;
  stage: string;
  endpoint: string;
  traceHeader?: string;
  /** Lower-case header name -> values. */
  headers: Record<string, string[]>;
  /** Query parameter -> values (decoded). */
  query: Record<string, string[]>;
  stageVariables: Record<string, string>;
  /** $context variables. */
  context: Record<string, string>;
  /** `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>` (or `/$default`). */
  routeArn: string;
  /** The route's 2.0 and 1.0 events (without the authorizer members), built by the door. */
  v2Event: () => Record<string, unknown>;
  v1Event: () => Record<string, unknown>;
}

/** An identity source's value, or undefined when the request lacks it. */
export function identityValue(source: string, r: AuthorizerRequest): string | undefined {
  let values: string[] | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^\$request\.header\.(.+)$/.exec(source))) values = r.headers[m[1].toLowerCase()];
  else if ((m = /^\$request\.querystring\.(.+)$/.exec(source))) values = r.query[m[1]];
  else if ((m = /^\$stageVariables\.(.+)$/.exec(source))) values = r.stageVariables[m[1]] === undefined ? undefined : [r.stageVariables[m[1]]];
  else if ((m = /^\$context\.(.+)$/.exec(source))) values = r.context[m[1]] === undefined ? undefined : [r.context[m[1]]];
  const joined = values?.join(',');
  return joined ? joined : undefined;
}

type Parsed = { kind: 'simple'; authorized: boolean; context: Record<string, unknown> } | { kind: 'policy'; principalId?: string; statements: Statement[]; context: Record<string, unknown> };

interface Statement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): string[] | undefined => (typeof v === 'string' ? [v] : Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined);

/** The function's answer in the authorizer's format, or undefined when it is malformed. */
export function parseAuthorizerAnswer(payload: Buffer, simple: boolean): Parsed | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObj(v)) return undefined;
  if (v.context !== undefined && v.context !== null && !isObj(v.context)) return undefined;
  const context = isObj(v.context) ? v.context : {};
  if (simple) return typeof v.isAuthorized === 'boolean' ? { kind: 'simple', authorized: v.isAuthorized, context } : undefined;
  const doc = v.policyDocument;
  if (!isObj(doc)) return undefined;
  const raw = Array.isArray(doc.Statement) ? doc.Statement : isObj(doc.Statement) ? [doc.Statement] : undefined;
  if (!raw) return undefined;
  const statements: Statement[] = [];
  for (const s of raw) {
    if (!isObj(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) return undefined;
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if (!actions || !resources) return undefined;
    statements.push({ effect: s.Effect, actions, resources });
  }
  if (v.principalId !== undefined && typeof v.principalId !== 'string') return undefined;
  return { kind: 'policy', principalId: v.principalId as string | undefined, statements, context };
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
function like(pattern: string, value: string): boolean {
  const re = pattern.split(/([*?])/).map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`).test(value);
}

/** Whether a policy answer lets the request through to this route's ARN (explicit Deny wins). */
export function policyAllows(statements: Statement[], routeArn: string): boolean {
  const applies = (s: Statement) => s.actions.some((a) => like(a, 'execute-api:Invoke')) && s.resources.some((r) => like(r, routeArn));
  if (statements.some((s) => s.effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.effect === 'Allow' && applies(s));
}

function decide(parsed: Parsed, routeArn: string): Authorization {
  if (parsed.kind === 'simple') return parsed.authorized ? { allow: true, context: parsed.context } : { allow: false, status: 403 };
  return policyAllows(parsed.statements, routeArn) ? { allow: true, context: parsed.context, principalId: parsed.principalId } : { allow: false, status: 403 };
}

/** How long an authorizer invocation may take (virtual ms) [unverified: AWS's limit is not documented for HTTP APIs]. */
export const AUTHORIZER_TIMEOUT_MS = 10_000;

export async function runLambdaAuthorizer(store: ApiGatewayV2Store, lambda: LambdaService, auth: AuthorizerRecord, r: AuthorizerRequest): Promise<Authorization> {
  const sources = auth.identitySource ?? [];
  const values: string[] = [];
  for (const s of sources) {
    const v = identityValue(s, r);
    if (v === undefined) return { allow: false, status: 401 };
    values.push(v);
  }
  const ttl = auth.authorizerResultTtlInSeconds ?? 0;
  const cacheKey = `${r.apiId}/${r.stage}/${auth.authorizerId}/${JSON.stringify(values)}`;
  const now = lambda.clock.now();
  if (ttl > 0 && sources.length > 0) {
    const hit = store.authorizerCache.get(cacheKey);
    if (hit && hit.expires > now) return decide(hit.value as Parsed, r.routeArn);
  }
  const fnArn = auth.authorizerUri ? lambdaFunctionOf(auth.authorizerUri) : undefined;
  if (!fnArn) return { allow: false, status: 500 };
  const v2 = auth.authorizerPayloadFormatVersion === '2.0';
  const event = v2 ? authorizerEventV2(r, values) : authorizerEventV1(r, values);
  const outcome = await invokeForDoor(lambda, {
    functionArn: fnArn,
    region: fnArn.split(':')[3],
    accountId: r.accountId,
    event,
    trigger: 'apigatewayv2',
    endpoint: r.endpoint,
    traceHeader: r.traceHeader,
    timeoutMs: AUTHORIZER_TIMEOUT_MS,
    caller: auth.authorizerCredentialsArn
      ? undefined
      : { principal: 'apigateway.amazonaws.com', sourceArn: `arn:aws:execute-api:${r.region}:${r.accountId}:${r.apiId}/authorizers/${auth.authorizerId}` },
  });
  if (outcome.kind !== 'response') return { allow: false, status: 500 };
  const parsed = parseAuthorizerAnswer(outcome.payload, v2 && auth.enableSimpleResponses === true);
  if (!parsed) return { allow: false, status: 500 };
  if (ttl > 0 && sources.length > 0) store.authorizerCache.set(cacheKey, { expires: now + ttl * 1000, value: parsed });
  return decide(parsed, r.routeArn);
}

/** The 2.0 authorizer event [doc]: the request's 2.0 event without body, plus type, routeArn, identitySource. */
function authorizerEventV2(r: AuthorizerRequest, identity: string[]): Record<string, unknown> {
  const e = r.v2Event();
  const out: Record<string, unknown> = { version: '2.0', type: 'REQUEST', routeArn: r.routeArn, identitySource: identity };
  for (const k of ['routeKey', 'rawPath', 'rawQueryString', 'cookies', 'headers', 'queryStringParameters', 'requestContext', 'pathParameters', 'stageVariables']) {
    if (e[k] !== undefined) out[k] = e[k];
  }
  return out;
}

/** The 1.0 authorizer event [doc]: methodArn, identitySource/authorizationToken "a,b", the 1.0 request members. */
function authorizerEventV1(r: AuthorizerRequest, identity: string[]): Record<string, unknown> {
  const e = r.v1Event();
  const joined = identity.join(',');
  const ctx = { ...(e.requestContext as Record<string, unknown>) };
  delete ctx.authorizer;
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: r.routeArn,
    identitySource: joined,
    authorizationToken: joined,
    resource: e.resource,
    path: e.path,
    httpMethod: e.httpMethod,
    headers: e.headers,
    multiValueHeaders: e.multiValueHeaders,
    queryStringParameters: e.queryStringParameters,
    multiValueQueryStringParameters: e.multiValueQueryStringParameters,
    pathParameters: e.pathParameters,
    stageVariables: e.stageVariables,
    requestContext: ctx,
  };
}
