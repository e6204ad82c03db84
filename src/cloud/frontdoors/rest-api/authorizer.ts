/**
 * Lambda authorizers (TOKEN and REQUEST) at the door [doc: "Use API Gateway Lambda authorizers",
 * "Input to" / "Output from an API Gateway Lambda authorizer"]:
 *   identity   TOKEN: the identitySource header, checked against identityValidationExpression
 *              (the whole token must match); REQUEST: every identity source (header, query string,
 *              stage variable, context value) present and non-empty. Otherwise 401 without a call.
 *   event      TOKEN {type, methodArn, authorizationToken}; REQUEST {type, methodArn, resource,
 *              path, httpMethod, headers, multiValueHeaders, queryStringParameters,
 *              multiValueQueryStringParameters, pathParameters, stageVariables, requestContext}
 *   answer     {principalId, policyDocument, context, usageIdentifierKey}: an explicit Deny on the
 *              methodArn gives 403 "... with an explicit deny", no Allow 403 "... this resource";
 *              an error whose message is "Unauthorized" 401; any other error, a timeout, a refused
 *              invoke or a malformed answer (no policyDocument, context values that are not
 *              strings, numbers or booleans) 500 {"message":null} [obs]
 *   caching    the answer is kept authorizerResultTtlInSeconds (default 300, 0 = off) on the
 *              cloud's clock, keyed by stage and identity source values; a cached policy is
 *              evaluated again against each request's methodArn, as on AWS
 *   context    requestContext.authorizer = {principalId, integrationLatency, ...context}, values
 *              as strings (REST APIs) [obs]
 * The function is invoked with the resource policy check for apigateway.amazonaws.com and the
 * source ARN `arn:aws:execute-api:<region>:<account>:<api-id>/authorizers/<id>`, unless the
 * authorizer has authorizerCredentials (a role API Gateway assumes).
 */
import type { LambdaService } from '../../lambda/service';
import type { ApiGatewayStore } from '../../services/apigateway/store';
import type { Authorizer, DeployedApi } from '../../services/apigateway/types';
import { lambdaFunctionOfUri } from '../../services/apigateway/integrations';
import { invokeForDoor } from '../invoke';
import { renderStageVariables } from './uri';

export interface AuthorizerRequest {
  api: DeployedApi;
  stage: string;
  stageVariables: Record<string, string>;
  methodArn: string;
  /** Header lines as passed on, query pairs decoded, path parameters, requestContext (for REQUEST). */
  headers: [string, string][];
  query: [string, string][];
  requestContext: Record<string, unknown>;
  /** The REQUEST event's remaining members (resource, path, httpMethod, headers...). */
  requestEvent: () => Record<string, unknown>;
  endpoint: string;
  traceId: string;
}

export type AuthorizerOutcome =
  | { kind: 'allow'; authorizer: Record<string, unknown>; usageIdentifierKey?: string }
  | { kind: 'unauthorized' }
  | { kind: 'explicit-deny' }
  | { kind: 'implicit-deny' }
  | { kind: 'error'; reason: string };

interface Policy {
  principalId?: string;
  statements: { effect: string; actions: string[]; resources: string[] }[];
  context: Record<string, string>;
  usageIdentifierKey?: string;
}

const TIMEOUT_MS = 29_000;

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The authorizer's answer, or why it is not one. */
export function readPolicy(payload: Buffer): Policy | string {
  let r: unknown;
  try {
    r = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'the answer is not JSON';
  }
  if (!r || typeof r !== 'object' || Array.isArray(r)) return 'the answer is not an object';
  const o = r as Record<string, unknown>;
  const doc = o.policyDocument;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'policyDocument is missing';
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = (Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : null) as Record<string, unknown>[] | null;
  if (!statements) return 'policyDocument has no Statement';
  if (o.principalId !== undefined && o.principalId !== null && typeof o.principalId !== 'string' && typeof o.principalId !== 'number') {
    return 'principalId is not a string';
  }
  const context: Record<string, string> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object' || Array.isArray(o.context)) return 'context is not an object';
    for (const [k, v] of Object.entries(o.context as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') context[k] = String(v);
      else if (v !== null) return `context.${k} is not a string, number or boolean`;
    }
  }
  return {
    principalId: o.principalId === undefined || o.principalId === null ? undefined : String(o.principalId),
    statements: statements
      .filter((s) => s && typeof s === 'object')
      .map((s) => ({ effect: String(s.Effect ?? ''), actions: list(s.Action), resources: list(s.Resource) })),
    context,
    usageIdentifierKey: typeof o.usageIdentifierKey === 'string' ? o.usageIdentifierKey : undefined,
  };
}

/** IAM-style wildcard match: `*` any run of characters (slashes included), `?` one character. */
function wildcard(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

const INVOKE_ACTIONS = ['execute-api:invoke', 'execute-api:*', '*'];

export function evaluatePolicy(policy: Policy, methodArn: string): 'allow' | 'explicit-deny' | 'implicit-deny' {
  const applies = (s: Policy['statements'][number]) =>
    s.actions.some((a) => INVOKE_ACTIONS.includes(a.toLowerCase()) || wildcard(a.toLowerCase(), 'execute-api:invoke')) &&
    s.resources.some((r) => wildcard(r, methodArn));
  if (policy.statements.some((s) => s.effect === 'Deny' && applies(s))) return 'explicit-deny';
  if (policy.statements.some((s) => s.effect === 'Allow' && applies(s))) return 'allow';
  return 'implicit-deny';
}

function header(lines: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i][0].toLowerCase() === lower) return lines[i][1];
  return undefined;
}

