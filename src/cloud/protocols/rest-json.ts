/**
 * REST-JSON protocol (Lambda): routes by method and path template, JSON bodies, error code in the
 * x-amzn-ErrorType header and a `{Type, Message}` body.
 */
import { AwsError } from '../errors';
import { jsonProblem } from './jackson';

/** Bodies must be valid UTF-8, as for Lambda's parser. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
import type { RawRequest, RawResponse, RequestContext, RestJsonServiceDef, RestRoute } from './types';

interface CompiledRoute {
  route: RestRoute;
  regex: RegExp;
  labels: string[];
}

export function compileRoutes(routes: RestRoute[]): CompiledRoute[] {
  return routes.map((route) => {
    const labels: string[] = [];
    const pattern = route.path
      .split('/')
      .map((seg) => {
        const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        labels.push(m[1]);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { route, regex: new RegExp(`^${pattern}/?$`), labels };
  });
}

export interface RestMatch {
  route: RestRoute;
  params: Record<string, string>;
}

/** Find the route for a request. `pathMatched` tells a wrong method from an unknown path. */
export function matchRoute(compiled: CompiledRoute[], method: string, path: string): { match?: RestMatch; pathMatched: boolean } {
  let pathMatched = false;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.labels.forEach((label, i) => {
      let v = m[i + 1];
      try {
        v = decodeURIComponent(v);
      } catch {
        /* keep raw */
      }
      params[label] = v;
    });
    return { match: { route: c.route, params }, pathMatched };
  }
  return { pathMatched };
}

export function restJsonError(err: AwsError, ctx: Pick<RequestContext, 'requestId'>, def?: RestJsonServiceDef): RawResponse {
  const key = err.options.messageKey ?? def?.messageKeys?.[err.code] ?? 'Message';
  // Lambda's own exceptions carry Type; the framework's ValidationException does not.
  const body: Record<string, unknown> =
    err.code === 'ValidationException'
      ? { [key]: err.message, ...err.options.fields }
      : { Type: err.sender ? 'User' : 'Service', [key]: err.message, ...err.options.fields };
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': ctx.requestId,
      ...err.options.headers,
    },
    body: JSON.stringify(body),
  };
}

export async function handleRest(
  def: RestJsonServiceDef,
  match: RestMatch,
  req: RawRequest,
  ctx: RequestContext,
): Promise<RawResponse> {
  try {
    let json: unknown = {};
    if (match.route.json !== false && req.body.length > 0) {
      try {
        json = JSON.parse(UTF8.decode(req.body));
      } catch {
        // Parse once; only a failure pays for the parser-worded explanation.
        throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: ${jsonProblem(req.body)}`, 400);
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new AwsError('InvalidRequestContentException', 'Could not parse request body into json: body must be a JSON object', 400);
      }
    }
    const result = await match.route.handler(
      { params: match.params, query: req.query, headers: req.headers, body: req.body, json },
      ctx,
    );
    const headers: Record<string, string> = { 'x-amzn-requestid': ctx.requestId, ...result.headers };
    let body: Buffer | string = '';
    if (result.raw) {
      body = result.raw;
    } else if (result.body !== undefined) {
      body = JSON.stringify(result.body);
      headers['content-type'] ??= 'application/json';
    }
    return { status: result.status ?? 200, headers, body, ...(result.stream ? { stream: result.stream } : {}) };
  } catch (e) {
    if (e instanceof AwsError) return restJsonError(e, ctx, def);
    console.error(`[testbed] ${def.signingName}.${match.route.operation} failed:`, e);
    return restJsonError(new AwsError('ServiceException', 'An internal error occurred.', 500), ctx);
  }
}
