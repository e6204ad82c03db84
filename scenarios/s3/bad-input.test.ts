/**
 * Bad input to S3 gets AWS's errors (code, status, message), stores nothing partial, and the
 * service keeps serving: bucket names, odd keys, a wrong Content-MD5, malformed XML, incomplete
 * multipart uploads, unknown buckets and keys, requests without the body they need.
 */
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { rejection } from '../_support/testbed';
import { bucketTracker, s3 } from './_helpers';

const buckets = bucketTracker();

describe('bucket names and unknown resources', () => {
  it.each(['UpperCase', 'under_score', 'ab', 'a'.repeat(64), 'ends-', '.starts', 'two..dots', '192.168.5.4', 'xn--punycode'])(
    'CreateBucket %j is InvalidBucketName (400)',
    async (name) => {
      const e = await rejection(s3().send(new CreateBucketCommand({ Bucket: name })));
      expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual(['InvalidBucketName', 400, 'The specified bucket is not valid.']);
    },
  );

  it('an unknown bucket is NoSuchBucket with its name; an unknown key NoSuchKey with the key', async () => {
    const b = await buckets.create('s3-bad-unknown');
    const nb = await rejection(s3().send(new GetObjectCommand({ Bucket: `${b}-absent`, Key: 'k' })));
    expect([nb.name, nb.$metadata.httpStatusCode, nb.message, nb.BucketName]).toEqual(['NoSuchBucket', 404, 'The specified bucket does not exist', `${b}-absent`]);
    const nk = await rejection(s3().send(new GetObjectCommand({ Bucket: b, Key: 'absent/key' })));
    expect([nk.name, nk.$metadata.httpStatusCode, nk.message, nk.Key]).toEqual(['NoSuchKey', 404, 'The specified key does not exist.', 'absent/key']);
    const head = await rejection(s3().send(new HeadObjectCommand({ Bucket: b, Key: 'absent/key' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
    await expect(s3().send(new ListObjectsV2Command({ Bucket: `${b}-absent` }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('keys and bodies', () => {
  it.each(['with space', 'unicode/ключ/😀', 'pct%20literal', 'plus+sign', 'q?mark&amp=1', 'trailing/slash/', 'dots/../x', '#hash'])(
    'odd key %j round-trips',
    async (key) => {
      const b = await buckets.create('s3-bad-keys');
      await s3().send(new PutObjectCommand({ Bucket: b, Key: key, Body: key }));
      const got = await s3().send(new GetObjectCommand({ Bucket: b, Key: key }));
      expect(await got.Body!.transformToString()).toBe(key);
      const list = await s3().send(new ListObjectsV2Command({ Bucket: b }));
      expect(list.Contents?.map((c) => c.Key)).toEqual([key]);
    },
  );

  it('a key over 1024 bytes is KeyTooLongError', async () => {
    const b = await buckets.create('s3-bad-longkey');
    const e = await rejection(s3().send(new PutObjectCommand({ Bucket: b, Key: 'k'.repeat(1025), Body: 'x' })));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['KeyTooLongError', 400]);
  });

  it('a Content-MD5 that does not match is BadDigest, and nothing is stored', async () => {
    const b = await buckets.create('s3-bad-md5');
    const wrong = createHash('md5').update('something else').digest('base64');
    const e = await rejection(s3().send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'the body', ContentMD5: wrong })));
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual(['BadDigest', 400, 'The Content-MD5 you specified did not match what we received.']);
    await expect(s3().send(new HeadObjectCommand({ Bucket: b, Key: 'k' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const ok = await s3().send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'the body', ContentMD5: createHash('md5').update('the body').digest('base64') }));
    expect(ok.ETag).toBe(`"${createHash('md5').update('the body').digest('hex')}"`);
  });
});

describe('XML bodies', () => {
  it('malformed or wrongly shaped XML is MalformedXML; a missing element too', async () => {
    const b = await buckets.create('s3-bad-xml');
    const e = await rejection(s3().send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'k' } as never] } })));
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual(['MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema']);
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
    const noParts = await rejection(s3().send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId })));
    expect(noParts.$metadata.httpStatusCode).toBe(400);
    expect(['MalformedXML', 'InvalidRequest', 'MissingRequestBodyError']).toContain(noParts.name);
  });
});

describe('incomplete multipart uploads', () => {
  it('an unfinished upload leaves no object; Complete with an unknown upload id is NoSuchUpload', async () => {
    const b = await buckets.create('s3-bad-mpu');
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'half' }));
    await s3().send(new UploadPartCommand({ Bucket: b, Key: 'half', UploadId, PartNumber: 1, Body: Buffer.alloc(1024) }));
    await expect(s3().send(new HeadObjectCommand({ Bucket: b, Key: 'half' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const e = await rejection(s3().send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'half', UploadId: 'not-an-upload', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] } })));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
    const wrongPart = await rejection(s3().send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'half', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: '"x"' }] } })));
    expect(wrongPart.name).toBe('InvalidPart');
    // The service keeps serving.
    await s3().send(new PutObjectCommand({ Bucket: b, Key: 'after', Body: 'fine' }));
    expect(await (await s3().send(new GetObjectCommand({ Bucket: b, Key: 'after' }))).Body!.transformToString()).toBe('fine');
  });
});
