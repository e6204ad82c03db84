/**
 * Execution environments: one real `node` process per environment, running our bootstrap, talking
 * to a Runtime API (2018-06-01) served here on its own 127.0.0.1 port (AWS_LAMBDA_RUNTIME_API).
 *
 * One request at a time per environment; idle environments of the same version key are reused
 * (most recently used first) and reaped after `keepAliveMs` of idleness. Timeouts kill the
 * environment; crashes, OOM and init failures fail the invocation as AWS does and discard the
 * environment. Output is split into CloudWatch events (START, the function's lines, END, REPORT).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { isoMillis, type Clock, type TimerHandle } from '../../clock';
import { bundledBootstrap } from './bundle';
import {
  MAX_RESPONSE_BYTES,
  RESPONSE_TOO_LARGE_BODY,
  billedDuration,
  bytesToMB,
  endLine,
  executionEnv,
  exitError,
  exitReason,
  isHeapOomText,
  lineToMessage,
  logStreamName,
  outOfMemoryError,
  reportLine,
  startLine,
  timeoutErrorBody,
  timeoutLogLine,
  type ReportFields,
} from './format';
import type { InvokeRequest, InvokeResult, LogSink, VersionSpec } from './types';

export interface EnvironmentManagerOptions {
  clock: Clock;
  logSink: LogSink;
  dataDir: string;
  /** base URL of the cloud, for AWS_ENDPOINT_URL */
  endpoint: () => string;
  /** idle environments are reaped after this long (virtual ms); default 10 minutes */
  keepAliveMs?: number;
  /** address the Runtime API servers bind to; default 127.0.0.1 */
  host?: string;
}

export type EnvironmentState = 'initializing' | 'idle' | 'busy';

export interface EnvironmentInfo {
  id: string;
  key: string;
  functionName: string;
  version: string;
  state: EnvironmentState;
  pid?: number;
  invocations: number;
}

/** Fixed credentials handed to every function (the embedded cloud accepts any signature). */
export const FUNCTION_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SESSION_TOKEN: 'test',
} as const;

const RUNTIME_PREFIX = '/2018-06-01/runtime/';
const INVOCATION_PREFIX = '/2018-06-01/runtime/invocation/';
const NEXT_PATH = '/2018-06-01/runtime/invocation/next';

/** AWS limits an on-demand environment's Init phase to 10 s. */
const INIT_LIMIT_MS = 10_000;

