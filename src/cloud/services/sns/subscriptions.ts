/**
 * Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 * GetSubscriptionAttributes, SetSubscriptionAttributes.
 *
 * SQS and Lambda subscriptions (and sms, application, firehose) are confirmed at once; HTTP/S
 * subscriptions wait for ConfirmSubscription with the token POSTed to the endpoint in a
 * SubscriptionConfirmation (Subscribe answers "pending confirmation" unless ReturnSubscriptionArn)
 * [rec]; email ones stay pending (nothing is mailed). Subscribe is idempotent per topic, protocol and
 * endpoint unless attributes differ [rec]. ConfirmSubscription works from an unsigned GET of the
 * SubscribeURL; the token decides the subscription, the TopicArn only has to be an ARN of the
 * token's region [rec]. Unsubscribing an HTTP/S subscription POSTs an UnsubscribeConfirmation whose
 * SubscribeURL restores it.
 */
import { randomUUID } from 'node:crypto';
import { isoMillis } from '../../clock';
import type { Operation, RequestContext } from '../../protocols/types';
import { parseArn } from './arns';
import type { Confirmation } from './envelope';
import { invalidParameter, invalidParameterMessage, mustNotBeNull, noValue, notAnArn, subscriptionNotFound } from './errors';
import { bool, str, stringMap, type In } from './input';
import type { SnsStore } from './store';
import {
  checkSubscriptionAttribute,
  filterOf,
  sameAttributeValue,
  subscriptionAttributesOut,
  type SubscriptionTarget,
} from './subscription-attributes';
import { page } from './topics';
import type { SubscriptionRecord } from './types';

/** Every protocol Subscribe takes [model]. */
const PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'];
/** Protocols whose subscriptions wait for a confirmation. */
const CONFIRMED_BY_ENDPOINT = ['http', 'https', 'email', 'email-json'];
const E164 = /^\+?[1-9]\d{1,14}$/;

function checkEndpoint(protocol: string, endpoint: string, topicFifo: boolean): void {
  const arn = parseArn(endpoint);
  switch (protocol) {
    case 'http':
    case 'https': {
      let ok = endpoint.toLowerCase().startsWith(`${protocol}://`);
      try {
        new URL(endpoint);
      } catch {
        ok = false;
      }
      if (!ok) throw invalidParameter('Endpoint must match the specified protocol'); // unconfirmed text
      return;
    }
    case 'sqs':
      if (!arn || arn.service !== 'sqs') throw invalidParameter('SQS endpoint ARN'); // [rec]
      if (arn.resource.endsWith('.fifo') && !topicFifo) {
        throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'); // [rec], doubled prefix included
      }
      return;
    case 'lambda':
      if (!arn || arn.service !== 'lambda' || !arn.resource.startsWith('function:')) throw invalidParameter('Lambda endpoint ARN'); // unconfirmed text
      return;
    case 'sms':
      if (!E164.test(endpoint)) throw invalidParameterMessage(`Invalid SMS endpoint: ${endpoint}`); // [rec]
      return;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address'); // unconfirmed text
      return;
    default:
      if (!arn) throw invalidParameter(`${protocol === 'application' ? 'ApplicationEndpoint' : 'Firehose'} ARN`);
  }
}

/** A SubscriptionArn parameter that must name a subscription (Get/SetSubscriptionAttributes). */
function requireSubscription(store: SnsStore, value: string | undefined): SubscriptionRecord {
  if (value === undefined) throw mustNotBeNull('subscriptionArn');
  if (!parseArn(value)) throw notAnArn('SubscriptionArn', value);
  const sub = store.subscriptions.get(value);
  if (!sub) throw subscriptionNotFound(); // [rec]
  return sub;
}

/** The list entry of a subscription; unconfirmed ones show "PendingConfirmation" as their ARN [obs]. */
const listEntry = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topic.arn,
});

