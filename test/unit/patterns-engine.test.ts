/**
 * The pattern engine's building blocks (src/cloud/patterns): wildcard complexity (checked against
 * event-ruler's own MachineComplexityEvaluator expectations [obs]), numbers, IP addresses, the
 * Jackson-style lexer and the lossless JSON values.
 */
import { cidrRange, CidrError, eventAddress, inIpRange, literalRange } from '../../src/cloud/patterns/ip';
import { JsonLexer, JsonSyntaxError } from '../../src/cloud/patterns/json-lexer';
import { compactJson, JsonNumber, parseJsonTree, toPlain } from '../../src/cloud/patterns/json-value';
import { javaDoubleString, numberKey, sameDecimal } from '../../src/cloud/patterns/numbers';
import { globMatch, parseWildcard, WildcardError, wildcardComplexity } from '../../src/cloud/patterns/wildcard';

describe('wildcard complexity', () => {
  const complexity = (...patterns: string[]) => wildcardComplexity(patterns.map(parseWildcard), 100);

  // [patterns, complexity] as event-ruler's MachineComplexityEvaluatorTest states them [obs]
  it.each<[string[], number]>([
    [['*'], 1],
    [['*', 'ab*c'], 3],
    [['abc'], 1],
    [['*ab'], 2],
    [['*aa'], 3],
    [['a*b'], 2],
    [['aa*'], 2],
    [['a*bb'], 3],
    [['a*bbb'], 4],
    [['*ab*ad'], 4],
    [['*aba*'], 4],
    [['a*b*bb'], 5],
    [['a*b*cd'], 3],
    [['ab*b*'], 3],
    [['ab*c', 'x*xx'], 3],
    [['a*aaa', 'aa*aa'], 7],
    [['a*aaa', 'aaa*a'], 6],
    [['ab*cd', 'ab*wx', 'ab*yz'], 6],
    [['*ab*b*b*'], 7],
    [['*a*a*a*a*a*a*a*a*'], 17],
    [['F*eatureFeature', 'Fe*atureFeature', 'Fea*tureFeature'], 10],
  ])('%j -> %d', (patterns, expected) => {
    expect(complexity(...patterns)).toBe(expected);
  });

  it('the recorded EventBridge patterns', () => {
    expect(complexity('*:*:*:*:*:event-bus/*')).toBe(11); // refused [rec]
    expect(complexity('/Users/*/dir/dir/dir/dir/dir/doc.txt')).toBe(7); // accepted [rec]
  });

  it('stops counting at the limit', () => {
    expect(wildcardComplexity(['*a*a*a*a*a*a*a*a*'].map(parseWildcard), 11)).toBe(11);
  });
});

describe('wildcard parsing and matching', () => {
  it('reports positions in UTF-8 bytes of the quoted value', () => {
    expect(() => parseWildcard('é**')).toThrow(new WildcardError('Consecutive wildcard characters at pos 3'));
    expect(() => parseWildcard('ab\\c')).toThrow(new WildcardError('Invalid escape character at pos 3'));
    expect(() => parseWildcard('ab\\')).toThrow(new WildcardError('Invalid escape character at pos 3'));
  });

  it('matches without backtracking blow-ups', () => {
    const g = parseWildcard('*a*a*a*a*b');
    expect(globMatch(g, 'a'.repeat(5000))).toBe(false);
    expect(globMatch(g, `${'a'.repeat(5000)}b`)).toBe(true);
    expect(globMatch(parseWildcard(''), '')).toBe(true);
    expect(globMatch(parseWildcard(''), 'x')).toBe(false);
    expect(globMatch(parseWildcard('🚀*'), '🚀 launch')).toBe(true);
  });
});

