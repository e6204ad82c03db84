/** Function names, qualifiers and ARNs as the Lambda API accepts them. */
import { AwsError, validationMessage } from '../errors';

/** The model's pattern for FunctionName of operations on an existing function (names may contain dots). */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
/** CreateFunction's pattern (as AWS prints it in its ValidationException). */
export const CREATE_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const FUNCTION_NAME_RE =
  /^(?<arn>arn:(aws[a-zA-Z-]*)?:lambda:)?(?<region>[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:)?(?<account>\d{12}:)?(?<fn>function:)?(?<name>[a-zA-Z0-9-_.]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$/;
const QUALIFIER_PATTERN = '(|[a-zA-Z0-9$_-]+)';
const QUALIFIER_RE = /^[a-zA-Z0-9$_-]+$/;
export const ALIAS_NAME_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const ALIAS_NAME_RE = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

export interface FunctionRef {
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

/**
 * Parse a FunctionName parameter: `name`, `name:qualifier`, `123456789012:function:name[:q]` or a full ARN.
 * Throws the AWS ValidationException for values that do not match the model's pattern.
 */
export function parseFunctionName(value: unknown, field = 'functionName', maxLength = 170, pattern: 'namespaced' | 'create' = 'namespaced'): FunctionRef {
  const patternText = pattern === 'create' ? CREATE_FUNCTION_NAME_PATTERN : FUNCTION_NAME_PATTERN;
  const badPattern = (v: string) =>
    new AwsError('ValidationException', validationMessage([`Value '${v}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText}`]));
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${String(value ?? 'null')}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 1`]),
    );
  }
  if (value.length > maxLength) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`]),
    );
  }
  const m = FUNCTION_NAME_RE.exec(value);
  if (!m?.groups) throw badPattern(value);
  const g = m.groups;
  if (pattern === 'create' && g.name.includes('.')) throw badPattern(value);
  // arn:aws:lambda:region:acct:name without "function:" is not a function ARN
  if (g.arn && !g.fn) throw badPattern(value);
  const isArnish = Boolean(g.arn || g.account || g.fn);
  if (!isArnish && g.name.length > 64) {
    // AWS answers a plain name over 64 characters with this code (and the validation wording).
    throw new AwsError(
      'InvalidParameterValueException',
      validationMessage([`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to 64`]),
    );
  }
  return { name: g.name, qualifier: g.qualifier, region: g.region?.slice(0, -1), accountId: g.account?.slice(0, -1) };
}

export function validateQualifier(q: string | null | undefined, field = 'qualifier'): string | undefined {
  if (q === null || q === undefined) return undefined;
  if (q.length < 1 || q.length > 128 || !QUALIFIER_RE.test(q)) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${q}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`]),
    );
  }
  return q;
}

export function validateAliasName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 128 || !ALIAS_NAME_RE.test(name)) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${String(name)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN}`]),
    );
  }
  return name;
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** A function ARN from another region names nothing here: AWS answers 404 with this message. */
export function checkRegion(ctx: { region: string }, ref: FunctionRef): void {
  if (ref.region && ref.region !== ctx.region) {
    throw new AwsError('ResourceNotFoundException', `Functions from '${ref.region}' are not reachable in this region ('${ctx.region}')`, 404);
  }
}
