/**
 * The account's concurrency limit: unreserved functions share the pool, the invoke beyond it gets
 * 429 ConcurrentInvocationLimitExceeded. Uses a cloud of its own with a small limit (as new AWS
 * accounts have), so no other suite is affected.
 */
import {
  CreateFunctionCommand,
  GetAccountSettingsCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  TooManyRequestsException,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

let cloud: RunningCloud;
let lambda: LambdaClient;
const code = zipFiles({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms || 0)); return "done"; };' });

beforeAll(async () => {
  cloud = await startCloud({ port: 0, accountConcurrency: 3 });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  for (const name of ['a', 'b']) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: code }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
  }
});
afterAll(async () => {
  lambda.destroy();
  await cloud.stop();
});

async function running(): Promise<number> {
  const res = await fetch(`${cloud.endpoint}/_testbed/invocations`);
  const body = (await res.json()) as { invocations: { outcome: string }[] };
  return body.invocations.filter((i) => i.outcome === 'running').length;
}

it('reports the limit in GetAccountSettings', async () => {
  const s = await lambda.send(new GetAccountSettingsCommand({}));
  expect(s.AccountLimit).toEqual(expect.objectContaining({ ConcurrentExecutions: 3, UnreservedConcurrentExecutions: 3 }));
});

it('throttles the invoke beyond the account limit with ConcurrentInvocationLimitExceeded', async () => {
  const slow = (name: string) => lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"ms":1500}') }));
  const inFlight = [slow('a'), slow('a'), slow('b')];
  const deadline = Date.now() + 10_000;
  while ((await running()) < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(await running()).toBe(3);
  const err = await lambda.send(new InvokeCommand({ FunctionName: 'b', Payload: Buffer.from('{}') })).catch((e) => e);
  expect(err).toBeInstanceOf(TooManyRequestsException);
  expect(err.Reason).toBe('ConcurrentInvocationLimitExceeded');
  expect(err.$metadata.httpStatusCode).toBe(429);
  for (const r of await Promise.all(inFlight)) expect(r.StatusCode).toBe(200);
  // Once they are done, the pool is free again.
  expect((await lambda.send(new InvokeCommand({ FunctionName: 'b', Payload: Buffer.from('{}') }))).StatusCode).toBe(200);
});

it('keeps the minimum unreserved pool when reserving', async () => {
  const err = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'a', ReservedConcurrentExecutions: 1 })).catch((e) => e);
  expect(err.name).toBe('InvalidParameterValueException');
  expect(err.message).toBe("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [3].");
});