export function subscriptionOperations(store: SnsStore): Record<string, Operation> {
  const confirmation = (sub: SubscriptionRecord, type: Confirmation['type'], token: string, ctx: RequestContext) => {
    store.dispatcher.confirm(sub, {
      type,
      messageId: randomUUID(),
      token,
      topic: sub.topic,
      subscriptionArn: sub.arn,
      timestamp: isoMillis(store.clock.now()),
      endpoint: store.endpoint(ctx),
    });
  };

  const Subscribe: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const protocol = str(input, 'Protocol');
    if (protocol === undefined) throw mustNotBeNull('protocol');
    if (!PROTOCOLS.includes(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`); // [rec]
    if (topic.fifo && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`); // [obs]
    const endpoint = str(input, 'Endpoint');
    if (endpoint === undefined || endpoint === '') throw noValue('Endpoint'); // unconfirmed text
    checkEndpoint(protocol, endpoint, topic.fifo);
    const target: SubscriptionTarget = { topic, protocol, endpoint };
    const given = stringMap(input, 'Attributes') ?? {};
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(given)) {
      const stored = checkSubscriptionAttribute(k, v, target, 'Attributes Reason: ');
      if (stored !== '') attributes[k] = stored;
    }
    const filter = filterOf(attributes, 'Attributes Reason: ');
    const returnArn = bool(input, 'ReturnSubscriptionArn') === true;

    for (const existing of topic.subscriptions.values()) {
      if (existing.protocol !== protocol || existing.endpoint !== endpoint) continue;
      for (const k of Object.keys(given)) {
        if (!sameAttributeValue(k, existing.attributes[k], attributes[k])) {
          throw invalidParameter('Attributes Reason: Subscription already exists with different attributes'); // [rec]
        }
      }
      if (existing.pending && (protocol === 'http' || protocol === 'https')) {
        // Subscribing a pending endpoint again sends a new confirmation.
        confirmation(existing, 'SubscriptionConfirmation', store.newToken({ region: topic.region, subscriptionArn: existing.arn, kind: 'subscribe' }), ctx);
      }
      return { SubscriptionArn: existing.pending && !returnArn ? 'pending confirmation' : existing.arn };
    }

    const pending = CONFIRMED_BY_ENDPOINT.includes(protocol);
    const sub: SubscriptionRecord = {
      arn: `${topic.arn}:${randomUUID()}`,
      topic,
      protocol,
      endpoint,
      owner: ctx.accountId,
      principal: `arn:aws:iam::${ctx.accountId}:root`,
      pending,
      authenticated: !pending,
      attributes,
      filter,
      deleted: false,
    };
    store.addSubscription(sub);
    if (protocol === 'http' || protocol === 'https') {
      const token = store.newToken({ region: topic.region, subscriptionArn: sub.arn, kind: 'subscribe' });
      confirmation(sub, 'SubscriptionConfirmation', token, ctx);
    }
    return { SubscriptionArn: pending && !returnArn ? 'pending confirmation' : sub.arn }; // [rec]
  };

  const ConfirmSubscription: Operation = (input: In, ctx: RequestContext) => {
    const topicArn = parseArn(str(input, 'TopicArn') ?? '');
    if (!topicArn) throw invalidParameter('Topic'); // [rec]
    const token = str(input, 'Token');
    if (token === undefined) throw mustNotBeNull('token');
    if (!/^[0-9a-fA-F]+$/.test(token)) throw invalidParameterMessage('Invalid token'); // [rec]
    const record = store.tokens.get(token);
    const tokenRegion = record?.region ?? regionOfToken(token);
    if (tokenRegion !== undefined && tokenRegion !== topicArn.region) throw invalidParameter('Topic'); // [rec]
    if (!record) throw invalidParameter('Token'); // [rec]
    const authenticated = ctx.accessKeyId !== undefined || str(input, 'AuthenticateOnUnsubscribe')?.toLowerCase() === 'true';
    if (record.kind === 'unsubscribe') {
      // The UnsubscribeConfirmation's SubscribeURL restores the subscription (while its topic exists).
      const removed = record.removed as SubscriptionRecord;
      if (!store.topics.has(removed.topic.arn) || store.topics.get(removed.topic.arn) !== removed.topic) throw invalidParameter('Token');
      if (!store.subscriptions.has(removed.arn)) {
        store.addSubscription({ ...removed, pending: false, authenticated, deleted: false, chain: undefined });
        removed.topic.deletedSubscriptions = Math.max(0, removed.topic.deletedSubscriptions - 1);
      }
      return { SubscriptionArn: removed.arn };
    }
    const sub = store.subscriptions.get(record.subscriptionArn);
    if (!sub) throw invalidParameter('Token'); // unsubscribed since
    if (sub.pending) {
      sub.pending = false;
      sub.authenticated = authenticated;
    }
    return { SubscriptionArn: sub.arn };
  };

  const Unsubscribe: Operation = (input: In, ctx: RequestContext) => {
    const value = str(input, 'SubscriptionArn');
    if (value === undefined) throw noValue('SubscriptionArn'); // [rec]
    if (!parseArn(value)) throw notAnArn('SubscriptionArn', value); // [rec]
    if (value.split(':').length === 6) throw invalidParameter('SubscriptionId'); // [rec] a topic ARN, no subscription id
    const sub = store.subscriptions.get(value);
    if (!sub) return {}; // idempotent [rec]
    store.removeSubscription(sub);
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const token = store.newToken({ region: sub.topic.region, subscriptionArn: sub.arn, kind: 'unsubscribe', removed: sub });
      confirmation(sub, 'UnsubscribeConfirmation', token, ctx);
    }
    return {};
  };

  const ListSubscriptions: Operation = (input: In, ctx: RequestContext) => {
    const subs = [...store.subscriptions.values()].filter((s) => s.topic.accountId === ctx.accountId && s.topic.region === ctx.region);
    const p = page(subs, (s) => s.arn, str(input, 'NextToken'));
    return { Subscriptions: p.items.map(listEntry), NextToken: p.nextToken };
  };

  const ListSubscriptionsByTopic: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const p = page([...topic.subscriptions.values()], (s) => s.arn, str(input, 'NextToken'));
    return { Subscriptions: p.items.map(listEntry), NextToken: p.nextToken };
  };

  const GetSubscriptionAttributes: Operation = (input: In) => {
    const sub = requireSubscription(store, str(input, 'SubscriptionArn'));
    return { Attributes: subscriptionAttributesOut(sub) };
  };

  const SetSubscriptionAttributes: Operation = (input: In) => {
    const sub = requireSubscription(store, str(input, 'SubscriptionArn'));
    const name = str(input, 'AttributeName');
    if (name === undefined) throw mustNotBeNull('attributeName');
    const stored = checkSubscriptionAttribute(name, str(input, 'AttributeValue') ?? '', sub, '');
    const next = { ...sub.attributes };
    if (stored === '') delete next[name];
    else next[name] = stored;
    // A new policy or scope compiles the filter again; an invalid combination changes nothing.
    const filter = name === 'FilterPolicy' || name === 'FilterPolicyScope' ? filterOf(next, '') : sub.filter;
    sub.attributes = next;
    sub.filter = filter;
    return {};
  };

  return {
    Subscribe,
    ConfirmSubscription,
    Unsubscribe,
    ListSubscriptions,
    ListSubscriptionsByTopic,
    GetSubscriptionAttributes,
    SetSubscriptionAttributes,
  };
}

/** The region encoded at the front of a token ("<region>/" in hex), when there is one. */
function regionOfToken(token: string): string | undefined {
  const at = token.toLowerCase().indexOf('2f');
  if (at <= 0 || at % 2 !== 0) return undefined;
  const region = Buffer.from(token.slice(0, at), 'hex').toString('utf8');
  return /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

