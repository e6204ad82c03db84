/**
 * AddTags, RemoveTags, DescribeTags on load balancers, target groups, listeners and rules, and the
 * Tags member of the Create operations. Keys 1-128 and values 0-256 characters of
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]` [model]; up to 50 tags per resource, 20 ARNs per call [doc].
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { arnKind } from './arns';
import { duplicateTagKeys, tooManyTags, validationError, validator } from './errors';
import { records, str, strings, type In } from './input';
import type { Elbv2Store } from './store';
import type { Tags } from './types';

const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const TAG_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
export const MAX_TAGS = 50;

/** The Tags member of a request, checked: [key, value] pairs in order. */
export function checkTags(input: In, member: string): [string, string][] {
  const tags = records(input, 'Tags');
  if (tags === undefined) return [];
  const v = validator();
  v.length(tags, member, 1);
  const out: [string, string][] = [];
  tags.forEach((t, i) => {
    const key = str(t, 'Key');
    const value = str(t, 'Value') ?? '';
    const at = `${member}.${i + 1}.member`;
    if (v.required(key, `${at}.key`)) v.length(key, `${at}.key`, 1, 128).pattern(key, `${at}.key`, TAG_PATTERN, TAG_PATTERN_TEXT);
    v.length(value, `${at}.value`, 0, 256).pattern(value, `${at}.value`, TAG_PATTERN, TAG_PATTERN_TEXT);
    out.push([key ?? '', value]);
  });
  v.check();
  const seen = new Set<string>();
  for (const [k] of out) {
    if (seen.has(k)) throw duplicateTagKeys(k);
    seen.add(k);
  }
  if (out.length > MAX_TAGS) throw tooManyTags();
  return out;
}

export function tagsOut(tags: Tags) {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

export function tagOperations(store: Elbv2Store): Record<string, Operation> {
  /** The tags of the resource an ARN names, or its kind's not-found error. */
  const tagsOf = (ctx: RequestContext, arn: string): Tags => {
    switch (arnKind(arn)) {
      case 'load balancer':
        return store.requireLoadBalancer(ctx, arn).tags;
      case 'target group':
        return store.requireTargetGroup(ctx, arn).tags;
      case 'listener':
        return store.requireListener(ctx, arn).tags;
      case 'listener rule':
        return store.requireRule(ctx, arn).tags;
      default:
        throw validationError(`'${arn}' is not a valid resource ARN`); // unconfirmed text
    }
  };

  const resourceArns = (input: In): string[] => {
    const arns = strings(input, 'ResourceArns');
    const v = validator();
    if (v.required(arns, 'resourceArns')) v.length(arns, 'resourceArns', undefined, 20);
    v.check();
    return arns as string[];
  };

  const AddTags: Operation = (input: In, ctx: RequestContext) => {
    const arns = resourceArns(input);
    if (records(input, 'Tags') === undefined) validator().fail(null, 'tags', 'Member must not be null').check();
    const tags = checkTags(input, 'tags');
    const targets = arns.map((a) => tagsOf(ctx, a));
    for (const t of targets) {
      const keys = new Set([...t.keys(), ...tags.map(([k]) => k)]);
      if (keys.size > MAX_TAGS) throw tooManyTags();
    }
    for (const t of targets) for (const [k, v] of tags) t.set(k, v);
    return {};
  };

  const RemoveTags: Operation = (input: In, ctx: RequestContext) => {
    const arns = resourceArns(input);
    const keys = strings(input, 'TagKeys');
    if (keys === undefined) validator().fail(null, 'tagKeys', 'Member must not be null').check();
    const targets = arns.map((a) => tagsOf(ctx, a));
    for (const t of targets) for (const k of keys ?? []) t.delete(k);
    return {};
  };

  const DescribeTags: Operation = (input: In, ctx: RequestContext) => {
    const arns = resourceArns(input);
    return { TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: tagsOut(tagsOf(ctx, ResourceArn)) })) };
  };

  return { AddTags, RemoveTags, DescribeTags };
}
