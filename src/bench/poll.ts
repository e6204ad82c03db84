/**
 * Section "poll" of `npm run bench`: the poll-based model.
 *   SQS -> function   median time from SendMessage to the function's invocation starting, on an idle
 *                     queue with a mapping (real time), beside the bare loopback round trip
 *   SQS throughput    messages processed per second through a mapping (batch size 10) by a trivial
 *                     function, from a queue filled beforehand
 *   reliability       the property test of src/testbed/reliability.ts at 10,000 messages and 10,000
 *                     records (compressed time): the counts, and whether anything was lost
 */
import http from 'node:http';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, GetEventSourceMappingCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { HANDLER, buildFunction } from '../testbed/build';
import { makeClients } from '../testbed/clients';
import { runReliability } from '../testbed/reliability';
import { bareRoundTrip, get, median, ms, pct, startBareServer, startServe, stopChild, versus } from './common';

const ROLE = 'arn:aws:iam::000000000000:role/bench';

function clientsFor(endpoint: string) {
  const c = makeClients({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return c;
}

async function invocationStarts(endpoint: string, fn: string): Promise<number[]> {
  const r = await get(`${endpoint}/_testbed/invocations?functionName=${encodeURIComponent(fn)}`);
  return (JSON.parse(r.body).invocations as { start: number }[]).map((i) => i.start);
}

export async function benchPoll(): Promise<void> {
  const bare = await startBareServer();
  const agent = new http.Agent({ keepAlive: true });
  const rtts: number[] = [];
  for (let i = 0; i < 600; i++) {
    const t = performance.now();
    await bareRoundTrip(bare.port, agent);
    if (i >= 100) rtts.push(performance.now() - t);
  }
  agent.destroy();
  await stopChild(bare.child);
  const rtt = median(rtts);
  console.log(`poll baseline: bare node HTTP server round trip median ${ms(rtt)}`);
  const zip = new Uint8Array((await buildFunction('batch')).zip);

  {
    const { child, endpoint } = await startServe();
    const c = clientsFor(endpoint);
    const sqs = c.sqs;
    try {
      for (const name of ['bench-poll-latency', 'bench-poll-throughput']) {
        await c.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: HANDLER, Role: ROLE, Code: { ZipFile: zip } }));
        await waitUntilFunctionActiveV2({ client: c.lambda, maxWaitTime: 30 }, { FunctionName: name });
      }
      const mapping = async (queueArn: string, fn: string) => {
        const m = await c.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn, FunctionName: fn, BatchSize: 10 }));
        while ((await c.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State !== 'Enabled') await new Promise((r) => setImmediate(r));
      };
      const queue = async (name: string) => {
        const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
        const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
        return { url, arn };
      };

      // SendMessage -> function start, idle queue.
      const lq = await queue('bench-poll-latency');
      await mapping(lq.arn, 'bench-poll-latency');
      const lat: number[] = [];
      for (let i = 0; i < 60; i++) {
        const before = (await invocationStarts(endpoint, 'bench-poll-latency')).length;
        const t = Date.now();
        await sqs.send(new SendMessageCommand({ QueueUrl: lq.url, MessageBody: `{"n":${i}}` }));
        let starts: number[];
        do starts = await invocationStarts(endpoint, 'bench-poll-latency');
        while (starts.length <= before);
        if (i >= 10) lat.push(starts[starts.length - 1] - t);
      }
      console.log(`SQS SendMessage -> function start (idle queue, mapping, warm): median ${ms(median(lat))} (${versus(median(lat), rtt, 'bare HTTP round trip')}), p90 ${ms(pct(lat, 90))}, n=${lat.length}   goal < 20 ms; LocalStack up to 10 s`);

      // Throughput: a filled queue drained through a mapping, batch size 10.
      const tq = await queue('bench-poll-throughput');
      const total = 5000;
      for (let i = 0; i < total; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: tq.url, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `m${i + j}` })) }));
      }
      const t0 = performance.now();
      await mapping(tq.arn, 'bench-poll-throughput');
      for (;;) {
        const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: tq.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
        if (a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const secs = (performance.now() - t0) / 1000;
      const invokes = (await invocationStarts(endpoint, 'bench-poll-throughput')).length;
      console.log(`SQS mapping throughput (batch size 10, trivial function): ${(total / secs).toFixed(0)} messages/s (${total} in ${secs.toFixed(1)} s, ${invokes} invocations)`);
    } finally {
      c.destroy();
      await stopChild(child);
    }
  }

  {
    const { child, endpoint } = await startServe([], ['--time', 'compressed']);
    const c = clientsFor(endpoint);
    try {
      const r = await runReliability({ endpoint, clients: c, messages: 10_000, records: 10_000, chaos: 0.3, prefix: 'bench-rel' });
      const lost = r.sqs.violations.length + r.kinesis.violations.length;
      console.log(
        `reliability (chaos 0.3: throw, timeout, crash, partial): SQS ${r.sqs.sent} sent -> ${r.sqs.deleted} deleted after success + ${r.sqs.inDlq} in the DLQ (${r.sqs.invocations} invocations); ` +
          `Kinesis ${r.kinesis.put} put -> ${r.kinesis.processed} processed in key order + ${r.kinesis.toDestination} reported to OnFailure (${r.kinesis.invocations} invocations); ` +
          `${lost === 0 ? 'nothing lost' : `${lost} VIOLATIONS: ${[...r.sqs.violations, ...r.kinesis.violations].slice(0, 5).join('; ')}`}; ${(r.wallMs / 1000).toFixed(1)} s wall`,
      );
    } finally {
      c.destroy();
      await stopChild(child);
    }
  }
}
