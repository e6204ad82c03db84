/**
 * What the SNS wire tests share: a started cloud in compressed time with SNS and SQS clients,
 * unique names, queue helpers (SNS deliveries are read from SQS), an error probe, and raw query
 * calls (to see SNS's XML as sent, and to follow SubscribeURLs as a browser would).
 */
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials } from './helpers';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface SnsEnv {
  cloud: RunningCloud;
  sns: SNSClient;
  sqs: SQSClient;
  snsIn(region: string): SNSClient;
  stop(): Promise<void>;
}

export async function startSnsEnv(): Promise<SnsEnv> {
  const cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  const clients: { destroy(): void }[] = [];
  const snsIn = (region: string) => {
    const c = new SNSClient({ endpoint: cloud.endpoint, region, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const sqs = new SQSClient({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
  clients.push(sqs);
  return {
    cloud,
    sns: snsIn(REGION),
    sqs,
    snsIn,
    stop: async () => {
      for (const c of clients) c.destroy();
      await cloud.stop();
    },
  };
}

/**
 * The test file's SnsEnv: started before its tests (a beforeAll; hooks declared after it may use it),
 * stopped after them. Its members are read through to the started one.
 */
export function useSnsEnv(): SnsEnv {
  let started: SnsEnv | undefined;
  beforeAll(async () => {
    started = await startSnsEnv();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const env = () => {
    if (!started) throw new Error('the SNS test env starts in beforeAll');
    return started;
  };
  return {
    get cloud() {
      return env().cloud;
    },
    get sns() {
      return env().sns;
    },
    get sqs() {
      return env().sqs;
    },
    snsIn: (region) => env().snsIn(region),
    stop: () => env().stop(),
  };
}

let seq = 0;
export const uniq = (base = 't') => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;

export const topicArn = (name: string, region = REGION) => `arn:aws:sns:${region}:${ACCOUNT}:${name}`;

/** A queue: its URL and ARN. */
export async function createQueue(env: SnsEnv, name = uniq('q'), Attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const arn = (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/** Long-poll a queue (compressed time jumps the wait when nothing arrives). */
export async function receive(env: SnsEnv, url: string, max = 10, wait = 5): Promise<Message[]> {
  const r = await env.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max, WaitTimeSeconds: wait, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
  );
  return r.Messages ?? [];
}

/** Receive until `count` messages have arrived (or the virtual wait is over). */
export async function receiveN(env: SnsEnv, url: string, count: number, rounds = 6): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < rounds && out.length < count; i++) out.push(...(await receive(env, url, 10, 5)));
  return out;
}

interface SdkError {
  name: string;
  message: string;
  Error?: { Code?: string; Type?: string };
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The SDK's view of a failed call: error name, the query code, HTTP status, message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; code?: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { name: err.name, code: err.Error?.Code ?? err.Code, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** An unsigned query call (GET with the parameters in the URL, or a signed-looking form POST). */
export async function rawQuery(env: SnsEnv, params: Record<string, string>, opts: { method?: 'GET' | 'POST'; url?: string } = {}): Promise<{ status: number; text: string }> {
  if (opts.url) {
    const res = await fetch(opts.url);
    return { status: res.status, text: await res.text() };
  }
  const qs = new URLSearchParams(params).toString();
  if ((opts.method ?? 'POST') === 'GET') {
    const res = await fetch(`${env.cloud.endpoint}/?${qs}`);
    return { status: res.status, text: await res.text() };
  }
  const res = await fetch(`${env.cloud.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/${REGION}/sns/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: qs,
  });
  return { status: res.status, text: await res.text() };
}
