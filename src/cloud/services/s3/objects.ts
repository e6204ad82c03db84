/**
 * PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, and the upload body checks that
 * UploadPart shares (aws-chunked decoding, x-amz-content-sha256, Content-MD5, flexible checksums).
 */
import { createHash } from 'node:crypto';
import { decodeAwsChunked, isAwsChunked } from './chunked';
import { checkContentMd5, computeChecksum, md5, sentChecksum, verifyChecksum } from './checksums';
import { checkReadConditions, checkWriteCondition, parseRange, parseWriteCondition } from './conditions';
import { contentSha256Mismatch, invalidArgument, invalidVersionId, keyTooLong, malformedXML, missingContentLength, notImplemented, preconditionFailed, s3Error } from './errors';
import { checksumHeaders, objectHeaders, readObjectHeaders, readStorageClass, readUserMetadata } from './metadata';
import { wellFormedVersionId } from './names';
import { requestInfo, type S3Store } from './store';
import { parseTaggingHeader } from './tagging';
import type { Bucket, ChecksumAlgorithm, ObjectChecksum, ObjectVersion, S3Request, S3Response } from './types';
import { baseHeaders, emptyAnswer, list, parseXml, rootOf, text, xmlAnswer, type XmlNode } from './xml';

/** Objects up to this size get S3's default CRC64NVME at once; larger ones when first asked. */
const EAGER_CHECKSUM_MAX = 1024 * 1024;

export interface UploadBody {
  data: Buffer;
  md5: Buffer;
  sent?: { algorithm: ChecksumAlgorithm; value: string };
}

/** The bytes of an upload, decoded and checked (PutObject, UploadPart). */
export async function readUploadBody(r: S3Request): Promise<UploadBody> {
  let data = r.body;
  let trailers: Record<string, string> = {};
  const sha = r.headers['x-amz-content-sha256'];
  if (sha && /^[0-9a-f]{64}$/.test(sha)) {
    const actual = createHash('sha256').update(r.body).digest('hex');
    if (actual !== sha) throw contentSha256Mismatch(sha, actual);
  }
  if (isAwsChunked(r.headers)) {
    const declared = r.headers['x-amz-decoded-content-length'];
    ({ data, trailers } = decodeAwsChunked(r.body, declared === undefined ? undefined : Number(declared)));
  } else if (r.headers['content-length'] === undefined && r.headers['transfer-encoding'] !== undefined) {
    throw missingContentLength();
  }
  const digest = md5(data);
  checkContentMd5(r.headers['content-md5'], digest);
  const sent = sentChecksum(r.headers, trailers);
  if (sent) await verifyChecksum(sent, data);
  return { data, md5: digest, sent };
}

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > 1024) throw keyTooLong(size);
}

