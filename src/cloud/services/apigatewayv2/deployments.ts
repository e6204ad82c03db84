/**
 * Deployments: CreateDeployment, GetDeployment(s), UpdateDeployment, DeleteDeployment.
 *
 * A deployment is a snapshot of the API's configuration [doc "Working with stages for HTTP APIs":
 * "A deployment is a snapshot of your API configuration"]; CreateDeployment with a StageName also
 * points that stage at it. Output [doc: CLI reference create-deployment]: AutoDeployed,
 * CreatedDate, DeploymentId, DeploymentStatus DEPLOYED, Description when given.
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, deploymentNotFound } from './errors';
import { getStage } from './stages';
import { type ApiGatewayV2Store, wireDate } from './store';
import type { DeploymentRecord } from './types';
import { optString } from './validate';

type Input = Record<string, unknown>;

export function deploymentOut(d: DeploymentRecord): Record<string, unknown> {
  return {
    autoDeployed: d.autoDeployed,
    createdDate: wireDate(d.createdDate),
    deploymentId: d.deploymentId,
    deploymentStatus: d.deploymentStatus,
    deploymentStatusMessage: d.deploymentStatusMessage,
    description: d.description,
  };
}

export function createDeployment(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input): DeploymentRecord {
  const api = store.get(ctx, apiId);
  const description = optString(input, 'description', 0, 1024);
  const stageName = optString(input, 'stageName', 1, 128);
  if (stageName !== undefined) getStage(store, ctx, apiId, stageName);
  const d = store.deploy(api, { autoDeployed: false, description });
  if (stageName !== undefined) store.setStageDeployment(api, stageName, d);
  return d;
}

export function getDeployment(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): DeploymentRecord {
  const api = store.get(ctx, apiId);
  const d = api.deployments.get(id);
  if (!d) throw deploymentNotFound(ctx.accountId, apiId, id);
  return d;
}

export function listDeployments(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string): DeploymentRecord[] {
  return [...store.get(ctx, apiId).deployments.values()];
}

export function updateDeployment(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string, input: Input): DeploymentRecord {
  const d = getDeployment(store, ctx, apiId, id);
  const description = optString(input, 'description', 0, 1024);
  if (description !== undefined) d.description = description;
  return d;
}

export function deleteDeployment(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.get(ctx, apiId);
  getDeployment(store, ctx, apiId, id);
  if ([...api.stages.values()].some((s) => s.deploymentId === id)) {
    // [obs] REST APIs' wording for the same refusal.
    throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  }
  api.deployments.delete(id);
}
