/**
 * Object metadata as headers: the system headers S3 keeps (Content-Type, Content-Encoding,
 * Content-Disposition, Content-Language, Cache-Control, Expires, website redirect), user metadata
 * (x-amz-meta-*, at most 2 KB [doc]), the storage class, and GetObject's response-* overrides.
 */
import { storedContentEncoding } from './chunked';
import { checksumHeader } from './checksums';
import { metadataTooLarge, s3Error } from './errors';
import { httpDate } from './names';
import type { ObjectHeaders, ObjectVersion } from './types';

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
]);

export function readObjectHeaders(headers: Record<string, string>): ObjectHeaders {
  const out: ObjectHeaders = {};
  if (headers['content-type'] !== undefined) out.contentType = headers['content-type'];
  const encoding = storedContentEncoding(headers['content-encoding']);
  if (encoding !== undefined) out.contentEncoding = encoding;
  if (headers['content-disposition'] !== undefined) out.contentDisposition = headers['content-disposition'];
  if (headers['content-language'] !== undefined) out.contentLanguage = headers['content-language'];
  if (headers['cache-control'] !== undefined) out.cacheControl = headers['cache-control'];
  if (headers.expires !== undefined) out.expires = headers.expires;
  if (headers['x-amz-website-redirect-location'] !== undefined) out.websiteRedirectLocation = headers['x-amz-website-redirect-location'];
  return out;
}

/** x-amz-meta-* headers (names lower-case, without the prefix); MetadataTooLarge over 2 KB [doc]. */
export function readUserMetadata(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, v] of Object.entries(headers)) {
    if (!k.startsWith('x-amz-meta-')) continue;
    const name = k.slice('x-amz-meta-'.length);
    out[name] = v;
    size += Buffer.byteLength(name) + Buffer.byteLength(v);
  }
  if (size > 2048) throw metadataTooLarge(size);
  return out;
}

/** x-amz-storage-class (default STANDARD); InvalidStorageClass otherwise [doc]. */
export function readStorageClass(headers: Record<string, string>): string {
  const sc = headers['x-amz-storage-class'];
  if (sc === undefined) return 'STANDARD';
  if (!STORAGE_CLASSES.has(sc)) throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: sc });
  return sc;
}

/** The headers Get/HeadObject answer for an object (without body length and range). */
export function objectHeaders(obj: ObjectVersion, query: URLSearchParams, versioned: boolean): Record<string, string> {
  const h = obj.headers;
  const out: Record<string, string> = {
    'accept-ranges': 'bytes',
    'last-modified': httpDate(obj.lastModified),
    etag: `"${obj.etag}"`,
    'content-type': h.contentType ?? DEFAULT_CONTENT_TYPE,
    'x-amz-server-side-encryption': 'AES256',
  };
  if (h.contentEncoding !== undefined) out['content-encoding'] = h.contentEncoding;
  if (h.contentDisposition !== undefined) out['content-disposition'] = h.contentDisposition;
  if (h.contentLanguage !== undefined) out['content-language'] = h.contentLanguage;
  if (h.cacheControl !== undefined) out['cache-control'] = h.cacheControl;
  if (h.expires !== undefined) out.expires = h.expires;
  if (h.websiteRedirectLocation !== undefined) out['x-amz-website-redirect-location'] = h.websiteRedirectLocation;
  for (const [k, v] of Object.entries(obj.metadata)) out[`x-amz-meta-${k}`] = v;
  if (obj.storageClass !== 'STANDARD') out['x-amz-storage-class'] = obj.storageClass;
  if (obj.tags.length) out['x-amz-tagging-count'] = String(obj.tags.length);
  if (versioned) out['x-amz-version-id'] = obj.versionId;
  const overrides: [string, string][] = [
    ['response-content-type', 'content-type'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
    ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
  ];
  for (const [param, header] of overrides) {
    const v = query.get(param);
    if (v !== null) out[header] = v;
  }
  return out;
}

/** The checksum headers of an object, for answers that show them. */
export function checksumHeaders(obj: Pick<ObjectVersion, 'checksum'>): Record<string, string> {
  const c = obj.checksum;
  if (!c || c.value === undefined) return {};
  return { [checksumHeader(c.algorithm)]: c.value, 'x-amz-checksum-type': c.type };
}
