/**
 * EventBridge event patterns: validation (src/cloud/patterns). AWS answers InvalidEventPatternException
 * "Event pattern is not valid. Reason: <text>" followed by Jackson's location line(s). The first table
 * is AWS's recorded texts [rec: LocalStack test_events_patterns.snapshot.json, MessageRaw]; the rest
 * follow event-ruler's compiler and Jackson's parser [obs].
 */
import { compileEventPattern, PatternError } from '../../src/cloud/patterns';

const PREFIX = 'Event pattern is not valid. Reason: ';

/** The Jackson location suffix as AWS prints it (n times: some errors repeat it). */
const at = (text: string, column: number, n = 1, line = 1) =>
  `\n at [Source: (String)"${text}"; line: ${line}, column: ${column}]`.repeat(n);

function error(text: string): PatternError {
  try {
    compileEventPattern(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PatternError);
    return e as PatternError;
  }
  throw new Error(`accepted: ${text}`);
}

const reason = (text: string) => {
  const e = error(text);
  expect(e.message.startsWith(PREFIX)).toBe(true);
  return e.message.slice(PREFIX.length);
};

// [pattern text as sent, reason, column of the location (0 = none), number of location lines]  [rec]
const RECORDED: [string, string, number, number][] = [
  ['{"resources": []}', 'Empty arrays are not allowed', 17, 1], // arrays_empty_EXC
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', 66, 1], // content_anything_but_ignorecase_EXC
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', 67, 2], // content_anything_but_ignorecase_list_EXC
  ['{"detail": {"state": [{"anything-but": ["stopped", null]}]}}', 'Inside anything but list, start|null|boolean is not supported.', 56, 2], // content_anything_but_string_list_null_type_EXC
  ['{"detail": {"state": [{"anything-but": null}]}}', 'Value of anything-but must be an array or single string/number value.', 44, 1], // content_anything_but_string_null_type_EXC
  ['{"detail": {"FileName": [{"anything-but": {"prefix": ""}}]}}', 'Null prefix/suffix not allowed', 56, 1], // content_anything_prefix_empty_EXC
  ['{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 'Value of anything-but must be an array or single string/number value.', 55, 1], // content_anything_prefix_ignorecase_EXC
  ['{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 'prefix/suffix match pattern must be a string', 54, 1], // content_anything_prefix_int_EXC
  ['{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}', 'prefix/suffix match pattern must be a string', 55, 2], // content_anything_prefix_list_type_EXC
  ['{"detail": {"FileName": [{"anything-but": {"suffix": ""}}]}}', 'Null prefix/suffix not allowed', 56, 1], // content_anything_suffix_empty_EXC
  ['{"detail": {"FileName": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]}}', 'Value of anything-but must be an array or single string/number value.', 55, 1], // content_anything_suffix_ignorecase_EXC
  ['{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}', 'prefix/suffix match pattern must be a string', 57, 1], // content_anything_suffix_int_EXC
  ['{"detail": {"FileName": [{"anything-but": {"suffix": [null, ".txt"]}}]}}', 'prefix/suffix match pattern must be a string', 59, 2], // content_anything_suffix_list_null_type_EXC
  ['{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 'prefix/suffix match pattern must be a string', 58, 2], // content_anything_suffix_list_type_EXC
  ['{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}', 'wildcard match pattern must be a string', 57, 2], // content_anything_wildcard_list_type_EXC
  ['{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 'wildcard match pattern must be a string', 59, 1], // content_anything_wildcard_type_EXC
  ['{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', 'equals-ignore-case match pattern must be a string', 42, 1], // content_ignorecase_EXC
  ['{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}', 'equals-ignore-case match pattern must be a string', 42, 1], // content_ignorecase_list_EXC
  ['{"detail": {"sourceIPAddress": [{"cidr": "bad-filter"}]}}', "Malformed CIDR, one '/' required", 0, 0], // content_ip_address_EXC
  ['{"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/8"}]}}', 'Nonstandard IP address: xx.11.xx', 0, 0], // content_ip_address_bad_ip_EXC
  ['{"detail": {"sourceIPAddress": [{"cidr": "bad-/64filter"}]}}', 'Malformed CIDR, mask bits must be an integer', 0, 0], // content_ip_address_bad_mask_EXC
  ['{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 'prefix match pattern must be a string', 43, 1], // content_ip_address_type_EXC
  ['{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}', 'Nonstandard IP address: xxxx:db8:1234:1a00::', 0, 0], // content_ip_address_v6_bad_ip_EXC
  ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 'Bad numeric range operator: >', 49, 1], // content_numeric_EXC
  ['{"detail": {"c-count": [{"numeric": 10}]}}', 'Value of numeric must be an array.', 39, 1], // content_numeric_number_EXC
  ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 'Unrecognized match type NUMERIC', 36, 1], // content_numeric_operatorcasing_EXC
  ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 'Value of < must be numeric', 50, 1], // content_numeric_syntax_EXC
  ['{"time": [{"prefix": 123}]}', 'prefix match pattern must be a string', 25, 1], // content_prefix_int_EXC
  ['{"time": [{"prefix": ["2022-07-13"]}]}', 'prefix match pattern must be a string', 23, 1], // content_prefix_list_EXC
  ['{"FileName": [{"suffix": 123}]}', 'suffix match pattern must be a string', 29, 1], // content_suffix_int_EXC
  ['{"FileName": [{"suffix": [".png"]}]}', 'suffix match pattern must be a string', 27, 1], // content_suffix_list_EXC
  ['{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}', 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character', 0, 0], // content_wildcard_complex_EXC
  ['{"EventBusArn": [{"wildcard": 123}]}', 'wildcard match pattern must be a string', 34, 1], // content_wildcard_int_EXC
  ['{"EventBusArn": [{"wildcard": ["arn:aws:events:us-east-1:**:event-bus/*"]}]}', 'wildcard match pattern must be a string', 32, 1], // content_wildcard_list_EXC
  ['{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 'Consecutive wildcard characters at pos 26', 72, 1], // content_wildcard_repeating_star_EXC
  ['{"int": 42}', '"int" must be an object or an array', 11, 1], // int_nolist_EXC
  ['{"my_key": [{"EXISTS": true}]}', 'Unrecognized match type EXISTS', 28, 1], // operator_case_sensitive_EXC
  ['{"string": "my-value"}', '"string" must be an object or an array', 13, 1], // string_nolist_EXC
];

describe('EventBridge pattern validation: recorded AWS texts', () => {
  it.each(RECORDED)('%s', (text, why, column, n) => {
    const e = error(text);
    expect(e.code).toBe('InvalidEventPatternException');
    expect(e.message).toBe(PREFIX + why + (n > 0 ? at(text, column, n) : ''));
  });

  it.each([
    ['this is valid json but not a dict', "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 5],
    ["{'bad': 'quotation'}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name", 2],
    ['{"not": closed mark"', "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 15],
    ['["not", "a", "dict", "but valid json"]', 'Filter is not an object', 2],
  ])('not a JSON object: %s [rec]', (text, why, column) => {
    expect(reason(text)).toBe(why + at(text, column));
  });
});

describe('EventBridge pattern validation: $or and structure [obs: event-ruler]', () => {
  it.each([
    ['{"a": {"$or": {"b": ["x"]}}}', 'It must be an Array followed with $or.', 16],
    ['{"$or": [{"b": ["x"]}]}', 'There must have at least 2 Objects in $or relationship.', 23],
    ['{"$or": [{"b": ["x"]}, "c"]}', 'Only JSON object is allowed in array of $or relationship.', 25],
    ['{"$or": [{"numeric": ["x"]}, {"b": ["y"]}]}', 'numeric is Ruler reserved fieldName which cannot be used inside $or.', 23],
    ['{"$or": [{"a": {"prefix": ["x"]}}, {"b": ["y"]}]}', 'prefix is Ruler reserved fieldName which cannot be used inside $or.', 28],
    ['{}', 'Empty objects are not allowed', 3],
    ['{"a": {}}', 'Empty objects are not allowed', 9],
    ['{"a": [{}]}', 'Match expression name not found', 10],
    ['{"a": [{"prefix": "x", "suffix": "y"}]}', 'Only one key allowed in match expression', 35],
    ['{"a": [{"exists": true, "x": 1}]}', 'Only one key allowed in match expression', 31],
    ['{"a": [{"prefix": {"equals-ignore-case": "x", "y": 1}}]}', 'Only one key allowed in match expression', 53],
    ['{"a": [{"anything-but": "x", "y": 1}]}', 'Too many elements in numeric expression', 36],
    ['{"a": [{"anything-but": {}}]}', 'Anything-But expression name not found', 27],
    ['{"a": [{"anything-but": {"exists": true}}]}', 'Unsupported anything-but pattern: exists', 40],
    ['{"a": [{"prefix": {"exists": true}}]}', 'Unsupported prefix pattern: exists', 34],
    ['{"a": [{"suffix": {"equals-ignore-case": 1}}]}', 'equals-ignore-case match pattern must be a string', 43],
  ])('%s', (text, why, column) => {
    expect(reason(text)).toBe(why + at(text, column));
  });

  it('reserved names are ordinary fields outside $or', () => {
    expect(compileEventPattern('{"numeric": ["x"]}').matches({ numeric: 'x' })).toBe(true);
  });

  it('text after the pattern object is not read (event-ruler stops at the closing brace)', () => {
    expect(compileEventPattern('{"a": ["x"]} trailing').matches({ a: 'x' })).toBe(true);
  });
});

describe('EventBridge pattern validation: values [obs: event-ruler]', () => {
  it.each([
    ['{"a": [{"anything-but": ["x", 1]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported', 33],
    ['{"a": [{"anything-but": []}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported', 27],
    ['{"a": [{"anything-but": [1e400]}]}', 'Cannot compare number : 1e400', 31],
    ['{"a": [{"numeric": ["<", 1e400]}]}', 'Cannot compare number : 1e400', 32],
    ['{"a": [{"numeric": [">=", 5, "<=", 5]}]}', 'Bottom must be less than top', 38],
    ['{"a": [{"numeric": ["=", 5, 6]}]}', 'Too many elements in numeric expression', 30],
    [String.raw`{"a": [{"wildcard": "a\\b"}]}`, 'Invalid escape character at pos 2', 27],
  ])('%s', (text, why, column) => {
    expect(reason(text)).toBe(why + at(text, column));
  });

  it('errors event-ruler lets escape carry no location', () => {
    expect(reason('{"a": [{"anything-but": 1e400}]}')).toBe('Cannot compare number : 1e400');
    expect(reason('{"a": [{"cidr": "10.0.0.0/32"}]}')).toBe('IPv4 mask bits must be < 32');
    expect(reason('{"a": [{"cidr": "::/128"}]}')).toBe('IPv6 mask bits must be < 128');
    expect(reason('{"a": [{"cidr": "10.0.0.0/-1"}]}')).toBe('Malformed CIDR, mask bits must not be negative');
    expect(reason('{"a": [{"cidr": "999.0.0.0/8"}]}')).toBe('Invalid IP address: 999.0.0.0');
    expect(reason('{"a": [{"cidr": "10.0.0.0/8/9"}]}')).toBe("Malformed CIDR, one '/' required");
  });

  it('a number that is not exact in a list of exact values is kept as text, not refused', () => {
    expect(compileEventPattern('{"a": [1e400]}').matches({ a: 1 })).toBe(false);
  });
});

describe('EventBridge pattern validation: wildcard complexity', () => {
  const tooComplex =
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

  it('accepts the recorded patterns and three stack-id wildcards on one field [rec][obs]', () => {
    expect(() => compileEventPattern('{"f": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}')).not.toThrow();
    expect(() => compileEventPattern('{"s": [{"anything-but": {"wildcard": ["*/init/*", "*/dir/*"]}}]}')).not.toThrow();
    expect(() => compileEventPattern('{"id": [{"wildcard": "*:stack/a/*"}, {"wildcard": "*:stack/b/*"}, {"wildcard": "*:stack/c/*"}]}')).not.toThrow();
  });

  it('refuses four on one field [obs], but not spread over fields', () => {
    const four = '{"id": [{"wildcard": "*:stack/a/*"}, {"wildcard": "*:stack/b/*"}, {"wildcard": "*:stack/c/*"}, {"wildcard": "*:stack/d/*"}]}';
    expect(reason(four)).toBe(tooComplex);
    const spread = '{"a": [{"wildcard": "*:stack/a/*"}, {"wildcard": "*:stack/b/*"}], "b": [{"wildcard": "*:stack/c/*"}, {"wildcard": "*:stack/d/*"}]}';
    expect(() => compileEventPattern(spread)).not.toThrow();
  });

  it('counts a field once across $or branches', () => {
    const or = '{"$or": [{"id": [{"wildcard": "*:stack/a/*"}]}, {"id": [{"wildcard": "*:stack/a/*"}], "x": ["y"]}]}';
    expect(() => compileEventPattern(or)).not.toThrow();
  });
});

describe('EventBridge pattern validation: JSON syntax (Jackson texts) [obs]', () => {
  const tokenList = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
  it.each([
    ['{"a": ["x",]}', `Unexpected character (']' (code 93)): expected a valid value ${tokenList}`, 12],
    ['{"a": ["x"],}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 13],
    ['{"a" ["x"]}', "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value", 6],
    ['{"a": ["x" "y"]}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Array entries", 12],
    ['{"a": ["x"] "b": ["y"]}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries", 13],
    ['{"a": ["x\n"]}', 'Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value', 11],
    ['{"a": [01]}', 'Invalid numeric value: Leading zeroes not allowed', 10],
    ['{"a": [-x]}', "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value", 9],
    ['{"a": [tru]}', `Unrecognized token 'tru': was expecting ${tokenList}`, 11],
    ['{"a": [truex]}', `Unrecognized token 'truex': was expecting ${tokenList}`, 13],
    [String.raw`{"a": ["\q"]}`, "Unrecognized character escape 'q' (code 113)", 11],
    ['', 'Filter is not an object', 1],
  ])('%j', (text, why, column) => {
    expect(reason(text)).toBe(why + at(text, column));
  });

  it('counts lines and columns like Jackson', () => {
    const text = '{\n  "a": [\n    "b",\n    nope\n  ]\n}';
    expect(reason(text)).toBe(`Unrecognized token 'nope': was expecting ${tokenList}${at(text, 9, 1, 4)}`);
  });

  it('reports an unclosed object with its start marker', () => {
    const text = '{"a": ["x"]';
    const start = `[Source: (String)"${text}"; line: 1, column: 1]`;
    expect(reason(text)).toBe(`Unexpected end-of-input: expected close marker for Object (start marker at ${start})${at(text, 12)}`);
  });

  it('quotes at most 500 characters of the pattern', () => {
    const text = `{"a": ["${'x'.repeat(600)}"], "b": 1}`;
    expect(reason(text)).toBe(`"b" must be an object or an array\n at [Source: (String)"${text.slice(0, 500)}"[truncated 119 chars]; line: 1, column: 619]`);
  });
});

describe('EventBridge pattern validation: size', () => {
  it('refuses more than 4096 characters with the model ValidationException [model]', () => {
    const ok = `{"a": ["${'x'.repeat(4096 - 11)}"]}`;
    expect(ok.length).toBe(4096);
    expect(() => compileEventPattern(ok)).not.toThrow();
    const long = `{"a": ["${'x'.repeat(4096 - 10)}"]}`;
    const e = error(long);
    expect(e.code).toBe('ValidationException');
    expect(e.message).toBe(
      `1 validation error detected: Value '${long}' at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096`,
    );
  });
});
