/**
 * The runtime inside an execution environment: a small re-implementation of the AWS Lambda
 * Node.js runtime interface client. It is bundled with esbuild into one file and run as
 * `node <flags> bootstrap.js` with cwd = LAMBDA_TASK_ROOT. It speaks the Runtime API 2018-06-01 at
 * AWS_LAMBDA_RUNTIME_API, loads `_HANDLER`, and loops: next -> handler -> response/error.
 *
 * Streamified handlers (awslambda.streamifyResponse) stream their response: see bootstrap-stream.ts.
 *
 * Private headers sent to the manager (all prefixed X-Testbed-; trailers on a streamed response):
 *   Out: "<stdout bytes>,<stderr bytes>" written so far (so logs are complete before END),
 *   Rss: peak resident set size in bytes, Exiting: "1" when the process exits after this post.
 * Private header received: X-Testbed-Clock-Offset (virtual minus real ms) keeps Date in step with the
 * cloud clock. Parent and child share the machine's real clock, so the offset is exact: no transit jitter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { request, streamTransport } from './bootstrap-client';
import { ResponseStream, handlerStreaming, installAwsLambdaGlobal } from './bootstrap-stream';
import { consoleLine, parseHandler } from './format';

type Handler = (event: unknown, context: unknown, callback: (err?: unknown, result?: unknown) => void) => unknown;

const BASE = '/2018-06-01/runtime';

// ---------------------------------------------------------------- output accounting
let outBytes = 0;
let errBytes = 0;
/** False after raw stdout output without a trailing newline: console lines then start a new line. */
let outAtLineStart = true;
function countingWrite(stream: NodeJS.WriteStream, which: 1 | 2): void {
  const orig = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  (stream as unknown as { write: unknown }).write = function write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
    let n = 0;
    let last = 10;
    if (typeof chunk === 'string') {
      n = Buffer.byteLength(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
      if (chunk.length > 0) last = chunk.charCodeAt(chunk.length - 1);
    } else if (chunk && typeof (chunk as Uint8Array).byteLength === 'number') {
      n = (chunk as Uint8Array).byteLength;
      if (n > 0) last = (chunk as Uint8Array)[n - 1];
    }
    if (which === 1) {
      outBytes += n;
      if (n > 0) outAtLineStart = last === 10;
    } else errBytes += n;
    return orig(chunk, enc, cb);
  };
}
countingWrite(process.stdout, 1);
countingWrite(process.stderr, 2);

