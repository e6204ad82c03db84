/**
 * What the S3 suites share: buckets created under unique names and emptied and deleted after the
 * suite (every version and delete marker, every unfinished multipart upload), a presigned URL
 * maker (SigV4 query signing, as the SDK's presigner does), and small body readers.
 */
import { Sha256 } from '../../src/testbed/sha256';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type CreateBucketCommandInput,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { getTestbed, unique } from '../_support/testbed';

const tb = getTestbed();
export const s3 = () => tb.clients.s3;

/** Tracks the buckets one suite creates, so afterAll can empty and delete them. */
export function bucketTracker() {
  const names = new Set<string>();
  afterAll(async () => {
    await Promise.all([...names].map((b) => removeBucket(b).catch(() => undefined)));
  });
  return {
    async create(prefix: string, extra: Partial<CreateBucketCommandInput> = {}): Promise<string> {
      const name = unique(prefix).toLowerCase().slice(0, 63);
      await s3().send(new CreateBucketCommand({ Bucket: name, ...extra }));
      names.add(name);
      return name;
    },
  };
}

export async function removeBucket(bucket: string): Promise<void> {
  const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? []) await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  for (;;) {
    const v = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].map((o) => ({ Key: o.Key!, VersionId: o.VersionId }));
    if (objects.length === 0) break;
    await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
  }
  await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** A presigned path-style URL for GET or PUT of an object (X-Amz-* query parameters). */
export async function presignedUrl(method: 'GET' | 'PUT', bucket: string, key: string, expiresIn = 300): Promise<string> {
  const url = new URL(tb.target.endpoint);
  const signer = new SignatureV4({ service: 's3', region: tb.target.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256, uriEscapePath: false });
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const signed = await signer.presign(
    { method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path, headers: { host: url.host }, query: {} },
    { expiresIn },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${url.protocol}//${url.host}${path}?${query}`;
}
