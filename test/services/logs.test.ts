import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { Clock } from '../../src/cloud/clock';
import { LogsStore, logsService } from '../../src/cloud/services/logs';
import { clientConfig, rawPost, startServer, TestServer, expectError } from './helpers';

let server: TestServer;
let store: LogsStore;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  const clock = new Clock();
  store = new LogsStore(clock);
  server = await startServer({ json: [logsService(store)] }, clock);
  logs = new CloudWatchLogsClient(clientConfig(server));
});

afterAll(async () => {
  logs.destroy();
  await server.close();
});

describe('log groups', () => {
  test('create, describe (prefix, limit, paging), delete', async () => {
    for (const n of ['/t/groups/a', '/t/groups/b', '/t/groups/c']) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const all = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/groups/' }));
    expect(all.logGroups!.map((g) => g.logGroupName)).toEqual(['/t/groups/a', '/t/groups/b', '/t/groups/c']);
    const g = all.logGroups![0];
    expect(g.arn).toBe('arn:aws:logs:us-east-1:000000000000:log-group:/t/groups/a:*');
    expect(g.logGroupArn).toBe('arn:aws:logs:us-east-1:000000000000:log-group:/t/groups/a');
    expect(Math.abs(g.creationTime! - server.clock.now())).toBeLessThan(5000);
    expect(g.storedBytes).toBe(0);
    expect(g.metricFilterCount).toBe(0);
    expect(all.nextToken).toBeUndefined();

    const p1 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/groups/', limit: 2 }));
    expect(p1.logGroups!.map((x) => x.logGroupName)).toEqual(['/t/groups/a', '/t/groups/b']);
    expect(p1.nextToken).toBeDefined();
    const p2 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/groups/', limit: 2, nextToken: p1.nextToken }));
    expect(p2.logGroups!.map((x) => x.logGroupName)).toEqual(['/t/groups/c']);
    expect(p2.nextToken).toBeUndefined();

    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/t/groups/b' }));
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/groups/' }));
    expect(after.logGroups!.map((x) => x.logGroupName)).toEqual(['/t/groups/a', '/t/groups/c']);
  });

  test('duplicates, unknown groups and bad input are AWS errors', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/t/dup' }));
    await expectError(logs.send(new CreateLogGroupCommand({ logGroupName: '/t/dup' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
    await expectError(logs.send(new DeleteLogGroupCommand({ logGroupName: '/t/nope' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await expectError(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })),
      'InvalidParameterException',
      "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    await expectError(
      logs.send(new DescribeLogGroupsCommand({ limit: 51 })),
      'InvalidParameterException',
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    await expectError(logs.send(new DescribeLogGroupsCommand({ limit: 0 })), 'InvalidParameterException', /greater than or equal to 1/);
    await expectError(logs.send(new DescribeLogGroupsCommand({ nextToken: 'garbage' })), 'InvalidParameterException');
  });

  test('retention and tags', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/t/ret', tags: { team: 'a' } }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/t/ret', retentionInDays: 7 }));
    let g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/ret' }))).logGroups![0];
    expect(g.retentionInDays).toBe(7);
    await expectError(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/t/ret', retentionInDays: 2 })), 'InvalidParameterException', /enum value set: \[1, 3, 5, 7, 14/);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/t/ret' }));
    g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/t/ret' }))).logGroups![0];
    expect(g.retentionInDays).toBeUndefined();

    const arn = g.logGroupArn!;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'a', env: 'test' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/t/ret' }))).tags).toEqual({ env: 'test' });
    await expectError(
      logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/t/none' })),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });
});

describe('log streams and events', () => {
  const group = '/t/events';

  beforeAll(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const s of ['s-b', 's-a', 'other']) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
  });

  test('streams: create, duplicate, describe with prefix, order, paging, delete', async () => {
    await expectError(
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's-a' })),
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    );
    await expectError(
      logs.send(new CreateLogStreamCommand({ logGroupName: '/t/none', logStreamName: 'x' })),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await expectError(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a:b' })), 'InvalidParameterException', /\[\^:\*\]\*/);
    const s = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 's-' }));
    expect(s.logStreams!.map((x) => x.logStreamName)).toEqual(['s-a', 's-b']);
    expect(s.logStreams![0].arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:s-a`);
    const desc = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, descending: true, limit: 2 }));
    expect(desc.logStreams!.map((x) => x.logStreamName)).toEqual(['s-b', 's-a']);
    const next = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, descending: true, limit: 2, nextToken: desc.nextToken }));
    expect(next.logStreams!.map((x) => x.logStreamName)).toEqual(['other']);
    expect(next.nextToken).toBeUndefined();
    await expectError(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 's' })),
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'temp' }));
    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'temp' }));
    await expectError(
      logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'temp' })),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
  });

  test('PutLogEvents, GetLogEvents with f/ b/ tokens', async () => {
    const now = server.clock.now();
    const events = Array.from({ length: 5 }, (_, i) => ({ timestamp: now - 5000 + i * 1000, message: `line ${i}` }));
    const put = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's-a', logEvents: events, sequenceToken: 'ignored' }));
    expect(put.nextSequenceToken).toBeDefined();
    expect(put.rejectedLogEventsInfo).toBeUndefined();

    // default: the last events of the stream
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', limit: 2 }));
    expect(tail.events!.map((e) => e.message)).toEqual(['line 3', 'line 4']);
    expect(tail.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(tail.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', limit: 2, nextToken: tail.nextBackwardToken }));
    expect(back.events!.map((e) => e.message)).toEqual(['line 1', 'line 2']);
    // at the end, the same forward token comes back
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', nextToken: tail.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);

    // from the head, paging forward until the token repeats
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', limit: 2, startFromHead: true, nextToken: token }));
      seen.push(...r.events!.map((e) => e.message!));
      if (r.nextForwardToken === token) break;
      token = r.nextForwardToken;
    }
    expect(seen).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);

    const ranged = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', startTime: events[1].timestamp, endTime: events[3].timestamp, startFromHead: true }),
    );
    expect(ranged.events!.map((e) => e.message)).toEqual(['line 1', 'line 2']);
    expect(ranged.events![0].ingestionTime).toBeGreaterThanOrEqual(now);

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 1 }));
    expect(streams.logStreams![0].logStreamName).toBe('s-a');
    expect(streams.logStreams![0].firstEventTimestamp).toBe(events[0].timestamp);
    expect(streams.logStreams![0].lastEventTimestamp).toBe(events[4].timestamp);

    await expectError(
      logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' })),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
    await expectError(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', limit: 10001 })), 'InvalidParameterException');
    await expectError(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's-a', nextToken: 'x/1' })), 'InvalidParameterException');
  });

  test('PutLogEvents reports too old, expired and too new events in rejectedLogEventsInfo', async () => {
    const now = server.clock.now();
    const H = 3600 * 1000;
    const old = await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'other',
        logEvents: [
          { timestamp: now - 14 * 24 * H - 2 * H, message: 'ancient' },
          { timestamp: now - 14 * 24 * H - H, message: 'old' },
          { timestamp: now - 14 * 24 * H + H, message: 'kept-old' },
        ],
      }),
    );
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const future = await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'other',
        logEvents: [
          { timestamp: now, message: 'kept-now' },
          { timestamp: now + 3 * H, message: 'future' },
        ],
      }),
    );
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'other', startFromHead: true }));
    expect(got.events!.map((e) => e.message)).toEqual(['kept-old', 'kept-now']);

    await logs.send(new CreateLogGroupCommand({ logGroupName: '/t/retained' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/t/retained', logStreamName: 's' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/t/retained', retentionInDays: 1 }));
    const expired = await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/t/retained',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 25 * H, message: 'expired' },
          { timestamp: now - H, message: 'fresh' },
        ],
      }),
    );
    expect(expired.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
  });

  test('PutLogEvents: span over 24 h, out of order, empty, unknown stream', async () => {
    const now = server.clock.now();
    await expectError(
      logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'other', logEvents: [{ timestamp: now - 25 * 3600 * 1000, message: 'a' }, { timestamp: now, message: 'b' }] })),
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    await expectError(
      logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'other', logEvents: [{ timestamp: now, message: 'a' }, { timestamp: now - 1, message: 'b' }] })),
      'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
    await expectError(
      logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'other', logEvents: [] })),
      'InvalidParameterException',
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectError(
      logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'missing', logEvents: [{ timestamp: now, message: 'a' }] })),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
  });
});

describe('FilterLogEvents', () => {
  const group = '/t/filter';
  let base: number;

  beforeAll(async () => {
    base = server.clock.now() - 60_000;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const lines: Record<string, string[]> = {
      'app/1': ['INFO started', '{"level":"ERROR","code":500,"msg":"boom"}', 'ERROR Exception in thread', 'WARN disk nearly full'],
      'app/2': ['{"level":"INFO","code":200}', 'ERROR timeout talking to db', 'DEBUG noisy'],
      'web/1': ['ERROR from web'],
    };
    let t = base;
    for (const [stream, msgs] of Object.entries(lines)) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: msgs.map((message) => ({ timestamp: (t += 1000), message })) }));
    }
  });

  const messages = async (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events!.map((e) => e.message);

  test('all events in timestamp order with stream name and event id', async () => {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(r.events).toHaveLength(8);
    expect(r.events!.map((e) => e.timestamp)).toEqual([...r.events!.map((e) => e.timestamp!)].sort((a, b) => a - b));
    expect(r.events![0]).toMatchObject({ logStreamName: 'app/1', message: 'INFO started' });
    expect(r.events![0].eventId).toMatch(/^\d{56}$/);
    expect(r.nextToken).toBeUndefined();
  });

  test('text, phrase, OR, exclusion and JSON patterns', async () => {
    expect(await messages({ filterPattern: 'ERROR' })).toEqual(['{"level":"ERROR","code":500,"msg":"boom"}', 'ERROR Exception in thread', 'ERROR timeout talking to db', 'ERROR from web']);
    expect(await messages({ filterPattern: 'ERROR Exception' })).toEqual(['ERROR Exception in thread']);
    expect(await messages({ filterPattern: '"talking to db"' })).toEqual(['ERROR timeout talking to db']);
    expect(await messages({ filterPattern: '?WARN ?DEBUG' })).toEqual(['WARN disk nearly full', 'DEBUG noisy']);
    expect(await messages({ filterPattern: 'ERROR -web -Exception -boom' })).toEqual(['ERROR timeout talking to db']);
    expect(await messages({ filterPattern: '{ $.level = "ERROR" }' })).toEqual(['{"level":"ERROR","code":500,"msg":"boom"}']);
    expect(await messages({ filterPattern: '{ $.level != "ERROR" }' })).toEqual(['{"level":"INFO","code":200}']);
    expect(await messages({ filterPattern: '{ $.code >= 500 }' })).toEqual(['{"level":"ERROR","code":500,"msg":"boom"}']);
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = }' })), 'InvalidParameterException', 'Invalid filter pattern');
  });

  test('stream selection, time range, limit and nextToken', async () => {
    expect(await messages({ logStreamNames: ['web/1'] })).toEqual(['ERROR from web']);
    expect(await messages({ logStreamNamePrefix: 'app/2' })).toHaveLength(3);
    expect(await messages({ startTime: base + 2000, endTime: base + 3000 })).toEqual(['{"level":"ERROR","code":500,"msg":"boom"}', 'ERROR Exception in thread']);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`, limit: 3, nextToken }));
      seen.push(...r.events!.map((e) => e.message!));
      nextToken = r.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    await expectError(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' })),
      'InvalidParameterException',
    );
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: '/t/none' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await expectError(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, logGroupIdentifier: group })),
      'InvalidParameterException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  });

  test('the Lambda log sink creates groups and streams and is readable through the API', async () => {
    store.put('us-east-1', '000000000000', '/aws/lambda/fn', '2024/01/01/[$LATEST]abc', [{ timestamp: server.clock.now(), message: 'START RequestId: 1 Version: $LATEST\n' }]);
    const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn' }));
    expect(g.logGroups![0].storedBytes).toBeGreaterThan(0);
    const s = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/fn' }));
    expect(s.logStreams!.map((x) => x.logStreamName)).toEqual(['2024/01/01/[$LATEST]abc']);
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fn', filterPattern: 'START' }));
    expect(r.events![0].message).toBe('START RequestId: 1 Version: $LATEST\n');
    // other regions see nothing
    const eu = new CloudWatchLogsClient({ ...clientConfig(server), region: 'eu-west-1' });
    expect((await eu.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    eu.destroy();
  });
});

