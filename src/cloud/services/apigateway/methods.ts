/**
 * PutMethod, GetMethod, UpdateMethod, DeleteMethod and the method responses (Put, Get, Update,
 * Delete MethodResponse). Texts [rec: test_apigateway_api.snapshot.json].
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, conflict, invalidMethod, invalidStatusCode, notFound } from './errors';
import { type Body, optBool, optBoolMap, optString, optStringList, optStringMap } from './input';
import { methodOut } from './output';
import { onlyReplace, patchBool, patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { Method, MethodResponse, Resource, RestApi } from './types';

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
export const STATUS_CODE = /^[1-5]\d\d$/;
/** The models every API has (AWS creates them with the API). */
const BUILTIN_MODELS = ['Empty', 'Error'];
const AUTHORIZER_TEXT = 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.';

export function checkHttpMethod(httpMethod: string): string {
  if (!HTTP_METHODS.includes(httpMethod)) throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
  return httpMethod;
}

/** The method of a resource, or "Invalid Method identifier specified" [rec]. */
export function findMethod(resource: Resource, httpMethod: string): Method {
  const m = resource.methods[httpMethod];
  if (!m) throw invalidMethod();
  return m;
}

/** The statusCode label's model pattern, as a ValidationException problem [rec]. */
export function statusCodeProblem(v: Validator, statusCode: string): void {
  v.pattern(statusCode, 'statusCode', STATUS_CODE, '[1-5]\\d\\d');
}

function checkAuthorizer(api: RestApi, authorizationType: string, authorizerId: string | undefined): string | undefined {
  if (authorizationType !== 'CUSTOM' && authorizationType !== 'COGNITO_USER_POOLS') return undefined;
  if (!authorizerId || !api.authorizers.has(authorizerId)) throw badRequest(AUTHORIZER_TEXT);
  return authorizerId;
}

function checkModels(models: Record<string, string> | undefined): void {
  for (const name of Object.values(models ?? {})) {
    if (!BUILTIN_MODELS.includes(name)) throw badRequest(`Invalid model identifier specified: ${name}`);
  }
}

export function putMethod(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, body: Body) {
  const { api, resource } = store.resource(ctx, apiId, resourceId);
  checkHttpMethod(httpMethod);
  const authorizationType = optString(body, 'authorizationType');
  const v = new Validator();
  v.required(authorizationType, 'putMethodInput.authorizationType');
  v.check();
  const authorizerId = checkAuthorizer(api, authorizationType!, optString(body, 'authorizerId'));
  if (optString(body, 'requestValidatorId')) throw badRequest('Invalid Request Validator identifier specified');
  const requestModels = optStringMap(body, 'requestModels') as Record<string, string> | undefined;
  checkModels(requestModels);
  if (resource.methods[httpMethod]) throw conflict('Method already exists for this resource');
  const method: Method = {
    httpMethod,
    authorizationType: authorizationType!,
    apiKeyRequired: optBool(body, 'apiKeyRequired') ?? false,
    methodResponses: {},
  };
  if (authorizerId) method.authorizerId = authorizerId;
  const operationName = optString(body, 'operationName');
  if (operationName) method.operationName = operationName;
  const requestParameters = optBoolMap(body, 'requestParameters');
  if (requestParameters && Object.keys(requestParameters).length) method.requestParameters = requestParameters;
  if (requestModels && Object.keys(requestModels).length) method.requestModels = requestModels;
  const scopes = optStringList(body, 'authorizationScopes');
  if (scopes?.length) method.authorizationScopes = scopes;
  resource.methods[httpMethod] = method;
  return methodOut(method);
}

export function getMethod(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string) {
  const { resource } = store.resource(ctx, apiId, resourceId);
  return methodOut(findMethod(resource, httpMethod));
}

export function deleteMethod(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string): void {
  const { resource } = store.resource(ctx, apiId, resourceId);
  findMethod(resource, httpMethod);
  delete resource.methods[httpMethod];
}

