/**
 * The Runtime API (2018-06-01) one environment's process talks to, on its own 127.0.0.1 port
 * (AWS_LAMBDA_RUNTIME_API): GET invocation/next hands over the event (with the Lambda-Runtime-*
 * headers, and the function's timeout starting then), POST invocation/<id>/response|error and
 * init/error record the outcome. The manager decides what happens next through RuntimeApiEvents.
 * A streaming invocation's response goes to its sink as it arrives (streaming.ts). Facts from AWS's
 * own Runtime API (RAPID, in aws-lambda-runtime-interface-emulator) are marked [rapid].
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../../clock';
import type { Environment, Invocation } from './environment';
import { MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE_BODY, startLine } from './format';
import { DEFAULT_STREAM_LIMITS, StreamForwarder, streamTooLargeBody, trailerError } from './streaming';
import type { StreamLimits } from './types';

const RUNTIME_PREFIX = '/2018-06-01/runtime/';
const INVOCATION_PREFIX = '/2018-06-01/runtime/invocation/';
const NEXT_PATH = '/2018-06-01/runtime/invocation/next';
const INIT_ERROR_PATH = '/2018-06-01/runtime/init/error';
const OK_BODY = Buffer.from('{"status":"OK"}');
const INVALID_ID_BODY = Buffer.from('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
const TOO_LARGE_BODY = Buffer.from(
  `{"errorMessage":"Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).","errorType":"RequestEntityTooLarge"}`,
);
const NOT_FOUND_BODY = Buffer.from('{"errorMessage":"Not Found","errorType":"NotFound"}');
/** [rapid] A response mode other than "streaming" (rendering.RenderInvalidFunctionResponseMode). */
const INVALID_MODE_BODY = Buffer.from('{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}');
const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';
const EMPTY = Buffer.alloc(0);

/** What the Runtime API asks of the manager. */
export interface RuntimeApiEvents {
  /** Kill the environment (an init error arrived with no invocation waiting). */
  kill(env: Environment): void;
  /** The invocation's timeout (set when its event is delivered) ran out. */
  onTimeout(inv: Invocation): void;
  /** An outcome was recorded: finish the invocation once its output is in. */
  checkLogsComplete(env: Environment): void;
}

export class RuntimeApi {
  private readonly limits: StreamLimits;

