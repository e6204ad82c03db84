/**
 * CreateStage, GetStage, GetStages, UpdateStage, DeleteStage, FlushStageAuthorizersCache.
 * Stage variables (`${stageVariables.name}` in integration URIs, `stageVariables` in events) and
 * method settings patched by path (`/*\/*\/throttling/burstLimit`, `/~1pets/GET/caching/enabled`).
 * Defaults and texts [rec: test_apigateway_common.snapshot.json].
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, conflict, invalidDeployment, invalidStage } from './errors';
import { type Body, optBool, optString, optStringMap } from './input';
import { stageOut } from './output';
import { patchBool, patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { MethodSetting, RestApi, Stage } from './types';

const STAGE_NAME = /^[A-Za-z0-9_-]+$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=, ]*$/;

/** AWS's list in "Invalid method setting path" [rec], word for word (its missing commas included). */
const SETTING_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

/** A method setting's defaults, as AWS fills them in on the first patch [rec]. */
function defaultSetting(): MethodSetting {
  return {
    metricsEnabled: false,
    dataTraceEnabled: false,
    throttlingBurstLimit: 5000,
    throttlingRateLimit: 10000,
    cachingEnabled: false,
    cacheTtlInSeconds: 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

const SETTING_FIELDS: Record<string, [keyof MethodSetting, 'bool' | 'int' | 'number' | 'string']> = {
  'metrics/enabled': ['metricsEnabled', 'bool'],
  'logging/dataTrace': ['dataTraceEnabled', 'bool'],
  'logging/loglevel': ['loggingLevel', 'string'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'int'],
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'int'],
  'caching/enabled': ['cachingEnabled', 'bool'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'bool'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'bool'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'string'],
};

function checkVariables(variables: Record<string, string> | undefined): void {
  for (const [k, val] of Object.entries(variables ?? {})) {
    if (!VARIABLE_NAME.test(k)) throw badRequest(`Stage variable name ${k} contains invalid characters. Stage variable names can only contain alphanumeric characters and underscores.`);
    if (!VARIABLE_VALUE.test(val)) throw badRequest(`Stage variable value ${val} contains invalid characters. Stage variable values can only contain alphanumeric characters and the symbols ' ', '-', '.', '_', '~', ':', '/', '?', '#', '&', '=', ','.`);
  }
}

/** A new stage record (also made by CreateDeployment with a stageName). */
export function createStageRecord(
  store: ApiGatewayStore,
  api: RestApi,
  o: { stageName: string; deploymentId: string; description?: string; variables?: Record<string, string> },
): Stage {
  if (!STAGE_NAME.test(o.stageName)) throw badRequest('Stage name only allows a-zA-Z0-9_-');
  checkVariables(o.variables);
  const now = store.nowSeconds();
  const stage: Stage = {
    stageName: o.stageName,
    deploymentId: o.deploymentId,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: {},
    tracingEnabled: false,
    tags: {},
    createdDate: now,
    lastUpdatedDate: now,
  };
  if (o.description) stage.description = o.description;
  if (o.variables && Object.keys(o.variables).length) stage.variables = { ...o.variables };
  api.stages.set(o.stageName, stage);
  return stage;
}

export function findStage(api: RestApi, name: string): Stage {
  const s = api.stages.get(name);
  if (!s) throw invalidStage();
  return s;
}

export function createStage(store: ApiGatewayStore, ctx: RequestContext, apiId: string, body: Body) {
  const stageName = optString(body, 'stageName');
  const deploymentId = optString(body, 'deploymentId');
  const v = new Validator();
  v.required(stageName, 'createStageInput.stageName');
  v.required(deploymentId, 'createStageInput.deploymentId');
  v.check();
  const api = store.api(ctx, apiId);
  if (!api.deployments.has(deploymentId!)) throw invalidDeployment();
  if (api.stages.has(stageName!)) throw conflict('Stage already exists');
  const stage = createStageRecord(store, api, {
    stageName: stageName!,
    deploymentId: deploymentId!,
    description: optString(body, 'description'),
    variables: optStringMap(body, 'variables') as Record<string, string> | undefined,
  });
  stage.cacheClusterEnabled = optBool(body, 'cacheClusterEnabled') ?? false;
  stage.tracingEnabled = optBool(body, 'tracingEnabled') ?? false;
  const size = optString(body, 'cacheClusterSize');
  if (size) stage.cacheClusterSize = size;
  const docVersion = optString(body, 'documentationVersion');
  if (docVersion) stage.documentationVersion = docVersion;
  stage.tags = (optStringMap(body, 'tags') ?? {}) as Record<string, string>;
  return stageOut(stage);
}

export function getStage(store: ApiGatewayStore, ctx: RequestContext, apiId: string, name: string) {
  return stageOut(findStage(store.api(ctx, apiId), name));
}

/** GetStages answers `{"item": [...]}` (no paging) and filters by deploymentId [rec]. */
export function getStages(store: ApiGatewayStore, ctx: RequestContext, apiId: string, query: URLSearchParams) {
  const api = store.api(ctx, apiId);
  const deploymentId = query.get('deploymentId');
  return { item: [...api.stages.values()].filter((s) => !deploymentId || s.deploymentId === deploymentId).map(stageOut) };
}

export function deleteStage(store: ApiGatewayStore, ctx: RequestContext, apiId: string, name: string): void {
  const api = store.api(ctx, apiId);
  findStage(api, name);
  api.stages.delete(name);
  store.flushAuthorizerCache(api.id, name);
}

export function flushStageAuthorizersCache(store: ApiGatewayStore, ctx: RequestContext, apiId: string, name: string): void {
  findStage(store.api(ctx, apiId), name);
  store.flushAuthorizerCache(apiId, name);
}

function settingValue(kind: 'bool' | 'int' | 'number' | 'string', value: string | undefined): boolean | number | string {
  if (kind === 'bool') return patchBool(value);
  if (kind === 'string') return value ?? '';
  const n = Number(value);
  if (value === undefined || value === '' || Number.isNaN(n) || (kind === 'int' && !Number.isInteger(n))) {
    throw badRequest(`Invalid value for method setting: ${value}`);
  }
  return n;
}

export function updateStage(store: ApiGatewayStore, ctx: RequestContext, apiId: string, name: string, body: Body) {
  const ops = patchOperations(body, 'updateStageInput');
  const api = store.api(ctx, apiId);
  const stage = findStage(api, name);
  const next: Stage = structuredClone(stage);
  const invalid = (path: string | undefined) => badRequest(`Invalid method setting path: ${path}. Must be one of: ${SETTING_PATHS}`);
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const rawParts = (o.path ?? '').slice(1).split('/');
    const [head] = parts;
    if (head === 'deploymentId' && parts.length === 1) {
      if (!o.value || !api.deployments.has(o.value)) throw invalidDeployment();
      next.deploymentId = o.value;
    } else if ((head === 'description' || head === 'cacheClusterSize' || head === 'clientCertificateId') && parts.length === 1) {
      if (o.op === 'remove' || !o.value) delete next[head];
      else next[head] = o.value;
    } else if ((head === 'cacheClusterEnabled' || head === 'tracingEnabled') && parts.length === 1) {
      next[head] = patchBool(o.value);
      if (head === 'cacheClusterEnabled') next.cacheClusterStatus = next.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE';
    } else if (head === 'variables' && parts.length === 2) {
      const vars = { ...(next.variables ?? {}) };
      if (o.op === 'remove') delete vars[parts[1]];
      else {
        vars[parts[1]] = o.value ?? '';
        checkVariables({ [parts[1]]: vars[parts[1]] });
      }
      next.variables = Object.keys(vars).length ? vars : undefined;
    } else if (head === 'accessLogSettings') {
      if (o.op === 'remove' && parts.length === 1) delete next.accessLogSettings;
      else if (parts[1] === 'format' || parts[1] === 'destinationArn') next.accessLogSettings = { ...(next.accessLogSettings ?? {}), [parts[1]]: o.value };
      else throw invalid(o.path);
    } else if (rawParts.length === 2 && o.op === 'remove' && parts[0] !== undefined) {
      // remove /{resourcePath}/{httpMethod}: the whole method setting [rec]
      const key = settingKey(parts[0], parts[1]);
      if (!next.methodSettings[key]) throw badRequest(`Cannot remove method setting ${key} because there is no method setting for this method `);
      delete next.methodSettings[key];
    } else if (rawParts.length === 4 && SETTING_FIELDS[`${parts[2]}/${parts[3]}`]) {
      const key = settingKey(parts[0], parts[1]);
      const [field, kind] = SETTING_FIELDS[`${parts[2]}/${parts[3]}`];
      const setting = next.methodSettings[key] ?? defaultSetting();
      (setting as unknown as Record<string, unknown>)[field] = settingValue(kind, o.value);
      next.methodSettings[key] = setting;
    } else {
      throw invalid(o.path);
    }
  }
  if (next.variables === undefined) delete next.variables;
  next.lastUpdatedDate = store.nowSeconds();
  api.stages.set(name, next);
  return stageOut(next);
}

/** `~1pets` + `GET` -> "pets/GET"; `*` + `*` -> "*\/*". */
function settingKey(resourcePath: string, httpMethod: string | undefined): string {
  return `${resourcePath.replace(/^\//, '')}/${httpMethod ?? ''}`;
}
