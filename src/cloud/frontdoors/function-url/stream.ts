/**
 * Function URLs with InvokeMode RESPONSE_STREAM: the function runs as InvokeWithResponseStream
 * runs it [doc config-rs-invoke-furls] and its response reaches the HTTP client as it is written.
 *
 * - A handler using `awslambda.HttpResponseStream.from` declares the content type
 *   application/vnd.awslambda.http-integration-response: its response opens with a JSON prelude
 *   `{statusCode, headers, cookies}` and 8 NUL bytes [ric HttpResponseStream.js]; the prelude sets
 *   the status (200 when it has none [rec test_function_url_with_response_streaming, whose prelude
 *   says `status`]), the headers and one set-cookie line per cookie, and what follows is the body.
 * - Any other response (a plain streamified handler, or a handler that is not streamified at all)
 *   is the body as the function produced it, with status 200 and the runtime's Content-Type: a
 *   buffered handler's `{statusCode, body}` result arrives as its JSON text, unmapped
 *   [rec test_lambda_url_echo_invoke[RESPONSE_STREAM]].
 * - Refusals and failures before the first byte are answered as the buffered URL answers them
 *   (function-url/index.ts): Lambda's status with `{"Message"}`, or 502 `Internal Server Error`.
 *   A failure after the first byte cannot change the status any more: the connection is cut, so
 *   the client sees an incomplete chunked body.
 * Unverified choices: a prelude that is not JSON (or a stream of that type ending before its
 * delimiter with bytes in it) gives 502; without a prelude Content-Type, the body goes out as
 * application/octet-stream.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AwsError } from '../../errors';
import { type ResponseQueue, startStreaming } from '../../lambda/invoke-stream';
import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../lambda/runtime/streaming';
import type { InvokeResult } from '../../lambda/runtime/types';
import type { LambdaService } from '../../lambda/service';
import type { RawResponse } from '../../protocols/types';
import { doorContext, type DoorInvocation } from '../invoke';

const DELIMITER = Buffer.alloc(8);
/** Headers about the connection's framing, which the door sets itself (the body is chunked). */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/** The HTTP answer of the prelude: status, header lines and set-cookie lines. */
interface Prelude {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
}

/**
 * The HTTP answer of a RESPONSE_STREAM Function URL for one request whose v2.0 event is
 * `o.event`: status and headers from the prelude, then the body streamed (`RawResponse.stream`).
 * `extraHeaders` (CORS) are laid over the function's headers.
 */
export async function answerStreaming(lambda: LambdaService, o: DoorInvocation, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  const requestId = o.requestId ?? randomUUID();
  const idHeaders: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (o.traceHeader) idHeaders['x-amzn-trace-id'] = o.traceHeader;
  const ctx = doorContext(lambda, o, requestId);
  const payload = Buffer.isBuffer(o.event) ? o.event : Buffer.from(JSON.stringify(o.event));
  let run;
  try {
    run = await startStreaming(lambda, ctx, { functionName: o.functionArn, payload, trigger: o.trigger });
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    return {
      status: e.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code, ...idHeaders },
      body: JSON.stringify({ Message: e.message }),
    };
  }
  if (run.kind !== 'running') return badGateway(idHeaders);
  const chunks = run.queue.read();
  const head = await readHead(run.queue, chunks);
  if (head.ended) {
    const result = await run.result;
    if (result.functionError) return badGateway(idHeaders);
  }
  let status = 200;
  let headers: Record<string, string> = { 'content-type': run.queue.contentType ?? 'application/octet-stream' };
  const multiHeaders: [string, string][] = [];
  let rest = head.bytes;
  if (run.queue.contentType === HTTP_INTEGRATION_CONTENT_TYPE) {
    const at = head.bytes.indexOf(DELIMITER);
    if (at < 0 && head.bytes.length > 0) return abandon(chunks, idHeaders);
    const prelude = at < 0 ? { status: 200, headers: {}, cookies: [] } : parsePrelude(head.bytes.subarray(0, at));
    if (!prelude) return abandon(chunks, idHeaders);
    status = prelude.status;
    headers = prelude.headers;
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/octet-stream';
    for (const c of prelude.cookies) multiHeaders.push(['set-cookie', c]);
    rest = at < 0 ? Buffer.alloc(0) : head.bytes.subarray(at + DELIMITER.length);
  }
  const method = (o.event as { requestContext?: { http?: { method?: string } } } | undefined)?.requestContext?.http?.method;
  return {
    status,
    headers: { ...overlay(headers, extraHeaders), ...idHeaders },
    multiHeaders,
    body: '',
    stream: body(rest, head.ended ? undefined : chunks, run.result, method === 'HEAD'),
  };
}

