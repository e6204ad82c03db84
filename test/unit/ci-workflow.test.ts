/**
 * .github/workflows/ci.yml, checked by parsing it (GitHub cannot run here): the Node 20/22 `npm test`
 * job, the container-image job and the LocalStack job, each uploading its JUnit XML and run summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { createProgram, type CliIo } from '../../src/cli';
import { DEFAULT_LOCALSTACK_IMAGE } from '../../src/testbed/targets';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  strategy?: { matrix?: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
}

const file = path.join(__dirname, '../../.github/workflows/ci.yml');
const text = fs.readFileSync(file, 'utf8');
const workflow = parse(text) as Workflow;

const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const indexOfRun = (job: Job, re: RegExp) => job.steps.findIndex((s) => s.run !== undefined && re.test(s.run));
const uploads = (job: Job) => job.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));

/** Every file a job's commands write under reports/ (--output, --summary, --outputFile, tee, JEST_JUNIT_OUTPUT_FILE). */
function reportFiles(job: Job): string[] {
  const all = `${runs(job)}\n${Object.values(job.env ?? {}).join('\n')}`;
  return [...all.matchAll(/(?:--output[= ]|--summary[= ]|--outputFile=|tee |^|\s)(reports\/(?:\$\{\{[^}]*\}\}|\S)+)/gm)].map((m) => m[1]);
}

/** The options of a `npx testbed run ...` line that the CLI does not know. */
function unknownRunOptions(line: string): string[] {
  const io: CliIo = { out: () => undefined, err: () => undefined, onSignal: () => () => undefined, exit: () => undefined };
  const run = createProgram(io).commands.find((c) => c.name() === 'run')!;
  const args = line.split('2>&1')[0].trim().split(/\s+/).slice(3); // after "npx testbed run"
  return run.parseOptions(args).unknown;
}

