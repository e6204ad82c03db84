/**
 * ListObjectsV2, ListObjects (v1) and ListObjectVersions: keys in UTF-8 order, `prefix`, `delimiter`
 * (CommonPrefixes count toward max-keys), `start-after` / `marker` / continuation tokens, at most
 * 1000 per page, `encoding-type=url` [doc][rec: test_s3_list_operations].
 */
import { invalidArgument } from './errors';
import { canonicalId, encodeKey, isoDate } from './names';
import { compareKeys, type S3Store } from './store';
import type { Bucket, ObjectVersion, S3Request, S3Response } from './types';
import { xmlAnswer, type XmlNode } from './xml';

const PAGE_MAX = 1000;

interface ListParams {
  prefix: string;
  delimiter?: string;
  max: number;
  /** Echoed MaxKeys. */
  maxKeys: number;
  encode: (s: string) => string;
  encodingType?: string;
}

function params(r: S3Request): ListParams {
  const q = r.query;
  const encodingType = q.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType || undefined); // [rec]
  const rawMax = q.get('max-keys') ?? q.get('max-uploads');
  let maxKeys = PAGE_MAX;
  if (rawMax !== null) {
    maxKeys = Number(rawMax);
    if (!/^\d+$/.test(rawMax) || maxKeys > 2_147_483_647) {
      throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', rawMax); // (text unconfirmed)
    }
  }
  const delimiter = q.get('delimiter') || undefined;
  return {
    prefix: q.get('prefix') ?? '',
    delimiter,
    max: Math.min(maxKeys, PAGE_MAX),
    maxKeys,
    encode: encodingType === 'url' ? encodeKey : (s) => s,
    encodingType: encodingType ?? undefined,
  };
}

interface Walked {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned (the next page starts after it). */
  last?: string;
}

/** First index of a key greater than `after` (or not less than `from`) in sorted keys. */
function lowerBound(keys: string[], target: string, strict: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys[mid], target);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of keys and common prefixes after `after`. */
function walk(store: S3Store, bucket: Bucket, p: ListParams, after: string | undefined, include: (key: string) => boolean): Walked {
  const sorted = store.sortedKeys(bucket);
  const out: Walked = { keys: [], prefixes: [], truncated: false };
  let i = after !== undefined && compareKeys(after, p.prefix) >= 0 ? lowerBound(sorted, after, true) : lowerBound(sorted, p.prefix, false);
  for (; i < sorted.length; i++) {
    const key = sorted[i];
    if (!key.startsWith(p.prefix)) {
      if (compareKeys(key, p.prefix) > 0) break;
      continue;
    }
    if (!include(key)) continue;
    let item = key;
    let isPrefix = false;
    if (p.delimiter) {
      const at = key.indexOf(p.delimiter, p.prefix.length);
      if (at >= 0) {
        item = key.slice(0, at + p.delimiter.length);
        isPrefix = true;
        if (item === out.prefixes[out.prefixes.length - 1]) continue;
        if (after !== undefined && compareKeys(item, after) <= 0) continue;
      }
    }
    if (out.keys.length + out.prefixes.length >= p.max) {
      out.truncated = true;
      break;
    }
    if (isPrefix) out.prefixes.push(item);
    else out.keys.push(item);
    out.last = item;
  }
  return out;
}

function contents(bucket: Bucket, store: S3Store, keys: string[], p: ListParams, owner: XmlNode | undefined): XmlNode[] {
  return keys.map((k) => {
    const v = store.current(bucket, k)!;
    return {
      Key: p.encode(k),
      LastModified: isoDate(v.lastModified),
      ETag: `"${v.etag}"`,
      ChecksumAlgorithm: v.checksum?.algorithm,
      ChecksumType: v.checksum?.type,
      Size: v.size,
      Owner: owner,
      StorageClass: v.storageClass,
    };
  });
}

const isLive = (store: S3Store, bucket: Bucket) => (key: string) => store.live(bucket, key) !== undefined;

const TOKEN_MARK = '\u0001';

function tokenFor(last: string): string {
  return Buffer.from(TOKEN_MARK + last, 'utf8').toString('base64');
}

function fromToken(token: string): string {
  const bad = () => invalidArgument('The continuation token provided is incorrect', 'continuation-token'); // [rec]
  if (!token || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw bad();
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_MARK)) throw bad();
  return text.slice(1);
}

