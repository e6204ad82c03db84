import { AwsError } from '../../src/cloud/errors';
import { functionArn, parseFunctionName, validateAliasName, validateQualifier } from '../../src/cloud/lambda/names';

describe('parseFunctionName', () => {
  it.each([
    ['my-fn', { name: 'my-fn' }],
    ['my-fn:prod', { name: 'my-fn', qualifier: 'prod' }],
    ['my-fn:$LATEST', { name: 'my-fn', qualifier: '$LATEST' }],
    ['000000000000:function:my-fn', { name: 'my-fn', accountId: '000000000000' }],
    ['arn:aws:lambda:eu-west-1:000000000000:function:my-fn:7', { name: 'my-fn', qualifier: '7', region: 'eu-west-1', accountId: '000000000000' }],
  ])('parses %s', (input, expected) => {
    expect(parseFunctionName(input)).toEqual(expect.objectContaining(expected));
  });

  it.each(['', 'has space', 'arn:aws:lambda:us-east-1:000000000000:my-fn', 'fn:bad qualifier', 'arn:aws:s3:::bucket'])(
    'rejects %j with a ValidationException',
    (input) => {
      let err: unknown;
      try {
        parseFunctionName(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AwsError);
      expect((err as AwsError).code).toBe('ValidationException');
      expect((err as AwsError).message).toMatch(/^1 validation error detected: Value '.*' at 'functionName' failed to satisfy constraint/);
    },
  );
});

describe('parseFunctionName, as AWS words its refusals', () => {
  const thrown = (f: () => unknown): AwsError => {
    try {
      f();
    } catch (e) {
      return e as AwsError;
    }
    throw new Error('expected a throw');
  };

  it('answers a plain name over 64 characters with InvalidParameterValueException', () => {
    const err = thrown(() => parseFunctionName('a'.repeat(65)));
    expect(err.code).toBe('InvalidParameterValueException');
    expect(err.message).toBe(`1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  });

  it("prints CreateFunction's pattern (no dots) and refuses dots there", () => {
    expect(parseFunctionName('my.fn').name).toBe('my.fn');
    const err = thrown(() => parseFunctionName('invalid:function:name', 'functionName', 140, 'create'));
    expect(err.code).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value 'invalid:function:name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    );
    expect(thrown(() => parseFunctionName('my.fn', 'functionName', 140, 'create')).code).toBe('ValidationException');
  });

  it('reads GovCloud and ISO regions from ARNs', () => {
    expect(parseFunctionName('arn:aws-us-gov:lambda:us-gov-west-1:000000000000:function:f')).toEqual(expect.objectContaining({ name: 'f', region: 'us-gov-west-1' }));
    expect(parseFunctionName('arn:aws-iso-b:lambda:us-isob-east-1:000000000000:function:f:live')).toEqual(
      expect.objectContaining({ name: 'f', region: 'us-isob-east-1', qualifier: 'live' }),
    );
  });
});

describe('qualifiers and aliases', () => {
  it('accepts versions, $LATEST and alias names', () => {
    expect(validateQualifier('$LATEST')).toBe('$LATEST');
    expect(validateQualifier('12')).toBe('12');
    expect(validateQualifier(null)).toBeUndefined();
    expect(() => validateQualifier('a b')).toThrow(/failed to satisfy constraint/);
  });

  it('rejects all-digit alias names', () => {
    expect(validateAliasName('live')).toBe('live');
    expect(() => validateAliasName('123')).toThrow(/regular expression pattern/);
    expect(() => validateAliasName('')).toThrow(AwsError);
  });

  it('formats ARNs', () => {
    expect(functionArn('us-east-1', '000000000000', 'f')).toBe('arn:aws:lambda:us-east-1:000000000000:function:f');
    expect(functionArn('us-east-1', '000000000000', 'f', '$LATEST')).toBe('arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST');
  });
});
