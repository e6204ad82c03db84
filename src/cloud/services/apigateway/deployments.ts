/**
 * CreateDeployment, GetDeployment, GetDeployments, UpdateDeployment, DeleteDeployment.
 * A deployment freezes the API as it is (resources, methods, integrations, authorizers, binary
 * media types, API key source): stages serve that copy, so later changes need a new deployment,
 * as on AWS. Deleting a deployment a stage points to is refused [rec].
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, invalidDeployment } from './errors';
import { type Body, optString, optStringMap, page } from './input';
import { deploymentOut } from './output';
import { onlyReplace, patchOperations } from './patch';
import { sortedResources } from './resources';
import { createStageRecord } from './stages';
import { type ApiGatewayStore, resourcePath } from './store';
import type { DeployedApi, Deployment, RestApi } from './types';

/** The API as a deployment keeps it. Throws AWS's refusals for an API that cannot be deployed. */
export function freeze(api: RestApi): DeployedApi {
  const resources = sortedResources(api);
  const methods = resources.flatMap((r) => Object.values(r.methods));
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.methodIntegration)) throw badRequest('No integration defined for method');
  return {
    id: api.id,
    region: api.region,
    accountId: api.accountId,
    binaryMediaTypes: [...api.binaryMediaTypes],
    apiKeySource: api.apiKeySource,
    resources: resources.map((r) => ({ id: r.id, path: resourcePath(api, r), pathPart: r.pathPart, methods: structuredClone(r.methods) })),
    authorizers: Object.fromEntries([...api.authorizers.values()].map((a) => [a.id, structuredClone(a)])),
  };
}

export function createDeployment(store: ApiGatewayStore, ctx: RequestContext, apiId: string, body: Body) {
  const api = store.api(ctx, apiId);
  const stageName = optString(body, 'stageName');
  const variables = optStringMap(body, 'variables') as Record<string, string> | undefined;
  const description = optString(body, 'description');
  const stageDescription = optString(body, 'stageDescription');
  const frozen = freeze(api);
  const deployment: Deployment = { id: store.newId(), createdDate: store.nowSeconds(), api: frozen };
  if (description) deployment.description = description;
  api.deployments.set(deployment.id, deployment);
  if (stageName) {
    const existing = api.stages.get(stageName);
    if (existing) {
      existing.deploymentId = deployment.id;
      if (variables) existing.variables = { ...(existing.variables ?? {}), ...variables };
      existing.lastUpdatedDate = store.nowSeconds();
    } else {
      const stage = createStageRecord(store, api, { stageName, deploymentId: deployment.id, description: stageDescription, variables });
      if (body.tracingEnabled === true) stage.tracingEnabled = true;
      if (body.cacheClusterEnabled === true) stage.cacheClusterEnabled = true;
    }
  }
  return deploymentOut(deployment);
}

function findDeployment(api: RestApi, id: string): Deployment {
  const d = api.deployments.get(id);
  if (!d) throw invalidDeployment();
  return d;
}

export function getDeployment(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string) {
  return deploymentOut(findDeployment(store.api(ctx, apiId), id));
}

export function getDeployments(store: ApiGatewayStore, ctx: RequestContext, apiId: string, query: URLSearchParams) {
  const api = store.api(ctx, apiId);
  return page([...api.deployments.values()].map(deploymentOut), query);
}

export function updateDeployment(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string, body: Body) {
  const ops = patchOperations(body, 'updateDeploymentInput');
  const d = findDeployment(store.api(ctx, apiId), id);
  for (const o of ops) {
    if (o.path !== '/description') throw badRequest(`Invalid patch path ${o.path}`);
    onlyReplace(o.op);
    if (o.value) d.description = o.value;
    else delete d.description;
  }
  return deploymentOut(d);
}

export function deleteDeployment(store: ApiGatewayStore, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.api(ctx, apiId);
  findDeployment(api, id);
  if ([...api.stages.values()].some((s) => s.deploymentId === id)) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  api.deployments.delete(id);
}
