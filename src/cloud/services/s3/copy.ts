/**
 * CopyObject, and the copy source it shares with UploadPartCopy: `x-amz-copy-source:
 * [/]<bucket>/<key>[?versionId=<id>]` (URL-encoded), its x-amz-copy-source-if-* conditions, and
 * the metadata and tagging directives (COPY, the default, or REPLACE) [doc][rec].
 */
import { computeChecksum, md5, parseAlgorithm } from './checksums';
import { checkCopySourceConditions, checkWriteCondition, parseWriteCondition } from './conditions';
import { invalidArgument, invalidRequest } from './errors';
import { checksumHeaders, readObjectHeaders, readStorageClass, readUserMetadata } from './metadata';
import { isoDate } from './names';
import { checkKey, ensureChecksum } from './objects';
import { requestInfo, type S3Store } from './store';
import { parseTaggingHeader } from './tagging';
import type { Bucket, ObjectChecksum, ObjectVersion, S3Request, S3Response } from './types';
import { xmlAnswer } from './xml';

export interface CopySource {
  bucket: Bucket;
  obj: ObjectVersion;
  /** The version id to echo in x-amz-copy-source-version-id (versioned source buckets). */
  versionId?: string;
}

/** The object x-amz-copy-source names, with the source conditions checked. */
export function copySource(store: S3Store, r: S3Request): CopySource {
  const header = r.headers['x-amz-copy-source'] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    decoded = header;
  }
  let path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  let versionId: string | undefined;
  const q = path.indexOf('?versionId=');
  if (q >= 0) {
    versionId = path.slice(q + '?versionId='.length);
    path = path.slice(0, q);
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', 'x-amz-copy-source'); // [rec]
  const bucket = store.bucket(path.slice(0, slash));
  const obj = store.find(bucket, path.slice(slash + 1), versionId);
  checkCopySourceConditions(r.headers, obj, store.clock.now());
  return { bucket, obj, versionId: bucket.versioning ? obj.versionId : undefined };
}

function directive(r: S3Request, header: string, what: string): 'COPY' | 'REPLACE' {
  const v = r.headers[header];
  if (v === undefined) return 'COPY';
  if (v === 'COPY' || v === 'REPLACE') return v;
  throw invalidArgument(`Unknown ${what} directive.`, header, v); // [obs]
}

export async function copyObject(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const key = r.key!;
  checkKey(key);
  const src = copySource(store, r);
  const metaDirective = directive(r, 'x-amz-metadata-directive', 'metadata');
  const tagDirective = directive(r, 'x-amz-tagging-directive', 'tagging');
  const storageClass = r.headers['x-amz-storage-class'] !== undefined ? readStorageClass(r.headers) : src.obj.storageClass;
  const algorithm = parseAlgorithm(r.headers['x-amz-checksum-algorithm']);
  const inPlace = src.bucket === bucket && src.obj.key === key;
  if (
    inPlace &&
    metaDirective === 'COPY' &&
    r.headers['x-amz-storage-class'] === undefined &&
    r.headers['x-amz-website-redirect-location'] === undefined &&
    r.headers['x-amz-server-side-encryption'] === undefined &&
    !algorithm
  ) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    ); // [doc]
  }
  const cond = parseWriteCondition(r.headers);
  checkWriteCondition(cond, key, store.live(bucket, key));
  const s = src.obj;
  const headers = metaDirective === 'REPLACE' ? readObjectHeaders(r.headers) : { ...s.headers };
  const metadata = metaDirective === 'REPLACE' ? readUserMetadata(r.headers) : { ...s.metadata };
  const tags = tagDirective === 'REPLACE' ? (parseTaggingHeader(r.headers['x-amz-tagging']) ?? []) : [...s.tags];
  const body = store.blobs.share(s.body);
  // A copy is a new single upload: a multipart source gets a plain MD5 ETag [rec].
  const etag = s.partSizes ? md5(await store.blobs.read(body)).toString('hex') : s.etag;
  let checksum: ObjectChecksum | undefined;
  if (algorithm) checksum = { algorithm, type: 'FULL_OBJECT', value: await computeChecksum(algorithm, store.blobs.stream(body)) };
  else if (s.checksum?.type === 'COMPOSITE' || !s.checksum) checksum = { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' };
  else {
    await ensureChecksum(store, s);
    checksum = { ...s.checksum };
  }
  if (checksum.value === undefined && body.size <= 1024 * 1024) checksum.value = await computeChecksum(checksum.algorithm, store.blobs.stream(body));
  const obj = store.makeObject(bucket, key, body, { etag, headers, metadata, tags, storageClass, checksum });
  store.commit(bucket, obj, () => checkWriteCondition(cond, key, store.live(bucket, key)));
  store.emit({ bucket, name: 'ObjectCreated:Copy', key, version: obj, ...requestInfo(r) });
  const out: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (src.versionId) out['x-amz-copy-source-version-id'] = src.versionId;
  if (bucket.versioning === 'Enabled') out['x-amz-version-id'] = obj.versionId; // none while suspended [rec]
  const sums = checksumHeaders(obj);
  const result = {
    ETag: `"${obj.etag}"`,
    LastModified: isoDate(obj.lastModified),
    ...Object.fromEntries(Object.entries(sums).map(([k, v]) => [k === 'x-amz-checksum-type' ? 'ChecksumType' : `Checksum${obj.checksum!.algorithm}`, v])),
  };
  return xmlAnswer(r.ctx, 'CopyObjectResult', result, out);
}
