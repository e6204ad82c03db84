/**
 * Kinesis without HTTP: hash keys and routing, sequence numbers as AWS prints them, shard ids,
 * resharding (split, merge, uniform scaling) and its lineage, a shard's reads, retention and write
 * window, iterators, and the store's in-process API for the Lambda poller.
 */
import { Clock } from '../../src/cloud/clock';
import { evenRanges, HASH_SPACE, MAX_HASH_KEY, partitionHashKey } from '../../src/cloud/services/kinesis/hashing';
import { IteratorCodec } from '../../src/cloud/services/kinesis/iterator';
import { compareSequence, decodeSequence, encodeSequence, parseShardId, shardIdName, startingSequence } from '../../src/cloud/services/kinesis/sequence';
import { Shard } from '../../src/cloud/services/kinesis/shard';
import { KinesisStore, parseStreamArn, streamArn } from '../../src/cloud/services/kinesis/store';
import { Stream } from '../../src/cloud/services/kinesis/stream';
import type { StreamEvent } from '../../src/cloud/services/kinesis/types';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

describe('hash keys', () => {
  it('are the MD5 of the UTF-8 partition key as an unsigned 128-bit integer', () => {
    // python3: int(hashlib.md5(b'a').hexdigest(), 16)
    expect(partitionHashKey('a')).toBe(16955237001963240173058271559858726497n);
    expect(partitionHashKey('ü')).toBe(BigInt('0x' + require('node:crypto').createHash('md5').update(Buffer.from('ü', 'utf8')).digest('hex')));
    expect(MAX_HASH_KEY).toBe(340282366920938463463374607431768211455n);
  });

  it('split the space as AWS does for a new stream (3 shards: AWS-observed boundaries)', () => {
    const r = evenRanges(3);
    expect(r.map((x) => [x.start.toString(), x.end.toString()])).toEqual([
      ['0', '113427455640312821154458202477256070484'],
      ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ]);
  });

  it.each([1, 2, 4, 7, 100])('cover the whole space without gaps for %i shards', (n) => {
    const r = evenRanges(n);
    expect(r[0].start).toBe(0n);
    expect(r[n - 1].end).toBe(HASH_SPACE - 1n);
    for (let i = 1; i < n; i++) expect(r[i].start).toBe(r[i - 1].end + 1n);
  });
});

describe('sequence numbers', () => {
  it("decode the Lambda docs' example: 56 digits, shard 6, the record's arrival second", () => {
    const p = decodeSequence('49590338271490256608559692538361571095921575989136588898');
    expect(p).toEqual({ shardCreateSecs: 1542776258, shardIndex: 6, seqIndex: 1734642199n, seqTimeSecs: 1545084650 });
    expect(encodeSequence(p!).toString()).toBe('49590338271490256608559692538361571095921575989136588898');
  });

  it('rise per shard with the sequence index, and print as 56 digits', () => {
    const now = 1_700_000_000;
    const a = encodeSequence({ shardCreateSecs: now, shardIndex: 3, seqIndex: 1n, seqTimeSecs: now + 50 });
    const b = encodeSequence({ shardCreateSecs: now, shardIndex: 3, seqIndex: 2n, seqTimeSecs: now });
    expect(b > a).toBe(true);
    expect(a.toString()).toHaveLength(56);
    expect(compareSequence(a.toString(), b.toString())).toBe(-1);
    expect(compareSequence(b.toString(), a.toString())).toBe(1);
    expect(startingSequence(now, 3) < a).toBe(true);
  });

  it('of a later-created shard are higher than any of an older one', () => {
    const parentLast = encodeSequence({ shardCreateSecs: 100, shardIndex: 0, seqIndex: (1n << 63n) - 1n, seqTimeSecs: 900 });
    expect(startingSequence(101, 5) > parentLast).toBe(true);
  });

  it('that this service did not make are refused', () => {
    expect(decodeSequence('5')).toBeUndefined();
    expect(decodeSequence('0')).toBeUndefined();
    expect(decodeSequence('not a number')).toBeUndefined();
    // [obs] version 0/3/4 and an index with the top bit set are invalid
    expect(decodeSequence(BigInt('0x20000000000000000000000000000000000000000000000').toString())).toBeUndefined();
    expect(decodeSequence(BigInt('0x20000000000000000000000000000000000000000000004').toString())).toBeUndefined();
    expect(decodeSequence(BigInt('0x20000000000800000000000000000000000000000000002').toString())).toBeUndefined();
  });

  it('say which shard they belong to, even a negative one as AWS prints it', () => {
    const p = decodeSequence(BigInt('0x20000000000000000000000000000000000000800000002').toString());
    expect(p?.shardIndex).toBe(-2147483648);
    expect(shardIdName(p!.shardIndex)).toBe('shardId--02147483648');
  });
});

