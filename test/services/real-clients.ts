/**
 * What the real-client tests share (sqs-clients, sns-clients, events-clients): finding the AWS CLIs
 * and the python3s with boto3 on PATH (one per installation), the environment they run in (dummy
 * credentials, no user config, no retries), a skipped test that says why when there is no client,
 * running a client and reading its answer or its AWS error, and one cloud per test file.
 *
 * The AWS CLI tests are opt-in (TESTBED_CLI_TESTS=1): each CLI call starts a Python interpreter
 * (seconds each), so driving every operation through every installed CLI takes minutes. boto3 runs
 * one script per interpreter and always runs when a python3 has it.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCloud, type RunningCloud } from '../../src/cloud';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
/** Per test: a client drives a whole API. */
export const TIMEOUT = 300_000;

/** Every executable called `name` on PATH, one per installation (symlinks and duplicates folded). */
function onPath(name: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (!fs.statSync(file).isFile()) continue;
      const real = fs.realpathSync(file);
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(file);
    } catch {
      // not there
    }
  }
  return out;
}

/** The environment of a client run: fixed dummy credentials and region, no user config, no retries. */
function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: REGION,
    AWS_REGION: REGION,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_PAGER: '',
    AWS_DEFAULT_OUTPUT: 'json',
    AWS_MAX_ATTEMPTS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    // (no __pycache__ next to boto3_common.py)
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** A quick question to a client at discovery time: its stdout, trimmed; throws when it fails. */
function probe(file: string, args: string[]): string {
  return execFileSync(file, args, { env: clientEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a client to its end (never rejects: a failure is a non-zero code, its stderr says why). */
function run(file: string, args: string[], timeout = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: clientEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A test that cannot run here: skipped, with the reason in its title and on stderr. */
function skip(name: string, reason: string): void {
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
  it.skip(`${name} [skipped: ${reason}]`, () => undefined);
}

/** What `name` on PATH becomes where `accept` takes it; `skipped` says why the others (those it threw for) were left out. */
function discover<T>(name: string, accept: (file: string) => T, why: (file: string, e: Error) => string): { found: T[]; skipped: string[] } {
  const found: T[] = [];
  const skipped: string[] = [];
  for (const file of onPath(name)) {
    try {
      found.push(accept(file));
    } catch (e) {
      skipped.push(why(file, e as Error));
    }
  }
  return { found, skipped };
}

/** One cloud for the test file (compressed time), started on first use and stopped after all its tests. */
export function lazyCloud(): () => Promise<RunningCloud> {
  let started: Promise<RunningCloud> | undefined;
  afterAll(async () => {
    if (started) await (await started).stop();
  });
  return () => (started ??= startCloud({ port: 0, timeMode: 'compressed' }));
}

/** The operations of `all` a client neither drove nor lacks (each client test expects none). */
export const notDriven = (all: readonly string[], passed: Iterable<string>, missing: Iterable<string> = []): string[] => {
  const done = new Set([...passed, ...missing]);
  return all.filter((op) => !done.has(op));
};

/** The summary line a client test leaves on stderr: the client, its protocol, what passed and what it lacks. */
export function reportClient(test: string, client: string, protocol: string | undefined, passed: number, missing: string[] = []): void {
  process.stderr.write(
    `${test}: ${client}${protocol ? ` speaks ${protocol}` : ''}: ${passed} operations passed` + (missing.length ? `; not in this client: ${missing.join(', ')}` : '') + '\n',
  );
}

// ------------------------------------------------------------------------------------ boto3

interface Python {
  file: string;
  boto3: string;
}

let pythonsFound: { found: Python[]; skipped: string[] } | undefined;

/** python3 interpreters on PATH that can import boto3. */
const findPythons = () =>
  (pythonsFound ??= discover(
    'python3',
    (file): Python => ({ file, boto3: probe(file, ['-c', 'import boto3; print(boto3.__version__)']) }),
    (file, e) => `${file}: no boto3 (${e.message.split('\n').find((l) => /Error/.test(l)) ?? 'import failed'})`,
  ));

/** The JSON line a boto3 script prints last (boto3_common.py's Checklist). */
export interface Boto3Result {
  boto3: string;
  botocore: string;
  python: string;
  /** The protocol botocore speaks to the service. */
  protocol: string;
  /** The operations driven and checked. */
  passed: string[];
  /** Operations this botocore does not have, with the reason. */
  missing: Record<string, string>;
}

export interface Boto3Tests {
  /** The service as test titles name it, e.g. `SQS`. */
  service: string;
  /** The script of this folder that drives it, e.g. `sqs-boto3.py`. */
  script: string;
  /** The test's title in each python's block. */
  title: string;
  /** Every operation a client must drive... */
  operations: readonly string[];
  /** ...but these, which an older botocore may not have. */
  mayLack?: readonly string[];
  /** The file's cloud. */
  cloud: () => Promise<RunningCloud>;
  /** More checks of the result. */
  check?: (result: Boto3Result) => void;
  /** The prefix of the summary line on stderr, e.g. `sqs-clients`. */
  log: string;
}

/**
 * A block `boto3 <version> (<python>)` for each python3 with boto3 on PATH, whose test runs the
 * script against the cloud and checks it drove every operation; or, when there is no such python3,
 * the skipped test `boto3 drives every <service> operation` saying why.
 */
export function boto3Tests(o: Boto3Tests): void {
  const { found: pythons, skipped } = findPythons();
  if (pythons.length === 0) {
    const problems = skipped.length ? ` (${skipped.join('; ')})` : '';
    skip(`boto3 drives every ${o.service} operation`, `no python3 with boto3 on PATH${problems}; install one, e.g. apt-get install python3-boto3`);
  }
  // (A loop, not describe.each: .each refuses an empty table when no client is installed.)
  for (const py of pythons) {
    describe(`boto3 ${py.boto3} (${py.file})`, () => {
      it(
        o.title,
        async () => {
          const r = await run(py.file, [path.join(__dirname, o.script), (await o.cloud()).endpoint]);
          if (r.code !== 0) throw new Error(`${o.script} exited ${r.code}:\n${r.stderr}`);
          const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Boto3Result;
          o.check?.(result);
          const missing = Object.keys(result.missing);
          expect(notDriven(o.operations, result.passed, missing)).toEqual([]);
          expect(missing.filter((op) => !o.mayLack?.includes(op))).toEqual([]);
          reportClient(o.log, `boto3 ${result.boto3} / botocore ${result.botocore} (${py.file})`, result.protocol, result.passed.length, missing);
        },
        TIMEOUT,
      );
    });
  }
}

// ------------------------------------------------------------------------------------ AWS CLI

export interface Cli {
  file: string;
  /** `aws --version`'s answer, e.g. `aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11`. */
  version: string;
  major: number;
}

const cliOptIn = process.env.TESTBED_CLI_TESTS === '1';
let clisFound: { found: Cli[]; skipped: string[] } | undefined;

/** AWS CLIs on PATH that answer `--version`. */
const findClis = () =>
  (clisFound ??= discover(
    'aws',
    (file): Cli => {
      const version = probe(file, ['--version']);
      const m = /aws-cli\/(\d+)\./.exec(version);
      if (!m) throw new Error(`unexpected --version output: ${version}`);
      return { file, version, major: Number(m[1]) };
    },
    (file, e) => `${file}: ${e.message.split('\n')[0]}`,
  ));

/**
 * With TESTBED_CLI_TESTS=1, a describe block named by its version with `tests` for each AWS CLI on
 * PATH; else, or when there is none, the skipped test `AWS CLI drives every <service> operation`
 * saying why.
 */
export function describeEachCli(service: string, tests: (cli: Cli) => void): void {
  const { found: clis, skipped } = cliOptIn ? findClis() : { found: [], skipped: [] };
  if (clis.length === 0) {
    const problems = skipped.length ? ` (${skipped.join('; ')})` : '';
    skip(
      `AWS CLI drives every ${service} operation`,
      cliOptIn
        ? `no working AWS CLI on PATH${problems}; install one, e.g. apt-get install awscli`
        : 'slow (one Python start per CLI call, minutes in all); set TESTBED_CLI_TESTS=1 to run it',
    );
  }
  for (const cli of clis) describe(cli.version, () => tests(cli));
}

/** The AWS error a failed CLI command printed: `An error occurred (<code>) when calling the <operation> operation: <message>`. */
export interface CliError {
  code: string;
  operation: string;
  message: string;
  stderr: string;
}

/** One CLI against one endpoint; remembers the operations that answered. */
export class CliSession {
  readonly passed = new Set<string>();

  constructor(
    readonly cli: Cli,
    readonly endpoint: string,
  ) {}

  /** The CLI's name and version, e.g. `aws-cli/1.45.11`. */
  get name(): string {
    return this.cli.version.split(' ')[0];
  }

  /** `aws <service> <command> --endpoint-url … --region … --output json <args>`, as it ends. */
  run(service: string, command: string, ...args: string[]): Promise<Run> {
    return run(this.cli.file, [service, command, '--endpoint-url', this.endpoint, '--region', REGION, '--output', 'json', ...args]);
  }

  /** A command that must succeed: its JSON answer (`{}` when it prints nothing); `op` counts as driven. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(service: string, op: string | undefined, command: string, ...args: string[]): Promise<any> {
    const r = await this.run(service, command, ...args);
    if (r.code !== 0) throw new Error(`aws ${service} ${command} exited ${r.code}: ${r.stderr.trim()}`);
    if (op) this.passed.add(op);
    return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
  }

  /** A command that must fail with an AWS error: its parts. */
  async error(service: string, command: string, ...args: string[]): Promise<CliError> {
    const r = await this.run(service, command, ...args);
    expect(r.code).not.toBe(0);
    // (CLI v2 adds "(reached max retries: 0)" after the operation name)
    const m = /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \([^)]*\))?: (.*)/.exec(r.stderr);
    if (!m) throw new Error(`aws ${service} ${command}: no AWS error in stderr: ${r.stderr}`);
    return { code: m[1], operation: m[2], message: m[3].trim(), stderr: r.stderr };
  }
}
