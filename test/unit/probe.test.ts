import { FilterLogEventsCommand, ResourceNotFoundException, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { logGroupNameFor, parseProbeMessage, readProbes, waitForProbes, type ProbeRecord } from '../../src/testbed/probe';
import { eventDigest, recordProbe } from '../../functions/_shared/probe';

function record(overrides: Partial<ProbeRecord> = {}): ProbeRecord {
  return {
    v: 1,
    requestId: 'req-1',
    functionName: 'echo',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
    instanceId: 'abcdef0123456789',
    coldStart: true,
    invocationCount: 1,
    time: '2024-01-01T00:00:00.000Z',
    eventDigest: '0123456789abcdef',
    tag: null,
    ...overrides,
  };
}

const line = (r: ProbeRecord) => `TESTBED_PROBE ${JSON.stringify(r)}`;
const runtimeLine = (r: ProbeRecord) => `${r.time}\t${r.requestId}\tINFO\t${line(r)}\n`;

function fakeContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'echo',
    functionVersion: '3',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo:live',
    memoryLimitInMB: '128',
    awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/echo',
    logStreamName: '2024/01/01/[3]abc',
    getRemainingTimeInMillis: () => 3000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

type Page = { events?: FilteredLogEvent[]; nextToken?: string } | Error;

function fakeLogs(pages: Page[]) {
  const calls: FilterLogEventsCommand['input'][] = [];
  let i = 0;
  const send = jest.fn(async (command: unknown) => {
    expect(command).toBeInstanceOf(FilterLogEventsCommand);
    calls.push((command as FilterLogEventsCommand).input);
    const page = pages[Math.min(i++, pages.length - 1)]!;
    if (page instanceof Error) throw page;
    return { $metadata: {}, ...page };
  });
  return { client: { send } as unknown as CloudWatchLogsClient, calls, send };
}

const missingGroup = () =>
  new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: { httpStatusCode: 400 } });

describe('parseProbeMessage', () => {
  const r = record({ tag: 't1' });

  it('parses the bare line', () => {
    expect(parseProbeMessage(line(r))).toEqual(r);
  });

  it('parses the Node.js runtime text format with its timestamp, request id and level prefix', () => {
    expect(parseProbeMessage(runtimeLine(r))).toEqual(r);
  });

  it('parses the runtime JSON log format', () => {
    const json = JSON.stringify({ timestamp: r.time, level: 'INFO', requestId: r.requestId, message: line(r) });
    expect(parseProbeMessage(json)).toEqual(r);
  });

  it('returns null for lines that are not probes', () => {
    expect(parseProbeMessage('START RequestId: x Version: $LATEST')).toBeNull();
    expect(parseProbeMessage('2024-01-01T00:00:00.000Z\tid\tINFO\thello TESTBED_PROBE')).toBeNull();
    expect(parseProbeMessage('TESTBED_PROBE {not json')).toBeNull();
    expect(parseProbeMessage(`TESTBED_PROBE ${JSON.stringify({ ...r, v: 2 })}`)).toBeNull();
    expect(parseProbeMessage(`TESTBED_PROBE ${JSON.stringify({ ...r, coldStart: 'yes' })}`)).toBeNull();
    expect(parseProbeMessage(`xTESTBED_PROBE ${JSON.stringify(r)}`)).toBeNull();
  });
});

