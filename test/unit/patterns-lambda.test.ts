/**
 * Lambda event-source-mapping filters (src/cloud/patterns, Lambda dialect): EventBridge's syntax with
 * exact numbers compared by text and one refusal text. [doc] = Lambda developer guide (event
 * filtering); [rec] = LocalStack's ESM filter tests recorded against AWS.
 */
import { compileLambdaFilter, parseEventJson, PatternError } from '../../src/cloud/patterns';

const filter = (pattern: unknown) => compileLambdaFilter(typeof pattern === 'string' ? pattern : JSON.stringify(pattern));

/** An SQS record as the poller presents it to the filter: body parsed when it is JSON. */
const sqsRecord = (body: string) => {
  let parsed: unknown = body;
  try {
    parsed = parseEventJson(body);
  } catch {
    // a plain string body stays a string
  }
  return { messageId: 'm1', body: parsed, attributes: { ApproximateReceiveCount: '1' }, eventSource: 'aws:sqs' };
};

describe('Lambda filters: numbers [doc]', () => {
  it('an exact number matches the same text only: 300, 300.0 and 3.0e2 differ', () => {
    const f = filter({ body: { price: [300] } });
    expect(f.matches(sqsRecord('{"price": 300}'))).toBe(true);
    expect(f.matches(sqsRecord('{"price": 300.0}'))).toBe(false);
    expect(f.matches(sqsRecord('{"price": 3.0e2}'))).toBe(false);
    expect(filter('{"body": {"price": [300.0]}}').matches(sqsRecord('{"price": 300.0}'))).toBe(true);
  });

  it('the numeric operator compares values', () => {
    const f = filter({ body: { price: [{ numeric: ['=', 300] }] } });
    expect(f.matches(sqsRecord('{"price": 300.0}'))).toBe(true);
    expect(f.matches(sqsRecord('{"price": 3.0e2}'))).toBe(true);
    expect(f.matches(sqsRecord('{"price": "300"}'))).toBe(false);
  });

  it('numeric ranges [rec]', () => {
    const bigger = filter({ body: { 'my-number': [{ numeric: ['>', 100] }] } });
    expect([101, 100].map((n) => bigger.matches(sqsRecord(`{"my-number": ${n}}`)))).toEqual([true, false]);
    const smaller = filter({ body: { 'my-number': [{ numeric: ['<', 100] }] } });
    expect([99, 100].map((n) => smaller.matches(sqsRecord(`{"my-number": ${n}}`)))).toEqual([true, false]);
    const range = filter({ body: { 'my-number': [{ numeric: ['>=', 100, '<', 200] }] } });
    expect([100, 200].map((n) => range.matches(sqsRecord(`{"my-number": ${n}}`)))).toEqual([true, false]);
  });
});

describe('Lambda filters: SQS bodies [rec][doc]', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['or', { body: { 'my-key': ['my-value-one', 'my-value-two'] } }, { 'my-key': 'my-value-two' }, { 'my-key': 'other-value' }],
    ['and', { body: { 'my-key-one': ['other-filter', 'my-value-one'], 'my-key-two': ['my-value-two'] } }, { 'my-key-one': 'my-value-one', 'my-key-two': 'my-value-two' }, { 'my-key-one': 'other-value-', 'my-key-two': 'my-value-two' }],
    ['exists', { body: { 'my-key': [{ exists: true }] } }, { 'my-key': 'any-value-one' }, { 'other-key': 'any-value-two' }],
    ['prefix', { body: { 'my-key': [{ prefix: 'yes' }] } }, { 'my-key': 'yes-value' }, { 'my-key': 'no-value' }],
    ['valid-json-filter', { body: { 'my-key': ['my-value'] } }, { 'my-key': 'my-value' }, 'plain-string'],
  ])('%s', (_id, pattern, matching, notMatching) => {
    const f = filter(pattern);
    const text = (b: unknown) => (typeof b === 'string' ? b : JSON.stringify(b));
    expect(f.matches(sqsRecord(text(matching)))).toBe(true);
    expect(f.matches(sqsRecord(text(notMatching)))).toBe(false);
  });

  it('tells the poller how the filter reads a data property', () => {
    expect(filter({ body: { a: ['x'] } }).dataFormat('body')).toBe('json');
    expect(filter({ 'body.a': ['x'] }).dataFormat('body')).toBe('json');
    expect(filter({ body: ['plain-string'] }).dataFormat('body')).toBe('plain');
    expect(filter({ attributes: { ApproximateReceiveCount: ['1'] } }).dataFormat('body')).toBe('none');
    expect(filter({ $or: [{ body: ['x'] }, { body: { a: ['y'] } }] }).dataFormat('body')).toBe('json');
  });

  it('a plain-string filter matches the plain body and not a JSON one', () => {
    const f = filter({ body: ['plain-string'] });
    expect(f.matches(sqsRecord('plain-string'))).toBe(true);
    expect(f.matches(sqsRecord('{"valid-json-key": "plain-string"}'))).toBe(false);
  });

  it('metadata properties', () => {
    expect(filter({ attributes: { ApproximateReceiveCount: ['1'] } }).matches(sqsRecord('x'))).toBe(true);
    expect(filter({ eventSource: [{ prefix: 'aws:' }] }).matches(sqsRecord('x'))).toBe(true);
  });
});

