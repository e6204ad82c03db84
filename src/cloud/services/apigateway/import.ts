/**
 * ImportRestApi (POST /restapis?mode=import) and PutRestApi (PUT /restapis/{id}?mode=merge|overwrite):
 * an OpenAPI 3 / Swagger 2 document (openapi.ts) applied to a new or existing API.
 *   overwrite  the API becomes the document: resources, methods, authorizers and binary media
 *              types replaced (the root resource and the API id stay)
 *   merge      (PutRestApi's default) the document's methods are added or replace those at the
 *              same path and verb; binary media types are added to the API's [rec]
 * The name, description and version come from `info`. A document that cannot be read is
 * "Invalid OpenAPI input." (checked before the API id [rec]); integrations that PutIntegration
 * would refuse fail the import as a whole ("Errors found during import: ...").
 */
import type { RequestContext } from '../../protocols/types';
import { AwsError } from '../../errors';
import { badRequest } from './errors';
import { checkAuthorizer } from './authorizers';
import { checkUri, DEFAULT_TIMEOUT_MS, INTEGRATION_TYPES } from './integrations';
import { type ApiSpec, type MethodSpec, parseDocument, readSpec } from './openapi';
import { restApiOut } from './output';
import { newRestApi } from './rest-apis';
import { addResource, checkPlacement, validPathPart } from './resources';
import type { ApiGatewayStore } from './store';
import type { Authorizer, Integration, Method, Resource, RestApi } from './types';

function importError(lines: string[]): AwsError {
  return badRequest(`Errors found during import:\n\t${lines.join('\n\t')}`);
}

/** The checks that need nothing of the API: integrations and path parts. */
function precheck(spec: ApiSpec): void {
  const errors: string[] = [];
  for (const path of spec.paths) {
    for (const part of path.split('/').filter(Boolean)) {
      try {
        validPathPart(part);
      } catch (e) {
        errors.push(`Unable to create resource at path '${path}': ${(e as Error).message}`);
        break;
      }
    }
  }
  for (const m of spec.methods) {
    const i = m.integration;
    if (!i) continue;
    const where = `Unable to put integration on '${m.httpMethod}' for resource at path '${m.path}'`;
    if (!INTEGRATION_TYPES.includes(i.type)) {
      errors.push(`${where}: Invalid integration type specified: ${i.type}`);
      continue;
    }
    try {
      checkUri(i.type, i.uri);
    } catch (e) {
      errors.push(`${where}: ${(e as Error).message}`);
    }
  }
  for (const a of spec.authorizers) {
    try {
      checkAuthorizer({ id: '', ...a });
    } catch (e) {
      errors.push(`Unable to create authorizer '${a.name}': ${(e as Error).message}`);
    }
  }
  if (errors.length) throw importError(errors);
}

/** The resource at `path`, made (with its parents) when missing. */
function resourceAt(store: ApiGatewayStore, api: RestApi, path: string): Resource {
  let current = api.resources.get(api.rootResourceId)!;
  for (const part of path.split('/').filter(Boolean)) {
    const child = [...api.resources.values()].find((r) => r.parentId === current.id && r.pathPart === part);
    if (child) {
      current = child;
      continue;
    }
    try {
      checkPlacement(api, current, part);
    } catch (e) {
      throw importError([`Unable to create resource at path '${path}': ${(e as Error).message}`]);
    }
    current = addResource(store, api, current.id, part);
  }
  return current;
}

function methodOf(m: MethodSpec, resource: Resource, authorizerIds: Map<string, string>): Method {
  const method: Method = {
    httpMethod: m.httpMethod,
    authorizationType: m.authorizationType,
    apiKeyRequired: m.apiKeyRequired,
    methodResponses: structuredClone(m.methodResponses),
  };
  const authorizerId = m.authorizerName ? authorizerIds.get(m.authorizerName) : undefined;
  if (authorizerId) method.authorizerId = authorizerId;
  if (m.authorizationScopes) method.authorizationScopes = [...m.authorizationScopes];
  if (m.operationName) method.operationName = m.operationName;
  if (m.requestParameters) method.requestParameters = { ...m.requestParameters };
  if (m.requestModels) method.requestModels = { ...m.requestModels };
  const i = m.integration;
  if (i) {
    const integration: Integration = {
      type: i.type,
      passthroughBehavior: i.passthroughBehavior,
      timeoutInMillis: i.timeoutInMillis || DEFAULT_TIMEOUT_MS,
      cacheNamespace: i.cacheNamespace ?? resource.id,
      cacheKeyParameters: [...i.cacheKeyParameters],
      integrationResponses: structuredClone(i.integrationResponses),
    };
    if (i.httpMethod) integration.httpMethod = i.httpMethod;
    if (i.uri && i.type !== 'MOCK') integration.uri = i.uri;
    if (i.type === 'HTTP' || i.type === 'HTTP_PROXY') integration.connectionType = i.connectionType ?? 'INTERNET';
    for (const k of ['credentials', 'connectionId', 'contentHandling'] as const) if (i[k]) integration[k] = i[k];
    if (i.requestTemplates) integration.requestTemplates = { ...i.requestTemplates };
    if (i.requestParameters) integration.requestParameters = { ...i.requestParameters };
    method.methodIntegration = integration;
  }
  return method;
}

