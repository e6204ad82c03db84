/**
 * Topic attributes: which names CreateTopic and SetTopicAttributes take, how values are checked and
 * stored, and what GetTopicAttributes answers (every attribute AWS returns [rec]: DisplayName,
 * EffectiveDeliveryPolicy, Owner, Policy, SubscriptionsConfirmed/Pending/Deleted, TopicArn, and on
 * FIFO topics FifoTopic and ContentBasedDeduplication, plus whatever was set).
 *
 * Error texts: "Invalid parameter: AttributeName" for a name SetTopicAttributes does not take [rec];
 * value errors follow the same "Invalid parameter: <Name>" form (unconfirmed). CreateTopic prefixes
 * them with "Attributes Reason: " as it does for its other attribute errors [rec].
 */
import { xmlMap } from '../../protocols/query';
import { parseArn } from './arns';
import { effectiveTopicDeliveryPolicy, normalizeTopicDeliveryPolicy } from './delivery-policy';
import { invalidParameter } from './errors';
import type { TopicRecord } from './types';

const ENDPOINTS = ['HTTP', 'Firehose', 'Lambda', 'Application', 'SQS'];
const FEEDBACK_ROLES = ENDPOINTS.flatMap((e) => [`${e}SuccessFeedbackRoleArn`, `${e}FailureFeedbackRoleArn`]);
const SAMPLE_RATES = ENDPOINTS.map((e) => `${e}SuccessFeedbackSampleRate`);

/** Settable on every topic [model]. */
const COMMON = ['DeliveryPolicy', 'DisplayName', 'Policy', 'TracingConfig', 'KmsMasterKeyId', 'SignatureVersion', ...FEEDBACK_ROLES, ...SAMPLE_RATES];
/** Settable on FIFO topics only [model]. */
const FIFO_ONLY = ['ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope'];

export const DEFAULT_POLICY_ACTIONS = [
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
]; // [rec] the default statement's actions, in AWS's order

/** The Policy of a new topic [rec]. */
export function defaultPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: DEFAULT_POLICY_ACTIONS.map((a) => `SNS:${a}`),
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

const jsonObject = (text: string): boolean => {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
};

/**
 * Check one attribute for a topic and return the value to store ("" removes it where that is
 * meaningful). `prefix` is "" for SetTopicAttributes and "Attributes Reason: " for CreateTopic.
 */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, prefix = ''): string {
  const bad = (what = name) => invalidParameter(`${prefix}${what}`);
  if (!COMMON.includes(name) && !FIFO_ONLY.includes(name)) throw invalidParameter('AttributeName'); // [rec]
  if (FIFO_ONLY.includes(name) && !fifo) {
    throw invalidParameter(`${prefix}${name} Reason: ${name} is only valid for FIFO topics`); // unconfirmed text
  }
  switch (name) {
    case 'DeliveryPolicy':
      return normalizeTopicDeliveryPolicy(value);
    case 'DisplayName':
      if ([...value].length > 100) throw bad();
      return value;
    case 'Policy':
      if (!jsonObject(value)) throw bad();
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw bad();
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw bad();
      return value;
    case 'ContentBasedDeduplication': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw bad();
      return v;
    }
    case 'FifoThroughputScope':
      if (value !== 'Topic' && value !== 'MessageGroup') throw bad();
      return value;
    case 'ArchivePolicy':
      if (value !== '' && !jsonObject(value)) throw bad();
      return value;
    case 'KmsMasterKeyId':
      return value;
    default:
      if (SAMPLE_RATES.includes(name)) {
        if (!/^\d{1,3}$/.test(value) || Number(value) > 100) throw bad();
        return String(Number(value));
      }
      // *FeedbackRoleArn
      if (value !== '' && !parseArn(value)) throw bad();
      return value;
  }
}

/** The stored value of an attribute as CreateTopic compares it for idempotency (defaults included). */
export function currentTopicAttribute(topic: TopicRecord, name: string): string | undefined {
  if (name === 'DisplayName') return topic.attributes.DisplayName ?? '';
  if (name === 'Policy') return topic.policy;
  if (name === 'ContentBasedDeduplication' && topic.fifo) return topic.attributes.ContentBasedDeduplication ?? 'false';
  if (name === 'FifoTopic') return topic.fifo ? 'true' : undefined;
  return topic.attributes[name];
}

/** GetTopicAttributes' map, names in alphabetical order. */
export function topicAttributesOut(topic: TopicRecord): Record<string, string> {
  let confirmed = 0;
  let pending = 0;
  for (const s of topic.subscriptions.values()) {
    if (s.pending) pending++;
    else confirmed++;
  }
  const all: Record<string, string> = {
    ...topic.attributes,
    DisplayName: topic.attributes.DisplayName ?? '',
    EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(topic.attributes.DeliveryPolicy),
    Owner: topic.accountId,
    Policy: topic.policy,
    SubscriptionsConfirmed: String(confirmed),
    SubscriptionsDeleted: String(topic.deletedSubscriptions),
    SubscriptionsPending: String(pending),
    TopicArn: topic.arn,
  };
  if (topic.fifo) {
    all.FifoTopic = 'true';
    all.ContentBasedDeduplication = topic.attributes.ContentBasedDeduplication ?? 'false';
  }
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(all).sort()) if (all[k] !== '' || k === 'DisplayName') sorted[k] = all[k];
  return xmlMap(sorted);
}
