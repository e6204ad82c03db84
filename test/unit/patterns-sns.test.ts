/**
 * SNS filter policies (src/cloud/patterns, SNS dialect): validation texts, limits, attribute and body
 * scope. [rec] = LocalStack's SNS filter-policy tests recorded against AWS (texts and which messages
 * were delivered); [doc] = the SNS developer guide.
 */
import { compileSnsFilterPolicy, PatternError, type SnsMessageForFilter } from '../../src/cloud/patterns';

type Scope = 'MessageAttributes' | 'MessageBody';

/** json.dumps as the recordings sent the policies (SNS compacts them before event-ruler sees them). */
const dumps = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(dumps).join(', ')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${dumps(x)}`).join(', ')}}`
      : JSON.stringify(v);

const at = (compact: string, column: number) => `\n at [Source: (String)"${compact}"; line: 1, column: ${column}]`;
const REDACTED = 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';

function refusal(policy: string, scope: Scope = 'MessageAttributes'): PatternError {
  try {
    compileSnsFilterPolicy(policy, scope);
  } catch (e) {
    expect(e).toBeInstanceOf(PatternError);
    return e as PatternError;
  }
  throw new Error(`accepted: ${policy}`);
}

/** The reason text: Subscribe answers "Attributes Reason: FilterPolicy: ...", SetSubscriptionAttributes "FilterPolicy: ...". */
function reason(policy: unknown, scope: Scope = 'MessageAttributes'): string {
  const e = refusal(typeof policy === 'string' ? policy : dumps(policy), scope);
  expect(e.code).toBe('InvalidParameter');
  const r = e.message.replace(/^Invalid parameter: FilterPolicy: /, '');
  expect(e.attributesMessage).toBe(`Invalid parameter: Attributes Reason: FilterPolicy: ${r}`);
  return r;
}

const attrs = (a: Record<string, [string, string]>): SnsMessageForFilter => ({
  body: 'message',
  attributes: Object.fromEntries(Object.entries(a).map(([k, [Type, Value]]) => [k, { Type, Value }])),
});
const body = (b: unknown): SnsMessageForFilter => ({ body: typeof b === 'string' ? b : JSON.stringify(b), attributes: {} });

