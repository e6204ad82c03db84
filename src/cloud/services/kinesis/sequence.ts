/**
 * Sequence numbers as AWS prints them, and shard ids.
 *
 * A sequence number is a 188-bit integer printed in decimal (56 digits) [obs: kinesalite's reading of
 * AWS's numbers; checked against the Lambda docs' example, whose fields decode to shard 6 and its
 * arrival second]. In hex, most significant first:
 *   2 | shard creation, epoch s (9) | shard index, low nibble (1) | sequence index (16) | 00 |
 *   record time, epoch s (9) | shard index (8) | 2
 * The sequence index rises with every record of a shard, so numbers rise per shard and compare as big
 * integers; a child shard (created later) has higher numbers than its parents. A shard starts at
 * index 0 (its StartingSequenceNumber), records take 1, 2, ...; a closed shard ends at the highest
 * index (2^63 - 1) and its close time.
 */

const VERSION = 2n;
const MAX_INDEX = (1n << 63n) - 1n;

export interface SequenceParts {
  shardCreateSecs: number;
  shardIndex: number;
  seqIndex: bigint;
  seqTimeSecs: number;
}

export function encodeSequence(p: SequenceParts): bigint {
  const shard = BigInt(p.shardIndex >>> 0);
  return (
    (VERSION << 184n) |
    (BigInt(p.shardCreateSecs) << 148n) |
    ((shard & 0xfn) << 144n) |
    ((p.seqIndex & 0xffffffffffffffffn) << 80n) |
    (BigInt(p.seqTimeSecs) << 36n) |
    (shard << 4n) |
    VERSION
  );
}

/** The fields of a sequence number, or undefined when it is not one this service hands out. */
export function decodeSequence(value: string | bigint): SequenceParts | undefined {
  let n: bigint;
  try {
    n = typeof value === 'bigint' ? value : BigInt(value);
  } catch {
    return undefined;
  }
  if (n >> 184n !== VERSION || (n & 0xfn) !== VERSION || n >> 188n !== 0n) return undefined;
  const seqIndex = (n >> 80n) & 0xffffffffffffffffn;
  if (seqIndex > MAX_INDEX) return undefined;
  const shardIndex = Number((n >> 4n) & 0xffffffffn);
  return {
    shardCreateSecs: Number((n >> 148n) & 0xfffffffffn),
    shardIndex: shardIndex | 0, // a shard index with the top bit set reads as negative, as AWS prints it [obs]
    seqIndex,
    seqTimeSecs: Number((n >> 36n) & 0xfffffffffn),
  };
}

export function startingSequence(shardCreateSecs: number, shardIndex: number): bigint {
  return encodeSequence({ shardCreateSecs, shardIndex, seqIndex: 0n, seqTimeSecs: shardCreateSecs });
}

export function endingSequence(shardCreateSecs: number, shardIndex: number, closeSecs: number): bigint {
  return encodeSequence({ shardCreateSecs, shardIndex, seqIndex: MAX_INDEX, seqTimeSecs: closeSecs });
}

/** shardId-000000000005 (negative indexes as AWS prints what a foreign sequence number encodes: shardId--02147483648). */
export function shardIdName(index: number): string {
  const digits = String(Math.abs(index));
  return index < 0 ? `shardId--${digits.padStart(11, '0')}` : `shardId-${digits.padStart(12, '0')}`;
}

/**
 * The shard a ShardId names: AWS reads the part after the first '-' (or the whole id) as a number
 * from 0 to 2^31 - 1, so `shardId-5`, `shard-5` and `5` all name shardId-000000000005 [obs].
 * undefined when it is not such a number.
 */
export function parseShardId(id: string): number | undefined {
  const dash = id.indexOf('-');
  const digits = dash >= 0 ? id.slice(dash + 1) : id;
  if (!/^\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  return n <= 2147483647 ? n : undefined;
}

/** Compare two sequence numbers (decimal strings) as big integers. */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
