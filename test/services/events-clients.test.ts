/**
 * Real clients against a started cloud: every EventBridge operation through each python3 with
 * boto3 found on PATH (test/services/events-boto3.py, always when there is one) and through each
 * AWS CLI (opt in with TESTBED_CLI_TESTS=1: each CLI call starts a Python interpreter, seconds
 * each). When no client is installed the test is skipped with the reason in its title and on stderr.
 * (Client discovery is the same as sqs-clients.test.ts's.)
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { EVENTS_OPERATIONS } from './events-helpers';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const TIMEOUT = 300_000;

/** Every executable called `name` on PATH, one per installation. */
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

/** Fixed dummy credentials and region, no user config, no retries. */
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
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: clientEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function probe(file: string, args: string[]): string {
  return execFileSync(file, args, { env: clientEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
}

function announceSkip(name: string, reason: string): void {
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
}

let cloud: RunningCloud | undefined;
const getCloud = async () => (cloud ??= await startCloud({ port: 0, timeMode: 'compressed' }));
afterAll(async () => {
  await cloud?.stop();
});

const pythons: { file: string; boto3: string }[] = [];
const pythonProblems: string[] = [];
for (const file of onPath('python3')) {
  try {
    pythons.push({ file, boto3: probe(file, ['-c', 'import boto3; print(boto3.__version__)']) });
  } catch {
    pythonProblems.push(`${file}: no boto3`);
  }
}

const cliOptIn = process.env.TESTBED_CLI_TESTS === '1';
const clis: { file: string; version: string }[] = [];
const cliProblems: string[] = [];
if (cliOptIn) {
  for (const file of onPath('aws')) {
    try {
      clis.push({ file, version: probe(file, ['--version']) });
    } catch (e) {
      cliProblems.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

// ------------------------------------------------------------------------------------ boto3

if (pythons.length === 0) {
  const name = 'boto3 drives every EventBridge operation';
  const reason = `no python3 with boto3 on PATH${pythonProblems.length ? ` (${pythonProblems.join('; ')})` : ''}; install one, e.g. apt-get install python3-boto3`;
  announceSkip(name, reason);
  it.skip(`${name} [skipped: ${reason}]`, () => undefined);
}

for (const py of pythons) {
  it(
    `boto3 ${py.boto3} (${py.file}) drives every EventBridge operation (test/services/events-boto3.py)`,
    async () => {
      const { endpoint } = await getCloud();
      const r = await run(py.file, [path.join(__dirname, 'events-boto3.py'), endpoint]);
      if (r.code !== 0) throw new Error(`events-boto3.py exited ${r.code}:\n${r.stderr}`);
      const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { boto3: string; botocore: string; passed: string[] };
      expect(EVENTS_OPERATIONS.filter((op) => !result.passed.includes(op))).toEqual([]);
      process.stderr.write(`events-clients: boto3 ${result.boto3} / botocore ${result.botocore} (${py.file}): ${result.passed.length} operations passed\n`);
    },
    TIMEOUT,
  );
}

// ------------------------------------------------------------------------------------ AWS CLI

if (clis.length === 0) {
  const name = 'AWS CLI drives every EventBridge operation';
  const reason = !cliOptIn
    ? 'slow (one Python start per CLI call); set TESTBED_CLI_TESTS=1 to run it'
    : `no working AWS CLI on PATH${cliProblems.length ? ` (${cliProblems.join('; ')})` : ''}; install one, e.g. apt-get install awscli`;
  announceSkip(name, reason);
  it.skip(`${name} [skipped: ${reason}]`, () => undefined);
}

for (const cli of clis) {
  it(
    `${cli.version} drives every EventBridge operation`,
    async () => {
      const { endpoint } = await getCloud();
      const passed = new Set<string>();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const aws = async (service: string, op: string | undefined, command: string, ...args: string[]): Promise<any> => {
        const r = await run(cli.file, [service, command, '--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args]);
        if (r.code !== 0) throw new Error(`aws ${service} ${command} exited ${r.code}: ${r.stderr.trim()}`);
        if (op) passed.add(op);
        return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
      };
      const stamp = `${Date.now().toString(36)}`;
      const bus = `cli-bus-${stamp}`;
      const rule = `cli-rule-${stamp}`;
      const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`;
      const q = await aws('sqs', undefined, 'create-queue', '--queue-name', `cli-q-${stamp}`);
      const qArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:cli-q-${stamp}`;

      expect((await aws('events', 'CreateEventBus', 'create-event-bus', '--name', bus, '--tags', 'Key=k,Value=v')).EventBusArn).toBe(busArn);
      expect((await aws('events', 'DescribeEventBus', 'describe-event-bus', '--name', bus)).Name).toBe(bus);
      expect((await aws('events', 'ListEventBuses', 'list-event-buses', '--name-prefix', bus)).EventBuses.map((b: { Name: string }) => b.Name)).toEqual([bus]);
      const ruleArn = (await aws('events', 'PutRule', 'put-rule', '--name', rule, '--event-bus-name', bus, '--event-pattern', '{"source":["cli.test"]}')).RuleArn;
      expect(ruleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus}/${rule}`);
      expect((await aws('events', 'DescribeRule', 'describe-rule', '--name', rule, '--event-bus-name', bus)).State).toBe('ENABLED');
      expect((await aws('events', 'ListRules', 'list-rules', '--event-bus-name', bus)).Rules.map((r: { Name: string }) => r.Name)).toEqual([rule]);
      await aws('events', 'DisableRule', 'disable-rule', '--name', rule, '--event-bus-name', bus);
      await aws('events', 'EnableRule', 'enable-rule', '--name', rule, '--event-bus-name', bus);
      const targets = JSON.stringify([{ Id: 'q', Arn: qArn, InputPath: '$.detail' }]);
      expect((await aws('events', 'PutTargets', 'put-targets', '--rule', rule, '--event-bus-name', bus, '--targets', targets)).FailedEntryCount).toBe(0);
      expect((await aws('events', 'ListTargetsByRule', 'list-targets-by-rule', '--rule', rule, '--event-bus-name', bus)).Targets).toEqual([{ Id: 'q', Arn: qArn, InputPath: '$.detail' }]);
      expect((await aws('events', 'ListRuleNamesByTarget', 'list-rule-names-by-target', '--target-arn', qArn, '--event-bus-name', bus)).RuleNames).toEqual([rule]);
      const entries = JSON.stringify([{ Source: 'cli.test', DetailType: 't', Detail: '{"n": 1}', EventBusName: bus }]);
      expect((await aws('events', 'PutEvents', 'put-events', '--entries', entries)).FailedEntryCount).toBe(0);
      const got = await aws('sqs', undefined, 'receive-message', '--queue-url', q.QueueUrl, '--wait-time-seconds', '20');
      expect(got.Messages.map((m: { Body: string }) => JSON.parse(m.Body))).toEqual([{ n: 1 }]);
      const ev = JSON.stringify({ id: '1', source: 'cli.test', 'detail-type': 't', account: ACCOUNT, region: REGION, time: '2024-01-01T00:00:00Z' });
      expect((await aws('events', 'TestEventPattern', 'test-event-pattern', '--event-pattern', '{"source":["cli.test"]}', '--event', ev)).Result).toBe(true);
      await aws('events', 'TagResource', 'tag-resource', '--resource-arn', ruleArn, '--tags', 'Key=a,Value=1');
      expect((await aws('events', 'ListTagsForResource', 'list-tags-for-resource', '--resource-arn', ruleArn)).Tags).toEqual([{ Key: 'a', Value: '1' }]);
      await aws('events', 'UntagResource', 'untag-resource', '--resource-arn', ruleArn, '--tag-keys', 'a');
      await aws('events', 'RemoveTargets', 'remove-targets', '--rule', rule, '--event-bus-name', bus, '--ids', 'q');
      await aws('events', 'DeleteRule', 'delete-rule', '--name', rule, '--event-bus-name', bus);
      await aws('events', 'DeleteEventBus', 'delete-event-bus', '--name', bus);
      const gone = await run(cli.file, ['events', 'describe-event-bus', '--endpoint-url', endpoint, '--region', REGION, '--name', bus]);
      // (CLI v2 adds "(reached max retries: 0)" after the operation name)
      expect(gone.stderr).toMatch(new RegExp(`An error occurred \\(ResourceNotFoundException\\) when calling the DescribeEventBus operation(?: \\([^)]*\\))?: Event bus ${bus} does not exist\\.`));
      expect(EVENTS_OPERATIONS.filter((op) => !passed.has(op))).toEqual([]);
    },
    TIMEOUT,
  );
}
