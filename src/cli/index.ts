/**
 * `testbed`: build the sample functions, run the scenario suites on a target, or serve the embedded
 * cloud. Entry point of bin/testbed.js (compiled to dist/cli/index.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RunningCloud } from '../cloud';
import type { RawRequest, RawResponse } from '../cloud/protocols/types';
import type { Reservation } from '../cloud/server';
import type { BuiltFunction } from '../testbed/build';
import type { StartedTarget } from '../testbed/targets';
import { registerGenerateEvent } from './generate-event';
import { junitReporterEntry, writeRunSummary, type RunSummary } from './reports';

/** Where the CLI writes and how it ends; replaced in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Calls handler on any of the signals until the returned function is called. */
  onSignal(signals: NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void;
  exit(code: number): void;
}

export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    onSignal(signals, handler) {
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
    exit: (code) => process.exit(code),
  };
}

/** The package root (the folder with package.json, jest.config.js, functions/, scenarios/). */
export function packageRoot(): string {
  // src/cli and dist/cli are both two levels below the root.
  return path.resolve(__dirname, '..', '..');
}

function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(path.join(packageRoot(), 'package.json')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be an integer from 0 to 65535.');
  const port = Number(value);
  if (port > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535.');
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function elapsed(since: number): string {
  const ms = Date.now() - since;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command();
  program
    .name('testbed')
    .description(
      'Run real AWS Lambda functions locally: an embedded AWS-compatible cloud, and scenario suites that deploy ' +
        'functions, fire triggers and assert what AWS would show.',
    )
    .version(packageVersion(), '-V, --version', 'print the testbed version')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run "testbed help" for the commands)');

  program
    .command('run')
    .description(
      'build the functions, start the target once, deploy and run the scenario suites on it; prints a line per ' +
        'scenario and a summary, exits non-zero when any scenario fails',
    )
    .addOption(
      new Option('-t, --target <target>', 'embedded | localstack | container | http(s)://host:port').env('TESTBED_TARGET').default('embedded'),
    )
    .option(
      '-s, --suite <pattern>',
      'run only suites whose path matches this jest path pattern (a regular expression, e.g. "sync" or "scenarios/sync/invoke"); repeatable',
      collect,
      [] as string[],
    )
    .addOption(
      new Option('-r, --reporter <reporter>', 'console: a line per scenario; junit: the same, and JUnit XML written to --output')
        .choices(['console', 'junit'])
        .default('console'),
    )
    .option('-o, --output <file>', `where --reporter junit writes its JUnit XML (default: ${DEFAULT_JUNIT_OUTPUT})`)
    .option('--summary <file>', 'also write a JSON run summary: target, counts, failed scenarios, timings')
    .addHelpText(
      'after',
      '\nTargets:\n' +
        '  embedded     our cloud, in this process on a free 127.0.0.1 port (default; no Docker)\n' +
        '  localstack   LocalStack started by Testcontainers (needs Docker; image $TESTBED_LOCALSTACK_IMAGE or\n' +
        '               localstack/localstack:4.14.0; $LOCALSTACK_AUTH_TOKEN passed through when set)\n' +
        "  container    our cloud's image started by Testcontainers (needs Docker; image $TESTBED_IMAGE or\n" +
        '               lambda-testbed:local, built by "npm run image:local" or "docker build -t lambda-testbed:local .")\n' +
        '  URL          a running AWS-compatible endpoint, e.g. http://127.0.0.1:4566\n' +
        '\nWhere Testcontainers cannot pull its Ryuk clean-up image (no registry), set TESTCONTAINERS_RYUK_DISABLED=true.\n' +
        '\nExamples:\n  testbed run\n  testbed run --target localstack --suite sync\n  testbed run --target http://127.0.0.1:4566\n' +
        '  testbed run --target container --reporter junit --output reports/junit.xml --summary reports/summary.json\n',
    )
    .action(async (opts: { target?: string; suite: string[]; reporter: 'console' | 'junit'; output?: string; summary?: string }) => {
      io.exit(await runScenarios({ target: opts.target, suites: opts.suite, reporter: opts.reporter, output: opts.output, summary: opts.summary, io }));
    });

  program
    .command('serve')
    .description(
      'serve the embedded cloud in the foreground (all services on one port) until SIGINT/SIGTERM; prints "Ready." and the endpoint once it accepts requests',
    )
    .addOption(new Option('-p, --port <port>', 'port to listen on (0 = any free port)').argParser(parsePort).env('TESTBED_PORT').default(4566))
    .addOption(new Option('-H, --host <host>', 'address to listen on (0.0.0.0 inside a container)').env('TESTBED_HOST').default('127.0.0.1'))
    .addOption(
      new Option('--data-dir <dir>', 'folder for unpacked function code and other state (default: a temporary folder)').env('TESTBED_DATA_DIR'),
    )
    .addOption(
      new Option(
        '--time <mode>',
        'how time runs: real (virtual time is wall time) or compressed (idle gaps are jumped when a long poll or /_testbed/clock/advance waits)',
      )
        .choices(['real', 'compressed'])
        .env('TESTBED_TIME')
        .default('real'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  testbed serve --port 4566\n  testbed serve --time compressed\n  aws --endpoint-url http://127.0.0.1:4566 --region us-east-1 lambda list-functions\n',
    )
    .action(async (opts: { port: number; host: string; dataDir?: string; time: 'real' | 'compressed' }) => {
      io.exit(await serve({ ...opts, io }));
    });

  program
    .command('build')
    .description('bundle the functions under functions/ into deterministic zips (.testbed/build/<name>.zip)')
    .argument('[names...]', 'functions to build (default: all)')
    .option('-o, --out <dir>', 'output folder (default: .testbed/build)')
    .option('-f, --force', 'rebuild even when the inputs are unchanged')
    .action(async (names: string[], opts: { out?: string; force?: boolean }) => {
      io.exit(await build({ names, outDir: opts.out, force: opts.force, io }));
    });

  registerGenerateEvent(program, io);
  return program;
}

// ---------------------------------------------------------------- build

export async function build(opts: { names?: string[]; outDir?: string; force?: boolean; io: CliIo }): Promise<number> {
  const { buildFunctions } = await import('../testbed/build');
  const started = Date.now();
  const built = await buildFunctions({
    names: opts.names && opts.names.length > 0 ? opts.names : undefined,
    outDir: opts.outDir,
    force: opts.force,
  });
  for (const fn of Object.values(built)) opts.io.out(describeBuilt(fn));
  opts.io.out(`Built ${Object.keys(built).length} function(s) in ${elapsed(started)}.`);
  return 0;
}

function describeBuilt(fn: BuiltFunction): string {
  const rel = path.relative(process.cwd(), fn.zipPath) || fn.zipPath;
  return `  ${fn.name.padEnd(16)} ${String(fn.size).padStart(8)} B  sha256 ${fn.codeSha256}  ${rel}${fn.cached ? '  (cached)' : ''}`;
}

// ---------------------------------------------------------------- serve

/** After a signal, the longest wait for the cloud to stop before the process exits anyway. */
const STOP_DEADLINE_MS = 3_000;

/**
 * Serves until SIGINT/SIGTERM. Signals are handled from the first moment: as PID 1 in a container,
 * node ignores SIGTERM unless it handles it, and one may come while the cloud starts (it then stops
 * right after starting). A second signal exits at once. The port is bound before the cloud loads, so
 * /_localstack/health answers while it starts (see reserve in cloud/server.ts).
 */
export async function serve(opts: { port: number; host: string; dataDir?: string; time?: 'real' | 'compressed'; io: CliIo }): Promise<number> {
  const { io } = opts;
  const started = Date.now();
  const time = opts.time ?? 'real';
  let stopping = false;
  let off = (): void => undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    off = io.onSignal(['SIGINT', 'SIGTERM'], (s) => {
      if (!stopping) {
        stopping = true;
        resolve(s);
        return;
      }
      io.err(`testbed: received ${s} again; exiting without waiting for the cloud to stop.`);
      io.exit(1);
    });
  });
  try {
    const { reserve } = await import('../cloud/server');
    let reservation: Reservation;
    try {
      reservation = await reserve(opts.port, opts.host, startingAnswer);
    } catch (err) {
      io.err(`testbed: ${listenFailure(err, opts.host, opts.port)}`);
      return 1;
    }
    let cloud: RunningCloud;
    try {
      const { startCloud } = await import('../cloud');
      cloud = await startCloud({ port: reservation.port, host: opts.host, dataDir: opts.dataDir, timeMode: time });
    } catch (err) {
      await reservation.release();
      io.err(`testbed: the cloud did not start: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    io.out(`Ready. Embedded cloud listening on ${cloud.endpoint} (started in ${elapsed(started)}, ${time} time)`);
    io.out(`  Use it with any AWS client, e.g.: aws --endpoint-url ${cloud.endpoint} --region us-east-1 lambda list-functions`);
    io.out('  Stop with Ctrl-C (SIGINT) or SIGTERM.');
    io.out(`Received ${await signal}, stopping...`);
    // A wall-clock guard of the process, not cloud time: the cloud's clock is cleared by stop().
    const deadline = setTimeout(() => {
      io.err(`testbed: the cloud did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting.`);
      io.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    try {
      await cloud.stop();
    } catch (err) {
      io.err(`Error while stopping: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    } finally {
      clearTimeout(deadline);
    }
    io.out('Stopped.');
    return 0;
  } finally {
    off();
  }
}

/** /_localstack/health while the cloud loads: LocalStack's shape with no service running yet. */
export function startingAnswer(req: RawRequest): RawResponse | undefined {
  if (req.path !== '/_localstack/health' && req.path !== '/_localstack/health/') return undefined;
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ services: {}, edition: 'community', version: `lambda-testbed-${packageVersion()}` }),
  };
}

