/**
 * Multipart upload: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts, ListMultipartUploads [doc][rec: test_s3.py TestS3 multipart,
 * TestS3MultipartUploadChecksum, TestS3Multipart].
 *   - Parts 1..10000; every part but the last at least 5 MiB (EntityTooSmall, checked at Complete).
 *   - Complete lists parts in ascending order (InvalidPartOrder) with their ETags (InvalidPart).
 *   - ETag: MD5 of the parts' binary MD5s, "-<n>". Checksums: with an algorithm at Create the parts
 *     carry it and the object gets a COMPOSITE ("<checksum of checksums>-<n>") or FULL_OBJECT one;
 *     without, the object gets S3's default CRC64NVME.
 * The object's body is its parts' chunks, joined without a copy.
 */
import { compositeChecksum, computeChecksum, md5, multipartEtag, parseAlgorithm } from './checksums';
import { checkWriteCondition, parseWriteCondition } from './conditions';
import { copySource } from './copy';
import { entityTooSmall, invalidArgument, invalidPart, invalidPartNumber, invalidPartOrder, invalidRequest, malformedXML, noSuchUpload, s3Error } from './errors';
import { readObjectHeaders, readStorageClass, readUserMetadata } from './metadata';
import { canonicalId, encodeKey, isoDate, newUploadId } from './names';
import { checkKey, readUploadBody } from './objects';
import { compareKeys, requestInfo, type S3Store } from './store';
import { parseTaggingHeader } from './tagging';
import type { Bucket, ChecksumType, ObjectChecksum, Part, S3Request, S3Response, Upload } from './types';
import { emptyAnswer, list, parseXml, rootOf, text, xmlAnswer, type XmlNode } from './xml';

export const MIN_PART_SIZE = 5 * 1024 * 1024;

function upload(bucket: Bucket, id: string | null, key: string): Upload {
  const u = id === null ? undefined : bucket.uploads.get(id);
  if (!u || u.key !== key) throw noSuchUpload(id ?? '');
  return u;
}

function partNumber(r: S3Request): number {
  const raw = r.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < 1 || n > 10_000) throw invalidPartNumber(raw);
  return n;
}

export function createMultipartUpload(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const key = r.key!;
  checkKey(key);
  const algorithm = parseAlgorithm(r.headers['x-amz-checksum-algorithm']);
  if (r.headers['x-amz-checksum-algorithm'] !== undefined && !algorithm) {
    throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]'); // [obs]
  }
  const typeHeader = r.headers['x-amz-checksum-type']?.toUpperCase();
  let checksumType: ChecksumType | undefined;
  if (algorithm) {
    // COMPOSITE by default, FULL_OBJECT for CRC64NVME [rec]; SHA cannot be FULL_OBJECT, CRC64NVME not COMPOSITE.
    checksumType = (typeHeader as ChecksumType | undefined) ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
    if (checksumType !== 'FULL_OBJECT' && checksumType !== 'COMPOSITE') throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
    if ((checksumType === 'FULL_OBJECT' && algorithm.startsWith('SHA')) || (checksumType === 'COMPOSITE' && algorithm === 'CRC64NVME')) {
      throw invalidRequest(`The ${checksumType} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`); // (text unconfirmed)
    }
  }
  const u: Upload = {
    id: newUploadId(),
    key,
    initiated: store.clock.now(),
    headers: readObjectHeaders(r.headers),
    metadata: readUserMetadata(r.headers),
    tags: parseTaggingHeader(r.headers['x-amz-tagging']) ?? [],
    storageClass: readStorageClass(r.headers),
    checksumAlgorithm: algorithm,
    checksumType,
    parts: new Map(),
  };
  bucket.uploads.set(u.id, u);
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (algorithm) {
    headers['x-amz-checksum-algorithm'] = algorithm;
    headers['x-amz-checksum-type'] = checksumType!;
  }
  return xmlAnswer(r.ctx, 'InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: u.id }, headers);
}