describe('SNS filter policy validation: recorded texts [rec]', () => {
  it.each<[unknown, string, number]>([
    [{ key: [['value']] }, 'Match value must be String, number, true, false, or null', 10],
    [{ key: [{ 'wrong-operator': true }] }, 'Unrecognized match type wrong-operator', 31],
    [{ key: [{ suffix: 'value', prefix: 'value2' }] }, 'Only one key allowed in match expression', 37],
    [{ key: [] }, 'Empty arrays are not allowed', 10],
    [{ key: [{ suffix: 100 }] }, 'suffix match pattern must be a string', 22],
    [{ key: [{ suffix: null }] }, 'suffix match pattern must be a string', 23],
    [{ key: { suffix: 'value' } }, '"suffix" must be an object or an array', 19],
    [{ key: [{ suffix: [] }] }, 'suffix match pattern must be a string', 20],
    [{ key: [{ suffix: ['test', 'test2'] }] }, 'suffix match pattern must be a string', 20],
    [{ key: { 'not-an-operator': 'value' } }, '"not-an-operator" must be an object or an array', 28],
    [{ key: [{ cidr: ['bad-filter'] }] }, 'prefix match pattern must be a string', 18],
    [{ key: [{ numeric: [] }] }, 'Invalid member in numeric match: ]', 22],
    [{ key: [{ numeric: ['operator'] }] }, 'Unrecognized numeric range operator: operator', 32],
    [{ key: [{ numeric: [1, '<='] }] }, 'Invalid member in numeric match: 1', 22],
    [{ key: [{ numeric: ['=', '000'] }] }, 'Value of equals must be numeric', 26],
    [{ key: [{ numeric: ['>='] }] }, 'Value of >= must be numeric', 26],
    [{ key: [{ numeric: ['<', 100, '>', 10] }] }, 'Too many elements in numeric expression', 30],
    [{ key: [{ numeric: ['>=', 1, '>', 2] }] }, 'Bad numeric range operator: >', 31],
    [{ key: [{ numeric: ['>', 3, '<', 1] }] }, 'Bottom must be less than top', 33],
    [{ key: [{ numeric: ['>', 20, '<='] }] }, 'Value of <= must be numeric', 33],
    [{ key: [{ numeric: ['>', 20, 30] }] }, 'Bad value in numeric range: 30', 30],
    [{ key: [{ numeric: ['>', 20, 'test'] }] }, 'Bad numeric range operator: test', 34],
    [{ key: [{ numeric: ['>', '20', '<', '30'] }] }, 'Value of > must be numeric', 26],
    [{ key: [{ numeric: ['>', 20, '<', '30'] }] }, 'Value of < must be numeric', 33],
    [{ key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, 'Too many terms in numeric range expression', 36],
    [{ key: [{ exists: null }] }, 'exists match pattern must be either true or false.', 23],
    [{ key: [{ exists: 'no' }] }, 'exists match pattern must be either true or false.', 20],
    [{ key: [{ 'anything-but': { 'wrong-operator': null } }] }, 'Unsupported anything-but pattern: wrong-operator', 47],
    [{ key: [{ 'anything-but': { suffix: 'test' } }] }, 'Unsupported anything-but pattern: suffix', 36],
    [{ key: [{ 'anything-but': { exists: false } }] }, 'Unsupported anything-but pattern: exists', 40],
    [{ key: [{ 'anything-but': { prefix: false } }] }, 'prefix match pattern must be a string', 40],
  ])('%j', (policy, why, column) => {
    expect(reason(policy)).toBe(why + at(JSON.stringify(policy), column));
  });

  it.each<[unknown, string]>([
    [{ key: [{ cidr: 'bad-filter' }] }, "Malformed CIDR, one '/' required"],
    [{ key: [{ cidr: 'bad-filter/64' }] }, 'Nonstandard IP address: bad-filter'],
    [{ key: [{ cidr: 'bad-/64filter' }] }, 'Malformed CIDR, mask bits must be an integer'],
    [{ key: [{ cidr: 'xx.11.xx/8' }] }, 'Nonstandard IP address: xx.11.xx'],
    [{ key: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] }, 'Nonstandard IP address: xxxx:db8:1234:1a00::'],
  ])('cidr %j: no location', (policy, why) => {
    expect(reason(policy)).toBe(why);
  });

  it('accepts anything-but with a list, a single value and a prefix', () => {
    for (const p of [{ key: [{ 'anything-but': ['test', 'test2'] }] }, { key: [{ 'anything-but': 'test' }] }, { key: [{ 'anything-but': { prefix: 'test-' } }] }]) {
      expect(() => compileSnsFilterPolicy(dumps(p), 'MessageAttributes')).not.toThrow();
    }
  });

  it('a policy that is not JSON: Jackson text without the source [rec]', () => {
    const e = refusal('{invalidjson}');
    expect(e.message).toBe(
      `Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: ${REDACTED}; line: 1, column: 2]`,
    );
    expect(refusal('invalid-json').attributesMessage).toBe(
      "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON. Unrecognized token 'invalid': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')" +
        `\n at [Source: ${REDACTED}; line: 1, column: 8]`,
    );
  });
});

