/**
 * Queue attributes: names, defaults, the checks of CreateQueue / SetQueueAttributes input (ranges,
 * queue type, RedrivePolicy, RedriveAllowPolicy, Policy, server-side encryption) and the
 * GetQueueAttributes view. Pure functions over plain maps; queues.ts applies the result.
 *
 * Texts: AWS-recorded where LocalStack's snapshots have them (Unknown Attribute, FifoQueue, SSE,
 * QueueAlreadyExists); the RedrivePolicy / RedriveAllowPolicy / range texts as AWS answers them
 * (observed in error logs of real deployments and in emulators tested against AWS).
 */
import { AwsError } from '../../errors';
import { invalidAttributeValue, invalidParameterValue, sqsError, unknownAttribute } from './errors';
import type { QueueRecord } from './types';

/** Attributes SQS computes; naming one in CreateQueue / SetQueueAttributes is "Unknown Attribute". */
const READ_ONLY_NAMES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

/** Every name GetQueueAttributes knows besides `All`, in the order `All` answers them. */
export const ATTRIBUTE_NAMES = [
  ...READ_ONLY_NAMES,
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'ReceiveMessageWaitTimeSeconds',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
] as const;

const READ_ONLY = new Set<string>(READ_ONLY_NAMES);

const SETTABLE = new Set<string>(ATTRIBUTE_NAMES.filter((n) => !READ_ONLY.has(n)));

/** Attributes an empty string removes (they are absent from GetQueueAttributes until set). */
const OPTIONAL = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);

/** Integer attributes and their inclusive ranges. */
export const INT_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const ENUMS: Record<string, readonly string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

const BOOLEANS = new Set(['ContentBasedDeduplication', 'SqsManagedSseEnabled', 'FifoQueue']);

export const DEFAULT_KMS_DATA_KEY_REUSE_PERIOD = '300';

/** What a new queue has before its CreateQueue attributes are applied. */
export function defaultAttributes(fifo: boolean): Record<string, string> {
  const a: Record<string, string> = {
    VisibilityTimeout: '30',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) {
    a.FifoQueue = 'true';
    a.ContentBasedDeduplication = 'false';
    a.DeduplicationScope = 'queue';
    a.FifoThroughputLimit = 'perQueue';
  }
  return a;
}

/** The value an attribute has on a queue, with what an unset optional attribute means. */
export function currentValue(attributes: Record<string, string>, name: string): string {
  if (name === 'KmsDataKeyReusePeriodSeconds') return attributes[name] ?? DEFAULT_KMS_DATA_KEY_REUSE_PERIOD;
  return attributes[name] ?? '';
}

function serialization(message: string): AwsError {
  return new AwsError('SerializationException', message, 400, { messageKey: 'Message' });
}

/**
 * The JSON `Attributes` map as strings. AWS's JSON front end turns numbers and booleans into their
 * text, ignores nulls, and refuses objects and lists inside the map.
 */
export function attributeMap(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (Array.isArray(raw)) throw serialization('Start of list found where not expected');
  if (typeof raw !== 'object') throw serialization('Start of structure or map found where not expected.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.String');
    if (typeof v === 'object') throw serialization('Start of structure or map found where not expected.');
    out[k] = String(v);
  }
  return out;
}

/** Where the queue being created or changed lives, and how to find a dead-letter target. */
export interface AttributeContext {
  fifo: boolean;
  /** The ARN of the queue being created or changed. */
  queueArn: string;
  accountId: string;
  region: string;
  byArn(arn: string): QueueRecord | undefined;
}

/**
 * Check attribute names against the queue type, in the order given (the first problem wins):
 * read-only and unknown names, FIFO-only names on a standard queue, and a FifoQueue that is not true.
 */
export function checkAttributeNames(attrs: Record<string, string>, fifo: boolean): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (!SETTABLE.has(name)) throw unknownAttribute(name);
    if (!fifo) {
      if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') throw unknownAttribute(name);
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw sqsError('InvalidAttributeName', `You can specify the ${name} only when FifoQueue is set to true.`);
      }
    } else if (name === 'FifoQueue' && value.toLowerCase() !== 'true') {
      throw invalidAttributeValue('FifoQueue', 'Modifying queue type is not supported.');
    }
  }
}

/**
 * Check every value and answer the attributes as AWS stores them ('' for an optional attribute
 * means "remove"). Names must have passed checkAttributeNames.
 */
export function normalizeAttributes(attrs: Record<string, string>, ctx: AttributeContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) out[name] = normalizeValue(name, value, ctx);
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw sqsError(
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  return out;
}

