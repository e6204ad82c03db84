/**
 * Stages: CreateStage, GetStage(s), UpdateStage, DeleteStage, ResetAuthorizersCache,
 * DeleteAccessLogSettings, DeleteRouteSettings.
 *
 * A stage serves a deployment; the `$default` stage is served at the API's base URL, a named stage
 * under `/<stage-name>` [doc "Working with stages for HTTP APIs"]. AutoDeploy (default false
 * [model]) deploys every change. Output as AWS's [doc: CLI reference create-stage / get-stages]:
 * DefaultRouteSettings {DetailedMetricsEnabled: false}, RouteSettings {}, StageVariables {}, Tags {},
 * AutoDeploy and ApiGatewayManaged only when true.
 */
import type { RequestContext } from '../../protocols/types';
import { conflict, deploymentNotFound, stageNotFound } from './errors';
import { AUTO_DEPLOY_DESCRIPTION, type ApiGatewayV2Store, wireDate } from './store';
import type { ApiRecord, RouteSettings, StageRecord } from './types';
import { checkStageName, checkStageVariables, optBool, optObject, optString, optStringMap, reqString } from './validate';

type Input = Record<string, unknown>;

export function stageOut(s: StageRecord): Record<string, unknown> {
  return {
    accessLogSettings: s.accessLogSettings,
    apiGatewayManaged: s.apiGatewayManaged || undefined,
    autoDeploy: s.autoDeploy || undefined,
    clientCertificateId: s.clientCertificateId,
    createdDate: wireDate(s.createdDate),
    defaultRouteSettings: s.defaultRouteSettings,
    deploymentId: s.deploymentId,
    description: s.description,
    lastDeploymentStatusMessage: s.lastDeploymentStatusMessage,
    lastUpdatedDate: wireDate(s.lastUpdatedDate),
    routeSettings: s.routeSettings,
    stageName: s.stageName,
    stageVariables: s.stageVariables,
    tags: s.tags,
  };
}

function routeSettings(input: Input | undefined): RouteSettings | undefined {
  if (!input) return undefined;
  const out: RouteSettings = {};
  for (const k of ['dataTraceEnabled', 'detailedMetricsEnabled'] as const) {
    const v = optBool(input, k);
    if (v !== undefined) out[k] = v;
  }
  const level = optString(input, 'loggingLevel');
  if (level !== undefined) out.loggingLevel = level;
  if (typeof input.throttlingBurstLimit === 'number') out.throttlingBurstLimit = input.throttlingBurstLimit;
  if (typeof input.throttlingRateLimit === 'number') out.throttlingRateLimit = input.throttlingRateLimit;
  return out;
}

function applyStage(store: ApiGatewayV2Store, ctx: RequestContext, api: ApiRecord, stage: StageRecord, input: Input): void {
  const deploymentId = optString(input, 'deploymentId', 1);
  if (deploymentId !== undefined) {
    if (!api.deployments.has(deploymentId)) throw deploymentNotFound(ctx.accountId, api.apiId, deploymentId);
    stage.deploymentId = deploymentId;
    stage.lastDeploymentStatusMessage = undefined;
  }
  const description = optString(input, 'description', 0, 1024);
  if (description !== undefined) stage.description = description;
  const autoDeploy = optBool(input, 'autoDeploy');
  if (autoDeploy !== undefined) stage.autoDeploy = autoDeploy;
  const clientCertificateId = optString(input, 'clientCertificateId');
  if (clientCertificateId !== undefined) stage.clientCertificateId = clientCertificateId;
  const logs = optObject(input, 'accessLogSettings');
  if (logs) stage.accessLogSettings = { destinationArn: optString(logs, 'destinationArn'), format: optString(logs, 'format', 1, 1024) };
  const defaults = routeSettings(optObject(input, 'defaultRouteSettings'));
  if (defaults) stage.defaultRouteSettings = { detailedMetricsEnabled: false, ...defaults };
  const perRoute = optObject(input, 'routeSettings');
  if (perRoute) {
    for (const [key, value] of Object.entries(perRoute)) {
      const s = routeSettings(value && typeof value === 'object' ? (value as Input) : {});
      if (s) stage.routeSettings[key] = s;
    }
  }
  const vars = optStringMap(input, 'stageVariables');
  if (vars) {
    checkStageVariables(vars);
    stage.stageVariables = vars;
  }
  stage.lastUpdatedDate = store.clock.now();
}

export function createStage(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input, managed = false): StageRecord {
  const api = store.get(ctx, apiId);
  const stageName = reqString(input, 'stageName', 1, 128);
  checkStageName(stageName);
  if (api.stages.has(stageName)) throw conflict(`Stage ${stageName} already exists`);
  const now = store.clock.now();
  const stage: StageRecord = {
    stageName,
    autoDeploy: false,
    createdDate: now,
    lastUpdatedDate: now,
    defaultRouteSettings: { detailedMetricsEnabled: false },
    routeSettings: {},
    stageVariables: {},
    tags: optStringMap(input, 'tags') ?? {},
    ...(managed ? { apiGatewayManaged: true } : {}),
  };
  applyStage(store, ctx, api, stage, input);
  api.stages.set(stageName, stage);
  if (stage.autoDeploy) store.setStageDeployment(api, stageName, store.deploy(api, { autoDeployed: true, description: AUTO_DEPLOY_DESCRIPTION }));
  return stage;
}

export function getStage(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string): StageRecord {
  const api = store.get(ctx, apiId);
  const stage = api.stages.get(name);
  if (!stage) throw stageNotFound(ctx.accountId, apiId, name);
  return stage;
}

export function updateStage(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string, input: Input): StageRecord {
  const api = store.get(ctx, apiId);
  const stage = getStage(store, ctx, apiId, name);
  const wasAuto = stage.autoDeploy;
  applyStage(store, ctx, api, stage, input);
  store.clearAuthorizerCache(apiId, name);
  if (stage.autoDeploy && !wasAuto) store.setStageDeployment(api, name, store.deploy(api, { autoDeployed: true, description: AUTO_DEPLOY_DESCRIPTION }));
  return stage;
}

export function deleteStage(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string): void {
  const api = store.get(ctx, apiId);
  getStage(store, ctx, apiId, name);
  api.stages.delete(name);
  store.clearAuthorizerCache(apiId, name);
}

/** [model] ResetAuthorizersCache: the stage's cached Lambda authorizer answers are dropped. */
export function resetAuthorizersCache(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string): void {
  getStage(store, ctx, apiId, name);
  store.clearAuthorizerCache(apiId, name);
}

export function deleteAccessLogSettings(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string): void {
  const stage = getStage(store, ctx, apiId, name);
  delete stage.accessLogSettings;
  stage.lastUpdatedDate = store.clock.now();
}

export function deleteRouteSettings(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, name: string, routeKey: string): void {
  const stage = getStage(store, ctx, apiId, name);
  if (!(routeKey in stage.routeSettings)) throw stageNotFound(ctx.accountId, apiId, `${name}:${routeKey}`);
  delete stage.routeSettings[routeKey];
  stage.lastUpdatedDate = store.clock.now();
}
