/**
 * API Gateway's state: REST APIs, API keys and usage plans per account and region, the ids AWS
 * gives them, their ARNs, and the lookups every operation starts with.
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../../clock';
import type { RequestContext } from '../../protocols/types';
import { invalidApi, invalidResource } from './errors';
import type { ApiKey, Resource, RestApi, UsagePlan } from './types';

interface RegionState {
  apis: Map<string, RestApi>;
  apiKeys: Map<string, ApiKey>;
  usagePlans: Map<string, UsagePlan>;
}

type Scope = Pick<RequestContext, 'accountId' | 'region'>;

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(n: number, chars = ID_CHARS): string {
  let s = '';
  for (let i = 0; i < n; i++) s += chars[randomInt(chars.length)];
  return s;
}

/** A Lambda authorizer's answer kept for its TTL (virtual epoch ms). */
export interface CachedAuthorization {
  expiresAt: number;
  result: unknown;
}

export class ApiGatewayStore {
  private readonly regions = new Map<string, RegionState>();
  /**
   * Lambda authorizer results by `<apiId>/<stage>/<authorizerId>/<identity source values>`: the
   * front door fills it, FlushStageAuthorizersCache and DeleteStage empty a stage's part.
   */
  readonly authorizerCache = new Map<string, CachedAuthorization>();

  constructor(readonly clock: Clock) {}

  region(ctx: Scope): RegionState {
    const key = `${ctx.accountId}/${ctx.region}`;
    let r = this.regions.get(key);
    if (!r) {
      r = { apis: new Map(), apiKeys: new Map(), usagePlans: new Map() };
      this.regions.set(key, r);
    }
    return r;
  }

  /** Epoch seconds on the cloud's clock (API Gateway's timestamps are whole seconds). */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** REST API ids are 10 lower-case letters and digits (e.g. "a1b2c3d4e5"), unique across regions. */
  newApiId(): string {
    for (;;) {
      const id = randomString(10);
      if (!this.findApi(id)) return id;
    }
  }

  /** Resource, deployment, authorizer and usage plan ids: 6 lower-case letters and digits; root resources 10. */
  newId(length = 6): string {
    return randomString(length);
  }

  /** API key values: 40 letters and digits, as AWS generates them. */
  newKeyValue(): string {
    return randomString(40, KEY_CHARS);
  }

  api(ctx: Scope, id: string): RestApi {
    const api = this.region(ctx).apis.get(id);
    if (!api) throw invalidApi(ctx.accountId, id);
    return api;
  }

  /** For calls addressed to a resource: an unknown API answers "Invalid Resource identifier specified" [rec]. */
  resource(ctx: Scope, apiId: string, resourceId: string): { api: RestApi; resource: Resource } {
    const api = this.region(ctx).apis.get(apiId);
    const resource = api?.resources.get(resourceId);
    if (!api || !resource) throw invalidResource();
    return { api, resource };
  }

  /** The API with this id in any account and region (the front door has only the id). */
  findApi(id: string): RestApi | undefined {
    for (const r of this.regions.values()) {
      const api = r.apis.get(id);
      if (api) return api;
    }
    return undefined;
  }

  /** Usage plans and API keys of the account and region an API lives in. */
  regionOf(api: RestApi): RegionState {
    return this.region({ accountId: api.accountId, region: api.region });
  }

  flushAuthorizerCache(apiId: string, stage: string): void {
    const prefix = `${apiId}/${stage}/`;
    for (const key of [...this.authorizerCache.keys()]) if (key.startsWith(prefix)) this.authorizerCache.delete(key);
  }

  clear(): void {
    this.regions.clear();
    this.authorizerCache.clear();
  }
}

/** A resource's full path ("/", "/pets", "/pets/{id}"), walking up its parents. */
export function resourcePath(api: RestApi, resource: Resource): string {
  const parts: string[] = [];
  let r: Resource | undefined = resource;
  for (let guard = 0; r && r.parentId !== undefined && guard < 10_000; guard++) {
    parts.unshift(r.pathPart ?? '');
    r = api.resources.get(r.parentId);
  }
  return `/${parts.join('/')}`;
}

export const restApiArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/restapis/${id}`;
export const stageArn = (region: string, apiId: string, stage: string) => `arn:aws:apigateway:${region}::/restapis/${apiId}/stages/${stage}`;
export const apiKeyArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/apikeys/${id}`;
export const usagePlanArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/usageplans/${id}`;
