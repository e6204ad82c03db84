/**
 * CORS answered by an HTTP API with a CorsConfiguration [doc "Configuring CORS for an HTTP API"]:
 * - "API Gateway automatically sends a response to preflight OPTIONS requests, even if there isn't
 *   an OPTIONS route"; a preflight is an OPTIONS request with `origin` and
 *   `access-control-request-method` [doc]. A route that takes OPTIONS (an OPTIONS or ANY route,
 *   `$default`) receives it instead [doc: the `$default` route "catches requests for all methods
 *   ... including OPTIONS requests"; obs: aws/serverless-application-model#1603, an ANY route's
 *   function received the preflights].
 * - "For a CORS request, API Gateway adds the configured CORS headers to the response from an
 *   integration" and "ignores CORS headers returned from your backend integration" [doc]. The
 *   headers are sent only when the request has an `origin` header [doc].
 * The preflight answer is 204 [obs]; lists are comma-joined; an origin not allowed gets no CORS
 * headers. Pure functions.
 */
import type { RawRequest } from '../../protocols/types';
import type { CorsConfiguration } from '../../services/apigatewayv2/types';

export function isPreflight(req: RawRequest): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

/** The Access-Control-Allow-Origin value for this origin, or undefined when it is not allowed. */
export function allowedOrigin(cors: CorsConfiguration, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.allowOrigins ?? [];
  if (origins.includes('*')) return '*';
  const lower = origin.toLowerCase();
  return origins.some((o) => o.toLowerCase() === lower) ? origin : undefined;
}

/** The preflight answer's headers (empty when the origin is not allowed). */
export function preflightHeaders(cors: CorsConfiguration, req: RawRequest): Record<string, string> {
  const origin = allowedOrigin(cors, req.headers.origin);
  if (!origin) return {};
  const h: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.allowCredentials) h['access-control-allow-credentials'] = 'true';
  if (cors.allowMethods?.length) h['access-control-allow-methods'] = cors.allowMethods.join(',');
  if (cors.allowHeaders?.length) h['access-control-allow-headers'] = cors.allowHeaders.join(',');
  if (cors.maxAge !== undefined) h['access-control-max-age'] = String(cors.maxAge);
  return h;
}

/**
 * An integration's response headers with the configured CORS headers in place of the backend's
 * (its access-control-* headers are dropped whenever a CORS configuration is set).
 */
export function withCorsHeaders(cors: CorsConfiguration, req: RawRequest, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!k.toLowerCase().startsWith('access-control-')) out[k] = v;
  const origin = allowedOrigin(cors, req.headers.origin);
  if (!origin) return out;
  out['access-control-allow-origin'] = origin;
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.exposeHeaders?.length) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  return out;
}
