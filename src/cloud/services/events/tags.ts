/**
 * TagResource, UntagResource, ListTagsForResource on event buses (the default one too) and rules.
 * A resource that does not exist is its own ResourceNotFoundException text [rec]; tags go with the
 * resource (a bus or rule made again starts without them [rec]).
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { resolveBus } from './buses';
import { busNotFound, invalidTargetArn, ruleNotFound } from './errors';
import type { EventsStore } from './store';
import { DEFAULT_BUS } from './types';
import { checkStringList, checkTagList, types, validator, type In } from './validate';

const RESOURCE_ARN_RE = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):(event-bus|rule)\/(.+)$/;

/** The ARN of the bus or rule a ResourceARN names; the AWS error when there is none. */
function resource(store: EventsStore, ctx: RequestContext, arn: string): string {
  const m = RESOURCE_ARN_RE.exec(arn);
  // [obs] (LocalStack) the text for an ARN that is not one of this service's
  if (!m) throw invalidTargetArn(arn);
  const [, region, accountId, kind, path] = m;
  const here = region === ctx.region && accountId === ctx.accountId;
  if (kind === 'event-bus') {
    if (!here) throw busNotFound(path);
    return resolveBus(store, ctx, path).arn;
  }
  const slash = path.indexOf('/');
  const busName = slash >= 0 ? path.slice(0, slash) : DEFAULT_BUS;
  const ruleName = slash >= 0 ? path.slice(slash + 1) : path;
  const bus = here ? store.bus(accountId, region, busName) : undefined;
  if (!bus) throw busNotFound(busName);
  const rule = bus.rules.get(ruleName);
  if (!rule) throw ruleNotFound(ruleName, busName);
  return rule.arn;
}

function checkArn(input: In) {
  const v = validator();
  if (v.required(input.ResourceARN, 'resourceARN')) v.length(input.ResourceARN as string, 'resourceARN', 1, 1600);
  return v;
}

export function tagOperations(store: EventsStore): Record<string, Operation> {
  return {
    TagResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string', Tags: 'array' });
      const v = checkArn(input);
      v.required(input.Tags, 'tags');
      const tags = checkTagList(v, input.Tags, 'tags');
      v.check();
      const t = store.tagsOf(resource(store, ctx, input.ResourceARN as string));
      for (const tag of tags) t.set(tag.Key, tag.Value);
      return {};
    },

    UntagResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string', TagKeys: 'array' });
      const v = checkArn(input);
      let keys: string[] = [];
      if (v.required(input.TagKeys, 'tagKeys')) keys = checkStringList(v, input.TagKeys, 'tagKeys', { min: 1, max: 128 });
      v.check();
      const t = store.tagsOf(resource(store, ctx, input.ResourceARN as string));
      for (const k of keys) t.delete(k); // [rec] a key the resource does not have is fine
      return {};
    },

    ListTagsForResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string' });
      checkArn(input).check();
      const t = store.tagsOf(resource(store, ctx, input.ResourceARN as string));
      return { Tags: [...t].map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
