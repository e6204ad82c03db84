/**
 * S3 state: buckets (one namespace across regions, each bucket in its region), their keys' versions,
 * multipart uploads and configurations; object bodies in the BlobStore (dataDir). Also the two faces
 * S3 shows the rest of the cloud:
 *   - Lambda's code source (CreateFunction / UpdateFunctionCode with S3Bucket / S3Key), and
 *   - the deliverer's S3 destination (OnFailure records of asynchronous invocations and of stream
 *     mappings written as objects, which fire the bucket's notifications like any PutObject).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../clock';
import { failure } from '../../deliver';
import type { Deliverer, DeliveryContext, DeliveryOutcome } from '../../deliver/types';
import { AwsError } from '../../errors';
import type { LambdaService } from '../../lambda/service';
import type { SnsStore } from '../sns/store';
import type { SqsStore } from '../sqs/store';
import { BlobStore } from './blobs';
import { dispatchEvent } from './notify';
import { md5 } from './checksums';
import { invalidVersionId, methodNotAllowed, noSuchBucket, noSuchKey, noSuchVersion } from './errors';
import { hostId, httpDate, newVersionId, requestId, wellFormedVersionId } from './names';
import type { Blob, Bucket, ObjectHeaders, ObjectVersion, S3Context } from './types';

/** What S3's notifications reach in this cloud (set by the cloud once they exist). */
export interface S3Links {
  lambda?: LambdaService;
  sqs?: SqsStore;
  sns?: SnsStore;
}

/** Hooks other files register (notify.ts: events after a change). */
export interface ObjectEvent {
  bucket: Bucket;
  /** "ObjectCreated:Put", "ObjectRemoved:Delete", ... */
  name: string;
  key: string;
  version?: ObjectVersion;
  /** For removals: the version id removed or the delete marker's. */
  versionId?: string;
  requestId: string;
  hostId: string;
  sourceIp: string;
  requester: string;
  /** The access key of the request (the record's userIdentity). */
  accessKeyId?: string;
  traceHeader?: string;
}

export class S3Store {
  readonly buckets = new Map<string, Bucket>();
  readonly blobs: BlobStore;
  links: S3Links = {};
  /** Called after each object change (notify.ts sends the bucket's notifications). */
  onEvent?: (e: ObjectEvent) => void;
  private lastSequencer = 0n;

  constructor(
    readonly clock: Clock,
    dataDir: string,
    readonly deliverer?: Deliverer,
  ) {
    this.blobs = new BlobStore(path.join(dataDir, 's3', randomBytes(4).toString('hex')));
    this.onEvent = (e) => dispatchEvent(this, e);
  }

