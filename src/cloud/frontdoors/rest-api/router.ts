/**
 * Routing a request to a deployed API's resource and method, as API Gateway does: segment by
 * segment the most specific resource wins (a static part over `{param}` over `{proxy+}`), a
 * greedy `{name+}` takes one or more remaining segments, a resource counts only when it has the
 * request's method or ANY (DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT), and a trailing slash is
 * ignored [rec: test_apigateway_lambda.snapshot.json]. Parameter values stay as sent
 * (percent-encoding kept) [rec]. No match: the door answers 403 Missing Authentication Token.
 */
import type { DeployedApi, DeployedResource, Method } from '../../services/apigateway/types';

export interface RouteMatch {
  resource: DeployedResource;
  method: Method;
  pathParameters: Record<string, string>;
}

interface Node {
  resource?: DeployedResource;
  statics: Map<string, Node>;
  variable?: { name: string; node: Node };
  greedy?: { name: string; resource: DeployedResource };
}

const ANY_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
const trees = new WeakMap<DeployedApi, Node>();

const newNode = (): Node => ({ statics: new Map() });

function tree(api: DeployedApi): Node {
  let root = trees.get(api);
  if (root) return root;
  root = newNode();
  for (const r of api.resources) {
    const parts = r.path === '/' ? [] : r.path.slice(1).split('/');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const greedy = /^\{(.+)\+\}$/.exec(part);
      const variable = /^\{(.+)\}$/.exec(part);
      if (greedy && i === parts.length - 1) {
        node.greedy = { name: greedy[1], resource: r };
        node = newNode(); // a greedy resource has no children
        break;
      } else if (variable) {
        node.variable ??= { name: variable[1], node: newNode() };
        node = node.variable.node;
      } else {
        let next = node.statics.get(part);
        if (!next) node.statics.set(part, (next = newNode()));
        node = next;
      }
      if (i === parts.length - 1) node.resource = r;
    }
    if (parts.length === 0) root.resource = r;
  }
  trees.set(api, root);
  return root;
}

export function methodOf(resource: DeployedResource, httpMethod: string): Method | undefined {
  return resource.methods[httpMethod] ?? (ANY_METHODS.has(httpMethod) ? resource.methods.ANY : undefined);
}

/** The path as routing sees it: leading slashes collapsed, a trailing slash dropped [rec]. */
export function routingPath(path: string): string {
  let p = path.replace(/^\/+/, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p || '/';
}

export function matchRoute(api: DeployedApi, httpMethod: string, path: string): RouteMatch | undefined {
  const p = routingPath(path);
  const segments = p === '/' ? [] : p.slice(1).split('/');
  const params: Record<string, string> = {};

  const walk = (node: Node, i: number): RouteMatch | undefined => {
    if (i === segments.length) {
      const method = node.resource && methodOf(node.resource, httpMethod);
      return method ? { resource: node.resource!, method, pathParameters: { ...params } } : undefined;
    }
    const seg = segments[i];
    const exact = node.statics.get(seg);
    if (exact) {
      const m = walk(exact, i + 1);
      if (m) return m;
    }
    if (node.variable && seg !== '') {
      params[node.variable.name] = seg;
      const m = walk(node.variable.node, i + 1);
      if (m) return m;
      delete params[node.variable.name];
    }
    if (node.greedy) {
      const rest = segments.slice(i).join('/');
      const method = rest !== '' ? methodOf(node.greedy.resource, httpMethod) : undefined;
      if (method) return { resource: node.greedy.resource, method, pathParameters: { ...params, [node.greedy.name]: rest } };
    }
    return undefined;
  };
  return walk(tree(api), 0);
}