  constructor(
    private readonly clock: Clock,
    private readonly events: RuntimeApiEvents,
    limits?: Partial<StreamLimits>,
  ) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
  }

  /** The environment's Runtime API server (not listening yet). */
  createServer(env: Environment): http.Server {
    const server = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 } as http.ServerOptions, (req, res) =>
      this.onRequest(env, req, res),
    );
    server.keepAliveTimeout = 0;
    server.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      env.sockets.add(s);
      s.on('close', () => env.sockets.delete(s));
    });
    server.on('error', () => undefined);
    server.on('clientError', (_err, socket) => socket.destroy());
    return server;
  }

  private onRequest(env: Environment, req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const p = q >= 0 ? url.slice(0, q) : url;
    if (p === NEXT_PATH) {
      if (req.method !== 'GET') return send(res, 405, NOT_FOUND_BODY);
      req.resume();
      return this.onNext(env, res);
    }
    if (req.method !== 'POST' || !p.startsWith(RUNTIME_PREFIX)) return drainAndSend(req, res, 404, NOT_FOUND_BODY);
    if (p === INIT_ERROR_PATH) return this.onPost(env, req, res, 'init', undefined);
    if (p.startsWith(INVOCATION_PREFIX)) {
      const rest = p.slice(INVOCATION_PREFIX.length);
      const slash = rest.indexOf('/');
      if (slash > 0) {
        let id: string;
        try {
          id = decodeURIComponent(rest.slice(0, slash));
        } catch {
          return drainAndSend(req, res, 400, INVALID_ID_BODY);
        }
        const action = rest.slice(slash + 1);
        if (action === 'response') return this.onPost(env, req, res, 'response', id);
        if (action === 'error') return this.onPost(env, req, res, 'error', id);
      }
    }
    drainAndSend(req, res, 404, NOT_FOUND_BODY);
  }

  private onNext(env: Environment, res: http.ServerResponse): void {
    if (!env.initialized) {
      env.initialized = true;
      env.initDurationMs = this.clock.hrtimeMs() - env.spawnHr;
    }
    env.pendingNext = res;
    res.on('close', () => {
      if (env.pendingNext === res) env.pendingNext = undefined;
    });
    this.deliver(env);
  }

  deliver(env: Environment): void {
    const inv = env.current;
    const res = env.pendingNext;
    if (!inv || inv.delivered || inv.finished || inv.outcome || !res) return;
    if (res.destroyed || res.writableEnded) {
      env.pendingNext = undefined;
      return;
    }
    env.pendingNext = undefined;
    inv.delivered = true;
    inv.deliveredHr = this.clock.hrtimeMs();
    const r = inv.req;
    const now = this.clock.now();
    // The timeout counts from here, as on AWS: Init time is not taken from the handler's budget.
    inv.timer?.cancel();
    inv.deadline = now + inv.spec.timeout * 1000;
    inv.timer = this.clock.setTimeout(() => this.events.onTimeout(inv), inv.spec.timeout * 1000);
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'Content-Length': r.payload.length,
      'Lambda-Runtime-Aws-Request-Id': r.requestId,
      'Lambda-Runtime-Deadline-Ms': String(inv.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': r.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': r.traceId ?? newTraceId(now),
      'X-Testbed-Clock-Offset': String(this.clock.offsetMs()),
    };
    if (r.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = headerSafeJson(r.clientContext);
    if (r.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = headerSafeJson(r.cognitoIdentity);
    // Output written since the last invocation (init code, stray timers) precedes START.
    const pre = env.preEvents;
    env.preEvents = [];
    pre.push({ timestamp: now, message: startLine(r.requestId, inv.spec.version) });
    inv.events = pre;
    try {
      res.writeHead(200, headers);
      res.end(r.payload);
    } catch {
      /* the connection died; the process exit will settle the invocation */
    }
  }

  private onPost(
    env: Environment,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    kind: 'response' | 'error' | 'init',
    id: string | undefined,
  ): void {
    const inv = env.current;
    const valid =
      inv !== undefined &&
      !inv.finished &&
      !inv.outcome &&
      (kind === 'init' ? !inv.delivered : inv.delivered && inv.req.requestId === id);
    if (!valid) {
      if (kind === 'init' && !inv) {
        // An init error with nobody waiting: the environment is useless.
        drainAndSend(req, res, 202, OK_BODY);
        this.events.kill(env);
        return;
      }
      return drainAndSend(req, res, kind === 'init' ? 403 : 400, INVALID_ID_BODY);
    }
    if (kind === 'response') {
      const mode = req.headers[RESPONSE_MODE_HEADER];
      // [rapid] Only "streaming" may be named; any other value fails the invocation.
      if (mode !== undefined && mode !== 'streaming') {
        inv.outcome = {
          payload: Buffer.from(JSON.stringify({ errorType: 'Runtime.InvalidResponseModeHeader', errorMessage: 'Invalid function response mode' })),
          errorType: 'Runtime.InvalidResponseModeHeader',
          endHr: this.clock.hrtimeMs(),
        };
        drainAndSend(req, res, 400, INVALID_MODE_BODY);
        this.events.checkLogsComplete(env);
        return;
      }
      if (inv.req.sink) return this.onStreamedResponse(env, inv, req, res, mode === 'streaming');
    }
    const declared = Number(req.headers['content-length']);
    let oversize = Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if (oversize) return;
      size += c.length;
      if (size > MAX_RESPONSE_BYTES) {
        oversize = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const endHr = this.clock.hrtimeMs();
      if (inv.finished || inv.outcome || env.current !== inv) {
        send(res, 400, INVALID_ID_BODY);
        return;
      }
      const h = req.headers;
      readPrivateHeaders(env, inv, h);
      // A runtime that streams its answer to a buffered invoke sends trailers, errors among them [rapid].
      const trailers = req.rawTrailers.length > 0 ? req.trailers : undefined;
      if (trailers) readPrivateHeaders(env, inv, trailers);
      const failed = kind === 'response' && !oversize && trailers ? trailerError(trailers) : undefined;
      if (failed) {
        send(res, 202, OK_BODY);
        inv.outcome = { payload: failed.body, errorType: failed.errorType, endHr };
      } else if (kind === 'response' && oversize) {
        send(res, 413, TOO_LARGE_BODY);
        inv.outcome = { payload: Buffer.from(RESPONSE_TOO_LARGE_BODY), errorType: 'Function.ResponseSizeTooLarge', endHr };
      } else {
        send(res, 202, OK_BODY);
        const body = oversize
          ? Buffer.from(RESPONSE_TOO_LARGE_BODY)
          : chunks.length === 1
            ? chunks[0]
            : Buffer.concat(chunks, size);
        if (kind === 'response') {
          inv.outcome = { payload: body, endHr };
        } else {
          const errorType = errorTypeOf(h['lambda-runtime-function-error-type'], body);
          inv.outcome = { payload: body, errorType, endHr };
          if (kind === 'init') {
            inv.outcome.status = { kind: 'error', errorType };
            env.retired = true;
          }
        }
      }
      this.events.checkLogsComplete(env);
    });
  }

  /**
   * The response of a streaming invocation: passed on to its sink as it arrives (a buffered answer
   * too, in one piece), shaped and limited as AWS streams; error trailers fail the invocation.
   */
  private onStreamedResponse(env: Environment, inv: Invocation, req: http.IncomingMessage, res: http.ServerResponse, streaming: boolean): void {
    const sink = inv.req.sink!;
    const contentType = req.headers['content-type'] ?? (streaming ? 'application/octet-stream' : 'application/json');
    try {
      sink.start(contentType, streaming);
    } catch {
      /* a failing sink must not break the invocation */
    }
    const fwd = new StreamForwarder(this.clock, this.limits, sink, req, () => !inv.finished && !inv.outcome && env.current === inv);
    req.on('data', (c: Buffer) => fwd.push(c));
    req.on('error', () => undefined);
    req.on('close', () => {
      if (!req.complete) fwd.stop();
    });
    req.on('end', () =>
      fwd.whenDrained(() => {
        const endHr = this.clock.hrtimeMs();
        if (inv.finished || inv.outcome || env.current !== inv) {
          send(res, 400, INVALID_ID_BODY);
          return;
        }
        readPrivateHeaders(env, inv, req.headers);
        readPrivateHeaders(env, inv, req.trailers);
        const failed = trailerError(req.trailers);
        if (fwd.oversize) {
          const body = Buffer.from(streamTooLargeBody(this.limits.maxBytes));
          send(res, 413, body);
          inv.outcome = { payload: body, errorType: 'Function.ResponseSizeTooLarge', endHr };
        } else {
          send(res, 202, OK_BODY);
          inv.outcome = failed ? { payload: failed.body, errorType: failed.errorType, endHr } : { payload: EMPTY, endHr };
        }
        this.events.checkLogsComplete(env);
      }),
    );
  }
}