describe('shard ids', () => {
  it.each([
    ['shardId-000000000005', 5],
    ['shardId-5', 5],
    ['shard-5', 5],
    ['5', 5],
    ['a-00002147483647', 2147483647],
    ['-00002147483647', 2147483647],
  ])('%s names shard %i', (id, n) => {
    expect(parseShardId(id)).toBe(n);
  });

  it.each(['2147483648', 'shardId-002147483648', 'ABKLFD8', '2.14E4', 'shardId-'])('%s names no shard', (id) => {
    expect(parseShardId(id)).toBeUndefined();
  });

  it('print with 12 digits', () => {
    expect(shardIdName(0)).toBe('shardId-000000000000');
    expect(shardIdName(2147483647)).toBe('shardId-002147483647');
  });
});

function newStream(shards: number, t = 1_700_000_000_000): Stream {
  const s = new Stream(ACCOUNT, REGION, 's', streamArn(ACCOUNT, REGION, 's'), t, 'PROVISIONED');
  s.addInitialShards(shards);
  return s;
}

/** Every open shard, sorted by hash key, covers the space without gaps. */
function expectCovering(s: Stream): void {
  const open = [...s.openShards];
  expect(open[0].start).toBe(0n);
  expect(open.at(-1)!.end).toBe(MAX_HASH_KEY);
  for (let i = 1; i < open.length; i++) expect(open[i].start).toBe(open[i - 1].end + 1n);
}

/** The ids of a shard's ancestors, nearest first. */
function ancestors(s: Stream, shardId: string): string[] {
  const byId = new Map(s.shards.map((x) => [x.shardId, x]));
  const out: string[] = [];
  const walk = (id: string | undefined) => {
    if (!id) return;
    out.push(id);
    const p = byId.get(id)!;
    walk(p.parentShardId);
    walk(p.adjacentParentShardId);
  };
  const me = byId.get(shardId)!;
  walk(me.parentShardId);
  walk(me.adjacentParentShardId);
  return out;
}

