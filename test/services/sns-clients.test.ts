/**
 * Real clients against a started cloud: every SNS operation the cloud has through each python3 with
 * boto3 on PATH (test/services/sns-boto3.py; botocore speaks the query protocol to SNS), and, opted
 * in with TESTBED_CLI_TESTS=1 (one Python start per call, minutes in all), through each AWS CLI on
 * PATH. When no client is installed the test is skipped with the reason in its title and on stderr.
 * (The client discovery mirrors sqs-clients.test.ts.)
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startCloud, type RunningCloud } from '../../src/cloud';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const TIMEOUT = 300_000;

/** The operations the cloud has (each client must drive them all). */
const SNS_OPERATIONS = [
  'CreateTopic',
  'DeleteTopic',
  'ListTopics',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Subscribe',
  'ConfirmSubscription',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'Publish',
  'PublishBatch',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'AddPermission',
  'RemovePermission',
];

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

/** Dummy credentials and region, no user config, no retries. */
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

function probe(file: string, args: string[]): string | Error {
  try {
    return execFileSync(file, args, { env: clientEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
  } catch (e) {
    return e as Error;
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeout = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: clientEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const skip = (name: string, reason: string) => {
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
  it.skip(`${name} [skipped: ${reason}]`, () => undefined);
};

let cloud: RunningCloud | undefined;
const getCloud = async () => (cloud ??= await startCloud({ port: 0, timeMode: 'compressed' }));
afterAll(async () => {
  await cloud?.stop();
});

// ------------------------------------------------------------------------------------ boto3

const pythons = onPath('python3')
  .map((file) => ({ file, boto3: probe(file, ['-c', 'import boto3; print(boto3.__version__)']) }))
  .filter((p): p is { file: string; boto3: string } => typeof p.boto3 === 'string');

if (pythons.length === 0) skip('boto3 drives every SNS operation', 'no python3 with boto3 on PATH; install one, e.g. apt-get install python3-boto3');

for (const py of pythons) describe(`boto3 ${py.boto3} (${py.file})`, () => {
  it(
    'drives every SNS operation (test/services/sns-boto3.py)',
    async () => {
      const { endpoint } = await getCloud();
      const r = await run(py.file, [path.join(__dirname, 'sns-boto3.py'), endpoint]);
      if (r.code !== 0) throw new Error(`sns-boto3.py exited ${r.code}:\n${r.stderr}`);
      const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { boto3: string; botocore: string; protocol: string; passed: string[] };
      expect(result.protocol).toBe('query');
      expect(SNS_OPERATIONS.filter((op) => !result.passed.includes(op))).toEqual([]);
      process.stderr.write(`sns-clients: boto3 ${result.boto3} / botocore ${result.botocore} (${py.file}): ${result.passed.length} operations passed\n`);
    },
    TIMEOUT,
  );
});

// ------------------------------------------------------------------------------------ AWS CLI

const cliOptIn = process.env.TESTBED_CLI_TESTS === '1';
const clis = cliOptIn
  ? onPath('aws')
      .map((file) => ({ file, version: probe(file, ['--version']) }))
      .filter((c): c is { file: string; version: string } => typeof c.version === 'string' && /aws-cli\/\d/.test(c.version))
  : [];

if (clis.length === 0) {
  skip(
    'AWS CLI drives every SNS operation',
    cliOptIn ? 'no working AWS CLI on PATH; install one, e.g. apt-get install awscli' : 'slow (one Python start per CLI call, minutes in all); set TESTBED_CLI_TESTS=1 to run it',
  );
}

for (const cli of clis) describe(cli.version, () => {
  it(
    'drives every SNS operation',
    async () => {
      const { endpoint } = await getCloud();
      const passed = new Set<string>();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const sns = async (op: string, command: string, ...args: string[]): Promise<any> => {
        const r = await run(cli.file, ['sns', command, '--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args]);
        if (r.code !== 0) throw new Error(`aws sns ${command} exited ${r.code}: ${r.stderr.trim()}`);
        passed.add(op);
        return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
      };
      const snsError = async (command: string, ...args: string[]) => {
        const r = await run(cli.file, ['sns', command, '--endpoint-url', endpoint, '--region', REGION, ...args]);
        expect(r.code).not.toBe(0);
        const m = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/.exec(r.stderr);
        if (!m) throw new Error(`aws sns ${command}: no AWS error in stderr: ${r.stderr}`);
        return { code: m[1], message: m[2].trim() };
      };

      // An HTTP endpoint for the confirmation token.
      const bodies: string[] = [];
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push(Buffer.concat(chunks).toString('utf8'));
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const name = `cli-${process.pid}-${cli.version.split('/')[1]?.split(' ')[0].replace(/\./g, '-')}`;
        const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
        expect((await sns('CreateTopic', 'create-topic', '--name', name, '--attributes', 'DisplayName=D', '--tags', 'Key=team,Value=a')).TopicArn).toBe(arn);
        expect((await sns('ListTopics', 'list-topics')).Topics.map((t: { TopicArn: string }) => t.TopicArn)).toContain(arn);
        await sns('SetTopicAttributes', 'set-topic-attributes', '--topic-arn', arn, '--attribute-name', 'DisplayName', '--attribute-value', 'E');
        expect((await sns('GetTopicAttributes', 'get-topic-attributes', '--topic-arn', arn)).Attributes).toMatchObject({ DisplayName: 'E', TopicArn: arn });
        expect(await snsError('get-topic-attributes', '--topic-arn', `${arn}x`)).toEqual({ code: 'NotFound', message: 'Topic does not exist' });
        await sns('TagResource', 'tag-resource', '--resource-arn', arn, '--tags', 'Key=env,Value=dev');
        await sns('UntagResource', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
        expect((await sns('ListTagsForResource', 'list-tags-for-resource', '--resource-arn', arn)).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
        await sns('AddPermission', 'add-permission', '--topic-arn', arn, '--label', 'p1', '--aws-account-id', '111122223333', '--action-name', 'Publish');
        await sns('RemovePermission', 'remove-permission', '--topic-arn', arn, '--label', 'p1');

        const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-q`;
        const sub = (await sns('Subscribe', 'subscribe', '--topic-arn', arn, '--protocol', 'sqs', '--notification-endpoint', queueArn, '--return-subscription-arn')).SubscriptionArn;
        expect(sub).toMatch(new RegExp(`^${arn}:`));
        await sns('SetSubscriptionAttributes', 'set-subscription-attributes', '--subscription-arn', sub, '--attribute-name', 'RawMessageDelivery', '--attribute-value', 'true');
        expect((await sns('GetSubscriptionAttributes', 'get-subscription-attributes', '--subscription-arn', sub)).Attributes).toMatchObject({ RawMessageDelivery: 'true' });
        expect((await sns('ListSubscriptions', 'list-subscriptions')).Subscriptions.map((s: { SubscriptionArn: string }) => s.SubscriptionArn)).toContain(sub);
        const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
        expect((await sns('Subscribe', 'subscribe', '--topic-arn', arn, '--protocol', 'http', '--notification-endpoint', endpointUrl)).SubscriptionArn).toBe('pending confirmation');
        for (let i = 0; i < 100 && bodies.length === 0; i++) await cloud!.cloud.clock.advanceBy(100);
        const token = JSON.parse(bodies[0]).Token as string;
        expect((await sns('ConfirmSubscription', 'confirm-subscription', '--topic-arn', arn, '--token', token)).SubscriptionArn).toMatch(new RegExp(`^${arn}:`));
        expect((await sns('ListSubscriptionsByTopic', 'list-subscriptions-by-topic', '--topic-arn', arn)).Subscriptions).toHaveLength(2);
        expect((await sns('Publish', 'publish', '--topic-arn', arn, '--message', 'hello', '--subject', 'S')).MessageId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await snsError('publish', '--topic-arn', arn, '--message', 'x', '--subject', '')).toEqual({ code: 'InvalidParameter', message: 'Invalid parameter: Subject' });
        const batch = await sns('PublishBatch', 'publish-batch', '--topic-arn', arn, '--publish-batch-request-entries', JSON.stringify([{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two' }]));
        expect(batch.Successful.map((s: { Id: string }) => s.Id)).toEqual(['a', 'b']);
        await sns('Unsubscribe', 'unsubscribe', '--subscription-arn', sub);
        await sns('DeleteTopic', 'delete-topic', '--topic-arn', arn);
        expect(SNS_OPERATIONS.filter((op) => !passed.has(op))).toEqual([]);
        process.stderr.write(`sns-clients: ${cli.version.split(' ')[0]}: ${passed.size} operations passed\n`);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
    TIMEOUT,
  );
});
