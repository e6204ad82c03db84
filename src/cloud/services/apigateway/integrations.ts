/**
 * PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration and the integration
 * responses. URI checks and texts [rec: test_apigateway_integrations/lambda/api.snapshot.json]:
 *   HTTP, HTTP_PROXY   an http(s) URL                 "Invalid HTTP endpoint specified for URI"
 *   AWS, AWS_PROXY     arn:aws:apigateway:<region>:<service>:path|action/...
 *   AWS_PROXY          only lambda:path/2015-03-31/functions/<function ARN>/invocations
 *   MOCK               no URI (one given is dropped)
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, invalidIntegration, invalidStatusCode } from './errors';
import { type Body, optString, optStringList, optStringMap, optInt } from './input';
import { integrationOut } from './output';
import { findMethod, statusCodeProblem } from './methods';
import { onlyReplace, patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { Integration, IntegrationResponse, Method } from './types';

export const INTEGRATION_TYPES = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'];
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];
export const DEFAULT_TIMEOUT_MS = 29000;
const AWS_PROXY_TEXT = "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.";

/**
 * The function ARN inside a Lambda integration URI
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<fn>/invocations`), or undefined.
 */
export function lambdaFunctionOfUri(uri: string): string | undefined {
  const m = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri);
  return m?.[1];
}

/** The URI checks AWS makes per integration type (throws BadRequestException). */
export function checkUri(type: string, uri: string | undefined): void {
  if (type === 'MOCK') return;
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    if (!uri || !/^https?:\/\/[^/\s]+/i.test(uri)) throw badRequest('Invalid HTTP endpoint specified for URI');
    return;
  }
  if (!uri || !uri.startsWith('arn:')) throw badRequest('Invalid ARN specified in the request');
  const m = /^arn:[^:]+:apigateway:[^:]*:([^:]+):(path|action)\/(.+)$/.exec(uri);
  if (!m) throw badRequest('AWS ARN for integration must contain path or action');
  if (type === 'AWS_PROXY') {
    const [, service] = m;
    if (service === 'firehose') return;
    if (service !== 'lambda' || !lambdaFunctionOfUri(uri)) throw badRequest(AWS_PROXY_TEXT);
  }
}

function checkTimeout(ms: number): number {
  if (ms < 50 || ms > DEFAULT_TIMEOUT_MS) throw badRequest('Timeout should be between 50 ms and 29000 ms');
  return ms;
}

