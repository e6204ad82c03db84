/**
 * Plain HTTP requests to the front doors, as curl or a browser sends them: names under
 * `.localhost` resolve to loopback without DNS (curl and browsers do this themselves; Node's
 * resolver does not, so this lookup does it), the Host header is the URL's, and the answer keeps
 * every header line (repeated set-cookie lines, the reason phrase) and the raw body.
 *
 *   const r = await httpRequest(`${functionUrl}items?id=1`, { method: 'POST', body: 'x' });
 *   r.status, r.headers['content-type'], r.headerLines, r.body.toString()
 */
import http from 'node:http';
import type { LookupFunction } from 'node:net';

export interface HttpRequestOptions {
  method?: string;
  /** Header lines; an array of pairs sends repeats (two `cookie` lines, two `x-multi` lines). */
  headers?: Record<string, string> | [string, string][];
  body?: string | Buffer;
  /** Called with each body chunk as it arrives (streamed responses). */
  onChunk?: (chunk: Buffer) => void;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  statusMessage: string;
  /** Header values by lower-case name; repeats joined with ', ' (set-cookie: see headerLines). */
  headers: Record<string, string>;
  /** Every header line as received: [lower-case name, value]. */
  headerLines: [string, string][];
  body: Buffer;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
}

/** `*.localhost` (and `localhost`) to 127.0.0.1, as RFC 6761 lets resolvers do; other names as usual. */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
    return;
  }
  void import('node:dns').then((dns) => dns.lookup(hostname, options, callback as never));
};

export function httpRequest(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const headerPairs: [string, string][] = Array.isArray(opts.headers) ? opts.headers : Object.entries(opts.headers ?? {});
  const flat: string[] = [];
  // Node adds neither Host nor Content-Length when headers are given as raw lines: add them here.
  const has = (name: string) => headerPairs.some(([k]) => k.toLowerCase() === name);
  if (!has('host')) flat.push('Host', u.host);
  if (opts.body !== undefined && !has('content-length') && !has('transfer-encoding')) flat.push('Content-Length', String(Buffer.byteLength(opts.body)));
  for (const [k, v] of headerPairs) flat.push(k, v);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        method: opts.method ?? 'GET',
        hostname: u.hostname,
        port: u.port || 80,
        path: `${u.pathname}${u.search}`,
        headers: flat as unknown as http.OutgoingHttpHeaders,
        lookup: loopbackLookup,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          opts.onChunk?.(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headerLines: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) headerLines.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
          const headers: Record<string, string> = {};
          for (const [k, v] of headerLines) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers, headerLines, body, text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('error', reject);
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs} ms`)));
    req.end(opts.body);
  });
}
