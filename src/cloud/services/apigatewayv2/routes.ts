/**
 * Routes: CreateRoute, GetRoute(s), UpdateRoute, DeleteRoute.
 *
 * An HTTP API route key is `$default` or `<METHOD> <path>` [doc]; its target is
 * `integrations/<id>` [doc: CLI reference]; AuthorizationType NONE by default, ApiKeyRequired false
 * [doc: CLI reference create-route]. JWT and CUSTOM routes name an authorizer of that kind; only
 * JWT routes carry authorization scopes [doc "Controlling access to HTTP APIs with JWT authorizers"].
 */
import type { RequestContext } from '../../protocols/types';
import { authorizerNotFound, badRequest, conflict, routeNotFound } from './errors';
import { newId, type ApiGatewayV2Store } from './store';
import type { ApiRecord, RouteRecord } from './types';
import { checkHttpRouteKey, optBool, optEnum, optObject, optString, optStringList, optStringMap, reqString } from './validate';

type Input = Record<string, unknown>;

const AUTH_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'] as const;

export function routeOut(r: RouteRecord): Record<string, unknown> {
  return { ...r };
}

function checkRoute(api: ApiRecord, rec: RouteRecord, ctx: RequestContext): void {
  if (api.protocolType === 'HTTP') checkHttpRouteKey(rec.routeKey);
  for (const other of api.routes.values()) {
    if (other.routeId !== rec.routeId && other.routeKey === rec.routeKey) {
      throw conflict(`Route with key ${rec.routeKey} already exists for this API`);
    }
  }
  if (rec.target !== undefined) {
    const m = /^integrations\/([^/]+)$/.exec(rec.target);
    if (!m || !api.integrations.has(m[1])) throw badRequest(`Invalid target specified: ${rec.target}. The target must be integrations/<integration-id> of an integration of this API`);
  }
  if (rec.authorizationType === 'JWT' || rec.authorizationType === 'CUSTOM') {
    if (!rec.authorizerId) throw badRequest(`An authorizerId is required for authorization type ${rec.authorizationType}`);
    const auth = api.authorizers.get(rec.authorizerId);
    if (!auth) throw authorizerNotFound(ctx.accountId, api.apiId, rec.authorizerId);
    const expected = rec.authorizationType === 'JWT' ? 'JWT' : 'REQUEST';
    if (auth.authorizerType !== expected) {
      throw badRequest(`Authorization type ${rec.authorizationType} does not match authorizer ${auth.authorizerId} of type ${auth.authorizerType}`);
    }
  } else if (rec.authorizerId) {
    throw badRequest(`An authorizer can only be used with authorization type JWT or CUSTOM, not ${rec.authorizationType}`);
  }
  if (rec.authorizationScopes?.length && rec.authorizationType !== 'JWT' && api.protocolType === 'HTTP') {
    throw badRequest('Authorization scopes are supported only for JWT authorizers');
  }
}

function applyRoute(rec: RouteRecord, input: Input): RouteRecord {
  const next: RouteRecord = { ...rec };
  const set = <K extends keyof RouteRecord>(k: K, v: RouteRecord[K] | undefined) => {
    if (v !== undefined) next[k] = v;
  };
  set('routeKey', optString(input, 'routeKey', 1));
  set('apiKeyRequired', optBool(input, 'apiKeyRequired'));
  set('authorizationScopes', optStringList(input, 'authorizationScopes'));
  set('authorizationType', optEnum(input, 'authorizationType', AUTH_TYPES));
  set('authorizerId', optString(input, 'authorizerId', 1));
  set('modelSelectionExpression', optString(input, 'modelSelectionExpression'));
  set('operationName', optString(input, 'operationName', 1, 64));
  set('requestModels', optStringMap(input, 'requestModels'));
  const params = optObject(input, 'requestParameters');
  if (params) next.requestParameters = params as RouteRecord['requestParameters'];
  set('routeResponseSelectionExpression', optString(input, 'routeResponseSelectionExpression'));
  set('target', optString(input, 'target', 1, 128));
  if (input.authorizationType !== undefined && (next.authorizationType === 'NONE' || next.authorizationType === 'AWS_IAM') && input.authorizerId === undefined) {
    delete next.authorizerId;
  }
  return next;
}

export function createRoute(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input, managed = false): RouteRecord {
  const api = store.get(ctx, apiId);
  const routeKey = reqString(input, 'routeKey', 1);
  let id = newId(7);
  while (api.routes.has(id)) id = newId(7);
  const base: RouteRecord = { routeId: id, routeKey, apiKeyRequired: false, authorizationType: 'NONE', ...(managed ? { apiGatewayManaged: true } : {}) };
  const rec = applyRoute(base, input);
  checkRoute(api, rec, ctx);
  api.routes.set(id, rec);
  store.changed(api);
  return rec;
}

export function getRoute(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): RouteRecord {
  const api = store.get(ctx, apiId);
  const rec = api.routes.get(id);
  if (!rec) throw routeNotFound(ctx.accountId, apiId, id);
  return rec;
}

export function updateRoute(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string, input: Input): RouteRecord {
  const api = store.get(ctx, apiId);
  const rec = applyRoute(getRoute(store, ctx, apiId, id), input);
  checkRoute(api, rec, ctx);
  api.routes.set(id, rec);
  store.changed(api);
  return rec;
}

export function deleteRoute(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.get(ctx, apiId);
  getRoute(store, ctx, apiId, id);
  api.routes.delete(id);
  store.changed(api);
}
