import { AwsError } from '../../src/cloud/errors';
import { validateEnvironment } from '../../src/cloud/lambda/validate';

describe('environment variables', () => {
  it('accepts AWS-valid keys and refuses one-letter or odd keys without echoing the values', () => {
    expect(() => validateEnvironment({ AB: 'x', A_1: 'y' })).not.toThrow();
    for (const key of ['A', '1A', 'A-B']) {
      let err: unknown;
      try {
        validateEnvironment({ [key]: 'secret-value' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AwsError);
      expect((err as AwsError).message).toBe(
        "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
      );
      expect((err as AwsError).message).not.toContain('secret-value');
    }
  });
});
