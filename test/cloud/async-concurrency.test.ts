/**
 * Lambda's internal queue runs at most `asyncConcurrencyPerFunction` attempts of one function at
 * once: a burst of Event invokes waits in the queue rather than starting a process per event, and
 * every event still runs. Uses a cloud of its own.
 */
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

let cloud: RunningCloud;
let lambda: LambdaClient;
const code = zipFiles({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms || 0)); return "done"; };' });

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'burst', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: code } }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'burst' });
});
afterAll(async () => {
  lambda.destroy();
  await cloud.stop();
});

async function admin(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${cloud.endpoint}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return res.json();
}

it('runs a burst of events at most N at a time, and all of them', async () => {
  expect((await admin('/_testbed/config')).asyncConcurrencyPerFunction).toBe(16);
  expect((await admin('/_testbed/config', { asyncConcurrencyPerFunction: 3 })).asyncConcurrencyPerFunction).toBe(3);
  await Promise.all(
    Array.from({ length: 12 }, () => lambda.send(new InvokeCommand({ FunctionName: 'burst', InvocationType: 'Event', Payload: Buffer.from('{"ms":50}') }))),
  );
  let most = 0;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = (await admin('/_testbed/invocations?functionName=burst')).invocations as { outcome: string }[];
    most = Math.max(most, list.filter((i) => i.outcome === 'running').length);
    if (list.filter((i) => i.outcome === 'success').length === 12 || Date.now() > deadline) break;
    await new Promise((r) => setImmediate(r));
  }
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThanOrEqual(3);
  const envs = (await admin('/_testbed/environments')).environments as unknown[];
  expect(envs.length).toBeLessThanOrEqual(3);
  const done = (await admin('/_testbed/invocations?functionName=burst')).invocations as { outcome: string }[];
  expect(done.filter((i) => i.outcome === 'success')).toHaveLength(12);
});

it('refuses a value out of range', async () => {
  const res = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify({ asyncConcurrencyPerFunction: 0 }) });
  expect(res.status).toBe(400);
});
