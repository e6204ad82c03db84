/** Tag operations: TagResource, UntagResource, ListTags (functions are tagged by unqualified ARN). */
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { LambdaFunction } from './model';
import type { LambdaService } from './service';
import { fail, optStringMap } from './validate';

/** Tags per function. */
export const MAX_TAGS = 50;

function byArn(lambda: LambdaService, arn: string): LambdaFunction {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(arn);
  if (!m) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`);
  }
  if (m[4]) throw new AwsError('InvalidParameterValueException', 'Tags on function aliases and versions are not supported. Please specify a function ARN.');
  const fn = lambda.functions.get(`${m[2]}/${m[1]}/${m[3]}`);
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