function normalizeValue(name: string, value: string, ctx: AttributeContext): string {
  const range = INT_RANGES[name];
  if (range) {
    if (!/^-?[0-9]+$/.test(value)) throw invalidAttributeValue(name);
    const n = Number(value);
    if (n < range[0] || n > range[1]) throw invalidAttributeValue(name);
    return String(n);
  }
  if (BOOLEANS.has(name)) {
    const v = value.toLowerCase();
    if (v !== 'true' && v !== 'false') throw invalidAttributeValue(name);
    return v;
  }
  const allowed = ENUMS[name];
  if (allowed) {
    if (!allowed.includes(value)) throw invalidAttributeValue(name);
    return value;
  }
  switch (name) {
    case 'RedrivePolicy':
      return normalizeRedrivePolicy(value, ctx);
    case 'RedriveAllowPolicy':
      return normalizeRedriveAllowPolicy(value);
    case 'Policy':
      return checkPolicy(value);
    default:
      return value; // KmsMasterKeyId: any key id, alias or ARN
  }
}

/**
 * Apply normalized changes to a queue's attribute map (in place) and settle the encryption pair:
 * a KMS key turns SQS-managed encryption off, SQS-managed encryption drops the KMS key, and the
 * data key reuse period shows (300 by default) only while a KMS key is set.
 */
export function applyAttributes(target: Record<string, string>, changes: Record<string, string>): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === '' && OPTIONAL.has(k)) delete target[k];
    else target[k] = v;
  }
  if (changes.KmsMasterKeyId) target.SqsManagedSseEnabled = 'false';
  if (changes.SqsManagedSseEnabled === 'true') {
    delete target.KmsMasterKeyId;
    delete target.KmsDataKeyReusePeriodSeconds;
  }
  if (target.KmsMasterKeyId) target.KmsDataKeyReusePeriodSeconds ??= DEFAULT_KMS_DATA_KEY_REUSE_PERIOD;
  else if (target.KmsDataKeyReusePeriodSeconds === DEFAULT_KMS_DATA_KEY_REUSE_PERIOD) delete target.KmsDataKeyReusePeriodSeconds;
}

/** Rules over the resulting attributes (after applyAttributes on a copy). */
export function checkCombination(attrs: Record<string, string>): void {
  if (attrs.FifoThroughputLimit === 'perMessageGroupId' && attrs.DeduplicationScope !== 'messageGroup') {
    throw invalidAttributeValue(
      'FifoThroughputLimit',
      'The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
    );
  }
}

// ------------------------------------------------------------------ RedrivePolicy

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** A stored (normalized) RedrivePolicy, or undefined. */
export function parseRedrivePolicy(stored: string | undefined): RedrivePolicy | undefined {
  if (!stored) return undefined;
  const p = parseJson(stored);
  if (!isPlainObject(p) || typeof p.deadLetterTargetArn !== 'string') return undefined;
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) };
}

/**
 * Check a RedrivePolicy and answer it as AWS stores it: `{"deadLetterTargetArn":..,"maxReceiveCount":N}`
 * with the count as a number. The target must exist in the same account and region, be of the same
 * queue type, and its RedriveAllowPolicy must let this queue in.
 */
