/**
 * The request to a custom origin. Origins are reached on loopback only: a name that is `localhost`
 * or ends in `.localhost` (a front door of this cloud, or a server a test started on 127.0.0.1)
 * connects to 127.0.0.1 at the origin's port; any other name does not resolve here (CloudFront's
 * DNS error). The origin's read timeout runs on the virtual clock.
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../clock';

export interface OriginTarget {
  protocol: 'http' | 'https';
  domainName: string;
  port: number;
  /** The origin path, prepended to the URI ('' or '/path'). */
  path: string;
  /** Seconds. */
  readTimeout: number;
}

export interface OriginCall {
  method: string;
  uri: string;
  querystring: string;
  headers: [string, string][];
  body: Buffer;
}

export type OriginOutcome =
  | { ok: true; status: number; statusMessage: string; headers: [string, string][]; body: Buffer }
  | { ok: false; kind: 'dns' | 'connect' | 'timeout' };

export function isLoopbackName(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'localhost' || n.endsWith('.localhost');
}

export function fetchOrigin(target: OriginTarget, call: OriginCall, clock: Clock): Promise<OriginOutcome> {
  if (!isLoopbackName(target.domainName)) return Promise.resolve({ ok: false, kind: 'dns' });
  const flat: string[] = [];
  for (const [k, v] of call.headers) flat.push(k, v);
  const path = `${target.path}${call.uri}${call.querystring ? `?${call.querystring}` : ''}`;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: OriginOutcome) => {
      if (done) return;
      done = true;
      timer.cancel();
      resolve(o);
    };
    const options = {
      method: call.method,
      host: '127.0.0.1',
      port: target.port,
      path,
      headers: flat as unknown as http.OutgoingHttpHeaders,
      agent: false,
      ...(target.protocol === 'https' ? { rejectUnauthorized: false, servername: target.domainName } : {}),
    } as const;
    const req = (target.protocol === 'https' ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => finish({ ok: false, kind: 'timeout' }));
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        finish({ ok: true, status: res.statusCode ?? 502, statusMessage: res.statusMessage ?? '', headers, body: Buffer.concat(chunks) });
      });
    });
    const timer = clock.setTimeout(() => {
      finish({ ok: false, kind: 'timeout' });
      req.destroy();
    }, target.readTimeout * 1000);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, kind: e.code === 'ECONNREFUSED' ? 'connect' : 'timeout' }));
    req.end(call.body.length > 0 ? call.body : undefined);
  });
}
