/**
 * What the Kinesis wire tests share: the operations this cloud serves (each client test checks it
 * drove them all), SDK v3 clients (the default one speaks HTTP/2; the other HTTP/1.1), a raw JSON 1.1
 * call, and unique names.
 */
import { randomUUID } from 'node:crypto';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { credentials } from './helpers';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/** The Kinesis operations of the embedded cloud. */
export const KINESIS_OPERATIONS = [
  'CreateStream',
  'DeleteStream',
  'DescribeStream',
  'DescribeStreamSummary',
  'ListStreams',
  'DescribeLimits',
  'ListShards',
  'PutRecord',
  'PutRecords',
  'GetShardIterator',
  'GetRecords',
  'SplitShard',
  'MergeShards',
  'UpdateShardCount',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
  'AddTagsToStream',
  'RemoveTagsFromStream',
  'ListTagsForStream',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
] as const;

/** SDK v3's Kinesis client as users make it: no request handler given, so HTTP/2 (h2c here). */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: REGION, credentials, maxAttempts: 1 });
}

/** The same client over HTTP/1.1. */
export function kinesisHttp1Client(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: REGION, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
}

let seq = 0;
export const uniq = (base: string) => `${base}-${++seq}-${randomUUID().slice(0, 8)}`;
export const arnOf = (name: string, region = REGION, account = ACCOUNT) => `arn:aws:kinesis:${region}:${account}:stream/${name}`;
export const notFound = (name: string, account = ACCOUNT) => `Stream ${name} under account ${account} not found.`;

/** A raw JSON 1.1 call (no SDK), to see the body as sent and answered. */
export async function rawKinesis(endpoint: string, op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; errorType: string | null }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${op}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/${REGION}/kinesis/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, errorType: res.headers.get('x-amzn-errortype') };
}
