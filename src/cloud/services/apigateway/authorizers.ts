/**
 * CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer.
 * Lambda authorizers (TOKEN, REQUEST) run in the front door (frontdoors/rest-api/authorizer.ts);
 * COGNITO_USER_POOLS authorizers are kept but not enforced. authorizerResultTtlInSeconds: not set
 * means 300, 0 disables caching, at most 3600 [model].
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, conflict, invalidAuthorizer } from './errors';
import { type Body, optInt, optString, optStringList, page } from './input';
import { lambdaFunctionOfUri } from './integrations';
import { authorizerOut } from './output';
import { onlyReplace, patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { Authorizer, RestApi } from './types';

export const AUTHORIZER_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];
const IDENTITY_EXPRESSION = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;

/** The checks AWS makes on an authorizer's settings [unconfirmed texts where not recorded]. */
export function checkAuthorizer(a: Authorizer): void {
  if (!a.name) throw badRequest('Authorizer name must be non-empty');
  if (a.type === 'TOKEN' || a.type === 'REQUEST') {
    if (!a.authorizerUri) throw badRequest(`Authorizer URI must be specified for authorizer type ${a.type}`);
    if (!lambdaFunctionOfUri(a.authorizerUri)) throw badRequest(`Invalid Authorizer URI: ${a.authorizerUri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`);
  }
  if (a.type === 'COGNITO_USER_POOLS' && !a.providerARNs?.length) throw badRequest('Provider ARNs must be specified for authorizer type COGNITO_USER_POOLS');
  const ttl = a.authorizerResultTtlInSeconds;
  if (ttl !== undefined && (ttl < 0 || ttl > 3600)) throw badRequest('Authorizer result TTL must be between 0 and 3600 seconds.');
  const sources = (a.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (a.type === 'TOKEN' || a.type === 'COGNITO_USER_POOLS') {
    if (sources.length !== 1 || !/^method\.request\.header\.[^\s,]+$/.test(sources[0])) {
      throw badRequest(`Invalid identity source: ${a.identitySource ?? ''}. Identity source must be a request header mapping expression (method.request.header.<name>).`);
    }
  } else if (a.type === 'REQUEST') {
    for (const s of sources) if (!IDENTITY_EXPRESSION.test(s)) throw badRequest(`Invalid identity source: ${s}`);
    if (ttl !== undefined && ttl > 0 && sources.length === 0) {
      throw badRequest('Identity source must be specified when authorizer result caching is enabled');
    }
  }
  if (a.identityValidationExpression !== undefined) {
    try {
      new RegExp(a.identityValidationExpression);
    } catch {
      throw badRequest(`Invalid identity validation expression: ${a.identityValidationExpression}`);
    }
  }
}

export function createAuthorizer(store: ApiGatewayStore, ctx: RequestContext, apiId: string, body: Body) {
  const name = optString(body, 'name');
  const type = optString(body, 'type');
  const v = new Validator();
  v.required(name, 'createAuthorizerInput.name');
  v.required(type, 'createAuthorizerInput.type');
  v.oneOf(type, 'createAuthorizerInput.type', AUTHORIZER_TYPES);
  v.check();
  const api = store.region(ctx).apis.get(apiId);
  // An unknown API is answered with this ConflictException [rec: test_authorizer_crud_no_api].
  if (!api) throw conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  const a: Authorizer = { id: store.newId(), name: name!, type: type! };
  const optional: Partial<Authorizer> = {
    providerARNs: optStringList(body, 'providerARNs'),
    authType: optString(body, 'authType'),
    authorizerUri: optString(body, 'authorizerUri'),
    authorizerCredentials: optString(body, 'authorizerCredentials'),
    identitySource: optString(body, 'identitySource'),
    identityValidationExpression: optString(body, 'identityValidationExpression'),
    authorizerResultTtlInSeconds: optInt(body, 'authorizerResultTtlInSeconds'),
  };
  for (const [k, val] of Object.entries(optional)) if (val !== undefined) (a as unknown as Record<string, unknown>)[k] = val;
  checkAuthorizer(a);
  api.authorizers.set(a.id, a);
  return authorizerOut(a);
}

function findAuthorizer(api: RestApi, id: string): Authorizer {
  const a = api.authorizers.get(id);
  if (!a) throw invalidAuthorizer();
  return a;
}

export function getAuthorizer(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string) {
  return authorizerOut(findAuthorizer(store.api(ctx, apiId), id));
}

export function getAuthorizers(store: ApiGatewayStore, ctx: RequestContext, apiId: string, query: URLSearchParams) {
  const api = store.api(ctx, apiId);
  return page([...api.authorizers.values()].map(authorizerOut), query);
}

const AUTHORIZER_PATHS = ['name', 'type', 'authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression', 'authorizerResultTtlInSeconds'];

export function updateAuthorizer(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string, body: Body) {
  const ops = patchOperations(body, 'updateAuthorizerInput');
  const api = store.api(ctx, apiId);
  const next: Authorizer = structuredClone(findAuthorizer(api, id));
  const fields = next as unknown as Record<string, unknown>;
  for (const o of ops) {
    const parts = pointerParts(o.path);
    if (parts[0] === 'providerARNs') {
      if (o.op === 'add' && o.value) next.providerARNs = [...(next.providerARNs ?? []), o.value];
      else if (o.op === 'remove') next.providerARNs = (next.providerARNs ?? []).filter((p) => p !== o.value && p !== parts[1]);
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'`);
      continue;
    }
    if (!AUTHORIZER_PATHS.includes(parts[0]) || parts.length !== 1) throw badRequest(`Invalid patch path ${o.path}`);
    onlyReplace(o.op);
    if (parts[0] === 'authorizerResultTtlInSeconds') {
      const n = Number(o.value);
      if (!Number.isInteger(n)) throw badRequest(`Invalid authorizer result TTL: ${o.value}`);
      next.authorizerResultTtlInSeconds = n;
    } else if (parts[0] === 'type') {
      if (!AUTHORIZER_TYPES.includes(o.value ?? '')) throw badRequest(`Invalid authorizer type: ${o.value}`);
      next.type = o.value!;
    } else if (o.value === undefined || o.value === '') delete fields[parts[0]];
    else fields[parts[0]] = o.value;
  }
  checkAuthorizer(next);
  api.authorizers.set(id, next);
  return authorizerOut(next);
}

export function deleteAuthorizer(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.api(ctx, apiId);
  findAuthorizer(api, id);
  for (const r of api.resources.values()) {
    for (const m of Object.values(r.methods)) {
      if (m.authorizerId === id) throw conflict(`Cannot delete authorizer '${api.authorizers.get(id)!.name}', is referenced in method: ${m.httpMethod}`);
    }
  }
  api.authorizers.delete(id);
}