describe('routing and resharding', () => {
  it('routes a hash key to the open shard whose range holds it', () => {
    const s = newStream(4);
    for (const key of [0n, 1n, MAX_HASH_KEY, HASH_SPACE / 4n - 1n, HASH_SPACE / 4n, partitionHashKey('a'), partitionHashKey('zzz')]) {
      const shard = s.route(key);
      expect(shard.contains(key)).toBe(true);
      expect(shard.open).toBe(true);
    }
    expect(s.route(partitionHashKey('a')).shardId).toBe('shardId-000000000000'); // 0x0cc1... is in the first quarter
  });

  it('a split closes the parent and opens two children with its lineage and the split ranges', () => {
    const s = newStream(1);
    const parent = s.shards[0];
    const [low, high] = s.split(parent, 1000n, 1_700_000_005_000);
    expect(parent.open).toBe(false);
    expect(BigInt(parent.endingSequenceNumber!) < low.startingSeq).toBe(true);
    expect([low.shardId, low.parentShardId, low.start, low.end]).toEqual(['shardId-000000000001', 'shardId-000000000000', 0n, 999n]);
    expect([high.shardId, high.parentShardId, high.start, high.end]).toEqual(['shardId-000000000002', 'shardId-000000000000', 1000n, MAX_HASH_KEY]);
    expect(s.route(999n)).toBe(low);
    expect(s.route(1000n)).toBe(high);
    expectCovering(s);
  });

  it('a merge closes both parents and opens one child with ParentShardId and AdjacentParentShardId', () => {
    const s = newStream(2);
    const [a, b] = s.shards;
    const child = s.merge(a, b, 1_700_000_005_000);
    expect([child.parentShardId, child.adjacentParentShardId, child.start, child.end]).toEqual([a.shardId, b.shardId, 0n, MAX_HASH_KEY]);
    expect(a.open || b.open).toBe(false);
    expect(child.startingSeq > BigInt(b.endingSequenceNumber!)).toBe(true);
    expectCovering(s);
  });

  it.each([
    [1, 2],
    [2, 4],
    [2, 1],
    [4, 2],
    [3, 4],
    [4, 3],
    [3, 5],
    [5, 3],
    [4, 7],
  ])('UNIFORM_SCALING %i -> %i ends with even ranges, every new shard descending from the old ones', (from, to) => {
    const s = newStream(from);
    const original = new Set(s.shards.map((x) => x.shardId));
    s.scaleUniform(to, 1_700_000_005_000);
    expect(s.openShards).toHaveLength(to);
    expectCovering(s);
    const even = evenRanges(to);
    s.openShards.forEach((shard, i) => {
      const tolerance = BigInt(from + to);
      expect(shard.start >= even[i].start - tolerance && shard.start <= even[i].start + tolerance).toBe(true);
    });
    for (const shard of s.openShards) {
      expect(original.has(shard.shardId)).toBe(false);
      expect(ancestors(s, shard.shardId).some((id) => original.has(id))).toBe(true);
    }
    for (const id of original) expect(s.shards.find((x) => x.shardId === id)!.open).toBe(false);
  });

  it('doubling splits every shard once (no short-lived shards) and halving merges pairs', () => {
    const up = newStream(2);
    up.scaleUniform(4, 1_700_000_005_000);
    expect(up.shards).toHaveLength(6);
    const down = newStream(4);
    down.scaleUniform(2, 1_700_000_005_000);
    expect(down.shards).toHaveLength(6);
    expect(down.openShards.map((x) => [x.parentShardId, x.adjacentParentShardId])).toEqual([
      ['shardId-000000000000', 'shardId-000000000001'],
      ['shardId-000000000002', 'shardId-000000000003'],
    ]);
  });
});

