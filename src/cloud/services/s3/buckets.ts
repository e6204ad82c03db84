/**
 * CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation.
 *   - Names follow the general purpose bucket rules (InvalidBucketName [rec]).
 *   - Location constraints [rec: test_different_location_constraint]: from us-east-1 any other valid
 *     region may be named (us-east-1 itself is InvalidLocationConstraint); from another region the
 *     constraint must be that region (IllegalLocationConstraintException).
 *   - Re-creating an owned bucket is BucketAlreadyOwnedByYou (409), except the us-east-1 quirk: a
 *     us-east-1 bucket re-created in us-east-1 without a configuration answers 200 [rec].
 */
import { bucketAlreadyOwnedByYou, bucketNotEmpty, illegalLocationConstraint, invalidArgument, invalidBucketName, invalidLocationConstraint, s3Error } from './errors';
import { canonicalId, isoDate, REGIONS, validBucketName } from './names';
import type { S3Store } from './store';
import { parseTagSet } from './tagging';
import type { Bucket, S3Request, S3Response } from './types';
import { child, emptyAnswer, parseXml, rootOf, text, xmlAnswer, type XmlNode } from './xml';

const OWNERSHIP = ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'];

export function createBucket(store: S3Store, r: S3Request): S3Response {
  const name = r.bucket!;
  if (!validBucketName(name)) throw invalidBucketName(name);
  const doc = parseXml(r.body, { allowEmpty: true });
  let constraint: string | undefined;
  let tags: [string, string][] | undefined;
  if (doc) {
    const root = rootOf(doc, 'CreateBucketConfiguration');
    constraint = text(root, 'LocationConstraint');
    const tagNode = child(root, 'Tags');
    if (tagNode) tags = parseTagSet(tagNode, 'bucket');
  }
  const ownership = r.headers['x-amz-object-ownership'];
  if (ownership !== undefined && !OWNERSHIP.includes(ownership)) {
    throw invalidArgument(`Invalid x-amz-object-ownership header: ${ownership}`, 'x-amz-object-ownership'); // [rec]
  }
  const region = r.ctx.region;
  let bucketRegion: string;
  if (region === 'us-east-1') {
    if (constraint === undefined || constraint === '') bucketRegion = 'us-east-1';
    else if (constraint === 'us-east-1' || !REGIONS.has(constraint)) throw invalidLocationConstraint(constraint);
    else bucketRegion = constraint === 'EU' ? 'eu-west-1' : constraint;
  } else {
    if (constraint === undefined || constraint === '') throw illegalLocationConstraint(undefined);
    if (constraint !== region) throw illegalLocationConstraint(constraint);
    bucketRegion = region;
  }
  const existing = store.buckets.get(name);
  if (existing) {
    if (existing.accountId !== r.ctx.accountId) {
      throw s3Error(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { BucketName: name },
      );
    }
    if (region === 'us-east-1' && existing.region === 'us-east-1' && !doc) return created(r, existing);
    throw bucketAlreadyOwnedByYou(name);
  }
  const bucket: Bucket = {
    name,
    region: bucketRegion,
    accountId: r.ctx.accountId,
    arn: `arn:aws:s3:::${name}`,
    created: store.clock.now(),
    keys: new Map(),
    uploads: new Map(),
    notification: { rules: [], eventBridge: false },
    configs: new Map(),
  };
  if (tags?.length) bucket.tags = tags;
  if (ownership) bucket.configs.set('ownershipControls', ownershipXml(ownership));
  store.buckets.set(name, bucket);
  return created(r, bucket);
}

function created(r: S3Request, bucket: Bucket): S3Response {
  // us-east-1 answers the path; other regions the bucket's virtual-hosted URL [rec].
  const location = bucket.region === 'us-east-1' ? `/${bucket.name}` : `http://${bucket.name}.s3.localhost:${r.ctx.port}/`;
  return emptyAnswer(r.ctx, 200, { location, 'x-amz-bucket-arn': bucket.arn });
}

export function ownershipXml(ownership: string): string {
  return `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>${ownership}</ObjectOwnership></Rule></OwnershipControls>`;
}

export function deleteBucket(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  if (bucket.keys.size > 0) throw bucketNotEmpty(bucket.name, bucket.versioning !== undefined);
  for (const u of bucket.uploads.values()) for (const p of u.parts.values()) store.blobs.release(p.body);
  store.buckets.delete(bucket.name);
  return emptyAnswer(r.ctx, 204);
}

export function headBucket(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  return emptyAnswer(r.ctx, 200, {
    'content-type': 'application/xml',
    'x-amz-bucket-region': bucket.region,
    'x-amz-access-point-alias': 'false',
    'x-amz-bucket-arn': bucket.arn,
  });
}

export function getBucketLocation(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  return xmlAnswer(r.ctx, 'LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region);
}

export function listBuckets(store: S3Store, r: S3Request): S3Response {
  const q = r.query;
  const prefix = q.get('prefix') ?? undefined;
  const regionFilter = q.get('bucket-region') ?? undefined;
  if (regionFilter !== undefined && !REGIONS.has(regionFilter)) {
    throw invalidArgument(`Argument value ${regionFilter} is not a valid AWS Region`, 'bucket-region'); // [rec]
  }
  const maxRaw = q.get('max-buckets');
  const max = maxRaw === null ? 10_000 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) {
    throw invalidArgument('Argument value for max-buckets is invalid: must be an integer between 1 and 10000', 'max-buckets', maxRaw ?? undefined); // (text unconfirmed)
  }
  const token = q.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64').toString('utf8') : undefined;
  const all = [...store.buckets.values()]
    .filter((b) => b.accountId === r.ctx.accountId && (!prefix || b.name.startsWith(prefix)) && (!regionFilter || b.region === regionFilter))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((b) => after === undefined || b.name > after);
  const page = all.slice(0, max);
  const owner = canonicalId(r.ctx.accountId);
  const content: XmlNode = {
    Owner: { ID: owner, DisplayName: 'webfile' },
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: isoDate(b.created), BucketRegion: b.region, BucketArn: b.arn })) },
    ContinuationToken: all.length > max ? Buffer.from(page[page.length - 1].name).toString('base64') : undefined,
    Prefix: prefix,
  };
  return xmlAnswer(r.ctx, 'ListAllMyBucketsResult', content);
}