function checkTemplates(templates: Record<string, string | null> | undefined): Record<string, string | null> | undefined {
  if (!templates) return undefined;
  const out: Record<string, string | null> = {};
  for (const [ct, t] of Object.entries(templates)) {
    if (!/^[^\s/]+\/[^\s/]+$/.test(ct)) throw badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${ct}]`);
    // An empty template is kept as null [rec: test_put_integration_response_templates].
    out[ct] = t === '' ? null : t;
  }
  return out;
}

export function putIntegration(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, body: Body) {
  const type = optString(body, 'type');
  const v = new Validator();
  v.required(type, 'putIntegrationInput.type');
  v.oneOf(type, 'putIntegrationInput.type', INTEGRATION_TYPES);
  v.check();
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  const integrationHttpMethod = optString(body, 'httpMethod');
  if (type !== 'MOCK' && !integrationHttpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  const uri = optString(body, 'uri');
  checkUri(type!, uri);
  const passthrough = optString(body, 'passthroughBehavior') ?? 'WHEN_NO_MATCH';
  if (!PASSTHROUGH.includes(passthrough)) {
    throw badRequest(`Invalid passthrough behavior specified: ${passthrough}, valid values are: [${PASSTHROUGH.join(', ')}]`);
  }
  const contentHandling = optString(body, 'contentHandling');
  if (contentHandling && !CONTENT_HANDLING.includes(contentHandling)) throw badRequest(`Invalid content handling specified: ${contentHandling}`);
  const integration: Integration = {
    type: type!,
    passthroughBehavior: passthrough,
    timeoutInMillis: checkTimeout(optInt(body, 'timeoutInMillis') ?? DEFAULT_TIMEOUT_MS),
    cacheNamespace: optString(body, 'cacheNamespace') ?? resource.id,
    cacheKeyParameters: optStringList(body, 'cacheKeyParameters') ?? [],
    integrationResponses: {},
  };
  if (integrationHttpMethod) integration.httpMethod = integrationHttpMethod;
  if (type !== 'MOCK' && uri) integration.uri = uri;
  if (type === 'HTTP' || type === 'HTTP_PROXY') integration.connectionType = optString(body, 'connectionType') ?? 'INTERNET';
  const optional = {
    connectionId: optString(body, 'connectionId'),
    credentials: optString(body, 'credentials'),
    requestParameters: optStringMap(body, 'requestParameters') as Record<string, string> | undefined,
    requestTemplates: checkTemplates(optStringMap(body, 'requestTemplates', true)),
    contentHandling,
  };
  for (const [k, val] of Object.entries(optional)) if (val !== undefined) (integration as unknown as Record<string, unknown>)[k] = val;
  const tls = body.tlsConfig;
  if (tls && typeof tls === 'object') integration.tlsConfig = { ...(tls as { insecureSkipVerification?: boolean }) };
  method.methodIntegration = integration;
  return integrationOut(integration);
}

function findIntegration(method: Method): Integration {
  if (!method.methodIntegration) throw invalidIntegration();
  return method.methodIntegration;
}

export function getIntegration(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string) {
  const { resource } = store.resource(ctx, apiId, resourceId);
  return integrationOut(findIntegration(findMethod(resource, httpMethod)));
}

export function deleteIntegration(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string): void {
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  findIntegration(method);
  delete method.methodIntegration;
}

const INTEGRATION_PATHS = ['uri', 'httpMethod', 'passthroughBehavior', 'timeoutInMillis', 'contentHandling', 'credentials', 'connectionType', 'connectionId', 'cacheNamespace'];

export function updateIntegration(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, body: Body) {
  const ops = patchOperations(body, 'updateIntegrationInput');
  const { resource } = store.resource(ctx, apiId, resourceId);
  const method = findMethod(resource, httpMethod);
  const next: Integration = structuredClone(findIntegration(method));
  const fields = next as unknown as Record<string, unknown>;
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const member = parts[0];
    if (INTEGRATION_PATHS.includes(member) && parts.length === 1) {
      onlyReplace(o.op);
      if (member === 'timeoutInMillis') next.timeoutInMillis = checkTimeout(Number(o.value));
      else if (member === 'passthroughBehavior' && !PASSTHROUGH.includes(o.value ?? '')) {
        throw badRequest(`Invalid passthrough behavior specified: ${o.value}, valid values are: [${PASSTHROUGH.join(', ')}]`);
      } else if (o.value === undefined || o.value === '') delete fields[member];
      else fields[member] = o.value;
    } else if ((member === 'requestTemplates' || member === 'requestParameters') && parts.length === 2) {
      const map = { ...((fields[member] as Record<string, string | null>) ?? {}) };
      if (o.op === 'remove') delete map[parts[1]];
      else if (o.op === 'add' || o.op === 'replace') map[parts[1]] = o.value ?? null;
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
      fields[member] = member === 'requestTemplates' ? checkTemplates(map) : map;
    } else if (member === 'cacheKeyParameters' && parts.length === 2) {
      if (o.op === 'add') next.cacheKeyParameters = [...new Set([...next.cacheKeyParameters, parts[1]])];
      else if (o.op === 'remove') next.cacheKeyParameters = next.cacheKeyParameters.filter((k) => k !== parts[1]);
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'`);
    } else {
      throw badRequest(`Invalid patch path ${o.path}`);
    }
  }
  checkUri(next.type, next.uri);
  method.methodIntegration = next;
  return integrationOut(next);
}

