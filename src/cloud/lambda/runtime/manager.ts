/**
 * Execution environments: one real `node` process per environment, running our bootstrap, talking
 * to a Runtime API (2018-06-01) served here on its own 127.0.0.1 port (AWS_LAMBDA_RUNTIME_API).
 *
 * One request at a time per environment; idle environments of the same version key are reused
 * (most recently used first) and reaped after `keepAliveMs` of idleness. Timeouts kill the
 * environment; crashes, OOM and init failures fail the invocation as AWS does and discard the
 * environment. Output is split into CloudWatch events (START, the function's lines, END, REPORT).
 *
 * This file is the pool and the lifecycle (EnvironmentManager): which environment takes an
 * invocation, start, kill, close, timeout, and finishing an invocation with its REPORT. The rest:
 *   environment.ts  the state of one environment and of the invocation it runs
 *   api.ts          the Runtime API server (next, response, error, init/error)
 *   streaming.ts    a streaming invocation's response on its way to its sink (bandwidth, limit, trailers)
 *   output.ts       stdout/stderr -> log events -> the log sink
 *   process.ts      the function's process: spawn, kill
 *   launch.ts       how each runtime starts (Node.js, Python, a custom runtime's bootstrap): command, environment, /opt
 *   format.ts       the texts (START/END/REPORT lines, error bodies), shared with the bootstrap
 */
import type { AddressInfo } from 'node:net';
import { isoMillis, type Clock } from '../../clock';
import { RuntimeApi } from './api';
import { prepareRuntime, startFailure } from './launch';
import { type Environment, type Invocation, type Outcome, newEnvironment } from './environment';
import {
  billedDuration,
  bytesToMB,
  endLine,
  exitError,
  exitReason,
  outOfMemoryError,
  reportLine,
  startLine,
  timeoutErrorBody,
  timeoutLogLine,
} from './format';
import { OutputRouter, appendTail } from './output';
import { installExitHook, killTree, peakRss, spawnProcess } from './process';
import type { InvokeRequest, InvokeResult, LogSink, StreamLimits, VersionSpec } from './types';

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
  /** Response streaming limits (default AWS's: 200 MB, 6 MiB at full speed then 2 MiB/s). */
  streamLimits?: Partial<StreamLimits>;
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

/** AWS limits an on-demand environment's Init phase to 10 s. */
const INIT_LIMIT_MS = 10_000;

export class EnvironmentManager {
  private readonly clock: Clock;
  private readonly dataDir: string;
  private readonly endpoint: () => string;
  private readonly keepAliveMs: number;
  private readonly host: string;
  private readonly envs = new Map<string, Environment>();
  /** Idle environments per version key; the end of each array is the most recently used. */
  private readonly idle = new Map<string, Environment[]>();
  private shutdownPromise: Promise<void> | undefined;
  private readonly output: OutputRouter;
  private readonly api: RuntimeApi;

  constructor(opts: EnvironmentManagerOptions) {
    this.clock = opts.clock;
    this.dataDir = opts.dataDir;
    this.endpoint = opts.endpoint;
    this.keepAliveMs = opts.keepAliveMs ?? 10 * 60 * 1000;
    this.host = opts.host ?? '127.0.0.1';
    this.output = new OutputRouter(this.clock, opts.logSink, (inv) => this.finish(inv));
    this.api = new RuntimeApi(this.clock, {
      kill: (env) => this.kill(env),
      onTimeout: (inv) => this.onTimeout(inv),
      checkLogsComplete: (env) => this.output.checkLogsComplete(env),
    }, opts.streamLimits);
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
    this.api.deliver(env);
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
    const env = newEnvironment(spec, this.clock);
    env.server = this.api.createServer(env);
    this.envs.set(env.id, env);
    void this.start(env);
    return env;
  }

  private async start(env: Environment): Promise<void> {
    try {
      const bootstrap = await prepareRuntime(env.spec, this.dataDir);
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
      spawnProcess(env, bootstrap, { clock: this.clock, host: this.host, endpoint: this.endpoint }, {
        output: (which, buf) => this.output.onOutput(env, which, buf),
        spawnFailed: (err) => this.failStart(env, err),
        exited: () => this.removeFromIdle(env),
        closed: () => this.onClosed(env),
      });
    } catch (e) {
      env.dead = true;
      env.exitCode = 1;
      this.failStart(env, e);
    }
  }

  /** The environment could not even be started. */
  private failStart(env: Environment, err: unknown): void {
    const inv = env.current;
    if (inv && !inv.finished && !inv.outcome) {
      // Runtime.ExitError, or AWS's own type (a custom runtime's missing bootstrap: Runtime.InvalidEntrypoint).
      const { errorType, reason } = startFailure(err);
      const e = exitError(inv.req.requestId, errorType, reason);
      inv.outcome = {
        payload: Buffer.from(e.body),
        errorType,
        status: { kind: 'error', errorType },
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
    this.output.flushPartial(env, 1);
    this.output.flushPartial(env, 2);
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
      this.output.put(env, env.preEvents);
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
      this.output.flushPartial(env, 1);
      this.output.flushPartial(env, 2);
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
    // A custom runtime reports no peak RSS of its own: read it from /proc while the process lives.
    if (env.maxRss === 0 && !env.dead && env.proc?.pid !== undefined) env.maxRss = peakRss(env.proc.pid);
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
    this.output.put(env, inv.events);
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
