/**
 * ListShards [model]: the shards of a stream in id order (expired ones left out [doc]), paged by
 * MaxResults and NextToken (a token names the stream, the filter and where the page ended; it
 * expires after 300 s [doc]), after ExclusiveStartShardId, and narrowed by a ShardFilter.
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { expiredNextToken, invalidArgument, invalidNextToken, listShardsNeedsStream, listShardsTokenAndStream } from './errors';
import { parseShardId } from './sequence';
import type { Shard } from './shard';
import type { KinesisStore } from './store';
import type { Stream } from './stream';
import { checkName, checkStreamRef, findStream, int, types, validator, type In } from './validate';

const FILTER_TYPES = ['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP'] as const;
type FilterType = (typeof FILTER_TYPES)[number];
const TOKEN_TTL_MS = 300_000;

interface Filter {
  type: FilterType;
  shardId?: string;
  /** Epoch ms. */
  timestamp?: number;
}

interface Token {
  /** Stream ARN and creation (virtual ms). */
  a: string;
  c: number;
  /** Index of the last shard listed. */
  i: number;
  f?: Filter;
  /** Issued at (virtual ms). */
  t: number;
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

function decodeToken(s: string): Token {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Token;
    if (typeof t.a === 'string' && typeof t.c === 'number' && typeof t.i === 'number' && typeof t.t === 'number') return t;
  } catch {
    // fall through
  }
  throw invalidNextToken();
}

/** Open at `at`: made by then and not closed before it. */
const openAt = (s: Shard, at: number) => s.createdAt <= at && (s.closedAt === undefined || s.closedAt >= at);

function applyFilter(stream: Stream, shards: Shard[], f: Filter, now: number): Shard[] {
  const trimHorizon = Math.max(stream.createdAt, now - stream.retentionMs);
  switch (f.type) {
    case 'AFTER_SHARD_ID': {
      const index = parseShardId(f.shardId ?? '');
      return shards.filter((s) => (index === undefined ? s.shardId > (f.shardId ?? '') : s.index > index));
    }
    case 'AT_TRIM_HORIZON':
      return shards.filter((s) => openAt(s, trimHorizon));
    case 'FROM_TRIM_HORIZON':
      return shards;
    case 'AT_LATEST':
      return shards.filter((s) => s.open);
    case 'AT_TIMESTAMP': {
      const at = Math.min(Math.max(f.timestamp ?? now, trimHorizon), now);
      return shards.filter((s) => openAt(s, at));
    }
    case 'FROM_TIMESTAMP': {
      const at = Math.max(f.timestamp ?? now, trimHorizon);
      return shards.filter((s) => s.closedAt === undefined || s.closedAt >= at);
    }
  }
}

function readFilter(input: In): Filter | undefined {
  const f = input.ShardFilter as In | undefined;
  if (!f) return undefined;
  const type = f.Type as FilterType;
  // unconfirmed texts
  if (type === 'AFTER_SHARD_ID' && f.ShardId === undefined) throw invalidArgument('Must specify ShardId in ShardFilter when ShardFilter type is AFTER_SHARD_ID.');
  if (type !== 'AFTER_SHARD_ID' && f.ShardId !== undefined) throw invalidArgument(`ShardId cannot be specified in ShardFilter when ShardFilter type is ${type}.`);
  const timed = type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP';
  if (timed && f.Timestamp === undefined) throw invalidArgument(`Must specify Timestamp in ShardFilter when ShardFilter type is ${type}.`);
  if (!timed && f.Timestamp !== undefined) throw invalidArgument(`Timestamp cannot be specified in ShardFilter when ShardFilter type is ${type}.`);
  return { type, shardId: f.ShardId as string | undefined, timestamp: timed ? Math.round((f.Timestamp as number) * 1000) : undefined };
}

export function listShardsOperations(store: KinesisStore): Record<string, Operation> {
  return {
    ListShards(input: In, ctx: RequestContext) {
      types(input, { NextToken: 'string', ExclusiveStartShardId: 'string', MaxResults: 'number', StreamCreationTimestamp: 'number', ShardFilter: 'object' });
      const v = validator();
      const filter = input.ShardFilter as In | undefined;
      if (filter) {
        types(filter, { Type: 'string', ShardId: 'string', Timestamp: 'number' });
        if (v.required(filter.Type, 'shardFilter.type')) v.oneOf(filter.Type, 'shardFilter.type', FILTER_TYPES);
        checkName(v, filter.ShardId, 'shardFilter.shardId');
      }
      v.range(int(input.MaxResults), 'maxResults', 1, 10000);
      v.length(input.NextToken as string | undefined, 'nextToken', 1, 1048576);
      checkName(v, input.ExclusiveStartShardId, 'exclusiveStartShardId');
      checkStreamRef(v, input);
      v.check();
      const named = input.StreamName !== undefined || input.StreamARN !== undefined;
      const now = ctx.clock.now();
      const max = int(input.MaxResults) ?? 1000; // [doc]
      let stream: Stream;
      let f: Filter | undefined;
      let afterIndex: number | undefined;
      let afterId: string | undefined;
      if (input.NextToken !== undefined) {
        if (named) throw listShardsTokenAndStream();
        // unconfirmed texts
        if (input.ExclusiveStartShardId !== undefined) throw invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.');
        if (filter) throw invalidArgument('NextToken and ShardFilter cannot be provided together.');
        const t = decodeToken(input.NextToken as string);
        if (now - t.t > TOKEN_TTL_MS) throw expiredNextToken();
        stream = findStream(store, ctx, { StreamARN: t.a });
        if (stream.createdAt !== t.c) throw invalidNextToken();
        f = t.f;
        afterIndex = t.i;
      } else {
        if (!named) throw listShardsNeedsStream();
        stream = findStream(store, ctx, input);
        f = readFilter(input);
        afterId = input.ExclusiveStartShardId as string | undefined;
        afterIndex = afterId === undefined ? undefined : parseShardId(afterId);
      }
      let shards = stream.status === 'CREATING' ? [] : stream.liveShards(now);
      if (afterIndex !== undefined) shards = shards.filter((s) => s.index > afterIndex!);
      else if (afterId !== undefined) shards = shards.filter((s) => s.shardId > afterId!);
      if (f) shards = applyFilter(stream, shards, f, now);
      const page = shards.slice(0, max);
      const more = shards.length > max;
      return {
        Shards: page.map((s) => s.describe()),
        NextToken: more ? encodeToken({ a: stream.arn, c: stream.createdAt, i: page[page.length - 1].index, f, t: now }) : undefined,
      };
    },
  };
}
