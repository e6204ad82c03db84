/**
 * Compiles rule JSON (an EventBridge pattern, an SNS filter policy, a Lambda filter) into branches,
 * following aws/event-ruler's JsonRuleCompiler step by step [obs: event-ruler source] so that the
 * first error found, its text and its parser position are the ones AWS reports [rec: EventBridge
 * TestEventPattern and SNS Subscribe recordings]. Later keys override earlier ones for the same path
 * [rec: duplicate-key pattern]; "$or" forks the branches.
 *
 * Errors: JsonSyntaxError (text + Jackson location) for everything the Java code "barfs", and
 * RuleError (text only) for the exceptions event-ruler lets escape without a location (CIDR, a
 * single anything-but number it cannot compare).
 */
import { cidrRange, CidrError, literalRange } from './ip';
import { JsonLexer, JsonSyntaxError, type SourceStyle, type TokenType } from './json-lexer';
import { numberKey, uncomparableMessage, type NumericRange } from './numbers';
import type { Branch, Dialect, ValuePattern } from './types';
import { looseWildcard, parseWildcard, WildcardError, type Glob } from './wildcard';

export class RuleError extends Error {}

/** An IllegalArgumentException caught inside event-ruler's try blocks: raised again once, located. */
class CaughtIllegalArgument extends Error {}

const OR = '$or';