describe('.github/workflows/ci.yml', () => {
  it('runs on pushes, pull requests and by hand, with read-only permissions', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_dispatch']));
    expect(parse(text)).toMatchObject({ permissions: { contents: 'read' } });
  });

  it('runs steps in bash with pipefail, so "| tee" keeps a failing exit code', () => {
    expect(workflow.defaults?.run?.shell).toBe('bash');
  });

  it('has the three jobs, each with a time limit', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['test', 'container', 'localstack']);
    for (const job of Object.values(workflow.jobs)) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  it('every job checks out, sets up Node, and installs with npm ci before running anything', () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(job.steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
      expect(job.steps[1].uses).toMatch(/^actions\/setup-node@v\d+$/);
      expect(job.steps[1].with).toMatchObject({ cache: 'npm' });
      expect(job.steps[2].run).toBe('npm ci');
    }
  });

  it('test: npm test on Node 20 and 22, with JUnit XML through jest-junit and the jest results summary', () => {
    const job = workflow.jobs.test;
    expect(job.strategy?.matrix?.node).toEqual([20, 22]);
    expect(job.steps[1].with?.['node-version']).toBe('${{ matrix.node }}');
    const i = indexOfRun(job, /^(mkdir -p reports\n)?npm test -- /);
    expect(i).toBeGreaterThan(2);
    const cmd = job.steps[i].run!;
    expect(cmd).toContain('--reporters=default --reporters=jest-junit');
    expect(cmd).toMatch(/--json --outputFile=reports\/jest-results-node-\$\{\{ matrix\.node \}\}\.json/);
    expect(job.env?.JEST_JUNIT_OUTPUT_FILE).toBe('reports/junit-node-${{ matrix.node }}.xml');
  });

  it('container: builds the image, then runs the suites on it with --target container', () => {
    const job = workflow.jobs.container;
    const build = indexOfRun(job, /^docker build -t lambda-testbed:local \.$/m);
    const run = indexOfRun(job, /^npx testbed run --target container /m);
    expect(build).toBeGreaterThan(2);
    expect(run).toBeGreaterThan(build);
    const line = job.steps[run].run!.split('\n').find((l) => l.startsWith('npx testbed run'))!;
    expect(line).toContain('--reporter junit --output reports/junit-container.xml');
    expect(line).toContain('--summary reports/summary-container.json');
    expect(unknownRunOptions(line)).toEqual([]);
  });

  it('localstack: the suites on LocalStack 4.14.0, with LOCALSTACK_AUTH_TOKEN from the secrets', () => {
    const job = workflow.jobs.localstack;
    expect(job.env?.TESTBED_LOCALSTACK_IMAGE).toBe('localstack/localstack:4.14.0');
    expect(job.env?.TESTBED_LOCALSTACK_IMAGE).toBe(DEFAULT_LOCALSTACK_IMAGE);
    expect(job.env?.LOCALSTACK_AUTH_TOKEN).toBe('${{ secrets.LOCALSTACK_AUTH_TOKEN }}');
    const run = indexOfRun(job, /^npx testbed run --target localstack /m);
    expect(run).toBeGreaterThan(2);
    const line = job.steps[run].run!.split('\n').find((l) => l.startsWith('npx testbed run'))!;
    expect(line).toContain('--reporter junit --output reports/junit-localstack.xml');
    expect(line).toContain('--summary reports/summary-localstack.json');
    expect(unknownRunOptions(line)).toEqual([]);
  });

  it.each(['test', 'container', 'localstack'])('%s uploads its JUnit XML and run summary, also when it fails', (name) => {
    const job = workflow.jobs[name];
    const [upload, ...more] = uploads(job);
    expect(more).toEqual([]);
    expect(upload.uses).toMatch(/^actions\/upload-artifact@v\d+$/);
    expect(upload.if).toBe('always()');
    expect(job.steps.indexOf(upload)).toBe(job.steps.length - 1);
    const uploaded = String(upload.with?.path);
    const files = reportFiles(job);
    expect(files.some((f) => f.endsWith('.xml'))).toBe(true); // JUnit XML
    expect(files.some((f) => f.endsWith('.json'))).toBe(true); // the run summary
    for (const f of files) expect(f.startsWith(uploaded)).toBe(true);
  });

  it('names every artifact differently (one per matrix entry)', () => {
    const names = Object.values(workflow.jobs).flatMap((j) => uploads(j).map((s) => String(s.with?.name)));
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toContain('${{ matrix.node }}');
  });

  it('leaves Ryuk on (GitHub runners can pull it) and names no registry or URL', () => {
    expect(text).not.toContain('TESTCONTAINERS_RYUK_DISABLED');
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/registry-url/);
  });
});

describe('README "In your CI" examples', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## In your CI'), readme.indexOf('\n## ', readme.indexOf('## In your CI') + 1));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as Record<string, unknown>);
  const commands = [...section.matchAll(/npx testbed run [^\n`]*/g)].map((m) => m[0]);

  it('has a GitHub Actions and a GitLab CI example that parse as YAML', () => {
    expect(blocks).toHaveLength(2);
    const [github, gitlab] = blocks as [Workflow, Record<string, { script?: string[]; artifacts?: { reports?: { junit?: string } } }>];
    expect(Object.keys(github.jobs)).toEqual(['test', 'container']);
    expect(runs(github.jobs.container)).toContain('npx testbed run --target container');
    expect(runs(github.jobs.test)).toContain('npm test -- --reporters=default --reporters=jest-junit');
    for (const job of Object.values(github.jobs)) expect(uploads(job)).toHaveLength(1);
    expect(gitlab.test.script).toContain('npm test -- --reporters=default --reporters=jest-junit');
    expect(gitlab.test.artifacts?.reports?.junit).toBe('reports/junit.xml');
    expect(gitlab.scenarios.artifacts?.reports?.junit).toBe('reports/junit.xml');
  });

  it('uses only options testbed run has', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const line of commands) expect(unknownRunOptions(line)).toEqual([]);
  });
});
