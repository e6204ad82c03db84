/**
 * `testbed run`'s report options (--reporter junit, --output, --summary) and the bad input every
 * command must answer with one line and a non-zero exit: a port in use, no Docker daemon.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_JUNIT_OUTPUT, createProgram, main, prepareReportPaths, type CliIo } from '../../src/cli';
import { buildRunSummary, junitReporterEntry, JUNIT_SUITE_NAME } from '../../src/cli/reports';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);

function fakeIo() {
  const lines: string[] = [];
  const errors: string[] = [];
  const exits: number[] = [];
  const io: CliIo = {
    out: (line) => void lines.push(line),
    err: (line) => void errors.push(line),
    onSignal: () => () => undefined,
    exit: (code) => void exits.push(code),
  };
  return { io, lines, errors, exits };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'testbed-run-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A stack trace has "    at fn (file:line:col)" lines. */
const STACK = /\n\s+at /;

describe('testbed run: report options', () => {
  it('--reporter takes console or junit only', async () => {
    const { io, errors } = fakeIo();
    const program = createProgram(io).exitOverride();
    for (const cmd of program.commands) cmd.exitOverride();
    await expect(program.parseAsync(['node', 'testbed', 'run', '--reporter', 'xml'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(errors.join('\n')).toMatch(/'xml' is invalid\. Allowed choices are console, junit\./);
  });

  it('resolves --output and --summary against the working folder and creates their folders', () => {
    expect(prepareReportPaths({ reporter: 'console' }, tmp)).toEqual({});
    expect(prepareReportPaths({ reporter: 'junit' }, tmp)).toEqual({ junit: path.join(tmp, DEFAULT_JUNIT_OUTPUT) });
    const paths = prepareReportPaths({ reporter: 'junit', output: 'reports/junit.xml', summary: 'reports/deep/summary.json' }, tmp);
    expect(paths).toEqual({ junit: path.join(tmp, 'reports/junit.xml'), summary: path.join(tmp, 'reports/deep/summary.json') });
    expect(fs.statSync(path.join(tmp, 'reports/deep')).isDirectory()).toBe(true);
  });

  it('refuses --output without --reporter junit, and a folder as a file', () => {
    expect(prepareReportPaths({ reporter: 'console', output: 'x.xml' }, tmp)).toEqual({
      problem: '--output is where --reporter junit writes; add --reporter junit (or drop --output).',
    });
    fs.mkdirSync(path.join(tmp, 'out'), { recursive: true });
    expect(prepareReportPaths({ reporter: 'junit', output: 'out' }, tmp)).toEqual({
      problem: `--output ${path.join(tmp, 'out')} is a folder; give a file name, such as ${path.join(tmp, 'out', 'junit.xml')}.`,
    });
    fs.writeFileSync(path.join(tmp, 'file'), '');
    expect(prepareReportPaths({ summary: 'file/summary.json' }, tmp)).toMatchObject({ problem: expect.stringMatching(/^cannot write --summary .*file\/summary\.json \(E[A-Z]+\); choose a writable path\.$/) });
  });

  it('stops at a bad report option before building or starting anything', async () => {
    const { io, lines, errors, exits } = fakeIo();
    await main(['node', 'testbed', 'run', '--output', path.join(tmp, 'x.xml')], io);
    expect(errors).toEqual(['testbed run: --output is where --reporter junit writes; add --reporter junit (or drop --output).']);
    expect(exits).toEqual([1]);
    expect(lines).toEqual([]);
  });

  it('configures jest-junit: one test case per scenario, named by its describe blocks and title, suite errors reported', () => {
    const [name, options] = junitReporterEntry('/x/junit.xml');
    expect(name).toBe(require.resolve('jest-junit'));
    expect(options).toMatchObject({
      outputFile: '/x/junit.xml',
      suiteName: JUNIT_SUITE_NAME,
      classNameTemplate: '{classname}',
      titleTemplate: '{title}',
      reportTestSuiteErrors: 'true',
    });
  });

  it('summarises a run: target, counts, failed scenarios, timings', () => {
    const results = {
      numTotalTests: 4,
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 0,
      numRuntimeErrorTestSuites: 1,
      testResults: [
        {
          testFilePath: path.join(process.cwd(), 'scenarios/sync/invoke.test.ts'),
          testResults: [
            { ancestorTitles: ['sync'], title: 'returns', status: 'passed', duration: 3 },
            { ancestorTitles: ['sync'], title: 'times out', status: 'failed', duration: 9 },
          ],
        },
        { testFilePath: path.join(process.cwd(), 'scenarios/poll/x.test.ts'), testExecError: { message: 'boom\nstack' }, testResults: [] },
      ],
    } as unknown as Parameters<typeof buildRunSummary>[0]['results'];
    const summary = buildRunSummary({
      spec: 'container',
      target: { kind: 'endpoint', endpoint: 'http://127.0.0.1:32768', container: { image: 'lambda-testbed:local', id: 'abc' } },
      results,
      timings: { build: 1, targetStart: 2, suites: 3, targetStop: 4, total: 10 },
      success: false,
      now: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(summary).toEqual({
      target: { spec: 'container', kind: 'endpoint', endpoint: 'http://127.0.0.1:32768', image: 'lambda-testbed:local', containerId: 'abc' },
      success: false,
      tests: { total: 4, passed: 2, failed: 1, skipped: 1, suitesFailedToRun: 1 },
      failed: ['scenarios/sync/invoke.test.ts › sync › times out', 'scenarios/poll/x.test.ts (did not run: boom)'],
      timingsMs: { build: 1, targetStart: 2, suites: 3, targetStop: 4, total: 10 },
      finishedAt: '2026-01-02T03:04:05.000Z',
    });
  });
});

describe('bad input: one line, a non-zero exit, no stack trace', () => {
  const noDocker = `unix://${path.join(os.tmpdir(), `no-docker-${process.pid}.sock`)}`;
  const saved = process.env.DOCKER_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it.each([
    ['container', /^testbed: Could not start the testbed container \(lambda-testbed:local\): DOCKER_HOST=\S+ names a socket that does not exist\. Start Docker \(or point DOCKER_HOST at its socket\), or use --target embedded, which needs no Docker\.$/],
    ['localstack', /^testbed: Could not start LocalStack \(localstack\/localstack:4\.14\.0\): DOCKER_HOST=\S+ names a socket that does not exist\. Start Docker/],
  ])('run --target %s without a Docker daemon', async (target, expected) => {
    process.env.DOCKER_HOST = noDocker;
    const { io, lines, errors, exits } = fakeIo();
    await main(['node', 'testbed', 'run', '--target', target], io);
    expect(exits).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
    expect(errors[0]).not.toMatch(STACK);
    expect(lines).toContain(`Starting target ${target}...`);
    expect(lines.some((l) => /ready at/.test(l))).toBe(false);
  }, 60_000);

  it('serve --port <a port in use>', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const { io, lines, errors, exits } = fakeIo();
      await main(['node', 'testbed', 'serve', '--port', String(port)], io);
      expect(exits).toEqual([1]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^testbed: port ${port} on 127\\.0\\.0\\.1 is already in use; .*--port`));
      expect(lines.some((l) => l.startsWith('Ready.'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe('JUnit XML for real', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
  type Case = { name: string; classname: string; failure?: unknown; skipped?: unknown };
  type Xml = { testsuites: { name: string; tests: string; failures: string; testsuite: Array<{ name: string; testcase?: Case[] }> } };

  it('testbed run --reporter junit --output <file> --summary <file> on the embedded target', async () => {
    const junit = path.join(tmp, 'e2e', 'junit.xml');
    const summaryFile = path.join(tmp, 'e2e', 'summary.json');
    const { stdout } = await run(
      process.execPath,
      [path.join(root, 'bin/testbed.js'), 'run', '--suite', 'sqs/visibility', '--reporter', 'junit', '--output', junit, '--summary', summaryFile],
      { cwd: root, env: { ...process.env, JEST_JUNIT_OUTPUT_FILE: path.join(tmp, 'ignored.xml'), TESTBED_TARGET: '' } },
    );
    expect(stdout).toMatch(/Scenarios: \d+ passed, 0 failed/);
    const xml = parser.parse(fs.readFileSync(junit, 'utf8')) as Xml;
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { success: boolean; tests: { total: number; failed: number }; target: { spec: string } };
    expect(fs.existsSync(path.join(tmp, 'ignored.xml'))).toBe(false); // --output wins
    expect(xml.testsuites.name).toBe(JUNIT_SUITE_NAME);
    expect(Number(xml.testsuites.tests)).toBe(summary.tests.total);
    expect(Number(xml.testsuites.failures)).toBe(0);
    expect(xml.testsuites.testsuite.map((s) => s.name)).toEqual(['scenarios/sqs/visibility.test.ts']);
    const cases = xml.testsuites.testsuite[0].testcase ?? [];
    expect(cases.length).toBe(summary.tests.total);
    expect(cases.every((c) => c.name && c.classname && c.failure === undefined)).toBe(true);
    expect(summary).toMatchObject({ success: true, target: { spec: 'embedded' }, tests: { failed: 0 } });
  }, 180_000);

  it('npm test writes it through jest-junit with --reporters and JEST_JUNIT_OUTPUT_FILE (as the README says)', async () => {
    const junit = path.join(tmp, 'npm-test', 'junit.xml');
    await run(
      process.execPath,
      [require.resolve('jest/bin/jest'), 'test/unit/heap.test.ts', '--selectProjects', 'unit', '--reporters=default', '--reporters=jest-junit'],
      { cwd: root, env: { ...process.env, JEST_JUNIT_OUTPUT_FILE: junit } },
    );
    const xml = parser.parse(fs.readFileSync(junit, 'utf8')) as Xml;
    expect(Number(xml.testsuites.tests)).toBeGreaterThan(0);
    expect(Number(xml.testsuites.failures)).toBe(0);
    expect(xml.testsuites.testsuite[0].testcase?.length).toBe(Number(xml.testsuites.tests));
  }, 120_000);
});