/** The node_modules folder that holds the AWS SDK v3 clients this package depends on. */
const RUNTIME_NODE_MODULES = (() => {
  try {
    const pkg = require.resolve('@aws-sdk/client-lambda/package.json');
    return pkg.slice(0, pkg.lastIndexOf(`${path.sep}@aws-sdk${path.sep}`));
  } catch {
    return '';
  }
})();
const INIT_ERROR_PATH = '/2018-06-01/runtime/init/error';
const OK_BODY = Buffer.from('{"status":"OK"}');
const INVALID_ID_BODY = Buffer.from('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
const TOO_LARGE_BODY = Buffer.from(
  `{"errorMessage":"Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).","errorType":"RequestEntityTooLarge"}`,
);
const NOT_FOUND_BODY = Buffer.from('{"errorMessage":"Not Found","errorType":"NotFound"}');
/** How much of an invocation's log text InvokeResult.log keeps (the tail); CloudWatch gets all of it. */
const MAX_RESULT_LOG_CHARS = 1024 * 1024;
/** Events buffered per invocation before they are handed to the sink early. */
const EVENT_FLUSH_THRESHOLD = 2000;

type LogEvent = { timestamp: number; message: string };

interface Outcome {
  payload: Buffer;
  errorType?: string;
  /** Platform failure shown in REPORT (timeout, crash, init error). */
  status?: ReportFields['status'];
  /** Extra platform log line before END (timeout text, exit reason). */
  logLine?: string;
  endHr: number;
  durationMs?: number;
  maxMemoryMB?: number;
}

interface Invocation {
  spec: VersionSpec;
  req: InvokeRequest;
  resolve: (r: InvokeResult) => void;
  startVirtual: number;
  startHr: number;
  deadline: number;
  timer: TimerHandle | undefined;
  env: Environment | undefined;
  coldStart: boolean;
  delivered: boolean;
  deliveredHr: number;
  events: LogEvent[];
  flushedText: string;
  outcome: Outcome | undefined;
  wantOut: number;
  wantErr: number;
  finished: boolean;
}

interface Environment {
  id: string;
  key: string;
  spec: VersionSpec;
  stream: string;
  proc: ChildProcess | undefined;
  server: http.Server;
  sockets: Set<import('node:net').Socket>;
  port: number;
  initialized: boolean;
  spawnHr: number;
  initDurationMs: number | undefined;
  invocations: number;
  current: Invocation | undefined;
  pendingNext: http.ServerResponse | undefined;
  reap: TimerHandle | undefined;
  preEvents: LogEvent[];
  outRead: number;
  errRead: number;
  outDec: StringDecoder;
  errDec: StringDecoder;
  outPartial: string;
  errPartial: string;
  oom: boolean;
  maxRss: number;
  /** Set once the process is known to be going away (exited, killed, discarded). */
  dead: boolean;
  killedByUs: boolean;
  /** Killed after its current invocation (function updated or deleted). */
  retired: boolean;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  closed: Promise<void>;
  markClosed: () => void;
}

// Children of every manager in this process, killed synchronously if the process exits.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveChildren) killTree(c);
  });
}
function killTree(c: ChildProcess): void {
  if (c.pid === undefined) return;
  try {
    process.kill(-c.pid, 'SIGKILL');
  } catch {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export class EnvironmentManager {
  private readonly clock: Clock;
  private readonly sink: LogSink;
  private readonly dataDir: string;
  private readonly endpoint: () => string;
  private readonly keepAliveMs: number;
  private readonly host: string;
  private readonly envs = new Map<string, Environment>();
  /** Idle environments per version key; the end of each array is the most recently used. */
  private readonly idle = new Map<string, Environment[]>();
  private shutdownPromise: Promise<void> | undefined;

  constructor(opts: EnvironmentManagerOptions) {
    this.clock = opts.clock;
    this.sink = opts.logSink;
    this.dataDir = opts.dataDir;
    this.endpoint = opts.endpoint;
    this.keepAliveMs = opts.keepAliveMs ?? 10 * 60 * 1000;
    this.host = opts.host ?? '127.0.0.1';
    installExitHook();
  }

  /** Run one invocation. Never rejects for function failures: they resolve with functionError set. */
  invoke(spec: VersionSpec, req: InvokeRequest): Promise<InvokeResult> {
    if (this.shutdownPromise) return Promise.reject(new Error('EnvironmentManager has been shut down'));
    // A running function is activity: compressed time does not jump over it.
    const release = this.clock.busy();
    const result = new Promise<InvokeResult>((resolve) => {
      const startVirtual = this.clock.now();
      const inv: Invocation = {
        spec,
        req,
        resolve,
        startVirtual,
        startHr: this.clock.hrtimeMs(),
        deadline: startVirtual + spec.timeout * 1000,
        timer: undefined,
        env: undefined,
        coldStart: false,
        delivered: false,
        deliveredHr: 0,
        events: [],
        flushedText: '',
        outcome: undefined,
        wantOut: 0,
        wantErr: 0,
        finished: false,
      };
      // Until the event reaches the runtime, the guard also covers a cold start's Init phase, which
      // AWS limits to 10 s on its own; the function's timeout restarts when the event is delivered.
      this.assign(inv);
      // (A warm environment has usually taken the event already, and started the real timer.)
      if (!inv.delivered && !inv.finished && !inv.timer) {
        inv.timer = this.clock.setTimeout(() => this.onTimeout(inv), INIT_LIMIT_MS + spec.timeout * 1000);
      }
    });
    result.then(release, release);
    return result;
  }

  list(): EnvironmentInfo[] {
    const out: EnvironmentInfo[] = [];
    for (const e of this.envs.values()) {
      out.push({
        id: e.id,
        key: e.key,
        functionName: e.spec.functionName,
        version: e.spec.version,
        state: !e.initialized ? 'initializing' : e.current ? 'busy' : 'idle',
        pid: e.proc?.pid,
        invocations: e.invocations,
      });
    }
    return out;
  }

  /** Discard every environment of this version key: idle ones now, busy ones after their invocation. */
  async dropVersion(key: string): Promise<void> {
    await this.drop((e) => e.key === key);
  }

  /** Discard every environment of any version of this function. */
  async dropFunction(functionArn: string): Promise<void> {
    const unq = functionArn.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):.*$/, '$1');
    await this.drop((e) => e.spec.functionArn === unq || e.spec.functionArn === functionArn);
  }

  /** Kill every environment and close every Runtime API server. Idempotent. */
  shutdown(): Promise<void> {
    if (!this.shutdownPromise) {
      const all = [...this.envs.values()];
      for (const e of all) this.kill(e);
      this.shutdownPromise = Promise.all(all.map((e) => e.closed)).then(() => undefined);
    }
    return this.shutdownPromise;
  }

  // ------------------------------------------------------------------ scheduling

  private assign(inv: Invocation): void {
    let env: Environment | undefined;
    const stack = this.idle.get(inv.spec.key);
    while (stack && stack.length > 0) {
      const cand = stack.pop()!;
      if (!cand.dead && !cand.current && !cand.retired) {
        env = cand;
        break;
      }
    }
    if (env) {
      if (env.reap) {
        env.reap.cancel();
        env.reap = undefined;
      }
    } else {
      env = this.createEnvironment(inv.spec);
    }
    inv.env = env;
    inv.coldStart = env.invocations === 0;
    env.current = inv;
    this.deliver(env);
  }

  private drop(pred: (e: Environment) => boolean): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const e of [...this.envs.values()]) {
      if (!pred(e)) continue;
      if (e.current) {
        e.retired = true;
      } else {
        this.kill(e);
        waits.push(e.closed);
      }
    }
    return Promise.all(waits).then(() => undefined);
  }

  private makeIdle(env: Environment): void {
    let stack = this.idle.get(env.key);
    if (!stack) {
      stack = [];
      this.idle.set(env.key, stack);
    }
    stack.push(env);
    env.reap = this.clock.setTimeout(() => {
      env.reap = undefined;
      if (!env.current) this.kill(env);
    }, this.keepAliveMs);
  }

  private removeFromIdle(env: Environment): void {
    const stack = this.idle.get(env.key);
    if (!stack) return;
    const i = stack.indexOf(env);
    if (i >= 0) stack.splice(i, 1);
    if (stack.length === 0) this.idle.delete(env.key);
  }

  // ------------------------------------------------------------------ environments

  private createEnvironment(spec: VersionSpec): Environment {
    let markClosed!: () => void;
    const closed = new Promise<void>((r) => (markClosed = r));
    const env: Environment = {
      id: randomUUID(),
      key: spec.key,
      spec,
      stream: logStreamName(this.clock.now(), spec.version, randomHex(16)),
      proc: undefined,
      server: undefined as unknown as http.Server,
      sockets: new Set(),
      port: 0,
      initialized: false,
      spawnHr: this.clock.hrtimeMs(),
      initDurationMs: undefined,
      invocations: 0,
      current: undefined,
      pendingNext: undefined,
      reap: undefined,
      preEvents: [],
      outRead: 0,
      errRead: 0,
      outDec: new StringDecoder('utf8'),
      errDec: new StringDecoder('utf8'),
      outPartial: '',
      errPartial: '',
      oom: false,
      maxRss: 0,
      dead: false,
      killedByUs: false,
      retired: false,
      exitCode: null,
      exitSignal: null,
      closed,
      markClosed,
    };
    const server = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 } as http.ServerOptions, (req, res) =>
      this.onRequest(env, req, res),
    );
    server.keepAliveTimeout = 0;
    server.on('connection', (s: import('node:net').Socket) => {
      s.setNoDelay(true);
      env.sockets.add(s);
      s.on('close', () => env.sockets.delete(s));
    });
    server.on('error', () => undefined);
    server.on('clientError', (_err, socket) => socket.destroy());
    env.server = server;
    this.envs.set(env.id, env);
    void this.start(env);
    return env;
  }

  private async start(env: Environment): Promise<void> {
    try {
      const bootstrap = await bundledBootstrap(this.dataDir);
      await new Promise<void>((resolve, reject) => {
        env.server.once('error', reject);
        env.server.listen(0, this.host, () => {
          env.server.off('error', reject);
          resolve();
        });
      });
      env.port = (env.server.address() as AddressInfo).port;
      if (env.dead) {
        this.onClosed(env);
        return;
      }
      this.spawnProcess(env, bootstrap);
    } catch (e) {
      env.dead = true;
      env.exitCode = 1;
      this.failStart(env, e);
    }
  }

  private childEnv(env: Environment, bootstrap: string): NodeJS.ProcessEnv {
    const s = env.spec;
    return {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      AWS_ENDPOINT_URL: this.endpoint(),
      // As /var/runtime/node_modules on AWS, the runtime's own modules (the AWS SDK v3) resolve
      // for code that bundles the SDK as external; users may override it.
      NODE_PATH: [RUNTIME_NODE_MODULES, path.dirname(bootstrap), s.codeDir].filter(Boolean).join(':'),
      ...s.environment,
      // Reserved: users cannot override these.
      AWS_LAMBDA_FUNCTION_NAME: s.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: s.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: s.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: env.stream,
      AWS_REGION: s.region,
      AWS_DEFAULT_REGION: s.region,
      AWS_EXECUTION_ENV: executionEnv(s.runtime),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_RUNTIME_API: `${this.host}:${env.port}`,
      _HANDLER: s.handler,
      LAMBDA_TASK_ROOT: s.codeDir,
      LAMBDA_RUNTIME_DIR: path.dirname(bootstrap),
      ...FUNCTION_CREDENTIALS,
    };
  }

  private spawnProcess(env: Environment, bootstrap: string): void {
    const mem = env.spec.memorySize;
    // As the AWS Node.js bootstrap, the old generation gets the memory size minus a tenth kept for
    // the young generation. Semi-spaces stay small (1 MB per 128 MB, at most 16): the same speed
    // here, and an idle 128 MB environment stays well under 60 MB RSS.
    const oldSpace = Math.max(16, mem - Math.floor(mem / 10));
    const semiSpace = Math.min(16, Math.max(1, Math.floor(mem / 128)));
    const args = [
      '--expose-gc',
      '--max-http-header-size=81920',
      `--max-semi-space-size=${semiSpace}`,
      `--max-old-space-size=${oldSpace}`,
      bootstrap,
      // The virtual clock offset, so that init code already sees the cloud's clock (the bootstrap removes it from argv).
      String(this.clock.offsetMs()),
    ];
    env.spawnHr = this.clock.hrtimeMs();
    const proc = spawn(process.execPath, args, {
      cwd: env.spec.codeDir,
      env: this.childEnv(env, bootstrap),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    env.proc = proc;
    liveChildren.add(proc);
    proc.stdout!.on('data', (b: Buffer) => this.onOutput(env, 1, b));
    proc.stderr!.on('data', (b: Buffer) => this.onOutput(env, 2, b));
    proc.on('error', (err) => {
      // spawn failure (e.g. the code folder is missing): no 'exit' will follow
      if (proc.pid === undefined) {
        env.dead = true;
        env.exitCode = 1;
        liveChildren.delete(proc);
        this.failStart(env, err);
      }
    });
    proc.on('exit', (code, signal) => {
      env.exitCode = code;
      env.exitSignal = signal;
      env.dead = true;
      this.removeFromIdle(env);
      // Take down anything the function started that still holds our pipes.
      killTree(proc);
    });
    proc.on('close', () => {
      liveChildren.delete(proc);
      this.onClosed(env);
    });
  }

  /** The environment could not even be started. */
  private failStart(env: Environment, err: unknown): void {
    const inv = env.current;
    if (inv && !inv.finished && !inv.outcome) {
      const reason = `Runtime exited with error: ${err instanceof Error ? err.message : String(err)}`;
      const e = exitError(inv.req.requestId, 'Runtime.ExitError', reason);
      inv.outcome = {
        payload: Buffer.from(e.body),
        errorType: 'Runtime.ExitError',
        status: { kind: 'error', errorType: 'Runtime.ExitError' },
        logLine: e.logLine,
        endHr: this.clock.hrtimeMs(),
      };
    }
    this.onClosed(env);
  }

  private kill(env: Environment): void {
    env.killedByUs = true;
    const wasDead = env.dead;
    env.dead = true;
    this.removeFromIdle(env);
    if (env.reap) {
      env.reap.cancel();
      env.reap = undefined;
    }
    if (env.proc) {
      if (env.proc.exitCode === null && env.proc.signalCode === null) killTree(env.proc);
    } else if (!wasDead && env.port !== 0) {
      // listening but not spawned yet cannot happen (spawn follows listen synchronously)
      this.onClosed(env);
    }
    // When not listening yet, start() sees env.dead and closes.
  }

  /** The process is gone and its output fully read: settle its invocation, free its resources. */
  private onClosed(env: Environment): void {
    if (!this.envs.has(env.id)) return;
    this.envs.delete(env.id);
    this.removeFromIdle(env);
    if (env.reap) {
      env.reap.cancel();
      env.reap = undefined;
    }
    this.flushPartial(env, 1);
    this.flushPartial(env, 2);
    const inv = env.current;
    if (inv && !inv.finished) {
      if (!inv.outcome && !inv.delivered && env.invocations > 0 && !env.killedByUs && !this.shutdownPromise) {
        // A warm environment that died while idle was handed this invocation: run it elsewhere.
        env.current = undefined;
        this.assign(inv);
      } else {
        if (!inv.outcome) inv.outcome = this.crashOutcome(env, inv);
        this.finish(inv);
      }
    }
    if (env.preEvents.length > 0) {
      this.put(env, env.preEvents);
      env.preEvents = [];
    }
    env.pendingNext = undefined;
    for (const s of env.sockets) s.destroy();
    env.server.close(() => env.markClosed());
    if (!env.server.listening) env.markClosed();
  }

  private crashOutcome(env: Environment, inv: Invocation): Outcome {
    const id = inv.req.requestId;
    const outcome = (errorType: string, e: { body: string; logLine: string }): Outcome => ({
      payload: Buffer.from(e.body),
      errorType,
      status: { kind: 'error', errorType },
      logLine: e.logLine,
      endHr: this.clock.hrtimeMs(),
    });
    if (env.oom || (env.exitSignal === 'SIGKILL' && !env.killedByUs)) {
      return { ...outcome('Runtime.OutOfMemory', outOfMemoryError(id)), maxMemoryMB: inv.spec.memorySize };
    }
    const signal = env.killedByUs ? 'SIGKILL' : env.exitSignal;
    return outcome('Runtime.ExitError', exitError(id, 'Runtime.ExitError', exitReason(env.exitCode, signal)));
  }

  // ------------------------------------------------------------------ output

  private onOutput(env: Environment, which: 1 | 2, buf: Buffer): void {
    let text: string;
    if (which === 1) {
      env.outRead += buf.length;
      text = env.outPartial + env.outDec.write(buf);
    } else {
      env.errRead += buf.length;
      if (env.oom) {
        this.checkLogsComplete(env);
        return; // V8's OOM dump: not function output
      }
      text = env.errPartial + env.errDec.write(buf);
      if (isHeapOomText(text)) {
        env.oom = true;
        const cut = text.indexOf('<--- Last few GCs --->');
        const fatal = text.indexOf('FATAL ERROR');
        const at = [cut, fatal].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), text.length);
        text = text.slice(0, at);
        const nl = text.lastIndexOf('\n');
        text = nl >= 0 ? text.slice(0, nl + 1) : '';
      }
    }
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0) {
      const ts = this.clock.now();
      while (nl >= 0) {
        this.route(env, { timestamp: ts, message: lineToMessage(text.slice(start, nl)) });
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
    }
    const rest = start === 0 ? text : text.slice(start);
    if (which === 1) env.outPartial = rest;
    else env.errPartial = rest;
    this.checkLogsComplete(env);
  }

  private flushPartial(env: Environment, which: 1 | 2): void {
    const rest = which === 1 ? env.outPartial + env.outDec.end() : env.oom ? '' : env.errPartial + env.errDec.end();
    if (which === 1) env.outPartial = '';
    else env.errPartial = '';
    if (rest.length > 0) this.route(env, { timestamp: this.clock.now(), message: lineToMessage(rest) });
  }

  private route(env: Environment, ev: LogEvent): void {
    const inv = env.current;
    if (inv && inv.delivered && !inv.finished) {
      inv.events.push(ev);
      if (inv.events.length >= EVENT_FLUSH_THRESHOLD) this.flushEarly(inv);
    } else {
      env.preEvents.push(ev);
    }
  }

  private flushEarly(inv: Invocation): void {
    const env = inv.env!;
    this.put(env, inv.events);
    inv.flushedText = appendTail(inv.flushedText, inv.events);
    inv.events = [];
  }

  private put(env: Environment, events: LogEvent[]): void {
    if (events.length === 0) return;
    try {
      this.sink.put(env.spec.region, env.spec.accountId, env.spec.logGroupName, env.stream, events);
    } catch {
      /* a failing sink must not break invocations */
    }
  }

  private checkLogsComplete(env: Environment): void {
    const inv = env.current;
    if (inv && inv.outcome && !inv.finished && env.outRead >= inv.wantOut && env.errRead >= inv.wantErr) this.finish(inv);
  }

  // ------------------------------------------------------------------ Runtime API

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

  private deliver(env: Environment): void {
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
    inv.timer = this.clock.setTimeout(() => this.onTimeout(inv), inv.spec.timeout * 1000);
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
        this.kill(env);
        return;
      }
      return drainAndSend(req, res, kind === 'init' ? 403 : 400, INVALID_ID_BODY);
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
      const outHdr = h['x-testbed-out'];
      if (typeof outHdr === 'string') {
        const comma = outHdr.indexOf(',');
        inv.wantOut = Number(outHdr.slice(0, comma)) || 0;
        inv.wantErr = Number(outHdr.slice(comma + 1)) || 0;
      }
      const rss = Number(h['x-testbed-rss']);
      if (rss > 0) env.maxRss = rss;
      if (h['x-testbed-exiting'] === '1') env.retired = true;
      if (kind === 'response' && oversize) {
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
      this.checkLogsComplete(env);
    });
  }

  // ------------------------------------------------------------------ completion

  private onTimeout(inv: Invocation): void {
    inv.timer = undefined;
    if (inv.finished) return;
    const env = inv.env;
    if (inv.outcome) {
      // The function answered in time; only its output is still on the way.
      this.finish(inv);
      return;
    }
    const timeoutSec = inv.spec.timeout;
    inv.outcome = {
      payload: Buffer.from(timeoutErrorBody(inv.req.requestId, timeoutSec)),
      errorType: 'Sandbox.Timedout',
      status: { kind: 'timeout' },
      logLine: timeoutLogLine(isoMillis(this.clock.now()), inv.req.requestId, timeoutSec),
      endHr: this.clock.hrtimeMs(),
      durationMs: timeoutSec * 1000,
    };
    if (!env) return;
    if (env.proc?.pid !== undefined) env.maxRss = Math.max(env.maxRss, peakRss(env.proc.pid));
    env.retired = true;
    this.kill(env);
    // finish() runs from onClosed once the remaining output has been read.
  }

  private finish(inv: Invocation): void {
    if (inv.finished) return;
    const env = inv.env!;
    const o = inv.outcome!;
    if (inv.timer) {
      inv.timer.cancel();
      inv.timer = undefined;
    }
    if (o.errorType !== 'Sandbox.Timedout' && !env.dead) {
      // Complete the lines the function wrote without a trailing newline.
      this.flushPartial(env, 1);
      this.flushPartial(env, 2);
    }
    inv.finished = true;
    const now = this.clock.now();
    const id = inv.req.requestId;
    if (!inv.delivered) {
      const pre = env.preEvents;
      env.preEvents = [];
      pre.push({ timestamp: now, message: startLine(id, inv.spec.version) });
      inv.events = pre.concat(inv.events);
    }
    if (o.logLine) inv.events.push({ timestamp: now, message: o.logLine });
    const durationMs = o.durationMs ?? Math.max(0, o.endHr - (inv.delivered ? inv.deliveredHr : inv.startHr));
    const initDurationMs = inv.coldStart && env.initDurationMs !== undefined && inv.delivered ? env.initDurationMs : undefined;
    const maxMemoryUsedMB = o.maxMemoryMB ?? Math.min(inv.spec.memorySize, bytesToMB(env.maxRss));
    inv.events.push({ timestamp: now, message: endLine(id) });
    inv.events.push({
      timestamp: now,
      message: reportLine({
        requestId: id,
        durationMs,
        billedMs: billedDuration(durationMs, initDurationMs),
        memorySize: inv.spec.memorySize,
        maxMemoryUsedMB,
        initDurationMs,
        status: o.status,
      }),
    });
    this.put(env, inv.events);
    const log = appendTail(inv.flushedText, inv.events);
    inv.events = [];

    env.invocations++;
    env.current = undefined;
    const failed = o.errorType !== undefined;
    const result: InvokeResult = {
      requestId: id,
      payload: o.payload,
      log,
      environmentId: env.id,
      coldStart: inv.coldStart,
      durationMs,
      start: inv.startVirtual,
      end: now,
    };
    if (failed) {
      result.functionError = 'Unhandled';
      result.errorType = o.errorType;
    }
    if (initDurationMs !== undefined) result.initDurationMs = initDurationMs;

    if (env.dead || env.retired || this.shutdownPromise) this.kill(env);
    else this.makeIdle(env);
    inv.resolve(result);
  }
}

// ------------------------------------------------------------------ helpers

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

function appendTail(prefix: string, events: LogEvent[]): string {
  let s = prefix;
  for (const e of events) s += e.message;
  return s.length > MAX_RESULT_LOG_CHARS ? s.slice(s.length - MAX_RESULT_LOG_CHARS) : s;
}

/**
 * JSON text as an HTTP header value: non-ASCII and control characters can only legally occur
 * inside JSON strings (or as whitespace), so \uXXXX escapes keep the JSON meaning intact.
 */
export function headerSafeJson(text: string): string {
  if (!/[^\x20-\x7e]/.test(text)) return text;
  return text.replace(/[^\x20-\x7e]/g, (c) =>
    c === '\n' || c === '\r' || c === '\t' ? ' ' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** X-Ray style trace header, as Lambda hands one to every invocation. */
function newTraceId(nowMs: number): string {
  const b = randomBytes(20).toString('hex');
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${b.slice(0, 24)};Parent=${b.slice(24, 40)};Sampled=0`;
}

/** Peak RSS (VmHWM) of a live process in bytes, 0 when unknown. Used on the timeout path only. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
