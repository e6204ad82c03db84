/**
 * The jest reporter `testbed run` uses: one line per scenario (✓/✗/○, its full name, its duration),
 * jest's own failure messages under failed suites, and a one-line summary. Loaded by jest by path.
 */
import type { runCLI } from 'jest';

type AggregatedResult = Awaited<ReturnType<typeof runCLI>>['results'];
type TestFileResult = AggregatedResult['testResults'][number];
type AssertionResult = TestFileResult['testResults'][number];

export interface ScenarioLine {
  status: AssertionResult['status'];
  name: string;
  durationMs?: number | null;
}

export function scenarioLines(file: TestFileResult): ScenarioLine[] {
  return file.testResults.map((a) => ({
    status: a.status,
    name: [...a.ancestorTitles, a.title].join(' › '),
    durationMs: a.duration,
  }));
}

const SYMBOLS: Record<string, string> = { passed: '✓', failed: '✗', skipped: '○', pending: '○', todo: '✎', disabled: '○', focused: '✓' };

export function formatScenarioLine(line: ScenarioLine): string {
  const symbol = SYMBOLS[line.status] ?? '?';
  const duration = typeof line.durationMs === 'number' ? ` (${formatDuration(line.durationMs)})` : '';
  return `  ${symbol} ${line.name}${duration}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatSummary(results: Pick<AggregatedResult, 'numPassedTests' | 'numFailedTests' | 'numPendingTests' | 'numTodoTests' | 'numTotalTests' | 'numRuntimeErrorTestSuites' | 'startTime'>, now = Date.now()): string {
  const parts = [`${results.numPassedTests} passed`, `${results.numFailedTests} failed`];
  const skipped = results.numPendingTests + results.numTodoTests;
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (results.numRuntimeErrorTestSuites > 0) parts.push(`${results.numRuntimeErrorTestSuites} suite(s) failed to run`);
  return `Scenarios: ${parts.join(', ')} (${results.numTotalTests} total, ${formatDuration(now - results.startTime)})`;
}

/** The reporter class jest instantiates (see runScenarios in ./index). */
export default class TestbedReporter {
  private readonly write: (s: string) => void;

  constructor(_globalConfig?: unknown, options?: { stream?: 'stdout' | 'stderr' }) {
    const stream = options?.stream === 'stderr' ? process.stderr : process.stdout;
    this.write = (s) => void stream.write(s);
  }

  onTestResult(test: { path: string }, result: TestFileResult): void {
    const rel = relativeToCwd(test.path);
    this.write(`${result.numFailingTests > 0 || result.testExecError ? '✗' : '•'} ${rel}\n`);
    for (const line of scenarioLines(result)) this.write(`${formatScenarioLine(line)}\n`);
    if (result.testExecError || result.numFailingTests > 0) {
      const message = result.failureMessage ?? result.testExecError?.message ?? '';
      if (message) this.write(`${message.replace(/^/gm, '    ')}\n`);
    }
  }

  onRunComplete(_contexts: unknown, results: AggregatedResult): void {
    this.write(`\n${formatSummary(results)}\n`);
  }

  getLastError(): Error | undefined {
    return undefined;
  }
}

function relativeToCwd(p: string): string {
  const cwd = process.cwd();
  return p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p;
}