/** Field names event-ruler refuses inside "$or" (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);

const TOO_MANY_ELEMENTS = 'Too many elements in numeric expression';
const ONE_KEY = 'Only one key allowed in match expression';

function isNumber(t: TokenType | null): boolean {
  return t === 'VALUE_NUMBER_INT' || t === 'VALUE_NUMBER_FLOAT';
}

type AnythingButMode = 'values' | 'prefix' | 'suffix' | 'ignore-case' | 'wildcard';

class RuleCompiler {
  private readonly lx: JsonLexer;
  private readonly path: string[] = [];

  constructor(
    text: string,
    private readonly d: Dialect,
    style: SourceStyle,
  ) {
    this.lx = new JsonLexer(text, style);
  }

  compile(): Branch[] {
    const rules: Branch[] = [];
    if (this.lx.nextToken() !== 'START_OBJECT') this.lx.fail('Filter is not an object');
    this.parseObject(rules, false);
    return rules;
  }

  private parseObject(rules: Branch[], insideOr: boolean): void {
    const lx = this.lx;
    let fieldsPresent = false;
    while (lx.nextToken() !== 'END_OBJECT') {
      fieldsPresent = true;
      const step = lx.currentName();
      if (step === OR) {
        this.parseOr(rules);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(step)) lx.fail(`${step} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      const t = lx.nextToken();
      if (t === 'START_OBJECT') {
        this.path.push(step);
        this.parseObject(rules, insideOr);
        this.path.pop();
      } else if (t === 'START_ARRAY') {
        this.writeRules(rules, [...this.path, step].join('.'));
      } else {
        lx.fail(`"${step}" must be an object or an array`);
      }
    }
    if (!fieldsPresent) lx.fail('Empty objects are not allowed');
  }

  private parseOr(rules: Branch[]): void {
    const lx = this.lx;
    const current = rules.map((r) => new Map(r));
    rules.length = 0;
    if (lx.nextToken() !== 'START_ARRAY') lx.fail(`It must be an Array followed with ${OR}.`);
    let count = 0;
    let t: TokenType | null;
    while ((t = lx.nextToken()) !== 'END_ARRAY') {
      count++;
      if (t !== 'START_OBJECT') lx.fail(`Only JSON object is allowed in array of ${OR} relationship.`);
      const forked = current.map((r) => new Map(r));
      if (forked.length === 0) forked.push(new Map());
      this.parseObject(forked, true);
      rules.push(...forked);
    }
    if (count < 2) lx.fail(`There must have at least 2 Objects in ${OR} relationship.`);
  }

  private writeRules(rules: Branch[], name: string): void {
    const lx = this.lx;
    const values: ValuePattern[] = [];
    let t: TokenType | null;
    while ((t = lx.nextToken()) !== 'END_ARRAY') {
      switch (t) {
        case 'START_OBJECT':
          values.push(this.matchExpression());
          break;
        case 'VALUE_STRING': {
          const s = lx.getText();
          const ip = literalRange(s);
          values.push(ip ? { kind: 'ip', range: ip } : { kind: 'exact-string', value: s });
          break;
        }
        case 'VALUE_NUMBER_INT':
        case 'VALUE_NUMBER_FLOAT': {
          const text = lx.getText();
          values.push({ kind: 'exact-number', text, key: numberKey(text, this.d.numbers) });
          break;
        }
        case 'VALUE_TRUE':
        case 'VALUE_FALSE':
        case 'VALUE_NULL':
          values.push({ kind: 'exact-literal', value: t === 'VALUE_NULL' ? null : t === 'VALUE_TRUE' });
          break;
        default:
          lx.fail('Match value must be String, number, true, false, or null');
      }
    }
    if (values.length === 0) lx.fail('Empty arrays are not allowed');
    if (rules.length === 0) rules.push(new Map());
    for (const rule of rules) rule.set(name, values);
  }

  private endObject(message = ONE_KEY): void {
    if (this.lx.nextToken() !== 'END_OBJECT') this.lx.fail(message);
  }

  private stringOperand(message: string): string {
    if (this.lx.nextToken() !== 'VALUE_STRING') this.lx.fail(message);
    return this.lx.getText();
  }

  private matchExpression(): ValuePattern {
    const lx = this.lx;
    if (lx.nextToken() !== 'FIELD_NAME') lx.fail('Match expression name not found');
    const op = lx.currentName();
    switch (op) {
      case 'exactly': {
        const value = this.stringOperand('exact match pattern must be a string');
        this.endObject();
        return { kind: 'exact-string', value };
      }
      case 'prefix':
      case 'suffix': {
        const t = lx.nextToken();
        if (t === 'START_OBJECT' && !this.d.legacyRuler) return this.ignoreCaseAffix(op);
        if (t !== 'VALUE_STRING') lx.fail(`${op} match pattern must be a string`);
        const value = lx.getText();
        this.endObject();
        return { kind: op, value, ignoreCase: false };
      }
      case 'numeric': {
        if (lx.nextToken() !== 'START_ARRAY') lx.fail('Value of numeric must be an array.');
        const range = this.numericExpression();
        this.endObject(TOO_MANY_ELEMENTS);
        return { kind: 'numeric', range };
      }
      case 'anything-but':
        return this.anythingBut();
      case 'exists': {
        const t = lx.nextToken();
        if (t !== 'VALUE_TRUE' && t !== 'VALUE_FALSE') lx.fail('exists match pattern must be either true or false.');
        this.endObject();
        return { kind: 'exists', exists: t === 'VALUE_TRUE' };
      }
      case 'cidr': {
        const text = this.stringOperand('prefix match pattern must be a string');
        let range;
        try {
          range = cidrRange(text);
        } catch (e) {
          if (e instanceof CidrError) throw new RuleError(e.message);
          throw e;
        }
        this.endObject();
        return { kind: 'ip', range };
      }
      case 'equals-ignore-case': {
        const value = this.stringOperand('equals-ignore-case match pattern must be a string');
        this.endObject();
        return { kind: 'equals-ignore-case', value };
      }
      case 'wildcard': {
        const text = this.stringOperand('wildcard match pattern must be a string');
        const glob = this.glob(text);
        this.endObject();
        return { kind: 'wildcard', glob };
      }
      default:
        return lx.fail(`Unrecognized match type ${op}`);
    }
  }

  private glob(text: string): Glob {
    try {
      return parseWildcard(text);
    } catch (e) {
      if (!(e instanceof WildcardError)) throw e;
      if (this.d.legacyRuler) return looseWildcard(text);
      return this.lx.fail(e.message);
    }
  }

  /** {"prefix": {"equals-ignore-case": "x"}} and the suffix form. */
  private ignoreCaseAffix(op: 'prefix' | 'suffix'): ValuePattern {
    const lx = this.lx;
    const Op = op === 'prefix' ? 'Prefix' : 'Suffix';
    if (lx.nextToken() !== 'FIELD_NAME') lx.fail(`${Op} expression name not found`);
    const inner = lx.currentName();
    if (inner !== 'equals-ignore-case') lx.fail(`Unsupported ${op} pattern: ${inner}`);
    const value = this.stringOperand('equals-ignore-case match pattern must be a string');
    this.endObject();
    this.endObject();
    return { kind: op, value, ignoreCase: true };
  }

  /** A comparable key for a numeric operand, or the engine's IllegalArgumentException as a barf. */
  private key(text: string): number {
    const k = numberKey(text, this.d.numbers);
    if (k === undefined) this.lx.fail(uncomparableMessage(text, this.d.numbers));
    return k;
  }

  private numericExpression(): NumericRange {
    const lx = this.lx;
    let t = lx.nextToken();
    if (t !== 'VALUE_STRING') lx.fail(`Invalid member in numeric match: ${lx.getText()}`);
    const op = lx.getText();
    t = lx.nextToken();
    switch (op) {
      case '=': {
        if (!isNumber(t)) lx.fail('Value of equals must be numeric');
        const val = lx.getText();
        if (lx.nextToken() !== 'END_ARRAY') lx.fail(TOO_MANY_ELEMENTS);
        const k = this.key(val);
        return { bottom: k, openBottom: false, top: k, openTop: false };
      }
      case '>=':
      case '>': {
        if (!isNumber(t)) lx.fail(`Value of ${op} must be numeric`);
        const val = lx.getText();
        t = lx.nextToken();
        if (t === 'END_ARRAY') return { bottom: this.key(val), openBottom: op === '>', top: Infinity, openTop: false };
        return this.completeRange(t, val, op === '>');
      }
      case '<=':
      case '<': {
        if (!isNumber(t)) lx.fail(`Value of ${op} must be numeric`);
        const val = lx.getText();
        if (lx.nextToken() !== 'END_ARRAY') lx.fail(TOO_MANY_ELEMENTS);
        return { bottom: -Infinity, openBottom: false, top: this.key(val), openTop: op === '<' };
      }
      default:
        return lx.fail(`Unrecognized numeric range operator: ${op}`);
    }
  }

  private completeRange(t: TokenType | null, bottomText: string, openBottom: boolean): NumericRange {
    const lx = this.lx;
    if (t !== 'VALUE_STRING') lx.fail(`Bad value in numeric range: ${lx.getText()}`);
    const op = lx.getText();
    if (op !== '<' && op !== '<=') lx.fail(`Bad numeric range operator: ${op}`);
    if (!isNumber(lx.nextToken())) lx.fail(`Value of ${op} must be numeric`);
    const topText = lx.getText();
    if (lx.nextToken() !== 'END_ARRAY') lx.fail('Too many terms in numeric range expression');
    const bottom = this.key(bottomText);
    const top = this.key(topText);
    if (bottom >= top) lx.fail('Bottom must be less than top');
    return { bottom, openBottom, top, openTop: op === '<' };
  }

  private anythingBut(): ValuePattern {
    const lx = this.lx;
    let mode: AnythingButMode = 'values';
    let t = lx.nextToken();
    if (t === 'START_OBJECT') {
      if (lx.nextToken() !== 'FIELD_NAME') lx.fail('Anything-But expression name not found');
      const op = lx.currentName();
      if (this.d.legacyRuler) return this.legacyAnythingButPrefix(op);
      const modes: Record<string, AnythingButMode> = {
        'equals-ignore-case': 'ignore-case',
        prefix: 'prefix',
        suffix: 'suffix',
        wildcard: 'wildcard',
      };
      if (!Object.hasOwn(modes, op)) lx.fail(`Unsupported anything-but pattern: ${op}`);
      mode = modes[op];
      t = lx.nextToken();
    }
    if (t !== 'START_ARRAY' && t !== 'VALUE_STRING' && !isNumber(t)) {
      lx.fail('Value of anything-but must be an array or single string/number value.');
    }
    let pattern: ValuePattern;
    if (mode === 'values') pattern = t === 'START_ARRAY' ? this.anythingButList() : this.anythingButSingle(t);
    else pattern = this.anythingButSet(mode, t === 'START_ARRAY' ? undefined : t);
    this.endObject(TOO_MANY_ELEMENTS);
    if (mode !== 'values') this.endObject(TOO_MANY_ELEMENTS);
    return pattern;
  }

  /** The early engine SNS runs: anything-but takes only {"prefix": "..."} [rec]. */
  private legacyAnythingButPrefix(op: string): ValuePattern {
    const lx = this.lx;
    if (op !== 'prefix') lx.fail(`Unsupported anything-but pattern: ${op}`);
    const text = this.stringOperand('prefix match pattern must be a string');
    if (text === '') lx.fail('Null prefix not allowed');
    this.endObject();
    this.endObject();
    return { kind: 'anything-but-prefix', values: [text] };
  }

  /**
   * Errors raised inside event-ruler's try blocks are caught as IOException and raised again with the
   * first message, so the location line appears twice [rec].
   */
  private doubled<T>(body: () => T): T {
    try {
      return body();
    } catch (e) {
      if (e instanceof JsonSyntaxError || e instanceof CaughtIllegalArgument) this.lx.fail(e.message);
      throw e;
    }
  }

  private anythingButList(): ValuePattern {
    const lx = this.lx;
    const strings = new Set<string>();
    const keys = new Set<number>();
    let hasNumber = false;
    let hasString = false;
    this.doubled(() => {
      let t: TokenType | null;
      while ((t = lx.nextToken()) !== 'END_ARRAY') {
        if (t === 'VALUE_STRING') {
          strings.add(lx.getText());
          hasString = true;
        } else if (isNumber(t)) {
          const text = lx.getText();
          const k = numberKey(text, this.d.numbers);
          if (k === undefined) throw new CaughtIllegalArgument(uncomparableMessage(text, this.d.numbers));
          keys.add(k);
          hasNumber = true;
        } else {
          lx.fail('Inside anything but list, start|null|boolean is not supported.');
        }
      }
    });
    if (hasNumber === hasString) {
      lx.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return { kind: 'anything-but', strings, keys: hasNumber ? keys : undefined };
  }

  private anythingButSingle(t: TokenType | null): ValuePattern {
    const text = this.lx.getText();
    if (t === 'VALUE_STRING') return { kind: 'anything-but', strings: new Set([text]), keys: undefined };
    const k = numberKey(text, this.d.numbers);
    // Not inside a try in event-ruler: the exception escapes without a location.
    if (k === undefined) throw new RuleError(uncomparableMessage(text, this.d.numbers));
    return { kind: 'anything-but', strings: new Set(), keys: new Set([k]) };
  }

  private setMemberError(mode: AnythingButMode): string {
    if (mode === 'ignore-case') return 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.';
    if (mode === 'wildcard') return 'wildcard match pattern must be a string';
    return 'prefix/suffix match pattern must be a string';
  }

  /** anything-but with prefix / suffix / equals-ignore-case / wildcard; `single` = not a list. */
  private anythingButSet(mode: AnythingButMode, single: TokenType | null | undefined): ValuePattern {
    const lx = this.lx;
    const values: string[] = [];
    const take = (t: TokenType | null) => {
      if (t !== 'VALUE_STRING') lx.fail(this.setMemberError(mode));
      const text = lx.getText();
      if ((mode === 'prefix' || mode === 'suffix') && text === '') lx.fail('Null prefix/suffix not allowed');
      values.push(text);
    };
    if (single !== undefined) take(single);
    else {
      this.doubled(() => {
        let t: TokenType | null;
        while ((t = lx.nextToken()) !== 'END_ARRAY') take(t);
      });
    }
    switch (mode) {
      case 'prefix':
        return { kind: 'anything-but-prefix', values };
      case 'suffix':
        return { kind: 'anything-but-suffix', values };
      case 'ignore-case':
        return { kind: 'anything-but-ignore-case', values };
      default:
        return { kind: 'anything-but-wildcard', globs: values.map((v) => this.glob(v)) };
    }
  }
}

/** Compiles rule text; throws JsonSyntaxError or RuleError (see the file comment). */
export function compileRule(text: string, dialect: Dialect, style: SourceStyle = 'quoted'): Branch[] {
  return new RuleCompiler(text, dialect, style).compile();
}
