import { Clock, lambdaTimestamp } from '../../src/cloud/clock';

describe('Clock', () => {
  it('fires timers in due order when virtual time jumps', () => {
    const clock = new Clock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 120_000);
    clock.setTimeout(() => fired.push('a'), 60_000);
    const cancelled = clock.setTimeout(() => fired.push('x'), 30_000);
    cancelled.cancel();
    const before = clock.now();
    clock.advance(60_000);
    expect(fired).toEqual(['a']);
    clock.advance(60_000);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now() - before).toBeGreaterThanOrEqual(120_000);
    expect(clock.nextDue()).toBeUndefined();
  });

  it('formats Lambda LastModified timestamps', () => {
    expect(lambdaTimestamp(Date.UTC(2019, 10, 14, 18, 16, 5, 568))).toBe('2019-11-14T18:16:05.568+0000');
  });
});