/** The checksum S3 keeps for a new object: the one sent, else its default CRC64NVME [rec]. */
export async function objectChecksum(body: UploadBody): Promise<ObjectChecksum> {
  if (body.sent) return { algorithm: body.sent.algorithm, type: 'FULL_OBJECT', value: body.sent.value };
  const c: ObjectChecksum = { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' };
  if (body.data.length <= EAGER_CHECKSUM_MAX) c.value = await computeChecksum('CRC64NVME', body.data);
  return c;
}

/** An object's checksum, computed now if S3 left it for later. */
export async function ensureChecksum(store: S3Store, obj: ObjectVersion): Promise<void> {
  const c = obj.checksum;
  if (c && c.value === undefined) c.value = await computeChecksum(c.algorithm, store.blobs.stream(obj.body));
}

export async function putObject(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const key = r.key!;
  checkKey(key);
  const cond = parseWriteCondition(r.headers);
  const headers = readObjectHeaders(r.headers);
  const metadata = readUserMetadata(r.headers);
  const storageClass = readStorageClass(r.headers);
  const tags = parseTaggingHeader(r.headers['x-amz-tagging']) ?? [];
  const body = await readUploadBody(r);
  checkWriteCondition(cond, key, store.live(bucket, key));
  const checksum = await objectChecksum(body);
  const blob = await store.blobs.put(body.data);
  const obj = store.makeObject(bucket, key, blob, { etag: body.md5.toString('hex'), headers, metadata, tags, storageClass, checksum });
  store.commit(bucket, obj, () => checkWriteCondition(cond, key, store.live(bucket, key)));
  store.emit({ bucket, name: 'ObjectCreated:Put', key, version: obj, ...requestInfo(r) });
  const out: Record<string, string> = { etag: `"${obj.etag}"`, 'x-amz-server-side-encryption': 'AES256' };
  if (body.sent) Object.assign(out, checksumHeaders(obj));
  if (bucket.versioning === 'Enabled') out['x-amz-version-id'] = obj.versionId; // none while suspended [rec]
  return emptyAnswer(r.ctx, 200, out);
}

/** GetObject and HeadObject. */
export async function getObject(store: S3Store, r: S3Request): Promise<S3Response> {
  const head = r.method === 'HEAD';
  const bucket = store.bucket(r.bucket);
  const obj = store.find(bucket, r.key!, r.query.get('versionId'), r.method);
  checkReadConditions(r.headers, obj, store.clock.now());
  if (!head && (obj.storageClass === 'GLACIER' || obj.storageClass === 'DEEP_ARCHIVE')) {
    throw s3Error('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { StorageClass: obj.storageClass });
  }
  const headers = objectHeaders(obj, r.query, bucket.versioning !== undefined);
  let range = partRange(r, obj, headers);
  if (!range && r.query.get('partNumber') === null) range = parseRange(r.headers.range, obj.size);
  if (!range && (r.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED') {
    await ensureChecksum(store, obj);
    Object.assign(headers, checksumHeaders(obj));
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? obj.size - 1;
  if (range) headers['content-range'] = `bytes ${start}-${end}/${obj.size}`;
  const status = range ? 206 : 200;
  if (head) {
    headers['content-length'] = String(Math.max(0, end - start + 1));
    return emptyAnswer(r.ctx, status, headers);
  }
  // Hold the bytes while they are read: an overwrite meanwhile must not remove them.
  const held = store.blobs.share(obj.body);
  try {
    const data = obj.size === 0 ? Buffer.alloc(0) : await store.blobs.read(held, start, end);
    return { status, headers: { ...baseHeaders(r.ctx), ...headers }, body: data };
  } finally {
    store.blobs.release(held);
  }
}

/** ?partNumber=N: that part's bytes of a multipart object (part 1 of any other object is all of it). */
function partRange(r: S3Request, obj: ObjectVersion, headers: Record<string, string>): { start: number; end: number } | undefined {
  const raw = r.query.get('partNumber');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10_000) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  const sizes = obj.partSizes ?? [obj.size];
  if (n > sizes.length) {
    throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { PartNumberRequested: n, ActualPartCount: sizes.length });
  }
  if (obj.partSizes) headers['x-amz-mp-parts-count'] = String(sizes.length);
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += sizes[i];
  if (!obj.partSizes) return undefined;
  return { start, end: start + sizes[n - 1] - 1 };
}

interface DeleteOutcome {
  versionId?: string;
  deleteMarker?: boolean;
}

/**
 * Delete one key or version: a version id removes that version for good; otherwise an unversioned
 * bucket removes the object and a versioned one stacks a delete marker ("null" when suspended) [doc].
 */
function deleteOne(store: S3Store, bucket: Bucket, key: string, versionId: string | undefined, r: S3Request, batch: boolean): DeleteOutcome {
  if (versionId !== undefined) {
    if (!wellFormedVersionId(versionId) || (versionId !== 'null' && !bucket.versioning)) {
      if (batch) throw s3Error('NoSuchVersion', 'The specified version does not exist.', 404); // [rec] per entry
      throw invalidVersionId(versionId);
    }
    const gone = store.removeVersion(bucket, key, versionId);
    if (!gone && batch && versionId !== 'null') throw s3Error('NoSuchVersion', 'The specified version does not exist.', 404);
    if (gone && !gone.deleteMarker) store.emit({ bucket, name: 'ObjectRemoved:Delete', key, versionId: bucket.versioning ? versionId : undefined, ...requestInfo(r) });
    return { versionId, deleteMarker: gone?.deleteMarker || undefined };
  }
  if (!bucket.versioning) {
    const gone = store.removeVersion(bucket, key, 'null');
    if (gone) store.emit({ bucket, name: 'ObjectRemoved:Delete', key, ...requestInfo(r) });
    return {};
  }
  const marker = store.makeDeleteMarker(bucket, key);
  store.putVersion(bucket, marker);
  store.emit({ bucket, name: 'ObjectRemoved:DeleteMarkerCreated', key, version: marker, versionId: marker.versionId, ...requestInfo(r) });
  return { versionId: marker.versionId, deleteMarker: true };
}

function checkDeleteHeaders(r: S3Request): void {
  if (r.headers['x-amz-bypass-governance-retention'] !== undefined) {
    throw invalidArgument('x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', 'x-amz-bypass-governance-retention'); // [rec]
  }
}

export function deleteObject(store: S3Store, r: S3Request): S3Response {
  checkDeleteHeaders(r);
  const bucket = store.bucket(r.bucket);
  const key = r.key!;
  for (const h of ['x-amz-if-match-last-modified-time', 'x-amz-if-match-size']) if (r.headers[h] !== undefined) throw notImplemented(h); // [rec]
  const ifMatch = r.headers['if-match'];
  if (ifMatch !== undefined) {
    const cur = store.live(bucket, key);
    if (!cur || (ifMatch.trim() !== '*' && ifMatch.trim().replace(/^"|"$/g, '') !== cur.etag)) throw preconditionFailed('If-Match'); // [rec]
  }
  const out = deleteOne(store, bucket, key, r.query.get('versionId') ?? undefined, r, false);
  const headers: Record<string, string> = {};
  if (out.versionId !== undefined) headers['x-amz-version-id'] = out.versionId;
  if (out.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return emptyAnswer(r.ctx, 204, headers);
}

export function deleteObjects(store: S3Store, r: S3Request): S3Response {
  checkDeleteHeaders(r);
  const bucket = store.bucket(r.bucket);
  const root = rootOf(parseXml(r.body), 'Delete');
  const quiet = text(root, 'Quiet') === 'true';
  const entries = list(root, 'Object');
  if (entries.length === 0 || entries.length > 1000) throw malformedXML();
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const e of entries) {
    const key = text(e, 'Key');
    if (key === undefined) throw malformedXML();
    const versionId = text(e, 'VersionId');
    try {
      const out = deleteOne(store, bucket, key, versionId, r, true);
      if (quiet) continue;
      const d: XmlNode = { Key: key };
      if (versionId !== undefined) d.VersionId = versionId;
      if (out.deleteMarker) {
        d.DeleteMarker = 'true';
        d.DeleteMarkerVersionId = out.versionId;
      }
      deleted.push(d);
    } catch (err) {
      const ae = err as { code: string; message: string };
      errors.push({ Key: key, VersionId: versionId, Code: ae.code, Message: ae.message });
    }
  }
  return xmlAnswer(r.ctx, 'DeleteResult', { Deleted: deleted, Error: errors });
}