function apply(store: ApiGatewayStore, api: RestApi, spec: ApiSpec, mode: 'merge' | 'overwrite'): void {
  if (mode === 'overwrite') {
    const root = api.resources.get(api.rootResourceId)!;
    api.resources.clear();
    api.resources.set(root.id, { ...root, methods: {} });
    api.authorizers.clear();
    api.binaryMediaTypes = [...spec.binaryMediaTypes];
  } else {
    api.binaryMediaTypes = [...new Set([...api.binaryMediaTypes, ...spec.binaryMediaTypes])];
  }
  if (spec.title) api.name = spec.title;
  if (spec.description !== undefined) api.description = spec.description;
  else if (mode === 'overwrite') delete api.description;
  if (spec.version !== undefined) api.version = spec.version;
  if (spec.apiKeySource) api.apiKeySource = spec.apiKeySource;

  const authorizerIds = new Map<string, string>();
  for (const a of spec.authorizers) {
    const existing = [...api.authorizers.values()].find((x) => x.name === a.name);
    const record: Authorizer = { ...structuredClone(a), id: existing?.id ?? store.newId() };
    api.authorizers.set(record.id, record);
    authorizerIds.set(a.name, record.id);
  }
  for (const path of spec.paths) resourceAt(store, api, path);
  for (const m of spec.methods) {
    const resource = resourceAt(store, api, m.path);
    resource.methods[m.httpMethod] = methodOf(m, resource, authorizerIds);
  }
}

function failOnWarnings(query: URLSearchParams, spec: ApiSpec): void {
  if (query.get('failonwarnings') === 'true' && spec.warnings.length) {
    throw badRequest(`Warnings found during import:\n\t${spec.warnings.join('\n\t')}`);
  }
}

export function importRestApi(store: ApiGatewayStore, ctx: RequestContext, raw: Buffer, query: URLSearchParams) {
  const spec = readSpec(parseDocument(raw));
  if (!spec.title) throw badRequest('Invalid OpenAPI input.');
  precheck(spec);
  failOnWarnings(query, spec);
  const api = newRestApi(store, ctx, spec.title);
  const endpointType = query.get('endpointConfigurationTypes');
  if (endpointType) {
    const type = endpointType.toUpperCase();
    if (!['EDGE', 'REGIONAL', 'PRIVATE'].includes(type)) {
      store.region(ctx).apis.delete(api.id);
      throw badRequest(`Invalid endpoint configuration type: ${endpointType}`);
    }
    api.endpointConfiguration = { types: [type], ipAddressType: type === 'PRIVATE' ? 'dualstack' : 'ipv4' };
  }
  try {
    apply(store, api, spec, 'overwrite');
  } catch (e) {
    store.region(ctx).apis.delete(api.id);
    throw e;
  }
  const out = restApiOut(api, 'nonEmpty');
  return spec.warnings.length && query.get('failonwarnings') !== 'true' ? { ...out, warnings: spec.warnings } : out;
}

export function putRestApi(store: ApiGatewayStore, ctx: RequestContext, apiId: string, raw: Buffer, query: URLSearchParams) {
  const spec = readSpec(parseDocument(raw));
  const api = store.api(ctx, apiId);
  const mode = query.get('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'overwrite') throw badRequest(`Invalid mode specified: ${mode}. Valid values are: [merge, overwrite]`);
  precheck(spec);
  failOnWarnings(query, spec);
  // Applied to a copy: a failure halfway leaves the API as it was.
  const copy: RestApi = { ...structuredClone({ ...api, deployments: new Map(), stages: new Map() }), deployments: api.deployments, stages: api.stages };
  apply(store, copy, spec, mode);
  Object.assign(api, copy);
  return restApiOut(api, 'always');
}
