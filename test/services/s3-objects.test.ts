/**
 * S3 buckets and objects through @aws-sdk/client-s3 (path-style) on a started cloud: shapes, ETags,
 * checksums, ranges, conditional requests, versioning, listing, and AWS's errors ([rec] =
 * LocalStack's tests/aws/services/s3/*.snapshot.json, recorded against AWS).
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, thrownBy } from './helpers';

let cloud: RunningCloud;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  s3.destroy();
  await cloud.stop();
});

async function bucket(prefix = 'b'): Promise<string> {
  const name = `${prefix}-${++n}-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}


const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

describe('buckets', () => {
  it('CreateBucket answers the Location; HeadBucket the region; ListBuckets lists it', async () => {
    const out = await s3.send(new CreateBucketCommand({ Bucket: 'loc-bucket-1' }));
    expect(out.Location).toBe('/loc-bucket-1');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'loc-bucket-1' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain('loc-bucket-1');
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'loc-bucket-1' }));
    expect(loc.LocationConstraint).toBeUndefined();
  });

  it('us-east-1 re-creation of an owned us-east-1 bucket answers 200; another region is BucketAlreadyOwnedByYou', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'again-bucket-1' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'again-bucket-1' }))).resolves.toBeDefined();
    await s3.send(new CreateBucketCommand({ Bucket: 'again-bucket-2', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const e = await thrownBy(s3.send(new CreateBucketCommand({ Bucket: 'again-bucket-2', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(e.name).toBe('BucketAlreadyOwnedByYou');
    expect(e.$metadata.httpStatusCode).toBe(409);
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'again-bucket-2' }));
    expect(loc.LocationConstraint).toBe('eu-west-1');
  });

  it('refuses bad names (InvalidBucketName) and bad location constraints', async () => {
    for (const bad of ['Bad_Bucket', 'ab', 'a..b', '192.168.1.1', 'xn--abc', '-abc']) {
      const e = await thrownBy(s3.send(new CreateBucketCommand({ Bucket: bad })));
      expect(e.name).toBe('InvalidBucketName');
      expect(e.message).toBe('The specified bucket is not valid.');
      expect(e.BucketName).toBe(bad);
    }
    const e = await thrownBy(s3.send(new CreateBucketCommand({ Bucket: 'loc-us-east', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })));
    expect(e.name).toBe('InvalidLocationConstraint');
  });

  it('DeleteBucket: BucketNotEmpty while objects remain, NoSuchBucket after', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
    const e = await thrownBy(s3.send(new DeleteBucketCommand({ Bucket: b })));
    expect(e.name).toBe('BucketNotEmpty');
    expect(e.$metadata.httpStatusCode).toBe(409);
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    const gone = await thrownBy(s3.send(new HeadBucketCommand({ Bucket: b })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
    const gone2 = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })));
    expect(gone2.name).toBe('NoSuchBucket');
  });
});

describe('objects', () => {
  it('PutObject / GetObject / HeadObject: ETag, metadata, content type, the SDK’s CRC32', async () => {
    const b = await bucket();
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'dir/a b.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { Color: 'blue' } }));
    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    expect(put.ServerSideEncryption).toBe('AES256');
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'dir/a b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    expect(got.ContentType).toBe('text/plain');
    expect(got.ContentLength).toBe(11);
    expect(got.Metadata).toEqual({ color: 'blue' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dir/a b.txt' }));
    expect(head.ContentLength).toBe(11);
    expect(head.ETag).toBe(put.ETag);
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('GetObject of a missing key is NoSuchKey with the key; HeadObject a bare 404', async () => {
    const b = await bucket();
    const e = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'nope' })));
    expect(e.name).toBe('NoSuchKey');
    expect(e.message).toBe('The specified key does not exist.');
    expect(e.Key).toBe('nope');
    const h = await thrownBy(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'nope' })));
    expect(h.$metadata.httpStatusCode).toBe(404);
  });

  it('Range: 206 with Content-Range; ranges S3 ignores; InvalidRange past the end [rec]', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'r', Body: '0123456789' }));
    const get = async (Range: string) => {
      const o = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'r', Range }));
      return { status: o.$metadata.httpStatusCode, body: await o.Body!.transformToString(), range: o.ContentRange };
    };
    expect(await get('bytes=0-8')).toEqual({ status: 206, body: '012345678', range: 'bytes 0-8/10' });
    expect(await get('bytes=-2')).toEqual({ status: 206, body: '89', range: 'bytes 8-9/10' });
    expect(await get('bytes=1-')).toEqual({ status: 206, body: '123456789', range: 'bytes 1-9/10' });
    expect(await get('bytes=0-100')).toEqual({ status: 206, body: '0123456789', range: 'bytes 0-9/10' });
    expect((await get('bytes=1-0')).status).toBe(200);
    expect((await get('bytes=0-1,3-4')).status).toBe(200);
    const e = await thrownBy(get('bytes=100-200'));
    expect(e.name).toBe('InvalidRange');
    expect(e.$metadata.httpStatusCode).toBe(416);
    expect(e.ActualObjectSize).toBe('10');
  });

  it('conditional reads: 412 for If-Match, 304 for If-None-Match [rec]', async () => {
    const b = await bucket();
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'c', Body: 'data' }));
    const e = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfMatch: '"nope"' })));
    expect(e.name).toBe('PreconditionFailed');
    expect(e.$metadata.httpStatusCode).toBe(412);
    const nm = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfNoneMatch: put.ETag })));
    expect(nm.$metadata.httpStatusCode).toBe(304);
    const ok = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfMatch: put.ETag }));
    expect(await ok.Body!.transformToString()).toBe('data');
  });

  it('conditional writes: If-None-Match * refuses an existing key (412)', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: '1', IfNoneMatch: '*' }));
    const e = await thrownBy(s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: '2', IfNoneMatch: '*' })));
    expect(e.name).toBe('PreconditionFailed');
    const m = await thrownBy(s3.send(new PutObjectCommand({ Bucket: b, Key: 'other', Body: '2', IfMatch: '"abc"' })));
    expect(m.name).toBe('NoSuchKey');
  });

  it('CopyObject keeps or replaces metadata; copying onto itself unchanged is refused', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'src', Body: 'copy me', ContentType: 'text/x', Metadata: { a: '1' } }));
    const c = await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src` }));
    expect(c.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(head.ContentType).toBe('text/x');
    expect(head.Metadata).toEqual({ a: '1' });
    await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst2', CopySource: `${b}/src`, MetadataDirective: 'REPLACE', ContentType: 'image/jpg', Metadata: { b: '2' } }));
    const head2 = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst2' }));
    expect(head2.ContentType).toBe('image/jpg');
    expect(head2.Metadata).toEqual({ b: '2' });
    const self = await thrownBy(s3.send(new CopyObjectCommand({ Bucket: b, Key: 'src', CopySource: `${b}/src` })));
    expect(self.name).toBe('InvalidRequest');
    const missing = await thrownBy(s3.send(new CopyObjectCommand({ Bucket: b, Key: 'x', CopySource: `${b}/absent` })));
    expect(missing.name).toBe('NoSuchKey');
  });

  it('DeleteObjects: deleted entries, quiet mode', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k1', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k2', Body: '2' }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'k1' }, { Key: 'k2' }, { Key: 'never' }] } }));
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['k1', 'k2', 'never']);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: b }));
    expect(list.KeyCount).toBe(0);
  });
});

describe('versioning', () => {
  it('versions, delete markers, GetObject by version id, NoSuchVersion and malformed ids [rec]', async () => {
    const b = await bucket();
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'two' }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const old = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }));
    expect(await old.Body!.transformToString()).toBe('one');
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    const gone = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })));
    expect(gone.name).toBe('NoSuchKey');
    const marker = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId })));
    expect(marker.$metadata.httpStatusCode).toBe(405);
    const bad = await thrownBy(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' })));
    expect(bad.name).toBe('InvalidArgument');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(versions.Versions).toHaveLength(2);
    expect(versions.DeleteMarkers).toHaveLength(1);
    expect(versions.DeleteMarkers?.[0].IsLatest).toBe(true);
    const notEmpty = await thrownBy(s3.send(new DeleteBucketCommand({ Bucket: b })));
    expect(notEmpty.message).toBe('The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  });
});

describe('listing', () => {
  it('ListObjectsV2: prefix, delimiter, max-keys with continuation, start-after', async () => {
    const b = await bucket();
    for (const k of ['a/1', 'a/2', 'b/1', 'c', 'd']) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
    const top = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(['c', 'd']);
    expect(top.KeyCount).toBe(4);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 2, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
      if (token) expect(page.IsTruncated).toBe(true);
    } while (token);
    expect(keys).toEqual(['a/1', 'a/2', 'b/1', 'c', 'd']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: 'b/1' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['c', 'd']);
    const pre = await s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'a/' }));
    expect(pre.Contents?.map((c) => c.Key)).toEqual(['a/1', 'a/2']);
    const bad = await thrownBy(s3.send(new ListObjectsV2Command({ Bucket: b, ContinuationToken: 'garbage!' })));
    expect(bad.name).toBe('InvalidArgument');
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 1 }));
    expect(v1.IsTruncated).toBe(true);
    expect(v1.NextMarker).toBe('a/');
  });
});
