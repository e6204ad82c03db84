/**
 * S3 event notifications to a function [doc][rec: LocalStack's AWS recording of an ObjectCreated:Put
 * notification: eventVersion "2.1"]: Records[] {eventVersion, eventSource, awsRegion, eventTime,
 * eventName, userIdentity, requestParameters, responseElements, s3 {s3SchemaVersion,
 * configurationId, bucket {name, ownerIdentity, arn}, object {key, size, eTag, (versionId),
 * sequencer}}}. Removals carry no size or eTag. The key is URL-encoded, spaces as "+" [doc].
 */
import { createHash } from 'node:crypto';
import { isoTime, resolve, type Resolved } from './context';
import { int, str, text } from './options';
import { TemplateError, type EventTemplate } from './types';

export const S3_CREATED = ['ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload'] as const;
export const S3_REMOVED = ['ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated'] as const;

/** [doc] Object keys in notifications: URL-encoded, with "+" for spaces. */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

function s3(o: Record<string, unknown>, r: Resolved, created: boolean): Record<string, unknown> {
  const bucket = str(o, 'bucket', 'example-bucket');
  const key = str(o, 'key', created ? 'uploads/example.txt' : 'uploads/old.txt');
  const eventName = str(o, 'eventName', created ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete');
  const allowed: readonly string[] = created ? S3_CREATED : S3_REMOVED;
  if (!allowed.includes(eventName)) throw new TemplateError(`--event-name: must be one of ${allowed.join(', ')}, got ${JSON.stringify(eventName)}`);
  const owner = `A${r.alnum(13).toUpperCase()}`;
  const object: Record<string, unknown> = { key: encodeKey(key) };
  if (created) {
    const content = o.content === undefined ? undefined : text(o, 'content', '');
    object.size = content === undefined ? int(o, 'size', 1024) : Buffer.byteLength(content);
    object.eTag = content === undefined ? r.hex(32) : createHash('md5').update(content).digest('hex');
  }
  const versionId = str(o, 'versionId', '');
  if (versionId) object.versionId = versionId;
  object.sequencer = r.hex(18).toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: r.region,
        eventTime: isoTime(r.now),
        eventName,
        userIdentity: { principalId: `AWS:AIDA${r.alnum(17).toUpperCase()}` },
        requestParameters: { sourceIPAddress: str(o, 'sourceIp', '203.0.113.10') },
        responseElements: { 'x-amz-request-id': r.hex(16).toUpperCase(), 'x-amz-id-2': `${r.b64(76)}=` },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: str(o, 'configurationId', 'example-notification'),
          bucket: { name: bucket, ownerIdentity: { principalId: owner }, arn: `arn:aws:s3:::${bucket}` },
          object,
        },
      },
    ],
  };
}

const COMMON = [
  { name: 'bucket', type: 'string', description: 'bucket name', default: 'example-bucket' },
  { name: 'configurationId', type: 'string', description: "the notification configuration's id", default: 'example-notification' },
  { name: 'versionId', type: 'string', description: 'object version id (versioned buckets)', default: 'none' },
  { name: 'sourceIp', type: 'string', description: "the requester's IP address", default: '203.0.113.10' },
] as const;

export const S3_TEMPLATES: EventTemplate[] = [
  {
    name: 's3-put',
    family: 's3',
    title: 'S3 ObjectCreated notification',
    options: [
      { name: 'key', type: 'string', description: 'object key (URL-encoded in the event)', default: 'uploads/example.txt' },
      { name: 'size', type: 'integer', description: 'object size in bytes', default: '1024', min: 0 },
      { name: 'content', type: 'json', description: "the object's content: sets size and eTag (its MD5)" },
      { name: 'eventName', type: 'string', description: 'event name', default: 'ObjectCreated:Put', choices: S3_CREATED },
      ...COMMON,
    ],
    mapPaths: [],
    build: (o, ctx) => s3(o, resolve(ctx), true),
  },
  {
    name: 's3-delete',
    family: 's3',
    title: 'S3 ObjectRemoved notification',
    options: [
      { name: 'key', type: 'string', description: 'object key (URL-encoded in the event)', default: 'uploads/old.txt' },
      { name: 'eventName', type: 'string', description: 'event name', default: 'ObjectRemoved:Delete', choices: S3_REMOVED },
      ...COMMON,
    ],
    mapPaths: [],
    build: (o, ctx) => s3(o, resolve(ctx), false),
  },
];
