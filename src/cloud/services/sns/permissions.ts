/**
 * AddPermission / RemovePermission (statements of the topic's Policy [rec]) and the tag operations
 * (TagResource, UntagResource, ListTagsForResource; topics only, at most 50 tags).
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { arnParam } from './arns';
import { invalidParameter, mustNotBeNull, resourceNotFound, tagLimitExceeded, validationError } from './errors';
import { list, record, str, type In } from './input';
import type { SnsStore } from './store';
import { DEFAULT_POLICY_ACTIONS } from './topic-attributes';
import type { TopicRecord } from './types';

const MAX_TAGS = 50;

/** Actions a statement may name: the default statement's (and Receive) [rec]. */
const POLICY_ACTIONS = [...DEFAULT_POLICY_ACTIONS, 'Receive'];

/**
 * A tag list, checked: keys 1-128 and values 0-256 characters (ValidationError [obs]), keys
 * distinct [rec]. `member` names the list in validation messages ("tags").
 */
export function checkTags(raw: unknown[], member: string): [string, string][] {
  const problems: string[] = [];
  const out: [string, string][] = [];
  raw.forEach((t, i) => {
    const tag = record(t);
    const key = typeof tag.Key === 'string' ? tag.Key : undefined;
    const value = typeof tag.Value === 'string' ? tag.Value : undefined;
    const at = `${member}.${i + 1}.member`;
    if (key === undefined) problems.push(`Value null at '${at}.key' failed to satisfy constraint: Member must not be null`);
    else if ([...key].length > 128) problems.push(`Value '${key}' at '${at}.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    else if (key === '') problems.push(`Value '' at '${at}.key' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    if (value === undefined) problems.push(`Value null at '${at}.value' failed to satisfy constraint: Member must not be null`);
    else if ([...value].length > 256) problems.push(`Value '${value}' at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    out.push([key ?? '', value ?? '']);
  });
  if (problems.length) throw validationError(problems);
  if (new Set(out.map(([k]) => k)).size !== out.length) throw invalidParameter('Duplicated keys are not allowed.'); // [rec]
  if (out.length > MAX_TAGS) throw tagLimitExceeded();
  return out;
}

export function permissionOperations(store: SnsStore): Record<string, Operation> {
  /** The topic a ResourceArn names (ResourceNotFound when there is none). */
  const resource = (input: In, ctx: RequestContext): TopicRecord => {
    const value = str(input, 'ResourceArn');
    if (value === undefined) throw mustNotBeNull('resourceArn');
    const arn = arnParam(value, 'ResourceArn');
    if (arn.region !== ctx.region) throw invalidParameter('ResourceArn');
    const topic = store.topics.get(value);
    if (!topic) throw resourceNotFound();
    return topic;
  };

  const TagResource: Operation = (input: In, ctx: RequestContext) => {
    const topic = resource(input, ctx);
    const tags = checkTags(list(input, 'Tags') ?? [], 'tags');
    const merged = new Map(topic.tags);
    for (const [k, v] of tags) merged.set(k, v);
    if (merged.size > MAX_TAGS) throw tagLimitExceeded();
    topic.tags = merged;
    return {};
  };

  const UntagResource: Operation = (input: In, ctx: RequestContext) => {
    const topic = resource(input, ctx);
    for (const k of list(input, 'TagKeys') ?? []) if (typeof k === 'string') topic.tags.delete(k);
    return {};
  };

  const ListTagsForResource: Operation = (input: In, ctx: RequestContext) => {
    const topic = resource(input, ctx);
    return { Tags: [...topic.tags].map(([Key, Value]) => ({ Key, Value })) };
  };

  const AddPermission: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const label = str(input, 'Label');
    if (label === undefined) throw mustNotBeNull('label');
    const accounts = (list(input, 'AWSAccountId') ?? []).filter((a): a is string => typeof a === 'string');
    const actions = (list(input, 'ActionName') ?? []).filter((a): a is string => typeof a === 'string');
    if (!accounts.length) throw mustNotBeNull('aWSAccountId');
    if (!actions.length) throw mustNotBeNull('actionName');
    const policy = JSON.parse(topic.policy) as { Statement?: { Sid?: string }[] };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [];
    if (statements.some((s) => s.Sid === label)) throw invalidParameter('Statement already exists'); // [rec]
    if (actions.some((a) => !POLICY_ACTIONS.includes(a))) throw invalidParameter('Policy statement action out of service scope!'); // [rec]
    const principals = accounts.map((a) => (a.startsWith('arn:') ? a : `arn:aws:iam::${a}:root`)); // [rec]
    const names = actions.map((a) => `SNS:${a}`);
    statements.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: principals.length === 1 ? principals[0] : principals },
      Action: names.length === 1 ? names[0] : names, // [rec] one action as a string, several as a list
      Resource: topic.arn,
    } as { Sid: string });
    policy.Statement = statements;
    topic.policy = JSON.stringify(policy);
    return {};
  };

  const RemovePermission: Operation = (input: In, ctx: RequestContext) => {
    const topic = store.requireTopic(ctx, str(input, 'TopicArn'));
    const label = str(input, 'Label');
    if (label === undefined) throw mustNotBeNull('label');
    const policy = JSON.parse(topic.policy) as { Statement?: { Sid?: string }[] };
    if (Array.isArray(policy.Statement)) policy.Statement = policy.Statement.filter((s) => s.Sid !== label);
    topic.policy = JSON.stringify(policy);
    return {};
  };

  return { TagResource, UntagResource, ListTagsForResource, AddPermission, RemovePermission };
}
