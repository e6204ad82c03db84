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

  it.each(['', 'has space', 'arn:aws:lambda:us-east-1:000000000000:my-fn', 'a'.repeat(65), 'fn:bad qualifier', 'arn:aws:s3:::bucket'])(
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
