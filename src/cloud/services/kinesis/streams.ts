/**
 * Stream operations: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams,
 * DescribeLimits, Increase/DecreaseStreamRetentionPeriod. Shapes as the model has them, in AWS's
 * member order.
 */
import type { Operation, RequestContext } from '../../protocols/types';
import {
  invalidArgument,
  invalidNextToken,
  retentionNotDecrease,
  retentionNotIncrease,
  retentionTooLong,
  retentionTooShort,
  shardLimitExceeded,
  streamExists,
  streamNotActive,
  tagCharacters,
} from './errors';
import { parseShardId } from './sequence';
import { ON_DEMAND_SHARDS, type KinesisStore } from './store';
import type { Stream } from './stream';
import type { StreamMode } from './types';
import { checkName, checkStreamRef, checkTagMap, findStream, int, tagCharsValid, types, validator, type In } from './validate';

const MODES = ['PROVISIONED', 'ON_DEMAND'] as const;

const modeDetails = (s: Stream) => ({ StreamMode: s.mode });
const enhancedMonitoring = () => [{ ShardLevelMetrics: [] }];

/** Opaque paging tokens: base64 of the last item's key. */
export function pageToken(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64');
}

export function readPageToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch {
    // fall through
  }
  throw invalidNextToken();
}

