import { jsonProblem } from '../../src/cloud/protocols/jackson';

const SOURCE = '\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: ';
const EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

describe('jsonProblem (why Invoke refuses a payload)', () => {
  it('accepts any JSON value', () => {
    for (const ok of ['{}', '[]', '"s"', '3', 'null', ' true ']) expect(jsonProblem(Buffer.from(ok))).toBeUndefined();
  });

  it('words a bare word as an unrecognized token', () => {
    expect(jsonProblem(Buffer.from('not json'))).toBe(`Unrecognized token 'not': was expecting ${EXPECTED}${SOURCE}1, column: 5]`);
  });

  it('words a byte that cannot start a value as AWS recorded it', () => {
    expect(jsonProblem(Buffer.from([0x99, 0xeb, 0x2c, 0x6a]))).toBe(`Unexpected character ((CTRL-CHAR, code 153)): expected a valid value ${EXPECTED}${SOURCE}1, column: 1]`);
    expect(jsonProblem(Buffer.from([0x6e, 0x87, 0x72, 0x9e]))).toBe(`Invalid UTF-8 start byte 0x87${SOURCE}1, column: 3]`);
  });

  it('points at the offending character inside a document', () => {
    expect(jsonProblem(Buffer.from('{"a":}'))).toBe(`Unexpected character ('}' (code 125)): expected a valid value ${EXPECTED}${SOURCE}1, column: 6]`);
    expect(jsonProblem(Buffer.from('{"a":\n 1'))).toMatch(/^Unexpected end-of-input\n at \[Source: .*; line: 2, column: 3\]$/);
  });
});
