/**
 * The shapes shared by the Kinesis Data Streams files. No behaviour here, so every file can import it.
 *
 *   store.ts       streams per account and region, settings (state transitions, write limits, the
 *                  account's shard limit), and the in-process API below       (KinesisStore)
 *   stream.ts      one stream: its shards, routing by hash key, resharding (split, merge, uniform)
 *   shard.ts       one shard: its records, reads by position, retention trimming, write limits
 *   sequence.ts    sequence numbers as AWS prints them; shard ids
 *   hashing.ts     MD5 hash keys and the even split of the 128-bit hash key space
 *   iterator.ts    shard iterators (opaque, expire after 5 virtual minutes)
 *   streams.ts     Create/Delete/Describe/DescribeSummary/ListStreams, DescribeLimits, retention
 *   list-shards.ts ListShards (NextToken, ShardFilter)
 *   put.ts         PutRecord, PutRecords
 *   read.ts        GetShardIterator, GetRecords
 *   reshard.ts     SplitShard, MergeShards, UpdateShardCount
 *   tags.ts        Add/RemoveTagsFromStream, ListTagsForStream, Tag/UntagResource, ListTagsForResource
 *   validate.ts    JSON types, model constraints in AWS's texts, blobs, StreamName/StreamARN
 *   errors.ts      AWS's error codes and texts
 *   index.ts       the JSON 1.1 service definition (X-Amz-Target: Kinesis_20131202.<Op>)
 *
 * Operations take and return the shapes of @aws-sdk/client-kinesis.
 *
 * ## The in-process API (for the Lambda Kinesis poller)
 * `KinesisStore` implements `KinesisStreams`: no HTTP, no iterators, no polling loop.
 *   - `byArn(arn)`                 the stream (undefined when it does not exist or is being deleted)
 *   - `shards(arn)`                every shard not expired, with lineage and open/closed state
 *   - `position(arn, shard, at)`   turn a starting position (TRIM_HORIZON, LATEST, AT_TIMESTAMP,
 *                                  AT/AFTER_SEQUENCE_NUMBER) into a cursor, once (LATEST is "now")
 *   - `read(arn, shard, cursor, n)` up to n records after the cursor, the next cursor, and whether
 *                                  the shard is closed and fully read (`drained`)
 *   - `subscribe(arn, listener)`   told (in a microtask after the write) when records arrive, when the
 *                                  shards change, and when the stream is deleted; returns unsubscribe
 * A poller resolves its starting position per shard once, then reads after its cursor whenever a
 * notification (or its own retry timer on the clock) says so: never a busy loop, never clock.wait.
 */

export type StreamStatus = 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING';
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

/** One record as a shard keeps it. */
export interface StoredRecord {
  seq: bigint;
  /** The sequence number as AWS prints it (56 decimal digits). */
  sequenceNumber: string;
  partitionKey: string;
  data: Buffer;
  /** ApproximateArrivalTimestamp, virtual epoch ms. */
  arrival: number;
}

/** A shard as the in-process API shows it. */
export interface ShardView {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingHashKey: string;
  endingHashKey: string;
  startingSequenceNumber: string;
  /** Set once the shard is closed (split or merged). */
  endingSequenceNumber?: string;
  open: boolean;
  /** Virtual epoch ms. */
  createdAt: number;
  closedAt?: number;
}

/** Where to start reading a shard. */
export type StartingPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AT_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/**
 * A position in one shard: a read returns the records whose sequence numbers are greater. It is a
 * decimal string (comparable as a big integer; the sequence number of the last record consumed, or
 * just below the first one wanted).
 */
export type ShardCursor = string;

/** A record as the in-process API hands it out. */
export interface ShardRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Buffer;
  /** Virtual epoch ms. */
  approximateArrivalTimestamp: number;
}

export interface ShardBatch {
  records: ShardRecord[];
  /** The cursor after this batch (unchanged when it is empty). */
  next: ShardCursor;
  /** The shard is closed (no record will be added). */
  closed: boolean;
  /** Closed, and nothing is left after `next`: move on to the child shards. */
  drained: boolean;
  /** now - arrival of the oldest record still unread after this batch; 0 when caught up. */
  millisBehindLatest: number;
}

export type StreamEvent =
  | { type: 'records'; shardIds: string[] }
  /** A split or merge closed shards and opened others. */
  | { type: 'resharded' }
  | { type: 'deleted' };

export type StreamListener = (event: StreamEvent) => void;

/** The Kinesis poller's view of the service (implemented by KinesisStore). */
export interface KinesisStreams {
  byArn(streamArn: string): { arn: string; name: string; status: StreamStatus; retentionHours: number } | undefined;
  shards(streamArn: string): ShardView[] | undefined;
  /** undefined when the stream or shard does not exist (or the sequence number is not a number). */
  position(streamArn: string, shardId: string, at: StartingPosition): ShardCursor | undefined;
  /** undefined when the stream or shard does not exist. `maxBytes` caps data + partition keys (at least one record). */
  read(streamArn: string, shardId: string, after: ShardCursor, limit: number, maxBytes?: number): ShardBatch | undefined;
  subscribe(streamArn: string, listener: StreamListener): () => void;
}
