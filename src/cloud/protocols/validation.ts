/**
 * AWS-style input validation ("1 validation error detected: Value 'x' at 'member' failed to satisfy
 * constraint: ...") shared by the services. Collect problems, then `check()` throws one AwsError.
 */
import { AwsError, validationMessage } from '../errors';

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

export class Validator {
  readonly problems: string[] = [];

  constructor(
    private readonly code = 'ValidationException',
    private readonly status = 400,
  ) {}

  fail(value: unknown, member: string, constraint: string): this {
    this.problems.push(`Value ${formatValue(value)} at '${member}' failed to satisfy constraint: ${constraint}`);
    return this;
  }

  required(value: unknown, member: string): boolean {
    if (value === undefined || value === null) {
      this.fail(null, member, 'Member must not be null');
      return false;
    }
    return true;
  }

  length(value: string | unknown[] | undefined, member: string, min?: number, max?: number): this {
    if (value === undefined || value === null) return this;
    const n = typeof value === 'string' ? [...value].length : value.length;
    if (min !== undefined && n < min) this.fail(value, member, `Member must have length greater than or equal to ${min}`);
    else if (max !== undefined && n > max) this.fail(value, member, `Member must have length less than or equal to ${max}`);
    return this;
  }

  pattern(value: string | undefined, member: string, re: RegExp, text: string): this {
    if (typeof value === 'string' && !re.test(value)) this.fail(value, member, `Member must satisfy regular expression pattern: ${text}`);
    return this;
  }

  range(value: number | undefined, member: string, min?: number, max?: number): this {
    if (value === undefined || value === null) return this;
    if (min !== undefined && value < min) this.fail(value, member, `Member must have value greater than or equal to ${min}`);
    else if (max !== undefined && value > max) this.fail(value, member, `Member must have value less than or equal to ${max}`);
    return this;
  }

  oneOf(value: unknown, member: string, values: readonly (string | number)[]): this {
    if (value === undefined || value === null) return this;
    if (!values.includes(value as string | number)) this.fail(value, member, `Member must satisfy enum value set: [${values.join(', ')}]`);
    return this;
  }

  check(): void {
    if (this.problems.length) throw new AwsError(this.code, validationMessage(this.problems), this.status);
  }
}

/** JSON protocol type check: a value of the wrong JSON type is a SerializationException on AWS. */
export function expectType(value: unknown, member: string, type: 'string' | 'number' | 'boolean' | 'object' | 'array'): void {
  if (value === undefined || value === null) return;
  const ok =
    type === 'array' ? Array.isArray(value) : type === 'object' ? typeof value === 'object' && !Array.isArray(value) : typeof value === type;
  if (ok) return;
  const found = Array.isArray(value) ? 'Start of list' : typeof value === 'object' ? 'Start of structure or map' : null;
  const message = found
    ? `${found} found where not expected`
    : `${typeof value === 'number' ? 'NUMBER_VALUE' : typeof value === 'boolean' ? 'BOOLEAN_VALUE' : 'STRING_VALUE'} can not be converted to ${
        type === 'number' ? 'an Integer' : type === 'boolean' ? 'a Boolean' : type === 'string' ? 'a String' : `a ${type}`
      } (at ${member})`;
  throw new AwsError('SerializationException', message, 400, { messageKey: 'Message' });
}

/** Query protocol: parse an integer parameter; a non-integer is a ValidationError-style problem. */
export function queryInt(value: unknown, member: string, code = 'ValidationError'): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = String(value).trim();
  if (!/^-?[0-9]+$/.test(s)) throw new AwsError(code, `Invalid value for parameter ${member}, value: ${s}, type: class java.lang.String`, 400);
  return Number(s);
}

export function queryBool(value: unknown, member: string, code = 'ValidationError'): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = String(value).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new AwsError(code, `Invalid value for parameter ${member}, value: ${String(value)}`, 400);
}

/** A query-protocol member that must be a string when present. */
export function queryString(input: Record<string, unknown>, key: string, code = 'ValidationError'): string | undefined {
  const x = input[key];
  if (x === undefined) return undefined;
  if (typeof x !== 'string') throw new AwsError(code, `Invalid value for parameter ${key}`, 400);
  return x;
}