/** The identity source values (in order), or undefined when one is missing or empty. */
export function identityValues(a: Authorizer, r: Pick<AuthorizerRequest, 'headers' | 'query' | 'stageVariables' | 'requestContext'>): string[] | undefined {
  const sources = (a.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const values: string[] = [];
  for (const s of sources) {
    let v: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^method\.request\.(?:multivalue)?header\.(.+)$/.exec(s))) v = header(r.headers, m[1]);
    else if ((m = /^method\.request\.(?:multivalue)?querystring\.(.+)$/.exec(s))) v = [...r.query].reverse().find(([k]) => k === m![1])?.[1];
    else if ((m = /^stageVariables\.(.+)$/.exec(s))) v = r.stageVariables[m[1]];
    else if ((m = /^context\.(.+)$/.exec(s))) {
      let cur: unknown = r.requestContext;
      for (const part of m[1].split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      v = cur === undefined || cur === null ? undefined : String(cur);
    }
    if (v === undefined || v === '') return undefined;
    values.push(v);
  }
  return values;
}

export async function runAuthorizer(store: ApiGatewayStore, lambda: LambdaService, a: Authorizer, r: AuthorizerRequest): Promise<AuthorizerOutcome> {
  const values = identityValues(a, r);
  if (!values) return { kind: 'unauthorized' };
  if (a.type === 'TOKEN') {
    if (values.length !== 1) return { kind: 'unauthorized' };
    if (a.identityValidationExpression) {
      let ok = false;
      try {
        ok = new RegExp(`^(?:${a.identityValidationExpression})$`).test(values[0]);
      } catch {
        ok = false;
      }
      if (!ok) return { kind: 'unauthorized' };
    }
  }
  const ttlSeconds = a.type === 'REQUEST' && values.length === 0 ? 0 : (a.authorizerResultTtlInSeconds ?? 300);
  const cacheKey = `${r.api.id}/${r.stage}/${a.id}/${values.join('\u0000')}`;
  const now = store.clock.now();
  let policy: Policy | undefined;
  let latency = 0;
  const cached = ttlSeconds > 0 ? store.authorizerCache.get(cacheKey) : undefined;
  if (cached && cached.expiresAt > now) policy = cached.result as Policy;
  else {
    const fnArn = lambdaFunctionOfUri(renderStageVariables(a.authorizerUri ?? '', r.stageVariables));
    if (!fnArn) return { kind: 'error', reason: `authorizerUri ${a.authorizerUri} names no function` };
    const event =
      a.type === 'TOKEN' ? { type: 'TOKEN', methodArn: r.methodArn, authorizationToken: values[0] } : { type: 'REQUEST', methodArn: r.methodArn, ...r.requestEvent() };
    const started = store.clock.now();
    const region = /^arn:[^:]+:lambda:([^:]+):/.exec(fnArn)?.[1] ?? r.api.region;
    const out = await invokeForDoor(lambda, {
      functionArn: fnArn,
      region,
      accountId: r.api.accountId,
      event,
      trigger: 'apigateway',
      endpoint: r.endpoint,
      traceHeader: r.traceId,
      timeoutMs: TIMEOUT_MS,
      caller: a.authorizerCredentials
        ? undefined
        : { principal: 'apigateway.amazonaws.com', sourceArn: `arn:aws:execute-api:${r.api.region}:${r.api.accountId}:${r.api.id}/authorizers/${a.id}` },
    });
    latency = store.clock.now() - started;
    if (out.kind === 'refused') return { kind: 'error', reason: out.error.message };
    if (out.kind === 'timeout') return { kind: 'error', reason: 'the authorizer timed out' };
    if (out.kind === 'function-error') {
      let message: unknown;
      try {
        message = (JSON.parse(out.payload.toString('utf8')) as { errorMessage?: unknown }).errorMessage;
      } catch {
        message = undefined;
      }
      return message === 'Unauthorized' ? { kind: 'unauthorized' } : { kind: 'error', reason: `the authorizer failed: ${String(message)}` };
    }
    const read = readPolicy(out.payload);
    if (typeof read === 'string') return { kind: 'error', reason: read };
    policy = read;
    if (ttlSeconds > 0) store.authorizerCache.set(cacheKey, { expiresAt: now + ttlSeconds * 1000, result: policy });
  }
  const decision = evaluatePolicy(policy, r.methodArn);
  if (decision !== 'allow') return { kind: decision };
  return {
    kind: 'allow',
    authorizer: { ...(policy.principalId !== undefined ? { principalId: policy.principalId } : {}), integrationLatency: latency, ...policy.context },
    usageIdentifierKey: policy.usageIdentifierKey,
  };
}
