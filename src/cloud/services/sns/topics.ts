/**
 * CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
 *
 * CreateTopic is idempotent [rec]: the same name answers the same ARN when every attribute given
 * equals the topic's (FifoTopic=false counts as equal on a standard topic) and every tag given is
 * one the topic has; otherwise "Attributes Reason: Topic already exists with different
 * attributes" / "Tags Reason: Topic already exists with different tags".
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { checkTopicName, topicArnOf, topicArnParam } from './arns';
import { invalidParameter, mustNotBeNull } from './errors';
import { list, str, stringMap, type In } from './input';
import { checkTags } from './permissions';
import type { SnsStore } from './store';
import { checkTopicAttribute, currentTopicAttribute, defaultPolicy, topicAttributesOut } from './topic-attributes';
import type { TopicRecord } from './types';

export const PAGE_SIZE = 100;

/** One page of ARN-ordered items after the NextToken (base64 of the last ARN of the page before). */
export function page<T>(items: T[], arnOf: (t: T) => string, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const sorted = [...items].sort((a, b) => (arnOf(a) < arnOf(b) ? -1 : arnOf(a) > arnOf(b) ? 1 : 0));
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const after = Buffer.from(nextToken, 'base64').toString('utf8');
    if (!after.startsWith('arn:') || Buffer.from(after, 'utf8').toString('base64') !== nextToken) throw invalidParameter('NextToken');
    start = sorted.findIndex((t) => arnOf(t) > after);
    if (start < 0) start = sorted.length;
  }
  const out = sorted.slice(start, start + PAGE_SIZE);
  const more = start + PAGE_SIZE < sorted.length;
  return { items: out, nextToken: more ? Buffer.from(arnOf(out[out.length - 1]), 'utf8').toString('base64') : undefined };
}

export function topicOperations(store: SnsStore): Record<string, Operation> {
  const CreateTopic: Operation = (input: In, ctx: RequestContext) => {
    store.endpoint(ctx);
    const name = str(input, 'Name');
    if (name === undefined) throw mustNotBeNull('name');
    const attributes = stringMap(input, 'Attributes') ?? {};
    const fifoValue = attributes.FifoTopic;
    if (fifoValue !== undefined && !['true', 'false'].includes(fifoValue.toLowerCase())) throw invalidParameter('Attributes Reason: FifoTopic'); // unconfirmed
    const fifo = fifoValue?.toLowerCase() === 'true';
    checkTopicName(name, fifo); // [rec]
    const tags = checkTags(list(input, 'Tags') ?? [], 'tags');
    const arn = topicArnOf(ctx.region, ctx.accountId, name);
    const existing = store.topics.get(arn);
    if (existing) {
      for (const [k, v] of Object.entries(attributes)) {
        if (k === 'FifoTopic') continue; // the name already decided it (a mismatch fails the name check)
        let value = v;
        try {
          value = checkTopicAttribute(k, v, existing.fifo, 'Attributes Reason: ');
        } catch {
          // an invalid value is a different one
        }
        if (currentTopicAttribute(existing, k) !== value) throw invalidParameter('Attributes Reason: Topic already exists with different attributes'); // [rec]
      }
      for (const [k, v] of tags) {
        if (existing.tags.get(k) !== v) throw invalidParameter('Tags Reason: Topic already exists with different tags'); // [rec]
      }
      return { TopicArn: arn };
    }
    const topic: TopicRecord = {
      name,
      arn,
      accountId: ctx.accountId,
      region: ctx.region,
      fifo,
      attributes: {},
      policy: defaultPolicy(arn, ctx.accountId),
      tags: new Map(tags),
      subscriptions: new Map(),
      deletedSubscriptions: 0,
      lastSequence: 0n,
      dedup: new Map(),
    };
    for (const [k, v] of Object.entries(attributes)) {
      if (k === 'FifoTopic') continue;
      setAttribute(topic, k, checkTopicAttribute(k, v, fifo, 'Attributes Reason: '));
    }
    store.addTopic(topic);
    return { TopicArn: arn };
  };

  const DeleteTopic: Operation = (input: In, ctx: RequestContext) => {
    const value = str(input, 'TopicArn');
    topicArnParam(ctx, value); // [rec] a bad ARN or another region is an error; a missing topic is not
    const topic = store.topics.get(value as string);
    if (topic && topic.accountId === ctx.accountId) store.removeTopic(topic);
    return {};
  };

  const ListTopics: Operation = (input: In, ctx: RequestContext) => {
    const p = page(store.topicsOf(ctx.accountId, ctx.region), (t) => t.arn, str(input, 'NextToken'));
    return { Topics: p.items.map((t) => ({ TopicArn: t.arn })), NextToken: p.nextToken };
  };

  const GetTopicAttributes: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    return { Attributes: topicAttributesOut(topic) };
  };

  const SetTopicAttributes: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const name = str(input, 'AttributeName');
    if (name === undefined) throw mustNotBeNull('attributeName');
    if (name === 'FifoTopic') throw invalidParameter('AttributeName'); // [rec]
    setAttribute(topic, name, checkTopicAttribute(name, str(input, 'AttributeValue') ?? '', topic.fifo));
    return {};
  };

  return { CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes };
}

function setAttribute(topic: TopicRecord, name: string, value: string): void {
  if (name === 'Policy') topic.policy = value;
  else if (value === '' && name !== 'DisplayName') delete topic.attributes[name];
  else topic.attributes[name] = value;
}
