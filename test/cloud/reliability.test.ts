/**
 * The reliability property of the poll-based model, at a size that keeps `npm test` fast (the bench
 * runs it at 10,000 messages and records): functions failing at random under an SQS and a Kinesis
 * mapping, and every message and record accounted for (src/testbed/reliability.ts).
 */
import { startCloud, type RunningCloud } from '../../src/cloud';
import { makeClients, type Clients } from '../../src/testbed/clients';
import { runReliability } from '../../src/testbed/reliability';

let cloud: RunningCloud;
let clients: Clients;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  clients = makeClients({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});
afterAll(async () => {
  clients.destroy();
  await cloud.stop();
});

it('loses nothing: every SQS message deleted after success or in the DLQ, every Kinesis record processed in key order or reported', async () => {
  const report = await runReliability({ endpoint: cloud.endpoint, clients, messages: 200, records: 200, chaos: 0.5, prefix: 'rel', maxReceiveCount: 1 });
  console.log(
    `reliability: SQS ${report.sqs.sent} sent, ${report.sqs.deleted} deleted after success, ${report.sqs.inDlq} in the DLQ (${report.sqs.invocations} invocations); ` +
      `Kinesis ${report.kinesis.put} put, ${report.kinesis.processed} processed, ${report.kinesis.toDestination} reported (${report.kinesis.invocations} invocations); ${(report.wallMs / 1000).toFixed(1)} s`,
  );
  expect(report.sqs.violations).toEqual([]);
  expect(report.kinesis.violations).toEqual([]);
  expect(report.sqs.deleted + report.sqs.inDlq).toBe(report.sqs.sent);
  expect(report.kinesis.processed + report.kinesis.toDestination).toBe(report.kinesis.put);
  // The chaos really happened: with one receive allowed, a failed processing sends its messages to the
  // DLQ (20 batches each failing with p ~ 0.44: none failing has p ~ 1e-5).
  expect(report.sqs.inDlq).toBeGreaterThan(0);
}, 180_000);