describe('numbers', () => {
  it('compares decimal texts by value', () => {
    expect(sameDecimal('300', '300.0')).toBe(true);
    expect(sameDecimal('3.0e2', '300')).toBe(true);
    expect(sameDecimal('-0', '0.0')).toBe(true);
    expect(sameDecimal('0.1', '0.10000000000000001')).toBe(false);
  });

  it('comparable keys: exact doubles only (EventBridge, Lambda); ±5e9 at six decimals (SNS)', () => {
    expect(numberKey('301.8', 'double')).toBe(301.8);
    expect(numberKey('0.10000000000000001', 'double')).toBeUndefined();
    expect(numberKey('1e400', 'double')).toBeUndefined();
    expect(numberKey('123456789012345678901', 'double')).toBeUndefined();
    expect(numberKey('5e9', 'sns')).toBeDefined();
    expect(numberKey('5.000001e9', 'sns')).toBeUndefined();
    expect(numberKey('0.0000001', 'sns')).toBe(numberKey('0', 'sns'));
    expect(numberKey('0.000001', 'sns')).not.toBe(numberKey('0', 'sns'));
  });

  it("prints doubles as Java's Double.toString", () => {
    expect([100, 1.5, 0.001, 1e-4, 1e7, 12345678.9, -0, 6e9, 1e21].map(javaDoubleString)).toEqual([
      '100.0', '1.5', '0.001', '1.0E-4', '1.0E7', '1.23456789E7', '-0.0', '6.0E9', '1.0E21',
    ]);
  });
});

describe('IP addresses', () => {
  it('reads addresses as Java does (IPv4-mapped IPv6 is IPv4)', () => {
    expect(eventAddress('10.0.0.1')).toEqual({ v6: false, value: 0x0a000001n });
    expect(eventAddress('::ffff:a00:1')).toEqual({ v6: false, value: 0x0a000001n });
    expect(eventAddress('2001:db8::1')?.v6).toBe(true);
    expect(eventAddress('10.0.0.256')).toBeUndefined();
    expect(eventAddress('1:2:3')).toBeUndefined();
    expect(eventAddress('example.com')).toBeUndefined();
    expect(literalRange('not-an-ip')).toBeUndefined();
  });

  it('cidr blocks', () => {
    const r = cidrRange('10.0.0.0/24');
    expect(['10.0.0.0', '10.0.0.255', '10.0.1.0'].map((ip) => inIpRange(ip, r))).toEqual([true, true, false]);
    expect(inIpRange('10.0.0.1', cidrRange('0.0.0.0/0'))).toBe(true);
    expect(inIpRange('2001:db8:1234:1aff::1', cidrRange('2001:db8:1234:1a00::/56'))).toBe(true);
    expect(() => cidrRange('10.0.0.0/x')).toThrow(new CidrError('Malformed CIDR, mask bits must be an integer'));
    expect(() => cidrRange('1:2:3/8')).toThrow(new CidrError('Invalid IP address: 1:2:3'));
  });
});

describe('JSON lexer and values', () => {
  it('pre-reads the value after a field name, as Jackson does', () => {
    const lx = new JsonLexer('{"a": 42, "b": "xy"}');
    expect(lx.nextToken()).toBe('START_OBJECT');
    expect(lx.nextToken()).toBe('FIELD_NAME');
    expect(lx.location()).toContain('column: 9'); // past 42
    expect(lx.nextToken()).toBe('VALUE_NUMBER_INT');
    expect(lx.nextToken()).toBe('FIELD_NAME');
    expect(lx.location()).toContain('column: 17'); // past the opening quote of "xy"
    expect(lx.nextToken()).toBe('VALUE_STRING');
    expect(lx.getText()).toBe('xy');
    expect(lx.location()).toContain('column: 20');
    expect(lx.nextToken()).toBe('END_OBJECT');
    expect(lx.nextToken()).toBeNull();
  });

  it('decodes escapes and keeps number texts and key order', () => {
    const tree = parseJsonTree('{"b": "\\u00e9\\n", "1": 1.50, "b": [true, null]}');
    expect(compactJson(tree)).toBe('{"b":[true,null],"1":1.5}');
    const plain = toPlain(parseJsonTree('{"s": "\\u00e9", "n": 1.50}')) as { s: string; n: JsonNumber };
    expect(plain.s).toBe('é');
    expect(plain.n.text).toBe('1.50');
  });

  it('throws JsonSyntaxError with the reason apart', () => {
    try {
      parseJsonTree('{"a": }', 'redacted');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).reason).toBe("Unexpected character ('}' (code 125)): expected a value");
      expect((e as JsonSyntaxError).message).toContain('REDACTED');
    }
  });
});
