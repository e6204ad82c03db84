/**
 * stream: a response-streaming handler (`awslambda.streamifyResponse`) whose output is driven by the
 * event, for InvokeWithResponseStream and RESPONSE_STREAM Function URLs.
 *
 * The event is a StreamEvent; behind a Function URL, the request body (JSON) is the StreamEvent.
 * In this order, each step optional:
 *   1. contentType  responseStream.setContentType(contentType)
 *   2. prelude      responseStream = awslambda.HttpResponseStream.from(responseStream, prelude)
 *   3. chunks       write each string, waiting delayMs before each one after the first; once
 *                   `failAfter` of them are written (and the delay passed): throw new Error(message
 *                   ?? 'boom') (a mid-stream error); once `exitAfter` are: process.exit(1) (a crash)
 *   4. bytes        write that many bytes ('x'), in pieces of up to 64 KiB, honouring backpressure
 *   5. hang         never end the stream (the invocation times out)
 *   6. end          responseStream.end() (unless hang)
 */
import type { Context } from 'aws-lambda';
import type { Writable } from 'node:stream';

export interface StreamEvent {
  contentType?: string;
  prelude?: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
  chunks?: string[];
  delayMs?: number;
  failAfter?: number;
  exitAfter?: number;
  message?: string;
  bytes?: number;
  hang?: boolean;
}

interface ResponseStream extends Writable {
  setContentType(contentType: string): void;
}

declare const awslambda: {
  streamifyResponse(handler: (event: unknown, responseStream: ResponseStream, context: Context) => Promise<void>): unknown;
  HttpResponseStream: { from(stream: ResponseStream, prelude: unknown): ResponseStream };
};

const PIECE = 64 * 1024;

/** The StreamEvent itself, or the JSON body of a Function URL's v2.0 event. */
function streamEvent(event: unknown): StreamEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  if (e.requestContext && typeof e.requestContext === 'object' && 'http' in (e.requestContext as object)) {
    if (typeof e.body !== 'string' || e.body === '') return {};
    const text = e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body;
    try {
      return JSON.parse(text) as StreamEvent;
    } catch {
      return {};
    }
  }
  return e as StreamEvent;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writeBytes(stream: ResponseStream, n: number): Promise<void> {
  const piece = Buffer.alloc(PIECE, 'x');
  for (let left = n; left > 0; left -= PIECE) {
    const ok = stream.write(left >= PIECE ? piece : piece.subarray(0, left));
    if (!ok) await new Promise((r) => stream.once('drain', r));
  }
}

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const e = streamEvent(event);
  let stream = responseStream;
  if (e.contentType) stream.setContentType(e.contentType);
  if (e.prelude) stream = awslambda.HttpResponseStream.from(stream, e.prelude);
  const chunks = e.chunks ?? [];
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && e.delayMs) await sleep(e.delayMs);
    if (e.failAfter === i) throw new Error(e.message ?? 'boom');
    if (e.exitAfter === i) process.exit(1);
    stream.write(chunks[i]);
  }
  if (e.failAfter !== undefined && e.failAfter >= chunks.length) throw new Error(e.message ?? 'boom');
  if (e.exitAfter !== undefined && e.exitAfter >= chunks.length) process.exit(1);
  if (e.bytes) await writeBytes(stream, e.bytes);
  if (e.hang) return new Promise<void>(() => undefined);
  stream.end();
});
