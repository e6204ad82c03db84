/**
 * PutRecord and PutRecords. A record goes to the open shard whose hash key range holds the MD5 of
 * its partition key (or its ExplicitHashKey) [model]; it gets the shard's next sequence number and
 * the virtual clock's time as ApproximateArrivalTimestamp. With the store's write limits on, a shard
 * takes at most 1 MiB and 1,000 records per virtual second: PutRecord then throws
 * ProvisionedThroughputExceededException and PutRecords fails those entries (per-record results,
 * FailedRecordCount) [doc].
 */
import type { Validator } from '../../protocols/validation';
import type { Operation, RequestContext } from '../../protocols/types';
import { invalidExplicitHashKey, invalidSequenceForOrdering, rateExceededMessage, recordTooLarge, requestTooLarge, streamNotFound, throughputExceeded } from './errors';
import { MAX_HASH_KEY, partitionHashKey } from './hashing';
import { decodeSequence } from './sequence';
import type { KinesisStore } from './store';
import type { Stream } from './stream';
import { blobText, checkHashKey, checkSequence, checkStreamRef, decodeBlob, findStream, types, validator, type In } from './validate';

/** Data may be up to 10 MiB [model] (streams take 1 MiB unless MaxRecordSizeInKiB says more). */
const MODEL_MAX_DATA = 10 * 1024 * 1024;
/** A PutRecords request: up to 10 MiB with partition keys [model]. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** How AWS prints a PutRecordsRequestEntry in a validation message [obs]. */
const ENTRY_TEXT = 'com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310';

interface Entry {
  data: Buffer;
  partitionKey: string;
  explicitHashKey?: string;
}

/** One entry's members (Data, PartitionKey, ExplicitHashKey) checked against the model. */
function checkEntry(v: Validator, e: In, prefix: string): Entry {
  types(e, { PartitionKey: 'string', ExplicitHashKey: 'string' });
  const data = e.Data === undefined || e.Data === null ? undefined : decodeBlob(e.Data, `${prefix}Data`);
  if (v.required(e.PartitionKey, `${prefix}partitionKey`)) v.length(e.PartitionKey as string, `${prefix}partitionKey`, 1, 256);
  checkHashKey(v, e.ExplicitHashKey as string | undefined, `${prefix}explicitHashKey`);
  if (v.required(data, `${prefix}data`) && data!.length > MODEL_MAX_DATA) {
    v.fail(blobText(data!.length), `${prefix}data`, `Member must have length less than or equal to ${MODEL_MAX_DATA}`);
  }
  return { data: data ?? Buffer.alloc(0), partitionKey: e.PartitionKey as string, explicitHashKey: e.ExplicitHashKey as string | undefined };
}

/** Coral reports at most 10 problems [obs]. */
function check(v: Validator): void {
  if (v.problems.length > 10) v.problems.length = 10;
  v.check();
}

/** A stream that takes writes: ACTIVE or UPDATING (and DELETING, until it is gone [model]). */
function writable(store: KinesisStore, ctx: RequestContext, input: In): Stream {
  const s = findStream(store, ctx, input);
  if (s.status === 'CREATING') throw streamNotFound(s.name, s.accountId);
  return s;
}

function hashKeyOf(e: Entry): bigint {
  if (e.explicitHashKey === undefined) return partitionHashKey(e.partitionKey);
  const k = BigInt(e.explicitHashKey);
  if (k > MAX_HASH_KEY) throw invalidExplicitHashKey(e.explicitHashKey);
  return k;
}

export function putOperations(store: KinesisStore): Record<string, Operation> {
  return {
    PutRecord(input: In, ctx: RequestContext) {
      types(input, { SequenceNumberForOrdering: 'string' });
      const v = validator();
      checkSequence(v, input.SequenceNumberForOrdering as string | undefined, 'sequenceNumberForOrdering');
      const entry = checkEntry(v, input, '');
      checkStreamRef(v, input);
      check(v);
      const s = writable(store, ctx, input);
      const hashKey = hashKeyOf(entry);
      const ordering = input.SequenceNumberForOrdering as string | undefined;
      // Any of our sequence numbers orders after itself already (numbers rise per shard); one we did
      // not hand out, or from the future, is refused [obs].
      if (ordering !== undefined) {
        const p = decodeSequence(ordering);
        if (!p || p.seqTimeSecs * 1000 > ctx.clock.now()) throw invalidSequenceForOrdering(ordering, s.name, s.accountId);
      }
      if (entry.data.length > s.maxRecordSizeKiB * 1024) throw recordTooLarge(entry.data.length, s.maxRecordSizeKiB);
      const now = ctx.clock.now();
      const shard = s.route(hashKey);
      shard.trim(now - s.retentionMs);
      if (store.shardLimits && !shard.admit(now, entry.data.length + Buffer.byteLength(entry.partitionKey))) {
        throw throughputExceeded(shard.shardId, s.name, s.accountId);
      }
      const r = shard.append(entry.partitionKey, entry.data, now);
      store.notify(s, shard.shardId);
      return { ShardId: shard.shardId, SequenceNumber: r.sequenceNumber };
    },

    PutRecords(input: In, ctx: RequestContext) {
      types(input, { Records: 'array' });
      const v = validator();
      const raw = input.Records as unknown[] | undefined;
      const entries: Entry[] = [];
      if (v.required(raw, 'records')) {
        const list = raw as unknown[];
        if (list.length < 1) v.fail(list, 'records', 'Member must have length greater than or equal to 1');
        else if (list.length > 500) v.fail(`[${list.map(() => ENTRY_TEXT).join(', ')}]`, 'records', 'Member must have length less than or equal to 500');
        list.forEach((e, i) => {
          types({ [`Records.${i}`]: e }, { [`Records.${i}`]: 'object' });
          entries.push(checkEntry(v, (e ?? {}) as In, `records.${i + 1}.member.`));
        });
      }
      checkStreamRef(v, input);
      check(v);
      const s = writable(store, ctx, input);
      const keys = entries.map(hashKeyOf);
      let total = 0;
      for (const e of entries) {
        if (e.data.length > s.maxRecordSizeKiB * 1024) throw recordTooLarge(e.data.length, s.maxRecordSizeKiB);
        total += e.data.length + Buffer.byteLength(e.partitionKey);
      }
      if (total > MAX_REQUEST_BYTES) throw requestTooLarge(total);
      const now = ctx.clock.now();
      const cutoff = now - s.retentionMs;
      let failed = 0;
      let lastShard: string | undefined;
      const results = entries.map((e, i) => {
        const shard = s.route(keys[i]);
        if (shard.shardId !== lastShard) {
          shard.trim(cutoff);
          lastShard = shard.shardId;
        }
        if (store.shardLimits && !shard.admit(now, e.data.length + Buffer.byteLength(e.partitionKey))) {
          failed++;
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: rateExceededMessage(shard.shardId, s.name, s.accountId) };
        }
        const r = shard.append(e.partitionKey, e.data, now);
        store.notify(s, shard.shardId);
        return { SequenceNumber: r.sequenceNumber, ShardId: shard.shardId };
      });
      return { FailedRecordCount: failed, Records: results };
    },
  };
}
