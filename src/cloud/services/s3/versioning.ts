/**
 * Bucket versioning (Put/GetBucketVersioning): Enabled or Suspended; a bucket once versioned never
 * goes back to unversioned [doc]. Texts [rec: test_bucket_versioning_crud].
 */
import { malformedXML, s3Error } from './errors';
import type { S3Store } from './store';
import type { S3Request, S3Response } from './types';
import { emptyAnswer, parseXml, rootOf, text, xmlAnswer } from './xml';

export function putBucketVersioning(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const root = rootOf(parseXml(r.body), 'VersioningConfiguration');
  const status = text(root, 'Status');
  if (status === undefined) throw s3Error('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXML();
  const mfa = text(root, 'MfaDelete');
  if (mfa !== undefined && mfa !== 'Enabled' && mfa !== 'Disabled') throw malformedXML();
  bucket.versioning = status;
  return emptyAnswer(r.ctx, 200);
}

export function getBucketVersioning(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  return xmlAnswer(r.ctx, 'VersioningConfiguration', bucket.versioning ? { Status: bucket.versioning } : {});
}