describe('JSON protocol on the wire', () => {
  const target = (op: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` });

  test('malformed JSON body is a SerializationException and the server keeps serving', async () => {
    const r = await rawPost(server, target('DescribeLogGroups'), '{"limit": ');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(JSON.parse(r.text)).toEqual({ __type: 'SerializationException' });
    const list = await rawPost(server, target('DescribeLogGroups'), '[]');
    expect(JSON.parse(list.text)).toEqual({ __type: 'SerializationException', Message: 'Start of list found where not expected' });
    const ok = await rawPost(server, target('DescribeLogGroups'), '');
    expect(ok.status).toBe(200);
    expect(Array.isArray(JSON.parse(ok.text).logGroups)).toBe(true);
  });

  test('wrong member types are SerializationExceptions', async () => {
    const r = await rawPost(server, target('DescribeLogGroups'), '{"limit":"ten"}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).__type).toBe('SerializationException');
  });

  test('unknown operation and unknown target prefix', async () => {
    const r = await rawPost(server, target('NoSuchThing'), '{}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ __type: 'UnknownOperationException' });
    const p = await rawPost(server, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Nope_2020.DescribeLogGroups' }, '{}');
    expect(p.status).toBe(400);
    expect(JSON.parse(p.text).__type).toBe('UnknownOperationException');
  });

  test('error bodies carry __type, message and x-amzn-ErrorType', async () => {
    const r = await rawPost(server, target('DeleteLogGroup'), '{"logGroupName":"/t/none"}');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(JSON.parse(r.text)).toEqual({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });
});
