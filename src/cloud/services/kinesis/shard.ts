/**
 * One shard: its hash key range, lineage, sequence numbers and records, in order. Reads find a
 * position by binary search; records older than the stream's retention are dropped from the head
 * when the shard is touched (the virtual clock decides what is old); the per-second write window
 * counts what the write limits need.
 */
import { encodeSequence, endingSequence, shardIdName, startingSequence } from './sequence';
import type { ShardView, StoredRecord } from './types';

/** Per shard and second: 1 MiB and 1,000 records [doc]. */
export const SHARD_WRITE_BYTES = 1024 * 1024;
export const SHARD_WRITE_RECORDS = 1000;

export class Shard {
  readonly shardId: string;
  readonly createSecs: number;
  readonly startingSeq: bigint;
  readonly startingSequenceNumber: string;
  endingSequenceNumber?: string;
  closedAt?: number;
  /** Records from `head` on are live; those before it were trimmed (the array is compacted now and then). */
  private records: StoredRecord[] = [];
  private head = 0;
  private nextIndex = 1n;
  /** The highest sequence number handed out (the starting one while empty). */
  lastSeq: bigint;
  private lastArrival = 0;
  private windowSec = -1;
  private windowBytes = 0;
  private windowRecords = 0;

  constructor(
    readonly index: number,
    readonly start: bigint,
    readonly end: bigint,
    readonly createdAt: number,
    createSecs: number,
    readonly parentShardId?: string,
    readonly adjacentParentShardId?: string,
  ) {
    this.shardId = shardIdName(index);
    this.createSecs = createSecs;
    this.startingSeq = startingSequence(createSecs, index);
    this.startingSequenceNumber = this.startingSeq.toString();
    this.lastSeq = this.startingSeq;
  }

  get open(): boolean {
    return this.endingSequenceNumber === undefined;
  }

  close(now: number): void {
    if (!this.open) return;
    this.closedAt = now;
    this.endingSequenceNumber = endingSequence(this.createSecs, this.index, Math.floor(now / 1000)).toString();
  }

  contains(hashKey: bigint): boolean {
    return hashKey >= this.start && hashKey <= this.end;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Whether `records` more records of `bytes` in all fit this second's window (1 MiB, 1,000 records);
   * when they do, they are counted.
   */
  admit(now: number, bytes: number, records = 1): boolean {
    const sec = Math.floor(now / 1000);
    if (sec !== this.windowSec) {
      this.windowSec = sec;
      this.windowBytes = 0;
      this.windowRecords = 0;
    }
    if (this.windowBytes + bytes > SHARD_WRITE_BYTES || this.windowRecords + records > SHARD_WRITE_RECORDS) return false;
    this.windowBytes += bytes;
    this.windowRecords += records;
    return true;
  }

  append(partitionKey: string, data: Buffer, now: number): StoredRecord {
    // Arrival never goes backwards within a shard (AT_TIMESTAMP searches by it).
    const arrival = Math.max(now, this.lastArrival);
    this.lastArrival = arrival;
    const seq = encodeSequence({ shardCreateSecs: this.createSecs, shardIndex: this.index, seqIndex: this.nextIndex++, seqTimeSecs: Math.floor(arrival / 1000) });
    const r: StoredRecord = { seq, sequenceNumber: seq.toString(), partitionKey, data, arrival };
    this.records.push(r);
    this.lastSeq = seq;
    return r;
  }

  // ---------------------------------------------------------------- reads

  /** Drop records that arrived before `cutoff` (virtual ms). */
  trim(cutoff: number): void {
    const recs = this.records;
    let h = this.head;
    while (h < recs.length && recs[h].arrival < cutoff) h++;
    if (h === this.head) return;
    this.head = h;
    if (h > 1024 && h * 2 > recs.length) {
      this.records = recs.slice(h);
      this.head = 0;
    }
  }

  /** Live records (after trimming). */
  get size(): number {
    return this.records.length - this.head;
  }

  /** Index (into the live array) of the first record whose sequence number is greater than `after`. */
  private firstAfter(after: bigint): number {
    const recs = this.records;
    let lo = this.head;
    let hi = recs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (recs[mid].seq > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Up to `limit` records after `after`, at most `maxBytes` of data and partition keys (always at
   * least one record); `rest` = the records still unread after them.
   */
  readAfter(after: bigint, limit: number, maxBytes = Infinity): { records: StoredRecord[]; rest: number; nextArrival?: number } {
    const recs = this.records;
    const from = this.firstAfter(after);
    let to = from;
    let bytes = 0;
    while (to < recs.length && to - from < limit) {
      const size = recs[to].data.length + Buffer.byteLength(recs[to].partitionKey);
      if (to > from && bytes + size > maxBytes) break;
      bytes += size;
      to++;
    }
    return { records: recs.slice(from, to), rest: recs.length - to, nextArrival: to < recs.length ? recs[to].arrival : undefined };
  }

  /** The position just before the first record that arrived at or after `ms` (LATEST when none has). */
  afterTimestamp(ms: number): bigint {
    const recs = this.records;
    let lo = this.head;
    let hi = recs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (recs[mid].arrival >= ms) hi = mid;
      else lo = mid + 1;
    }
    return lo < recs.length ? recs[lo].seq - 1n : this.lastSeq;
  }

  /** The shard as DescribeStream and ListShards print it [model]. */
  describe(): {
    ShardId: string;
    ParentShardId?: string;
    AdjacentParentShardId?: string;
    HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
    SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
  } {
    return {
      ShardId: this.shardId,
      ParentShardId: this.parentShardId,
      AdjacentParentShardId: this.adjacentParentShardId,
      HashKeyRange: { StartingHashKey: this.start.toString(), EndingHashKey: this.end.toString() },
      SequenceNumberRange: { StartingSequenceNumber: this.startingSequenceNumber, EndingSequenceNumber: this.endingSequenceNumber },
    };
  }

  view(): ShardView {
    return {
      shardId: this.shardId,
      parentShardId: this.parentShardId,
      adjacentParentShardId: this.adjacentParentShardId,
      startingHashKey: this.start.toString(),
      endingHashKey: this.end.toString(),
      startingSequenceNumber: this.startingSequenceNumber,
      endingSequenceNumber: this.endingSequenceNumber,
      open: this.open,
      createdAt: this.createdAt,
      closedAt: this.closedAt,
    };
  }
}