// ------------------------------------------------------------------ integration responses

function statusOk(statusCode: string, extra?: (v: Validator) => void): void {
  const v = new Validator();
  extra?.(v);
  statusCodeProblem(v, statusCode);
  v.check();
}

function integrationOf(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string): Integration {
  const { resource } = store.resource(ctx, apiId, resourceId);
  return findIntegration(findMethod(resource, httpMethod));
}

function integrationResponseOut(r: IntegrationResponse) {
  return structuredClone(r);
}

export function putIntegrationResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string, body: Body) {
  statusOk(statusCode);
  const integration = integrationOf(store, ctx, apiId, resourceId, httpMethod);
  const r: IntegrationResponse = { statusCode };
  const selectionPattern = optString(body, 'selectionPattern');
  if (selectionPattern !== undefined) {
    try {
      new RegExp(selectionPattern);
    } catch {
      throw badRequest(`Invalid selection pattern specified: ${selectionPattern}`);
    }
    r.selectionPattern = selectionPattern;
  }
  const responseParameters = optStringMap(body, 'responseParameters') as Record<string, string> | undefined;
  if (responseParameters) r.responseParameters = responseParameters;
  const responseTemplates = checkTemplates(optStringMap(body, 'responseTemplates', true));
  if (responseTemplates) r.responseTemplates = responseTemplates;
  const contentHandling = optString(body, 'contentHandling');
  if (contentHandling) {
    if (!CONTENT_HANDLING.includes(contentHandling)) throw badRequest(`Invalid content handling specified: ${contentHandling}`);
    r.contentHandling = contentHandling;
  }
  integration.integrationResponses[statusCode] = r;
  return integrationResponseOut(r);
}

function findIntegrationResponse(integration: Integration, statusCode: string): IntegrationResponse {
  const r = integration.integrationResponses[statusCode];
  if (!r) throw invalidStatusCode();
  return r;
}

export function getIntegrationResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string) {
  statusOk(statusCode);
  return integrationResponseOut(findIntegrationResponse(integrationOf(store, ctx, apiId, resourceId, httpMethod), statusCode));
}

export function deleteIntegrationResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string): void {
  statusOk(statusCode);
  const { resource } = store.resource(ctx, apiId, resourceId);
  // A missing method is answered like a missing integration here [rec: test_delete_integration_response_errors].
  const integration = resource.methods[httpMethod]?.methodIntegration;
  if (!integration) throw invalidIntegration();
  findIntegrationResponse(integration, statusCode);
  delete integration.integrationResponses[statusCode];
}

export function updateIntegrationResponse(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, statusCode: string, body: Body) {
  const ops = patchOperations(body, 'updateIntegrationResponseInput', (v) => statusCodeProblem(v, statusCode));
  const integration = integrationOf(store, ctx, apiId, resourceId, httpMethod);
  const next = structuredClone(findIntegrationResponse(integration, statusCode));
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const member = parts[0];
    if ((member === 'selectionPattern' || member === 'contentHandling') && parts.length === 1) {
      onlyReplace(o.op);
      if (o.value === undefined) delete next[member];
      else next[member] = o.value;
    } else if ((member === 'responseTemplates' || member === 'responseParameters') && parts.length === 2) {
      const map = { ...((next[member] as Record<string, string | null>) ?? {}) };
      if (o.op === 'remove') delete map[parts[1]];
      else if (o.op === 'add' || o.op === 'replace') map[parts[1]] = o.value ?? null;
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
      if (member === 'responseTemplates') next.responseTemplates = checkTemplates(map);
      else next.responseParameters = map as Record<string, string>;
    } else {
      throw badRequest(`Invalid patch path ${o.path}`);
    }
  }
  integration.integrationResponses[statusCode] = next;
  return integrationResponseOut(next);
}
