/**
 * Amazon Kinesis Data Streams (API version 2013-12-02) over JSON 1.1: `X-Amz-Target:
 * Kinesis_20131202.<Op>`, signing name `kinesis` [model]; SDK v3's client speaks it over HTTP/2
 * (h2c on this cloud's port), botocore over HTTP/1.1. See types.ts for the file map and the
 * in-process API the Lambda poller uses.
 */
import type { JsonServiceDef, Operation } from '../../protocols/types';
import { listShardsOperations } from './list-shards';
import { putOperations } from './put';
import { readOperations } from './read';
import { reshardOperations } from './reshard';
import type { KinesisStore } from './store';
import { streamOperations } from './streams';
import { tagOperations } from './tags';

export { KinesisStore, parseStreamArn, streamArn } from './store';
export type { KinesisStreams, ShardBatch, ShardCursor, ShardRecord, ShardView, StartingPosition, StreamEvent, StreamListener } from './types';

/** Every operation, taking and returning the shapes of @aws-sdk/client-kinesis. */
export function kinesisOperations(store: KinesisStore): Record<string, Operation> {
  return {
    ...streamOperations(store),
    ...listShardsOperations(store),
    ...putOperations(store),
    ...readOperations(store),
    ...reshardOperations(store),
    ...tagOperations(store),
  };
}

export function kinesisService(store: KinesisStore): JsonServiceDef {
  return {
    protocol: 'json',
    signingName: 'kinesis',
    targetPrefix: 'Kinesis_20131202',
    jsonVersion: '1.1',
    operations: kinesisOperations(store),
  };
}
