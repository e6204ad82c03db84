/** How many batches an SQS mapping runs at once [doc]: 5 at first, +300 a minute, back-off, back to 5. */
import { BACKOFF_PAUSE_MS, INITIAL_CONCURRENCY, MAX_CONCURRENCY, Scaler } from '../../src/cloud/lambda/pollers/scaling';

function scaler() {
  let now = 1_000_000;
  const s = new Scaler(() => now);
  return { s, advance: (ms: number) => (now += ms) };
}

it('starts at 5', () => {
  expect(scaler().s.concurrency).toBe(INITIAL_CONCURRENCY);
});

it('grows by 300 a minute while messages keep waiting, from when the backlog began', () => {
  const { s, advance } = scaler();
  advance(3_600_000); // an idle hour does not count
  s.saturated();
  expect(s.concurrency).toBe(5);
  advance(30_000);
  s.saturated();
  expect(s.concurrency).toBe(5 + 150);
  advance(30_000);
  s.saturated();
  expect(s.concurrency).toBe(5 + 300);
});

it('grows in steps as short as 200 ms (300 a minute), and stops at 1,000', () => {
  const { s, advance } = scaler();
  s.saturated();
  advance(199);
  s.saturated();
  expect(s.concurrency).toBe(5);
  advance(1);
  s.saturated();
  expect(s.concurrency).toBe(6);
  advance(10 * 60_000);
  s.saturated();
  expect(s.concurrency).toBe(MAX_CONCURRENCY);
});

it('goes back to 5 when the queue runs dry', () => {
  const { s, advance } = scaler();
  s.saturated();
  advance(60_000);
  s.saturated();
  expect(s.concurrency).toBe(305);
  s.idle();
  expect(s.concurrency).toBe(5);
  advance(60_000);
  s.saturated(); // a new backlog starts counting now
  expect(s.concurrency).toBe(5);
});

it('backs off to what the function runs when throttled, and pauses growth for a minute', () => {
  const { s, advance } = scaler();
  s.throttled(2);
  expect(s.concurrency).toBe(2);
  s.saturated();
  advance(BACKOFF_PAUSE_MS - 1);
  s.saturated();
  expect(s.concurrency).toBe(2);
  advance(1 + 1000);
  s.saturated();
  expect(s.concurrency).toBe(2 + 5);
});

it('never goes below one, and a function error takes one step down', () => {
  const { s } = scaler();
  s.throttled(0);
  expect(s.concurrency).toBe(1);
  s.failed();
  expect(s.concurrency).toBe(1);
  const other = scaler().s;
  other.failed();
  expect(other.concurrency).toBe(4);
});

it('a throttle never raises the value', () => {
  const { s } = scaler();
  s.throttled(50);
  expect(s.concurrency).toBe(5);
});
