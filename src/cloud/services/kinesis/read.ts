/**
 * GetShardIterator and GetRecords. An iterator is a position in one shard (records after a sequence
 * number) that expires 5 virtual minutes after it was handed out [doc]; every GetRecords answers a
 * new one [rec]. At the end of a closed shard NextShardIterator is left out (null) and ChildShards
 * names the shards that took over its hash range [model].
 */
import type { Operation, RequestContext } from '../../protocols/types';
import {
  invalidIterator,
  invalidStartingSequence,
  iteratorExpired,
  iteratorTypeMismatch,
  sequenceOfOtherShard,
  shardDoesNotExist,
  shardUnparseable,
  streamNotFound,
  timestampInFuture,
  timestampRequired,
} from './errors';
import { ITERATOR_TTL_MS } from './iterator';
import { decodeSequence, parseShardId, shardIdName } from './sequence';
import type { Shard } from './shard';
import type { KinesisStore } from './store';
import type { Stream } from './stream';
import { checkArn, checkName, checkSequence, checkStreamRef, findStream, int, types, validator, type In } from './validate';

const ITERATOR_TYPES = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;
/** GetRecords returns at most 10 MiB [doc]. */
const MAX_READ_BYTES = 10 * 1024 * 1024;

/** The shards that took over a closed shard's range (its children), as ChildShards prints them. */
function childShards(stream: Stream, shard: Shard): { ShardId: string; ParentShards: string[]; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[] {
  return stream.shards
    .filter((c) => c.parentShardId === shard.shardId || c.adjacentParentShardId === shard.shardId)
    .map((c) => ({
      ShardId: c.shardId,
      ParentShards: [c.parentShardId, c.adjacentParentShardId].filter((x): x is string => x !== undefined),
      HashKeyRange: { StartingHashKey: c.start.toString(), EndingHashKey: c.end.toString() },
    }));
}

export function readOperations(store: KinesisStore): Record<string, Operation> {
  return {
    GetShardIterator(input: In, ctx: RequestContext) {
      types(input, { ShardId: 'string', ShardIteratorType: 'string', StartingSequenceNumber: 'string', Timestamp: 'number' });
      const v = validator();
      if (v.required(input.ShardId, 'shardId')) checkName(v, input.ShardId, 'shardId');
      if (v.required(input.ShardIteratorType, 'shardIteratorType')) v.oneOf(input.ShardIteratorType, 'shardIteratorType', ITERATOR_TYPES);
      checkSequence(v, input.StartingSequenceNumber as string | undefined, 'startingSequenceNumber');
      checkStreamRef(v, input);
      v.check();
      const shardId = input.ShardId as string;
      const type = input.ShardIteratorType as (typeof ITERATOR_TYPES)[number];
      const seq = input.StartingSequenceNumber as string | undefined;
      const now = ctx.clock.now();

      // The shard id is read before the stream is looked up [obs].
      const index = parseShardId(shardId);
      const streamLabel = (input.StreamName as string | undefined) ?? (input.StreamARN as string | undefined)?.split('/').pop() ?? '';
      if (index === undefined) throw shardUnparseable(shardId, streamLabel, ctx.accountId);
      const name = shardIdName(index);
      let stream: Stream;
      try {
        stream = findStream(store, ctx, input);
      } catch (e) {
        if ((e as { code?: string }).code === 'ResourceNotFoundException') throw shardDoesNotExist(name, streamLabel, ctx.accountId);
        throw e;
      }
      const shard = stream.status === 'CREATING' ? undefined : stream.shard(index, now);
      if (!shard) throw shardDoesNotExist(name, stream.name, stream.accountId);
      shard.trim(now - stream.retentionMs);

      let after: bigint;
      if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
        if (seq === undefined) throw iteratorTypeMismatch(type, false);
        const p = decodeSequence(seq);
        if (!p) throw invalidStartingSequence(seq, name, stream.name, stream.accountId);
        if (p.shardIndex !== index) throw sequenceOfOtherShard(shardIdName(p.shardIndex), name);
        if (p.shardCreateSecs !== shard.createSecs) throw invalidStartingSequence(seq, name, stream.name, stream.accountId, true);
        after = type === 'AT_SEQUENCE_NUMBER' ? BigInt(seq) - 1n : BigInt(seq);
      } else if (type === 'TRIM_HORIZON' || type === 'LATEST') {
        if (seq !== undefined) throw iteratorTypeMismatch(type, true);
        after = type === 'TRIM_HORIZON' ? shard.startingSeq : shard.lastSeq;
      } else {
        if (input.Timestamp === undefined || input.Timestamp === null) throw timestampRequired();
        // botocore sends whole epoch seconds, SDK v3 a fraction: either is seconds.
        const ts = Math.round((input.Timestamp as number) * 1000);
        if (ts > now) throw timestampInFuture(ts, now);
        after = shard.afterTimestamp(ts);
      }
      return {
        ShardIterator: store.iterators.encode({
          createdAt: now,
          accountId: stream.accountId,
          region: stream.region,
          streamName: stream.name,
          streamCreatedAt: stream.createdAt,
          shardIndex: index,
          after,
        }),
      };
    },

    GetRecords(input: In, ctx: RequestContext) {
      types(input, { ShardIterator: 'string', Limit: 'number', StreamARN: 'string', StreamId: 'string' });
      const v = validator();
      v.range(int(input.Limit), 'limit', 1, 10000);
      if (v.required(input.ShardIterator, 'shardIterator')) v.length(input.ShardIterator as string, 'shardIterator', 1, 512);
      checkArn(v, input.StreamARN as string | undefined, 'streamARN');
      v.check();
      const state = store.iterators.decode(input.ShardIterator as string);
      const now = ctx.clock.now();
      if (!state || state.createdAt > now) throw invalidIterator();
      if (now - state.createdAt > ITERATOR_TTL_MS) throw iteratorExpired(state.createdAt, now);
      const name = shardIdName(state.shardIndex);
      const stream = store.get(state.accountId, state.region, state.streamName);
      if (!stream || stream.createdAt !== state.streamCreatedAt) throw shardDoesNotExist(name, state.streamName, state.accountId);
      if (input.StreamARN !== undefined && input.StreamARN !== stream.arn) throw streamNotFound(String(input.StreamARN).split('/').pop() ?? '', state.accountId); // unconfirmed
      const shard = stream.shard(state.shardIndex, now);
      if (!shard) throw shardDoesNotExist(name, stream.name, stream.accountId);
      shard.trim(now - stream.retentionMs);

      const page = shard.readAfter(state.after, int(input.Limit) ?? 10000, MAX_READ_BYTES);
      const last = page.records.at(-1);
      const ended = !shard.open && page.rest === 0;
      return {
        Records: page.records.map((r) => ({
          SequenceNumber: r.sequenceNumber,
          ApproximateArrivalTimestamp: new Date(r.arrival),
          Data: r.data,
          PartitionKey: r.partitionKey,
        })),
        NextShardIterator: ended ? undefined : store.iterators.encode({ ...state, createdAt: now, after: last ? last.seq : state.after }),
        MillisBehindLatest: page.nextArrival === undefined ? 0 : Math.max(0, now - page.nextArrival),
        ChildShards: ended ? childShards(stream, shard) : undefined,
      };
    },
  };
}
