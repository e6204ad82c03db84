/**
 * Shard iterators: opaque base64 strings, as AWS's are (eight bytes 0...01, then an encrypted body,
 * so they read "AAAAAAAAAAE..." [obs]); here the body is sealed with AES-GCM, so an iterator that was
 * changed or made by another cloud is refused as invalid. The body says which stream incarnation and shard, the
 * position (records after this sequence number), and when the iterator was made: it expires after 5
 * virtual minutes [doc]. Every iterator is new (a counter is inside), as AWS hands out a different
 * NextShardIterator on every GetRecords [rec].
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ITERATOR_TTL_MS = 300_000;

const PREFIX = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]);

export interface IteratorState {
  /** Virtual epoch ms. */
  createdAt: number;
  accountId: string;
  region: string;
  streamName: string;
  /** The stream's creation (virtual ms): an iterator of a deleted and re-created stream is refused. */
  streamCreatedAt: number;
  shardIndex: number;
  /** Records after this sequence number. */
  after: bigint;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One key per codec (per store): iterators of another cloud process are invalid here. */
export class IteratorCodec {
  private readonly key = randomBytes(32);
  /** IVs: 4 random bytes, then a counter (never reused under one key; every iterator differs). */
  private readonly ivSalt = randomBytes(4);
  private counter = 0n;

  encode(s: IteratorState): string {
    const body = [s.createdAt, s.accountId, s.region, s.streamName, s.streamCreatedAt, s.shardIndex, s.after.toString(36)].join('/');
    const iv = Buffer.alloc(IV_BYTES);
    this.ivSalt.copy(iv);
    iv.writeBigUInt64BE(++this.counter, 4);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return Buffer.concat([PREFIX, iv, sealed, cipher.getAuthTag()]).toString('base64');
  }

  /** The iterator's state, or undefined when it is not one of ours. */
  decode(iterator: string): IteratorState | undefined {
    // AWS takes an iterator wrapped in double quotes as the iterator [rec].
    const text = iterator.length > 2 && iterator.startsWith('"') && iterator.endsWith('"') ? iterator.slice(1, -1) : iterator;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
    const raw = Buffer.from(text, 'base64');
    if (raw.length < 8 + IV_BYTES + TAG_BYTES + 1 || !raw.subarray(0, 8).equals(PREFIX)) return undefined;
    let body: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(8, 8 + IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      body = Buffer.concat([decipher.update(raw.subarray(8 + IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
    const parts = body.split('/');
    if (parts.length !== 7) return undefined;
    const [createdAt, accountId, region, streamName, streamCreatedAt, shardIndex, after] = parts;
    try {
      return {
        createdAt: Number(createdAt),
        accountId,
        region,
        streamName,
        streamCreatedAt: Number(streamCreatedAt),
        shardIndex: Number(shardIndex),
        after: parseBase36(after),
      };
    } catch {
      return undefined;
    }
  }
}

function parseBase36(s: string): bigint {
  let n = 0n;
  for (const ch of s) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d)) throw new Error('not base 36');
    n = n * 36n + BigInt(d);
  }
  return n;
}
