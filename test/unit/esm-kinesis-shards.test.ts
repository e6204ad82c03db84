/**
 * The Kinesis poller across shards and time (esm-kinesis-helpers.ts): resharding under a running
 * mapping (parents before children, split and merge), tumbling windows (state, final invokes, early
 * termination by a reshard or a state over 1 MB), parallelization with a throttled function, a
 * deleted and recreated stream, and Disable/Enable resuming from the mapping's checkpoints.
 */
import { createHash } from 'node:crypto';
import { progressOf, streamNotFound } from '../../src/cloud/lambda/pollers/kinesis';
import { partitionHashKey } from '../../src/cloud/services/kinesis/hashing';
import { ACCOUNT, REGION, advance, advanceUntil, createStream, failed, mapping, ok, put, sent, settle, startPoller, throttle, useWorld, type Call } from './esm-kinesis-helpers';

const w = useWorld();

const stream = (name: string) => w.store.get(ACCOUNT, REGION, name)!;
/** Split shard `index` of the stream in two halves of its hash range. */
function split(name: string, index = 0): void {
  const s = stream(name);
  const shard = s.shards[index];
  w.store.update(s, () => s.split(shard, shard.start + (shard.end - shard.start + 1n) / 2n, w.clock.now()));
}
function merge(name: string, a: number, b: number): void {
  const s = stream(name);
  w.store.update(s, () => s.merge(s.shards[a], s.shards[b], w.clock.now()));
}
/** A partition key whose hash falls in the given shard (by trying). */
function keyIn(name: string, shardId: string, salt = ''): string {
  for (let i = 0; ; i++) {
    const k = `${salt}k${i}`;
    const s = stream(name);
    if (s.route(partitionHashKey(k)).shardId === shardId) return k;
  }
}
const shardOfCall = (c: Call) => c.shardId;