describe('probe writer and reader agree', () => {
  it('reads back exactly what recordProbe logged', () => {
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    try {
      const event = { hello: 'world', probeTag: 'tag-7' };
      const written = recordProbe(event, fakeContext(), { instanceId: 'i-1', coldStart: false, invocationCount: 4 });
      expect(logged).toHaveLength(1);
      const parsed = parseProbeMessage(`2024-01-01T00:00:00.000Z\treq\tINFO\t${logged[0]}`);
      expect(parsed).toEqual(written);
      expect(parsed).toMatchObject({
        v: 1,
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        functionName: 'echo',
        functionVersion: '3',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo:live',
        instanceId: 'i-1',
        coldStart: false,
        invocationCount: 4,
        tag: 'tag-7',
        eventDigest: createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 16),
      });
      expect(new Date(parsed!.time).toISOString()).toBe(parsed!.time);
    } finally {
      spy.mockRestore();
    }
  });

  it('digests any event, including undefined and non-objects, and tags only with a string probeTag', () => {
    expect(eventDigest(undefined)).toBe(eventDigest(null));
    expect(eventDigest('a')).not.toBe(eventDigest('b'));
    expect(eventDigest({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const info = { instanceId: 'i', coldStart: true, invocationCount: 1 };
      expect(recordProbe([1, 2], fakeContext(), info).tag).toBeNull();
      expect(recordProbe({ probeTag: 5 }, fakeContext(), info).tag).toBeNull();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('logGroupNameFor', () => {
  it('accepts a name, name:qualifier and an ARN', () => {
    expect(logGroupNameFor('echo')).toBe('/aws/lambda/echo');
    expect(logGroupNameFor('echo:live')).toBe('/aws/lambda/echo');
    expect(logGroupNameFor('arn:aws:lambda:us-east-1:000000000000:function:echo:3')).toBe('/aws/lambda/echo');
  });
});

describe('readProbes', () => {
  it('filters the function log group for the marker, pages through nextToken and sorts by time', async () => {
    const a = record({ requestId: 'a', time: '2024-01-01T00:00:03.000Z' });
    const b = record({ requestId: 'b', time: '2024-01-01T00:00:01.000Z' });
    const c = record({ requestId: 'c', time: '2024-01-01T00:00:02.000Z' });
    const { client, calls } = fakeLogs([
      {
        events: [
          { eventId: '1', message: runtimeLine(a), logStreamName: 's1', timestamp: 3 },
          { eventId: '2', message: 'not a probe', timestamp: 3 },
        ],
        nextToken: 't1',
      },
      { events: [], nextToken: 't2' },
      {
        events: [
          { eventId: '3', message: line(b), logStreamName: 's2', timestamp: 1 },
          { eventId: '1', message: runtimeLine(a), logStreamName: 's1', timestamp: 3 },
          { eventId: '4', message: runtimeLine(c), logStreamName: 's1', timestamp: 2 },
        ],
      },
    ]);
    const records = await readProbes(client, 'echo', { startTime: 1234 });
    expect(records.map((r) => r.requestId)).toEqual(['b', 'c', 'a']);
    expect(records[0]!.logStreamName).toBe('s2');
    expect(calls).toEqual([
      { logGroupName: '/aws/lambda/echo', filterPattern: '"TESTBED_PROBE"', startTime: 1234, nextToken: undefined },
      { logGroupName: '/aws/lambda/echo', filterPattern: '"TESTBED_PROBE"', startTime: 1234, nextToken: 't1' },
      { logGroupName: '/aws/lambda/echo', filterPattern: '"TESTBED_PROBE"', startTime: 1234, nextToken: 't2' },
    ]);
  });

  it('keeps only records with the requested tag', async () => {
    const { client } = fakeLogs([
      {
        events: [
          { eventId: '1', message: line(record({ requestId: 'x', tag: 'mine' })) },
          { eventId: '2', message: line(record({ requestId: 'y', tag: 'other' })) },
          { eventId: '3', message: line(record({ requestId: 'z' })) },
        ],
      },
    ]);
    expect((await readProbes(client, 'echo', { tag: 'mine' })).map((r) => r.requestId)).toEqual(['x']);
  });

  it('returns [] when the log group does not exist', async () => {
    const { client } = fakeLogs([missingGroup()]);
    await expect(readProbes(client, 'never-ran')).resolves.toEqual([]);
  });

  it('passes other errors through', async () => {
    const { client } = fakeLogs([new Error('AccessDenied')]);
    await expect(readProbes(client, 'echo')).rejects.toThrow('AccessDenied');
  });

  it('stops when a server repeats its nextToken', async () => {
    const { client, send } = fakeLogs([{ events: [{ eventId: '1', message: line(record()) }], nextToken: 'same' }]);
    expect(await readProbes(client, 'echo')).toHaveLength(1);
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe('waitForProbes', () => {
  it('polls until the predicate holds', async () => {
    const { client, send } = fakeLogs([
      missingGroup(),
      { events: [{ eventId: '1', message: line(record({ requestId: 'a' })) }] },
      {
        events: [
          { eventId: '1', message: line(record({ requestId: 'a' })) },
          { eventId: '2', message: line(record({ requestId: 'b', time: '2024-01-01T00:00:05.000Z' })) },
        ],
      },
    ]);
    const records = await waitForProbes(client, 'echo', (rs) => rs.length >= 2, { timeoutMs: 10_000 });
    expect(records.map((r) => r.requestId)).toEqual(['a', 'b']);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('throws a descriptive error when the predicate never holds', async () => {
    const { client } = fakeLogs([{ events: [{ eventId: '1', message: line(record({ requestId: 'only-one', tag: 'T' })) }] }]);
    const started = Date.now();
    const error = await waitForProbes(client, 'echo', (rs) => rs.length >= 2, { timeoutMs: 150, tag: 'T' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/timed out after 150 ms/);
    expect(error!.message).toContain('"echo"');
    expect(error!.message).toContain('tag "T"');
    expect(error!.message).toContain('/aws/lambda/echo');
    expect(error!.message).toContain('only-one');
  });
});