/** One line saying why the port could not be bound and what to do. */
function listenFailure(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; stop what holds it, or choose another port with --port (or TESTBED_PORT; 0 = any free port).`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with --port.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on host "${host}": no such local address; use --host 127.0.0.1 (or 0.0.0.0 for every interface).`;
    default:
      return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

// ---------------------------------------------------------------- run

export const DEFAULT_JUNIT_OUTPUT = '.testbed/reports/junit.xml';

export interface RunOptions {
  target?: string;
  suites?: string[];
  reporter?: 'console' | 'junit';
  /** The JUnit XML file (with reporter junit). */
  output?: string;
  /** The JSON run summary file. */
  summary?: string;
  io: CliIo;
}

/** Checks the report options and makes their folders: absolute paths, or one line saying what is wrong. */
export function prepareReportPaths(
  opts: Pick<RunOptions, 'reporter' | 'output' | 'summary'>,
  cwd = process.cwd(),
): { junit?: string; summary?: string } | { problem: string } {
  if (opts.output !== undefined && opts.reporter !== 'junit') {
    return { problem: '--output is where --reporter junit writes; add --reporter junit (or drop --output).' };
  }
  const paths: { junit?: string; summary?: string } = {};
  if (opts.reporter === 'junit') paths.junit = path.resolve(cwd, opts.output ?? DEFAULT_JUNIT_OUTPUT);
  if (opts.summary !== undefined) paths.summary = path.resolve(cwd, opts.summary);
  for (const [flag, file, example] of [
    ['--output', paths.junit, 'junit.xml'],
    ['--summary', paths.summary, 'summary.json'],
  ] as const) {
    if (!file) continue;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      return { problem: `${flag} ${file} is a folder; give a file name, such as ${path.join(file, example)}.` };
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.accessSync(path.dirname(file), fs.constants.W_OK);
    } catch (err) {
      return { problem: `cannot write ${flag} ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a writable path.` };
    }
  }
  return paths;
}

