/**
 * Real clients against a started cloud: every SQS operation through each AWS CLI and each python3
 * with boto3 found on PATH (distinct installations each run: e.g. Debian's awscli 2.9 / boto3 1.26,
 * which speak the query protocol for SQS, and a recent pip/pyenv one, which speaks JSON 1.0).
 * Whichever protocol a client speaks is detected and printed. When no client is installed the test is
 * skipped with the reason in its title and on stderr. (Raw query-protocol posts for every operation,
 * independent of the installed clients, are in sqs-query.test.ts.)
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { md5, md5OfAttributes, SQS_OPERATIONS } from './sqs-helpers';

const MOVE_TASK_OPS = ['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask'];
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const TIMEOUT = 300_000;

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
  };
}

interface Cli {
  file: string;
  version: string;
  major: number;
}

/** AWS CLIs on PATH that answer `--version`; `skipped` says why the others were left out. */
function findClis(): { clis: Cli[]; skipped: string[] } {
  const clis: Cli[] = [];
  const skipped: string[] = [];
  for (const file of onPath('aws')) {
    try {
      const r = execFileSync(file, ['--version'], { env: clientEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      const version = r.trim();
      const m = /aws-cli\/(\d+)\./.exec(version);
      if (!m) throw new Error(`unexpected --version output: ${version}`);
      clis.push({ file, version, major: Number(m[1]) });
    } catch (e) {
      skipped.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { clis, skipped };
}

interface Python {
  file: string;
  boto3: string;
}

/** python3 interpreters on PATH that can import boto3. */
function findPythons(): { pythons: Python[]; skipped: string[] } {
  const pythons: Python[] = [];
  const skipped: string[] = [];
  for (const file of onPath('python3')) {
    try {
      const v = execFileSync(file, ['-c', 'import boto3; print(boto3.__version__)'], { env: clientEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      pythons.push({ file, boto3: v.trim() });
    } catch (e) {
      skipped.push(`${file}: no boto3 (${(e as Error).message.split('\n').find((l) => /Error/.test(l)) ?? 'import failed'})`);
    }
  }
  return { pythons, skipped };
}

function announceSkip(name: string, reason: string): void {
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
}

const skippedTitle = (name: string, reason: string) => `${name} [skipped: ${reason}]`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: clientEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let cloud: RunningCloud | undefined;
const getCloud = async () => (cloud ??= await startCloud({ port: 0, timeMode: 'compressed' }));
afterAll(async () => {
  await cloud?.stop();
});

// Each AWS CLI call starts a Python interpreter (about 3 s here), so driving every operation through
// every installed CLI takes minutes: opt in with TESTBED_CLI_TESTS=1. boto3 runs in one process and
// always runs when a python3 has it.
const cliOptIn = process.env.TESTBED_CLI_TESTS === '1';
const { clis, skipped: cliProblems } = cliOptIn ? findClis() : { clis: [] as Cli[], skipped: [] as string[] };
const { pythons, skipped: pythonProblems } = findPythons();

// ------------------------------------------------------------------------------------ AWS CLI

if (clis.length === 0) {
  const name = 'AWS CLI drives every SQS operation';
  const reason = !cliOptIn
    ? 'slow (one Python start per CLI call, minutes in all); set TESTBED_CLI_TESTS=1 to run it'
    : `no working AWS CLI on PATH${cliProblems.length ? ` (${cliProblems.join('; ')})` : ''}; install one, e.g. apt-get install awscli`;
  announceSkip(name, reason);
  it.skip(skippedTitle(name, reason), () => undefined);
}

// (A loop, not describe.each: .each refuses an empty table when no client is installed.)
for (const cli of clis) describe(cli.version, () => {
  let endpoint = '';
  let protocol = '';
  const passed = new Set<string>();
  const missing = new Map<string, string>();
  const stamp = `${Date.now().toString(36)}${cli.major}`;
  const name = `cli-${stamp}`;
  const dlq = `${name}-dlq`;
  let url = '';
  let dlqUrl = '';
  const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${dlq}`;

  /** `aws sqs <command> ...` answering JSON; a non-zero exit fails with its stderr. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function sqs(op: string, command: string, ...args: string[]): Promise<any> {
    const r = await run(cli.file, ['sqs', command, '--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args]);
    if (r.code !== 0) throw new Error(`aws sqs ${command} exited ${r.code}: ${r.stderr.trim()}`);
    passed.add(op);
    return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
  }

  /** A command that must fail: its `An error occurred (<code>) ... : <message>` line. */
  async function sqsError(command: string, ...args: string[]): Promise<{ code: string; message: string; stderr: string }> {
    const r = await run(cli.file, ['sqs', command, '--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args]);
    expect(r.code).not.toBe(0);
    const m = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/.exec(r.stderr);
    if (!m) throw new Error(`aws sqs ${command}: no AWS error in stderr: ${r.stderr}`);
    return { code: m[1], message: m[2].trim(), stderr: r.stderr };
  }

  /** `count` messages into a queue by JSON SendMessageBatch calls straight to the cloud. */
  async function seed(queueUrl: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 10) {
      const Entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: `e${j}`, MessageBody: `m${i + j}` }));
      const res = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
        body: JSON.stringify({ QueueUrl: queueUrl, Entries }),
      });
      const out = (await res.json()) as { Successful?: unknown[] };
      expect(out.Successful).toHaveLength(Entries.length);
    }
  }

  beforeAll(async () => {
    endpoint = (await getCloud()).endpoint;
    url = `${endpoint}/${ACCOUNT}/${name}`;
    dlqUrl = `${endpoint}/${ACCOUNT}/${dlq}`;
  });

  it('speaks query or JSON to SQS (detected from --debug)', async () => {
    const r = await run(cli.file, ['sqs', 'list-queues', '--endpoint-url', endpoint, '--region', REGION, '--debug']);
    expect(r.code).toBe(0);
    if (/X-Amz-Target['"]?: ['"]?AmazonSQS\.ListQueues/i.test(r.stderr)) protocol = 'json';
    else if (/['"]Action['"]: ['"]ListQueues['"]/.test(r.stderr) || /Action=ListQueues/.test(r.stderr)) protocol = 'query';
    expect(['json', 'query']).toContain(protocol);
    process.stderr.write(`sqs-clients: ${cli.file} (${cli.version}) speaks ${protocol} to SQS\n`);
  }, TIMEOUT);

  it('queues: create, get URL, list, attributes, redrive, DLQ sources, tags, permissions', async () => {
    expect((await sqs('CreateQueue', 'create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=40', '--tags', 'team=a')).QueueUrl).toBe(url);
    expect((await sqs('CreateQueue', 'create-queue', '--queue-name', dlq)).QueueUrl).toBe(dlqUrl);
    expect((await sqs('GetQueueUrl', 'get-queue-url', '--queue-name', name)).QueueUrl).toBe(url);
    expect((await sqs('ListQueues', 'list-queues', '--queue-name-prefix', name)).QueueUrls).toEqual([url, dlqUrl]);
    const all = (await sqs('GetQueueAttributes', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'All')).Attributes;
    expect(all).toMatchObject({ VisibilityTimeout: '40', QueueArn: arn, ApproximateNumberOfMessages: '0' });
    const unknown = await sqsError('get-queue-attributes', '--queue-url', url, '--attribute-names', 'Foobar');
    expect([unknown.code, unknown.message]).toEqual(['InvalidAttributeName', 'Unknown Attribute Foobar.']);

    // maxReceiveCount 5: the messages below are received twice and must stay in the queue.
    const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 });
    await sqs('SetQueueAttributes', 'set-queue-attributes', '--queue-url', url, '--attributes', JSON.stringify({ RedrivePolicy: redrive, VisibilityTimeout: '45' }));
    const got = (await sqs('GetQueueAttributes', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'RedrivePolicy', 'VisibilityTimeout')).Attributes;
    expect(got.VisibilityTimeout).toBe('45');
    expect(JSON.parse(got.RedrivePolicy)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 });
    expect((await sqs('ListDeadLetterSourceQueues', 'list-dead-letter-source-queues', '--queue-url', dlqUrl)).queueUrls).toEqual([url]);

    await sqs('TagQueue', 'tag-queue', '--queue-url', url, '--tags', 'env=dev');
    expect((await sqs('ListQueueTags', 'list-queue-tags', '--queue-url', url)).Tags).toEqual({ team: 'a', env: 'dev' });
    await sqs('UntagQueue', 'untag-queue', '--queue-url', url, '--tag-keys', 'team');
    expect((await sqs('ListQueueTags', 'list-queue-tags', '--queue-url', url)).Tags).toEqual({ env: 'dev' });

    await sqs('AddPermission', 'add-permission', '--queue-url', url, '--label', 'p1', '--aws-account-ids', '111122223333', '--actions', 'SendMessage', 'ReceiveMessage');
    const policy = JSON.parse((await sqs('GetQueueAttributes', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'Policy')).Attributes.Policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['p1']);
    await sqs('RemovePermission', 'remove-permission', '--queue-url', url, '--label', 'p1');
    expect((await sqs('GetQueueAttributes', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'Policy')).Attributes?.Policy).toBeUndefined();
  }, TIMEOUT);

  it('messages: send (attributes, MD5s), batch, receive, visibility, delete', async () => {
    const body = 'héllo <world> & "you"\r\nline2\ttab';
    // CLI v2 reads blob arguments as base64; v1 takes the text itself as the bytes.
    const binArg = 'AAEC+v8=';
    const binBytes = cli.major >= 2 ? Buffer.from(binArg, 'base64') : Buffer.from(binArg, 'utf8');
    const attrs = { colour: { DataType: 'String', StringValue: 'red' }, blob: { DataType: 'Binary', BinaryValue: binArg } };
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793';
    const sent = await sqs(
      'SendMessage',
      'send-message',
      '--queue-url',
      url,
      '--message-body',
      body,
      '--message-attributes',
      JSON.stringify(attrs),
      '--message-system-attributes',
      JSON.stringify({ AWSTraceHeader: { DataType: 'String', StringValue: trace } }),
    );
    const attrsBytes = { colour: attrs.colour, blob: { DataType: 'Binary', BinaryValue: binBytes } };
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(attrsBytes));

    const batch = await sqs(
      'SendMessageBatch',
      'send-message-batch',
      '--queue-url',
      url,
      '--entries',
      JSON.stringify([
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two' },
        { Id: 'c', MessageBody: 'bad \u0001' },
      ]),
    );
    expect(batch.Successful.map((e: { Id: string }) => e.Id)).toEqual(['a', 'b']);
    expect(batch.Successful[0].MD5OfMessageBody).toBe(md5('one'));
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: 'c', SenderFault: true, Code: 'InvalidMessageContents' })]);

    const received = (
      await sqs(
        'ReceiveMessage',
        'receive-message',
        '--queue-url',
        url,
        '--max-number-of-messages',
        '10',
        '--attribute-names',
        'All',
        '--message-attribute-names',
        'All',
        '--visibility-timeout',
        '60',
      )
    ).Messages as { MessageId: string; ReceiptHandle: string; Body: string; MD5OfBody: string; Attributes: Record<string, string>; MD5OfMessageAttributes: string; MessageAttributes: Record<string, Record<string, string>> }[];
    expect(received.map((m) => m.Body).sort()).toEqual([body, 'one', 'two'].sort());
    const first = received.find((m) => m.MessageId === sent.MessageId)!;
    expect(first.Body).toBe(body);
    expect(first.MD5OfBody).toBe(md5(body));
    expect(first.Attributes).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: trace });
    expect(first.MD5OfMessageAttributes).toBe(md5OfAttributes(attrsBytes));
    expect(first.MessageAttributes).toEqual({
      colour: { StringValue: 'red', DataType: 'String' },
      blob: { BinaryValue: binBytes.toString('base64'), DataType: 'Binary' },
    });
    expect((await sqs('ReceiveMessage', 'receive-message', '--queue-url', url)).Messages).toBeUndefined();

    const byBody = (b: string) => received.find((m) => m.Body === b)!;
    await sqs('ChangeMessageVisibility', 'change-message-visibility', '--queue-url', url, '--receipt-handle', byBody('one').ReceiptHandle, '--visibility-timeout', '0');
    const cv = await sqs(
      'ChangeMessageVisibilityBatch',
      'change-message-visibility-batch',
      '--queue-url',
      url,
      '--entries',
      JSON.stringify([
        { Id: 'c1', ReceiptHandle: byBody('two').ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'c2', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
      ]),
    );
    expect(cv.Successful).toEqual([{ Id: 'c1' }]);
    expect(cv.Failed).toEqual([expect.objectContaining({ Id: 'c2', Code: 'ReceiptHandleIsInvalid' })]);
    const again = (await sqs('ReceiveMessage', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10', '--attribute-names', 'ApproximateReceiveCount')).Messages;
    expect(again.map((m: { Body: string }) => m.Body).sort()).toEqual(['one', 'two']);
    for (const m of again) expect(m.Attributes).toEqual({ ApproximateReceiveCount: '2' });

    await sqs('DeleteMessage', 'delete-message', '--queue-url', url, '--receipt-handle', first.ReceiptHandle);
    const dm = await sqs(
      'DeleteMessageBatch',
      'delete-message-batch',
      '--queue-url',
      url,
      '--entries',
      JSON.stringify(again.map((m: { ReceiptHandle: string }, i: number) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle }))),
    );
    expect(dm.Successful.map((e: { Id: string }) => e.Id).sort()).toEqual(['d0', 'd1']);
    const counts = (await sqs('GetQueueAttributes', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible')).Attributes;
    expect(counts).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    const wait = await sqsError('receive-message', '--queue-url', url, '--wait-time-seconds', '50');
    expect([wait.code, wait.message]).toEqual(['InvalidParameterValue', 'Value 50 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.']);
  }, TIMEOUT);

  it('message move tasks: start, list, cancel (where the CLI has them)', async () => {
    // Seeded over the JSON protocol (a CLI call takes seconds): at 1 message a second the task
    // below runs for minutes, so it is still RUNNING when the CLI lists and cancels it.
    await seed(dlqUrl, 300);
    const probe = await run(cli.file, ['sqs', 'start-message-move-task', '--endpoint-url', endpoint, '--region', REGION, '--output', 'json', '--source-arn', dlqArn, '--destination-arn', arn, '--max-number-of-messages-per-second', '1']);
    if (/Invalid choice/i.test(probe.stderr)) {
      for (const op of MOVE_TASK_OPS) missing.set(op, `${cli.version.split(' ')[0]} has no ${op}`);
      process.stderr.write(`sqs-clients: ${cli.version.split(' ')[0]} has no message move task commands; not driven through it\n`);
      return;
    }
    if (probe.code !== 0) throw new Error(`start-message-move-task exited ${probe.code}: ${probe.stderr}`);
    passed.add('StartMessageMoveTask');
    const handle = JSON.parse(probe.stdout).TaskHandle as string;
    const tasks = (await sqs('ListMessageMoveTasks', 'list-message-move-tasks', '--source-arn', dlqArn, '--max-results', '10')).Results;
    expect(tasks.map((t: Record<string, unknown>) => [t.TaskHandle, t.Status, t.SourceArn, t.DestinationArn])).toEqual([[handle, 'RUNNING', dlqArn, arn]]);
    const cancelled = await sqs('CancelMessageMoveTask', 'cancel-message-move-task', '--task-handle', handle);
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(0);
  }, TIMEOUT);

  it('purge, delete, and the errors after', async () => {
    await sqs('PurgeQueue', 'purge-queue', '--queue-url', dlqUrl);
    const twice = await sqsError('purge-queue', '--queue-url', dlqUrl);
    expect(twice.code).toBe('AWS.SimpleQueueService.PurgeQueueInProgress');
    await sqs('DeleteQueue', 'delete-queue', '--queue-url', dlqUrl);
    await sqs('DeleteQueue', 'delete-queue', '--queue-url', url);
    const gone = await sqsError('get-queue-url', '--queue-name', name);
    expect(gone.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(gone.message).toBe(protocol === 'query' ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.');
  }, TIMEOUT);

  it('drove every operation it has', () => {
    const notDriven = SQS_OPERATIONS.filter((op) => !passed.has(op) && !missing.has(op));
    expect(notDriven).toEqual([]);
    process.stderr.write(
      `sqs-clients: ${cli.version.split(' ')[0]} (${protocol}): ${passed.size} operations passed` +
        (missing.size ? `; not in this client: ${[...missing.keys()].join(', ')}` : '') +
        '\n',
    );
  });
});

// ------------------------------------------------------------------------------------ boto3

const SCRIPT = path.join(__dirname, 'sqs-boto3.py');

if (pythons.length === 0) {
  const name = 'boto3 drives every SQS operation';
  const reason = `no python3 with boto3 on PATH${pythonProblems.length ? ` (${pythonProblems.join('; ')})` : ''}; install one, e.g. apt-get install python3-boto3`;
  announceSkip(name, reason);
  it.skip(skippedTitle(name, reason), () => undefined);
}

for (const py of pythons) describe(`boto3 ${py.boto3} (${py.file})`, () => {
  it(
    'drives every SQS operation it has (test/services/sqs-boto3.py)',
    async () => {
      const { endpoint } = await getCloud();
      const r = await run(py.file, [SCRIPT, endpoint]);
      if (r.code !== 0) throw new Error(`sqs-boto3.py exited ${r.code}:\n${r.stderr}`);
      const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
        boto3: string;
        botocore: string;
        protocol: string;
        passed: string[];
        missing: Record<string, string>;
      };
      expect(['json', 'query']).toContain(result.protocol);
      expect(SQS_OPERATIONS.filter((op) => !result.passed.includes(op) && !(op in result.missing))).toEqual([]);
      // Only the move-task operations may be missing (botocore before mid-2023).
      expect(Object.keys(result.missing).filter((op) => !MOVE_TASK_OPS.includes(op))).toEqual([]);
      process.stderr.write(
        `sqs-clients: boto3 ${result.boto3} / botocore ${result.botocore} (${py.file}) speaks ${result.protocol}: ${result.passed.length} operations passed` +
          (Object.keys(result.missing).length ? `; not in this client: ${Object.keys(result.missing).join(', ')}` : '') +
          '\n',
      );
    },
    TIMEOUT,
  );
});
