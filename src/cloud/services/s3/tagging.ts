/**
 * Object tagging (Put/Get/DeleteObjectTagging, the x-amz-tagging header; at most 10 tags) and
 * bucket tagging (Put/Get/DeleteBucketTagging; at most 50). Validation texts [rec:
 * test_tagging_validation, test_object_tagging_exc, test_create_bucket_with_tags_exc].
 */
import { invalidArgument, invalidTag, malformedXML, noSuchKey, noSuchTagSet, s3Error } from './errors';
import { requestInfo, type S3Store } from './store';
import type { ObjectVersion, S3Request, S3Response } from './types';
import { child, emptyAnswer, list, parseXml, rootOf, text, xmlAnswer, type XmlNode } from './xml';

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export type TagKind = 'object' | 'bucket' | 'create-bucket';

function checkTag(key: string, value: string, kind: TagKind): void {
  if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key)) throw invalidTag('The TagKey you have provided is invalid', key);
  if (value.length > 256 || !TAG_CHARS.test(value)) throw invalidTag('The TagValue you have provided is invalid', key, value);
  if (key.startsWith('aws:')) {
    if (kind === 'object') throw invalidTag('Your TagKey cannot be prefixed with aws:', key);
    if (kind === 'bucket') throw invalidTag('System tags cannot be added/updated by requester', key);
    throw invalidTag('User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.');
  }
}

/** A <TagSet> (or CreateBucketConfiguration's <Tags>): its <Tag> elements, checked. */
export function parseTagSet(node: XmlNode, kind: TagKind): [string, string][] {
  const out: [string, string][] = [];
  for (const t of list(node, 'Tag')) {
    const key = text(t, 'Key');
    const value = text(t, 'Value');
    if (key === undefined || value === undefined) throw malformedXML();
    checkTag(key, value, kind);
    if (out.some(([k]) => k === key)) throw invalidTag('Cannot provide multiple Tags with the same key', key);
    out.push([key, value]);
  }
  const max = kind === 'object' ? 10 : 50;
  if (out.length > max) {
    // [obs]
    throw kind === 'object' ? s3Error('BadRequest', 'Object tags cannot be greater than 10') : invalidTag('Bucket tag count cannot be greater than 50');
  }
  return out;
}

/** The x-amz-tagging header (URL query form) of PutObject / CreateMultipartUpload / CopyObject. */
export function parseTaggingHeader(header: string | undefined): [string, string][] | undefined {
  if (header === undefined) return undefined;
  const bad = () => invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", 'x-amz-tagging', header);
  const out: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(header)) {
    if (out.some(([x]) => x === k)) throw bad();
    if (!TAG_CHARS.test(k) || !TAG_CHARS.test(v) || k.length < 1 || k.length > 128 || v.length > 256) throw bad();
    if (k.startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', k);
    out.push([k, v]);
  }
  if (out.length > 10) throw s3Error('BadRequest', 'Object tags cannot be greater than 10');
  return out;
}

function tagging(tags: [string, string][]): XmlNode {
  return { TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } };
}

function taggedObject(store: S3Store, r: S3Request, method: string): ObjectVersion {
  const bucket = store.bucket(r.bucket);
  try {
    return store.find(bucket, r.key!, r.query.get('versionId'), method);
  } catch (e) {
    // GetObjectTagging names the key with its bucket [rec].
    if (method === 'GET' && (e as { code?: string }).code === 'NoSuchKey') throw noSuchKey(`${bucket.name}/${r.key}`);
    throw e;
  }
}

function versionHeader(store: S3Store, r: S3Request, obj: ObjectVersion): Record<string, string> {
  return store.bucket(r.bucket).versioning ? { 'x-amz-version-id': obj.versionId } : {};
}

export function putObjectTagging(store: S3Store, r: S3Request): S3Response {
  const obj = taggedObject(store, r, 'PUT');
  const set = child(rootOf(parseXml(r.body), 'Tagging'), 'TagSet');
  if (!set) throw malformedXML();
  obj.tags = parseTagSet(set, 'object');
  const bucket = store.bucket(r.bucket);
  store.emit({ bucket, name: 'ObjectTagging:Put', key: obj.key, version: obj, ...requestInfo(r) });
  return emptyAnswer(r.ctx, 200, versionHeader(store, r, obj));
}

export function getObjectTagging(store: S3Store, r: S3Request): S3Response {
  const obj = taggedObject(store, r, 'GET');
  return xmlAnswer(r.ctx, 'Tagging', tagging(obj.tags), versionHeader(store, r, obj));
}

export function deleteObjectTagging(store: S3Store, r: S3Request): S3Response {
  const obj = taggedObject(store, r, 'DELETE');
  obj.tags = [];
  const bucket = store.bucket(r.bucket);
  store.emit({ bucket, name: 'ObjectTagging:Delete', key: obj.key, version: obj, ...requestInfo(r) });
  return emptyAnswer(r.ctx, 204, versionHeader(store, r, obj));
}

export function putBucketTagging(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const root = rootOf(parseXml(r.body), 'Tagging');
  const set = child(root, 'TagSet');
  if (!set) throw malformedXML();
  bucket.tags = parseTagSet(set, 'bucket');
  return emptyAnswer(r.ctx, 204);
}

export function getBucketTagging(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  if (!bucket.tags?.length) throw noSuchTagSet(bucket.name);
  return xmlAnswer(r.ctx, 'Tagging', tagging(bucket.tags));
}

export function deleteBucketTagging(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  bucket.tags = undefined;
  return emptyAnswer(r.ctx, 204);
}
