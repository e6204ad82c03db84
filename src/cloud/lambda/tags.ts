/** Tag operations: TagResource, UntagResource, ListTags (functions by unqualified ARN, event source mappings by ARN). */
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { LambdaFunction } from './model';
import type { LambdaService } from './service';
import { fail, optStringMap } from './validate';

/** Tags per function. */
export const MAX_TAGS = 50;

/** [rec] the resource pattern as AWS prints it (Nov 2025). */
const RESOURCE_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)';
const MAPPING_ARN_RE = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** What an ARN names: a function (unqualified) or an event source mapping; both keep their tags. */
function byArn(lambda: LambdaService, arn: string): { tags: Record<string, string> } {
  if (MAPPING_ARN_RE.test(arn)) {
    const mapping = lambda.mappings.byArn(arn);
    if (!mapping) throw new AwsError('ResourceNotFoundException', `Event source mapping not found: ${arn}`, 404); // [rec]
    return mapping;
  }
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(arn);
  if (!m) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${RESOURCE_PATTERN}`);
  }
  if (m[4]) throw new AwsError('InvalidParameterValueException', 'Tags on function aliases and versions are not supported. Please specify a function ARN.');
  const fn: LambdaFunction | undefined = lambda.functions.get(`${m[2]}/${m[1]}/${m[3]}`);
  if (!fn) throw new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
  return fn;
}

export function tagResource(lambda: LambdaService, ctx: RequestContext, arn: string, input: Record<string, unknown>) {
  const fn = byArn(lambda, arn);
  const tags = optStringMap(input, 'Tags');
  if (!tags) fail('tags', null, 'Member must not be null');
  if (Object.keys(tags).length === 0) throw new AwsError('InvalidParameterValueException', 'An error occurred and the request cannot be processed.');
  if (Object.keys({ ...fn.tags, ...tags }).length > MAX_TAGS) throw new AwsError('InvalidParameterValueException', 'Number of tags exceeds resource tag limit.');
  Object.assign(fn.tags, tags);
  return { status: 204 };
}

export function untagResource(lambda: LambdaService, ctx: RequestContext, arn: string, keys: string[]) {
  const fn = byArn(lambda, arn);
  if (keys.length === 0) fail('tagKeys', null, 'Member must not be null');
  for (const k of keys) delete fn.tags[k];
  return { status: 204 };
}

export function listTags(lambda: LambdaService, ctx: RequestContext, arn: string) {
  return { Tags: { ...byArn(lambda, arn).tags } };
}