/**
 * What the status line depends on: for a prelude, the bytes up to its delimiter; otherwise the
 * first bytes. `ended`: the invocation finished first.
 */
async function readHead(queue: ResponseQueue, chunks: AsyncGenerator<Buffer>): Promise<{ bytes: Buffer; ended: boolean }> {
  let bytes: Buffer = Buffer.alloc(0);
  for (;;) {
    const n = await chunks.next();
    if (n.done) return { bytes, ended: true };
    bytes = bytes.length === 0 ? n.value : Buffer.concat([bytes, n.value]);
    if (queue.contentType !== HTTP_INTEGRATION_CONTENT_TYPE || bytes.indexOf(DELIMITER) >= 0) return { bytes, ended: false };
  }
}

async function* body(first: Buffer, chunks: AsyncGenerator<Buffer> | undefined, result: Promise<InvokeResult>, head: boolean): AsyncGenerator<Buffer> {
  if (!head && first.length > 0) yield first;
  if (chunks) {
    for await (const c of chunks) if (!head) yield c;
  }
  // A failure after the head went out: cut the connection (the server destroys it on a throw).
  if ((await result).functionError) throw new Error('the function failed while streaming its response');
}

/** [ric] The metadata HttpResponseStream.from wrote: {statusCode?, headers?, cookies?}. */
function parsePrelude(bytes: Buffer): Prelude | undefined {
  let meta: unknown;
  try {
    meta = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return undefined;
  const m = meta as { statusCode?: unknown; headers?: unknown; cookies?: unknown };
  const code = typeof m.statusCode === 'string' ? Number(m.statusCode) : m.statusCode;
  const status = typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599 ? code : 200;
  const headers: Record<string, string> = {};
  if (m.headers && typeof m.headers === 'object' && !Array.isArray(m.headers)) {
    for (const [k, v] of Object.entries(m.headers as Record<string, unknown>)) {
      if (v === null || v === undefined || typeof v === 'object') continue;
      const value = String(v);
      if (validHeader(k, value) && !FRAMING.has(k.toLowerCase())) headers[k] = value;
    }
  }
  const cookies = Array.isArray(m.cookies) ? m.cookies.filter((c): c is string => typeof c === 'string' && validHeader('set-cookie', c)) : [];
  return { status, headers, cookies };
}

function validHeader(name: string, value: string): boolean {
  try {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** The function's headers with the door's (CORS) laid over them, any casing replaced. */
function overlay(fnHeaders: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  if (Object.keys(extra).length === 0) return fnHeaders;
  const names = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fnHeaders)) if (!names.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...extra };
}

function badGateway(idHeaders: Record<string, string>): RawResponse {
  return { status: 502, headers: { 'content-type': 'application/json', ...idHeaders }, body: 'Internal Server Error' };
}

/** A response the URL cannot map: 502, the rest of the function's output dropped. */
async function abandon(chunks: AsyncGenerator<Buffer>, idHeaders: Record<string, string>): Promise<RawResponse> {
  await chunks.return(undefined);
  return badGateway(idHeaders);
}
