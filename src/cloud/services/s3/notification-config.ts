/**
 * Put/GetBucketNotificationConfiguration: Queue, Topic and CloudFunction (Lambda) configurations,
 * EventBridgeConfiguration, event types and prefix/suffix filters, as S3 checks them when they are
 * put [rec: test_s3_notifications_*.py, TestS3BucketNotificationConfiguration][obs]:
 *   - ARNs of the configuration's service ("The ARN could not be parsed"), known event types,
 *     filter rules named prefix or suffix (normalized to Prefix / Suffix), one of each;
 *   - no two configurations with overlapping event types and overlapping prefixes and suffixes;
 *   - destinations checked unless x-amz-skip-destination-validation: true ("Unable to validate the
 *     following destination configurations", one ArgumentNameN / ArgumentValueN per failure): a
 *     function must exist and let s3.amazonaws.com invoke it from this bucket (its resource policy,
 *     SourceArn / SourceAccount); a queue or topic must exist (their policies are not evaluated
 *     in this cloud: SQS and SNS keep policies without evaluating them);
 *   - then an s3:TestEvent goes to each SQS and SNS destination.
 */
import { randomUUID } from 'node:crypto';
import { functionAllowsService } from '../../lambda/async/permission';
import { invalidArgument, malformedXML, s3Error } from './errors';
import { isoDate } from './names';
import type { S3Store } from './store';
import type { Bucket, NotificationConfig, NotificationRule, S3Request, S3Response } from './types';
import { child, emptyAnswer, list, parseXml, rootOf, text, texts, xmlAnswer, type XmlNode } from './xml';

/** The event types a configuration may name [model]. */
export const EVENT_TYPES = new Set([
  's3:ReducedRedundancyLostObject', 's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload', 's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:Replication:*', 's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked', 's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold',
  's3:ObjectRestore:Delete', 's3:LifecycleTransition', 's3:IntelligentTiering', 's3:ObjectAcl:Put', 's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated', 's3:ObjectTagging:*', 's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete', 's3:ObjectAnnotation:*', 's3:ObjectAnnotation:Put', 's3:ObjectAnnotation:Delete',
]);

const KINDS = [
  { kind: 'topic', element: 'TopicConfiguration', arnElement: 'Topic', service: 'sns' },
  { kind: 'queue', element: 'QueueConfiguration', arnElement: 'Queue', service: 'sqs' },
  { kind: 'lambda', element: 'CloudFunctionConfiguration', arnElement: 'CloudFunction', service: 'lambda' },
] as const;

/** Whether a configured event type covers an event ("s3:ObjectCreated:*" covers "ObjectCreated:Put"). */
export function eventMatches(configured: string, eventName: string): boolean {
  const name = `s3:${eventName}`;
  if (configured === name) return true;
  return configured.endsWith(':*') && name.startsWith(configured.slice(0, -1));
}

function eventsOverlap(a: string[], b: string[]): string | undefined {
  for (const x of a) {
    for (const y of b) {
      const covers = (p: string, q: string) => p === q || (p.endsWith(':*') && q.startsWith(p.slice(0, -1)));
      if (covers(x, y) || covers(y, x)) return `${x}, ${y}`;
    }
  }
  return undefined;
}

function ruleValue(rule: NotificationRule, name: 'Prefix' | 'Suffix'): string {
  return rule.filterRules?.find((f) => f.name === name)?.value ?? '';
}

/** The configurations' overlaps S3 refuses [obs: the texts AWS answers]. */
export function checkOverlap(rules: NotificationRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      const events = eventsOverlap(a.events, b.events);
      if (!events) continue;
      const pa = ruleValue(a, 'Prefix');
      const pb = ruleValue(b, 'Prefix');
      const sa = ruleValue(a, 'Suffix');
      const sb = ruleValue(b, 'Suffix');
      if (!(pa.startsWith(pb) || pb.startsWith(pa)) || !(sa.endsWith(sb) || sb.endsWith(sa))) continue;
      if (!a.filterRules?.length && !b.filterRules?.length) {
        throw invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.', 'Event', events);
      }
      throw invalidArgument('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.', 'Event', events);
    }
  }
}

