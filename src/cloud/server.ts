/**
 * One HTTP endpoint for every service: HTTP/1.1 and h2c (prior knowledge, as the Kinesis v3 client
 * speaks) on the same port. The first bytes of a connection decide: the HTTP/2 preface starts
 * with "PRI * HTTP/2.0", no HTTP/1.1 request does.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { RawRequest, RawResponse } from './protocols/types';

/** Bodies beyond this are refused before they are buffered (CreateFunction's own cap is 69905067). */
export const MAX_BODY_BYTES = 70 * 1024 * 1024;

export type RequestHandler = (req: RawRequest, endpoint: string) => Promise<RawResponse>;

type AnyReq = http.IncomingMessage | http2.Http2ServerRequest;
type AnyRes = http.ServerResponse | http2.Http2ServerResponse;

export interface HttpEndpoint {
  port: number;
  host: string;
  close(): Promise<void>;
}

/** What a bound port answers with: swapped from the starting answers to the cloud's when adopted. */
interface Dispatch {
  handler: RequestHandler;
}

interface Bound {
  server: net.Server;
  sockets: Set<net.Socket>;
  h1: http.Server;
  h2: http2.Http2Server;
  port: number;
}

async function bind(dispatch: Dispatch, port: number, host: string): Promise<Bound> {
  const onRequest = (req: AnyReq, res: AnyRes) => {
    void serve(dispatch.handler, req, res);
  };
  const h1 = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, maxHeaderSize: 65_536 }, onRequest);
  const h2 = http2.createServer({}, onRequest);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (chunk.subarray(0, 4).toString('latin1') === 'PRI ') {
        // The socket itself, so that HTTP/2 reads it natively: a session takes the bytes already
        // buffered on its socket first (Node >= 14.x, nodejs/node#35475).
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', socket);
        socket.resume();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, sockets, h1, h2, port: (server.address() as net.AddressInfo).port };
}

function close(b: Bound): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const s of b.sockets) s.destroy();
    b.h1.close();
    b.h2.close();
    b.server.close(() => resolve());
  });
}

/** Ports bound by reserve() and not yet adopted by listen(), by "host|port" (the bound port). */
const reserved = new Map<string, { bound: Bound; adopt(handler: RequestHandler): void }>();

export async function listen(handler: RequestHandler, port: number, host: string): Promise<HttpEndpoint> {
  const key = `${host}|${port}`;
  const early = reserved.get(key);
  let bound: Bound;
  if (early) {
    reserved.delete(key);
    early.adopt(handler);
    bound = early.bound;
  } else {
    bound = await bind({ handler }, port, host);
  }
  return { port: bound.port, host, close: () => close(bound) };
}

/** A port bound before the cloud behind it exists (see reserve). */
export interface Reservation {
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** Closes the port unless a listen() has adopted it; requests still waiting get a 503. */
  release(): Promise<void>;
}

/**
 * Binds `host:port` now, before the cloud has loaded, so that connections are accepted from the
 * first moment instead of refused (LocalStack's port, too, answers health while it starts). Until a
 * listen() on the bound port (`reservation.port`, also when 0 was asked for) and the same host adopts
 * the socket, `whileStarting` answers what it can (the health endpoint) whenever the event loop is
 * free (loading the cloud's modules holds it for ~0.1 s); every other request waits for the cloud.
 */
