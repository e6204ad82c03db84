/**
 * /_testbed/clock and /_testbed/clock/advance on a running cloud: reading the clock, switching its
 * mode, advancing it (at once in compressed time, for real in real time) and refusing bad input.
 */
import { startCloud, type RunningCloud } from '../../src/cloud';

let cloud: RunningCloud;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
});

afterAll(async () => {
  await cloud.stop();
});

async function call(path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${cloud.endpoint}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('/_testbed/clock', () => {
  it('answers now, nowMs and mode, and the health document lists the clock capability', async () => {
    const { status, json } = await call('/_testbed/clock');
    expect(status).toBe(200);
    expect(json.mode).toBe('compressed');
    expect(typeof json.nowMs).toBe('number');
    expect(new Date(json.now).getTime()).toBe(json.nowMs);
    const health = await call('/_testbed/health');
    expect(health.json.capabilities.clock).toBe(true);
  });

  it('advance in compressed time reaches now + ms at once and runs what falls due on the way, at its own time', async () => {
    const before = (await call('/_testbed/clock')).json.nowMs as number;
    const seen: number[] = [];
    cloud.cloud.clock.setTimeout(() => seen.push(cloud.cloud.clock.now()), 90_000);
    const t = Date.now();
    const { status, json } = await call('/_testbed/clock/advance', { ms: 120_000 });
    expect(status).toBe(200);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(json.nowMs - before).toBeGreaterThanOrEqual(120_000);
    expect(json.nowMs - before).toBeLessThan(125_000);
    expect(seen).toHaveLength(1);
    expect(seen[0] - before).toBeGreaterThanOrEqual(90_000);
    expect(seen[0] - before).toBeLessThan(95_000);
  });

  it('in real mode, advance waits the time for real', async () => {
    expect((await call('/_testbed/clock', { mode: 'real' })).json.mode).toBe('real');
    try {
      const before = (await call('/_testbed/clock')).json.nowMs as number;
      const t = Date.now();
      const { json } = await call('/_testbed/clock/advance', { ms: 150 });
      expect(Date.now() - t).toBeGreaterThanOrEqual(140);
      expect(json.nowMs - before).toBeGreaterThanOrEqual(150);
      expect(json.nowMs - before).toBeLessThan(5_000);
    } finally {
      await call('/_testbed/clock', { mode: 'compressed' });
    }
  });

  it.each([
    ['/_testbed/clock', { mode: 'fast' }, /mode must be/],
    ['/_testbed/clock', '{not json', /JSON/],
    ['/_testbed/clock', [1], /object/],
    ['/_testbed/clock/advance', { ms: -1 }, /ms must be/],
    ['/_testbed/clock/advance', { ms: '5' }, /ms must be/],
    ['/_testbed/clock/advance', {}, /ms must be/],
  ])('POST %s %j is refused with 400 and the cloud keeps serving', async (path, body, message) => {
    const { status, json } = await call(path, body);
    expect(status).toBe(400);
    expect(json.error).toMatch(message);
    expect((await call('/_testbed/clock')).status).toBe(200);
  });

  it('GET on the advance endpoint is refused with 405', async () => {
    const res = await fetch(`${cloud.endpoint}/_testbed/clock/advance`);
    expect(res.status).toBe(405);
    await res.arrayBuffer();
  });
});
