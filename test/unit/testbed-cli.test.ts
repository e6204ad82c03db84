import { createProgram, serve } from '../../src/cli';
import { fakeIo } from './cli-helpers';
import { formatScenarioLine, formatSummary, scenarioLines } from '../../src/cli/reporter';


describe('testbed CLI: commands and options', () => {
  it('lists run, serve and build in its help', () => {
    const { io, lines } = fakeIo();
    createProgram(io).outputHelp();
    const help = lines.join('\n');
    expect(help).toMatch(/Usage: testbed/);
    expect(help).toMatch(/^\s+run \[options\]/m);
    expect(help).toMatch(/^\s+serve \[options\]/m);
    expect(help).toMatch(/^\s+build \[options\] \[names\.\.\.\]/m);
  });

  it('documents the run and serve options', () => {
    const program = createProgram(fakeIo().io);
    const run = program.commands.find((c) => c.name() === 'run')!;
    const serveCmd = program.commands.find((c) => c.name() === 'serve')!;
    expect(run.options.map((o) => o.long)).toEqual(['--target', '--suite', '--reporter', '--output', '--summary']);
    expect(serveCmd.options.map((o) => o.long)).toEqual(['--port', '--host', '--data-dir', '--time']);
    expect(run.helpInformation()).toMatch(/embedded \| localstack \| container \|\s+http\(s\):\/\/host:port/);
  });

  it('rejects a bad port before starting anything', async () => {
    const { io, errors } = fakeIo();
    const program = createProgram(io).exitOverride();
    for (const cmd of program.commands) cmd.exitOverride();
    await expect(program.parseAsync(['node', 'testbed', 'serve', '--port', 'abc'])).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
    expect(errors.join('\n')).toMatch(/--port.*must be an integer from 0 to 65535/);
  });

  it('rejects an unknown target before building or starting anything', async () => {
    const { io } = fakeIo();
    const program = createProgram(io).exitOverride();
    await expect(program.parseAsync(['node', 'testbed', 'run', '--target', 'docker'])).rejects.toThrow(/Unknown target "docker"/);
  });
});

describe('testbed serve', () => {
  it('prints Ready. with the endpoint once it accepts requests, and stops cleanly on SIGTERM', async () => {
    const { io, waitForLine, signals, lines } = fakeIo();
    const done = serve({ port: 0, host: '127.0.0.1', io });
    const ready = await Promise.race([
      waitForLine(/Ready\./),
      done.then((code) => {
        throw new Error(`serve ended (exit ${code}) before printing Ready.`);
      }),
    ]);
    const endpoint = /(http:\/\/127\.0\.0\.1:\d+)/.exec(ready)?.[1];
    expect(endpoint).toBeDefined();

    const health = await fetch(`${endpoint}/_localstack/health`);
    expect(health.status).toBe(200);

    signals.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe(0);
    expect(lines).toContain('Stopped.');
    await expect(fetch(`${endpoint}/_localstack/health`)).rejects.toThrow();
  }, 20_000);

  it('--time compressed starts the cloud with compressed time (real is the default)', async () => {
    const { io, waitForLine, signals } = fakeIo();
    const done = serve({ port: 0, host: '127.0.0.1', time: 'compressed', io });
    const ready = await waitForLine(/Ready\./);
    expect(ready).toMatch(/compressed time/);
    const endpoint = /(http:\/\/127\.0\.0\.1:\d+)/.exec(ready)![1];
    const clock = (await (await fetch(`${endpoint}/_testbed/clock`)).json()) as { mode: string };
    expect(clock.mode).toBe('compressed');
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe(0);
  }, 20_000);
});

describe('testbed run reporter', () => {
  const file = {
    testResults: [
      { ancestorTitles: ['sync', 'invoke'], title: 'returns the event', status: 'passed', duration: 12 },
      { ancestorTitles: ['sync'], title: 'times out', status: 'failed', duration: 3210 },
      { ancestorTitles: [], title: 'lists invocations [skipped: target localstack has no invocations capability]', status: 'pending', duration: null },
    ],
  } as unknown as Parameters<typeof scenarioLines>[0];

  it('prints one line per scenario with a mark and its duration', () => {
    expect(scenarioLines(file).map(formatScenarioLine)).toEqual([
      '  ✓ sync › invoke › returns the event (12 ms)',
      '  ✗ sync › times out (3.21 s)',
      '  ○ lists invocations [skipped: target localstack has no invocations capability]',
    ]);
  });

  it('summarises passed, failed and skipped', () => {
    const summary = formatSummary(
      { numPassedTests: 10, numFailedTests: 2, numPendingTests: 1, numTodoTests: 0, numTotalTests: 13, numRuntimeErrorTestSuites: 0, startTime: 1_000 },
      5_500,
    );
    expect(summary).toBe('Scenarios: 10 passed, 2 failed, 1 skipped (13 total, 4.50 s)');
  });
});
