/**
 * What the SQS queue and move-task tests share: a cloud in compressed time per test file, an SDK
 * client, queue helpers and the SDK's view of errors.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials } from './helpers';

export let cloud: RunningCloud;
export let sqs: SQSClient;

/** Starts a cloud in compressed time for the calling test file (and stops it after). */
export function useSqsCloud(): void {
  beforeAll(async () => {
    cloud = await startCloud({ port: 0, timeMode: 'compressed' });
    sqs = client('us-east-1');
  });
  afterAll(async () => {
    sqs.destroy();
    await cloud.stop();
  });
}

export function client(region: string): SQSClient {
  return new SQSClient({ endpoint: cloud.endpoint, region, credentials, maxAttempts: 1 });
}

export const clock = () => cloud.cloud.clock;
export const store = () => cloud.cloud.sqs;
let seq = 0;
export const uniq = (base = 'q') => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;

export async function create(name = uniq(), Attributes?: Record<string, string>, tags?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes, tags }))).QueueUrl!;
}

export async function attrs(QueueUrl: string, names: string[] = ['All']): Promise<Record<string, string> | undefined> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as QueueAttributeName[] }))).Attributes;
}

export async function arnOf(QueueUrl: string): Promise<string> {
  return (await attrs(QueueUrl, ['QueueArn']))!.QueueArn;
}

export interface SdkError {
  name: string;
  message: string;
  Error?: { Code?: string };
  $metadata?: { httpStatusCode?: number };
  $response?: { headers: Record<string, string> };
}

/** The SDK's view of an error: its name (the legacy code for unmodeled errors), legacy code, status, message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; code?: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { name: err.name, code: err.Error?.Code, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** A raw JSON 1.0 call, to see `__type` and `x-amzn-query-error` as sent. */
export async function rawJson(op: string, body: unknown): Promise<{ status: number; type: string; queryError: string | null; message: string }> {
  const res = await fetch(cloud.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { __type: string; message: string };
  return { status: res.status, type: json.__type, queryError: res.headers.get('x-amzn-query-error'), message: json.message };
}

export const STANDARD_DEFAULTS = {
  ApproximateNumberOfMessages: '0',
  ApproximateNumberOfMessagesDelayed: '0',
  ApproximateNumberOfMessagesNotVisible: '0',
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
  VisibilityTimeout: '30',
};

// ------------------------------------------------------------------ CreateQueue / GetQueueUrl / DeleteQueue