export function streamOperations(store: KinesisStore): Record<string, Operation> {
  return {
    CreateStream(input: In, ctx: RequestContext) {
      types(input, { StreamName: 'string', ShardCount: 'number', StreamModeDetails: 'object', Tags: 'object', WarmThroughputMiBps: 'number', MaxRecordSizeInKiB: 'number' });
      const v = validator();
      const shardCount = int(input.ShardCount);
      const mode = input.StreamModeDetails as In | undefined;
      if (mode) {
        types(mode, { StreamMode: 'string' });
        if (v.required(mode.StreamMode, 'streamModeDetails.streamMode')) v.oneOf(mode.StreamMode, 'streamModeDetails.streamMode', MODES);
      }
      v.range(int(input.MaxRecordSizeInKiB), 'maxRecordSizeInKiB', 1024, 10240);
      v.range(int(input.WarmThroughputMiBps), 'warmThroughputMiBps', 0);
      const tags = checkTagMap(v, input.Tags, 'tags');
      v.range(shardCount, 'shardCount', 1);
      if (v.required(input.StreamName, 'streamName')) checkName(v, input.StreamName, 'streamName');
      v.check();
      const name = input.StreamName as string;
      const streamMode: StreamMode = (mode?.StreamMode as StreamMode | undefined) ?? (shardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
      // Without ShardCount or a mode AWS makes an on-demand stream of 4 shards [rec]; a ShardCount
      // given with ON_DEMAND is not used.
      if (streamMode === 'PROVISIONED' && shardCount === undefined) {
        throw invalidArgument('ShardCount must be specified for a stream in PROVISIONED mode.'); // unconfirmed
      }
      for (const [k, val] of Object.entries(tags)) if (!tagCharsValid(k) || !tagCharsValid(val)) throw tagCharacters();
      if (store.get(ctx.accountId, ctx.region, name)) throw streamExists(name, ctx.accountId);
      const count = streamMode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : (shardCount as number);
      const current = store.openShardCount(ctx.accountId, ctx.region);
      const limit = store.limitFor(ctx.region);
      if (current + count > limit) throw shardLimitExceeded(ctx.accountId, ctx.region, current, limit, count);
      const s = store.create(ctx.accountId, ctx.region, name, streamMode, count, tags);
      const maxKiB = int(input.MaxRecordSizeInKiB);
      if (maxKiB !== undefined) s.maxRecordSizeKiB = maxKiB;
      return {};
    },

    DeleteStream(input: In, ctx: RequestContext) {
      types(input, { EnforceConsumerDeletion: 'boolean' });
      const v = validator();
      checkStreamRef(v, input);
      v.check();
      const s = findStream(store, ctx, input);
      // This cloud has no enhanced fan-out consumers, so EnforceConsumerDeletion changes nothing.
      store.delete(s);
      return {};
    },

    DescribeStream(input: In, ctx: RequestContext) {
      types(input, { Limit: 'number', ExclusiveStartShardId: 'string' });
      const v = validator();
      checkStreamRef(v, input);
      checkName(v, input.ExclusiveStartShardId, 'exclusiveStartShardId');
      v.range(int(input.Limit), 'limit', 1, 10000);
      v.check();
      const s = findStream(store, ctx, input);
      const limit = int(input.Limit) ?? 100; // [doc]
      let shards = s.status === 'CREATING' ? [] : s.liveShards(ctx.clock.now());
      const after = input.ExclusiveStartShardId as string | undefined;
      if (after !== undefined) {
        const index = parseShardId(after);
        shards = shards.filter((sh) => (index === undefined ? sh.shardId > after : sh.index > index));
      }
      return {
        StreamDescription: {
          StreamName: s.name,
          StreamARN: s.arn,
          StreamStatus: s.status,
          StreamModeDetails: modeDetails(s),
          Shards: shards.slice(0, limit).map((sh) => sh.describe()),
          HasMoreShards: shards.length > limit,
          RetentionPeriodHours: s.retentionHours,
          StreamCreationTimestamp: new Date(s.createdAt),
          EnhancedMonitoring: enhancedMonitoring(),
          EncryptionType: 'NONE',
        },
      };
    },

    DescribeStreamSummary(input: In, ctx: RequestContext) {
      const v = validator();
      checkStreamRef(v, input);
      v.check();
      const s = findStream(store, ctx, input);
      return {
        StreamDescriptionSummary: {
          StreamName: s.name,
          StreamARN: s.arn,
          StreamStatus: s.status,
          StreamModeDetails: modeDetails(s),
          RetentionPeriodHours: s.retentionHours,
          StreamCreationTimestamp: new Date(s.createdAt),
          EnhancedMonitoring: enhancedMonitoring(),
          EncryptionType: 'NONE',
          OpenShardCount: s.status === 'CREATING' ? 0 : s.openShards.length,
          ConsumerCount: 0,
          MaxRecordSizeInKiB: s.maxRecordSizeKiB,
        },
      };
    },

    ListStreams(input: In, ctx: RequestContext) {
      types(input, { Limit: 'number', ExclusiveStartStreamName: 'string', NextToken: 'string' });
      const v = validator();
      v.length(input.NextToken as string | undefined, 'nextToken', 1, 1048576);
      checkName(v, input.ExclusiveStartStreamName, 'exclusiveStartStreamName');
      v.range(int(input.Limit), 'limit', 1, 10000);
      v.check();
      const limit = int(input.Limit) ?? 100; // [doc]
      let after = input.ExclusiveStartStreamName as string | undefined;
      if (input.NextToken !== undefined) after = readPageToken(input.NextToken as string);
      let streams = store.list(ctx.accountId, ctx.region);
      if (after !== undefined) streams = streams.filter((s) => s.name > after!);
      const page = streams.slice(0, limit);
      const more = streams.length > limit;
      return {
        StreamNames: page.map((s) => s.name),
        HasMoreStreams: more,
        NextToken: more ? pageToken(page[page.length - 1].name) : undefined,
        StreamSummaries: page.map((s) => ({
          StreamName: s.name,
          StreamARN: s.arn,
          StreamStatus: s.status,
          StreamModeDetails: modeDetails(s),
          StreamCreationTimestamp: new Date(s.createdAt),
        })),
      };
    },

    DescribeLimits(_input: In, ctx: RequestContext) {
      const streams = store.list(ctx.accountId, ctx.region);
      return {
        ShardLimit: store.limitFor(ctx.region),
        OpenShardCount: store.openShardCount(ctx.accountId, ctx.region),
        OnDemandStreamCount: streams.filter((s) => s.mode === 'ON_DEMAND').length,
        OnDemandStreamCountLimit: 50, // [doc]
      };
    },

    IncreaseStreamRetentionPeriod: (input: In, ctx: RequestContext) => retention(store, ctx, input, 'increase'),
    DecreaseStreamRetentionPeriod: (input: In, ctx: RequestContext) => retention(store, ctx, input, 'decrease'),
  };
}

function retention(store: KinesisStore, ctx: RequestContext, input: In, way: 'increase' | 'decrease'): object {
  types(input, { RetentionPeriodHours: 'number' });
  const v = validator();
  const hours = int(input.RetentionPeriodHours);
  v.required(input.RetentionPeriodHours, 'retentionPeriodHours');
  checkStreamRef(v, input);
  v.check();
  const h = hours as number;
  const s = findStream(store, ctx, input);
  if (h < 24) throw retentionTooShort(h);
  if (h > 8760) throw retentionTooLong(h);
  if (s.status !== 'ACTIVE') throw streamNotActive(s.name, s.accountId, s.status);
  if (way === 'increase' && h < s.retentionHours) throw retentionNotIncrease(h, s.name, s.retentionHours);
  if (way === 'decrease' && h > s.retentionHours) throw retentionNotDecrease(h, s.name, s.retentionHours);
  // Records past the new period are gone at once; a longer period does not bring back what the old
  // one had already dropped [doc] (trimming is lazy: trim by the old period first).
  s.liveShards(ctx.clock.now());
  s.retentionHours = h;
  s.liveShards(ctx.clock.now());
  return {};
}
