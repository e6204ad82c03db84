/**
 * API Gateway v2 state: APIs by id, with their routes, integrations, authorizers, stages and
 * deployments. API ids are unique across accounts and regions (the front door finds an API by the
 * id in its host name); the control plane only shows an API to its own account and region.
 *
 * Deployments are snapshots of the API's configuration; a stage serves its deployment's snapshot.
 * A change to an API deploys it again to every stage with AutoDeploy [doc: "If you enable automatic
 * deployments, changes to an API are automatically released for you"], as AWS does, with
 * `autoDeployed: true` and AWS's description [doc: CLI reference get-deployments].
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import type { RequestContext } from '../../protocols/types';
import { apiNotFound } from './errors';
import type { ApiRecord, ApiSnapshot, CachedAuthorization, DeploymentRecord } from './types';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of lower-case letters and digits, as AWS's ("a1b2c3d4e5", "72jz1wk", "53lz9l") [doc]. */
export function newId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** `2020-04-08T19:05:45Z`: AWS's timestamps here carry whole seconds [doc: CLI reference]. */
export function wireDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const AUTO_DEPLOY_DESCRIPTION = 'Automatic deployment triggered by changes to the Api configuration';

/** The API's own ARN, which tags name: `arn:aws:apigateway:<region>::/apis/<api-id>` [doc]. */
export function apiArn(region: string, apiId: string): string {
  return `arn:aws:apigateway:${region}::/apis/${apiId}`;
}

/** The endpoint as the API answers it: the front door's host name on the cloud's port. */
export function apiEndpoint(ctx: Pick<RequestContext, 'endpoint'>, apiId: string): string {
  const port = /:(\d+)$/.exec(ctx.endpoint.replace(/\/+$/, ''))?.[1];
  return `http://${apiId}.execute-api.localhost${port ? `:${port}` : ''}`;
}

export class ApiGatewayV2Store {
  private readonly apis = new Map<string, ApiRecord>();
  /** Lambda authorizers' cached answers (the front door's), keyed by api/stage/authorizer/identity. */
  readonly authorizerCache = new Map<string, CachedAuthorization>();

  constructor(readonly clock: Clock) {}

  newApiId(): string {
    for (;;) {
      const id = newId(10);
      if (!this.apis.has(id)) return id;
    }
  }

  add(api: ApiRecord): void {
    this.apis.set(api.apiId, api);
  }

  remove(apiId: string): void {
    this.apis.delete(apiId);
    this.clearAuthorizerCache(apiId);
  }

  /** An API of the caller's account and region, or NotFoundException. */
  get(ctx: Pick<RequestContext, 'accountId' | 'region'>, apiId: string): ApiRecord {
    const api = this.apis.get(apiId);
    if (!api || api.accountId !== ctx.accountId || api.region !== ctx.region) throw apiNotFound(ctx.accountId, apiId);
    return api;
  }

  /** The front door's lookup: any account and region. */
  byId(apiId: string): ApiRecord | undefined {
    return this.apis.get(apiId);
  }

  list(ctx: Pick<RequestContext, 'accountId' | 'region'>): ApiRecord[] {
    return [...this.apis.values()].filter((a) => a.accountId === ctx.accountId && a.region === ctx.region);
  }

  clear(): void {
    this.apis.clear();
    this.authorizerCache.clear();
  }

  clearAuthorizerCache(apiId: string, stageName?: string): void {
    const prefix = stageName === undefined ? `${apiId}/` : `${apiId}/${stageName}/`;
    for (const k of this.authorizerCache.keys()) if (k.startsWith(prefix)) this.authorizerCache.delete(k);
  }

  /** A copy of what the API serves now (routes, integrations, authorizers, CORS). */
  snapshot(api: ApiRecord): ApiSnapshot {
    return structuredClone({
      routes: [...api.routes.values()],
      integrations: Object.fromEntries(api.integrations),
      authorizers: Object.fromEntries(api.authorizers),
      corsConfiguration: api.corsConfiguration,
    });
  }

  /** A new deployment of the API as it is now. */
  deploy(api: ApiRecord, o: { autoDeployed: boolean; description?: string }): DeploymentRecord {
    let deploymentId = newId(6);
    while (api.deployments.has(deploymentId)) deploymentId = newId(6);
    const d: DeploymentRecord = {
      deploymentId,
      autoDeployed: o.autoDeployed,
      createdDate: this.clock.now(),
      deploymentStatus: 'DEPLOYED',
      description: o.description,
      snapshot: this.snapshot(api),
    };
    api.deployments.set(deploymentId, d);
    return d;
  }

  /** Point a stage at a deployment, as AWS reports it [doc: CLI reference get-stages]. */
  setStageDeployment(api: ApiRecord, stageName: string, deployment: DeploymentRecord): void {
    const stage = api.stages.get(stageName);
    if (!stage) return;
    stage.deploymentId = deployment.deploymentId;
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.deploymentId}'`;
    stage.lastUpdatedDate = this.clock.now();
    this.clearAuthorizerCache(api.apiId, stageName);
  }

  /** The API changed: deploy it to every stage with AutoDeploy (one deployment per stage). */
  changed(api: ApiRecord): void {
    for (const stage of api.stages.values()) {
      if (!stage.autoDeploy) continue;
      const d = this.deploy(api, { autoDeployed: true, description: AUTO_DEPLOY_DESCRIPTION });
      this.setStageDeployment(api, stage.stageName, d);
    }
  }
}
