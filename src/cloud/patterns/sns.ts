/**
 * The SNS dialect: subscription FilterPolicy with FilterPolicyScope. SNS parses the policy with a
 * current Jackson, writes it back compactly and hands that text to an early event-ruler, so ruler
 * errors quote the compact text [rec: test_sns_filter_policy.snapshot.json]. On top SNS limits keys
 * and value combinations and refuses nesting in attribute scope [rec][doc].
 *
 * Texts: SetSubscriptionAttributes answers "Invalid parameter: FilterPolicy: <reason>"; Subscribe (and
 * CreateTopic) with an Attributes map answer "Invalid parameter: Attributes Reason: FilterPolicy:
 * <reason>" [rec]; PatternError carries both.
 */
import { compileRule, RuleError } from './compile';
import { PatternError } from './errors';
import { JsonSyntaxError } from './json-lexer';
import { compactJson, JsonNumber, parseJsonTree, toPlain, type JsonNode } from './json-value';
import { RuleMatcher } from './match';
import { SNS, type Branch } from './types';

export interface SnsMessageForFilter {
  body: string;
  /** SNS message attributes as Publish received them: Type String | Number | String.Array | Binary (+ custom suffixes like "String.foo"). */
  attributes: Record<string, { Type: string; Value: string }>;
}

export interface SnsFilter {
  matches(msg: SnsMessageForFilter): boolean;
}

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A filter policy may have at most 5 keys [doc][rec]. */
export const MAX_POLICY_KEYS = 5;
/** The total combination of values must not exceed 150 [doc][rec]. */
export const MAX_POLICY_COMBINATIONS = 150;
/** The maximum size of a filter policy is 256 KB [doc]. */
export const MAX_POLICY_BYTES = 256 * 1024;

function policyError(reason: string): PatternError {
  return new PatternError(`Invalid parameter: FilterPolicy: ${reason}`, {
    code: 'InvalidParameter',
    attributesMessage: `Invalid parameter: Attributes Reason: FilterPolicy: ${reason}`,
  });
}

/** Whether any key (other than "$or") holds an object: a nested policy. */
function isNested(node: JsonNode): boolean {
  if (node.t !== 'object') return false;
  return node.entries.some(([k, v]) =>
    k === '$or' && v.t === 'array' ? v.items.some((item) => item.t === 'object' && isNested(item)) : v.t === 'object',
  );
}

/**
 * The combination count: the product of the array sizes, each multiplied by its nesting depth, "$or"
 * alternatives added up [doc: "3 x 4 x 2 x 3"][rec: 216 and 160 refused, 150 accepted].
 */
function combinations(node: JsonNode, depth = 1, start = 1): number {
  let total = start;
  if (node.t !== 'object') return total;
  for (const [key, value] of node.entries) {
    if (value.t === 'object') total = combinations(value, depth + 1, total);
    else if (value.t === 'array' && key === '$or') {
      total = value.items.reduce((sum, item) => sum + combinations(item, depth, total), 0);
    } else if (value.t === 'array') total = total * value.items.length * depth;
  }
  return total;
}

function attributeValue(type: string, value: string): unknown {
  if (type === 'String.Array') {
    try {
      const parsed = toPlain(parseJsonTree(value));
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  const base = type.split('.')[0];
  if (base === 'String') return value;
  if (base === 'Number') {
    const text = value.trim();
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return new JsonNumber(text);
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? new JsonNumber(String(n)) : undefined;
  }
  return undefined; // Binary attributes never match [doc]
}

class SnsPolicy implements SnsFilter {
  private readonly matcher: RuleMatcher;

  constructor(
    branches: Branch[],
    private readonly scope: FilterPolicyScope,
  ) {
    this.matcher = new RuleMatcher(branches, SNS);
  }

  matches(msg: SnsMessageForFilter): boolean {
    if (this.scope === 'MessageBody') {
      let body: unknown;
      try {
        body = toPlain(parseJsonTree(msg.body));
      } catch {
        return false; // a body that is not JSON matches nothing [doc]
      }
      return this.matcher.matches(body);
    }
    const names = Object.keys(msg.attributes ?? {});
    // {"exists": false} matches only when the message has at least one attribute [doc].
    if (names.length === 0) return false;
    const event: Record<string, unknown> = {};
    for (const name of names) {
      const attr = msg.attributes[name];
      const value = attributeValue(attr.Type ?? '', attr.Value ?? '');
      if (value !== undefined) Object.defineProperty(event, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return this.matcher.matches(event);
  }
}

/** SNS FilterPolicy with FilterPolicyScope. Throws PatternError with SNS's InvalidParameter text. */
export function compileSnsFilterPolicy(policyText: string, scope: FilterPolicyScope): SnsFilter {
  if (Buffer.byteLength(policyText, 'utf8') > MAX_POLICY_BYTES) throw policyError('Filter policy is too large'); // text unconfirmed
  let tree: JsonNode;
  try {
    tree = parseJsonTree(policyText, 'redacted');
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw policyError(`failed to parse JSON. ${e.message}`);
    throw e;
  }
  let branches: Branch[];
  try {
    branches = compileRule(compactJson(tree), SNS, 'quoted');
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof RuleError) throw policyError(e.message);
    throw e;
  }
  if (scope === 'MessageAttributes' && isNested(tree)) {
    const reason = 'Filter policy scope MessageAttributes does not support nested filter policy';
    throw new PatternError(`Invalid parameter: ${reason}`, {
      code: 'InvalidParameter',
      attributesMessage: `Invalid parameter: Attributes Reason: ${reason}`,
    });
  }
  if (branches.some((b) => b.size > MAX_POLICY_KEYS)) throw policyError('Filter policy can not have more than 5 keys');
  if (combinations(tree) > MAX_POLICY_COMBINATIONS) throw policyError('Filter policy is too complex');
  return new SnsPolicy(branches, scope);
}
