/**
 * The records as the API answers them. AWS leaves out members that were never set, and answers
 * `tags` differently per call [rec]: Create* and Get*s lists only when there are tags, Get/Update
 * always (`"tags": {}`).
 */
import { resourcePath } from './store';
import type { ApiKey, Authorizer, Deployment, Integration, Method, Resource, RestApi, Stage, UsagePlan } from './types';

export type TagsMode = 'always' | 'nonEmpty';

/** The object without its undefined members. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function tagsOut(tags: Record<string, string>, mode: TagsMode): Record<string, string> | undefined {
  return mode === 'always' || Object.keys(tags).length ? { ...tags } : undefined;
}

const nonEmpty = <T extends object>(o: T | undefined): T | undefined => (o && Object.keys(o).length ? o : undefined);

export function restApiOut(api: RestApi, tags: TagsMode) {
  return compact({
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate,
    version: api.version,
    warnings: api.warnings,
    binaryMediaTypes: api.binaryMediaTypes.length ? [...api.binaryMediaTypes] : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: structuredClone(api.endpointConfiguration),
    policy: api.policy,
    tags: tagsOut(api.tags, tags),
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  });
}

export function integrationOut(i: Integration) {
  return compact({
    type: i.type,
    httpMethod: i.httpMethod,
    uri: i.uri,
    connectionType: i.connectionType,
    connectionId: i.connectionId,
    credentials: i.credentials,
    requestParameters: i.requestParameters ? { ...i.requestParameters } : undefined,
    requestTemplates: i.requestTemplates ? { ...i.requestTemplates } : undefined,
    passthroughBehavior: i.passthroughBehavior,
    contentHandling: i.contentHandling,
    timeoutInMillis: i.timeoutInMillis,
    cacheNamespace: i.cacheNamespace,
    cacheKeyParameters: [...i.cacheKeyParameters],
    integrationResponses: nonEmpty(structuredClone(i.integrationResponses)),
    tlsConfig: i.tlsConfig ? { ...i.tlsConfig } : undefined,
  });
}

export function methodOut(m: Method) {
  return compact({
    httpMethod: m.httpMethod,
    authorizationType: m.authorizationType,
    authorizerId: m.authorizerId,
    apiKeyRequired: m.apiKeyRequired,
    requestValidatorId: m.requestValidatorId,
    operationName: m.operationName,
    requestParameters: m.requestParameters ? { ...m.requestParameters } : undefined,
    requestModels: m.requestModels ? { ...m.requestModels } : undefined,
    methodResponses: nonEmpty(structuredClone(m.methodResponses)),
    methodIntegration: m.methodIntegration ? integrationOut(m.methodIntegration) : undefined,
    authorizationScopes: m.authorizationScopes ? [...m.authorizationScopes] : undefined,
  });
}

/**
 * A resource. `methods`: 'none' (CreateResource), 'names' (GetResources: `{"GET": {}}` per method,
 * as AWS lists them [rec]), 'full' (GetResource, GetResources?embed=methods).
 */
export function resourceOut(api: RestApi, r: Resource, methods: 'none' | 'names' | 'full') {
  const names = Object.keys(r.methods);
  let resourceMethods: Record<string, unknown> | undefined;
  if (methods !== 'none' && names.length) {
    resourceMethods = {};
    for (const n of names) resourceMethods[n] = methods === 'full' ? methodOut(r.methods[n]) : {};
  }
  return compact({ id: r.id, parentId: r.parentId, pathPart: r.pathPart, path: resourcePath(api, r), resourceMethods });
}

export function deploymentOut(d: Deployment) {
  return compact({ id: d.id, description: d.description, createdDate: d.createdDate });
}

export function stageOut(s: Stage) {
  return compact({
    deploymentId: s.deploymentId,
    clientCertificateId: s.clientCertificateId,
    stageName: s.stageName,
    description: s.description,
    cacheClusterEnabled: s.cacheClusterEnabled,
    cacheClusterSize: s.cacheClusterSize,
    cacheClusterStatus: s.cacheClusterStatus,
    methodSettings: structuredClone(s.methodSettings),
    variables: s.variables ? { ...s.variables } : undefined,
    documentationVersion: s.documentationVersion,
    accessLogSettings: s.accessLogSettings ? { ...s.accessLogSettings } : undefined,
    canarySettings: s.canarySettings ? structuredClone(s.canarySettings) : undefined,
    tracingEnabled: s.tracingEnabled,
    tags: tagsOut(s.tags, 'nonEmpty'),
    createdDate: s.createdDate,
    lastUpdatedDate: s.lastUpdatedDate,
  });
}

export function authorizerOut(a: Authorizer) {
  return compact({
    id: a.id,
    name: a.name,
    type: a.type,
    providerARNs: a.providerARNs ? [...a.providerARNs] : undefined,
    authType: a.authType,
    authorizerUri: a.authorizerUri,
    authorizerCredentials: a.authorizerCredentials,
    identitySource: a.identitySource,
    identityValidationExpression: a.identityValidationExpression,
    authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
  });
}

export function apiKeyOut(k: ApiKey, opts: { value: boolean; tags: TagsMode }) {
  return compact({
    id: k.id,
    value: opts.value ? k.value : undefined,
    name: k.name,
    customerId: k.customerId,
    description: k.description,
    enabled: k.enabled,
    createdDate: k.createdDate,
    lastUpdatedDate: k.lastUpdatedDate,
    stageKeys: [...k.stageKeys],
    tags: tagsOut(k.tags, opts.tags),
  });
}

export function usagePlanOut(p: UsagePlan, tags: TagsMode) {
  return compact({
    id: p.id,
    name: p.name,
    description: p.description,
    apiStages: structuredClone(p.apiStages),
    throttle: p.throttle ? { ...p.throttle } : undefined,
    quota: p.quota ? { ...p.quota } : undefined,
    productCode: p.productCode,
    tags: tagsOut(p.tags, tags),
  });
}
