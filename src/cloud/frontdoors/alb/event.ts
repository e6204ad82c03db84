/**
 * The event a load balancer sends a Lambda target [doc: Lambda functions as targets]:
 *
 *   { requestContext: { elb: { targetGroupArn } }, httpMethod, path,
 *     queryStringParameters | multiValueQueryStringParameters,
 *     headers | multiValueHeaders, body, isBase64Encoded }
 *
 * - The path and the query keys and values go as sent: the load balancer decodes nothing [doc: "If
 *   the query parameters are URL-encoded, the load balancer does not decode them"].
 * - Header names are lower-case. Without multi-value headers (the target group attribute
 *   `lambda.multi_value_headers.enabled`, default false) a repeated header or query key keeps its
 *   last value; with it, every value in order and the multi-value members replace the others [doc].
 * - The load balancer adds X-Amzn-Trace-Id, X-Forwarded-For, X-Forwarded-Port and X-Forwarded-Proto
 *   to every request [doc]; X-Forwarded-For follows routing.http.xff_header_processing.mode
 *   (append the client's address, preserve, remove) [model].
 * - A body whose content type is text/*, application/json, application/javascript or
 *   application/xml goes as text, `isBase64Encoded: false`; any other body goes base64 with
 *   `isBase64Encoded: true` [doc]. No body: "" and false [doc: the health check event].
 * - Keys in the order AWS's examples show them; headers sorted by name as AWS sends them.
 */

export interface AlbEventInput {
  targetGroupArn: string;
  method: string;
  path: string;
  /** Query pairs as sent. */
  query: [string, string][];
  /** Header lines as sent, lower-case names, repeats kept, in order. */
  headers: [string, string][];
  body: Buffer;
  multiValue: boolean;
  /** What the load balancer adds. */
  added: { forwardedFor?: string; forwardedPort: string; forwardedProto: string; traceId: string };
  /** routing.http.xff_header_processing.mode. */
  xffMode: 'append' | 'preserve' | 'remove';
}

const TEXT_TYPES = ['application/json', 'application/javascript', 'application/xml'];

/** Whether the load balancer passes this body as text [doc]. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime.startsWith('text/') || TEXT_TYPES.includes(mime);
}

/** The header lines the function sees: as sent, with the load balancer's own set last. */
export function forwardedHeaders(e: Pick<AlbEventInput, 'headers' | 'added' | 'xffMode'>): [string, string][] {
  const own = new Set(['x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id', 'x-forwarded-for']);
  const out = e.headers.filter(([k]) => !own.has(k));
  const sentXff = e.headers.filter(([k]) => k === 'x-forwarded-for').map(([, v]) => v);
  if (e.xffMode === 'preserve') for (const v of sentXff) out.push(['x-forwarded-for', v]);
  else if (e.xffMode === 'append') {
    const chain = e.added.forwardedFor ? [...sentXff, e.added.forwardedFor] : sentXff;
    if (chain.length) out.push(['x-forwarded-for', chain.join(', ')]);
  }
  out.push(['x-forwarded-port', e.added.forwardedPort], ['x-forwarded-proto', e.added.forwardedProto], ['x-amzn-trace-id', e.added.traceId]);
  return out;
}

function byName<T>(entries: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const k of [...entries.keys()].sort()) out[k] = entries.get(k) as T;
  return out;
}

export function buildAlbEvent(e: AlbEventInput): Record<string, unknown> {
  const headers = forwardedHeaders(e);
  const contentType = [...headers].reverse().find(([k]) => k === 'content-type')?.[1];
  const text = e.body.length === 0 || isTextContentType(contentType);
  const event: Record<string, unknown> = { requestContext: { elb: { targetGroupArn: e.targetGroupArn } }, httpMethod: e.method, path: e.path };
  if (e.multiValue) {
    const q = new Map<string, string[]>();
    for (const [k, v] of e.query) (q.get(k) ?? q.set(k, []).get(k))!.push(v);
    const h = new Map<string, string[]>();
    for (const [k, v] of headers) (h.get(k) ?? h.set(k, []).get(k))!.push(v);
    event.multiValueQueryStringParameters = Object.fromEntries(q);
    event.multiValueHeaders = byName(h);
  } else {
    const q: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of e.query) q[k] = v;
    event.queryStringParameters = q;
    event.headers = byName(new Map(headers));
  }
  event.body = text ? e.body.toString('utf8') : e.body.toString('base64');
  event.isBase64Encoded = !text;
  return event;
}

/** Whether a text body is UTF-8 the load balancer can pass (else LambdaBadRequest [doc: access log reasons]). */
export function isValidUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** Query pairs as sent: split on `&`, empty pieces skipped, a key without `=` has value "". */
export function rawQueryPairs(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  const out: [string, string][] = [];
  for (const p of rawQuery.split('&')) {
    if (!p) continue;
    const eq = p.indexOf('=');
    out.push(eq >= 0 ? [p.slice(0, eq), p.slice(eq + 1)] : [p, '']);
  }
  return out;
}
