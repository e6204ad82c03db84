/**
 * s3-reader: a function S3 notifications invoke. For each record of the S3 event it decodes the key
 * (URL-encoded, '+' for spaces, as S3 writes it), reads the object with the runtime's AWS SDK
 * (GetObject through AWS_ENDPOINT_URL), and acts on the object's text: a JSON object with
 * `"action": "throw"` makes the invocation fail with its `message`; anything else is returned.
 *
 * Returns `{ objects: [{ bucket, key, text }] }`.
 */
import type { Context, S3Event } from 'aws-lambda';

interface Read {
  bucket: string;
  key: string;
  text: string;
}

async function readObject(bucket: string, key: string): Promise<string> {
  // require, not import: the runtime's SDK is found through NODE_PATH, as on AWS.
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  // Path-style: the endpoint is an IP address, which has no bucket subdomains.
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body!.transformToString();
  } finally {
    s3.destroy();
  }
}

export const handler = async (event: S3Event, _context: Context): Promise<{ objects: Read[] }> => {
  const objects: Read[] = [];
  for (const r of event.Records ?? []) {
    const bucket = r.s3.bucket.name;
    const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '));
    const text = await readObject(bucket, key);
    console.log(`s3-reader ${r.eventName} s3://${bucket}/${key} (${text.length} characters)`);
    let parsed: { action?: string; message?: string } | undefined;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (parsed && parsed.action === 'throw') throw new Error(parsed.message ?? `failing on ${key}`);
    objects.push({ bucket, key, text });
  }
  return { objects };
};
