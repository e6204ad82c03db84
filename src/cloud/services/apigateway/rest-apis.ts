/**
 * CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi.
 * Defaults and texts [rec: test_apigateway_api.snapshot.json]: apiKeySource HEADER, endpoint type
 * EDGE with ipAddressType ipv4 (PRIVATE: dualstack), disableExecuteApiEndpoint false, a root
 * resource "/" created with the API.
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, invalidPatchPath } from './errors';
import { type Body, optBool, optString, optStringList, optStringMap, page } from './input';
import { restApiOut } from './output';
import { onlyReplace, patchBool, patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { EndpointConfiguration, RestApi } from './types';

const ENDPOINT_TYPES = ['PRIVATE', 'EDGE', 'REGIONAL'];
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack'];
const API_KEY_SOURCES = ['HEADER', 'AUTHORIZER'];
const MAX_COMPRESSION = 10485760;

/** Endpoint configuration checks shared by Create and Import [rec]. */
export function endpointConfiguration(raw: unknown, input: string): EndpointConfiguration {
  const cfg = (raw && typeof raw === 'object' ? raw : {}) as { types?: unknown; ipAddressType?: unknown; vpcEndpointIds?: unknown };
  const v = new Validator();
  const types = Array.isArray(cfg.types) ? (cfg.types as string[]) : undefined;
  if (types && types.some((t) => !ENDPOINT_TYPES.includes(t))) {
    v.fail(types, `${input}.endpointConfiguration.types`, `Member must satisfy constraint: [Member must satisfy enum value set: [${ENDPOINT_TYPES.join(', ')}]]`);
  }
  v.oneOf(cfg.ipAddressType, `${input}.endpointConfiguration.ipAddressType`, IP_ADDRESS_TYPES);
  v.check();
  return { types: types ?? ['EDGE'], ipAddressType: cfg.ipAddressType as string | undefined, vpcEndpointIds: cfg.vpcEndpointIds as string[] | undefined };
}