export function normalizeRedrivePolicy(raw: string, ctx: AttributeContext): string {
  if (raw === '') return '';
  const p = parseJson(raw);
  if (!isPlainObject(p)) {
    throw invalidParameterValue('Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.');
  }
  const bad = (reason: string) => invalidParameterValue(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  if (!('maxReceiveCount' in p)) throw bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (!('deadLetterTargetArn' in p)) throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  const count = p.maxReceiveCount;
  const n = typeof count === 'number' ? count : typeof count === 'string' && /^-?[0-9]+$/.test(count) ? Number(count) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw bad(`Invalid value for maxReceiveCount: ${String(count)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const arn = p.deadLetterTargetArn;
  const parts = typeof arn === 'string' ? arn.split(':') : [];
  if (parts.length !== 6 || parts[0] !== 'arn' || !PARTITIONS.includes(parts[1])) {
    throw bad('Dead-letter target ARN should be fully qualified ARN.');
  }
  if (Object.keys(p).length > 2) throw bad('Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].');
  if (parts[2] !== 'sqs') throw bad('Only SQS queues are valid resources for deadLetterTargetArn.');
  // AWS's own text ends in two periods.
  if (parts[5].endsWith('.fifo') !== ctx.fifo) throw bad('Dead-letter queue must be same type of queue as the source..');
  const target = arn as string;
  const dlq = ctx.byArn(target);
  if (!dlq || dlq.region !== ctx.region) throw bad('Dead letter target does not exist.');
  if (dlq.accountId !== ctx.accountId) throw bad('Dead-letter target owner should be same as the source.');
  if (!redriveAllowed(dlq.attributes.RedriveAllowPolicy, ctx.queueArn)) {
    throw bad(`Queue ${ctx.queueArn} is not allowed to use ${target} as its dead-letter queue by its RedriveAllowPolicy.`);
  }
  return JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: n });
}

// ------------------------------------------------------------------ RedriveAllowPolicy

const REDRIVE_PERMISSIONS = ['allowAll', 'denyAll', 'byQueue'];

/** May `sourceArn` name the queue with this (stored) RedriveAllowPolicy as its dead-letter queue? */
export function redriveAllowed(stored: string | undefined, sourceArn: string): boolean {
  if (!stored) return true;
  const p = parseJson(stored);
  if (!isPlainObject(p)) return true;
  if (p.redrivePermission === 'denyAll') return false;
  if (p.redrivePermission === 'byQueue') return Array.isArray(p.sourceQueueArns) && p.sourceQueueArns.includes(sourceArn);
  return true;
}

export function normalizeRedriveAllowPolicy(raw: string): string {
  if (raw === '') return '';
  const unsupported = () =>
    invalidParameterValue(
      "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.",
    );
  const p = parseJson(raw);
  if (!isPlainObject(p)) throw unsupported();
  if (Object.keys(p).some((k) => k !== 'redrivePermission' && k !== 'sourceQueueArns')) throw unsupported();
  const permission = p.redrivePermission;
  if (typeof permission !== 'string' || !REDRIVE_PERMISSIONS.includes(permission)) throw unsupported();
  const arns = p.sourceQueueArns;
  if (arns !== undefined && (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string'))) throw unsupported();
  const bad = (reason: string) =>
    invalidParameterValue(`Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`);
  if (arns !== undefined && permission !== 'byQueue') throw bad('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
  const list = (arns ?? []) as string[];
  if (permission === 'byQueue' && list.length === 0) {
    throw bad('When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  }
  if (list.length > 10) throw bad('The maximum number of source queue ARNs you can specify is 10.');
  return JSON.stringify(arns === undefined ? { redrivePermission: permission } : { redrivePermission: permission, sourceQueueArns: list });
}

// ------------------------------------------------------------------ Policy

const POLICY_VERSIONS = ['2008-10-17', '2012-10-17'];
const POLICY_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
export const MAX_POLICY_STATEMENTS = 20;

/** A queue policy must be an IAM policy document; answered as given. */
export function checkPolicy(raw: string): string {
  if (raw === '') return '';
  const invalid = () => invalidAttributeValue('Policy');
  const p = parseJson(raw);
  if (!isPlainObject(p)) throw invalid();
  if (Object.keys(p).some((k) => !POLICY_FIELDS.has(k))) throw invalid();
  if (p.Version !== undefined && !POLICY_VERSIONS.includes(p.Version as string)) throw invalid();
  const statements = Array.isArray(p.Statement) ? p.Statement : p.Statement === undefined ? [] : [p.Statement];
  if (statements.length === 0) throw invalid();
  if (statements.length > MAX_POLICY_STATEMENTS) {
    throw sqsError('OverLimit', `${statements.length} statements were found in the submitted policy, max allowed is ${MAX_POLICY_STATEMENTS}`);
  }
  for (const s of statements) {
    if (!isPlainObject(s) || Object.keys(s).some((k) => !STATEMENT_FIELDS.has(k))) throw invalid();
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw invalid();
    const action = s.Action ?? s.NotAction;
    if (typeof action !== 'string' && !Array.isArray(action)) throw invalid();
  }
  return raw;
}

// ------------------------------------------------------------------ GetQueueAttributes

/** Epoch seconds, as CreatedTimestamp and LastModifiedTimestamp are answered. */
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/**
 * The GetQueueAttributes answer for `names` (`All` or any list of known names; an unknown name is
 * InvalidAttributeName). Attributes a queue does not have (FifoQueue on a standard queue, an unset
 * Policy) are left out.
 */
export function attributeView(q: QueueRecord, names: readonly string[]): Record<string, string> {
  for (const n of names) if (n !== 'All' && !(ATTRIBUTE_NAMES as readonly string[]).includes(n)) throw unknownAttribute(n);
  const wanted = names.includes('All') ? ATTRIBUTE_NAMES : [...new Set(names)];
  let counts: ReturnType<QueueRecord['messages']['counts']> | undefined;
  const count = () => (counts ??= q.messages.counts());
  const out: Record<string, string> = {};
  for (const name of wanted) {
    let v: string | undefined;
    switch (name) {
      case 'QueueArn':
        v = q.arn;
        break;
      case 'ApproximateNumberOfMessages':
        v = String(count().visible);
        break;
      case 'ApproximateNumberOfMessagesNotVisible':
        v = String(count().inFlight);
        break;
      case 'ApproximateNumberOfMessagesDelayed':
        v = String(count().delayed);
        break;
      case 'CreatedTimestamp':
        v = seconds(q.createdMs);
        break;
      case 'LastModifiedTimestamp':
        v = seconds(q.lastModifiedMs);
        break;
      default:
        v = q.attributes[name];
    }
    if (v !== undefined) out[name] = v;
  }
  return out;
}
