/**
 * `testbed`: build the sample functions, run the scenario suites on a target, or serve the embedded
 * cloud. Entry point of bin/testbed.js (compiled to dist/cli/index.js).
 */
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BuiltFunction } from '../testbed/build';

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
      new Option('-t, --target <target>', 'embedded | localstack | http(s)://host:port').env('TESTBED_TARGET').default('embedded'),
    )
    .option(
      '-s, --suite <pattern>',
      'run only suites whose path matches this jest path pattern (a regular expression, e.g. "sync" or "scenarios/sync/invoke"); repeatable',
      collect,
      [] as string[],
    )
    .addHelpText(
      'after',
      '\nTargets:\n' +
        '  embedded     our cloud, in this process on a free 127.0.0.1 port (default; no Docker)\n' +
        '  localstack   LocalStack started by Testcontainers (needs Docker; image $TESTBED_LOCALSTACK_IMAGE or\n' +
        '               localstack/localstack:4.14.0; $LOCALSTACK_AUTH_TOKEN passed through when set)\n' +
        '  URL          a running AWS-compatible endpoint, e.g. http://127.0.0.1:4566\n' +
        '\nExamples:\n  testbed run\n  testbed run --target localstack --suite sync\n  testbed run --target http://127.0.0.1:4566\n',
    )
    .action(async (opts: { target?: string; suite: string[] }) => {
      io.exit(await runScenarios({ target: opts.target, suites: opts.suite, io }));
    });

  program
    .command('serve')
    .description(
      'serve the embedded cloud in the foreground (all services on one port) until SIGINT/SIGTERM; prints "Ready." and the endpoint once it accepts requests',
    )
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', parsePort, 4566)
    .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'folder for unpacked function code and other state (default: a temporary folder)')
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

export async function serve(opts: { port: number; host: string; dataDir?: string; time?: 'real' | 'compressed'; io: CliIo }): Promise<number> {
  const { io } = opts;
  const started = Date.now();
  const { startCloud } = await import('../cloud');
  const cloud = await startCloud({ port: opts.port, host: opts.host, dataDir: opts.dataDir, timeMode: opts.time ?? 'real' });
  io.out(`Ready. Embedded cloud listening on ${cloud.endpoint} (started in ${elapsed(started)}, ${opts.time ?? 'real'} time)`);
  io.out(`  Use it with any AWS client, e.g.: aws --endpoint-url ${cloud.endpoint} --region us-east-1 lambda list-functions`);
  io.out('  Stop with Ctrl-C (SIGINT) or SIGTERM.');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const off = io.onSignal(['SIGINT', 'SIGTERM'], (s) => {
      off(); // a second signal gets Node's default handling (immediate exit)
      resolve(s);
    });
  });
  io.out(`Received ${signal}, stopping...`);
  try {
    await cloud.stop();
  } catch (err) {
    io.err(`Error while stopping: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  io.out('Stopped.');
  return 0;
}

// ---------------------------------------------------------------- run

export async function runScenarios(opts: { target?: string; suites?: string[]; io: CliIo }): Promise<number> {
  const { io } = opts;
  const { resolveTargetSpec, startTarget } = await import('../testbed/targets');
  const { buildFunctions } = await import('../testbed/build');
  const { exportTarget, clearExportedTarget } = await import('../testbed/target-env');

  const spec = resolveTargetSpec(opts.target);
  // Same as jest.config.js: the SDK's notice that its 2027 releases need Node 22, once per test file.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  let t = Date.now();
  const built = await buildFunctions();
  io.out(`Built ${Object.keys(built).length} function(s) (${Object.keys(built).join(', ')}) in ${elapsed(t)}.`);

  t = Date.now();
  io.out(`Starting target ${spec}...`);
  const target = await startTarget(spec);
  io.out(`Target ${target.kind} ready at ${target.endpoint} in ${elapsed(t)}.\n`);

  exportTarget(target);
  try {
    const { runCLI } = await import('jest');
    const { results } = await runCLI(
      {
        _: [],
        $0: 'testbed',
        selectProjects: ['scenarios'],
        testPathPatterns: opts.suites ?? [],
        reporters: [require.resolve('./reporter')],
        // Otherwise jest calls process.exit when nothing matches, before the target is stopped.
        passWithNoTests: true,
      },
      [packageRoot()],
    );
    if (results.numTotalTests === 0) {
      const which = opts.suites?.length ? ` matching ${opts.suites.map((s) => JSON.stringify(s)).join(', ')}` : '';
      io.err(`No scenario suites${which} found under scenarios/.`);
      return 1;
    }
    return results.success ? 0 : 1;
  } finally {
    clearExportedTarget();
    await target.stop();
  }
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
