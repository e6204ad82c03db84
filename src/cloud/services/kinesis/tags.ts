/**
 * Tags: the stream-named AddTagsToStream, RemoveTagsFromStream, ListTagsForStream, and the newer
 * ARN-named TagResource, UntagResource, ListTagsForResource [model]. At most 50 tags per stream
 * [doc]; characters as Kinesis allows them [obs]; a stream made again starts without tags.
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { tagCharacters, tagPercent, tooManyTags } from './errors';
import type { KinesisStore } from './store';
import type { Stream } from './stream';
import { checkArn, checkStreamRef, checkTagKeys, checkTagMap, findStream, int, tagCharsValid, types, validator, type In } from './validate';

const MAX_TAGS = 50;

function checkChars(values: string[], verb: 'add tags to' | 'remove tags from', stream: Stream): void {
  if (values.some((x) => !tagCharsValid(x))) throw tagCharacters();
  if (values.some((x) => x.includes('%'))) throw tagPercent(verb, stream.name, stream.accountId);
}

function addTags(stream: Stream, tags: Record<string, string>): void {
  checkChars([...Object.keys(tags), ...Object.values(tags)], 'add tags to', stream);
  const keys = new Set([...stream.tags.keys(), ...Object.keys(tags)]);
  if (keys.size > MAX_TAGS) throw tooManyTags(stream.name, stream.accountId);
  for (const [k, val] of Object.entries(tags)) stream.tags.set(k, val);
}

function removeTags(stream: Stream, keys: string[]): void {
  checkChars(keys, 'remove tags from', stream);
  for (const k of keys) stream.tags.delete(k);
}

const sortedTags = (s: Stream) => [...s.tags.keys()].sort().map((Key) => ({ Key, Value: s.tags.get(Key) }));

/** The stream a ResourceARN names (a stream ARN; consumer ARNs are not taggable here). */
function resource(store: KinesisStore, ctx: RequestContext, arn: string): Stream {
  return findStream(store, ctx, { StreamARN: arn.replace(/\/consumer\/.*$/, '') });
}

export function tagOperations(store: KinesisStore): Record<string, Operation> {
  return {
    AddTagsToStream(input: In, ctx: RequestContext) {
      const v = validator();
      v.required(input.Tags, 'tags');
      const tags = checkTagMap(v, input.Tags, 'tags');
      checkStreamRef(v, input);
      v.check();
      addTags(findStream(store, ctx, input), tags);
      return {};
    },

    RemoveTagsFromStream(input: In, ctx: RequestContext) {
      const v = validator();
      v.required(input.TagKeys, 'tagKeys');
      const keys = checkTagKeys(v, input.TagKeys, 'tagKeys');
      checkStreamRef(v, input);
      v.check();
      removeTags(findStream(store, ctx, input), keys);
      return {};
    },

    ListTagsForStream(input: In, ctx: RequestContext) {
      types(input, { ExclusiveStartTagKey: 'string', Limit: 'number' });
      const v = validator();
      v.range(int(input.Limit), 'limit', 1, 50);
      v.length(input.ExclusiveStartTagKey as string | undefined, 'exclusiveStartTagKey', 1, 128);
      checkStreamRef(v, input);
      v.check();
      const s = findStream(store, ctx, input);
      const limit = int(input.Limit) ?? 50;
      const after = input.ExclusiveStartTagKey as string | undefined;
      const tags = sortedTags(s).filter((t) => after === undefined || t.Key > after);
      return { Tags: tags.slice(0, limit), HasMoreTags: tags.length > limit };
    },

    TagResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string' });
      const v = validator();
      if (v.required(input.ResourceARN, 'resourceARN')) checkArn(v, input.ResourceARN, 'resourceARN', true);
      v.required(input.Tags, 'tags');
      const tags = checkTagMap(v, input.Tags, 'tags');
      v.check();
      addTags(resource(store, ctx, input.ResourceARN as string), tags);
      return {};
    },

    UntagResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string' });
      const v = validator();
      if (v.required(input.ResourceARN, 'resourceARN')) checkArn(v, input.ResourceARN, 'resourceARN', true);
      v.required(input.TagKeys, 'tagKeys');
      const keys = checkTagKeys(v, input.TagKeys, 'tagKeys');
      v.check();
      removeTags(resource(store, ctx, input.ResourceARN as string), keys);
      return {};
    },

    ListTagsForResource(input: In, ctx: RequestContext) {
      types(input, { ResourceARN: 'string' });
      const v = validator();
      if (v.required(input.ResourceARN, 'resourceARN')) checkArn(v, input.ResourceARN, 'resourceARN', true);
      v.check();
      return { Tags: sortedTags(resource(store, ctx, input.ResourceARN as string)) };
    },
  };
}
