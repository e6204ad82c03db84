/**
 * What the load balancer answers: a Lambda target's response mapped to HTTP, its fixed-response and
 * redirect actions, and its own error pages.
 *
 * The load balancer's pages are nginx-style HTML with CRLF line ends, `server: awselb/2.0`,
 * `content-type: text/html` [obs: "HTTP/1.1 503 Service Temporarily Unavailable ... Content-Length:
 * 162" and "HTTP/2 502 ... content-length: 122", which these bodies match byte for byte].
 *
 * A Lambda response [doc: Lambda functions as targets]: `{ statusCode, statusDescription, headers |
 * multiValueHeaders, body, isBase64Encoded }`. The status line's reason phrase is taken from
 * statusDescription ("200 OK" gives "OK"); with multi-value headers enabled the function must answer
 * `multiValueHeaders` and `headers` is ignored, without it the reverse [doc; obs]; a base64 body is
 * decoded; hop-by-hop headers (Connection, Transfer-Encoding...) are dropped and Content-Length is
 * computed [doc]. Anything else (not a JSON object, no valid statusCode, a body that is not a string,
 * header values that are not strings or numbers, more than 1 MB of JSON) is a malformed response,
 * which the load balancer answers 502 (LambdaInvalidResponse, LambdaResponseTooLarge) [doc].
 */
import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { RawResponse } from '../../protocols/types';
import type { FixedResponseConfig, RedirectConfig } from '../../services/elbv2/types';

export const SERVER = 'awselb/2.0';
/** 1 MB: the largest request body the load balancer sends a function and response JSON it takes [doc]. */
export const LAMBDA_LIMIT_BYTES = 1024 * 1024;

/**
 * Reason phrases of the load balancer's own pages: 502, 503 and 400 as AWS sends them [obs]; the
 * others are nginx's, whose page format AWS's matches (unconfirmed for the load balancer).
 */
const PAGE_REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  405: 'Not Allowed',
  413: 'Request Entity Too Large',
  463: '',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function pageBody(status: number): string {
  const title = `${status} ${PAGE_REASONS[status] ?? STATUS_CODES[status] ?? ''}`.trimEnd();
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** One of the load balancer's own answers (502, 503, 400, 413...). */
export function albPage(status: number, extra: Record<string, string> = {}): RawResponse {
  const reason = PAGE_REASONS[status] ?? STATUS_CODES[status] ?? '';
  return {
    status,
    statusMessage: reason || ' ',
    headers: { server: SERVER, 'content-type': 'text/html', ...extra },
    body: pageBody(status),
  };
}

/** A fixed-response action: the configured status, content type and body [doc]. */
export function fixedResponse(c: FixedResponseConfig): RawResponse {
  const status = Number(c.StatusCode);
  return {
    status,
    statusMessage: STATUS_CODES[status] ?? ' ',
    headers: { server: SERVER, 'content-type': `${c.ContentType ?? 'text/plain'}; charset=utf-8` },
    body: c.MessageBody ?? '',
  };
}

export interface RedirectSource {
  /** "http" (the only listener protocol here). */
  protocol: string;
  /** The Host header's name, without the port. */
  host: string;
  /** What #{port} stands for. */
  port: string;
  /** The path as sent, with its leading "/". */
  path: string;
  /** The query string as sent, without "?". */
  query: string;
}

/**
 * A redirect action: `protocol://host:port/path?query` from the configured components, with
 * #{protocol}, #{host}, #{port}, #{path} (the path without its leading "/") and #{query} taken from
 * the request; the port is always written; no "?" when the query is empty [doc].
 */
export function redirectLocation(c: RedirectConfig, s: RedirectSource): string {
  const fill = (v: string) =>
    v
      .replace(/#\{protocol\}/g, s.protocol)
      .replace(/#\{host\}/g, s.host)
      .replace(/#\{port\}/g, s.port)
      .replace(/#\{path\}/g, s.path.replace(/^\//, ''))
      .replace(/#\{query\}/g, s.query);
  const protocol = fill(c.Protocol).toLowerCase();
  const query = fill(c.Query);
  return `${protocol}://${fill(c.Host)}:${fill(c.Port)}${fill(c.Path)}${query ? `?${query}` : ''}`;
}

export function redirectResponse(c: RedirectConfig, s: RedirectSource): RawResponse {
  const location = redirectLocation(c, s);
  if (!sendable('location', location)) return albPage(502);
  return albPage(c.StatusCode === 'HTTP_301' ? 301 : 302, { location });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

const isPrimitive = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A header line Node can send (name a token, value without CR/LF/NUL), or false. */
function sendable(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The HTTP answer for a function's response payload, or undefined when the payload is not a valid
 * ALB response (the caller answers 502).
 */
export function mapLambdaResponse(payload: Buffer, multiValue: boolean): RawResponse | undefined {
  if (payload.length > LAMBDA_LIMIT_BYTES) return undefined;
  let r: unknown;
  try {
    r = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
  const o = r as Record<string, unknown>;
  const code = typeof o.statusCode === 'number' ? o.statusCode : typeof o.statusCode === 'string' && /^\d+$/.test(o.statusCode) ? Number(o.statusCode) : NaN;
  // A 1xx cannot be a final answer: only 200-599 can be sent (unconfirmed for 1xx).
  if (!Number.isInteger(code) || code < 200 || code > 599) return undefined;
  if (o.body !== undefined && o.body !== null && typeof o.body !== 'string') return undefined;

  // Header lines, names grouped case-insensitively under the first spelling seen.
  const lines: [string, string][] = [];
  const field = multiValue ? o.multiValueHeaders : o.headers;
  if (field !== undefined && field !== null) {
    if (typeof field !== 'object' || Array.isArray(field)) return undefined;
    for (const [name, value] of Object.entries(field as Record<string, unknown>)) {
      const values = multiValue ? (Array.isArray(value) ? value : [value]) : [value];
      for (const v of values) {
        if (v === null || v === undefined) continue;
        if (!isPrimitive(v)) return undefined;
        lines.push([name, String(v)]);
      }
    }
  }
  const spelling = new Map<string, string>();
  const out: [string, string][] = [];
  for (const [name, value] of lines) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    if (!sendable(name, value)) return undefined;
    if (!spelling.has(lower)) spelling.set(lower, name);
    out.push([spelling.get(lower) as string, value]);
  }
  if (!spelling.has('server')) out.unshift(['server', SERVER]);

  const text = typeof o.body === 'string' ? o.body : '';
  const body = o.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status: code, statusMessage: reasonPhrase(o.statusDescription, code), headers: {}, multiHeaders: out, body };
}

/** The reason phrase from statusDescription ("404 Not Found" -> "Not Found"), else the standard one. */
export function reasonPhrase(description: unknown, status: number): string {
  const fallback = STATUS_CODES[status] ?? ' ';
  if (typeof description !== 'string' || description === '') return fallback;
  const m = /^\d{3} (.*)$/s.exec(description);
  const reason = m ? m[1] : description;
  // Node refuses control characters in the status line; such a description cannot be sent.
  return reason && /^[\t\x20-\x7e\x80-\xff]*$/.test(reason) ? reason : fallback;
}
