/** Function names, qualifiers and ARNs as the Lambda API accepts them. */
import { AwsError, validationMessage } from '../errors';

export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const FUNCTION_NAME_RE = new RegExp(`^${FUNCTION_NAME_PATTERN}$`);
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
export function parseFunctionName(value: unknown, field = 'functionName', maxLength = 170): FunctionRef {
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
  if (!m) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`]),
    );
  }
  const region = m[3]?.slice(0, -1);
  const accountId = m[5]?.slice(0, -1);
  const isArnish = Boolean(m[1] || m[5] || m[6]);
  if (m[1] && !m[6]) {
    // arn:aws:lambda:region:acct:name without "function:" is not a function ARN
    throw new AwsError('ValidationException', validationMessage([`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`]));
  }
  const name = m[7];
  if (!isArnish && name.length > 64) {
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to 64`]),
    );
  }
  return { name, qualifier: m[9], region, accountId };
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
