/**
 * What the event source mapping tests share: a started cloud with Lambda, SQS and Kinesis clients,
 * functions made from inline code, queues, and waiting on conditions (never sleeping).
 */
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateFunctionCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startCloud, type CloudOptions, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

export const ROLE = 'arn:aws:iam::000000000000:role/r';
export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface Env {
  cloud: RunningCloud;
  lambda: LambdaClient;
  sqs: SQSClient;
  kinesis: KinesisClient;
}

/** Start a cloud of the suite's own (port 0) with clients; stopped after the suite. */
export function useCloud(opts: CloudOptions = {}): Env {
  const env = {} as Env;
  beforeAll(async () => {
    env.cloud = await startCloud({ port: 0, ...opts });
    const common = { endpoint: env.cloud.endpoint, region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 };
    env.lambda = new LambdaClient(common);
    env.sqs = new SQSClient(common);
    env.kinesis = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() });
  });
  afterAll(async () => {
    env.lambda?.destroy();
    env.sqs?.destroy();
    env.kinesis?.destroy();
    await env.cloud?.stop();
  });
  return env;
}

let seq = 0;
export const uniq = (base: string) => `${base}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** A Node.js function from one handler source; waits until it is Active. */
export async function createFunction(env: Env, name: string, source: string, extra: { Timeout?: number; Environment?: Record<string, string> } = {}): Promise<string> {
  const out = await env.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: zipFiles({ 'index.js': source }) },
      Timeout: extra.Timeout ?? 3,
      Environment: extra.Environment ? { Variables: extra.Environment } : undefined,
    }),
  );
  await waitUntilFunctionActiveV2({ client: env.lambda, maxWaitTime: 10 }, { FunctionName: name });
  return out.FunctionArn!;
}

/** A queue and its URL and ARN. */
export async function createQueue(env: Env, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const fifo = name.endsWith('.fifo');
  const { QueueUrl } = await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes } }));
  const attrs = await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: attrs.Attributes!.QueueArn! };
}

/** A provisioned stream with one shard; returns its ARN. */
export async function createStream(env: Env, name: string): Promise<string> {
  await env.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
}

/** Poll `probe` (without sleeping: one macrotask turn between tries) until `accept` holds. */
export async function eventually<T>(probe: () => Promise<T> | T, accept: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(v)?.slice(0, 2000)}`);
    await new Promise((r) => setImmediate(r));
  }
}

export async function waitForState(env: Env, uuid: string, state: string): Promise<EventSourceMappingConfiguration> {
  return eventually(
    () => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })),
    (m) => m.State === state,
  );
}

/** An SDK call's error (fails the test when the call succeeds). */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; body?: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
