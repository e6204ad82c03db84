/**
 * What this machine can run functions with: its Python 3 interpreter (for the python3.x runtimes)
 * and whether other language runtimes are installed at all (for clear refusals). Looked up once per
 * process, lazily: the first CreateFunction or environment that needs it pays the few ms.
 *
 * The interpreter is `python3` on the testbed's own PATH, or TESTBED_PYTHON when set. Its real path
 * (sys.executable) is kept, so that a pyenv shim is resolved once and not run on every cold start.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export interface PythonInfo {
  /** Absolute path of the interpreter (sys.executable). */
  executable: string;
  /** "3.11.7" */
  version: string;
  major: number;
  minor: number;
  /** Whether `import boto3` would find the AWS SDK for Python (the AWS Python runtimes include it). */
  boto3: boolean;
}

/** Oldest Python the bootstrap runs on. */
export const MIN_PYTHON: [number, number] = [3, 8];

const PROBE = [
  'import sys, importlib.util as u',
  'print(sys.executable)',
  'print("%d.%d.%d" % sys.version_info[:3])',
  'print(u.find_spec("boto3") is not None)',
].join('\n');

let python: PythonInfo | null | undefined;

/** The machine's Python 3 (undefined when there is none, or it is older than MIN_PYTHON). */
export function machinePython(): PythonInfo | undefined {
  if (python === undefined) python = probePython(process.env.TESTBED_PYTHON || 'python3');
  return python ?? undefined;
}

/** The reason no Python function can run here, or undefined when one can. */
export function pythonUnavailableReason(): string | undefined {
  if (machinePython()) return undefined;
  const named = process.env.TESTBED_PYTHON;
  return named
    ? `TESTBED_PYTHON (${named}) is not a Python ${MIN_PYTHON.join('.')} or later interpreter`
    : `no python3 (${MIN_PYTHON.join('.')} or later) on this machine`;
}

function probePython(cmd: string): PythonInfo | null {
  const r = spawnSync(cmd, ['-c', PROBE], { encoding: 'utf8', timeout: 20_000, windowsHide: true });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const [exe, version, boto3] = r.stdout.trim().split('\n').map((s) => s.trim());
  const m = /^(\d+)\.(\d+)\.\d+/.exec(version ?? '');
  if (!exe || !m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== MIN_PYTHON[0] || minor < MIN_PYTHON[1]) return null;
  return { executable: exe, version, major, minor, boto3: boto3 === 'True' };
}

/** Whether an executable of this name is on the testbed's PATH. */
export function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

/** Forget what was looked up (tests that change TESTBED_PYTHON or PATH). */
export function resetMachineCache(): void {
  python = undefined;
}
