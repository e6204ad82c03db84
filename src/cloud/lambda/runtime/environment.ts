/**
 * The state of one execution environment (its process, its Runtime API server, its output) and of
 * the invocation it is running, as the manager, the Runtime API, the output router and the process
 * spawner share it. Shapes and a constructor only; no behaviour.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { Clock, TimerHandle } from '../../clock';
import { logStreamName, type ReportFields } from './format';
import type { InvokeRequest, InvokeResult, VersionSpec } from './types';

export type LogEvent = { timestamp: number; message: string };

export interface Outcome {
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

export interface Invocation {
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

export interface Environment {
  id: string;
  key: string;
  spec: VersionSpec;
  stream: string;
  proc: ChildProcess | undefined;
  server: http.Server;
  sockets: Set<Socket>;
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

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A new environment for this version: not listening, not spawned; the caller sets `server`. */
export function newEnvironment(spec: VersionSpec, clock: Clock): Environment {
  let markClosed!: () => void;
  const closed = new Promise<void>((r) => (markClosed = r));
  return {
    id: randomUUID(),
    key: spec.key,
    spec,
    stream: logStreamName(clock.now(), spec.version, randomHex(16)),
    proc: undefined,
    server: undefined as unknown as http.Server,
    sockets: new Set(),
    port: 0,
    initialized: false,
    spawnHr: clock.hrtimeMs(),
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
}
