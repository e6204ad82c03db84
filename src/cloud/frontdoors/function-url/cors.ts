/**
 * A Function URL's CORS configuration answered by the door [doc]: "Lambda automatically adds the
 * CORS headers to all responses through the function URL ... If there are conflicting headers, the
 * configured CORS headers on the function URL take precedence" (urls-configuration.html#urls-cors),
 * and preflight OPTIONS requests are answered without invoking the function (as API Gateway HTTP
 * APIs do, whose CORS model Function URLs share [doc: http-api-cors.html]).
 *
 * Details AWS does not document, chosen as HTTP APIs behave and marked [unverified]: the preflight
 * answer is 200 with an empty body; a request whose Origin is not allowed gets no CORS headers;
 * list values are joined with ","; `*` origins are echoed back as `*` unless credentials are allowed.
 */
export interface CorsConfig {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

const lower = (xs: string[] | undefined) => (xs ?? []).map((x) => x.toLowerCase());

/** The Access-Control-Allow-Origin value for this Origin, or undefined when it is not allowed. */
export function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return lower(origins).includes(origin.toLowerCase()) ? origin : undefined;
}

/** Whether a request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
  return method === 'OPTIONS' && Boolean(headers.origin) && Boolean(headers['access-control-request-method']);
}

/** The door's own answer to a preflight (headers only; status 200, empty body). */
export function preflightHeaders(cors: CorsConfig, headers: Record<string, string>): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  if (!origin) return {};
  const requested = (headers['access-control-request-method'] ?? '').toUpperCase();
  const methods = cors.AllowMethods ?? [];
  if (!methods.includes('*') && !methods.map((m) => m.toUpperCase()).includes(requested)) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (methods.length) out['access-control-allow-methods'] = methods.join(',');
  if (cors.AllowHeaders?.length) out['access-control-allow-headers'] = cors.AllowHeaders.join(',');
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
  return out;
}

/** The CORS headers added to a function's response for a request with this Origin. */
export function responseHeaders(cors: CorsConfig, headers: Record<string, string>): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  if (!origin) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.ExposeHeaders?.length) out['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  return out;
}

/**
 * The function's headers with the configured CORS headers laid over them: a header the function
 * set under the same name (any casing) is replaced [doc: configured headers take precedence].
 */
export function overlay(fnHeaders: Record<string, string>, cors: Record<string, string>): Record<string, string> {
  if (Object.keys(cors).length === 0) return fnHeaders;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fnHeaders)) if (!(k.toLowerCase() in cors)) out[k] = v;
  return { ...out, ...cors };
}
