import { Clock, lambdaTimestamp } from '../../src/cloud/clock';

/** Wall-clock ms an async step took. */
async function wall<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - t };
}

describe('Clock, real mode', () => {
  it('advance() fires due timers earliest first, each seeing at least its own due time', () => {
    const clock = new Clock('real');
    const t0 = clock.now();
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(['b', clock.now() - t0]), 2_000);
    clock.setTimeout(() => seen.push(['a', clock.now() - t0]), 1_000);
    const c = clock.setTimeout(() => seen.push(['c', clock.now() - t0]), 1_500);
    clock.setTimeout(() => seen.push(['late', clock.now() - t0]), 60_000);
    c.cancel();
    clock.advance(5_000);
    expect(seen.map(([n]) => n)).toEqual(['a', 'b']);
    for (const [, at] of seen) expect(at).toBeGreaterThanOrEqual(1_000);
    expect(clock.stats().timers).toBe(1);
    clock.clear();
  });

  it('fires timers in due order when advanced step by step', () => {
    const clock = new Clock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 120_000);
    clock.setTimeout(() => fired.push('a'), 60_000);
    clock.setTimeout(() => fired.push('x'), 30_000).cancel();
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

  it('never jumps by itself: a waiter waits in real time', async () => {
    const clock = new Clock('real');
    const t0 = clock.now();
    const { value, ms } = await wall(() => clock.wait(60).promise);
    expect(value).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(50);
    expect(clock.now() - t0).toBeLessThan(5_000);
    expect(clock.offsetMs()).toBe(0);
  });

  it('a waiter woken early resolves true', async () => {
    const clock = new Clock('real');
    const w = clock.wait(60_000);
    w.wake();
    expect(await w.promise).toBe(true);
    expect(clock.stats()).toEqual({ timers: 0, waiters: 0, busy: 0 });
  });
});

describe('Clock, compressed mode', () => {
  it('jumps an idle wait to its deadline in a few ms of wall time', async () => {
    const clock = new Clock('compressed');
    const t0 = clock.now();
    const { value, ms } = await wall(() => clock.wait(20_000).promise);
    expect(value).toBe(false);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(20_000);
    expect(clock.now() - t0).toBeLessThan(21_000);
    expect(ms).toBeLessThan(1_000);
  });

  it('stops at every scheduled moment on the way, running each at its own virtual time', async () => {
    const clock = new Clock('compressed');
    const t0 = clock.now();
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now() - t0), 30_000);
    clock.setTimeout(() => seen.push(clock.now() - t0), 5_000);
    // A timer added by a callback, due before the waiter's deadline, runs too.
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now() - t0), 10_000), 1_000);
    await clock.advanceBy(60_000);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBeGreaterThanOrEqual(5_000);
    expect(seen[0]).toBeLessThan(5_500);
    expect(seen[1]).toBeGreaterThanOrEqual(11_000);
    expect(seen[1]).toBeLessThan(11_500);
    expect(seen[2]).toBeGreaterThanOrEqual(30_000);
    expect(seen[2]).toBeLessThan(30_500);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(60_000);
  });

  it('does not jump while something is busy, and jumps once it ends', async () => {
    const clock = new Clock('compressed');
    const t0 = clock.now();
    const release = clock.busy();
    const w = clock.wait(10_000);
    // Let several macrotask turns pass: still busy, so virtual time has not jumped.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(clock.now() - t0).toBeLessThan(1_000);
    release();
    expect(await w.promise).toBe(false);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(10_000);
  });

  it('a waiter inside a busy section releases it while it waits', async () => {
    const clock = new Clock('compressed');
    const t0 = clock.now();
    const release = clock.busy();
    const woke = await clock.wait(20_000, { releasesBusy: true }).promise;
    expect(woke).toBe(false);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(20_000);
    // The section is held again after the wait.
    expect(clock.stats().busy).toBe(1);
    release();
    expect(clock.stats().busy).toBe(0);
  });

  it('without a waiter, idle time is not jumped (timers wait in real time)', async () => {
    const clock = new Clock('compressed');
    let fired = false;
    clock.setTimeout(() => (fired = true), 60_000);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(fired).toBe(false);
    expect(clock.offsetMs()).toBe(0);
    clock.clear();
  });

  it('switching to real mode stops the jumping', async () => {
    const clock = new Clock('compressed');
    clock.mode = 'real';
    const t0 = clock.now();
    const w = clock.wait(60_000);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(clock.now() - t0).toBeLessThan(1_000);
    clock.mode = 'compressed';
    expect(await w.promise).toBe(false);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(60_000);
  });

  it('keeps thousands of timers in order', async () => {
    const clock = new Clock('compressed');
    const t0 = clock.now();
    const order: number[] = [];
    // Dues a minute apart: far more than the real time the loop below takes, even on a loaded machine.
    const dues = Array.from({ length: 2_000 }, (_, i) => ((i * 7919) % 2_000) * 60_000 + 60_000);
    const handles = dues.map((d) => clock.setTimeout(() => order.push(d), d));
    handles.filter((_, i) => i % 3 === 0).forEach((h) => h.cancel());
    await clock.advanceBy(2_001 * 60_000);
    const expected = dues.filter((_, i) => i % 3 !== 0).sort((a, b) => a - b);
    expect(order).toEqual(expected);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(2_001 * 60_000);
  });
});
