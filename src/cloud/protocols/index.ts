/**
 * The router: picks the service and protocol for a raw request, then hands it to that protocol.
 *   1. X-Amz-Target header          -> JSON 1.0/1.1 service by target prefix
 *   2. form body / query with Action -> query service (by SigV4 scope service, else by Action)
 *   3. anything else                -> REST-JSON routes (method + path template)
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import { handleJson, jsonError } from './json';
import { handleQuery, queryError } from './query';
import { compileRoutes, handleRest, matchRoute, restJsonError } from './rest-json';
import { parseCredentialScope } from './sigv4';
import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type JsonServiceDef,
  type QueryServiceDef,
  type RawRequest,
  type RawResponse,
  type RequestContext,
  type RestJsonServiceDef,
  type ServiceDef,
} from './types';

export class Router {
  private readonly json = new Map<string, JsonServiceDef>();
  private readonly query: QueryServiceDef[] = [];
  private readonly rest: { def: RestJsonServiceDef; compiled: ReturnType<typeof compileRoutes> }[] = [];

  constructor(private readonly clock: Clock) {}

  register(def: ServiceDef): this {
    if (def.protocol === 'json') this.json.set(def.targetPrefix, def);
    else if (def.protocol === 'query') this.query.push(def);
    else this.rest.push({ def, compiled: compileRoutes(def.routes) });
    return this;
  }

  context(req: RawRequest, endpoint: string, scope = parseCredentialScope(req.headers.authorization, req.query)): RequestContext {
    return {
      requestId: randomUUID(),
      region: scope?.region ?? DEFAULT_REGION,
      accountId: ACCOUNT_ID,
      accessKeyId: scope?.accessKeyId,
      endpoint,
      path: req.path,
      traceHeader: req.headers['x-amzn-trace-id'],
      clock: this.clock,
    };
  }

  async dispatch(req: RawRequest, endpoint: string): Promise<RawResponse> {
    const scope = parseCredentialScope(req.headers.authorization, req.query);
    const ctx = this.context(req, endpoint, scope);
    const scopeService = scope?.service;

    const target = req.headers['x-amz-target'];
    if (target) {
      const dot = target.lastIndexOf('.');
      const def = dot > 0 ? this.json.get(target.slice(0, dot)) : undefined;
      if (!def) {
        return jsonError(undefined, new AwsError('UnknownOperationException', `Unknown operation ${target}`, 400), ctx);
      }
      return handleJson(def, target.slice(dot + 1), req, ctx);
    }

    const contentType = req.headers['content-type'] ?? '';
    const form = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
    const params = form ? mergeParams(req.query, new URLSearchParams(req.body.toString('utf8'))) : req.query;
    const action = params.get('Action');
    if (action !== null && (form || req.method === 'GET')) {
      const def =
        this.query.find((d) => d.signingName === scopeService) ??
        this.query.find((d) => Object.prototype.hasOwnProperty.call(d.operations, action) && (!params.get('Version') || d.version === params.get('Version'))) ??
        this.query.find((d) => Object.prototype.hasOwnProperty.call(d.operations, action));
      if (!def) {
        return queryError(undefined, new AwsError('InvalidAction', `The action ${action} is not valid for this endpoint.`, 400), ctx);
      }
      return handleQuery(def, params, ctx);
    }

    const path = req.path;
    let pathMatched = false;
    // Prefer the service named by the signature, then any other.
    const ordered = [...this.rest].sort((a, b) => Number(b.def.signingName === scopeService) - Number(a.def.signingName === scopeService));
    for (const { def, compiled } of ordered) {
      const r = matchRoute(compiled, req.method, path);
      if (r.match) return handleRest(def, r.match, req, ctx);
      pathMatched ||= r.pathMatched;
    }
    if (this.query.some((d) => d.ownsPath?.(path))) {
      return { status: 404, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body: '<UnknownOperationException/>' };
    }
    if (pathMatched) {
      return restJsonError(new AwsError('UnknownOperationException', `Unknown operation: ${req.method} ${path}`, 405), ctx);
    }
    return restJsonError(new AwsError('UnknownOperationException', `Unknown operation: ${req.method} ${path}`, 404), ctx);
  }
}

function mergeParams(a: URLSearchParams, b: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(a);
  for (const [k, v] of b) out.set(k, v);
  return out;
}