function storePart(store: S3Store, u: Upload, part: Part): void {
  const old = u.parts.get(part.number);
  if (old) store.blobs.release(old.body);
  u.parts.set(part.number, part);
}

export async function uploadPart(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const n = partNumber(r);
  const u = upload(bucket, r.query.get('uploadId'), r.key!);
  const body = await readUploadBody(r);
  let checksum = body.sent?.value;
  if (u.checksumAlgorithm) {
    if (body.sent && body.sent.algorithm !== u.checksumAlgorithm) {
      throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${u.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${body.sent.algorithm.toLowerCase()}`); // [obs]
    }
    checksum ??= await computeChecksum(u.checksumAlgorithm, body.data);
  }
  const blob = await store.blobs.put(body.data);
  const part: Part = { number: n, size: body.data.length, etag: body.md5.toString('hex'), md5: body.md5, lastModified: store.nowSeconds(), body: blob, checksum: u.checksumAlgorithm ? checksum : undefined };
  if (bucket.uploads.get(u.id) !== u) {
    store.blobs.release(blob);
    throw noSuchUpload(u.id); // aborted or completed while the part was read
  }
  storePart(store, u, part);
  const headers: Record<string, string> = { etag: `"${part.etag}"`, 'x-amz-server-side-encryption': 'AES256' };
  if (body.sent) headers[`x-amz-checksum-${body.sent.algorithm.toLowerCase()}`] = body.sent.value;
  else if (part.checksum && u.checksumAlgorithm) headers[`x-amz-checksum-${u.checksumAlgorithm.toLowerCase()}`] = part.checksum;
  return emptyAnswer(r.ctx, 200, headers);
}

const COPY_RANGE_TEXT = 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

export async function uploadPartCopy(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const n = partNumber(r);
  const u = upload(bucket, r.query.get('uploadId'), r.key!);
  const src = copySource(store, r);
  const rangeHeader = r.headers['x-amz-copy-source-range'];
  let start = 0;
  let end = src.obj.size - 1;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader);
    if (!m || Number(m[2]) < Number(m[1])) throw invalidArgument(COPY_RANGE_TEXT, 'x-amz-copy-source-range', rangeHeader); // [rec]
    start = Number(m[1]);
    end = Number(m[2]);
    if (start >= src.obj.size) throw invalidRequest('The specified copy range is invalid for the source object size'); // [rec]
    if (end >= src.obj.size) throw invalidArgument(`Range specified is not valid for source object of size: ${src.obj.size}`, 'x-amz-copy-source-range', rangeHeader); // [rec]
  }
  const data = await store.blobs.read(src.obj.body, start, end);
  const digest = md5(data);
  const blob = await store.blobs.put(data);
  const checksum = u.checksumAlgorithm ? await computeChecksum(u.checksumAlgorithm, data) : undefined;
  const part: Part = { number: n, size: data.length, etag: digest.toString('hex'), md5: digest, lastModified: store.nowSeconds(), body: blob, checksum };
  storePart(store, u, part);
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (src.versionId) headers['x-amz-copy-source-version-id'] = src.versionId;
  const result: XmlNode = { ETag: `"${part.etag}"`, LastModified: isoDate(part.lastModified) };
  if (checksum && u.checksumAlgorithm) result[`Checksum${u.checksumAlgorithm}`] = checksum;
  return xmlAnswer(r.ctx, 'CopyPartResult', result, headers);
}

export async function completeMultipartUpload(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const key = r.key!;
  const u = upload(bucket, r.query.get('uploadId'), key);
  const cond = parseWriteCondition(r.headers);
  const root = rootOf(parseXml(r.body), 'CompleteMultipartUpload');
  const listed = list(root, 'Part');
  if (listed.length === 0) throw invalidRequest('You must specify at least one part'); // [rec]
  const chosen: Part[] = [];
  let previous = 0;
  for (const p of listed) {
    const numberText = text(p, 'PartNumber');
    const etagText = text(p, 'ETag');
    if (numberText === undefined || etagText === undefined) throw malformedXML();
    const n = Number(numberText);
    if (!Number.isInteger(n)) throw malformedXML();
    if (n <= previous) throw invalidPartOrder(u.id);
    previous = n;
    const etag = etagText.replace(/^"|"$/g, '');
    const part = u.parts.get(n);
    if (!part || part.etag !== etag) throw invalidPart(u.id, n, etag);
    if (u.checksumAlgorithm && u.checksumType === 'COMPOSITE') {
      const sent = text(p, `Checksum${u.checksumAlgorithm}`);
      if (sent === undefined) {
        throw invalidRequest(`The upload was created using a ${u.checksumAlgorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${n} in the request.`); // [rec]
      }
      if (sent !== part.checksum) throw invalidPart(u.id, n, etag);
    }
    chosen.push(part);
  }
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < MIN_PART_SIZE) throw entityTooSmall(p.etag, p.number, p.size);
  });
  checkWriteCondition(cond, key, store.live(bucket, key));
  const body = store.blobs.join(chosen.map((p) => p.body));
  let checksum: ObjectChecksum;
  if (u.checksumAlgorithm && u.checksumType === 'COMPOSITE') {
    checksum = { algorithm: u.checksumAlgorithm, type: 'COMPOSITE', value: await compositeChecksum(u.checksumAlgorithm, chosen.map((p) => p.checksum!)) };
  } else {
    const algorithm = u.checksumAlgorithm ?? 'CRC64NVME';
    checksum = { algorithm, type: 'FULL_OBJECT', value: await computeChecksum(algorithm, store.blobs.stream(body)) };
    const sent = r.headers[`x-amz-checksum-${algorithm.toLowerCase()}`];
    if (sent !== undefined && u.checksumAlgorithm && sent !== checksum.value) {
      store.blobs.release(body);
      throw s3Error('BadDigest', `The ${algorithm.toLowerCase()} you specified for the full object did not match what was computed.`); // (text unconfirmed)
    }
  }
  const obj = store.makeObject(bucket, key, body, {
    etag: multipartEtag(chosen.map((p) => p.md5)),
    headers: u.headers,
    metadata: u.metadata,
    tags: u.tags,
    storageClass: u.storageClass,
    checksum,
    partSizes: chosen.map((p) => p.size),
  });
  store.commit(bucket, obj, () => {
    if (bucket.uploads.get(u.id) !== u) throw noSuchUpload(u.id); // aborted or completed meanwhile
    checkWriteCondition(cond, key, store.live(bucket, key));
  });
  bucket.uploads.delete(u.id);
  for (const p of u.parts.values()) store.blobs.release(p.body);
  store.emit({ bucket, name: 'ObjectCreated:CompleteMultipartUpload', key, version: obj, ...requestInfo(r) });
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (bucket.versioning === 'Enabled') headers['x-amz-version-id'] = obj.versionId; // none while suspended [rec]
  const base = r.virtualHost ? `http://${bucket.name}.s3.localhost:${r.ctx.port}` : `${r.ctx.endpoint}/${bucket.name}`;
  const result: XmlNode = {
    Location: `${base}/${encodeKey(key).replace(/\+/g, '%20')}`,
    Bucket: bucket.name,
    Key: key,
    ETag: `"${obj.etag}"`,
    [`Checksum${checksum.algorithm}`]: checksum.value,
    ChecksumType: checksum.type,
  };
  return xmlAnswer(r.ctx, 'CompleteMultipartUploadResult', result, headers);
}

export function abortMultipartUpload(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const u = upload(bucket, r.query.get('uploadId'), r.key!);
  bucket.uploads.delete(u.id);
  for (const p of u.parts.values()) store.blobs.release(p.body);
  return emptyAnswer(r.ctx, 204);
}

function people(accountId: string): { Initiator: XmlNode; Owner: XmlNode } {
  const id = canonicalId(accountId);
  return { Initiator: { ID: id, DisplayName: 'webfile' }, Owner: { ID: id, DisplayName: 'webfile' } };
}

export function listParts(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const u = upload(bucket, r.query.get('uploadId'), r.key!);
  const markerRaw = r.query.get('part-number-marker');
  const marker = markerRaw ? Number(markerRaw) : 0;
  const maxRaw = r.query.get('max-parts');
  const max = maxRaw === null ? 1000 : Math.min(Number(maxRaw), 1000);
  if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', markerRaw ?? undefined); // (text unconfirmed)
  if (!Number.isInteger(max) || max < 0) throw invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', maxRaw ?? undefined); // (text unconfirmed)
  const all = [...u.parts.values()].filter((p) => p.number > marker).sort((a, b) => a.number - b.number);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const alg = u.checksumAlgorithm;
  return xmlAnswer(r.ctx, 'ListPartsResult', {
    Bucket: bucket.name,
    Key: u.key,
    UploadId: u.id,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1].number : undefined,
    MaxParts: maxRaw === null ? 1000 : Number(maxRaw),
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.number,
      LastModified: isoDate(p.lastModified),
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...(alg && p.checksum ? { [`Checksum${alg}`]: p.checksum } : {}),
    })),
    ...people(bucket.accountId),
    StorageClass: u.storageClass,
    ChecksumAlgorithm: alg,
    ChecksumType: u.checksumType,
  });
}