/** A configuration element, checked for form. */
function parseRule(node: XmlNode, k: (typeof KINDS)[number]): NotificationRule {
  const arn = text(node, k.arnElement) ?? '';
  if (!new RegExp(`^arn:aws[a-zA-Z-]*:${k.service}:[a-z0-9-]+:\\d{12}:.+$`).test(arn)) throw invalidArgument('The ARN could not be parsed', k.arnElement, arn); // [rec]
  const events = texts(node, 'Event');
  if (events.length === 0) throw malformedXML();
  for (const e of events) if (!EVENT_TYPES.has(e)) throw invalidArgument('The event is not supported for notifications', 'Event', e); // [obs]
  // AWS generates an id when none is given: base64 of a UUID [obs].
  const id = text(node, 'Id') || Buffer.from(randomUUID()).toString('base64');
  const rule: NotificationRule = { kind: k.kind, id, arn, events };
  const filter = child(node, 'Filter');
  if (filter) {
    const key = child(filter, 'S3Key');
    const rules = key ? list(key, 'FilterRule') : [];
    rule.filterRules = [];
    for (const fr of rules) {
      const name = text(fr, 'Name');
      const value = text(fr, 'Value') ?? (fr.Value === '' ? '' : undefined);
      if (name === undefined || value === undefined) throw malformedXML(); // [rec]
      const lower = name.toLowerCase();
      if (lower !== 'prefix' && lower !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', name); // [rec]
      const norm = lower === 'prefix' ? 'Prefix' : 'Suffix';
      if (rule.filterRules.some((f) => f.name === norm)) {
        throw invalidArgument(`Cannot specify more than one ${lower} rule in a filter.`, 'FilterRule.Name', name); // [obs]
      }
      rule.filterRules.push({ name: norm, value });
    }
  }
  return rule;
}

/** Why S3 could not validate a destination, or undefined when it can deliver there. */
function destinationProblem(store: S3Store, bucket: Bucket, rule: NotificationRule): [string, string] | undefined {
  const { lambda, sqs, sns } = store.links;
  if (rule.kind === 'lambda') {
    // [rec] A missing function and a function without the permission both read "Not authorized".
    const refused: [string, string] = [`${rule.arn}, null`, `Not authorized to invoke function [${rule.arn}]`];
    if (!lambda) return undefined;
    const fn = lambda.functionByArn({ accountId: bucket.accountId, region: bucket.region }, rule.arn);
    if (!fn) return refused;
    const qualifier = /:function:[^:]+:([^:]+)$/.exec(rule.arn)?.[1];
    return functionAllowsService(fn, qualifier, { principal: 's3.amazonaws.com', sourceArn: bucket.arn, sourceAccount: bucket.accountId }) ? undefined : refused;
  }
  if (rule.kind === 'queue') return sqs && !sqs.byArn(rule.arn) ? [rule.arn, 'The destination queue does not exist'] : undefined;
  return sns && !sns.topics.has(rule.arn) ? [rule.arn, 'The destination topic does not exist'] : undefined;
}

export async function putBucketNotificationConfiguration(store: S3Store, r: S3Request): Promise<S3Response> {
  const bucket = store.bucket(r.bucket);
  const root = rootOf(parseXml(r.body), 'NotificationConfiguration');
  const rules: NotificationRule[] = [];
  for (const k of KINDS) for (const node of list(root, k.element)) rules.push(parseRule(node, k));
  checkOverlap(rules);
  const config: NotificationConfig = { rules, eventBridge: root.EventBridgeConfiguration !== undefined };
  const skip = (r.headers['x-amz-skip-destination-validation'] ?? '').toLowerCase() === 'true';
  if (!skip) {
    const problems = rules.map((rule) => destinationProblem(store, bucket, rule)).filter((p): p is [string, string] => p !== undefined);
    if (problems.length) {
      const fields: Record<string, string> = {};
      problems.forEach(([name, value], i) => {
        fields[`ArgumentName${i + 1}`] = name;
        fields[`ArgumentValue${i + 1}`] = value;
      });
      throw s3Error('InvalidArgument', 'Unable to validate the following destination configurations', 400, fields); // [rec]
    }
  }
  bucket.notification = config;
  if (!skip) await sendTestEvents(store, bucket, r);
  return emptyAnswer(r.ctx, 200);
}

/** The s3:TestEvent S3 sends to SQS and SNS destinations of a new configuration [doc]. */
async function sendTestEvents(store: S3Store, bucket: Bucket, r: S3Request): Promise<void> {
  const deliverer = store.deliverer;
  if (!deliverer) return;
  const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: isoDate(store.clock.now()), Bucket: bucket.name, RequestId: r.ctx.requestId, HostId: r.ctx.hostId });
  const dctx = { accountId: bucket.accountId, region: bucket.region, source: `s3:${bucket.name} s3:TestEvent` };
  const seen = new Set<string>();
  for (const rule of bucket.notification.rules) {
    if (rule.kind === 'lambda' || seen.has(rule.arn)) continue;
    seen.add(rule.arn);
    await deliverer.deliver(dctx, rule.arn, rule.kind === 'topic' ? { body, subject: 'Amazon S3 Notification' } : { body });
  }
}

export function getBucketNotificationConfiguration(store: S3Store, r: S3Request): S3Response {
  const bucket = store.bucket(r.bucket);
  const content: XmlNode = {};
  for (const k of KINDS) {
    const nodes = bucket.notification.rules
      .filter((rule) => rule.kind === k.kind)
      .map((rule) => ({
        Id: rule.id,
        [k.arnElement]: rule.arn,
        Event: rule.events,
        Filter: rule.filterRules ? { S3Key: { FilterRule: rule.filterRules.map((f) => ({ Name: f.name, Value: f.value })) } } : undefined,
      }));
    if (nodes.length) content[k.element] = nodes;
  }
  if (bucket.notification.eventBridge) content.EventBridgeConfiguration = '';
  return xmlAnswer(r.ctx, 'NotificationConfiguration', content);
}