describe('a shard', () => {
  const t0 = 1_700_000_000_000;

  it('reads in sequence order after a position, by count and by size (at least one record)', () => {
    const sh = new Shard(0, 0n, MAX_HASH_KEY, t0, t0 / 1000);
    const recs = [1, 2, 3, 4, 5].map((i) => sh.append(`k${i}`, Buffer.alloc(10, i), t0 + i));
    expect(sh.readAfter(sh.startingSeq, 2).records.map((r) => r.partitionKey)).toEqual(['k1', 'k2']);
    expect(sh.readAfter(recs[1].seq, 10).records.map((r) => r.partitionKey)).toEqual(['k3', 'k4', 'k5']);
    expect(sh.readAfter(recs[1].seq, 10).rest).toBe(0);
    expect(sh.readAfter(recs[4].seq, 10).records).toEqual([]);
    const bySize = sh.readAfter(sh.startingSeq, 10, 25);
    expect(bySize.records).toHaveLength(2); // 12 bytes each
    expect(bySize.rest).toBe(3);
    expect(bySize.nextArrival).toBe(t0 + 3);
    expect(sh.readAfter(sh.startingSeq, 10, 1).records).toHaveLength(1);
  });

  it('finds the first record at or after a timestamp (LATEST when none)', () => {
    const sh = new Shard(0, 0n, MAX_HASH_KEY, t0, t0 / 1000);
    const recs = [100, 200, 300].map((dt) => sh.append('k', Buffer.from('x'), t0 + dt));
    expect(sh.readAfter(sh.afterTimestamp(t0 + 150), 10).records[0]).toBe(recs[1]);
    expect(sh.readAfter(sh.afterTimestamp(t0 + 200), 10).records[0]).toBe(recs[1]);
    expect(sh.readAfter(sh.afterTimestamp(t0), 10).records).toHaveLength(3);
    expect(sh.afterTimestamp(t0 + 301)).toBe(recs[2].seq);
  });

  it('keeps arrival times from going backwards', () => {
    const sh = new Shard(0, 0n, MAX_HASH_KEY, t0, t0 / 1000);
    sh.append('k', Buffer.from('a'), t0 + 500);
    expect(sh.append('k', Buffer.from('b'), t0 + 100).arrival).toBe(t0 + 500);
  });

  it('drops records older than the cutoff from the head', () => {
    const sh = new Shard(0, 0n, MAX_HASH_KEY, t0, t0 / 1000);
    for (let i = 0; i < 3000; i++) sh.append('k', Buffer.from('x'), t0 + i);
    sh.trim(t0 + 2500);
    expect(sh.size).toBe(500);
    expect(sh.readAfter(sh.startingSeq, 1).records[0].arrival).toBe(t0 + 2500);
    expect(sh.lastSeq).toBe(sh.readAfter(sh.startingSeq, 10_000).records.at(-1)!.seq);
  });

  it('admits 1,000 records and 1 MiB per second, and a new second starts afresh', () => {
    const sh = new Shard(0, 0n, MAX_HASH_KEY, t0, t0 / 1000);
    for (let i = 0; i < 1000; i++) expect(sh.admit(t0 + 10, 1)).toBe(true);
    expect(sh.admit(t0 + 999, 1)).toBe(false);
    expect(sh.admit(t0 + 1000, 1024 * 1024)).toBe(true);
    expect(sh.admit(t0 + 1500, 1)).toBe(false);
    expect(sh.admit(t0 + 2000, 1024 * 1024 + 1)).toBe(false);
  });
});

describe('shard iterators', () => {
  const codec = new IteratorCodec();
  const state = { createdAt: 1_700_000_000_000, accountId: ACCOUNT, region: REGION, streamName: 'a'.repeat(128), streamCreatedAt: 1_699_999_999_000, shardIndex: 7, after: encodeSequence({ shardCreateSecs: 1_699_999_999, shardIndex: 7, seqIndex: 12345n, seqTimeSecs: 1_700_000_000 }) };

  it('carry their state, look like AWS iterators and fit the 512-character limit', () => {
    const it1 = codec.encode(state);
    expect(it1.startsWith('AAAAAAAAAA')).toBe(true);
    expect(it1.length).toBeLessThanOrEqual(512);
    expect(codec.decode(it1)).toEqual(state);
    expect(codec.decode(`"${it1}"`)).toEqual(state);
  });

  it('are new every time, and refused when tampered with or made elsewhere', () => {
    const a = codec.encode(state);
    expect(codec.encode(state)).not.toBe(a);
    const bytes = Buffer.from(a, 'base64');
    bytes[20] ^= 1;
    expect(codec.decode(bytes.toString('base64'))).toBeUndefined();
    expect(new IteratorCodec().decode(a)).toBeUndefined();
    expect(codec.decode('not an iterator')).toBeUndefined();
    expect(codec.decode('AAAA')).toBeUndefined();
  });
});

