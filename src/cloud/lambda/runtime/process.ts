/**
 * The function's `node` process: its environment variables (as AWS sets them), heap sizing from the
 * memory size, spawning it on our bootstrap, killing its process tree, and the exit hook that kills
 * every child still alive when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../../clock';
import type { Environment } from './environment';
import { executionEnv } from './format';

/** Fixed credentials handed to every function (the embedded cloud accepts any signature). */
export const FUNCTION_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SESSION_TOKEN: 'test',
} as const;

/** The node_modules folder that holds the AWS SDK v3 clients this package depends on. */
const RUNTIME_NODE_MODULES = (() => {
  try {
    const pkg = require.resolve('@aws-sdk/client-lambda/package.json');
    return pkg.slice(0, pkg.lastIndexOf(`${path.sep}@aws-sdk${path.sep}`));
  } catch {
    return '';
  }
})();

/** How long the pipes of an exited function process are still read (its last lines), real ms. */
const PIPE_GRACE_MS = 250;

// Children of every manager in this process, killed synchronously if the process exits.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveChildren) killTree(c);
  });
}
export function killTree(c: ChildProcess): void {
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

export interface ProcessOptions {
  clock: Clock;
  /** Address the Runtime API servers bind to (AWS_LAMBDA_RUNTIME_API). */
  host: string;
  /** Base URL of the cloud, for AWS_ENDPOINT_URL. */
  endpoint: () => string;
}

/** What the manager hears of a process. */
export interface ProcessEvents {
  /** A chunk of stdout (1) or stderr (2). */
  output(which: 1 | 2, buf: Buffer): void;
  /** The process could not be spawned (no 'exit' follows). */
  spawnFailed(err: Error): void;
  /** The process exited (its output may still be on the way). */
  exited(): void;
  /** The process is gone and its pipes are closed. */
  closed(): void;
}

function childEnv(env: Environment, bootstrap: string, opts: ProcessOptions): NodeJS.ProcessEnv {
  const s = env.spec;
  return {
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_ENDPOINT_URL: opts.endpoint(),
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
    AWS_LAMBDA_RUNTIME_API: `${opts.host}:${env.port}`,
    _HANDLER: s.handler,
    LAMBDA_TASK_ROOT: s.codeDir,
    LAMBDA_RUNTIME_DIR: path.dirname(bootstrap),
    ...FUNCTION_CREDENTIALS,
  };
}

/** Start the environment's process (its Runtime API server is already listening on env.port). */
export function spawnProcess(env: Environment, bootstrap: string, opts: ProcessOptions, on: ProcessEvents): void {
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
    String(opts.clock.offsetMs()),
  ];
  env.spawnHr = opts.clock.hrtimeMs();
  const proc = spawn(process.execPath, args, {
    cwd: env.spec.codeDir,
    env: childEnv(env, bootstrap, opts),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    windowsHide: true,
  });
  env.proc = proc;
  liveChildren.add(proc);
  proc.stdout!.on('data', (b: Buffer) => on.output(1, b));
  proc.stderr!.on('data', (b: Buffer) => on.output(2, b));
  proc.on('error', (err) => {
    // spawn failure (e.g. the code folder is missing): no 'exit' will follow
    if (proc.pid === undefined) {
      env.dead = true;
      env.exitCode = 1;
      liveChildren.delete(proc);
      on.spawnFailed(err);
    }
  });
  proc.on('exit', (code, signal) => {
    env.exitCode = code;
    env.exitSignal = signal;
    env.dead = true;
    on.exited();
    // Take down anything the function started that still holds our pipes.
    killTree(proc);
    // A process the function detached into a session of its own is out of reach and may keep our pipes
    // open: stop reading them shortly after the exit, so 'close' comes and shutdown does not hang.
    setTimeout(() => {
      proc.stdout?.destroy();
      proc.stderr?.destroy();
    }, PIPE_GRACE_MS).unref();
  });
  proc.on('close', () => {
    liveChildren.delete(proc);
    on.closed();
  });
}

/** Peak RSS (VmHWM) of a live process in bytes, 0 when unknown. Used on the timeout path only. */
export function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
