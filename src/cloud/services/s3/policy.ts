/**
 * Bucket policies (Put/Get/DeleteBucketPolicy): stored as given, not enforced (the cloud accepts any
 * credentials). Texts [rec: test_bucket_policy_exc, test_bucket_policy_crud].
 */
import { malformedPolicy, noSuchBucketPolicy } from './errors';
import type { S3Store } from './store';
import type { S3Request, S3Response } from './types';
import { baseHeaders, emptyAnswer } from './xml';

export function putBucketPolicy(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const text = r.body.toString('utf8').trim();
  let doc: unknown;
  try {
    if (!text.startsWith('{')) throw new Error('not an object');
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || !('Statement' in doc)) throw malformedPolicy('Missing required field Statement');
  bucket.policy = text;
  return emptyAnswer(r.ctx, 204);
}

export function getBucketPolicy(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  if (bucket.policy === undefined) throw noSuchBucketPolicy(bucket.name);
  return { status: 200, headers: { ...baseHeaders(r.ctx), 'content-type': 'application/json' }, body: bucket.policy };
}

export function deleteBucketPolicy(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  bucket.policy = undefined;
  return emptyAnswer(r.ctx, 204);
}