describe('Lambda filters: documented examples [doc]', () => {
  it('Kinesis metadata and data', () => {
    const record = { partitionKey: '1', sequenceNumber: '4959', data: { City: 'Seattle', State: 'WA', Temperature: 55, Location: 'Los Angeles' } };
    expect(filter({ partitionKey: ['1'], data: { Location: ['Los Angeles'] } }).matches(record)).toBe(true);
    expect(filter({ data: { Temperature: [{ numeric: ['>', 50, '<=', 60] }] } }).matches(record)).toBe(true);
    expect(filter({ data: { Temperature: [{ numeric: ['>', 60] }] } }).matches(record)).toBe(false);
  });

  it('DynamoDB multi-level keys (values are strings)', () => {
    const record = { dynamodb: { Keys: { Id: { N: '101' } }, NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } } } };
    expect(filter({ dynamodb: { Keys: { Id: { N: ['101'] } } } }).matches(record)).toBe(true);
    expect(filter({ dynamodb: { Keys: { Id: { N: [101] } } } }).matches(record)).toBe(false);
  });

  it('the comparison operators of the summary table', () => {
    const r = { UserID: null, LastName: '', Name: 'Alice', Location: 'New York', Day: 'Monday', Weather: 'Sunny', Price: 15, Region: 'us-east-1' };
    expect(filter({ UserID: [null] }).matches(r)).toBe(true);
    expect(filter({ LastName: [''] }).matches(r)).toBe(true);
    expect(filter({ Location: ['New York'], Day: ['Monday'] }).matches(r)).toBe(true);
    expect(filter({ Weather: [{ 'anything-but': ['Raining'] }] }).matches(r)).toBe(true);
    expect(filter({ Price: [{ numeric: ['>', 10, '<=', 20] }] }).matches(r)).toBe(true);
    expect(filter({ ProductName: [{ exists: false }] }).matches(r)).toBe(true);
    expect(filter({ Region: [{ prefix: 'us-' }] }).matches(r)).toBe(true);
    expect(filter({ Name: [{ 'equals-ignore-case': 'alice' }] }).matches(r)).toBe(true);
    expect(filter({ Region: [{ suffix: '-1' }] }).matches(r)).toBe(true);
  });
});

describe('Lambda filters: DynamoDB stream records [rec]', () => {
  const insert = (image: Record<string, unknown>) => ({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { ApproximateCreationDateTime: 1733418659, NewImage: image } });

  it('typed attribute values need their type key', () => {
    const item = { id: { S: 'id_value_1' }, presentKey: { S: 'presentValue' } };
    expect(filter({ dynamodb: { NewImage: { presentKey: { S: ['presentValue'] } } } }).matches(insert(item))).toBe(true);
    expect(filter({ dynamodb: { NewImage: { presentKey: ['presentValue'] } } }).matches(insert(item))).toBe(false);
    expect(filter({ dynamodb: { NewImage: { presentKey: { S: [{ exists: true }] } } } }).matches(insert(item))).toBe(true);
    expect(filter({ dynamodb: { NewImage: { presentKey: [{ exists: true }] } } }).matches(insert(item))).toBe(false);
    expect(filter({ dynamodb: { NewImage: { presentKey: [{ exists: false }] } } }).matches(insert({ id: { S: 'x' } }))).toBe(true);
  });

  it('numbers arrive as strings: numeric filters do not match them, anything-but does', () => {
    const f = filter({ dynamodb: { NewImage: { numericFilter: { N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] } } } });
    expect(f.matches(insert({ numericFilter: { N: '42' } }))).toBe(true);
    expect(f.matches(insert({ numericFilter: { N: '101' } }))).toBe(false);
  });

  it('ApproximateCreationDateTime is a number', () => {
    expect(filter({ dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } }).matches(insert({}))).toBe(true);
  });

  it('eventName lists', () => {
    expect(filter({ eventName: ['INSERT', 'MODIFY'] }).matches(insert({}))).toBe(true);
    expect(filter({ eventName: ['MODIFY'] }).matches(insert({}))).toBe(false);
  });
});

describe('Lambda filters: refusals', () => {
  function refusal(text: string): PatternError {
    try {
      compileLambdaFilter(text);
    } catch (e) {
      expect(e).toBeInstanceOf(PatternError);
      return e as PatternError;
    }
    throw new Error(`accepted: ${text}`);
  }

  it.each([
    ['single-string'], // [rec]
    ['[{"eventName": ["INSERT"=123}]'], // [rec]
    ['["not", "an", "object"]'],
    ['{"a": "b"}'],
    ['{"a": []}'],
    ['{"a": [{"numeric": [">", 5, "<", 1]}]}'],
    ['{"a": [{"unknown-op": 1}]}'],
    ['{"a": [{"cidr": "10.0.0.0"}]}'],
    ['{"a": [{"wildcard": "*:*:*:*:*:*:*"}]}'],
    [''],
  ])('%s', (text) => {
    const e = refusal(text);
    expect(e.code).toBe('InvalidParameterValueException');
    expect(e.message).toBe('Invalid filter pattern definition.');
  });

  it('accepts what EventBridge accepts', () => {
    for (const p of ['{"a": [{"wildcard": "x*"}]}', '{"a": [{"cidr": "10.0.0.0/8"}]}', '{"a": [{"anything-but": {"prefix": "x"}}]}', '{"$or": [{"a": ["1"]}, {"b": ["2"]}]}']) {
      expect(() => compileLambdaFilter(p)).not.toThrow();
    }
  });
});
