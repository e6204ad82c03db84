/**
 * Subscription attributes: what Subscribe (Attributes) and SetSubscriptionAttributes take, how each
 * value is checked and stored, and what GetSubscriptionAttributes answers [rec]. Subscribe words
 * its errors "Invalid parameter: Attributes Reason: <...>", SetSubscriptionAttributes
 * "Invalid parameter: <...>" [rec]; `prefix` carries the difference.
 */
import { compileSnsFilterPolicy, PatternError, type SnsFilter } from '../../patterns';
import { jsonProblem } from '../../protocols/jackson';
import { xmlMap } from '../../protocols/query';
import { parseArn } from './arns';
import { effectiveSubscriptionDeliveryPolicy, normalizeSubscriptionDeliveryPolicy } from './delivery-policy';
import { invalidParameter, invalidParameterMessage } from './errors';
import type { SubscriptionRecord, TopicRecord } from './types';

export const SUBSCRIPTION_ATTRIBUTES = ['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn'];

/** Protocols whose subscriptions may use raw delivery [model]. */
const RAW_PROTOCOLS = ['sqs', 'http', 'https', 'firehose'];

export type Scope = 'MessageAttributes' | 'MessageBody';

/** What a subscription attribute is checked against. */
export interface SubscriptionTarget {
  topic: TopicRecord;
  protocol: string;
  endpoint: string;
}

/** Attribute errors: `Invalid parameter: <prefix><text>`. */
const bad = (prefix: string, text: string) => invalidParameter(`${prefix}${text}`);

function parseJson(text: string, prefix: string, name: string): unknown {
  const problem = jsonProblem(Buffer.from(text, 'utf8'));
  if (problem) throw bad(prefix, `${name}: failed to parse JSON. ${problem}`); // [rec] prefix; the rest is the parser's
  return JSON.parse(text) as unknown;
}

/**
 * Compile a FilterPolicy for a scope. The engine's PatternError carries SNS's texts for both
 * callers [rec]: `message` for SetSubscriptionAttributes, `attributesMessage` for Subscribe.
 */
export function compileFilter(policy: string, scope: Scope, prefix: string): SnsFilter {
  try {
    return compileSnsFilterPolicy(policy, scope);
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
    throw invalidParameterMessage(prefix ? (e.attributesMessage ?? e.message) : e.message);
  }
}

/**
 * Check one attribute and return the value to store ("" removes it). FilterPolicy is compiled by
 * the caller (it depends on the scope, which may come in the same request).
 */
export function checkSubscriptionAttribute(name: string, value: string, target: SubscriptionTarget, prefix: string): string {
  if (!SUBSCRIPTION_ATTRIBUTES.includes(name)) throw bad(prefix, 'AttributeName'); // [rec]
  switch (name) {
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw bad(prefix, `RawMessageDelivery: Invalid value [${value}]. Must be true or false.`); // [rec]
      if (!RAW_PROTOCOLS.includes(target.protocol)) throw bad(prefix, `Delivery protocol [${target.protocol}] does not support raw message delivery.`); // [obs]
      return v;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw bad(prefix, `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`); // [rec]
      }
      return value;
    case 'FilterPolicy':
      return value; // compiled (and checked) with its scope by filterOf
    case 'RedrivePolicy': {
      if (value === '') return '';
      const v = parseJson(value, prefix, 'RedrivePolicy');
      const arnText = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).deadLetterTargetArn : undefined;
      const arn = typeof arnText === 'string' ? parseArn(arnText) : undefined;
      if (!arn) throw bad(prefix, 'RedrivePolicy: deadLetterTargetArn is an invalid arn'); // [rec]
      if (target.topic.fifo && target.endpoint.endsWith('.fifo') && (arn.service !== 'sqs' || !arn.resource.endsWith('.fifo'))) {
        throw bad(prefix, 'RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.'); // [rec]
      }
      return value;
    }
    case 'DeliveryPolicy':
      if (target.protocol !== 'http' && target.protocol !== 'https') {
        throw bad(prefix, `DeliveryPolicy: Delivery policy is only supported for HTTP/S subscriptions, not ${target.protocol}`); // unconfirmed text
      }
      return normalizeSubscriptionDeliveryPolicy(value);
    default:
      // SubscriptionRoleArn
      if (value !== '' && !parseArn(value)) throw bad(prefix, name);
      return value;
  }
}

/** The filter of a subscription's FilterPolicy and scope (undefined when it has no policy). */
export function filterOf(attributes: Record<string, string>, prefix: string): SnsFilter | undefined {
  const policy = attributes.FilterPolicy;
  if (!policy) return undefined;
  return compileFilter(policy, (attributes.FilterPolicyScope as Scope | undefined) ?? 'MessageAttributes', prefix);
}

/** Normalized for comparison (Subscribe's idempotency check): JSON values compared as JSON. */
export function sameAttributeValue(name: string, a: string | undefined, b: string | undefined): boolean {
  const norm = (v: string | undefined) => {
    if (v === undefined) {
      if (name === 'RawMessageDelivery') return 'false';
      if (name === 'FilterPolicyScope') return 'MessageAttributes';
      return '';
    }
    if (name === 'FilterPolicy' || name === 'RedrivePolicy' || name === 'DeliveryPolicy') {
      try {
        return JSON.stringify(JSON.parse(v));
      } catch {
        return v;
      }
    }
    return v;
  };
  return norm(a) === norm(b);
}

/** GetSubscriptionAttributes' map, names in alphabetical order [rec]. */
export function subscriptionAttributesOut(sub: SubscriptionRecord): Record<string, string> {
  const a = sub.attributes;
  const all: Record<string, string> = {
    ConfirmationWasAuthenticated: String(sub.authenticated),
    Endpoint: sub.endpoint,
    Owner: sub.owner,
    PendingConfirmation: String(sub.pending),
    Protocol: sub.protocol,
    RawMessageDelivery: a.RawMessageDelivery ?? 'false',
    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: sub.principal,
    TopicArn: sub.topic.arn,
  };
  if (a.DeliveryPolicy) all.DeliveryPolicy = a.DeliveryPolicy;
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    all.EffectiveDeliveryPolicy = effectiveSubscriptionDeliveryPolicy(sub.topic.attributes.DeliveryPolicy, a.DeliveryPolicy);
  }
  // FilterPolicyScope shows only next to a FilterPolicy [rec].
  if (a.FilterPolicy) {
    all.FilterPolicy = a.FilterPolicy;
    all.FilterPolicyScope = a.FilterPolicyScope ?? 'MessageAttributes';
  }
  if (a.RedrivePolicy) all.RedrivePolicy = a.RedrivePolicy;
  if (a.SubscriptionRoleArn) all.SubscriptionRoleArn = a.SubscriptionRoleArn;
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k];
  return xmlMap(sorted);
}
