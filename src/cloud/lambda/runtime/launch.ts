/**
 * How an execution environment's process is started, per runtime family:
 *   nodejs    this process's `node` on our bundled bootstrap (bootstrap.ts), heap sized from the memory
 *   python    the machine's python3 (machine.ts) on our Python bootstrap (python/source.ts)
 *   provided  the function's own `bootstrap` executable: the code root's, else the layers' (/opt)
 * and the environment variables each gets, as AWS sets them (the code folder and the layers' folder
 * standing in for /var/task and /opt). prepareRuntime does the asynchronous part (bundle, write,
 * look up, unpack the layers); launchFor the rest. A failure to start carries AWS's error type.
 */
import { mkdirSync, statSync, accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../../clock';
import { nodeMajorOf, pythonVersionOf, runtimeFamily } from '../runtimes';
import { bundledBootstrap } from './bundle';
import type { Environment } from './environment';
import { executionEnv } from './format';
import { machinePython, pythonUnavailableReason } from './machine';
import { optDir } from './opt';
import { pythonBootstrap } from './python/install';
import type { VersionSpec } from './types';

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

const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface LaunchOptions {
  clock: Clock;
  /** Address the Runtime API servers bind to (AWS_LAMBDA_RUNTIME_API). */
  host: string;
  /** Base URL of the cloud, for AWS_ENDPOINT_URL. */
  endpoint: () => string;
}

/** What prepareRuntime found for an environment: the program to run and the folders it needs. */
export interface Prepared {
  family: 'nodejs' | 'python' | 'provided';
  /** The executable: node, python3 or the function's bootstrap. */
  command: string;
  /** Our bootstrap (nodejs, python): LAMBDA_RUNTIME_DIR is its folder. */
  script?: string;
  /** provided: the path AWS names in its errors (/var/task/bootstrap or /opt/bootstrap). */
  entrypoint?: string;
  /** The layers' folder (/opt), when the function has layers. */
  optDir?: string;
  /** LAMBDA_RUNTIME_DIR. */
  runtimeDir: string;
}

/** An environment that cannot start: AWS's error type and the reason after "Error: ". */
export class StartFailure extends Error {
  constructor(
    readonly errorType: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The error type and reason for any failure to start an environment. */
export function startFailure(err: unknown): { errorType: string; reason: string } {
  if (err instanceof StartFailure) return { errorType: err.errorType, reason: err.reason };
  return { errorType: 'Runtime.ExitError', reason: `Runtime exited with error: ${err instanceof Error ? err.message : String(err)}` };
}

const EXEC_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
};

/** A spawn error of a custom runtime's bootstrap, as Go's exec reports it to AWS (e.g. a bad #! line). */
export function spawnError(prepared: Prepared, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (prepared.family !== 'provided' || !EXEC_ERRORS[code]) return err;
  return new StartFailure('Runtime.InvalidEntrypoint', `fork/exec ${prepared.entrypoint}: ${EXEC_ERRORS[code]}`);
}

function isExecutableFile(file: string): 'missing' | 'ok' | 'denied' {
  let st;
  try {
    st = statSync(file);
  } catch {
    return 'missing';
  }
  if (!st.isFile()) return 'denied';
  try {
    accessSync(file, constants.X_OK);
    return 'ok';
  } catch {
    return 'denied';
  }
}

/** Everything an environment of this version needs before its process can start. */
export async function prepareRuntime(spec: VersionSpec, dataDir: string): Promise<Prepared> {
  const family = runtimeFamily(spec.runtime);
  const opt = await optDir(dataDir, spec.layers);
  if (family === 'python') {
    const python = machinePython();
    if (!python) throw new StartFailure('Runtime.ExitError', `Runtime exited with error: ${pythonUnavailableReason()}`);
    const script = await pythonBootstrap(dataDir);
    return { family, command: python.executable, script, optDir: opt, runtimeDir: path.dirname(script) };
  }
  if (family === 'provided') {
    // [rie] /var/task/bootstrap, then /opt/bootstrap; the first that exists is run, whatever its mode.
    const candidates: [string, string][] = [[path.join(spec.codeDir, 'bootstrap'), '/var/task/bootstrap']];
    if (opt) candidates.push([path.join(opt, 'bootstrap'), '/opt/bootstrap']);
    const runtimeDir = path.join(path.resolve(dataDir), 'runtime', 'provided');
    mkdirSync(runtimeDir, { recursive: true });
    for (const [file, shown] of candidates) {
      const state = isExecutableFile(file);
      if (state === 'missing') continue;
      // [doc] "Error: fork/exec /var/task/bootstrap: permission denied" (Runtime.InvalidEntrypoint)
      if (state === 'denied') throw new StartFailure('Runtime.InvalidEntrypoint', `fork/exec ${shown}: permission denied`);
      return { family, command: file, entrypoint: shown, optDir: opt, runtimeDir };
    }
    // [doc] "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"
    throw new StartFailure('Runtime.InvalidEntrypoint', "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
  }
  const script = await bundledBootstrap(dataDir);
  return { family: 'nodejs', command: process.execPath, script, optDir: opt, runtimeDir: path.dirname(script) };
}

/** The variables every runtime gets; the user's variables may override the first three. */
function lambdaEnv(env: Environment, opts: LaunchOptions): { base: NodeJS.ProcessEnv; reserved: NodeJS.ProcessEnv } {
  const s = env.spec;
  return {
    base: { LANG: 'en_US.UTF-8', TZ: ':UTC', AWS_ENDPOINT_URL: opts.endpoint() },
    reserved: {
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
      ...FUNCTION_CREDENTIALS,
    },
  };
}

function withOpt(list: string, opt: string | undefined, sub: string): string {
  return opt ? `${list}:${path.join(opt, sub)}` : list;
}

/** The command line and environment of an environment's process. */
export function launchFor(env: Environment, prepared: Prepared, opts: LaunchOptions): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const launch = launchCommand(env, prepared, opts);
  // AWS has no such variable: code that must name the layers' folder itself (rather than /opt)
  // finds it here; only functions with layers get it.
  if (prepared.optDir) launch.env.TESTBED_OPT_DIR = prepared.optDir;
  return launch;
}

function launchCommand(env: Environment, prepared: Prepared, opts: LaunchOptions): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const s = env.spec;
  const { base, reserved } = lambdaEnv(env, opts);
  const opt = prepared.optDir;
  const offset = String(opts.clock.offsetMs());
  const libraryPath = withOpt(`${s.codeDir}:${path.join(s.codeDir, 'lib')}`, opt, 'lib');
  if (prepared.family === 'python') {
    const minor = pythonVersionOf(s.runtime) ?? '3';
    const pythonPath = [s.codeDir];
    if (opt) pythonPath.push(path.join(opt, 'python', 'lib', `python${minor}`, 'site-packages'), path.join(opt, 'python'));
    return {
      command: prepared.command,
      args: [prepared.script!, offset],
      env: {
        PATH: withOpt(`${path.dirname(prepared.command)}:${SYSTEM_PATH}`, opt, 'bin'),
        LD_LIBRARY_PATH: libraryPath,
        ...base,
        // The layers' packages come after the task root, before the interpreter's own (boto3...).
        PYTHONPATH: pythonPath.join(':'),
        ...s.environment,
        ...reserved,
        LAMBDA_RUNTIME_DIR: prepared.runtimeDir,
      },
    };
  }
  if (prepared.family === 'provided') {
    const out: NodeJS.ProcessEnv = {
      PATH: withOpt(SYSTEM_PATH, opt, 'bin'),
      LD_LIBRARY_PATH: libraryPath,
      ...base,
      ...s.environment,
      ...reserved,
      LAMBDA_RUNTIME_DIR: prepared.runtimeDir,
    };
    // [doc] OS-only runtimes have no AWS_EXECUTION_ENV.
    delete out.AWS_EXECUTION_ENV;
    return { command: prepared.command, args: [], env: out };
  }
  // Node.js. As the AWS Node.js bootstrap, the old generation gets the memory size minus a tenth kept
  // for the young generation. Semi-spaces stay small (1 MB per 128 MB, at most 16): the same speed
  // here, and an idle 128 MB environment stays well under 60 MB RSS.
  const mem = s.memorySize;
  const oldSpace = Math.max(16, mem - Math.floor(mem / 10));
  const semiSpace = Math.min(16, Math.max(1, Math.floor(mem / 128)));
  const script = prepared.script!;
  const nodePath = [RUNTIME_NODE_MODULES, path.dirname(script), s.codeDir].filter(Boolean);
  if (opt) {
    // [doc] /opt/nodejs/node<major>/node_modules, /opt/nodejs/node_modules, then the runtime's modules.
    nodePath.unshift(path.join(opt, 'nodejs', `node${nodeMajorOf(s.runtime) ?? ''}`, 'node_modules'), path.join(opt, 'nodejs', 'node_modules'));
  }
  const nodeEnv: NodeJS.ProcessEnv = {
    PATH: withOpt(`${path.dirname(process.execPath)}:${SYSTEM_PATH}`, opt, 'bin'),
    // Only with layers (their lib/): the Node.js environment otherwise stays as it always was.
    ...(opt ? { LD_LIBRARY_PATH: libraryPath } : {}),
    ...base,
    // As /var/runtime/node_modules on AWS, the runtime's own modules (the AWS SDK v3) resolve
    // for code that bundles the SDK as external; users may override it.
    NODE_PATH: nodePath.join(':'),
    ...s.environment,
    ...reserved,
    LAMBDA_RUNTIME_DIR: prepared.runtimeDir,
  };
  return {
    command: process.execPath,
    args: [
      '--expose-gc',
      '--max-http-header-size=81920',
      `--max-semi-space-size=${semiSpace}`,
      `--max-old-space-size=${oldSpace}`,
      script,
      // The virtual clock offset, so that init code already sees the cloud's clock (the bootstrap removes it from argv).
      offset,
    ],
    env: nodeEnv,
  };
}
