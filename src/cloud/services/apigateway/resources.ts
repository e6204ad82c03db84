/**
 * CreateResource, GetResource, GetResources, UpdateResource, DeleteResource. Path parts are
 * static ("pets"), a variable ("{id}") or greedy ("{proxy+}"); siblings share at most one
 * variable part and a greedy resource has no children [rec: test_apigateway_api.snapshot.json].
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, conflict, invalidPatchPath, invalidResource, unsupportedPatchOp } from './errors';
import { type Body, optString, page } from './input';
import { resourceOut } from './output';
import { patchOperations } from './patch';
import { type ApiGatewayStore, resourcePath } from './store';
import type { Resource, RestApi } from './types';

const PATH_PART = /^(?:[A-Za-z0-9._:-]+|\{[A-Za-z0-9._-]+\+?\})$/;
const PATH_PART_TEXT =
  "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.";

export const isVariable = (part: string | undefined) => !!part && part.startsWith('{') && part.endsWith('}');
export const isGreedy = (part: string | undefined) => !!part && part.startsWith('{') && part.endsWith('+}');

function children(api: RestApi, parentId: string, except?: string): Resource[] {
  return [...api.resources.values()].filter((r) => r.parentId === parentId && r.id !== except);
}

/** The checks for a resource named `pathPart` under `parent` (also used by import and UpdateResource). */
export function checkPlacement(api: RestApi, parent: Resource, pathPart: string, self?: string): void {
  if (isGreedy(parent.pathPart)) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const siblings = children(api, parent.id, self);
  if (siblings.some((s) => s.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  if (isVariable(pathPart)) {
    const variable = siblings.find((s) => isVariable(s.pathPart));
    if (variable) throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

export function validPathPart(pathPart: string | undefined): string {
  if (!pathPart || !PATH_PART.test(pathPart)) throw badRequest(PATH_PART_TEXT);
  return pathPart;
}

/** Adds a child resource (no checks: callers make them). */
export function addResource(store: ApiGatewayStore, api: RestApi, parentId: string, pathPart: string): Resource {
  const r: Resource = { id: store.newId(), parentId, pathPart, methods: {} };
  api.resources.set(r.id, r);
  return r;
}

export function createResource(store: ApiGatewayStore, ctx: RequestContext, apiId: string, parentId: string, body: Body) {
  const { api, resource: parent } = store.resource(ctx, apiId, parentId);
  const pathPart = validPathPart(optString(body, 'pathPart'));
  checkPlacement(api, parent, pathPart);
  return resourceOut(api, addResource(store, api, parent.id, pathPart), 'none');
}

function embedsMethods(query: URLSearchParams): boolean {
  return query.getAll('embed').some((e) => e.split(',').map((s) => s.trim()).includes('methods'));
}

export function getResource(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, query: URLSearchParams) {
  const { api, resource } = store.resource(ctx, apiId, resourceId);
  return resourceOut(api, resource, embedsMethods(query) ? 'full' : 'names');
}

/** All resources, ordered by path as AWS lists them [rec]. */
export function getResources(store: ApiGatewayStore, ctx: RequestContext, apiId: string, query: URLSearchParams) {
  const api = store.api(ctx, apiId);
  const mode = embedsMethods(query) ? 'full' : 'names';
  const all = sortedResources(api).map((r) => resourceOut(api, r, mode));
  return page(all, query, 25);
}

export function sortedResources(api: RestApi): Resource[] {
  return [...api.resources.values()]
    .map((r) => ({ r, path: resourcePath(api, r) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((x) => x.r);
}

export function updateResource(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string, body: Body) {
  const { api, resource } = store.resource(ctx, apiId, resourceId);
  const ops = patchOperations(body, 'updateResourceInput');
  let parentId = resource.parentId;
  let pathPart = resource.pathPart;
  for (const o of ops) {
    if (o.path !== '/parentId' && o.path !== '/pathPart') throw invalidPatchPath(o.path ?? '', o.op ?? '', ['/parentId', '/pathPart']);
    if (o.op !== 'replace') throw unsupportedPatchOp(o.path, o.op ?? '');
    if (resource.parentId === undefined) throw badRequest(`Root resource cannot update its ${o.path.slice(1)}.`);
    if (o.path === '/parentId') {
      if (!o.value || !api.resources.has(o.value)) throw invalidResource();
      parentId = o.value;
    } else {
      pathPart = validPathPart(o.value);
    }
  }
  if (parentId === undefined || pathPart === undefined) return resourceOut(api, resource, 'none');
  // The new parent may not be the resource itself or one of its descendants.
  for (let p: Resource | undefined = api.resources.get(parentId); p; p = p.parentId ? api.resources.get(p.parentId) : undefined) {
    if (p.id === resource.id) throw badRequest('Resources cannot be cyclical.');
  }
  checkPlacement(api, api.resources.get(parentId)!, pathPart, resource.id);
  resource.parentId = parentId;
  resource.pathPart = pathPart;
  return resourceOut(api, resource, 'none');
}

export function deleteResource(store: ApiGatewayStore, ctx: RequestContext, apiId: string, resourceId: string): void {
  const { api, resource } = store.resource(ctx, apiId, resourceId);
  if (resource.parentId === undefined) throw badRequest('Cannot delete root resource');
  const doomed = new Set([resource.id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of api.resources.values()) {
      if (r.parentId && doomed.has(r.parentId) && !doomed.has(r.id)) {
        doomed.add(r.id);
        grew = true;
      }
    }
  }
  for (const id of doomed) api.resources.delete(id);
}