describe('SNS filter policy validation: the early engine SNS runs [obs]', () => {
  it('quotes the compacted policy, floats as Java prints them', () => {
    expect(reason('{"a": [{"numeric": [">", 1e2, "<", 1.0]}]}')).toBe(
      'Bottom must be less than top' + at('{"a":[{"numeric":[">",100.0,"<",1.0]}]}', 37),
    );
  });

  it('refuses forms only EventBridge knows', () => {
    expect(reason({ a: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] })).toBe(
      'Unsupported anything-but pattern: equals-ignore-case' + at('{"a":[{"anything-but":{"equals-ignore-case":"x"}}]}', 46),
    );
    expect(reason({ a: [{ prefix: { 'equals-ignore-case': 'x' } }] })).toBe(
      'prefix match pattern must be a string' + at('{"a":[{"prefix":{"equals-ignore-case":"x"}}]}', 18),
    );
    expect(reason({ a: [{ 'anything-but': { prefix: '' } }] })).toBe('Null prefix not allowed' + at('{"a":[{"anything-but":{"prefix":""}}]}', 35));
  });

  it('compares numbers within ±5e9 at six decimals', () => {
    expect(reason('{"a": [{"numeric": ["<", 6e9]}]}')).toBe(
      'Value must be between -5.0E9 and 5.0E9, inclusive' + at('{"a":[{"numeric":["<",6.0E9]}]}', 29),
    );
    expect(reason({ a: [{ numeric: ['<', 6e9] }] })).toBe(
      'Value must be between -5.0E9 and 5.0E9, inclusive' + at('{"a":[{"numeric":["<",6000000000]}]}', 34),
    );
    expect(reason({ a: [{ 'anything-but': 6e9 }] })).toBe('Value must be between -5.0E9 and 5.0E9, inclusive');
    const f = compileSnsFilterPolicy(dumps({ n: [{ numeric: ['=', 0.0000001] }] }), 'MessageBody');
    expect(f.matches(body({ n: 0 }))).toBe(true);
    expect(f.matches(body({ n: 0.000001 }))).toBe(false);
  });
});

describe('SNS filter policy limits [rec][doc]', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `value${i}`);

  it('at most 150 combinations, counted across keys, nesting levels and $or branches', () => {
    expect(reason({ key: values(151) })).toBe('Filter policy is too complex');
    expect(reason({ key1: values(100), key2: values(51) })).toBe('Filter policy is too complex');
    const orFlat = {
      source: ['aws.cloudwatch', 'aws.events', 'aws.test', 'aws.test2'],
      $or: [{ metricName: values(6) }, { metricType: values(4), $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4] }] }],
    }; // 4*6 + 4*4*4 + 4*4*4 = 152
    expect(reason(orFlat)).toBe('Filter policy is too complex');
    const orNested = {
      $or: [{ metricName: values(3) }, { namespace: values(2) }],
      detail: { scope: values(2), $or: [{ source: values(1) }, { type: values(3) }] },
    }; // 160 with the nesting factor
    expect(reason(orNested, 'MessageBody')).toBe('Filter policy is too complex');
    const nested = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) }, key_f: values(3) }; // 216
    expect(reason(nested, 'MessageBody')).toBe('Filter policy is too complex');
    const exactly150 = {
      source: values(3),
      $or: [{ metricName: values(6) }, { metricType: values(4), $or: [{ metricId: [1, 2, 3, 4] }, { spaceId: [1, 2, 3, 4, 5, 6, 7] }] }],
    };
    expect(() => compileSnsFilterPolicy(dumps(exactly150), 'MessageAttributes')).not.toThrow();
  });

  it('at most 5 keys', () => {
    const six = Object.fromEntries(values(6).map((v, i) => [`key${i}`, [v]]));
    expect(reason(six)).toBe('Filter policy can not have more than 5 keys');
    expect(reason(six, 'MessageBody')).toBe('Filter policy can not have more than 5 keys');
    const five = Object.fromEntries(values(5).map((v, i) => [`key${i}`, [v]]));
    expect(() => compileSnsFilterPolicy(dumps(five), 'MessageAttributes')).not.toThrow();
  });

  it('no nesting in attribute scope; rules must be lists [rec]', () => {
    const e = refusal(dumps({ object: { key: [{ prefix: 'auto-' }] } }));
    expect(e.message).toBe('Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    expect(e.attributesMessage).toBe('Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy');
    expect(() => compileSnsFilterPolicy(dumps({ object: { key: [{ prefix: 'auto-' }] } }), 'MessageBody')).not.toThrow();
    expect(reason({ key_a: 'value_one' }, 'MessageBody')).toBe('"key_a" must be an object or an array' + at('{"key_a":"value_one"}', 11));
  });

  it('at most 256 KB [doc]', () => {
    expect(reason(`{"a": ["${'x'.repeat(256 * 1024)}"]}`)).toBe('Filter policy is too large');
  });
});

