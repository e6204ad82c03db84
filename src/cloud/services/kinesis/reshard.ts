/**
 * SplitShard, MergeShards, UpdateShardCount. Each answers at once and puts the stream in UPDATING;
 * the reshard happens when UPDATING ends (the store's state transition delay), and the stream is
 * ACTIVE again [model]. Provisioned streams only [model].
 */
import type { Operation, RequestContext } from '../../protocols/types';
import {
  badSplitKey,
  invalidArgument,
  notAdjacent,
  onDemandReshard,
  scaleLimit,
  shardClosed,
  shardLimitExceeded,
  shardNotFoundForReshard,
  shardUnparseable,
  streamNotActive,
} from './errors';
import { parseShardId, shardIdName } from './sequence';
import type { Shard } from './shard';
import type { KinesisStore } from './store';
import type { Stream } from './stream';
import { checkHashKey, checkName, checkStreamRef, findStream, int, types, validator, type In } from './validate';

const DAY_MS = 86_400_000;
const MAX_SCALINGS_PER_DAY = 10;
const MAX_SHARDS_PER_STREAM = 10_000;

/** The shard a ShardId names in `stream`, or AWS's ResourceNotFoundException [obs]. */
function shardOf(stream: Stream, id: string, ctx: RequestContext): Shard {
  const index = parseShardId(id);
  if (index === undefined) throw shardUnparseable(id, stream.name, stream.accountId);
  const shard = stream.shard(index, ctx.clock.now());
  if (!shard) throw shardNotFoundForReshard(shardIdName(index), stream.name, stream.accountId);
  return shard;
}

/** The stream must be ACTIVE and provisioned. */
function reshardable(stream: Stream, op: string): void {
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, stream.accountId, stream.status);
  if (stream.mode === 'ON_DEMAND') throw onDemandReshard(op);
}

export function reshardOperations(store: KinesisStore): Record<string, Operation> {
  /** A malformed ShardId is refused before the stream is looked up [obs]. */
  const earlyShardCheck = (input: In, ctx: RequestContext, ...ids: string[]) => {
    for (const id of ids) if (parseShardId(id) === undefined) throw shardUnparseable(id, (input.StreamName as string | undefined) ?? '', ctx.accountId);
  };

  return {
    SplitShard(input: In, ctx: RequestContext) {
      types(input, { ShardToSplit: 'string', NewStartingHashKey: 'string' });
      const v = validator();
      if (v.required(input.ShardToSplit, 'shardToSplit')) checkName(v, input.ShardToSplit, 'shardToSplit');
      if (v.required(input.NewStartingHashKey, 'newStartingHashKey')) checkHashKey(v, input.NewStartingHashKey, 'newStartingHashKey');
      checkStreamRef(v, input);
      v.check();
      earlyShardCheck(input, ctx, input.ShardToSplit as string);
      const stream = findStream(store, ctx, input);
      reshardable(stream, 'SplitShard');
      const shard = shardOf(stream, input.ShardToSplit as string, ctx);
      const current = store.openShardCount(stream.accountId, stream.region);
      const limit = store.limitFor(stream.region);
      if (current + 1 > limit) throw shardLimitExceeded(stream.accountId, stream.region, current, limit, 1);
      const key = BigInt(input.NewStartingHashKey as string);
      if (key <= shard.start + 1n || key >= shard.end) {
        throw badSplitKey(input.NewStartingHashKey as string, shard.shardId, stream.name, stream.accountId, shard.start, shard.end);
      }
      if (!shard.open) throw shardClosed(shard.shardId, stream.name, stream.accountId);
      store.update(stream, () => stream.split(shard, key, ctx.clock.now()));
      return {};
    },

    MergeShards(input: In, ctx: RequestContext) {
      types(input, { ShardToMerge: 'string', AdjacentShardToMerge: 'string' });
      const v = validator();
      if (v.required(input.ShardToMerge, 'shardToMerge')) checkName(v, input.ShardToMerge, 'shardToMerge');
      if (v.required(input.AdjacentShardToMerge, 'adjacentShardToMerge')) checkName(v, input.AdjacentShardToMerge, 'adjacentShardToMerge');
      checkStreamRef(v, input);
      v.check();
      earlyShardCheck(input, ctx, input.ShardToMerge as string, input.AdjacentShardToMerge as string);
      const stream = findStream(store, ctx, input);
      reshardable(stream, 'MergeShards');
      const a = shardOf(stream, input.ShardToMerge as string, ctx);
      const b = shardOf(stream, input.AdjacentShardToMerge as string, ctx);
      for (const s of [a, b]) if (!s.open) throw shardClosed(s.shardId, stream.name, stream.accountId);
      if (a === b || (a.end + 1n !== b.start && b.end + 1n !== a.start)) throw notAdjacent(a.shardId, b.shardId, stream.name, stream.accountId);
      store.update(stream, () => stream.merge(a, b, ctx.clock.now()));
      return {};
    },

    UpdateShardCount(input: In, ctx: RequestContext) {
      types(input, { TargetShardCount: 'number', ScalingType: 'string' });
      const v = validator();
      const target = int(input.TargetShardCount);
      if (v.required(input.ScalingType, 'scalingType')) v.oneOf(input.ScalingType, 'scalingType', ['UNIFORM_SCALING']);
      if (v.required(input.TargetShardCount, 'targetShardCount')) v.range(target, 'targetShardCount', 1);
      checkStreamRef(v, input);
      v.check();
      const stream = findStream(store, ctx, input);
      reshardable(stream, 'UpdateShardCount');
      const now = ctx.clock.now();
      const t = target as number;
      const current = stream.openShards.length;
      // The documented limits [doc]; the texts are unconfirmed.
      if (t === current) throw invalidArgument(`Target shard count ${t} is the same as the current shard count ${current} for stream ${stream.name} under account ${stream.accountId}.`);
      if (t > current * 2) throw scaleLimit(`UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: ${current}, target shard count: ${t}.`);
      if (t * 2 < current) throw scaleLimit(`UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: ${current}, target shard count: ${t}.`);
      if (t > MAX_SHARDS_PER_STREAM) throw scaleLimit(`UpdateShardCount cannot scale up to more than ${MAX_SHARDS_PER_STREAM} shards in a stream.`);
      while (stream.scalings.length && stream.scalings[0] <= now - DAY_MS) stream.scalings.shift();
      if (stream.scalings.length >= MAX_SCALINGS_PER_DAY) throw scaleLimit(`UpdateShardCount cannot be called more than ${MAX_SCALINGS_PER_DAY} times per rolling 24-hour period for stream ${stream.name}.`);
      const open = store.openShardCount(stream.accountId, stream.region);
      const limit = store.limitFor(stream.region);
      if (open - current + t > limit) throw shardLimitExceeded(stream.accountId, stream.region, open, limit, t - current);
      stream.scalings.push(now);
      store.update(stream, () => stream.scaleUniform(t, ctx.clock.now()));
      return { StreamName: stream.name, CurrentShardCount: current, TargetShardCount: t, StreamARN: stream.arn };
    },
  };
}
