/**
 * Authorizers: CreateAuthorizer, GetAuthorizer(s), UpdateAuthorizer, DeleteAuthorizer.
 *
 * HTTP APIs have Lambda authorizers (type REQUEST) and JWT authorizers [doc]:
 * - REQUEST: AuthorizerUri (a Lambda function URI), AuthorizerPayloadFormatVersion 1.0 or 2.0
 *   ("required for HTTP API Lambda authorizers" [model]), EnableSimpleResponses (2.0 only [doc]),
 *   identity sources (optional; needed for caching [doc]), AuthorizerResultTtlInSeconds 0-3600
 *   (0 = no caching [model]).
 * - JWT: JwtConfiguration {Issuer, Audience}, one identity source holding the token [doc].
 * The output shows what was set [doc: CLI reference create-authorizer].
 */
import type { RequestContext } from '../../protocols/types';
import { authorizerNotFound, badRequest } from './errors';
import { newId, type ApiGatewayV2Store } from './store';
import type { ApiRecord, AuthorizerRecord } from './types';
import { checkIdentitySources, lambdaFunctionOf, optBool, optEnum, optInt, optObject, optString, optStringList, reqString } from './validate';

type Input = Record<string, unknown>;

export function authorizerOut(a: AuthorizerRecord): Record<string, unknown> {
  return { ...a };
}

function applyAuthorizer(api: ApiRecord, rec: Partial<AuthorizerRecord>, input: Input): AuthorizerRecord {
  const next = { ...rec } as AuthorizerRecord;
  const set = <K extends keyof AuthorizerRecord>(k: K, v: AuthorizerRecord[K] | undefined) => {
    if (v !== undefined) next[k] = v;
  };
  set('name', optString(input, 'name', 1, 128));
  set('authorizerType', optEnum(input, 'authorizerType', ['REQUEST', 'JWT'] as const));
  set('authorizerCredentialsArn', optString(input, 'authorizerCredentialsArn'));
  set('authorizerPayloadFormatVersion', optString(input, 'authorizerPayloadFormatVersion', 1, 64));
  set('authorizerResultTtlInSeconds', optInt(input, 'authorizerResultTtlInSeconds', 0, 3600));
  set('authorizerUri', optString(input, 'authorizerUri', 1, 2048));
  set('enableSimpleResponses', optBool(input, 'enableSimpleResponses'));
  set('identitySource', optStringList(input, 'identitySource'));
  set('identityValidationExpression', optString(input, 'identityValidationExpression', 0, 1024));
  const jwt = optObject(input, 'jwtConfiguration');
  if (jwt) next.jwtConfiguration = { audience: optStringList(jwt, 'audience'), issuer: optString(jwt, 'issuer', 1, 2048) };
  if (!next.authorizerType) throw badRequest('AuthorizerType is a required parameter');
  if (!next.name) throw badRequest('Name is a required parameter');
  if (api.protocolType !== 'HTTP') return next;

  if (next.authorizerType === 'JWT') {
    if (!next.jwtConfiguration?.issuer) throw badRequest('JwtConfiguration.Issuer is a required parameter for JWT authorizers');
    const sources = next.identitySource ?? [];
    if (sources.length !== 1) throw badRequest('A JWT authorizer must have exactly one identity source');
    checkIdentitySources(sources, true);
    return next;
  }
  if (!next.authorizerUri) throw badRequest('AuthorizerUri is a required parameter for REQUEST authorizers');
  if (!lambdaFunctionOf(next.authorizerUri)) throw badRequest(`Invalid authorizer URI specified: ${next.authorizerUri}`);
  const version = next.authorizerPayloadFormatVersion;
  if (!version) throw badRequest('AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer');
  if (version !== '1.0' && version !== '2.0') throw badRequest(`Invalid authorizer payload format version specified: ${version}. Supported values are 1.0 and 2.0`);
  if (next.enableSimpleResponses && version !== '2.0') {
    throw badRequest('EnableSimpleResponses is supported only for authorizers with AuthorizerPayloadFormatVersion 2.0');
  }
  next.enableSimpleResponses ??= false;
  next.authorizerResultTtlInSeconds ??= 0;
  next.identitySource ??= [];
  checkIdentitySources(next.identitySource, false);
  if (next.authorizerResultTtlInSeconds > 0 && next.identitySource.length === 0) {
    // [doc] "To enable caching, your authorizer must have at least one identity source."
    throw badRequest('Identity source is required when authorizer caching is enabled (AuthorizerResultTtlInSeconds greater than 0)');
  }
  return next;
}

export function createAuthorizer(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input): AuthorizerRecord {
  const api = store.get(ctx, apiId);
  reqString(input, 'name', 1, 128);
  let id = newId(6);
  while (api.authorizers.has(id)) id = newId(6);
  const rec: AuthorizerRecord = { ...applyAuthorizer(api, {}, input), authorizerId: id };
  api.authorizers.set(id, rec);
  store.changed(api);
  return rec;
}

export function getAuthorizer(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): AuthorizerRecord {
  const api = store.get(ctx, apiId);
  const rec = api.authorizers.get(id);
  if (!rec) throw authorizerNotFound(ctx.accountId, apiId, id);
  return rec;
}

export function updateAuthorizer(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string, input: Input): AuthorizerRecord {
  const api = store.get(ctx, apiId);
  const rec = applyAuthorizer(api, getAuthorizer(store, ctx, apiId, id), input);
  for (const route of api.routes.values()) {
    if (route.authorizerId !== id) continue;
    const expected = rec.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
    if (route.authorizationType !== expected) throw badRequest(`Authorizer ${id} is used by route ${route.routeKey} with authorization type ${route.authorizationType}`);
  }
  api.authorizers.set(id, rec);
  store.clearAuthorizerCache(apiId);
  store.changed(api);
  return rec;
}

export function deleteAuthorizer(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.get(ctx, apiId);
  getAuthorizer(store, ctx, apiId, id);
  const user = [...api.routes.values()].find((r) => r.authorizerId === id);
  if (user) throw badRequest(`Cannot delete authorizer ${id}: it is used by route ${user.routeKey} (${user.routeId})`);
  api.authorizers.delete(id);
  store.clearAuthorizerCache(apiId);
  store.changed(api);
}
