/**
 * S3 multipart uploads, checksums (Content-MD5, the SDK's flexible checksums, aws-chunked streaming
 * uploads with a trailing checksum), tagging and stored bucket settings through @aws-sdk/client-s3
 * on a started cloud ([rec] = AWS-recorded answers in LocalStack's snapshots).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { httpRequest } from '../../src/testbed/http';
import { credentials, thrownBy } from './helpers';

let cloud: RunningCloud;
let s3: S3Client;
let n = 0;
const MB = 1024 * 1024;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  s3.destroy();
  await cloud.stop();
});

async function bucket(): Promise<string> {
  const name = `mp-${++n}-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}


const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();

describe('multipart upload', () => {
  it('Complete joins the parts; the ETag is the MD5 of the parts’ MD5s with "-<parts>"', async () => {
    const b = await bucket();
    const part1 = Buffer.alloc(5 * MB, 'a');
    const part2 = Buffer.from('tail');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'big', ContentType: 'text/big' }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'big', UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'big', UploadId, PartNumber: 2, Body: part2 }));
    expect(p1.ETag).toBe(`"${md5(part1).toString('hex')}"`);
    const parts = await s3.send(new ListPartsCommand({ Bucket: b, Key: 'big', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * MB], [2, 4]]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: b }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toEqual([UploadId]);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: b, Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }),
    );
    const expected = `${createHash('md5').update(Buffer.concat([md5(part1), md5(part2)])).digest('hex')}-2`;
    expect(done.ETag).toBe(`"${expected}"`);
    expect(done.ChecksumType).toBe('FULL_OBJECT');
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'big' }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.equals(Buffer.concat([part1, part2]))).toBe(true);
    expect(got.ContentType).toBe('text/big');
    const second = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'big', PartNumber: 2 }));
    expect(second.ContentLength).toBe(4);
    expect(second.PartsCount).toBe(2);
    const gone = await thrownBy(s3.send(new ListPartsCommand({ Bucket: b, Key: 'big', UploadId })));
    expect(gone.name).toBe('NoSuchUpload');
  });

  it('Complete refuses: no parts, parts out of order, an unknown part or ETag, a small middle part [rec]', async () => {
    const b = await bucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'data' }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 2, Body: 'data' }));
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      thrownBy(s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId, MultipartUpload: { Parts } })));
    const none = await complete([]);
    expect([none.name, none.message]).toEqual(['InvalidRequest', 'You must specify at least one part']);
    const order = await complete([{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }]);
    expect(order.name).toBe('InvalidPartOrder');
    const wrong = await complete([{ PartNumber: 1, ETag: '"d41d8cd98f00b204e9800998ecf8427e"' }]);
    expect(wrong.name).toBe('InvalidPart');
    expect(wrong.PartNumber).toBe('1');
    const small = await complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }]);
    expect(small.name).toBe('EntityTooSmall');
    expect(small.MinSizeAllowed).toBe('5242880');
    expect(small.ProposedSize).toBe('4');
    const badPart = await thrownBy(s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 10001, Body: 'x' })));
    expect(badPart.name).toBe('InvalidArgument');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId }));
    const aborted = await thrownBy(s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'x' })));
    expect(aborted.name).toBe('NoSuchUpload');
    expect(aborted.$metadata.httpStatusCode).toBe(404);
  });

  it('COMPOSITE checksums: each part’s, then "<checksum of checksums>-<parts>" [rec]', async () => {
    const b = await bucket();
    const { UploadId, ChecksumType } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'c', ChecksumAlgorithm: 'CRC32' }));
    expect(ChecksumType).toBe('COMPOSITE');
    const bodies = [Buffer.alloc(5 * MB + 1, 'x'), Buffer.from('end')];
    const parts = [];
    for (let i = 0; i < bodies.length; i++) {
      const p = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'c', UploadId, PartNumber: i + 1, Body: bodies[i], ChecksumAlgorithm: 'CRC32' }));
      parts.push({ PartNumber: i + 1, ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32 });
    }
    const missing = await thrownBy(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'c', UploadId, MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) } })),
    );
    expect(missing.message).toBe('The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'c', UploadId, MultipartUpload: { Parts: parts } }));
    const crc = (buf: Buffer) => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(require('node:zlib').crc32(buf) >>> 0);
      return out;
    };
    const composite = `${crc(Buffer.concat(bodies.map(crc))).toString('base64')}-2`;
    expect(done.ChecksumCRC32).toBe(composite);
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'c', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32).toBe(composite);
    expect(head.ChecksumType).toBe('COMPOSITE');
  });

  it('UploadPartCopy copies a range of another object', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'src', Body: '0123456789' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'dst' }));
    const p = await s3.send(new UploadPartCopyCommand({ Bucket: b, Key: 'dst', UploadId, PartNumber: 1, CopySource: `${b}/src`, CopySourceRange: 'bytes=2-4' }));
    expect(p.CopyPartResult?.ETag).toBe(`"${md5('234').toString('hex')}"`);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'dst', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.CopyPartResult?.ETag }] } }));
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(await got.Body!.transformToString()).toBe('234');
    const bad = await thrownBy(s3.send(new UploadPartCopyCommand({ Bucket: b, Key: 'dst', UploadId: 'x', PartNumber: 1, CopySource: `${b}/src` })));
    expect(bad.name).toBe('NoSuchUpload');
  });
});

describe('checksums', () => {
  it('a SHA256 the SDK sends is kept and answered with ChecksumMode ENABLED', async () => {
    const b = await bucket();
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 's', Body: 'hello', ChecksumAlgorithm: 'SHA256' }));
    const sha = createHash('sha256').update('hello').digest('base64');
    expect(put.ChecksumSHA256).toBe(sha);
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 's', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumSHA256).toBe(sha);
    expect(got.ChecksumType).toBe('FULL_OBJECT');
    await got.Body!.transformToString();
  });

  it('a streamed body (aws-chunked with a trailing checksum) is decoded', async () => {
    const b = await bucket();
    const chunks = [Buffer.alloc(70_000, 'q'), Buffer.from('-middle-'), Buffer.alloc(10, 'z')];
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'stream', Body: Readable.from(chunks), ContentLength: 70_018 }));
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'stream' }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.equals(Buffer.concat(chunks))).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('Content-MD5: InvalidDigest when malformed, BadDigest when wrong; a wrong CRC32 is BadDigest [rec]', async () => {
    const b = await bucket();
    const url = `${cloud.endpoint}/${b}/m`;
    const auth = 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x';
    const bad = await httpRequest(url, { method: 'PUT', headers: { authorization: auth, 'content-md5': 'MTIz' }, body: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidDigest</Code>');
    expect(bad.text).toContain('<Message>The Content-MD5 you specified was invalid.</Message>');
    const wrong = await httpRequest(url, { method: 'PUT', headers: { authorization: auth, 'content-md5': md5('xyz').toString('base64') }, body: 'abc' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('<Code>BadDigest</Code>');
    expect(wrong.text).toContain(`<CalculatedDigest>${md5('abc').toString('base64')}</CalculatedDigest>`);
    const crc = await httpRequest(url, { method: 'PUT', headers: { authorization: auth, 'x-amz-checksum-crc32': 'AAAAAA==' }, body: 'abc' });
    expect(crc.text).toContain('<Message>The CRC32 you specified did not match the calculated checksum.</Message>');
    const notB64 = await httpRequest(url, { method: 'PUT', headers: { authorization: auth, 'x-amz-checksum-crc32': 'nope' }, body: 'abc' });
    expect(notB64.text).toContain('<Message>Value for x-amz-checksum-crc32 header is invalid.</Message>');
    // None of them stored anything.
    const head = await httpRequest(url, { method: 'HEAD', headers: { authorization: auth } });
    expect(head.status).toBe(404);
  });
});

describe('tagging, versioning and policy settings', () => {
  it('object tags from the header and PutObjectTagging; bucket tags; NoSuchTagSet [rec]', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 't', Body: 'x', Tagging: 'a=1&b=2' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: b, Key: 't' }))).TagCount).toBe(2);
    await s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet).toEqual([{ Key: 'c', Value: '3' }]);
    const dup = await thrownBy(s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] } })));
    expect([dup.name, dup.message]).toEqual(['InvalidTag', 'Cannot provide multiple Tags with the same key']);
    const none = await thrownBy(s3.send(new GetBucketTaggingCommand({ Bucket: b })));
    expect(none.name).toBe('NoSuchTagSet');
    await s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'team', Value: 'x' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([{ Key: 'team', Value: 'x' }]);
  });

  it('versioning status, a stored policy, S3’s default encryption', async () => {
    const b = await bucket();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status).toBe('Suspended');
    const noPolicy = await thrownBy(s3.send(new GetBucketPolicyCommand({ Bucket: b })));
    expect(noPolicy.name).toBe('NoSuchBucketPolicy');
    const bad = await thrownBy(s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: 'not json' })));
    expect([bad.name, bad.message]).toEqual(['MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'"]);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy).toBe(policy);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });
});
