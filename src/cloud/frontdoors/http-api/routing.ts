/**
 * Stage and route selection as HTTP APIs make them [doc "Working with routes for HTTP APIs",
 * "Routing API requests"]:
 * - stage: the first path segment when it names a stage, else the `$default` stage (served at the
 *   base URL); neither: 404 `{"message":"Not Found"}`.
 * - route, most specific first: a full match of path and method (static segments over `{param}`
 *   segments, the request's method over `ANY`), then a route with a greedy `{proxy+}` variable (the
 *   longest prefix first), then `$default`. No route: 404 `{"message":"Not Found"}`.
 * Path parameters are URL-decoded [doc: "API Gateway decodes URL-encoded request parameters before
 * passing them to your backend integration"]; a greedy variable holds the rest of the path.
 * Pure functions.
 */
import { safeDecode } from '../../protocols/url';

export interface RouteLike {
  routeKey: string;
}

export interface RouteMatch<R extends RouteLike> {
  route: R;
  pathParameters: Record<string, string>;
}

interface Candidate<R extends RouteLike> {
  match: RouteMatch<R>;
  greedy: boolean;
  /** Template segments (a longer greedy prefix is more specific). */
  length: number;
  /** Per segment: 0 static, 1 parameter. */
  kinds: number[];
  anyMethod: boolean;
}

/** The request path's segments, decoded; a trailing slash is ignored ("/a/" is "/a"). */
export function pathSegments(path: string): string[] {
  const parts = path.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map(safeDecode);
}

function matchTemplate<R extends RouteLike>(route: R, template: string, segments: string[], anyMethod: boolean): Candidate<R> | undefined {
  const parts = template === '/' ? [] : template.split('/').slice(1);
  const params: Record<string, string> = {};
  const kinds: number[] = [];
  const last = parts[parts.length - 1];
  const greedy = last !== undefined && /^\{.+\+\}$/.test(last);
  const fixed = greedy ? parts.length - 1 : parts.length;
  if (greedy ? segments.length < parts.length : segments.length !== parts.length) return undefined;
  for (let i = 0; i < fixed; i++) {
    const t = parts[i];
    const s = segments[i];
    if (t.startsWith('{') && t.endsWith('}')) {
      if (s === '') return undefined;
      params[t.slice(1, -1)] = s;
      kinds.push(1);
    } else {
      if (t !== s) return undefined;
      kinds.push(0);
    }
  }
  if (greedy) {
    const rest = segments.slice(fixed).join('/');
    if (rest === '') return undefined;
    params[last.slice(1, -2)] = rest;
  }
  return { match: { route, pathParameters: params }, greedy, length: parts.length, kinds, anyMethod };
}

function compare<R extends RouteLike>(a: Candidate<R>, b: Candidate<R>): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  if (a.greedy && a.length !== b.length) return b.length - a.length;
  for (let i = 0; i < Math.min(a.kinds.length, b.kinds.length); i++) {
    if (a.kinds[i] !== b.kinds[i]) return a.kinds[i] - b.kinds[i];
  }
  if (a.anyMethod !== b.anyMethod) return a.anyMethod ? 1 : -1;
  return 0;
}

/** The route an HTTP API picks for this method and (stage-relative, still encoded) path. */
export function selectRoute<R extends RouteLike>(routes: readonly R[], method: string, path: string): RouteMatch<R> | undefined {
  const segments = pathSegments(path);
  let best: Candidate<R> | undefined;
  let fallback: R | undefined;
  for (const route of routes) {
    if (route.routeKey === '$default') {
      fallback = route;
      continue;
    }
    const space = route.routeKey.indexOf(' ');
    if (space < 0) continue;
    const routeMethod = route.routeKey.slice(0, space);
    if (routeMethod !== 'ANY' && routeMethod !== method) continue;
    const c = matchTemplate(route, route.routeKey.slice(space + 1), segments, routeMethod === 'ANY');
    if (c && (!best || compare(c, best) < 0)) best = c;
  }
  if (best) return best.match;
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

/** The stage a request reaches and the path within it, or undefined (no such stage, no `$default`). */
export function selectStage(stageNames: ReadonlySet<string>, path: string): { stage: string; path: string } | undefined {
  const m = /^\/([^/]+)(\/.*)?$/.exec(path);
  if (m) {
    const first = safeDecode(m[1]);
    if (first !== '$default' && stageNames.has(first)) return { stage: first, path: m[2] ?? '/' };
  }
  return stageNames.has('$default') ? { stage: '$default', path: path === '' ? '/' : path } : undefined;
}
