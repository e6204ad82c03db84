/**
 * Bucket configurations that are stored and read back but change nothing here (CORS, lifecycle,
 * website, default encryption, public access block, ownership controls, logging, acceleration,
 * request payment, object lock, replication, ACLs): deployment tools (CDK, Terraform, SAM) put them
 * and read them back. PUT keeps the XML as sent (well-formed, with the right root element), GET
 * answers it, or S3's default for a new bucket [doc], or the "not found" error AWS gives [rec:
 * test_s3_api.py]; DELETE removes it (204).
 */
import { AwsError } from '../../errors';
import { s3Error } from './errors';
import { canonicalId } from './names';
import type { S3Store } from './store';
import { S3_NAMESPACE, type Bucket, type S3Request, type S3Response } from './types';
import { baseHeaders, emptyAnswer, parseXml, rootOf } from './xml';

interface ConfigSpec {
  root: string;
  notFound?: (bucket: string) => AwsError;
  /** What a bucket that never had one answers (S3's defaults for new buckets [doc]). */
  initial?: (bucket: Bucket) => string;
}

const notFound = (code: string, message: string) => (bucket: string) => s3Error(code, message, 404, { BucketName: bucket });
const doc = (root: string, inner: string) => `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;

function acl(bucket: Bucket): string {
  const id = canonicalId(bucket.accountId);
  return doc(
    'AccessControlPolicy',
    `<Owner><ID>${id}</ID><DisplayName>webfile</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID><DisplayName>webfile</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>`,
  );
}

export const CONFIGS: Record<string, ConfigSpec> = {
  cors: { root: 'CORSConfiguration', notFound: notFound('NoSuchCORSConfiguration', 'The CORS configuration does not exist') },
  lifecycle: { root: 'LifecycleConfiguration', notFound: notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist') },
  website: { root: 'WebsiteConfiguration', notFound: notFound('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration') },
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    initial: () => doc('ServerSideEncryptionConfiguration', '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>'),
  },
  publicAccessBlock: {
    root: 'PublicAccessBlockConfiguration',
    notFound: notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
    initial: () => doc('PublicAccessBlockConfiguration', '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>'),
  },
  ownershipControls: {
    root: 'OwnershipControls',
    notFound: notFound('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'),
    initial: () => doc('OwnershipControls', '<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>'),
  },
  logging: { root: 'BucketLoggingStatus', initial: () => doc('BucketLoggingStatus', '') },
  accelerate: { root: 'AccelerateConfiguration', initial: () => doc('AccelerateConfiguration', '') },
  requestPayment: { root: 'RequestPaymentConfiguration', initial: () => doc('RequestPaymentConfiguration', '<Payer>BucketOwner</Payer>') },
  'object-lock': { root: 'ObjectLockConfiguration', notFound: notFound('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket') },
  replication: { root: 'ReplicationConfiguration', notFound: notFound('ReplicationConfigurationNotFoundError', 'The replication configuration was not found') },
  acl: { root: 'AccessControlPolicy', initial: acl },
};

/** The stored-configuration subresource a request names, if any. */
export function configOf(query: URLSearchParams): string | undefined {
  for (const name of Object.keys(CONFIGS)) if (query.has(name)) return name;
  return undefined;
}

export function putConfig(store: S3Store, r: S3Request, name: string): S3Response {
  const bucket = store.bucket(r.bucket);
  const spec = CONFIGS[name];
  if (name === 'acl' && r.body.length === 0) return emptyAnswer(r.ctx, 200); // a canned ACL header (x-amz-acl)
  rootOf(parseXml(r.body), spec.root);
  bucket.configs.set(name, r.body.toString('utf8'));
  return emptyAnswer(r.ctx, 200);
}

export function getConfig(store: S3Store, r: S3Request, name: string): S3Response {
  const bucket = store.bucket(r.bucket);
  const spec = CONFIGS[name];
  const stored = bucket.configs.get(name);
  let body: string | undefined;
  if (stored === undefined) body = spec.initial?.(bucket);
  else if (stored !== '') body = stored;
  else if (!spec.notFound) body = spec.initial?.(bucket);
  if (body === undefined) throw spec.notFound!(bucket.name);
  return { status: 200, headers: { ...baseHeaders(r.ctx), 'content-type': 'application/xml' }, body };
}

export function deleteConfig(store: S3Store, r: S3Request, name: string): S3Response {
  const bucket = store.bucket(r.bucket);
  bucket.configs.set(name, '');
  return emptyAnswer(r.ctx, 204);
}

/** GetObjectAcl: the owner's FULL_CONTROL (object ACLs are accepted on PUT and not kept). */
export function getObjectAcl(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  store.find(bucket, r.key!, r.query.get('versionId'));
  return { status: 200, headers: { ...baseHeaders(r.ctx), 'content-type': 'application/xml' }, body: acl(bucket) };
}

export function putObjectAcl(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  store.find(bucket, r.key!, r.query.get('versionId'), 'PUT');
  if (r.body.length) rootOf(parseXml(r.body), 'AccessControlPolicy');
  return emptyAnswer(r.ctx, 200);
}