export function listMultipartUploads(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const q = r.query;
  const encodingType = q.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType || undefined); // [rec]
  const encode = encodingType === 'url' ? encodeKey : (s: string) => s;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = q.get('upload-id-marker') ?? '';
  const maxRaw = q.get('max-uploads');
  const max = maxRaw === null ? 1000 : Math.min(Number(maxRaw), 1000);
  const sorted = [...bucket.uploads.values()].sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated);
  if (idMarker && keyMarker && !sorted.some((u) => u.key === keyMarker && u.id === idMarker)) {
    throw invalidArgument('Invalid uploadId marker', 'upload-id-marker', idMarker); // [rec]
  }
  const uploads: XmlNode[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let passedMarker = !idMarker;
  let last: Upload | undefined;
  for (const u of sorted) {
    if (!u.key.startsWith(prefix)) continue;
    if (keyMarker) {
      const c = compareKeys(u.key, keyMarker);
      if (c < 0) continue;
      if (c === 0) {
        if (!idMarker) continue;
        if (!passedMarker) {
          if (u.id === idMarker) passedMarker = true;
          continue;
        }
      }
    }
    let cp: string | undefined;
    if (delimiter) {
      const at = u.key.indexOf(delimiter, prefix.length);
      if (at >= 0) cp = u.key.slice(0, at + delimiter.length);
    }
    if (cp !== undefined && cp === prefixes[prefixes.length - 1]) continue;
    if (uploads.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (cp !== undefined) prefixes.push(cp);
    else {
      uploads.push({ Key: encode(u.key), UploadId: u.id, ...people(bucket.accountId), StorageClass: u.storageClass, Initiated: isoDate(u.initiated), ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType });
      last = u;
    }
  }
  return xmlAnswer(r.ctx, 'ListMultipartUploadsResult', {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: idMarker,
    NextKeyMarker: truncated && last ? encode(last.key) : undefined,
    NextUploadIdMarker: truncated && last ? last.id : undefined,
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    Prefix: encode(prefix),
    MaxUploads: maxRaw === null ? 1000 : Number(maxRaw),
    EncodingType: encodingType ?? undefined,
    IsTruncated: truncated,
    Upload: uploads,
    CommonPrefixes: prefixes.map((x) => ({ Prefix: encode(x) })),
  });
}