export async function reserve(port: number, host: string, whileStarting: (req: RawRequest) => RawResponse | undefined): Promise<Reservation> {
  let settle!: (handler: RequestHandler | undefined) => void;
  const adopted = new Promise<RequestHandler | undefined>((resolve) => (settle = resolve));
  let waiting = 0;
  let drained: (() => void) | undefined;
  const dispatch: Dispatch = {
    handler: async (req, endpoint) => {
      const early = whileStarting(req);
      if (early) return early;
      waiting++;
      const handler = await adopted;
      if (--waiting === 0) drained?.();
      return handler ? handler(req, endpoint) : notStarted();
    },
  };
  const bound = await bind(dispatch, port, host);
  const key = `${host}|${bound.port}`;
  let taken = false;
  reserved.set(key, {
    bound,
    adopt(handler) {
      taken = true;
      dispatch.handler = handler;
      settle(handler);
    },
  });
  return {
    port: bound.port,
    release: async () => {
      if (taken) return;
      reserved.delete(key);
      settle(undefined);
      // The waiting requests get their 503 before the sockets go: once the last has its answer,
      // one turn of the event loop lets serve() write it.
      if (waiting > 0) await new Promise<void>((resolve) => (drained = resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      await close(bound);
    },
  };
}

function notStarted(): RawResponse {
  return {
    status: 503,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailableException', connection: 'close' },
    body: JSON.stringify({ Type: 'Server', message: 'The cloud did not start.' }),
  };
}

async function serve(handler: RequestHandler, req: AnyReq, res: AnyRes): Promise<void> {
  try {
    // One pass over the raw header lines (lower-case names, repeats joined by ','), so Node never
    // builds its own headers object for us to copy. HTTP/2's :authority stands in for Host.
    const headers: Record<string, string> = {};
    let authority: string | undefined;
    const rawHeaders = req.rawHeaders;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const k = rawHeaders[i].toLowerCase();
      if (k.charCodeAt(0) === 58 /* ':' */) {
        if (k === ':authority') authority = rawHeaders[i + 1];
        continue;
      }
      const prev = headers[k];
      headers[k] = prev === undefined ? rawHeaders[i + 1] : `${prev},${rawHeaders[i + 1]}`;
    }
    // HTTP/2 names the host in :authority only; the front doors choose by Host.
    if (headers.host === undefined && authority !== undefined) headers.host = authority;
    const declared = Number(headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      send(res, tooLarge());
      // Stop reading; the client gets the answer and the connection closes.
      req.resume();
      return;
    }
    const chunks = await readBody(req);
    if (!chunks) {
      send(res, tooLarge());
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const host = headers.host ?? authority ?? '127.0.0.1';
    const raw: RawRequest = {
      method: req.method ?? 'GET',
      path: q >= 0 ? url.slice(0, q) : url,
      query: q >= 0 ? new URLSearchParams(url.slice(q + 1)) : new URLSearchParams(),
      headers,
      body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      rawHeaders,
      rawQuery: q >= 0 ? url.slice(q + 1) : '',
      sourceIp: req.socket?.remoteAddress?.replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
    };
    send(res, await handler(raw, `http://${host}`));
  } catch (e) {
    // A client that went away mid-body (bad chunking, a reset) has nobody left to answer.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ECONNABORTED' || req.destroyed) return;
    console.error('[testbed] request failed:', e);
    send(res, {
      status: 500,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' },
      body: JSON.stringify({ Type: 'Service', message: 'An internal error occurred.' }),
    });
  }
}

/** The body's chunks, or undefined once it grows past MAX_BODY_BYTES (the rest is discarded). */
function readBody(req: AnyReq): Promise<Buffer[] | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : chunks));
    req.on('error', reject);
  });
}

function tooLarge(): RawResponse {
  return {
    status: 413,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestEntityTooLargeException', connection: 'close' },
    body: JSON.stringify({ Type: 'User', message: 'Request must be smaller than 69905067 bytes for the operation' }),
  };
}

function send(res: AnyRes, r: RawResponse): void {
  if (res.headersSent) return;
  if (r.stream || r.multiHeaders || r.statusMessage) {
    void sendFull(res, r);
    return;
  }
  // A string body stays a string: Node then writes the head and the body in one write, where a
  // Buffer costs a second chunk and a writev per response.
  const body = r.body;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  // A HEAD answer declares the length of the body it does not send (S3's HeadObject).
  const declared = (res as http.ServerResponse).req?.method === 'HEAD' ? r.headers['content-length'] : undefined;
  const headers: Record<string, string | number> = { ...r.headers, 'content-length': declared ?? length };
  if ('stream' in res) {
    // HTTP/2 forbids connection-specific headers.
    delete headers.connection;
  }
  (res as http.ServerResponse).writeHead(r.status, headers);
  (res as http.ServerResponse).end(body);
}

/** A response with repeated headers, a reason phrase or a streamed body (the HTTP front doors). */
async function sendFull(res: AnyRes, r: RawResponse): Promise<void> {
  const h2 = 'stream' in res;
  const lines: [string, string][] = [...Object.entries(r.headers), ...(r.multiHeaders ?? [])].filter(([k]) => !(h2 && k.toLowerCase() === 'connection'));
  const grouped = new Map<string, string[]>();
  for (const [k, v] of lines) {
    const key = h2 ? k.toLowerCase() : k;
    const list = grouped.get(key);
    if (list) list.push(v);
    else grouped.set(key, [v]);
  }
  const out = res as http.ServerResponse;
  if (!r.stream) {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    for (const [k, v] of grouped) out.setHeader(k, v.length === 1 ? v[0] : v);
    out.setHeader('content-length', body.length);
    if (r.statusMessage && !h2) out.writeHead(r.status, r.statusMessage);
    else out.writeHead(r.status);
    out.end(body);
    return;
  }
  for (const [k, v] of grouped) out.setHeader(k, v.length === 1 ? v[0] : v);
  out.removeHeader('content-length');
  if (r.statusMessage && !h2) out.writeHead(r.status, r.statusMessage);
  else out.writeHead(r.status);
  out.flushHeaders();
  try {
    for await (const chunk of r.stream) {
      if (out.destroyed) break;
      if (!out.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            resolve();
          };
          out.on('drain', done);
          out.on('close', done);
        });
      }
    }
    out.end();
  } catch {
    // A stream that fails midway cannot change the status any more: the client sees a cut body.
    out.destroy();
  }
}