describe('resharding under a running mapping', () => {
  it('split: the parent is read to its end and done before its children start; children read from their start [doc]', async () => {
    const { arn } = createStream(w, 'split');
    for (let i = 1; i <= 3; i++) put(w, 'split', `p${i}`, `parent-${i}`);
    let release!: () => void;
    let first = true;
    w.behave = (c) => {
      if (first) {
        first = false;
        return new Promise((r) => (release = () => r(ok()))); // the first batch is slow
      }
      return ok();
    };
    startPoller(w, mapping(w, arn, { batchSize: 1 }));
    await settle();
    split('split');
    await settle();
    for (let i = 1; i <= 6; i++) put(w, 'split', `c${i}`, `child-${i}`);
    await settle();
    expect(sent(w)).toEqual(['parent-1']); // the children wait for the parent
    release();
    await advanceUntil(w, () => sent(w).length === 9, 100);
    const order = sent(w);
    expect(order.slice(0, 3)).toEqual(['parent-1', 'parent-2', 'parent-3']);
    expect(new Set(order.slice(3))).toEqual(new Set([1, 2, 3, 4, 5, 6].map((i) => `child-${i}`)));
    expect(new Set(w.calls.slice(3).map(shardOfCall))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    expect(progressOf(w.pollers[0].mapping).finished.has('shardId-000000000000')).toBe(true);
  });

  it('split while the parent has nothing left: the children start at once', async () => {
    const { arn } = createStream(w, 'split-idle');
    put(w, 'split-idle', 'k', 'parent');
    startPoller(w, mapping(w, arn));
    await settle();
    expect(sent(w)).toEqual(['parent']);
    split('split-idle');
    await settle();
    put(w, 'split-idle', 'k', 'child');
    await settle();
    expect(sent(w)).toEqual(['parent', 'child']);
  });

  it('a failing record in the parent holds the children back until it is done', async () => {
    const { arn } = createStream(w, 'split-fail');
    put(w, 'split-fail', 'k', 'bad');
    let failures = 3;
    w.behave = (c) => (c.data.includes('bad') && failures-- > 0 ? failed() : ok());
    startPoller(w, mapping(w, arn, { batchSize: 1 }));
    await settle();
    split('split-fail');
    await settle();
    put(w, 'split-fail', 'k', 'child');
    await settle();
    expect(sent(w)).toEqual(['bad']);
    await advanceUntil(w, () => sent(w).includes('child'), 200);
    expect(sent(w)).toEqual(['bad', 'bad', 'bad', 'bad', 'child']);
  });

  it('merge: the child waits for both parents [doc]', async () => {
    const { arn } = createStream(w, 'merge', 2);
    const k0 = keyIn('merge', 'shardId-000000000000');
    const k1 = keyIn('merge', 'shardId-000000000001');
    put(w, 'merge', k0, 'a-1');
    put(w, 'merge', k1, 'b-1');
    put(w, 'merge', k1, 'b-2');
    let slow!: () => void;
    w.behave = (c) => (c.data.includes('b-2') && !slow ? new Promise((r) => (slow = () => r(ok()))) : ok());
    startPoller(w, mapping(w, arn, { batchSize: 1 }));
    await settle(10);
    merge('merge', 0, 1);
    await settle();
    put(w, 'merge', 'anything', 'merged-1');
    await settle(10);
    expect(sent(w)).not.toContain('merged-1'); // shard 1 still has b-2 with the function
    slow();
    await advanceUntil(w, () => sent(w).includes('merged-1'), 100);
    expect(sent(w).at(-1)).toBe('merged-1');
    expect(w.calls.at(-1)!.shardId).toBe('shardId-000000000002');
  });

  it('resharded before the mapping: TRIM_HORIZON reads parents then children; LATEST reads neither old part', async () => {
    const { arn } = createStream(w, 'before');
    put(w, 'before', 'k', 'old-parent');
    split('before');
    await settle();
    put(w, 'before', 'k', 'old-child');
    const trim = startPoller(w, mapping(w, arn));
    await settle(10);
    expect(sent(w)).toEqual(['old-parent', 'old-child']);
    trim.stop();
    w.calls.length = 0;
    startPoller(w, mapping(w, arn, { startingPosition: 'LATEST' }));
    await settle(10);
    expect(sent(w)).toEqual([]);
    put(w, 'before', 'k', 'new');
    await settle();
    expect(sent(w)).toEqual(['new']);
  });

  it('a closed parent past the retention period no longer holds its children back', async () => {
    const { arn, s } = createStream(w, 'expired-parent');
    s.retentionHours = 24;
    put(w, 'expired-parent', 'k', 'parent');
    split('expired-parent');
    await settle();
    await advance(w, 25 * 3_600_000);
    put(w, 'expired-parent', 'k', 'child');
    startPoller(w, mapping(w, arn));
    await settle(10);
    expect(sent(w)).toEqual(['child']);
  });
});

describe('tumbling windows', () => {
  const WIDTH = 60;

  it("carry the state from invoke to invoke and end with a final invoke at the window's end [doc]", async () => {
    const { arn } = createStream(w, 'tw');
    startPoller(w, mapping(w, arn, { batchSize: 2, tumblingWindowInSeconds: WIDTH }));
    // Start at the beginning of a window so that the four records fall in it.
    await advance(w, WIDTH * 1000 - (w.clock.now() % (WIDTH * 1000)) + 10);
    for (let i = 1; i <= 4; i++) put(w, 'tw', 'k', `r${i}`);
    await settle(10);
    expect(w.calls.map((c) => [c.data, c.event.state, c.event.isFinalInvokeForWindow])).toEqual([
      [['r1', 'r2'], {}, false],
      [['r3', 'r4'], { count: 2 }, false],
    ]);
    const { window } = w.calls[0].event;
    expect(Date.parse(window!.end) - Date.parse(window!.start)).toBe(WIDTH * 1000);
    expect(Date.parse(window!.start) % (WIDTH * 1000)).toBe(0);
    await advanceUntil(w, () => w.calls.length === 3, 5_000);
    const final = w.calls[2].event;
    expect([final.Records, final.state, final.isFinalInvokeForWindow, final.isWindowTerminatedEarly, final.window]).toEqual([[], { count: 4 }, true, false, window]);
    expect(w.calls[2].at).toBeGreaterThanOrEqual(Date.parse(window!.end));
    put(w, 'tw', 'k', 'next');
    await settle();
    expect(w.calls[3].event.state).toEqual({}); // a new window, a fresh state
    expect(w.calls[3].event.window!.start).not.toBe(window!.start);
  });

  it('an answer without state is a failed invocation: retried with the same state [doc]', async () => {
    const { arn } = createStream(w, 'tw-nostate');
    let n = 0;
    w.behave = (c) => (n++ === 0 ? ok({ batchItemFailures: [] }) : ok({ state: { seen: c.data } }));
    const m = mapping(w, arn, { tumblingWindowInSeconds: WIDTH });
    startPoller(w, m);
    put(w, 'tw-nostate', 'k', 'only');
    await advanceUntil(w, () => w.calls.length === 2, 100);
    expect(w.calls.map((c) => [c.data, c.event.state])).toEqual([
      [['only'], {}],
      [['only'], {}],
    ]);
  });

  it('a failing final invoke blocks the shard until it succeeds [doc]', async () => {
    const { arn } = createStream(w, 'tw-final');
    let finalFailures = 2;
    w.behave = (c) => {
      if (c.event.isFinalInvokeForWindow && finalFailures-- > 0) return failed();
      return ok({ state: { n: ((c.event.state as { n?: number }).n ?? 0) + c.data.length } });
    };
    startPoller(w, mapping(w, arn, { tumblingWindowInSeconds: WIDTH }));
    put(w, 'tw-final', 'k', 'a');
    await settle();
    await advance(w, WIDTH * 1000 + 1);
    put(w, 'tw-final', 'k', 'b'); // next window: waits for the final invoke
    await advanceUntil(w, () => w.calls.some((c) => c.data.includes('b')), 200);
    const kinds = w.calls.map((c) => (c.event.isFinalInvokeForWindow ? 'final' : c.data.join()));
    // Up to b's first invoke (b's own window may end after it, under a loaded machine).
    expect(kinds.slice(0, kinds.indexOf('b') + 1)).toEqual(['a', 'final', 'final', 'final', 'b']);
  });

  it('a reshard ends the parent window early (isWindowTerminatedEarly); the children start their own with a fresh state [doc]', async () => {
    const { arn } = createStream(w, 'tw-reshard');
    startPoller(w, mapping(w, arn, { tumblingWindowInSeconds: 900 }));
    await advance(w, 900_000 - (w.clock.now() % 900_000) + 10);
    put(w, 'tw-reshard', 'k', 'parent');
    await settle();
    split('tw-reshard');
    await settle(10);
    const final = w.calls.find((c) => c.event.isFinalInvokeForWindow)!;
    expect(final).toBeDefined();
    expect([final.shardId, final.event.isWindowTerminatedEarly, final.event.state]).toEqual(['shardId-000000000000', true, { count: 1 }]);
    expect(final.at).toBeLessThan(Date.parse(final.event.window!.end));
    put(w, 'tw-reshard', 'k', 'child');
    await settle();
    const child = w.calls.at(-1)!;
    expect([child.data, child.event.state, child.shardId === 'shardId-000000000000']).toEqual([['child'], {}, false]);
  });

  it('a state over 1 MB ends the window early; its later records start it again with a fresh state [doc]', async () => {
    const { arn } = createStream(w, 'tw-big');
    const big = 'x'.repeat(1_100_000);
    w.behave = (c) => (c.event.isFinalInvokeForWindow ? ok({ state: {} }) : ok({ state: c.data.includes('grow') ? { big } : { n: 1 } }));
    startPoller(w, mapping(w, arn, { batchSize: 1, tumblingWindowInSeconds: 900 }));
    await advance(w, 900_000 - (w.clock.now() % 900_000) + 10);
    put(w, 'tw-big', 'k', 'grow');
    put(w, 'tw-big', 'k', 'after');
    await settle(10);
    const kinds = w.calls.map((c) => [c.event.isFinalInvokeForWindow ? 'final' : c.data.join(), c.event.isWindowTerminatedEarly, JSON.stringify(c.event.state).length > 1_000_000 ? 'big' : c.event.state]);
    expect(kinds).toEqual([
      ['grow', false, {}],
      ['final', true, 'big'],
      ['after', false, {}],
    ]);
    expect(w.calls[2].event.window).toEqual(w.calls[0].event.window);
  });
  it('a retried rest of a batch whose window ended early opens the window again (fresh state)', async () => {
    const { arn } = createStream(w, 'tw-big-partial');
    const big = 'x'.repeat(1_100_000);
    let first = true;
    w.behave = (c) => {
      if (c.event.isFinalInvokeForWindow) return ok({ state: {} });
      if (first) {
        first = false;
        return ok({ state: { big }, batchItemFailures: [{ itemIdentifier: c.seqs[1] }] });
      }
      return ok({ state: { n: 1 } });
    };
    startPoller(w, mapping(w, arn, { batchSize: 2, tumblingWindowInSeconds: 900, functionResponseTypes: ['ReportBatchItemFailures'] }));
    await advance(w, 900_000 - (w.clock.now() % 900_000) + 10);
    put(w, 'tw-big-partial', 'k', 'one');
    put(w, 'tw-big-partial', 'k', 'two');
    await advanceUntil(w, () => w.calls.length === 3, 100);
    const kinds = w.calls.map((c) => [c.event.isFinalInvokeForWindow ? 'final' : c.data.join(), c.event.isWindowTerminatedEarly, c.event.window?.start]);
    const start = w.calls[0].event.window!.start;
    expect(kinds).toEqual([
      ['one,two', false, start],
      ['final', true, start],
      ['two', false, start],
    ]);
    expect(w.calls[2].event.state).toEqual({});
  });
});

describe('ParallelizationFactor', () => {
  it('a function throttled below the factor: nothing lost, each partition key in order [doc]', async () => {
    const { arn } = createStream(w, 'pf');
    for (let n = 1; n <= 10; n++) for (const k of ['a', 'b', 'c', 'd', 'e']) put(w, 'pf', k, JSON.stringify({ k, n }));
    let running = 0;
    let most = 0;
    let throttled = 0;
    const delivered: { k: string; n: number }[] = [];
    w.behave = async (c) => {
      if (running >= 2) {
        throttled++;
        throw throttle(); // reserved concurrency 2
      }
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      delivered.push(...c.data.map((d) => JSON.parse(d) as { k: string; n: number }));
      return ok();
    };
    startPoller(w, mapping(w, arn, { batchSize: 3, parallelizationFactor: 5, maximumRetryAttempts: 0 }));
    await advanceUntil(w, () => delivered.length >= 50, 200);
    expect(delivered).toHaveLength(50);
    expect(most).toBe(2);
    expect(throttled).toBeGreaterThan(0);
    for (const k of ['a', 'b', 'c', 'd', 'e']) {
      expect(delivered.filter((d) => d.k === k).map((d) => d.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it('an Update of the factor applies once the lanes are free', async () => {
    const { arn } = createStream(w, 'pf-update');
    const m = mapping(w, arn, { batchSize: 1 });
    let running = 0;
    let most = 0;
    w.behave = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return ok();
    };
    startPoller(w, m);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) put(w, 'pf-update', k, k);
    await advanceUntil(w, () => sent(w).length === 6, 10);
    expect(most).toBe(1);
    m.parallelizationFactor = 6;
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) put(w, 'pf-update', k, `${k}2`);
    await advanceUntil(w, () => sent(w).length === 12, 10);
    expect(most).toBeGreaterThan(1);
  });
});

describe('the stream deleted under a running mapping', () => {
  it('PROBLEM, no crash, nothing invoked; a stream of that name made again is read from its start', async () => {
    const { arn, s } = createStream(w, 'deleted');
    const m = mapping(w, arn, { startingPosition: 'LATEST' });
    const p = startPoller(w, m);
    put(w, 'deleted', 'k', 'before');
    await settle();
    expect(sent(w)).toEqual(['before']);
    w.store.delete(s);
    await settle();
    expect(m.lastProcessingResult).toBe(streamNotFound(arn));
    await advance(w, 60_000);
    expect(w.calls).toHaveLength(1);
    createStream(w, 'deleted');
    put(w, 'deleted', 'k', 'again-1');
    put(w, 'deleted', 'k', 'again-2');
    await advanceUntil(w, () => sent(w).length === 3, 1_000);
    expect(sent(w)).toEqual(['before', 'again-1', 'again-2']);
    expect(m.lastProcessingResult).toBe('OK');
    p.stop();
    expect(w.clock.stats().timers).toBe(0);
  });

  it('while its problem lasts the poller only looks again now and then (a timer, never a waiter)', async () => {
    const { arn, s } = createStream(w, 'gone');
    startPoller(w, mapping(w, arn));
    w.store.delete(s);
    await settle();
    expect(w.clock.stats()).toEqual({ timers: 1, waiters: 0, busy: 0 });
    await advance(w, 10_000);
    expect(w.clock.stats()).toEqual({ timers: 1, waiters: 0, busy: 0 });
  });
});

describe('Disable and Enable (a new poller for the same mapping)', () => {
  it('resumes where it stopped: nothing delivered twice, nothing put meanwhile lost (LATEST) [doc]', async () => {
    const { arn } = createStream(w, 'resume');
    const m = mapping(w, arn, { startingPosition: 'LATEST', batchSize: 2 });
    const first = startPoller(w, m);
    for (let i = 1; i <= 3; i++) put(w, 'resume', 'k', `r${i}`);
    await settle(10);
    first.stop();
    for (let i = 4; i <= 6; i++) put(w, 'resume', 'k', `r${i}`);
    await settle();
    expect(sent(w)).toEqual(['r1', 'r2', 'r3']);
    startPoller(w, m);
    await settle(10);
    expect(sent(w)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('the same poller started again after a stop resumes too', async () => {
    const { arn } = createStream(w, 'restart');
    const p = startPoller(w, mapping(w, arn));
    put(w, 'restart', 'k', 'one');
    await settle();
    p.stop();
    put(w, 'restart', 'k', 'two');
    await settle();
    p.start();
    await settle();
    expect(sent(w)).toEqual(['one', 'two']);
  });

  it('waits for the batch still with the function: sent again only if it failed', async () => {
    const { arn } = createStream(w, 'inflight');
    const m = mapping(w, arn, { batchSize: 1 });
    let release!: (r: ReturnType<typeof ok>) => void;
    w.behave = (c) => (c.data.includes('slow') && !release ? new Promise((r) => (release = r)) : ok());
    const first = startPoller(w, m);
    put(w, 'inflight', 'k', 'slow');
    put(w, 'inflight', 'k', 'next');
    await settle();
    first.stop();
    startPoller(w, m);
    await settle();
    expect(sent(w)).toEqual(['slow']); // the new poller waits
    release(ok());
    await settle(10);
    expect(sent(w)).toEqual(['slow', 'next']);

    const again = startPoller(w, mapping(w, arn, { batchSize: 1 }));
    again.stop();
    w.calls.length = 0;
    const m2 = mapping(w, arn, { batchSize: 1, startingPosition: 'LATEST' });
    let release2!: (r: ReturnType<typeof ok>) => void;
    w.behave = (c) => (c.data.includes('fails') && !release2 ? new Promise((r) => (release2 = r)) : ok());
    const p2 = startPoller(w, m2);
    put(w, 'inflight', 'k', 'fails');
    await settle();
    p2.stop();
    startPoller(w, m2);
    release2(failed());
    await settle(10);
    expect(sent(w)).toEqual(['fails', 'fails']);
  });

  it('with several lanes: the lanes that ran ahead are not sent again', async () => {
    const { arn } = createStream(w, 'lanes');
    const m = mapping(w, arn, { batchSize: 1, parallelizationFactor: 2 });
    // Two keys in different lanes; key A's first record keeps failing.
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const laneOf = (k: string) => createHash('md5').update(k).digest().readUInt32BE(0) % 2;
    const A = keys.find((k) => laneOf(k) === 0)!;
    const B = keys.find((k) => laneOf(k) === 1)!;
    w.behave = (c) => (c.data.includes('A1') ? failed() : ok());
    const first = startPoller(w, m);
    put(w, 'lanes', A, 'A1');
    put(w, 'lanes', A, 'A2');
    for (let i = 1; i <= 3; i++) put(w, 'lanes', B, `B${i}`);
    await advance(w, 1_000);
    expect(sent(w).filter((d) => d.startsWith('B'))).toEqual(['B1', 'B2', 'B3']);
    first.stop();
    w.calls.length = 0;
    w.behave = () => ok();
    startPoller(w, m);
    await settle(10);
    expect(sent(w)).toEqual(['A1', 'A2']);
  });
});
