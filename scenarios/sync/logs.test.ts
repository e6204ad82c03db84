/**
 * CloudWatch Logs as AWS shows a function's output: one log group per function, one stream per
 * execution environment, START / output / END / REPORT per invocation.
 */
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { eventually, getTestbed, payload } from '../_support/testbed';

const tb = getTestbed();
const stack = () => tb.deploy({ name: 'sync-logs', functions: { fn: { code: 'control', timeout: 10 } } });

async function fresh(name: string): Promise<string> {
  const run = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { RUN: run } } }));
  await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
  return run;
}

describe('function logs in CloudWatch Logs', () => {
  it('writes START, the output, END and REPORT of each invocation to the environment stream', async () => {
    const { functions } = await stack();
    const name = functions.fn.name;
    const group = `/aws/lambda/${name}`;
    const run = await fresh(name);
    const first = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({ log: [`hello ${run}`], noProbe: true }) }));
    const second = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({ log: [`again ${run}`], noProbe: true }) }));
    const [id1, id2] = [first.$metadata.requestId!, second.$metadata.requestId!];

    const groups = await tb.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toContain(group);

    // The stream that has this run's output: both invocations share it (one warm environment).
    const found = await eventually(
      () => tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${run}"` })),
      (r) => (r.events ?? []).length === 2,
    );
    const streams = new Set(found.events!.map((e) => e.logStreamName));
    expect(streams.size).toBe(1);
    const stream = [...streams][0]!;
    expect(stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);

    const described = await tb.clients.logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: stream }));
    expect(described.logStreams?.[0]?.logStreamName).toBe(stream);

    const events = await eventually(
      () => tb.clients.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true })),
      (r) => (r.events ?? []).some((e) => e.message?.startsWith(`REPORT RequestId: ${id2}`)),
    );
    const messages = events.events!.map((e) => e.message ?? '');
    const at = (prefix: string) => messages.findIndex((m) => m.startsWith(prefix));
    const start1 = at(`START RequestId: ${id1} Version: $LATEST`);
    const out1 = messages.findIndex((m) => m.includes(`\t${id1}\tINFO\thello ${run}`));
    const end1 = at(`END RequestId: ${id1}`);
    const report1 = at(`REPORT RequestId: ${id1}\t`);
    const start2 = at(`START RequestId: ${id2} Version: $LATEST`);
    const report2 = at(`REPORT RequestId: ${id2}\t`);
    expect(start1).toBeGreaterThanOrEqual(0);
    expect([start1, out1, end1, report1, start2, report2]).toEqual([...[start1, out1, end1, report1, start2, report2]].sort((a, b) => a - b));
    expect(new Set([start1, out1, end1, report1, start2, report2]).size).toBe(6);
    // Init Duration only on the cold start.
    expect(messages[report1]).toMatch(/\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
    expect(messages[report2]).not.toContain('Init Duration');
  });

  it('gives each concurrent execution environment its own stream', async () => {
    const { functions } = await stack();
    const name = functions.fn.name;
    const run = await fresh(name);
    await Promise.all(
      [0, 1, 2].map((i) => tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({ log: [`parallel ${run} ${i}`], sleepMs: 1000, noProbe: true }) }))),
    );
    const found = await eventually(
      () => tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: `"parallel ${run}"` })),
      (r) => (r.events ?? []).length === 3,
    );
    expect(new Set(found.events!.map((e) => e.logStreamName)).size).toBe(3);
  });
});
