/**
 * Real clients against a started cloud: every SQS operation through each AWS CLI and each python3
 * with boto3 found on PATH (distinct installations each run: e.g. Debian's awscli 2.9 / boto3 1.26,
 * which speak the query protocol for SQS, and a recent pip/pyenv one, which speaks JSON 1.0).
 * Whichever protocol a client speaks is detected and printed. When no client is installed the test is
 * skipped with the reason in its title and on stderr. (Raw query-protocol posts for every operation,
 * independent of the installed clients, are in sqs-query.test.ts; client discovery and running are in
 * real-clients.ts.)
 */
import { ACCOUNT, boto3Tests, CliSession, describeEachCli, lazyCloud, notDriven, REGION, reportClient, TIMEOUT } from './real-clients';
import { md5, md5OfAttributes, SQS_OPERATIONS } from './sqs-helpers';

const MOVE_TASK_OPS = ['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask'];

const getCloud = lazyCloud();

// ------------------------------------------------------------------------------------ AWS CLI

describeEachCli('SQS', (cli) => {
  let endpoint = '';
  let protocol = '';
  let aws: CliSession;
  const missing = new Map<string, string>();
  const stamp = `${Date.now().toString(36)}${cli.major}`;
  const name = `cli-${stamp}`;
  const dlq = `${name}-dlq`;
  let url = '';
  let dlqUrl = '';
  const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${dlq}`;

  /** `aws sqs <command> ...` answering JSON; a non-zero exit fails with its stderr. */
  const sqs = (op: string, command: string, ...args: string[]) => aws.call('sqs', op, command, ...args);
  /** A command that must fail: its AWS error. */
  const sqsError = (command: string, ...args: string[]) => aws.error('sqs', command, ...args);

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
    aws = new CliSession(cli, endpoint);
    url = `${endpoint}/${ACCOUNT}/${name}`;
    dlqUrl = `${endpoint}/${ACCOUNT}/${dlq}`;
  });

  it('speaks query or JSON to SQS (detected from --debug)', async () => {
    const r = await aws.run('sqs', 'list-queues', '--debug');
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
    const probe = await aws.run('sqs', 'start-message-move-task', '--source-arn', dlqArn, '--destination-arn', arn, '--max-number-of-messages-per-second', '1');
    if (/Invalid choice/i.test(probe.stderr)) {
      for (const op of MOVE_TASK_OPS) missing.set(op, `${aws.name} has no ${op}`);
      process.stderr.write(`sqs-clients: ${aws.name} has no message move task commands; not driven through it\n`);
      return;
    }
    if (probe.code !== 0) throw new Error(`start-message-move-task exited ${probe.code}: ${probe.stderr}`);
    aws.passed.add('StartMessageMoveTask');
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
    expect(notDriven(SQS_OPERATIONS, aws.passed, missing.keys())).toEqual([]);
    reportClient('sqs-clients', aws.name, protocol, aws.passed.size, [...missing.keys()]);
  });
});

// ------------------------------------------------------------------------------------ boto3

boto3Tests({
  service: 'SQS',
  script: 'sqs-boto3.py',
  title: 'drives every SQS operation it has (test/services/sqs-boto3.py)',
  operations: SQS_OPERATIONS,
  // Only the move-task operations may be missing (botocore before mid-2023).
  mayLack: MOVE_TASK_OPS,
  cloud: getCloud,
  check: (result) => expect(['json', 'query']).toContain(result.protocol),
  log: 'sqs-clients',
});
