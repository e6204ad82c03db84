/**
 * Event notifications: after an object changes, each configuration whose event types and filters
 * match gets the S3 event record, delivered through the cloud's deliverer: a Lambda function
 * asynchronously (principal s3.amazonaws.com, SourceArn the bucket: Lambda's retries, destinations
 * and DLQ apply), an SQS queue, an SNS topic (Subject "Amazon S3 Notification" [rec]); with
 * EventBridge on, an event on the default bus (source aws.s3).
 *
 * The record [rec: test_s3_notifications_*.snapshot.json][doc: notification-content-structure]:
 * eventVersion 2.1 (2.3 for ObjectTagging / ObjectAcl), the key URL-encoded, size and eTag for
 * created objects, versionId in versioned buckets, a sequencer (hex, increasing per key) except for
 * tagging and ACL events.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryContext, DeliveryEvent } from '../../deliver/types';
import { encodeKey, isoDate, principalId } from './names';
import { eventMatches } from './notification-config';
import type { ObjectEvent, S3Store } from './store';
import type { NotificationRule } from './types';

/** Whether a key passes a configuration's prefix and suffix rules (case-sensitive [doc]). */
export function filterMatches(rule: Pick<NotificationRule, 'filterRules'>, key: string): boolean {
  for (const f of rule.filterRules ?? []) {
    if (f.name === 'Prefix' && !key.startsWith(f.value)) return false;
    if (f.name === 'Suffix' && !key.endsWith(f.value)) return false;
  }
  return true;
}

export function ruleMatches(rule: NotificationRule, eventName: string, key: string): boolean {
  return rule.events.some((e) => eventMatches(e, eventName)) && filterMatches(rule, key);
}

/** The requester's principal id in records: "AWS:<IAM user id>" [obs]. */
function requesterPrincipal(e: ObjectEvent): string {
  return `AWS:AIDA${principalId(e.accessKeyId ?? e.requester).slice(1)}`;
}

/** The `s3.object` member for this event. */
function objectPart(e: ObjectEvent, sequencer: string): Record<string, unknown> {
  const versioned = e.bucket.versioning !== undefined;
  const versionId = e.version?.versionId ?? e.versionId;
  const o: Record<string, unknown> = { key: encodeKey(e.key) };
  const created = e.name.startsWith('ObjectCreated:') || e.name.startsWith('ObjectRestore:');
  const tagging = e.name.startsWith('ObjectTagging:') || e.name.startsWith('ObjectAcl:');
  if (created && e.version) {
    o.size = e.version.size;
    o.eTag = e.version.etag;
  } else if ((tagging || e.name === 'ObjectRemoved:DeleteMarkerCreated') && e.version) {
    o.eTag = e.version.etag;
  }
  if (versioned && versionId && versionId !== 'null') o.versionId = versionId;
  if (!tagging) o.sequencer = sequencer;
  return o;
}

/** The S3 event record, members in AWS's order. */
export function eventRecord(e: ObjectEvent, configurationId: string, sequencer: string, time: number): Record<string, unknown> {
  const tagging = e.name.startsWith('ObjectTagging:') || e.name.startsWith('ObjectAcl:');
  return {
    eventVersion: tagging ? '2.3' : '2.1',
    eventSource: 'aws:s3',
    awsRegion: e.bucket.region,
    eventTime: isoDate(time),
    eventName: e.name,
    userIdentity: { principalId: requesterPrincipal(e) },
    requestParameters: { sourceIPAddress: e.sourceIp },
    responseElements: { 'x-amz-request-id': e.requestId, 'x-amz-id-2': e.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: e.bucket.name, ownerIdentity: { principalId: principalId(e.bucket.accountId) }, arn: e.bucket.arn },
      object: objectPart(e, sequencer),
    },
  };
}

const EVENTBRIDGE_TYPES: Record<string, { detailType: string; reason?: string; deletionType?: string }> = {
  'ObjectCreated:Put': { detailType: 'Object Created', reason: 'PutObject' },
  'ObjectCreated:Post': { detailType: 'Object Created', reason: 'PostObject' },
  'ObjectCreated:Copy': { detailType: 'Object Created', reason: 'CopyObject' },
  'ObjectCreated:CompleteMultipartUpload': { detailType: 'Object Created', reason: 'CompleteMultipartUpload' },
  'ObjectRemoved:Delete': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Permanently Deleted' },
  'ObjectRemoved:DeleteMarkerCreated': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Delete Marker Created' },
  'ObjectTagging:Put': { detailType: 'Object Tags Added' },
  'ObjectTagging:Delete': { detailType: 'Object Tags Deleted' },
};

/** The EventBridge form [rec: test_s3_notifications_eventbridge.snapshot.json]. */
export function eventBridgeEvent(e: ObjectEvent, sequencer: string, time: number): DeliveryEvent | undefined {
  const t = EVENTBRIDGE_TYPES[e.name];
  if (!t) return undefined;
  const versionId = e.version?.versionId ?? e.versionId;
  const object: Record<string, unknown> = { key: e.key };
  if (t.detailType === 'Object Created' && e.version) {
    object.size = e.version.size;
    object.etag = e.version.etag;
  } else if (t.detailType.startsWith('Object Tags') && e.version) {
    object.etag = e.version.etag;
  }
  if (e.bucket.versioning && versionId && versionId !== 'null') object['version-id'] = versionId;
  if (!t.detailType.startsWith('Object Tags')) object.sequencer = sequencer;
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: e.bucket.name },
    object,
    'request-id': e.requestId,
    requester: e.requester,
    'source-ip-address': e.sourceIp,
  };
  if (t.reason) detail.reason = t.reason;
  if (t.deletionType) detail['deletion-type'] = t.deletionType;
  return { source: 'aws.s3', detailType: t.detailType, detail: JSON.stringify(detail), resources: [e.bucket.arn], time: new Date(time), id: randomUUID(), account: e.bucket.accountId, region: e.bucket.region };
}

/** Send an object change to the bucket's matching destinations. */
export function dispatchEvent(store: S3Store, e: ObjectEvent): void {
  const n = e.bucket.notification;
  const sequencer = store.nextSequencer();
  if (n.rules.length === 0 && !n.eventBridge) return;
  const deliverer = store.deliverer;
  if (!deliverer) return;
  const time = store.clock.now();
  const dctx: DeliveryContext = { accountId: e.bucket.accountId, region: e.bucket.region, traceHeader: e.traceHeader, source: `s3:${e.bucket.name}` };
  for (const rule of n.rules) {
    if (!ruleMatches(rule, e.name, e.key)) continue;
    const body = JSON.stringify({ Records: [eventRecord(e, rule.id, sequencer, time)] });
    if (rule.kind === 'lambda') void deliverer.deliver(dctx, rule.arn, { body, trigger: 's3', principal: 's3.amazonaws.com', sourceArn: e.bucket.arn });
    else if (rule.kind === 'topic') void deliverer.deliver(dctx, rule.arn, { body, subject: 'Amazon S3 Notification' });
    else void deliverer.deliver(dctx, rule.arn, { body });
  }
  if (n.eventBridge) {
    const event = eventBridgeEvent(e, sequencer, time);
    if (event) void deliverer.deliver(dctx, `arn:aws:events:${e.bucket.region}:${e.bucket.accountId}:event-bus/default`, { body: '', event });
  }
}