describe('the in-process API', () => {
  let clock: Clock;
  let store: KinesisStore;
  let arn: string;
  beforeEach(() => {
    clock = new Clock('real');
    store = new KinesisStore(clock);
    arn = store.create(ACCOUNT, REGION, 'orders', 'PROVISIONED', 2, {}).arn;
  });
  afterEach(() => clock.clear());

  const put = (key: string, data = key) => {
    const s = store.get(ACCOUNT, REGION, 'orders')!;
    const shard = s.route(partitionHashKey(key));
    shard.append(key, Buffer.from(data), clock.now());
    store.notify(s, shard.shardId);
    return shard.shardId;
  };

  it('finds streams by ARN and lists shards with lineage and state', () => {
    expect(parseStreamArn(arn)).toEqual({ region: REGION, accountId: ACCOUNT, name: 'orders' });
    expect(store.byArn(arn)).toEqual({ arn, name: 'orders', status: 'ACTIVE', retentionHours: 24 });
    expect(store.byArn(`${arn}-nope`)).toBeUndefined();
    const s = store.get(ACCOUNT, REGION, 'orders')!;
    s.split(s.shards[0], 1000n, clock.now());
    const views = store.shards(arn)!;
    expect(views.map((v) => [v.shardId, v.open, v.parentShardId])).toEqual([
      ['shardId-000000000000', false, undefined],
      ['shardId-000000000001', true, undefined],
      ['shardId-000000000002', true, 'shardId-000000000000'],
      ['shardId-000000000003', true, 'shardId-000000000000'],
    ]);
    expect(views[0].endingSequenceNumber).toMatch(/^\d{56}$/);
  });

  it('reads from TRIM_HORIZON, LATEST, AT_TIMESTAMP and after a sequence number', () => {
    // The real clock may tick between the put and reading it: hold wall time still across both.
    const still = jest.spyOn(Date, 'now').mockReturnValue(Date.now());
    const shardId = put('a', 'one');
    const t1 = clock.now();
    still.mockRestore();
    clock.advance(1000);
    put('a', 'two');
    const latest = store.position(arn, shardId, { type: 'LATEST' })!;
    put('a', 'three');
    const all = store.read(arn, shardId, store.position(arn, shardId, { type: 'TRIM_HORIZON' })!, 10)!;
    expect(all.records.map((r) => r.data.toString())).toEqual(['one', 'two', 'three']);
    expect(all.records[0]).toMatchObject({ shardId, partitionKey: 'a', approximateArrivalTimestamp: t1 });
    expect(store.read(arn, shardId, latest, 10)!.records.map((r) => r.data.toString())).toEqual(['three']);
    const fromTs = store.position(arn, shardId, { type: 'AT_TIMESTAMP', timestampMs: t1 + 1 })!;
    expect(store.read(arn, shardId, fromTs, 10)!.records.map((r) => r.data.toString())).toEqual(['two', 'three']);
    const seq2 = all.records[1].sequenceNumber;
    expect(store.read(arn, shardId, store.position(arn, shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: seq2 })!, 10)!.records).toHaveLength(2);
    expect(store.read(arn, shardId, store.position(arn, shardId, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: seq2 })!, 10)!.records).toHaveLength(1);
    expect(store.position(arn, shardId, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '12' })).toBeUndefined();
    expect(store.position(arn, 'shardId-000000000099', { type: 'LATEST' })).toBeUndefined();
  });

  it('pages with a cursor, reports how far behind, and says when a closed shard is drained', () => {
    const shardId = put('a', '1');
    clock.advance(2000);
    put('a', '2');
    put('a', '3');
    let cursor = store.position(arn, shardId, { type: 'TRIM_HORIZON' })!;
    const first = store.read(arn, shardId, cursor, 1)!;
    expect(first.records.map((r) => r.data.toString())).toEqual(['1']);
    expect(first.millisBehindLatest).toBeGreaterThanOrEqual(0);
    expect(first.closed).toBe(false);
    cursor = first.next;
    const s = store.get(ACCOUNT, REGION, 'orders')!;
    s.split(s.shard(Number(shardId.slice(8)), clock.now())!, s.shards[0].start + 2n ** 100n, clock.now());
    const second = store.read(arn, shardId, cursor, 1)!;
    expect([second.closed, second.drained]).toEqual([true, false]);
    const third = store.read(arn, shardId, second.next, 10)!;
    expect(third.records.map((r) => r.data.toString())).toEqual(['3']);
    expect([third.drained, third.millisBehindLatest]).toEqual([true, 0]);
    const empty = store.read(arn, shardId, third.next, 10)!;
    expect([empty.records.length, empty.next, empty.drained]).toEqual([0, third.next, true]);
  });

  it('tells subscribers once per write batch which shards got records, then resharding and deletion', async () => {
    const events: StreamEvent[] = [];
    const stop = store.subscribe(arn, (e) => events.push(e));
    const a = put('a');
    put('a');
    const b = put('b');
    expect(events).toEqual([]); // not inside the write
    await Promise.resolve();
    expect(events).toEqual([{ type: 'records', shardIds: [...new Set([a, b])] }]);
    const s = store.get(ACCOUNT, REGION, 'orders')!;
    store.update(s, () => s.split(s.shards[0], 1000n, clock.now()));
    await Promise.resolve();
    expect(events.at(-1)).toEqual({ type: 'resharded' });
    store.delete(s);
    await Promise.resolve();
    expect(events.at(-1)).toEqual({ type: 'deleted' });
    expect(store.byArn(arn)).toBeUndefined();
    stop();
    store.create(ACCOUNT, REGION, 'orders', 'PROVISIONED', 1, {});
    put('x');
    await Promise.resolve();
    expect(events).toHaveLength(3);
  });

  it('keeps a stream CREATING, UPDATING and DELETING for stateTransitionMs of virtual time', () => {
    store.stateTransitionMs = 5000;
    const s = store.create(ACCOUNT, REGION, 'slow', 'PROVISIONED', 1, {});
    expect(s.status).toBe('CREATING');
    clock.advance(4000); // (real time runs too: leave it a margin)
    expect(s.status).toBe('CREATING');
    clock.advance(1000);
    expect(s.status).toBe('ACTIVE');
    store.update(s, () => s.split(s.shards[0], 1000n, clock.now()));
    expect([s.status, s.openShards.length]).toEqual(['UPDATING', 1]);
    clock.advance(5000);
    expect([s.status, s.openShards.length]).toEqual(['ACTIVE', 2]);
    store.delete(s);
    expect(s.status).toBe('DELETING');
    expect(store.get(ACCOUNT, REGION, 'slow')).toBe(s);
    clock.advance(5000);
    expect(store.get(ACCOUNT, REGION, 'slow')).toBeUndefined();
  });

  it('trims records past the retention period on the virtual clock, and expires closed shards', () => {
    const shardId = put('a', 'old');
    clock.advance(23 * 3_600_000);
    put('a', 'new');
    const horizon = () => store.read(arn, shardId, store.position(arn, shardId, { type: 'TRIM_HORIZON' })!, 10)!.records.map((r) => r.data.toString());
    expect(horizon()).toEqual(['old', 'new']);
    clock.advance(3_600_000 + 1);
    expect(horizon()).toEqual(['new']);
    const s = store.get(ACCOUNT, REGION, 'orders')!;
    s.split(s.shards[1], s.shards[1].start + 2n ** 100n, clock.now());
    expect(store.shards(arn)!.some((v) => v.shardId === 'shardId-000000000001')).toBe(true);
    clock.advance(24 * 3_600_000 + 1);
    expect(store.shards(arn)!.some((v) => v.shardId === 'shardId-000000000001')).toBe(false);
    expect(store.read(arn, 'shardId-000000000001', '0', 10)).toBeUndefined();
  });
});
