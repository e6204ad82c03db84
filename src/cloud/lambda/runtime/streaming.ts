/**
 * The Runtime API's side of response streaming: a streaming invocation's response body passed on
 * to its ResponseSink as the runtime writes it, through AWS's bandwidth shaping (a token bucket:
 * 6 MiB at full speed, then 2 MiB/s) and the 200 MB limit; and the error trailers a runtime ends
 * a streamed response with (Lambda-Runtime-Function-Error-Type / -Body, base64 JSON).
 *
 * Facts from AWS's own Runtime API implementation (aws-lambda-runtime-interface-emulator, RAPID:
 * core/directinvoke, core/bandwidthlimiter) are marked [rapid]; from the Lambda docs [doc].
 */
import type * as http from 'node:http';
import type { Clock, TimerHandle } from '../../clock';
import type { ResponseSink, StreamLimits } from './types';

/** [doc] 200 MB per streamed response; 6 MB uncapped, then 2 MB/s. [rapid] 6 MiB burst, 2 MiB/s. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxBytes: 200 * 1024 * 1024,
  burstBytes: 6 * 1024 * 1024,
  bytesPerSecond: 2 * 1024 * 1024,
};

/** [rapid] The bucket is refilled every 125 ms with rate * 125 / 1000 tokens. */
const REFILL_MS = 125;

export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const ERROR_TYPE_TRAILER = 'lambda-runtime-function-error-type';
export const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';

/** [rapid] A token bucket that starts full (burst), refilled in steps on the virtual clock. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly refill: number;

  constructor(
    private readonly clock: Clock,
    private readonly capacity: number,
    bytesPerSecond: number,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
    this.refill = Math.max(1, Math.floor((bytesPerSecond * REFILL_MS) / 1000));
  }

  /** Take n tokens (n <= capacity) if they are there: 0. Otherwise the ms to wait before trying again. */
  take(n: number): number {
    const now = this.clock.now();
    const steps = Math.floor((now - this.last) / REFILL_MS);
    if (steps > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + steps * this.refill);
      this.last += steps * REFILL_MS;
    }
    if (n <= this.tokens) {
      this.tokens -= n;
      return 0;
    }
    const stepsNeeded = Math.ceil((n - this.tokens) / this.refill);
    return Math.max(1, this.last + stepsNeeded * REFILL_MS - now);
  }
}

/**
 * Passes one runtime response (a POST .../response request) on to a streaming invocation's sink:
 * in order, shaped by the bucket, held back while the sink is slow, cut at the size limit. The
 * request is paused while anything waits; `done` is called once everything received has passed.
 */
export class StreamForwarder {
  private readonly pending: Buffer[] = [];
  private readonly bucket: TokenBucket;
  private waiting = false;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private onDrained: (() => void) | undefined;
  /** Bytes the runtime sent (counted up to the limit and past it). */
  received = 0;
  /** The response went past the limit: what came after it was dropped. */
  oversize = false;

  constructor(
    private readonly clock: Clock,
    private readonly limits: StreamLimits,
    private readonly sink: ResponseSink,
    private readonly req: http.IncomingMessage,
    /** False once the invocation has an outcome (timeout, crash): nothing more is passed on. */
    private readonly live: () => boolean,
  ) {
    this.bucket = new TokenBucket(clock, limits.burstBytes, limits.bytesPerSecond);
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    const before = this.received;
    this.received += chunk.length;
    if (this.oversize) return;
    if (this.received > this.limits.maxBytes) {
      // The response is cut at the limit: the part up to it still reaches the caller.
      this.oversize = true;
      const keep = this.limits.maxBytes - before;
      if (keep <= 0) return;
      chunk = chunk.subarray(0, keep);
    }
    // Pieces no larger than the bucket, as RAPID writes them [rapid].
    for (let off = 0; off < chunk.length; off += this.limits.burstBytes) {
      this.pending.push(off === 0 && chunk.length <= this.limits.burstBytes ? chunk : chunk.subarray(off, off + this.limits.burstBytes));
    }
    if (!this.waiting) this.pump();
  }

  /** Call `fn` once everything received so far has been passed on (now, if it has). */
  whenDrained(fn: () => void): void {
    if (this.pending.length === 0 && !this.waiting) fn();
    else this.onDrained = fn;
  }

  /** The response is gone (the runtime's connection closed, the invocation ended): drop the rest. */
  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
    this.timer?.cancel();
    this.timer = undefined;
    this.waiting = false;
    const f = this.onDrained;
    this.onDrained = undefined;
    f?.();
  }

  private pump(): void {
    while (this.pending.length > 0) {
      if (this.stopped) return;
      if (!this.live()) {
        this.stop();
        return;
      }
      const piece = this.pending[0];
      const wait = this.bucket.take(piece.length);
      if (wait > 0) {
        this.hold();
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.release();
        }, wait);
        return;
      }
      this.pending.shift();
      let r: void | Promise<void>;
      try {
        r = this.sink.write(piece);
      } catch {
        r = undefined;
      }
      if (r && typeof (r as Promise<void>).then === 'function') {
        this.hold();
        (r as Promise<void>).then(
          () => this.release(),
          () => this.release(),
        );
        return;
      }
    }
    this.req.resume();
    const f = this.onDrained;
    this.onDrained = undefined;
    f?.();
  }

  private hold(): void {
    this.waiting = true;
    this.req.pause();
  }

  private release(): void {
    this.waiting = false;
    if (!this.stopped) this.pump();
  }
}

/** The error a runtime ended its streamed response with (trailers), if any: type and body (JSON text). */
export function trailerError(trailers: NodeJS.Dict<string>): { errorType: string; body: Buffer } | undefined {
  const type = trailers[ERROR_TYPE_TRAILER];
  if (typeof type !== 'string' || type === '') return undefined;
  const b64 = trailers[ERROR_BODY_TRAILER];
  let body = typeof b64 === 'string' && b64 !== '' ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
  if (body.length === 0) body = Buffer.from(JSON.stringify({ errorType: type, errorMessage: '' }));
  return { errorType: type, body };
}

/** The body of a streamed response past the limit (as the buffered one, with the streaming limit). */
export function streamTooLargeBody(maxBytes: number): string {
  return JSON.stringify({
    errorMessage: `Response payload size exceeded maximum allowed payload size (${maxBytes} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  });
}
