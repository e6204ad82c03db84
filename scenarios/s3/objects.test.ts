/**
 * S3 as a Lambda user meets it: buckets and objects through the SDK (path-style), a multipart
 * upload, listing, tags and versions, a virtual-hosted request as curl sends it
 * (`<bucket>.s3.localhost`, embedded target), and a presigned URL.
 */
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getTestbed } from '../_support/testbed';
import { httpRequest } from '../../src/testbed/http';
import { bucketTracker, presignedUrl, s3 } from './_helpers';

const tb = getTestbed();
const buckets = bucketTracker();
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();

describe('objects', () => {
  it('PutObject then GetObject: the bytes, the MD5 ETag, the content type and user metadata', async () => {
    const b = await buckets.create('s3-objects');
    const body = Buffer.from('{"hello":"world"}');
    const put = await s3().send(new PutObjectCommand({ Bucket: b, Key: 'in/doc 1.json', Body: body, ContentType: 'application/json', Metadata: { source: 'scenario' } }));
    expect(put.ETag).toBe(`"${md5(body).toString('hex')}"`);
    const got = await s3().send(new GetObjectCommand({ Bucket: b, Key: 'in/doc 1.json' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect([got.ContentType, got.ContentLength, got.ETag, got.Metadata]).toEqual(['application/json', body.length, put.ETag, { source: 'scenario' }]);
  });

  it('a 12 MB multipart upload: the parts joined, the ETag "<md5 of md5s>-3"', async () => {
    const b = await buckets.create('s3-multipart');
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.alloc(5 * 1024 * 1024, 2), Buffer.alloc(2 * 1024 * 1024, 3)];
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'big.bin' }));
    const done = [];
    for (let i = 0; i < parts.length; i++) {
      const p = await s3().send(new UploadPartCommand({ Bucket: b, Key: 'big.bin', UploadId, PartNumber: i + 1, Body: parts[i] }));
      done.push({ PartNumber: i + 1, ETag: p.ETag });
    }
    const out = await s3().send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'big.bin', UploadId, MultipartUpload: { Parts: done } }));
    expect(out.ETag).toBe(`"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`);
    const head = await s3().send(new HeadObjectCommand({ Bucket: b, Key: 'big.bin' }));
    expect(head.ContentLength).toBe(12 * 1024 * 1024);
    const tail = await s3().send(new GetObjectCommand({ Bucket: b, Key: 'big.bin', Range: 'bytes=-4' }));
    expect([...(await tail.Body!.transformToByteArray())]).toEqual([3, 3, 3, 3]);
  });

  it('ListObjectsV2 pages with a continuation token and groups by delimiter', async () => {
    const b = await buckets.create('s3-list');
    const keys = ['logs/2025/a', 'logs/2025/b', 'logs/2026/c', 'readme', 'zeta'];
    for (const Key of keys) await s3().send(new PutObjectCommand({ Bucket: b, Key, Body: Key }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3().send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(keys);
    const grouped = await s3().send(new ListObjectsV2Command({ Bucket: b, Prefix: 'logs/', Delimiter: '/' }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/2025/', 'logs/2026/']);
    expect(grouped.KeyCount).toBe(2);
  });

  it('tags from the x-amz-tagging header; versions and a delete marker in a versioned bucket', async () => {
    const b = await buckets.create('s3-versions');
    await s3().send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3().send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'first', Tagging: 'stage=raw' }));
    await s3().send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'second' }));
    expect((await s3().send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }))).TagSet).toEqual([{ Key: 'stage', Value: 'raw' }]);
    const del = await s3().send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    const first = await s3().send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }));
    expect(await first.Body!.transformToString()).toBe('first');
    await expect(s3().send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('addressing', () => {
  it('a presigned URL downloads the object without SDK signing headers', async () => {
    const b = await buckets.create('s3-presign');
    await s3().send(new PutObjectCommand({ Bucket: b, Key: 'shared/report.txt', Body: 'presigned body' }));
    const url = await presignedUrl('GET', b, 'shared/report.txt');
    expect(url).toContain('X-Amz-Credential=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned body');
    const put = await fetch(await presignedUrl('PUT', b, 'shared/upload.txt'), { method: 'PUT', body: 'uploaded by URL' });
    expect(put.status).toBe(200);
    const got = await s3().send(new GetObjectCommand({ Bucket: b, Key: 'shared/upload.txt' }));
    expect(await got.Body!.transformToString()).toBe('uploaded by URL');
  });

  tb.describeIf('s3VirtualHosts')('virtual-hosted addressing (<bucket>.s3.localhost)', () => {
    it('GET http://<bucket>.s3.localhost:<port>/<key> answers the object; the bucket root lists it', async () => {
      const b = await buckets.create('s3-vhost');
      await s3().send(new PutObjectCommand({ Bucket: b, Key: 'a/b.txt', Body: 'by host name' }));
      const port = new URL(tb.target.endpoint).port;
      const obj = await httpRequest(`http://${b}.s3.localhost:${port}/a/b.txt`);
      expect(obj.status).toBe(200);
      expect(obj.text).toBe('by host name');
      expect(obj.headers.etag).toBe(`"${md5('by host name').toString('hex')}"`);
      const list = await httpRequest(`http://${b}.s3.localhost:${port}/?list-type=2`);
      expect(list.status).toBe(200);
      expect(list.text).toContain('<Key>a/b.txt</Key>');
      const missing = await httpRequest(`http://${b}.s3.localhost:${port}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.text).toMatch(/<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>nope<\/Key><RequestId>[0-9A-F]{16}<\/RequestId><HostId>.+<\/HostId><\/Error>/);
    });
  });
});