export async function runScenarios(opts: RunOptions): Promise<number> {
  const { io } = opts;
  const { resolveTargetSpec, startTarget } = await import('../testbed/targets');
  const { buildFunctions } = await import('../testbed/build');
  const { exportTarget, clearExportedTarget } = await import('../testbed/target-env');

  const spec = resolveTargetSpec(opts.target);
  const reports = prepareReportPaths(opts);
  if ('problem' in reports) {
    io.err(`testbed run: ${reports.problem}`);
    return 1;
  }
  // Same as jest.config.js: the SDK's notice that its 2027 releases need Node 22, once per test file.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const runStarted = Date.now();
  const timings: RunSummary['timingsMs'] = { build: 0, targetStart: 0, suites: 0, targetStop: 0, total: 0 };
  let t = Date.now();
  const built = await buildFunctions();
  timings.build = Date.now() - t;
  io.out(`Built ${Object.keys(built).length} function(s) (${Object.keys(built).join(', ')}) in ${elapsed(t)}.`);

  t = Date.now();
  io.out(`Starting target ${spec}...`);
  const target = await startTarget(spec);
  timings.targetStart = Date.now() - t;
  io.out(`Target ${describeTarget(spec, target)} ready at ${target.endpoint} in ${elapsed(t)}.\n`);

  // Ctrl-C or a cancelled CI job: stop the target (a container would outlive us) before exiting.
  let stopping: Promise<void> | undefined;
  const stopTarget = () => (stopping ??= target.stop());
  const offSignal = io.onSignal(['SIGINT', 'SIGTERM'], (signal) => {
    offSignal(); // a second signal gets Node's default handling (immediate exit)
    io.err(`Received ${signal}, stopping the target...`);
    void stopTarget()
      .catch(() => undefined)
      .finally(() => io.exit(130));
  });

  exportTarget(target);
  // --output wins over a JEST_JUNIT_OUTPUT_FILE in the environment (which jest-junit would prefer).
  const savedJunitFile = process.env.JEST_JUNIT_OUTPUT_FILE;
  if (reports.junit) delete process.env.JEST_JUNIT_OUTPUT_FILE;
  let code = 1;
  let results: RunResults | undefined;
  try {
    t = Date.now();
    const { runCLI } = await import('jest');
    const reporters: Array<string | [string, Record<string, unknown>]> = [require.resolve('./reporter')];
    if (reports.junit) reporters.push(junitReporterEntry(reports.junit));
    ({ results } = await runCLI(
      {
        _: [],
        $0: 'testbed',
        selectProjects: ['scenarios'],
        testPathPatterns: opts.suites ?? [],
        // jest takes [name, options] entries here, as in its config; the Argv type lists names only.
        reporters: reporters as string[],
        // Otherwise jest calls process.exit when nothing matches, before the target is stopped.
        passWithNoTests: true,
      },
      [packageRoot()],
    ));
    timings.suites = Date.now() - t;
    if (results.numTotalTests === 0) {
      const which = opts.suites?.length ? ` matching ${opts.suites.map((s) => JSON.stringify(s)).join(', ')}` : '';
      io.err(`No scenario suites${which} found under scenarios/.`);
    } else {
      code = results.success ? 0 : 1;
    }
    if (reports.junit) io.out(`JUnit XML: ${relativeToCwd(reports.junit)}`);
  } finally {
    if (savedJunitFile !== undefined) process.env.JEST_JUNIT_OUTPUT_FILE = savedJunitFile;
    offSignal();
    clearExportedTarget();
    t = Date.now();
    await stopTarget();
    timings.targetStop = Date.now() - t;
  }
  if (reports.summary) {
    timings.total = Date.now() - runStarted;
    writeRunSummary(reports.summary, { spec, target, results, timings, junit: reports.junit, success: code === 0 });
    io.out(`Run summary: ${relativeToCwd(reports.summary)}`);
  }
  return code;
}

type RunResults = Awaited<ReturnType<typeof import('jest').runCLI>>['results'];

function describeTarget(spec: string, target: StartedTarget): string {
  if (spec === 'container' && target.container) return `container ${target.container.image} (${target.container.id.slice(0, 12)})`;
  return target.kind;
}

function relativeToCwd(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

// ---------------------------------------------------------------- main

export async function main(argv: string[] = process.argv, io: CliIo = processIo()): Promise<void> {
  const program = createProgram(io);
  if (argv.length <= 2) {
    program.outputHelp();
    io.exit(0);
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    io.err(`testbed: ${err instanceof Error ? err.message : String(err)}`);
    io.exit(1);
  }
}

if (require.main === module) void main();
