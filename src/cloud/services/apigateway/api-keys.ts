/**
 * CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey. Keys are disabled unless
 * created with `enabled: true`; values are 20-128 characters (40 generated); lists leave the value
 * out unless `includeValues=true`, and filter by name prefix (case-sensitive) [rec:
 * test_apigateway_extended.snapshot.json].
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, conflict, invalidApiKey, invalidPatchPath } from './errors';
import { type Body, optBool, optString, optStringMap, page } from './input';
import { apiKeyOut } from './output';
import { patchBool, patchOperations } from './patch';
import type { ApiGatewayStore } from './store';
import type { ApiKey } from './types';

const MAX_NAME = 1024;
const MAX_DESCRIPTION = 125;

function checkName(name: string | undefined): void {
  if (name !== undefined && name.length > MAX_NAME) throw badRequest(`Invalid API Key name, can be at most ${MAX_NAME} characters.`);
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) throw badRequest('Invalid API Key description specified.');
}

function stageKeys(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((k): k is { restApiId?: string; stageName?: string } => !!k && typeof k === 'object')
    .map((k) => `${k.restApiId ?? ''}/${k.stageName ?? ''}`);
}

export function createApiKey(store: ApiGatewayStore, ctx: RequestContext, body: Body) {
  const name = optString(body, 'name');
  const description = optString(body, 'description');
  let value = optString(body, 'value');
  checkName(name);
  checkDescription(description);
  if (value) {
    if (value.length < 20) throw badRequest('API Key value should be at least 20 characters');
    if (value.length > 128) throw badRequest('API Key value exceeds maximum size of 128 characters');
  } else value = store.newKeyValue();
  const region = store.region(ctx);
  if ([...region.apiKeys.values()].some((k) => k.value === value)) throw conflict('API Key already exists');
  const now = store.nowSeconds();
  const key: ApiKey = {
    id: store.newId(10),
    value,
    enabled: optBool(body, 'enabled') ?? false,
    createdDate: now,
    lastUpdatedDate: now,
    stageKeys: stageKeys(body.stageKeys),
    tags: (optStringMap(body, 'tags') ?? {}) as Record<string, string>,
  };
  if (name) key.name = name;
  if (description) key.description = description;
  const customerId = optString(body, 'customerId');
  if (customerId) key.customerId = customerId;
  region.apiKeys.set(key.id, key);
  return apiKeyOut(key, { value: true, tags: 'nonEmpty' });
}

export function findApiKey(store: ApiGatewayStore, ctx: RequestContext, id: string): ApiKey {
  const k = store.region(ctx).apiKeys.get(id);
  if (!k) throw invalidApiKey();
  return k;
}

export function getApiKey(store: ApiGatewayStore, ctx: RequestContext, id: string, query: URLSearchParams) {
  return apiKeyOut(findApiKey(store, ctx, id), { value: query.get('includeValue') === 'true', tags: 'always' });
}

/** Newest first, as AWS listed them in the recordings. */
export function getApiKeys(store: ApiGatewayStore, ctx: RequestContext, query: URLSearchParams) {
  const name = query.get('name');
  const customerId = query.get('customerId');
  const includeValues = query.get('includeValues') === 'true';
  const keys = [...store.region(ctx).apiKeys.values()]
    .reverse()
    .filter((k) => (!name || (k.name ?? '').startsWith(name)) && (!customerId || k.customerId === customerId))
    .map((k) => apiKeyOut(k, { value: includeValues, tags: 'nonEmpty' }));
  return page(keys, query);
}

const KEY_PATHS = ['/description', '/enabled', '/name', '/customerId'];

export function updateApiKey(store: ApiGatewayStore, ctx: RequestContext, id: string, body: Body) {
  const ops = patchOperations(body, 'updateApiKeyInput');
  const key = findApiKey(store, ctx, id);
  const next: ApiKey = structuredClone(key);
  for (const o of ops) {
    if (o.path === '/stages') {
      if (o.op === 'add' && o.value) next.stageKeys = [...new Set([...next.stageKeys, o.value])];
      else if (o.op === 'remove') next.stageKeys = next.stageKeys.filter((s) => s !== o.value);
      else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'`);
      continue;
    }
    if (!KEY_PATHS.includes(o.path ?? '') || o.op !== 'replace') throw invalidPatchPath(o.path ?? '', o.op ?? '', KEY_PATHS);
    switch (o.path) {
      case '/description':
        checkDescription(o.value);
        if (o.value) next.description = o.value;
        else delete next.description;
        break;
      case '/enabled':
        next.enabled = patchBool(o.value);
        break;
      case '/name':
        checkName(o.value);
        if (o.value) next.name = o.value;
        else delete next.name;
        break;
      case '/customerId':
        if (o.value) next.customerId = o.value;
        else delete next.customerId;
        break;
    }
  }
  next.lastUpdatedDate = store.nowSeconds();
  store.region(ctx).apiKeys.set(id, next);
  return apiKeyOut(next, { value: false, tags: 'always' });
}

export function deleteApiKey(store: ApiGatewayStore, ctx: RequestContext, id: string): void {
  findApiKey(store, ctx, id);
  const region = store.region(ctx);
  region.apiKeys.delete(id);
  for (const plan of region.usagePlans.values()) plan.keys = plan.keys.filter((k) => k !== id);
}