/** The semantic checks AWS makes after the model's (BadRequestException) [rec]. */
function checkEndpoint(cfg: EndpointConfiguration): EndpointConfiguration {
  if (cfg.types.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (cfg.types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.');
  const priv = cfg.types[0] === 'PRIVATE';
  if (priv && cfg.ipAddressType === 'ipv4') throw badRequest('Only dualstack ipAddressType is supported for Private APIs.');
  const out: EndpointConfiguration = { types: [...cfg.types], ipAddressType: cfg.ipAddressType ?? (priv ? 'dualstack' : 'ipv4') };
  if (cfg.vpcEndpointIds) out.vpcEndpointIds = [...cfg.vpcEndpointIds];
  return out;
}

function compressionSize(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_COMPRESSION) {
    throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
  }
  return n;
}

/** A new, empty API (root resource only) in the caller's account and region. */
export function newRestApi(store: ApiGatewayStore, ctx: RequestContext, name: string): RestApi {
  const id = store.newApiId();
  const rootResourceId = store.newId(10);
  const api: RestApi = {
    id,
    region: ctx.region,
    accountId: ctx.accountId,
    name,
    createdDate: store.nowSeconds(),
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' },
    tags: {},
    disableExecuteApiEndpoint: false,
    rootResourceId,
    resources: new Map([[rootResourceId, { id: rootResourceId, methods: {} }]]),
    authorizers: new Map(),
    deployments: new Map(),
    stages: new Map(),
  };
  store.region(ctx).apis.set(id, api);
  return api;
}

export function createRestApi(store: ApiGatewayStore, ctx: RequestContext, body: Body) {
  const name = optString(body, 'name');
  const description = optString(body, 'description');
  const v = new Validator();
  v.required(name, 'createRestApiInput.name');
  v.oneOf(body.apiKeySource, 'createRestApiInput.apiKeySource', API_KEY_SOURCES);
  v.check();
  const cfg = endpointConfiguration(body.endpointConfiguration, 'createRestApiInput');
  if (description === '') throw badRequest('Description cannot be an empty string');
  const endpoint = checkEndpoint(cfg);
  const minimumCompressionSize = compressionSize(body.minimumCompressionSize);
  const binaryMediaTypes = optStringList(body, 'binaryMediaTypes') ?? [];
  const tags = (optStringMap(body, 'tags') ?? {}) as Record<string, string>;
  const policy = optString(body, 'policy');
  const version = optString(body, 'version');
  const disable = optBool(body, 'disableExecuteApiEndpoint') ?? false;
  const cloneFrom = optString(body, 'cloneFrom');
  const source = cloneFrom ? store.api(ctx, cloneFrom) : undefined;

  const api = newRestApi(store, ctx, name!);
  Object.assign(api, { description, version, minimumCompressionSize, policy, tags, disableExecuteApiEndpoint: disable, endpointConfiguration: endpoint });
  api.binaryMediaTypes = binaryMediaTypes;
  if (body.apiKeySource) api.apiKeySource = body.apiKeySource as RestApi['apiKeySource'];
  if (source) cloneResources(source, api);
  return restApiOut(api, 'nonEmpty');
}

/** cloneFrom: the source API's resources, methods and integrations (ids kept, root mapped). */
function cloneResources(source: RestApi, api: RestApi): void {
  api.resources.clear();
  const rootId = api.rootResourceId;
  for (const r of source.resources.values()) {
    const id = r.id === source.rootResourceId ? rootId : r.id;
    const parentId = r.parentId === source.rootResourceId ? rootId : r.parentId;
    api.resources.set(id, { ...structuredClone(r), id, ...(parentId !== undefined ? { parentId } : {}) });
  }
  for (const a of source.authorizers.values()) api.authorizers.set(a.id, structuredClone(a));
  api.binaryMediaTypes = [...new Set([...source.binaryMediaTypes, ...api.binaryMediaTypes])];
}

export function getRestApi(store: ApiGatewayStore, ctx: RequestContext, id: string) {
  return restApiOut(store.api(ctx, id), 'always');
}

export function getRestApis(store: ApiGatewayStore, ctx: RequestContext, query: URLSearchParams) {
  const all = [...store.region(ctx).apis.values()].map((a) => restApiOut(a, 'nonEmpty'));
  return page(all, query);
}

const API_PATHS = ['/name', '/description', '/version', '/policy', '/apiKeySource', '/minimumCompressionSize', '/disableExecuteApiEndpoint', '/binaryMediaTypes/{type}', '/endpointConfiguration/types/{index}', '/endpointConfiguration/ipAddressType'];

export function updateRestApi(store: ApiGatewayStore, ctx: RequestContext, id: string, body: Body) {
  const api = store.api(ctx, id);
  const ops = patchOperations(body, 'updateRestApiInput');
  const next = structuredClone({ ...api, resources: undefined, authorizers: undefined, deployments: undefined, stages: undefined });
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const [head] = parts;
    switch (head) {
      case 'name':
        onlyReplace(o.op);
        if (!o.value) throw badRequest('Invalid REST API name specified');
        next.name = o.value;
        break;
      case 'description':
      case 'version':
      case 'policy':
        if (o.op === 'remove') delete next[head];
        else {
          onlyReplace(o.op);
          if (head === 'description' && o.value === '') throw badRequest('Description cannot be an empty string');
          next[head] = o.value;
        }
        break;
      case 'apiKeySource':
        onlyReplace(o.op);
        if (!API_KEY_SOURCES.includes(o.value ?? '')) {
          throw badRequest(`Invalid API Key source specified. Valid values are: [HEADER, AUTHORIZER]`);
        }
        next.apiKeySource = o.value as RestApi['apiKeySource'];
        break;
      case 'minimumCompressionSize':
        onlyReplace(o.op);
        next.minimumCompressionSize = compressionSize(o.value);
        break;
      case 'disableExecuteApiEndpoint':
        onlyReplace(o.op);
        next.disableExecuteApiEndpoint = patchBool(o.value);
        break;
      case 'binaryMediaTypes': {
        if (parts.length < 2) throw badRequest(`Invalid patch path ${o.path}`);
        const type = parts.slice(1).join('/');
        if (o.op === 'add') {
          if (!next.binaryMediaTypes.includes(type)) next.binaryMediaTypes.push(type);
        } else if (o.op === 'remove') {
          next.binaryMediaTypes = next.binaryMediaTypes.filter((t) => t !== type);
        } else if (o.op === 'replace') {
          // replace /binaryMediaTypes/<old> with value <new> [rec: test_update_rest_api_operation_add_remove]
          next.binaryMediaTypes = next.binaryMediaTypes.map((t) => (t === type ? (o.value ?? t) : t));
        } else throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace]`);
        break;
      }
      case 'endpointConfiguration': {
        onlyReplace(o.op);
        if (parts[1] === 'types') {
          if (!ENDPOINT_TYPES.includes(o.value ?? '')) throw badRequest(`Invalid EndpointTypes specified. Valid options are ${ENDPOINT_TYPES.join(',')}`);
          next.endpointConfiguration.types = [o.value!];
        } else if (parts[1] === 'ipAddressType') {
          if (!IP_ADDRESS_TYPES.includes(o.value ?? '')) throw badRequest(`ipAddressType must be one of: [${IP_ADDRESS_TYPES.join(', ')}]`);
          next.endpointConfiguration.ipAddressType = o.value;
        } else throw badRequest(`Invalid patch path ${o.path}`);
        break;
      }
      default:
        throw invalidPatchPath(o.path ?? '', o.op ?? '', API_PATHS);
    }
  }
  Object.assign(api, next, { resources: api.resources, authorizers: api.authorizers, deployments: api.deployments, stages: api.stages });
  return restApiOut(api, 'always');
}

export function deleteRestApi(store: ApiGatewayStore, ctx: RequestContext, id: string): void {
  store.api(ctx, id);
  const region = store.region(ctx);
  region.apis.delete(id);
  for (const plan of region.usagePlans.values()) plan.apiStages = plan.apiStages.filter((s) => s.apiId !== id);
}
