/** scenarios/_support/testbed.ts: payload helpers and capability gating (no target is started). */
import { decode, logTail, skippedTitle } from '../../scenarios/_support/testbed';

describe('scenario helpers', () => {
  it('decode parses a JSON payload and treats an empty one as undefined', () => {
    expect(decode(new TextEncoder().encode('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
    expect(decode(new TextEncoder().encode('"text"'))).toBe('text');
    expect(decode(new Uint8Array())).toBeUndefined();
    expect(decode(undefined)).toBeUndefined();
    expect(() => decode(new TextEncoder().encode('not json'))).toThrow(/not JSON: not json/);
  });

  it('logTail decodes X-Amz-Log-Result', () => {
    const tail = 'START RequestId: 1 Version: $LATEST\nEND RequestId: 1\n';
    expect(logTail(Buffer.from(tail).toString('base64'))).toBe(tail);
    expect(logTail(undefined)).toBe('');
  });

  it('skipped titles carry their reason', () => {
    expect(skippedTitle('cold then warm', 'target localstack has no invocations capability')).toBe(
      'cold then warm [skipped: target localstack has no invocations capability]',
    );
  });
});

describe('getTestbed on a target without capabilities', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.TESTBED_ENDPOINT = 'http://127.0.0.1:9';
    process.env.TESTBED_TARGET_KIND = 'localstack';
    process.env.TESTBED_REGION = 'us-east-1';
    process.env.TESTBED_CAPABILITIES = '';
  });
  afterAll(() => {
    process.env = saved;
  });

  it('refuses introspection with a clear error instead of passing', async () => {
    let tb!: import('../../scenarios/_support/testbed').Testbed;
    jest.isolateModules(() => {
      tb = require('../../scenarios/_support/testbed').getTestbed();
    });
    expect(tb.target).toMatchObject({ kind: 'localstack', endpoint: 'http://127.0.0.1:9' });
    expect(tb.has('invocations')).toBe(false);
    expect(tb.skipReason('invocations')).toBe('target localstack has no invocations capability');
    await expect(tb.invocations()).rejects.toThrow(/not supported on localstack/);
    await expect(tb.reset()).rejects.toThrow(/not supported on localstack/);
    tb.clients.destroy();
  });
});
