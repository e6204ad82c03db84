/**
 * The 128-bit hash key space: a record's hash key is the MD5 of its partition key (UTF-8) read as an
 * unsigned big-endian integer, or its ExplicitHashKey [model]; a shard owns an inclusive range.
 */
import { createHash } from 'node:crypto';

export const HASH_SPACE = 1n << 128n;
export const MAX_HASH_KEY = HASH_SPACE - 1n;

export function partitionHashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export interface HashRange {
  start: bigint;
  end: bigint;
}

/**
 * `count` ranges over the whole space: each `floor(2^128 / count)` wide, the last one up to 2^128 - 1
 * (AWS's boundaries for a new 3-shard stream end shard 0 at 113427455640312821154458202477256070484
 * and start shard 2 at 226854911280625642308916404954512140970 [obs: kinesalite's tests run on AWS]).
 */
export function evenRanges(count: number): HashRange[] {
  const step = HASH_SPACE / BigInt(count);
  const out: HashRange[] = [];
  for (let i = 0; i < count; i++) {
    const start = step * BigInt(i);
    const end = i === count - 1 ? MAX_HASH_KEY : step * BigInt(i + 1) - 1n;
    out.push({ start, end });
  }
  return out;
}
