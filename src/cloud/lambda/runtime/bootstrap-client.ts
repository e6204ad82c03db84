/**
 * The bootstrap's Runtime API client (bundled into the bootstrap): a minimal HTTP/1.1 client on one
 * keep-alive socket. Requests to the Runtime API are strictly sequential (next -> response/error ->
 * next ...), so one connection with one outstanding request is all it takes. Like the native client
 * the AWS runtimes use, it avoids the cost of node:http on the per-invoke hot path (two requests
 * per invoke, in every environment). A streamed response uses the same connection.
 */
import * as net from 'node:net';
import type { ResponseTransport } from './bootstrap-stream';

const API = process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001';
const [HOST, PORT_S] = API.split(':');
const PORT = Number(PORT_S);

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

let socket: net.Socket | undefined;
let inbox: Buffer = Buffer.alloc(0);
let waiting: ((r: ApiResponse) => void) | undefined;

function connection(): net.Socket {
  if (socket) return socket;
  const s = net.connect({ host: HOST, port: PORT });
  s.setNoDelay(true);
  s.on('data', (chunk: Buffer) => {
    inbox = inbox.length === 0 ? chunk : Buffer.concat([inbox, chunk]);
    drain();
  });
  // The Runtime API is gone or broken: as the RIC, give up.
  s.on('error', () => process.exit(1));
  s.on('close', () => process.exit(1));
  socket = s;
  return s;
}

/** Parse one complete response out of the inbox, if it is all there. */
function drain(): void {
  if (!waiting) return;
  const headEnd = inbox.indexOf('\r\n\r\n');
  if (headEnd < 0) return;
  const lines = inbox.toString('latin1', 0, headEnd).split('\r\n');
  const status = Number(lines[0].slice(9, 12));
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i].indexOf(':');
    if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
  }
  let offset = headEnd + 4;
  // The manager always sends Content-Length (no chunked bodies on this API).
  const length = Number(headers['content-length'] ?? 0);
  if (inbox.length < offset + length) return;
  const body = inbox.subarray(offset, offset + length);
  offset += length;
  inbox = offset >= inbox.length ? Buffer.alloc(0) : inbox.subarray(offset);
  const resolve = waiting;
  waiting = undefined;
  // Idle between requests, the socket must not keep the event loop alive: handlers that wait for
  // an empty event loop (callbackWaitsForEmptyEventLoop) rely on 'beforeExit'.
  socket?.unref();
  resolve({ status, headers, body });
}

/** Header values travel as latin1 on the wire; keep them on one line. */
function headerValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ');
}

export function request(method: string, urlPath: string, headers: Record<string, string | number>, body?: Buffer): Promise<ApiResponse> {
  return new Promise((resolve) => {
    waiting = resolve;
    let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${API}\r\n`;
    for (const k in headers) head += `${k}: ${headerValue(String(headers[k]))}\r\n`;
    head += `Content-Length: ${body ? body.length : 0}\r\n\r\n`;
    const s = connection();
    s.ref();
    if (body && body.length > 0) {
      s.cork();
      s.write(head, 'latin1');
      s.write(body);
      s.uncork();
    } else {
      s.write(head, 'latin1');
    }
  });
}

/**
 * A streamed response on the same connection: the head goes out with the first bytes, the
 * chunks as they are written, and the answer is read once the last chunk and trailers are sent.
 * The socket stays referenced until then, as the RIC's open request keeps the event loop alive.
 */
export function streamTransport(): ResponseTransport {
  const s = connection();
  s.ref();
  let answer: Promise<ApiResponse> | undefined;
  return {
    begin(head) {
      answer = new Promise((resolve) => (waiting = resolve));
      s.write(`${head}Host: ${API}\r\n\r\n`, 'latin1');
    },
    send(pieces, done) {
      s.cork();
      for (let i = 0; i < pieces.length - 1; i++) s.write(pieces[i]);
      s.write(pieces[pieces.length - 1], () => done());
      s.uncork();
    },
    finish(last) {
      s.write(last, 'latin1');
      return answer!.then((r) => r.status);
    },
  };
}
