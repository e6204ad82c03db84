/**
 * InvokeWithResponseStream (2021-11-15): a synchronous invocation whose response reaches the
 * caller as the function writes it, as an `application/vnd.amazon.eventstream` body of
 * PayloadChunk events and one closing InvokeComplete event [model]. The same checks as Invoke come
 * first (their errors are the Invoke API's, before any streaming); then `startStreaming` runs the
 * function with a ResponseQueue as its sink, which RESPONSE_STREAM Function URLs read too
 * (frontdoors/function-url/stream.ts).
 *
 * What the caller sees of a failure: the chunks written so far, then InvokeComplete with ErrorCode
 * and ErrorDetails. AWS does not document their values; here ErrorCode is "Unhandled" for errors the
 * function reports (thrown, error trailers, as Invoke's X-Amz-Function-Error) and the platform's
 * error type otherwise (Sandbox.Timedout, Runtime.ExitError, ...), and ErrorDetails the errorMessage.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { RequestContext, RestResult, RestRoute } from '../protocols/types';
import { freshTraceHeader, isRecursive, nextTraceHeader, recursionError } from './async';
import { checkInvoke, type InvokeInput } from './invoke';
import { tail } from './payload';
import type { InvokeResult, ResponseSink } from './runtime/types';
import type { LambdaService } from './service';

/** InvokeWithResponseStream's invocation types [model]. */
const STREAM_TYPES = ['RequestResponse', 'DryRun'] as const;

/** The same input as Invoke (its trigger defaults to "invoke-stream"). */
export type StreamInvokeInput = InvokeInput;

export type StreamStart =
  | { kind: 'dry-run'; executedVersion: string }
  | { kind: 'running'; executedVersion: string; requestId: string; queue: ResponseQueue; result: Promise<InvokeResult> };

const STARTED = Symbol('started');

/** Bytes a reader may fall behind before the function is held back. */
const QUEUE_HIGH_WATER = 1024 * 1024;

/** Error types the platform reports (not the function's own errors). */
const PLATFORM_ERRORS = new Set([
  'Sandbox.Timedout',
  'Runtime.ExitError',
  'Runtime.OutOfMemory',
  'Function.ResponseSizeTooLarge',
  'Runtime.InvalidResponseModeHeader',
  'Runtime.TruncatedResponse',
]);

/**
 * A streaming invocation's response between the function and its reader: the sink the Runtime API
 * writes to, and the chunks in order for one reader. A reader that falls behind holds the function
 * back; one that goes away lets it run on, its output dropped (as AWS bills a disconnected stream on).
 */
export class ResponseQueue implements ResponseSink {
  /** Content-Type the runtime declared, once it started its response. */
  contentType: string | undefined;
  /** Whether the runtime streamed (Lambda-Runtime-Function-Response-Mode: streaming). */
  streaming = false;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private ended = false;
  private abandoned = false;
  private wake: (() => void) | undefined;
  private release: (() => void) | undefined;

  start(contentType: string, streaming: boolean): void {
    this.contentType = contentType;
    this.streaming = streaming;
  }

  write(data: Buffer): void | Promise<void> {
    if (this.abandoned || this.ended || data.length === 0) return;
    this.chunks.push(data);
    this.bytes += data.length;
    this.notify();
    if (this.bytes > QUEUE_HIGH_WATER) return new Promise<void>((r) => (this.release = r));
  }

  /** No more chunks come (the invocation finished, whatever its outcome). */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** The chunks in order, until the invocation ends. Leaving the loop abandons the rest. */
  async *read(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const c = this.chunks.shift();
        if (c) {
          this.bytes -= c.length;
          if (this.bytes <= QUEUE_HIGH_WATER) this.unblock();
          yield c;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((r) => (this.wake = r));
      }
    } finally {
      this.abandoned = true;
      this.chunks.length = 0;
      this.bytes = 0;
      this.unblock();
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private unblock(): void {
    const r = this.release;
    this.release = undefined;
    r?.();
  }
}

/**
 * Check a streaming invocation as Invoke does and start it. Throws the Invoke API's errors (not
 * found, too large, not active, throttled, recursion) before anything streams.
 */
export async function startStreaming(lambda: LambdaService, ctx: RequestContext, input: StreamInvokeInput): Promise<StreamStart> {
  const { fn, qualifier, version, type, payload, clientContext } = checkInvoke(lambda, ctx, input, STREAM_TYPES);
  const executedVersion = version.version;
  if (type === 'DryRun') return { kind: 'dry-run', executedVersion };
  if (lambda.async.recursiveLoop(fn) === 'Terminate' && isRecursive(ctx.traceHeader, fn.arn)) throw recursionError();
  const traceId = nextTraceHeader(ctx.traceHeader, fn.arn, () => freshTraceHeader(lambda.clock.now()));
  const queue = new ResponseQueue();
  const result = lambda.run(fn, version, { qualifier, requestId: ctx.requestId, payload, clientContext, trigger: input.trigger ?? 'invoke-stream', traceId }, queue);
  result.then(
    () => queue.end(),
    () => queue.end(),
  );
  // A refusal (no concurrency left) is known at once (run rejects before it awaits anything): it is
  // the API's answer, not a stream. Racing the settled promise first lets its rejection win.
  await Promise.race([result, STARTED]);
  return { kind: 'running', executedVersion, requestId: ctx.requestId, queue, result };
}

/** InvokeComplete's members for a finished invocation. */
export function invokeComplete(result: InvokeResult, logTail: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (result.functionError) {
    out.ErrorCode = result.errorType && PLATFORM_ERRORS.has(result.errorType) ? result.errorType : 'Unhandled';
    out.ErrorDetails = errorMessageOf(result.payload);
  }
  if (logTail) out.LogResult = tail(result.log);
  return out;
}

function errorMessageOf(payload: Buffer): string {
  const text = payload.toString('utf8');
  try {
    const m = (JSON.parse(text) as { errorMessage?: unknown }).errorMessage;
    if (typeof m === 'string') return m;
  } catch {
    /* not JSON */
  }
  return text;
}

// ------------------------------------------------------------------ the event stream

const codec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text: string) => Buffer.from(text, 'utf8'),
);

function event(type: string, contentType: string, body: Uint8Array): Buffer {
  const bytes = codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** PayloadChunk events as the function writes, then InvokeComplete [model]. */
async function* eventStream(run: Extract<StreamStart, { kind: 'running' }>, logTail: boolean): AsyncGenerator<Buffer> {
  for await (const chunk of run.queue.read()) yield event('PayloadChunk', 'application/octet-stream', chunk);
  const result = await run.result;
  yield event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(invokeComplete(result, logTail))));
}

export function streamRoutes(lambda: LambdaService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/2021-11-15/functions/{FunctionName}/response-streaming-invocations',
      operation: 'InvokeWithResponseStream',
      json: false,
      handler: async (r, ctx): Promise<RestResult> => {
        const logType = r.headers['x-amz-log-type'];
        const run = await startStreaming(lambda, ctx, {
          functionName: r.params.FunctionName,
          qualifier: r.query.get('Qualifier'),
          invocationType: r.headers['x-amz-invocation-type'],
          logType,
          clientContext: r.headers['x-amz-client-context'],
          payload: r.body,
        });
        if (run.kind === 'dry-run') return { status: 204, headers: { 'x-amz-executed-version': run.executedVersion } };
        return {
          status: 200,
          headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amz-executed-version': run.executedVersion },
          stream: eventStream(run, logType === 'Tail'),
        };
      },
    },
  ];
}