describe('SNS filter policies on message attributes', () => {
  const f = (policy: unknown) => compileSnsFilterPolicy(dumps(policy), 'MessageAttributes');

  it('numeric ranges on Number attributes [rec]', () => {
    const p = f({ attr1: [{ numeric: ['>', 0, '<=', 100] }] });
    expect(p.matches(attrs({ attr1: ['Number', '99'] }))).toBe(true);
    expect(p.matches(attrs({ attr1: ['Number', '111'] }))).toBe(false);
    expect(p.matches(attrs({ attr1: ['String', '99'] }))).toBe(false);
    expect(f({ n: [99] }).matches(attrs({ n: ['Number', '99.0'] }))).toBe(true);
    expect(f({ n: ['99'] }).matches(attrs({ n: ['Number', '99'] }))).toBe(false);
  });

  it('a message without attributes matches nothing, not even exists:false or anything-but [rec][doc]', () => {
    const m: SnsMessageForFilter = { body: 'x', attributes: {} };
    expect(f({ attr1: [null, { 'anything-but': 'whatever' }] }).matches(m)).toBe(false);
    expect(f({ store: [{ exists: false }] }).matches(m)).toBe(false);
  });

  it('exists [rec]', () => {
    const yes = f({ store: [{ exists: true }] });
    expect(yes.matches(attrs({ store: ['Number', '99'], def: ['Number', '99'] }))).toBe(true);
    expect(yes.matches(attrs({ attr1: ['Number', '111'] }))).toBe(false);
    const no = f({ store: [{ exists: false }] });
    expect(no.matches(attrs({ def: ['Number', '99'] }))).toBe(true);
    expect(no.matches(attrs({ store: ['Number', '99'], def: ['Number', '99'] }))).toBe(false);
  });

  it('String.Array matches per element [rec]', () => {
    const p = f({ store: ['value1'] });
    expect(p.matches(attrs({ store: ['String', 'value1'] }))).toBe(true);
    expect(p.matches(attrs({ store: ['String.Array', '["value1", "value2"]'] }))).toBe(true);
    expect(p.matches(attrs({ store: ['String.Array', '["value2", "value3"]'] }))).toBe(false);
    expect(f({ n: [{ numeric: ['>', 5] }] }).matches(attrs({ n: ['String.Array', '[1, 10]'] }))).toBe(true);
  });

  it('the documented example message [doc]', () => {
    const message = attrs({
      customer_interests: ['String.Array', '["soccer", "rugby", "hockey"]'],
      store: ['String', 'example_corp'],
      event: ['String', 'order_placed'],
      price_usd: ['Number', '210.75'],
    });
    const accepts = f({
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    });
    expect(accepts.matches(message)).toBe(true);
    const rejects = f({ store: ['example_corp'], event: ['order_cancelled'], encrypted: [false], customer_interests: ['basketball', 'baseball'] });
    expect(rejects.matches(message)).toBe(false);
  });

  it('custom type suffixes; Binary attributes never match [doc]', () => {
    expect(f({ a: ['x'] }).matches(attrs({ a: ['String.custom', 'x'] }))).toBe(true);
    expect(f({ a: [5] }).matches(attrs({ a: ['Number.int', '5'] }))).toBe(true);
    expect(f({ a: ['eA=='] }).matches(attrs({ a: ['Binary', 'eA=='] }))).toBe(false);
    expect(f({ a: [{ exists: true }] }).matches(attrs({ a: ['Binary', 'eA=='] }))).toBe(false);
  });

  it('prefix, suffix, equals-ignore-case, cidr and $or', () => {
    expect(f({ a: [{ prefix: 'ab' }] }).matches(attrs({ a: ['String', 'abc'] }))).toBe(true);
    expect(f({ a: [{ suffix: 'bc' }] }).matches(attrs({ a: ['String', 'abc'] }))).toBe(true);
    expect(f({ a: [{ 'equals-ignore-case': 'ABC' }] }).matches(attrs({ a: ['String', 'abc'] }))).toBe(true);
    expect(f({ a: [{ cidr: '10.0.0.0/24' }] }).matches(attrs({ a: ['String', '10.0.0.255'] }))).toBe(true);
    expect(f({ a: [{ 'anything-but': { prefix: 'ab' } }] }).matches(attrs({ a: ['String', 'abc'] }))).toBe(false);
    const or = f({ $or: [{ a: ['1'] }, { b: ['2'] }] });
    expect(or.matches(attrs({ b: ['String', '2'] }))).toBe(true);
    expect(or.matches(attrs({ c: ['String', '2'] }))).toBe(false);
  });
});

