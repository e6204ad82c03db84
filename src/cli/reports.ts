/**
 * What `testbed run` leaves for CI besides its console lines: JUnit XML (written by the jest-junit
 * reporter, configured here) and a JSON run summary (target, counts, failed scenarios, timings).
 */
import * as fs from 'node:fs';
import type { runCLI } from 'jest';
import type { StartedTarget } from '../testbed/targets';
import { scenarioLines } from './reporter';

type AggregatedResult = Awaited<ReturnType<typeof runCLI>>['results'];

/** The suite name at the top of the JUnit XML. */
export const JUNIT_SUITE_NAME = 'lambda-testbed scenarios';

/**
 * The jest `reporters` entry for jest-junit writing to `file`: one <testsuite> per scenario file
 * (named by its path), one <testcase> per scenario (classname: its describe blocks; name: its title),
 * skipped scenarios as <skipped/>, and a suite that failed to run as a failed test case rather than
 * nothing. JEST_JUNIT_* variables still override these (jest-junit's rule).
 */
export function junitReporterEntry(file: string): [string, Record<string, string>] {
  return [
    require.resolve('jest-junit'),
    {
      outputFile: file,
      suiteName: JUNIT_SUITE_NAME,
      suiteNameTemplate: '{filepath}',
      classNameTemplate: '{classname}',
      titleTemplate: '{title}',
      ancestorSeparator: ' › ',
      addFileAttribute: 'true',
      reportTestSuiteErrors: 'true',
    },
  ];
}

export interface RunSummary {
  target: { spec: string; kind: string; endpoint: string; image?: string; containerId?: string };
  success: boolean;
  tests: { total: number; passed: number; failed: number; skipped: number; suitesFailedToRun: number };
  /** Full names ("file › describe › title") of the failed scenarios, and files that failed to run. */
  failed: string[];
  timingsMs: { build: number; targetStart: number; suites: number; targetStop: number; total: number };
  junit?: string;
  finishedAt: string;
}

export function buildRunSummary(input: {
  spec: string;
  target: Pick<StartedTarget, 'kind' | 'endpoint' | 'container'>;
  results: AggregatedResult | undefined;
  timings: RunSummary['timingsMs'];
  junit?: string;
  success: boolean;
  now?: Date;
}): RunSummary {
  const { results, target } = input;
  const failed: string[] = [];
  for (const file of results?.testResults ?? []) {
    const rel = relative(file.testFilePath);
    if (file.testExecError) failed.push(`${rel} (did not run: ${file.testExecError.message.split('\n')[0]})`);
    for (const line of scenarioLines(file)) if (line.status === 'failed') failed.push(`${rel} › ${line.name}`);
  }
  return {
    target: {
      spec: input.spec,
      kind: target.kind,
      endpoint: target.endpoint,
      ...(target.container ? { image: target.container.image, containerId: target.container.id } : {}),
    },
    success: input.success,
    tests: {
      total: results?.numTotalTests ?? 0,
      passed: results?.numPassedTests ?? 0,
      failed: results?.numFailedTests ?? 0,
      skipped: (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0),
      suitesFailedToRun: results?.numRuntimeErrorTestSuites ?? 0,
    },
    failed,
    timingsMs: input.timings,
    ...(input.junit ? { junit: input.junit } : {}),
    finishedAt: (input.now ?? new Date()).toISOString(),
  };
}

export function writeRunSummary(file: string, input: Parameters<typeof buildRunSummary>[0]): RunSummary {
  const summary = buildRunSummary(input);
  fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

function relative(p: string): string {
  const cwd = process.cwd();
  return p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p;
}
