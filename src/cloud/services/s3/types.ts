/**
 * The shapes shared by the S3 files. No behaviour here, so every file can import it.
 *
 *   index.ts          the front door: which requests are S3's (hosts s3.localhost / <bucket>.s3.localhost,
 *                     SigV4 scope service `s3`), the address (path-style or virtual-hosted), errors as XML
 *   router.ts         method + bucket/key + subresource -> the operation
 *   store.ts          buckets (one namespace, each in a region), object versions, the sequencer,
 *                     the in-process faces: Lambda's code source, the deliverer's S3 destination
 *   blobs.ts          object bodies: small ones in memory, the rest in files under the cloud's dataDir
 *   buckets.ts        Create/Delete/Head/ListBuckets, GetBucketLocation, bucket name rules
 *   objects.ts        Put/Get/Head/DeleteObject, DeleteObjects; copy.ts CopyObject (and the copy source)
 *   conditions.ts     Range and the conditional headers (If-Match, If-None-Match, If-(Un)Modified-Since)
 *   metadata.ts       system and user metadata headers, response header overrides
 *   checksums.ts      Content-MD5, ETags, x-amz-checksum-* (CRC32, CRC32C, CRC64NVME, SHA1, SHA256);
 *                     chunked.ts the aws-chunked content encoding (chunk signatures, trailing checksums)
 *   list.ts           ListObjectsV2, ListObjects (v1), ListObjectVersions
 *   multipart.ts      Create/UploadPart/UploadPartCopy/Complete/Abort, ListParts, ListMultipartUploads
 *   tagging.ts        object and bucket tagging; versioning.ts; policy.ts; configs.ts the stored
 *                     bucket configurations (encryption, CORS, lifecycle, ACL...)
 *   notification-config.ts   Put/GetBucketNotificationConfiguration, destination validation, s3:TestEvent
 *   notify.ts         the event record, filters, delivery (Lambda asynchronously, SQS, SNS, EventBridge)
 *   errors.ts         AWS's S3 errors; xml.ts parsing and building XML (fast-xml-parser)
 *   names.ts          ids (request, host, version, upload), key URL-encoding, owner ids
 */
import type { Clock } from '../../clock';
import type { RawRequest, RawResponse } from '../../protocols/types';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** One piece of a body: bytes in memory or a file (shared by copies and multipart objects). */
export interface Chunk {
  size: number;
  data?: Buffer;
  path?: string;
  /** Object versions and parts holding this chunk; the file goes when it drops to 0. */
  refs: number;
}

/** A body: its chunks in order (one for a PutObject, one per part for a multipart object). */
export interface Blob {
  size: number;
  chunks: Chunk[];
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const CHECKSUM_ALGORITHMS: ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
  /** Base64 (COMPOSITE: "<base64>-<parts>"); undefined = S3's default CRC64NVME, computed when first asked. */
  value?: string;
}

/** The headers S3 keeps with an object and answers on Get/Head. */
export interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  websiteRedirectLocation?: string;
}

/** One version of a key: an object or a delete marker. */
export interface ObjectVersion {
  key: string;
  /** "null" for objects written while versioning was never enabled or is suspended. */
  versionId: string;
  deleteMarker: boolean;
  /** Virtual epoch ms, truncated to the second (as S3 reports it). */
  lastModified: number;
  size: number;
  /** Hex MD5 (single PUT) or "<hex md5 of md5s>-<parts>" (multipart); no quotes. */
  etag: string;
  headers: ObjectHeaders;
  /** x-amz-meta-* without the prefix, names lower-case. */
  metadata: Record<string, string>;
  tags: [string, string][];
  checksum?: ObjectChecksum;
  storageClass: string;
  body: Blob;
  /** Multipart objects: each part's size (GetObject/HeadObject ?partNumber, x-amz-mp-parts-count). */
  partSizes?: number[];
}

export interface Part {
  number: number;
  size: number;
  /** Hex MD5 of the part. */
  etag: string;
  md5: Buffer;
  lastModified: number;
  body: Blob;
  /** Base64 checksum of the part, in the upload's algorithm (when it has one). */
  checksum?: string;
}

export interface Upload {
  id: string;
  key: string;
  initiated: number;
  headers: ObjectHeaders;
  metadata: Record<string, string>;
  tags: [string, string][];
  storageClass: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
  parts: Map<number, Part>;
}

export type Versioning = 'Enabled' | 'Suspended';

/** One Queue / Topic / CloudFunction configuration of a bucket's notification configuration. */
export interface NotificationRule {
  kind: 'queue' | 'topic' | 'lambda';
  id: string;
  arn: string;
  events: string[];
  /** The filter rules as given (names normalized to Prefix / Suffix); undefined = no Filter element. */
  filterRules?: { name: 'Prefix' | 'Suffix'; value: string }[];
}

export interface NotificationConfig {
  rules: NotificationRule[];
  eventBridge: boolean;
}

export interface Bucket {
  name: string;
  region: string;
  accountId: string;
  arn: string;
  created: number;
  versioning?: Versioning;
  /** Versions per key, oldest first (the last is the current one). */
  keys: Map<string, ObjectVersion[]>;
  /** The keys in order, rebuilt when keys are added or removed (listing). */
  sortedKeys?: string[];
  uploads: Map<string, Upload>;
  tags?: [string, string][];
  policy?: string;
  notification: NotificationConfig;
  /** Stored configurations by subresource (cors, lifecycle, encryption, ...): the XML as put. */
  configs: Map<string, string>;
}

/** What an operation handler gets. */
export interface S3Request {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  raw: RawRequest;
  ctx: S3Context;
  /** Virtual-hosted (`<bucket>.s3.localhost`) rather than path-style. */
  virtualHost: boolean;
}

export interface S3Context {
  requestId: string;
  hostId: string;
  region: string;
  accountId: string;
  accessKeyId?: string;
  /** The cloud's base URL as the caller reached it. */
  endpoint: string;
  /** The port the caller reached the cloud on. */
  port: string;
  sourceIp: string;
  /** X-Amzn-Trace-Id of the request (carried to SQS notifications as AWSTraceHeader [rec]). */
  traceHeader?: string;
  clock: Clock;
}

export type S3Response = RawResponse;
