/**
 * Response streaming inside the function process (bundled into the bootstrap): the global
 * `awslambda` object (`streamifyResponse`, `HttpResponseStream`) as AWS's Node.js runtime defines
 * it, and the response stream a streamified handler writes to, which POSTs the response to the
 * Runtime API with `Lambda-Runtime-Function-Response-Mode: streaming` in HTTP/1.1 chunks and ends
 * it with the error trailers when the handler fails.
 *
 * Behaviour follows aws-lambda-nodejs-runtime-interface-client (UserFunction.js, ResponseStream.js,
 * HttpResponseStream.js, Runtime.js) [ric]: non-buffer chunks are JSON-stringified, the content
 * type may be set until the first write, the HttpResponseStream prelude (JSON then 8 NUL bytes)
 * goes out just before the first `write()` (not on `end(chunk)`, as there), and errors travel as
 * Lambda-Runtime-Function-Error-Type / -Body (base64 of the error JSON) trailers.
 */
import { Writable } from 'node:stream';

/** [ric] Symbols streamifyResponse marks a handler with. */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

const METADATA_PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER_LEN = 8;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const CRLF = '\r\n';

function runtimeError(name: string): new (message: string) => Error {
  const C = class extends Error {};
  C.prototype.name = `Runtime.${name}`;
  return C;
}
export const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
export const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');

// ---------------------------------------------------------------- the awslambda global

interface PreludeTarget {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
}

/** [ric] Implements application/vnd.awslambda.http-integration-response on a response stream. */
class HttpResponseStream {
  static from<T extends PreludeTarget>(underlyingStream: T, prelude: unknown): T {
    underlyingStream.setContentType(METADATA_PRELUDE_CONTENT_TYPE);
    // JSON.stringify escapes any NUL inside the metadata, so the 8 NULs only ever end it.
    const metadataPrelude = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadataPrelude);
      write(new Uint8Array(DELIMITER_LEN));
    };
    return underlyingStream;
  }
}

/** Define `globalThis.awslambda` before the user's module loads, unless the function opts out [ric]. */
export function installAwsLambdaGlobal(env: NodeJS.ProcessEnv): void {
  const off = env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (off === '1' || off === 'true') return;
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse: (handler: Record<symbol, unknown>, options?: { highWaterMark?: unknown }) => {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGHWATERMARK] = parseInt(String(options.highWaterMark), 10);
      return handler;
    },
    HttpResponseStream,
  };
}

/** How the handler answers: buffered, or a response stream (with its high-water mark, if set). */
export function handlerStreaming(handler: unknown): { streaming: boolean; highWaterMark?: number } {
  const h = handler as Record<symbol, unknown>;
  const mark = h[HANDLER_STREAMING];
  if (mark === undefined || mark === null || mark === false) return { streaming: false };
  if (mark !== STREAM_RESPONSE) throw new MalformedStreamingHandler('Only response streaming is supported.');
  const hwm = h[HANDLER_HIGHWATERMARK];
  const n = hwm === undefined || hwm === null || hwm === false ? NaN : parseInt(String(hwm), 10);
  return Number.isNaN(n) ? { streaming: true } : { streaming: true, highWaterMark: n };
}

// ---------------------------------------------------------------- the response stream

/** The connection the response goes over (the bootstrap's Runtime API client). */
export interface ResponseTransport {
  /** Send the request head (request line and header lines, without the blank line). */
  begin(head: string): void;
  /** Send bytes; `done` once they are handed to the socket. */
  send(pieces: (string | Buffer)[], done: () => void): void;
  /** Send the last bytes and wait for the Runtime API's answer (its status). */
  finish(last: string): Promise<number>;
}

export interface ResponseStreamOptions {
  transport: ResponseTransport;
  /** POST path of the invocation's response. */
  path: string;
  highWaterMark?: number;
  /** Trailers the manager reads (output sizes, peak memory), computed when the response ends. */
  privateTrailers: () => Record<string, string>;
  /** The error JSON the runtime reports for a failure ({errorType, errorMessage, trace}). */
  toRapidResponse: (err: unknown) => { errorType: string };
}

/**
 * The writable a streamified handler gets. Writes become HTTP/1.1 chunks of one POST to the
 * Runtime API, opened on the first write (or at the end).
 */
export class ResponseStream extends Writable {
  /** [ric] Set by HttpResponseStream.from: writes the prelude just before the first write. */
  _onBeforeFirstWrite: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
  private contentType = DEFAULT_CONTENT_TYPE;
  private writeCalled = false;
  private headSent = false;
  private ended = false;
  private errorTrailers: Record<string, string> | undefined;
  /** The Runtime API's answer to the response (its status), once the response has ended. */
  readonly responseDone: Promise<number>;
  private resolveDone!: (status: number) => void;

  constructor(private readonly opts: ResponseStreamOptions) {
    super(opts.highWaterMark !== undefined ? { highWaterMark: opts.highWaterMark } : {});
    this.responseDone = new Promise((r) => (this.resolveDone = r));
  }

  /** Whether bytes of the response have gone out (a crash can then no longer be reported as an error). */
  get started(): boolean {
    return this.headSent;
  }

  setContentType(contentType: string): void {
    if (this.writeCalled) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  override write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && (chunk as { constructor?: unknown } | null)?.constructor !== Uint8Array) {
      chunk = JSON.stringify(chunk);
    }
    if (!this.writeCalled && typeof this._onBeforeFirstWrite === 'function') {
      this._onBeforeFirstWrite((ch) => {
        super.write(ch);
      });
    }
    const ret = super.write(chunk, encoding as BufferEncoding, cb as (error: Error | null | undefined) => void);
    this.writeCalled = true;
    return ret;
  }

  /**
   * End the response with the error trailers (the handler failed). Once the response has ended,
   * there is nothing left to report it on.
   */
  fail(err: unknown): void {
    if (this.writableEnded || this.destroyed) return;
    const error = this.opts.toRapidResponse(err);
    this.errorTrailers = {
      'Lambda-Runtime-Function-Error-Type': error.errorType,
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
    };
    this.end();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.open();
    if (chunk.length === 0) return callback();
    this.opts.transport.send([chunk.length.toString(16) + CRLF, chunk, CRLF], () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.ended) return callback();
    this.ended = true;
    this.open();
    let last = '0' + CRLF;
    const trailers = { ...this.opts.privateTrailers(), ...this.errorTrailers };
    for (const k in trailers) last += `${k}: ${trailers[k].replace(/[\r\n]+/g, ' ')}${CRLF}`;
    last += CRLF;
    void this.opts.transport.finish(last).then((status) => this.resolveDone(status));
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // destroy() (pipeline's on a failed source) cannot cut the shared connection: the response
    // ends with the error instead, so the invocation still fails.
    if (!this.ended) {
      const e = error ?? new Error('Response stream destroyed');
      const r = this.opts.toRapidResponse(e);
      this.errorTrailers ??= {
        'Lambda-Runtime-Function-Error-Type': r.errorType,
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(r)).toString('base64'),
      };
      this._final(() => undefined);
    }
    callback(error);
  }

  private open(): void {
    if (this.headSent) return;
    this.headSent = true;
    this.opts.transport.begin(
      `POST ${this.opts.path} HTTP/1.1${CRLF}` +
        `Lambda-Runtime-Function-Response-Mode: streaming${CRLF}` +
        `Content-Type: ${this.contentType.replace(/[\r\n]+/g, ' ')}${CRLF}` +
        `Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body${CRLF}` +
        `Transfer-Encoding: chunked${CRLF}`,
    );
  }
}
