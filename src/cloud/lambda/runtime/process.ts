/**
 * The function's process: spawning it as launch.ts says (command line and environment variables per
 * runtime), killing its process tree, and the exit hook that kills every child still alive when
 * this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Environment } from './environment';
import { type LaunchOptions, type Prepared, launchFor, spawnError } from './launch';

export { FUNCTION_CREDENTIALS } from './launch';

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

export type ProcessOptions = LaunchOptions;

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

/** Start the environment's process (its Runtime API server is already listening on env.port). */
export function spawnProcess(env: Environment, prepared: Prepared, opts: ProcessOptions, on: ProcessEvents): void {
  const launch = launchFor(env, prepared, opts);
  env.spawnHr = opts.clock.hrtimeMs();
  const proc = spawn(launch.command, launch.args, {
    cwd: env.spec.codeDir,
    env: launch.env,
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
      on.spawnFailed(spawnError(prepared, err));
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