// ---------------------------------------------------------------- clock (virtual time)
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let clockOffset = 0;
let datePatched = false;
function setClockOffset(off: number): void {
  if (off === clockOffset) return;
  clockOffset = off;
  if (!datePatched && off !== 0) patchDate();
}
function nowMs(): number {
  return realNow() + clockOffset;
}
function patchDate(): void {
  datePatched = true;
  const VDate = function (this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(nowMs()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [nowMs()] : args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(VDate, RealDate);
  (VDate as { prototype: Date }).prototype = RealDate.prototype;
  Object.defineProperty(VDate, 'now', { value: nowMs, writable: true, configurable: true });
  (globalThis as { Date: DateConstructor }).Date = VDate;
}

// The manager passes the clock offset as the last argument; user code sees argv = [node, bootstrap].
if (process.argv.length > 2) {
  const v = Number(process.argv[2]);
  process.argv.splice(2);
  if (Number.isFinite(v)) setClockOffset(v);
}

// ---------------------------------------------------------------- console (RIC text format)
let currentRequestId: string | undefined;
function patchConsole(): void {
  const write = (level: string) =>
    function (...args: unknown[]): void {
      const line = consoleLine(new RealDate(nowMs()).toISOString(), String(currentRequestId), level, format(...args));
      process.stdout.write(outAtLineStart ? line : '\n' + line);
    };
  const c = console as unknown as Record<string, unknown>;
  c.log = write('INFO');
  c.info = write('INFO');
  c.warn = write('WARN');
  c.error = write('ERROR');
  c.debug = write('DEBUG');
  c.fatal = write('FATAL');
  c.trace = function (...args: unknown[]): void {
    const err = { name: 'Trace', message: format(...args) } as Error;
    Error.captureStackTrace(err, c.trace as () => void);
    const line = consoleLine(new RealDate(nowMs()).toISOString(), String(currentRequestId), 'TRACE', String(err.stack));
    process.stdout.write(outAtLineStart ? line : '\n' + line);
  };
}
patchConsole();

// ---------------------------------------------------------------- errors (RIC shapes)
class RuntimeError extends Error {}
function runtimeErrorClass(name: string): new (msg: string) => Error {
  const C = class extends RuntimeError {};
  C.prototype.name = `Runtime.${name}`;
  return C;
}
const ImportModuleError = runtimeErrorClass('ImportModuleError');
const HandlerNotFound = runtimeErrorClass('HandlerNotFound');
const UserCodeSyntaxError = runtimeErrorClass('UserCodeSyntaxError');
const UnhandledPromiseRejection = runtimeErrorClass('UnhandledPromiseRejection');

function isError(e: unknown): e is Error {
  return e instanceof Error || (typeof e === 'object' && e !== null && typeof (e as Error).name === 'string' && typeof (e as Error).message === 'string' && typeof (e as Error).stack === 'string');
}

interface RapidError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}
function toRapidResponse(error: unknown): RapidError {
  try {
    if (isError(error)) {
      return {
        errorType: String(error.name).replace(/\x7F/g, '%7F'),
        errorMessage: String(error.message).replace(/\x7F/g, '%7F'),
        trace: String(error.stack ?? '').replace(/\x7F/g, '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}
function toFormatted(error: unknown): string {
  try {
    return (
      '\t' +
      JSON.stringify(error, (_k, v) => {
        if (v instanceof Error) {
          const ret: Record<string, unknown> = Object.assign(
            { errorType: v.name, errorMessage: v.message, code: (v as { code?: unknown }).code } as Record<string, unknown>,
            v as unknown as Record<string, unknown>,
          );
          if (typeof v.stack === 'string') ret.stack = v.stack.split('\n');
          return ret;
        }
        return v;
      })
    );
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

// ---------------------------------------------------------------- Runtime API calls
function privateHeaders(): Record<string, string> {
  return { 'X-Testbed-Out': `${outBytes},${errBytes}`, 'X-Testbed-Rss': String(process.resourceUsage().maxRSS * 1024) };
}

function post(urlPath: string, body: string | Buffer, extra: Record<string, string>, exiting: boolean): Promise<number> {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', ...privateHeaders(), ...extra };
  if (exiting) headers['X-Testbed-Exiting'] = '1';
  return request('POST', urlPath, headers, buf).then((r) => r.status);
}

interface NextInvocation {
  body: Buffer;
  headers: Record<string, string | undefined>;
}
async function next(): Promise<NextInvocation> {
  const r = await request('GET', `${BASE}/invocation/next`, {});
  if (r.status !== 200) process.exit(1); // the Runtime API is gone or broken: as the RIC, give up
  return { body: r.body, headers: r.headers };
}

// ---------------------------------------------------------------- loading the handler
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

function tryRequireFile(file: string): unknown {
  return fs.existsSync(file) ? require(file) : undefined;
}
async function tryImportFile(file: string): Promise<unknown> {
  return fs.existsSync(file) ? await dynamicImport(pathToFileURL(file).href) : undefined;
}
function packageTypeIsModule(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8'))?.type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

async function tryRequire(appRoot: string, moduleRoot: string, module: string): Promise<unknown> {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);
  if (fs.existsSync(lambdaStylePath) && fs.statSync(lambdaStylePath).isFile()) return require(lambdaStylePath);
  const isModule = packageTypeIsModule(lambdaStylePath);
  if (!isModule) {
    const loaded = tryRequireFile(lambdaStylePath + '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (isModule && (await tryImportFile(lambdaStylePath + '.js'))) ||
    (await tryImportFile(lambdaStylePath + '.mjs')) ||
    tryRequireFile(lambdaStylePath + '.cjs');
  if (loaded) return loaded;
  // Fall back to node resolution from the task root (e.g. a package in node_modules).
  const resolved = require.resolve(module, { paths: [appRoot, path.resolve(appRoot, moduleRoot)] });
  return require(resolved);
}

async function loadHandler(appRoot: string, fullHandler: string): Promise<Handler> {
  const { moduleRoot, module, handlerPath } = parseHandler(fullHandler);
  installAwsLambdaGlobal(process.env);
  let app: unknown;
  try {
    app = await tryRequire(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(String(e));
    if (e && (e as { code?: string }).code === 'MODULE_NOT_FOUND') throw new ImportModuleError(String(e));
    throw e;
  }
  const fn = handlerPath.split('.').reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), app);
  if (!fn) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return fn as Handler;
}

// ---------------------------------------------------------------- the invoke loop
let beforeExitAction: (() => void) | undefined;
process.on('beforeExit', () => {
  const f = beforeExitAction;
  beforeExitAction = undefined;
  if (f) f();
});

/** What happens on an uncaught exception / unhandled rejection depends on the phase. */
let onFatal: (error: Error, exitCode: number) => void = (error, exitCode) => {
  void post(`${BASE}/init/error`, JSON.stringify(toRapidResponse(error)), { 'Lambda-Runtime-Function-Error-Type': error.name }, true).then(() =>
    process.exit(exitCode),
  );
};
process.on('uncaughtException', (error) => {
  console.error('Uncaught Exception', toFormatted(error));
  onFatal(isError(error) ? error : Object.assign(new Error(String(error)), { name: typeof error }), 129);
});
process.on('unhandledRejection', (reason) => {
  const error = new UnhandledPromiseRejection(String((reason as { toString?: () => string })?.toString?.() ?? reason));
  console.error('Unhandled Promise Rejection', toFormatted(error));
  onFatal(error, 128);
});

function parseJsonHeader(v: string | string[] | undefined): unknown {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const ENV = process.env;
const functionName = ENV.AWS_LAMBDA_FUNCTION_NAME;
const functionVersion = ENV.AWS_LAMBDA_FUNCTION_VERSION;
const memoryLimitInMB = ENV.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const logGroupName = ENV.AWS_LAMBDA_LOG_GROUP_NAME;
const logStreamName = ENV.AWS_LAMBDA_LOG_STREAM_NAME;

/** An invocation begins: its id, deadline, trace and the clock offset from the headers. */
function beginInvocation(h: NextInvocation['headers']): { id: string; idPath: string; deadline: number } {
  const id = String(h['lambda-runtime-aws-request-id']);
  const offset = Number(h['x-testbed-clock-offset']);
  if (Number.isFinite(offset)) setClockOffset(offset);
  const trace = h['lambda-runtime-trace-id'];
  if (typeof trace === 'string') ENV._X_AMZN_TRACE_ID = trace;
  else delete ENV._X_AMZN_TRACE_ID;
  currentRequestId = id;
  return { id, idPath: encodeURIComponent(id), deadline: Number(h['lambda-runtime-deadline-ms']) };
}

/** The context's data from the environment and the invocation headers (RIC InvokeContext). */
function environmentData(h: NextInvocation['headers'], id: string, deadline: number): Record<string, unknown> {
  return {
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    awsRequestId: id,
    getRemainingTimeInMillis: () => deadline - nowMs(),
    functionVersion,
    functionName,
    memoryLimitInMB,
    logGroupName,
    logStreamName,
    clientContext: parseJsonHeader(h['lambda-runtime-client-context']),
    identity: parseJsonHeader(h['lambda-runtime-cognito-identity']),
  };
}

function handleOnce(handler: Handler, inv: NextInvocation): Promise<void> {
  return new Promise<void>((resolveIteration) => {
    const h = inv.headers;
    const { id, idPath, deadline } = beginInvocation(h);

    let reported = false;
    const finishWith = (p: Promise<number>): void => {
      void p.then(() => resolveIteration());
    };
    const postError = (err: unknown, exiting = false): Promise<number> => {
      const r = toRapidResponse(err);
      console.error('Invoke Error', toFormatted(err));
      return post(`${BASE}/invocation/${idPath}/error`, JSON.stringify(r), { 'Lambda-Runtime-Function-Error-Type': r.errorType }, exiting);
    };
    const complete = (result: unknown): void => {
      if (reported) {
        console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
        return;
      }
      reported = true;
      let body: string;
      try {
        body = JSON.stringify(result === undefined ? null : result);
        if (body === undefined) body = 'null';
      } catch {
        finishWith(postError(new Error('Unable to stringify response body')));
        return;
      }
      finishWith(post(`${BASE}/invocation/${idPath}/response`, body, {}, false));
    };
    const fail = (err: unknown): void => {
      if (reported) return;
      reported = true;
      finishWith(postError(err));
    };

    onFatal = (error, exitCode) => {
      if (reported) {
        process.exit(exitCode);
        return;
      }
      reported = true;
      beforeExitAction = undefined;
      void post(`${BASE}/invocation/${idPath}/error`, JSON.stringify(toRapidResponse(error)), { 'Lambda-Runtime-Function-Error-Type': error.name }, true).then(
        () => process.exit(exitCode),
      );
    };

    let waitForEmptyEventLoop = true;
    const done = (err?: unknown, result?: unknown): void => {
      beforeExitAction = undefined;
      if (err !== undefined && err !== null) fail(err);
      else complete(result);
    };
    const callback = (err?: unknown, result?: unknown): void => {
      beforeExitAction = undefined;
      if (err !== undefined && err !== null) fail(err);
      else if (!waitForEmptyEventLoop) complete(result);
      else beforeExitAction = () => setImmediate(() => complete(result));
    };
    const context = Object.assign(
      {
        get callbackWaitsForEmptyEventLoop(): boolean {
          return waitForEmptyEventLoop;
        },
        set callbackWaitsForEmptyEventLoop(v: boolean) {
          waitForEmptyEventLoop = v;
        },
        succeed: (result?: unknown) => done(null, result),
        fail: (err?: unknown) => done(err === undefined || err === null ? 'handled' : err),
        done,
      },
      environmentData(h, id, deadline),
    );

    // If nothing completes the invocation and the event loop drains, the result is null.
    beforeExitAction = () => complete(null);
    try {
      const event = inv.body.length === 0 ? undefined : JSON.parse(inv.body.toString('utf8'));
      const result = handler(event, context, callback);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          (r) => done(null, r),
          (e) => done(e === undefined || e === null ? 'handled' : e),
        );
      }
    } catch (e) {
      callback(e);
    }
  });
}

/**
 * One invocation of a streamified handler (RIC Runtime.handleOnceStreaming): it gets
 * (event, responseStream, context) and must return a promise; a failure ends the stream with the
 * error trailers. The next invocation waits for the response to be answered and, by default, for
 * the event loop to empty.
 */
function handleOnceStreaming(handler: Handler, highWaterMark: number | undefined, inv: NextInvocation): Promise<void> {
  return new Promise<void>((resolveIteration) => {
    const h = inv.headers;
    const { id, idPath, deadline } = beginInvocation(h);
    const stream = new ResponseStream({
      transport: streamTransport(),
      path: `${BASE}/invocation/${idPath}/response`,
      highWaterMark,
      privateTrailers: privateHeaders,
      toRapidResponse,
    });
    let waitForEmptyEventLoop = true;
    const context = Object.assign(
      {
        get callbackWaitsForEmptyEventLoop(): boolean {
          return waitForEmptyEventLoop;
        },
        set callbackWaitsForEmptyEventLoop(v: boolean) {
          waitForEmptyEventLoop = v;
        },
      },
      environmentData(h, id, deadline),
    );
    let settled = false;
    const next = (): void => {
      if (settled) return;
      settled = true;
      beforeExitAction = undefined;
      if (!waitForEmptyEventLoop) resolveIteration();
      else beforeExitAction = () => setImmediate(resolveIteration);
    };
    const fail = (err: unknown): void => {
      console.error('Invoke Error', toFormatted(err));
      stream.fail(err);
      void stream.responseDone.then(next);
    };
    onFatal = (error, exitCode) => {
      if (settled || stream.started) {
        // The response is under way on the connection: the process just dies (AWS's runtime would
        // post /error on a second connection, which the Runtime API refuses once a response started).
        process.exit(exitCode);
        return;
      }
      settled = true;
      beforeExitAction = undefined;
      void post(`${BASE}/invocation/${idPath}/error`, JSON.stringify(toRapidResponse(error)), { 'Lambda-Runtime-Function-Error-Type': error.name }, true).then(
        () => process.exit(exitCode),
      );
    };
    // [ric] If the event loop ever drains with the response open, move on.
    beforeExitAction = () => resolveIteration();
    try {
      const event = inv.body.length === 0 ? undefined : JSON.parse(inv.body.toString('utf8'));
      const result = handler(event, stream, context as never);
      if (!result || typeof (result as Promise<unknown>).then !== 'function') {
        fail('Streaming does not support non-async handlers.');
        return;
      }
      (result as Promise<unknown>).then(
        async (r) => {
          if (r !== undefined) console.warn('Streaming handlers ignore return values.');
          await stream.responseDone;
          if (!stream.writableFinished) fail('Response stream is not finished.');
          else next();
        },
        (e) => fail(e),
      );
    } catch (e) {
      fail(e);
    }
  });
}

async function main(): Promise<void> {
  const appRoot = ENV.LAMBDA_TASK_ROOT ?? process.cwd();
  let handler: Handler;
  let mode: ReturnType<typeof handlerStreaming>;
  try {
    handler = await loadHandler(appRoot, ENV._HANDLER ?? '');
    mode = handlerStreaming(handler);
  } catch (e) {
    // As the RIC: an init failure is an uncaught exception of the init phase.
    console.error('Uncaught Exception', toFormatted(e));
    const err = isError(e) ? e : Object.assign(new Error(String(e)), { name: typeof e });
    await post(`${BASE}/init/error`, JSON.stringify(toRapidResponse(e)), { 'Lambda-Runtime-Function-Error-Type': err.name }, true);
    process.exit(129);
  }
  for (;;) {
    currentRequestId = undefined;
    const inv = await next();
    if (mode.streaming) await handleOnceStreaming(handler, mode.highWaterMark, inv);
    else await handleOnce(handler, inv);
  }
}

void main();
