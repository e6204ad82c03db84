/**
 * Which S3 operation a request is: the method, whether it names a bucket and a key, and its
 * subresource query parameters (?uploads, ?tagging, ?versioning, ...) [model: the http traits of
 * s3/2006-03-01]. Operations the cloud does not have answer NotImplemented (501).
 */
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets';
import { configOf, deleteConfig, getConfig, getObjectAcl, putConfig, putObjectAcl } from './configs';
import { copyObject } from './copy';
import { notImplemented, s3Error } from './errors';
import { listObjects, listObjectsV2, listObjectVersions } from './list';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart';
import { getBucketNotificationConfiguration, putBucketNotificationConfiguration } from './notification-config';
import { deleteObject, deleteObjects, getObject, putObject } from './objects';
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from './policy';
import type { S3Store } from './store';
import { deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging } from './tagging';
import type { S3Request, S3Response } from './types';
import { getBucketVersioning, putBucketVersioning } from './versioning';

export type Handler = (store: S3Store, r: S3Request) => S3Response | Promise<S3Response>;

/** The operation's name (for logs) and handler. */
export function route(r: S3Request): { name: string; handler: Handler } {
  const q = r.query;
  const m = r.method;
  if (r.bucket === undefined) {
    if (m === 'GET') return { name: 'ListBuckets', handler: listBuckets };
    throw methodNotAllowedHere(m);
  }
  if (r.key === undefined) return bucketRoute(r, q, m);
  return objectRoute(r, q, m);
}

function methodNotAllowedHere(method: string) {
  return s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: 'SERVICE' });
}

function bucketRoute(r: S3Request, q: URLSearchParams, m: string): { name: string; handler: Handler } {
  const config = configOf(q);
  switch (m) {
    case 'PUT':
      if (q.has('versioning')) return { name: 'PutBucketVersioning', handler: putBucketVersioning };
      if (q.has('tagging')) return { name: 'PutBucketTagging', handler: putBucketTagging };
      if (q.has('policy')) return { name: 'PutBucketPolicy', handler: putBucketPolicy };
      if (q.has('notification')) return { name: 'PutBucketNotificationConfiguration', handler: putBucketNotificationConfiguration };
      if (config) return { name: `PutBucket:${config}`, handler: (s, req) => putConfig(s, req, config) };
      if (unknownSubresource(q)) break;
      return { name: 'CreateBucket', handler: createBucket };
    case 'GET':
      if (q.has('location')) return { name: 'GetBucketLocation', handler: getBucketLocation };
      if (q.has('versioning')) return { name: 'GetBucketVersioning', handler: getBucketVersioning };
      if (q.has('tagging')) return { name: 'GetBucketTagging', handler: getBucketTagging };
      if (q.has('policy')) return { name: 'GetBucketPolicy', handler: getBucketPolicy };
      if (q.has('notification')) return { name: 'GetBucketNotificationConfiguration', handler: getBucketNotificationConfiguration };
      if (q.has('uploads')) return { name: 'ListMultipartUploads', handler: listMultipartUploads };
      if (q.has('versions')) return { name: 'ListObjectVersions', handler: listObjectVersions };
      if (config) return { name: `GetBucket:${config}`, handler: (s, req) => getConfig(s, req, config) };
      if (unknownSubresource(q)) break;
      if (q.get('list-type') === '2') return { name: 'ListObjectsV2', handler: listObjectsV2 };
      return { name: 'ListObjects', handler: listObjects };
    case 'DELETE':
      if (q.has('tagging')) return { name: 'DeleteBucketTagging', handler: deleteBucketTagging };
      if (q.has('policy')) return { name: 'DeleteBucketPolicy', handler: deleteBucketPolicy };
      if (config) return { name: `DeleteBucket:${config}`, handler: (s, req) => deleteConfig(s, req, config) };
      if (unknownSubresource(q)) break;
      return { name: 'DeleteBucket', handler: deleteBucket };
    case 'HEAD':
      return { name: 'HeadBucket', handler: headBucket };
    case 'POST':
      if (q.has('delete')) return { name: 'DeleteObjects', handler: deleteObjects };
      break;
  }
  return { name: 'Unknown', handler: () => Promise.reject(notImplemented()) };
}

function objectRoute(r: S3Request, q: URLSearchParams, m: string): { name: string; handler: Handler } {
  switch (m) {
    case 'PUT':
      if (q.has('uploadId') && q.has('partNumber')) {
        return r.headers['x-amz-copy-source'] !== undefined ? { name: 'UploadPartCopy', handler: uploadPartCopy } : { name: 'UploadPart', handler: uploadPart };
      }
      if (q.has('tagging')) return { name: 'PutObjectTagging', handler: putObjectTagging };
      if (q.has('acl')) return { name: 'PutObjectAcl', handler: putObjectAcl };
      if (unknownSubresource(q)) break;
      if (r.headers['x-amz-copy-source'] !== undefined) return { name: 'CopyObject', handler: copyObject };
      return { name: 'PutObject', handler: putObject };
    case 'GET':
      if (q.has('uploadId')) return { name: 'ListParts', handler: listParts };
      if (q.has('tagging')) return { name: 'GetObjectTagging', handler: getObjectTagging };
      if (q.has('acl')) return { name: 'GetObjectAcl', handler: getObjectAcl };
      if (unknownSubresource(q)) break;
      return { name: 'GetObject', handler: getObject };
    case 'HEAD':
      return { name: 'HeadObject', handler: getObject };
    case 'DELETE':
      if (q.has('uploadId')) return { name: 'AbortMultipartUpload', handler: abortMultipartUpload };
      if (q.has('tagging')) return { name: 'DeleteObjectTagging', handler: deleteObjectTagging };
      if (unknownSubresource(q)) break;
      return { name: 'DeleteObject', handler: deleteObject };
    case 'POST':
      if (q.has('uploads')) return { name: 'CreateMultipartUpload', handler: createMultipartUpload };
      if (q.has('uploadId')) return { name: 'CompleteMultipartUpload', handler: completeMultipartUpload };
      break;
  }
  return { name: 'Unknown', handler: () => Promise.reject(notImplemented()) };
}

/** Subresources of S3 this cloud does not serve (a request naming one must not fall through to Put/Get). */
const UNSERVED = [
  'analytics', 'inventory', 'metrics', 'intelligent-tiering', 'attributes', 'retention', 'legal-hold', 'restore', 'select',
  'torrent', 'renameObject', 'metadataConfiguration', 'metadataTable', 'session', 'abac',
];

function unknownSubresource(q: URLSearchParams): boolean {
  return UNSERVED.some((s) => q.has(s));
}