describe('SNS filter policies on the message body', () => {
  const f = (policy: unknown) => compileSnsFilterPolicy(dumps(policy), 'MessageBody');

  it('nested keys, exists and bodies that are not JSON objects [rec]', () => {
    const p = f({ object: { key: [{ prefix: 'auto-' }, 'hardcodedvalue'], nested_key: [{ exists: false }] }, test: [{ exists: false }] });
    for (const ok of [{ object: { key: 'auto-test' } }, { object: { key: 'hardcodedvalue' } }]) expect(p.matches(body(ok))).toBe(true);
    const rejected = [
      { object: { key: 'test-auto' } },
      { object: { key: 'auto-test' }, test: 'just-exists' },
      { object: { key: 'auto-test', nested_key: 'just-exists' } },
      { object: { test: 'auto-test' } },
      { test: 'auto-test' },
    ];
    for (const no of rejected) expect(p.matches(body(no))).toBe(false);
    expect(p.matches(body('Regular string message'))).toBe(false);
    expect(p.matches(body(JSON.stringify('Regular string message')))).toBe(false);
  });

  it('dots in keys join with nesting on both sides [rec]', () => {
    const p = f({ 'object.nested': ['string.value'] });
    expect(p.matches(body({ object: { nested: 'string.value' } }))).toBe(true);
    expect(p.matches(body({ 'object.nested': 'string.value' }))).toBe(true);
    expect(p.matches(body({ object: { nested: 'test-auto' } }))).toBe(false);
    const deep = f({ 'object.nested.test': ['string.value'] });
    for (const m of [{ object: { nested: { test: 'string.value' } } }, { 'object.nested.test': 'string.value' }, { 'object.nested': { test: 'string.value' } }, { object: { 'nested.test': 'string.value' } }]) {
      expect(deep.matches(body(m))).toBe(true);
    }
    expect(deep.matches(body({ object: { nested: { test: 'string.notvalue' } } }))).toBe(false);
  });

  it('arrays in the body [rec]', () => {
    const q1 = f({ headers: { 'route-to': ['queue1'] } });
    const got = [['queue3'], ['queue1'], ['queue2'], ['queue1', 'queue2']].map((r) => q1.matches(body({ headers: { 'route-to': r } })));
    expect(got).toEqual([false, true, false, true]);
  });

  it('arrays of objects keep each record together [rec]', () => {
    const p = f({ Records: { s3: { object: { key: [{ prefix: 'auto-' }] } }, eventName: [{ prefix: 'ObjectCreated:' }] } });
    const record = (eventName: string, key: string) => ({ eventSource: 'aws:s3', eventName, s3: { object: { key, size: 17 } } });
    const multiple = {
      Records: [
        { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { object: [[{ key: 'auto-insurance-2314.xml', size: 17 }]] } },
        record('ObjectRemoved:Delete', 'home-insurance-2314.xml'),
      ],
    };
    expect(p.matches(body(multiple))).toBe(true);
    expect(p.matches(body({ Records: [record('ObjectRemoved:Delete', 'auto-insurance-2314.xml')] }))).toBe(false);
    expect(p.matches(body({ Records: [record('ObjectCreated:Put', 'home-insurance-2314.xml')] }))).toBe(false);
    expect(p.matches(body({ Records: [record('ObjectCreated:Put', 'auto-insurance-2314.xml')] }))).toBe(true);
    const crossed = { Records: [record('ObjectCreated:Put', 'home-x'), record('ObjectRemoved:Delete', 'auto-x')] };
    expect(p.matches(body(crossed))).toBe(false);
  });

  it('$or at two levels [rec]', () => {
    const p = f({
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { scope: ['Service'], $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }] },
    });
    const alarm = 'CloudWatch Alarm State Change';
    const rejected = [
      { metricName: 'CPUUtilization', detail: { scope: 'aws.cloudwatch', type: alarm } },
      { metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CPUUtilization' } },
      { metricName: 'CPUUtilization', detail: { type: alarm } },
      { metricName: 'CPUUtilization', detail: { scope: 'Service' } },
      { metricName: 'CPUUtilization', scope: 'Service' },
      { metricName: 'AWS/EC2', detail: { scope: 'Service', type: alarm } },
      { namespace: 'CPUUtilization', detail: { scope: 'Service', type: alarm } },
    ];
    const passed = [
      { metricName: 'CPUUtilization', detail: { scope: 'Service', source: 'aws.cloudwatch' } },
      { metricName: 'ReadLatency', detail: { scope: 'Service', source: 'aws.cloudwatch' } },
      { namespace: 'AWS/EC2', detail: { scope: 'Service', source: 'aws.cloudwatch' } },
      { namespace: 'AWS/ES', detail: { scope: 'Service', source: 'aws.cloudwatch' } },
      { metricName: 'CPUUtilization', detail: { scope: 'Service', type: alarm } },
    ];
    expect(rejected.map((m) => p.matches(body(m)))).toEqual(rejected.map(() => false));
    expect(passed.map((m) => p.matches(body(m)))).toEqual(passed.map(() => true));
  });

  it('empty strings, empty arrays and null [rec]', () => {
    const event = { version: '0', resources: [], detail: { eventVersion: '', responseElements: null } };
    expect(f({ detail: { eventVersion: [''] } }).matches(body(event))).toBe(true);
    expect(f({ detail: { responseElements: [null] } }).matches(body(event))).toBe(true);
  });

  it('exists:true needs a value that is neither null nor empty [doc]', () => {
    const p = f({ a: [{ exists: true }] });
    expect([{ a: 'x' }, { a: null }, { a: '' }, { a: 0 }].map((m) => p.matches(body(m)))).toEqual([true, false, false, true]);
  });

  it('IP addresses in ranges [rec]', () => {
    const p = f({ detail: { $or: [{ sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddressV6: [{ cidr: '2001:db8:1234:1a00::/64' }] }] } });
    const got = [
      { sourceIPAddress: '10.0.0.255' },
      { sourceIPAddress: '10.0.0.256' },
      { sourceIPAddressV6: '2001:0db8:1234:1a00:0000:0000:0000:0000' },
      { sourceIPAddressV6: '2001:0db8:123f:1a01:0000:0000:0000:0000' },
    ].map((detail) => p.matches(body({ detail })));
    expect(got).toEqual([true, false, true, false]);
  });
});