  /** Virtual now, truncated to the second (S3's Last-Modified precision). */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000) * 1000;
  }

  bucket(name: string | undefined): Bucket {
    const b = name === undefined ? undefined : this.buckets.get(name);
    if (!b) throw noSuchBucket(name ?? '');
    return b;
  }

  /** The key's current version (an object or a delete marker), if any. */
  current(bucket: Bucket, key: string): ObjectVersion | undefined {
    const versions = bucket.keys.get(key);
    return versions?.[versions.length - 1];
  }

  /** The key's current object, undefined when absent or a delete marker. */
  live(bucket: Bucket, key: string): ObjectVersion | undefined {
    const c = this.current(bucket, key);
    return c && !c.deleteMarker ? c : undefined;
  }

  /**
   * The object a read names (versionId or the current one), as GetObject / HeadObject / the copy
   * source find it: NoSuchKey (with x-amz-delete-marker when the current version is one),
   * NoSuchVersion, "Invalid version id specified", 405 for a delete marker by version [rec].
   */
  find(bucket: Bucket, key: string, versionId: string | null | undefined, method = 'GET'): ObjectVersion {
    const versions = bucket.keys.get(key) ?? [];
    if (versionId !== null && versionId !== undefined) {
      if (!wellFormedVersionId(versionId) || (versionId !== 'null' && !bucket.versioning)) throw invalidVersionId(versionId);
      const v = versions.find((x) => x.versionId === versionId);
      if (!v) throw noSuchVersion(key, versionId);
      if (v.deleteMarker) {
        throw methodNotAllowed(method, 'DeleteMarker', { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId, 'last-modified': httpDate(v.lastModified), allow: 'DELETE' });
      }
      return v;
    }
    const cur = versions[versions.length - 1];
    if (!cur) throw noSuchKey(key);
    if (cur.deleteMarker) throw noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': cur.versionId });
    return cur;
  }

  /** The version id a new write gets under the bucket's versioning state. */
  newVersionIdFor(bucket: Bucket): string {
    return bucket.versioning === 'Enabled' ? newVersionId() : 'null';
  }

  /**
   * Store a new current version. Unversioned buckets keep one version; a suspended bucket replaces
   * its "null" version; an enabled one keeps them all [doc].
   */
  putVersion(bucket: Bucket, obj: ObjectVersion): void {
    let versions = bucket.keys.get(obj.key);
    if (!versions) {
      versions = [];
      bucket.keys.set(obj.key, versions);
      bucket.sortedKeys = undefined;
    }
    if (obj.versionId === 'null') {
      const i = versions.findIndex((v) => v.versionId === 'null');
      if (i >= 0) this.blobs.release(versions.splice(i, 1)[0].body);
    }
    versions.push(obj);
  }

  /**
   * Store a version written after awaits (body reads, file writes): the bucket must still be the
   * one looked up, and the write condition must still hold; otherwise the bytes are let go.
   */
  commit(bucket: Bucket, obj: ObjectVersion, recheck?: () => void): void {
    try {
      if (this.buckets.get(bucket.name) !== bucket) throw noSuchBucket(bucket.name);
      recheck?.();
    } catch (e) {
      this.blobs.release(obj.body);
      throw e;
    }
    this.putVersion(bucket, obj);
  }

  /** Remove one version for good; the key goes when it has none left. */
  removeVersion(bucket: Bucket, key: string, versionId: string): ObjectVersion | undefined {
    const versions = bucket.keys.get(key);
    if (!versions) return undefined;
    const i = versions.findIndex((v) => v.versionId === versionId);
    if (i < 0) return undefined;
    const [gone] = versions.splice(i, 1);
    this.blobs.release(gone.body);
    if (versions.length === 0) {
      bucket.keys.delete(key);
      bucket.sortedKeys = undefined;
    }
    return gone;
  }

  sortedKeys(bucket: Bucket): string[] {
    if (!bucket.sortedKeys) bucket.sortedKeys = [...bucket.keys.keys()].sort(compareKeys);
    return bucket.sortedKeys;
  }

  /** A new object version (not yet stored). */
  makeObject(bucket: Bucket, key: string, body: Blob, fields: Partial<ObjectVersion> & { etag: string }): ObjectVersion {
    return {
      key,
      versionId: this.newVersionIdFor(bucket),
      deleteMarker: false,
      lastModified: this.nowSeconds(),
      size: body.size,
      headers: {},
      metadata: {},
      tags: [],
      storageClass: 'STANDARD',
      body,
      ...fields,
    };
  }

  /** A delete marker (size 0, the empty MD5 as its ETag in event records [rec]). */
  makeDeleteMarker(bucket: Bucket, key: string): ObjectVersion {
    const body = { size: 0, chunks: [] };
    return { ...this.makeObject(bucket, key, body, { etag: EMPTY_MD5 }), deleteMarker: true };
  }

  /**
   * The event sequencer [doc]: hex, increasing for the same key (here across the store), so
   * consumers can order events of one key.
   */
  nextSequencer(): string {
    const now = BigInt(this.clock.now()) << 16n;
    this.lastSequencer = now > this.lastSequencer ? now : this.lastSequencer + 1n;
    return this.lastSequencer.toString(16).toUpperCase().padStart(18, '0');
  }

  emit(e: ObjectEvent): void {
    this.onEvent?.(e);
  }

  // ------------------------------------------------------------------ Lambda's code source

  /**
   * The bytes of an object for CreateFunction / UpdateFunctionCode (S3Bucket, S3Key,
   * S3ObjectVersion); S3's own errors (NoSuchBucket, NoSuchKey...) for Lambda to wrap [rec].
   */
  readCode(ctx: { accountId: string; region: string }, bucketName: string, key: string, versionId?: string): Buffer {
    const bucket = this.bucket(bucketName);
    if (bucket.region !== ctx.region) {
      // [obs] Lambda reads the code in its own region.
      throw new AwsError('PermanentRedirect', `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`, 301);
    }
    const obj = this.find(bucket, key, versionId);
    return this.blobs.readSync(obj.body);
  }

  // ------------------------------------------------------------------ the deliverer's S3 destination

  /** Write a record as an object (an OnFailure destination); the bucket's notifications fire. */
  async putInternal(dctx: DeliveryContext, bucketArn: string, key: string, body: string): Promise<DeliveryOutcome> {
    const m = /^arn:aws[a-zA-Z-]*:s3:::([^/]+)$/.exec(bucketArn);
    if (!m) return failure('not-found', 'InvalidArn', `Invalid bucket ARN: ${bucketArn}`);
    const bucket = this.buckets.get(m[1]);
    if (!bucket) return failure('not-found', 'NoSuchBucket', 'The specified bucket does not exist');
    const data = Buffer.from(body, 'utf8');
    const blob = await this.blobs.put(data);
    const headers: ObjectHeaders = { contentType: 'application/json' }; // (content type unconfirmed)
    const obj = this.makeObject(bucket, key, blob, { etag: md5(data).toString('hex'), headers, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' } });
    this.putVersion(bucket, obj);
    this.emit({ bucket, name: 'ObjectCreated:Put', key, version: obj, requestId: requestId(), hostId: hostId(), sourceIp: '127.0.0.1', requester: dctx.accountId, traceHeader: dctx.traceHeader });
    return { ok: true, id: obj.versionId };
  }

  clear(): void {
    this.buckets.clear();
    this.blobs.clear();
  }
}

export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/**
 * S3 lists keys in UTF-8 byte order: UTF-16 code-unit order, except that a surrogate (a character
 * past U+FFFF, UTF-8 F0..) sorts after U+E000..U+FFFF (UTF-8 EE, EF).
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs && !ys && y >= 0xe000) return 1;
    if (ys && !xs && x >= 0xe000) return -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Who made a change, for its event records. */
export function requestInfo(r: { ctx: S3Context }): Pick<ObjectEvent, 'requestId' | 'hostId' | 'sourceIp' | 'requester' | 'accessKeyId' | 'traceHeader'> {
  const c = r.ctx;
  return { requestId: c.requestId, hostId: c.hostId, sourceIp: c.sourceIp, requester: c.accountId, accessKeyId: c.accessKeyId, traceHeader: c.traceHeader };
}