export function updateMethod(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, body: Body) {
  const { api, resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  const ops = patchOperations(body, 'updateMethodInput');
  const next: Method = structuredClone(method);
  let authorizerId = method.authorizerId;
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const rawParts = (o.path ?? '').slice(1).split('/');
    switch (parts[0]) {
      case 'authorizationType':
        onlyReplace(o.op);
        next.authorizationType = o.value ?? 'NONE';
        break;
      case 'authorizerId':
        onlyReplace(o.op);
        authorizerId = o.value;
        break;
      case 'apiKeyRequired':
        onlyReplace(o.op);
        next.apiKeyRequired = patchBool(o.value);
        break;
      case 'operationName':
        onlyReplace(o.op);
        next.operationName = o.value || undefined;
        break;
      case 'requestValidatorId':
        onlyReplace(o.op);
        if (o.value) throw badRequest('Invalid Request Validator identifier specified');
        delete next.requestValidatorId;
        break;
      case 'requestParameters':
      case 'requestModels': {
        // One key after the member, `~1`-escaped when it holds a slash [rec].
        if (rawParts.length !== 2 || !rawParts[1]) throw badRequest(`Invalid patch path ${o.path}`);
        const key = parts[1];
        const map = { ...(next[parts[0]] ?? {}) } as Record<string, unknown>;
        if (o.op === 'remove') delete map[key];
        else if (o.op === 'add' || o.op === 'replace') map[key] = parts[0] === 'requestParameters' ? patchBool(o.value) : o.value;
        else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
        if (parts[0] === 'requestModels') checkModels(map as Record<string, string>);
        (next as unknown as Record<string, unknown>)[parts[0]] = Object.keys(map).length ? map : undefined;
        break;
      }
      case 'authorizationScopes':
        if (o.op === 'add' && o.value) next.authorizationScopes = [...(next.authorizationScopes ?? []), o.value];
        else if (o.op === 'remove') next.authorizationScopes = (next.authorizationScopes ?? []).filter((s) => s !== o.value);
        else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'`);
        if (!next.authorizationScopes.length) delete next.authorizationScopes;
        break;
      default:
        throw badRequest(`Invalid patch path ${o.path}`);
    }
  }
  const kept = checkAuthorizer(api, next.authorizationType, authorizerId);
  if (kept) next.authorizerId = kept;
  else delete next.authorizerId;
  for (const k of Object.keys(next) as (keyof Method)[]) if (next[k] === undefined) delete next[k];
  resource.methods[httpMethod] = next;
  return methodOut(next);
}

// ------------------------------------------------------------------ method responses

function responseStatus(statusCode: string, extra?: (v: Validator) => void): void {
  const v = new Validator();
  extra?.(v);
  statusCodeProblem(v, statusCode);
  v.check();
}

export function putMethodResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string, body: Body) {
  responseStatus(statusCode);
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  const r: MethodResponse = { statusCode };
  const responseParameters = optBoolMap(body, 'responseParameters');
  const responseModels = optStringMap(body, 'responseModels') as Record<string, string> | undefined;
  if (responseParameters) r.responseParameters = responseParameters;
  if (responseModels) {
    checkModels(responseModels);
    r.responseModels = responseModels;
  }
  method.methodResponses[statusCode] = r;
  return structuredClone(r);
}

function findMethodResponse(method: Method, statusCode: string): MethodResponse {
  const r = method.methodResponses[statusCode];
  if (!r) throw invalidStatusCode();
  return r;
}

export function getMethodResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string) {
  responseStatus(statusCode);
  const { resource } = store.resource(ctx, apiId, resourceId);
  return structuredClone(findMethodResponse(findMethod(resource, httpMethod), statusCode));
}

export function deleteMethodResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string): void {
  responseStatus(statusCode);
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  findMethodResponse(method, statusCode);
  delete method.methodResponses[statusCode];
}

const RESPONSE_PARAMETER = /^method\.response\.header\.[^\s.]+$/;

export function updateMethodResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string, body: Body) {
  // Bad ops and a bad statusCode are reported together, ops first [rec].
  const ops = patchOperations(body, 'updateMethodResponseInput', (v) => statusCodeProblem(v, statusCode));
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  const current = findMethodResponse(method, statusCode);
  const next: MethodResponse = structuredClone(current);
  for (const o of ops) {
    const rawParts = (o.path ?? '').slice(1).split('/');
    const parts = pointerParts(o.path);
    const member = parts[0];
    if ((member !== 'responseParameters' && member !== 'responseModels') || rawParts.length !== 2) throw badRequest(`Invalid patch path ${o.path}`);
    const key = parts[1];
    if (member === 'responseParameters') {
      const map = { ...(next.responseParameters ?? {}) };
      if (!RESPONSE_PARAMETER.test(key)) throw notFound('Invalid parameter name specified');
      if (o.op === 'remove') {
        if (!(key in map)) throw notFound('Invalid parameter name specified');
        delete map[key];
      } else if (o.op === 'add' || o.op === 'replace') map[key] = patchBool(o.value);
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
      next.responseParameters = map;
    } else {
      const map = { ...(next.responseModels ?? {}) };
      if (o.op === 'remove') {
        if (!(key in map)) throw notFound('Content-Type specified was not found');
        delete map[key];
      } else if (o.op === 'add' || o.op === 'replace') {
        if (o.op === 'replace' && !(key in map)) throw notFound('Content-Type specified was not found');
        map[key] = o.value ?? '';
        checkModels({ [key]: map[key] });
      } else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
      next.responseModels = map;
    }
  }
  method.methodResponses[statusCode] = next;
  return structuredClone(next);
}
