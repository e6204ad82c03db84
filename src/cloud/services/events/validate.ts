/**
 * EventBridge's model constraints, checked the way AWS reports them ("1 validation error detected:
 * Value 'x' at 'name' failed to satisfy constraint: ..."; member paths in lowerCamelCase, list
 * members as `targets.1.member.id`), and the paging of the List* operations.
 */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { Validator, expectType } from '../../protocols/validation';
import { invalidNextToken } from './errors';
import { DEFAULT_BUS } from './types';

export type In = Record<string, unknown>;
type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

// [model] patterns, with the texts AWS prints [rec]
export const RULE_NAME_RE = /^[.\-_A-Za-z0-9]+$/;
export const RULE_NAME_TEXT = '[\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_RE = /^[/.\-_A-Za-z0-9]+$/;
export const BUS_NAME_TEXT = '[/\\.\\-_A-Za-z0-9]+';
const ARN_PREFIX = '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?';
export const BUS_NAME_OR_ARN_RE = /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/;
export const BUS_NAME_OR_ARN_TEXT = `${ARN_PREFIX}[/\\.\\-_A-Za-z0-9]+`;
export const NON_PARTNER_BUS_RE = /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/;
export const NON_PARTNER_BUS_TEXT = `${ARN_PREFIX}[\\.\\-_A-Za-z0-9]+`;
const BUS_ARN_RE = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/** Check the JSON types of top-level members (a wrong type is a SerializationException on AWS). */
export function types(input: In, spec: Record<string, JsonType>): void {
  for (const [k, t] of Object.entries(spec)) expectType(input[k], k, t);
}

export function validator(): Validator {
  return new Validator('ValidationException');
}

/** A rule name (Name, Rule, NamePrefix): 1-64 of [.-_A-Za-z0-9]. */
export function checkRuleName(v: Validator, value: unknown, member: string, required = true): void {
  if (required && !v.required(value, member)) return;
  if (typeof value !== 'string') return;
  v.length(value, member, 1, 64).pattern(value, member, RULE_NAME_RE, RULE_NAME_TEXT);
}

/** An EventBusName member that takes a name or a bus ARN. */
export function checkBusNameOrArn(v: Validator, value: unknown, member: string, nonPartner = false): void {
  if (typeof value !== 'string') return;
  v.length(value, member, 1, 1600);
  if (nonPartner) v.pattern(value, member, NON_PARTNER_BUS_RE, NON_PARTNER_BUS_TEXT);
  else v.pattern(value, member, BUS_NAME_OR_ARN_RE, BUS_NAME_OR_ARN_TEXT);
}

/** A bus named by name or ARN: its name, and whether the ARN points elsewhere than the request's account and region. */
export function busRefName(value: string | undefined, ctx: Pick<RequestContext, 'accountId' | 'region'>): { name: string; foreign: boolean } {
  if (value === undefined) return { name: DEFAULT_BUS, foreign: false };
  const m = BUS_ARN_RE.exec(value);
  if (!m) return { name: value, foreign: false };
  return { name: m[3], foreign: m[1] !== ctx.region || m[2] !== ctx.accountId };
}

/** A bus ARN's parts, or undefined when `arn` is not one. */
export function parseBusArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = BUS_ARN_RE.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

/** Tags as a TagList [{Key, Value}] (CreateEventBus, PutRule, TagResource). */
export function checkTagList(v: Validator, raw: unknown, member: string): { Key: string; Value: string }[] {
  if (raw === undefined || raw === null) return [];
  expectType(raw, member, 'array');
  const out: { Key: string; Value: string }[] = [];
  (raw as unknown[]).forEach((t, i) => {
    const at = `${member}.${i + 1}.member`;
    expectType(t, at, 'object');
    const tag = (t ?? {}) as In;
    expectType(tag.Key, `${at}.key`, 'string');
    expectType(tag.Value, `${at}.value`, 'string');
    if (v.required(tag.Key, `${at}.key`)) v.length(tag.Key as string, `${at}.key`, 1, 128);
    if (v.required(tag.Value, `${at}.value`)) v.length(tag.Value as string, `${at}.value`, 0, 256);
    if (typeof tag.Key === 'string' && typeof tag.Value === 'string') out.push({ Key: tag.Key, Value: tag.Value });
  });
  return out;
}

/** A Limit member (LimitMax100): an integer 1-100. */
export function checkLimit(v: Validator, value: unknown, member = 'limit'): void {
  if (value === undefined || value === null) return;
  if (!Number.isInteger(value)) throw new AwsError('SerializationException', `NUMBER_VALUE can not be converted to an Integer (at ${member})`, 400, { messageKey: 'Message' });
  v.range(value as number, member, 1, 100);
}

export function checkNextToken(v: Validator, value: unknown, member = 'nextToken'): void {
  if (typeof value === 'string') v.length(value, member, 1, 2048);
}

// ------------------------------------------------------------------ paging

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64');
}

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: number; o?: unknown };
    if (parsed.v === 1 && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw invalidNextToken();
}

/** One page of `items` (default and maximum page size 100), and the token for the next, if any. */
export function page<T>(items: T[], nextToken: unknown, limit: unknown): { items: T[]; nextToken?: string } {
  const from = typeof nextToken === 'string' ? decodeToken(nextToken) : 0;
  const size = typeof limit === 'number' ? limit : 100;
  const to = from + size;
  return { items: items.slice(from, to), nextToken: to < items.length ? encodeToken(to) : undefined };
}

/**
 * A list of strings with constraints on each member, reported the way AWS's frontend does for
 * list members: `Value '[a, b]' at 'ids' failed to satisfy constraint: Member must satisfy
 * constraint: [Member must have length less than or equal to 64, ...]`.
 */
export function checkStringList(
  v: Validator,
  raw: unknown,
  member: string,
  opts: { min?: number; max?: number; minItems?: number; maxItems?: number; re?: RegExp; reText?: string },
): string[] {
  if (raw === undefined || raw === null) return [];
  expectType(raw, member, 'array');
  const list = raw as unknown[];
  list.forEach((x, i) => expectType(x, `${member}.${i + 1}.member`, 'string'));
  const items = list as string[];
  if (opts.minItems !== undefined && items.length < opts.minItems) v.fail(items, member, `Member must have length greater than or equal to ${opts.minItems}`);
  else if (opts.maxItems !== undefined && items.length > opts.maxItems) v.fail(items, member, `Member must have length less than or equal to ${opts.maxItems}`);
  const problems = new Set<string>();
  for (const s of items) {
    if (s === null) continue;
    const n = [...s].length;
    if (opts.max !== undefined && n > opts.max) problems.add(`Member must have length less than or equal to ${opts.max}`);
    if (opts.min !== undefined && n < opts.min) problems.add(`Member must have length greater than or equal to ${opts.min}`);
    if (opts.re && !opts.re.test(s)) problems.add(`Member must satisfy regular expression pattern: ${opts.reText}`);
  }
  if (problems.size) v.fail(items, member, `Member must satisfy constraint: [${[...problems].join(', ')}]`);
  return items.filter((s) => s !== null);
}
