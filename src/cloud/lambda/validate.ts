/** Request validation with Lambda's codes and messages, list paging (MaxItems, Marker) and RevisionId checks. */
import { AwsError, validationMessage } from '../errors';

type Constraint = string;

export function fail(field: string, value: unknown, constraint: Constraint): never {
  // AWS quotes values but prints a missing one bare: "Value null at 'tagKeys' ...".
  const shown = value === null || value === undefined ? 'null' : `'${String(value)}'`;
  throw new AwsError('ValidationException', validationMessage([`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`]));
}

/** A list as AWS's (Java) validator prints it: [a, b]. */
export function javaList(values: unknown[]): string {
  return `[${values.map((v) => String(v)).join(', ')}]`;
}

/** A map of numbers as AWS's (Java) validator prints it: {2=0.5}. */
export function javaDoubleMap(map: Record<string, unknown>): string {
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? `${v}.0` : String(v));
  return `{${Object.entries(map).map(([k, v]) => `${k}=${num(v)}`).join(', ')}}`;
}

/** Wrong JSON type for a member: the deserializer's complaint. */
export function typeError(field: string, expected: string): never {
  throw new AwsError('SerializationException', `Could not deserialize '${field}': expected ${expected}`);
}

export function optInt(obj: Record<string, unknown>, key: string, field: string, min: number, max: number): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) typeError(key, 'an integer');
  if (v < min) fail(field, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) fail(field, v, `Member must have value less than or equal to ${max}`);
  return v;
}

export function optString(obj: Record<string, unknown>, key: string, field: string, opts: { min?: number; max?: number; pattern?: RegExp; patternText?: string } = {}): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') typeError(key, 'a string');
  if (opts.min !== undefined && v.length < opts.min) fail(field, v, `Member must have length greater than or equal to ${opts.min}`);
  if (opts.max !== undefined && v.length > opts.max) fail(field, v, `Member must have length less than or equal to ${opts.max}`);
  if (opts.pattern && !opts.pattern.test(v)) fail(field, v, `Member must satisfy regular expression pattern: ${opts.patternText ?? opts.pattern.source}`);
  return v;
}

export function optBool(obj: Record<string, unknown>, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') typeError(key, 'a boolean');
  return v;
}

export function optObject(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) typeError(key, 'an object');
  return v as Record<string, unknown>;
}

export function optStringMap(obj: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const m = optObject(obj, key);
  if (!m) return undefined;
  for (const [k, v] of Object.entries(m)) if (typeof v !== 'string') typeError(`${key}.${k}`, 'a string');
  return m as Record<string, string>;
}

export function maxItems(query: URLSearchParams, max = 10000): number | undefined {
  const raw = query.get('MaxItems');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new AwsError('InvalidParameterValueException', `Invalid value for MaxItems: ${raw}`);
  if (n < 1) fail('maxItems', n, 'Member must have value greater than or equal to 1');
  if (n > max) fail('maxItems', n, `Member must have value less than or equal to ${max}`);
  return n;
}

/** One page of a list: Marker is the base64 start index, as an opaque token. */
export function paginate<T>(list: T[], marker: string | null, max: number, key: string): Record<string, unknown> {
  let start = 0;
  if (marker) {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0 || n > list.length) throw new AwsError('InvalidParameterValueException', 'Invalid marker');
    start = n;
  }
  const page = list.slice(start, start + max);
  const out: Record<string, unknown> = { [key]: page };
  if (start + max < list.length) out.NextMarker = Buffer.from(String(start + max)).toString('base64');
  return out;
}

/**
 * Paging where items may come and go between pages (ListFunctions while other clients create and
 * delete functions): the marker names the last item returned, not a position, so a page never
 * repeats or skips what stayed. `sortKey` orders the list (ascending); the list must be sorted by it.
 */
export function paginateAfter<T>(list: T[], sortKey: (item: T) => string, marker: string | null, max: number, key: string): Record<string, unknown> {
  let start = 0;
  if (marker) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { after?: unknown }).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string') throw new AwsError('InvalidParameterValueException', 'Invalid marker');
    start = list.findIndex((item) => compareKeys(sortKey(item), after as string) > 0);
    if (start < 0) start = list.length;
  }
  const page = list.slice(start, start + max);
  const out: Record<string, unknown> = { [key]: page };
  if (start + max < list.length) out.NextMarker = Buffer.from(JSON.stringify({ after: sortKey(page[page.length - 1]) })).toString('base64');
  return out;
}

/** The order of paginateAfter's sort keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A RevisionId in the input must match the current one (function, version or alias). */
export function checkRevision(input: Record<string, unknown>, current: string): void {
  const rev = optString(input, 'RevisionId', 'revisionId');
  if (rev !== undefined && rev !== current) {
    throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
  }
}

export const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
export const ROLE_RE = new RegExp(`^${ROLE_PATTERN}$`);
export const ENV_KEY_RE = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
export const RESERVED_ENV_KEYS = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export function validateEnvironment(vars: Record<string, string> | undefined): void {
  if (!vars) return;
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  for (const k of Object.keys(vars)) {
    if (!ENV_KEY_RE.test(k)) {
      // Variables are a sensitive member: AWS does not echo the value.
      throw new AwsError(
        'ValidationException',
        validationMessage([
          "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
        ]),
      );
    }
  }
  const size = Buffer.byteLength(JSON.stringify(vars));
  if (size > 4096) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`,
    );
  }
}