// ------------------------------------------------------------------ helpers

/** The bootstrap's private headers (or trailers, on a streamed response): output sizes, peak RSS, exit. */
function readPrivateHeaders(env: Environment, inv: Invocation, h: NodeJS.Dict<string | string[]>): void {
  const outHdr = h['x-testbed-out'];
  if (typeof outHdr === 'string') {
    const comma = outHdr.indexOf(',');
    inv.wantOut = Number(outHdr.slice(0, comma)) || 0;
    inv.wantErr = Number(outHdr.slice(comma + 1)) || 0;
  }
  const rss = Number(h['x-testbed-rss']);
  if (rss > 0) env.maxRss = rss;
  if (h['x-testbed-exiting'] === '1') env.retired = true;
}

function send(res: http.ServerResponse, status: number, body: Buffer): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

function drainAndSend(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: Buffer): void {
  req.resume();
  req.on('error', () => undefined);
  if (req.complete) send(res, status, body);
  else req.on('end', () => send(res, status, body));
}

function errorTypeOf(header: string | string[] | undefined, body: Buffer): string {
  if (typeof header === 'string' && header !== '') return header;
  try {
    const t = (JSON.parse(body.toString('utf8')) as { errorType?: unknown }).errorType;
    if (typeof t === 'string' && t !== '') return t;
  } catch {
    /* not JSON */
  }
  return 'Unhandled';
}

export function headerSafeJson(text: string): string {
  if (!/[^\x20-\x7e]/.test(text)) return text;
  return text.replace(/[^\x20-\x7e]/g, (c) =>
    c === '\n' || c === '\r' || c === '\t' ? ' ' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

function newTraceId(nowMs: number): string {
  const b = randomBytes(20).toString('hex');
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${b.slice(0, 24)};Parent=${b.slice(24, 40)};Sampled=0`;
}