export function listObjectsV2(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const p = params(r);
  const token = r.query.get('continuation-token');
  const startAfter = r.query.get('start-after') ?? undefined;
  const after = token !== null ? fromToken(token) : startAfter;
  const page = walk(store, bucket, p, after, isLive(store, bucket));
  const owner = r.query.get('fetch-owner') === 'true' ? { ID: canonicalId(bucket.accountId), DisplayName: 'webfile' } : undefined;
  return xmlAnswer(r.ctx, 'ListBucketResult', {
    Name: bucket.name,
    Prefix: p.encode(p.prefix),
    Delimiter: p.delimiter !== undefined ? p.encode(p.delimiter) : undefined,
    MaxKeys: p.maxKeys,
    EncodingType: p.encodingType,
    KeyCount: page.keys.length + page.prefixes.length,
    IsTruncated: page.truncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: page.truncated && page.last !== undefined ? tokenFor(page.last) : undefined,
    StartAfter: startAfter !== undefined ? p.encode(startAfter) : undefined,
    Contents: contents(bucket, store, page.keys, p, owner),
    CommonPrefixes: page.prefixes.map((x) => ({ Prefix: p.encode(x) })),
  });
}

export function listObjects(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const p = params(r);
  const marker = r.query.get('marker') ?? '';
  const page = walk(store, bucket, p, marker || undefined, isLive(store, bucket));
  return xmlAnswer(r.ctx, 'ListBucketResult', {
    Name: bucket.name,
    Prefix: p.encode(p.prefix),
    Marker: p.encode(marker),
    // NextMarker only with a delimiter [rec: test_list_objects_next_marker].
    NextMarker: page.truncated && p.delimiter && page.last !== undefined ? p.encode(page.last) : undefined,
    MaxKeys: p.maxKeys,
    Delimiter: p.delimiter !== undefined ? p.encode(p.delimiter) : undefined,
    EncodingType: p.encodingType,
    IsTruncated: page.truncated,
    Contents: contents(bucket, store, page.keys, p, { ID: canonicalId(bucket.accountId), DisplayName: 'webfile' }),
    CommonPrefixes: page.prefixes.map((x) => ({ Prefix: p.encode(x) })),
  });
}

export function listObjectVersions(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const p = params(r);
  const keyMarker = r.query.get('key-marker') ?? '';
  const versionMarker = r.query.get('version-id-marker') ?? '';
  if (versionMarker && !keyMarker) {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionMarker); // [rec]
  }
  const owner = { ID: canonicalId(bucket.accountId), DisplayName: 'webfile' };
  const versions: XmlNode[] = [];
  const markers: XmlNode[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  const sorted = store.sortedKeys(bucket);
  let i = keyMarker ? lowerBound(sorted, keyMarker, !versionMarker) : lowerBound(sorted, p.prefix, false);
  outer: for (; i < sorted.length; i++) {
    const key = sorted[i];
    if (!key.startsWith(p.prefix)) {
      if (compareKeys(key, p.prefix) > 0) break;
      continue;
    }
    if (p.delimiter) {
      const at = key.indexOf(p.delimiter, p.prefix.length);
      if (at >= 0) {
        const cp = key.slice(0, at + p.delimiter.length);
        if (cp === prefixes[prefixes.length - 1] || (keyMarker && compareKeys(cp, keyMarker) <= 0)) continue;
        if (count >= p.max) {
          truncated = true;
          break;
        }
        prefixes.push(cp);
        count++;
        nextKey = cp;
        nextVersion = undefined;
        continue;
      }
    }
    const list = [...(bucket.keys.get(key) ?? [])].reverse();
    let j = 0;
    if (key === keyMarker && versionMarker) {
      j = list.findIndex((v) => v.versionId === versionMarker) + 1;
    }
    for (; j < list.length; j++) {
      const v = list[j];
      if (count >= p.max) {
        truncated = true;
        break outer;
      }
      (v.deleteMarker ? markers : versions).push(versionNode(v, j === 0, p, owner));
      count++;
      nextKey = key;
      nextVersion = v.versionId;
    }
  }
  return xmlAnswer(r.ctx, 'ListVersionsResult', {
    Name: bucket.name,
    Prefix: p.encode(p.prefix),
    KeyMarker: p.encode(keyMarker),
    VersionIdMarker: versionMarker,
    NextKeyMarker: truncated && nextKey !== undefined ? p.encode(nextKey) : undefined,
    NextVersionIdMarker: truncated ? nextVersion : undefined,
    MaxKeys: p.maxKeys,
    Delimiter: p.delimiter !== undefined ? p.encode(p.delimiter) : undefined,
    EncodingType: p.encodingType,
    IsTruncated: truncated,
    Version: versions,
    DeleteMarker: markers,
    CommonPrefixes: prefixes.map((x) => ({ Prefix: p.encode(x) })),
  });
}

function versionNode(v: ObjectVersion, latest: boolean, p: ListParams, owner: XmlNode): XmlNode {
  if (v.deleteMarker) return { Key: p.encode(v.key), VersionId: v.versionId, IsLatest: latest, LastModified: isoDate(v.lastModified), Owner: owner };
  return {
    Key: p.encode(v.key),
    VersionId: v.versionId,
    IsLatest: latest,
    LastModified: isoDate(v.lastModified),
    ETag: `"${v.etag}"`,
    ChecksumAlgorithm: v.checksum?.algorithm,
    ChecksumType: v.checksum?.type,
    Size: v.size,
    Owner: owner,
    StorageClass: v.storageClass,
  };
}
