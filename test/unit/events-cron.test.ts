/**
 * EventBridge schedule expressions: the cron parser (AWS's fields and wildcards, UTC), its
 * next-firing search, and rate(). Expressions AWS accepts and refuses are from AWS recordings
 * (LocalStack's test_events_schedule.snapshot.json) where marked [rec], the others from the docs.
 */
import { CronError, nextCronTime, parseCron } from '../../src/cloud/services/events/cron';
import { parseSchedule } from '../../src/cloud/services/events/schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `n` firings after `from`. */
function firings(expr: string, from: string, n: number): string[] {
  const spec = parseCron(expr);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextCronTime(spec, t);
    if (next === undefined) break;
    out.push(new Date(next).toISOString());
    t = next;
  }
  return out;
}

describe('cron: what AWS accepts and refuses', () => {
  // [rec] every one of these was put as a rule on AWS
  it.each([
    '0 10 * * ? *',
    '15 12 * * ? *',
    '0 18 ? * MON-FRI *',
    '0 8 1 * ? *',
    '0/15 * * * ? *',
    '0/10 * ? * MON-FRI *',
    '0/5 8-17 ? * MON-FRI *',
    '0/30 20-23 ? * MON-FRI *',
    '0/30 0-2 ? * MON-FRI *',
    '0 2 ? * SAT *',
    '0 12 * * ? *',
    '5,35 14 * * ? *',
    '15 10 ? * 6L 2002-2005',
    '0 2 ? * SAT#3 *',
    '* * ? * SAT#3 *',
    '0/5 5 ? JAN 1-5 2022',
    '0 20 * * ? *',
  ])('accepts cron(%s)', (expr) => {
    expect(() => parseCron(expr)).not.toThrow();
    expect(parseSchedule(`cron(${expr})`)).toBeDefined();
  });

  it.each([
    ['INVALID', 'rec'],
    ['0 dummy ? * MON-FRI *', 'rec'],
    ['7 20 * * NOT *', 'rec'],
    ['71 8 1 * ? *', 'rec'],
    ['0 1 * * * *', 'rec: day-of-month and day-of-week both given'],
    ['0 1 ? * ? *', 'both ?'],
    ['0 1 * *', 'too few fields'],
    ['0 1 * * ? * *', 'too many fields'],
    ['0 24 * * ? *', 'hour 24'],
    ['0 0 32 * ? *', 'day 32'],
    ['0 0 0 * ? *', 'day 0'],
    ['0 0 * 13 ? *', 'month 13'],
    ['0 0 ? * 8 *', 'day-of-week 8'],
    ['0 0 ? * 0 *', 'day-of-week 0'],
    ['0 0 * * ? 1969', 'year before 1970'],
    ['0 0 * * ? 2200', 'year after 2199'],
    ['0 0 * * ? 2005-2002', 'backwards year range'],
    ['? 0 * * ? *', '? in minutes'],
    ['0/0 * * * ? *', 'step 0'],
    ['0/61 * * * ? *', 'step past the field'],
    ['0 0 L,5 * ? *', 'L in a list'],
    ['0 0 ? * SAT#6 *', '#6'],
    ['0 0 ? * 6L,2 *', 'L in a day-of-week list'],
    ['1-2-3 * * * ? *', 'double range'],
    ['a * * * ? *', 'not a value'],
    [',5 * * * ? *', 'empty list item'],
  ])('refuses cron(%s) (%s)', (expr) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(parseSchedule(`cron(${expr})`)).toBeUndefined();
  });
});

describe('cron: next firings (UTC)', () => {
  it('every day at 10:00', () => {
    expect(firings('0 10 * * ? *', '2024-03-01T09:59:59Z', 3)).toEqual(['2024-03-01T10:00:00.000Z', '2024-03-02T10:00:00.000Z', '2024-03-03T10:00:00.000Z']);
  });

  it('strictly after the given time (10:00 itself is not next)', () => {
    expect(firings('0 10 * * ? *', '2024-03-01T10:00:00Z', 1)).toEqual(['2024-03-02T10:00:00.000Z']);
  });

  it('every 15 minutes from 0 (0/15) and every 20 (*/20)', () => {
    expect(firings('0/15 * * * ? *', '2024-03-01T10:07:00Z', 4)).toEqual([
      '2024-03-01T10:15:00.000Z',
      '2024-03-01T10:30:00.000Z',
      '2024-03-01T10:45:00.000Z',
      '2024-03-01T11:00:00.000Z',
    ]);
    expect(firings('*/20 * * * ? *', '2024-03-01T10:07:00Z', 3)).toEqual(['2024-03-01T10:20:00.000Z', '2024-03-01T10:40:00.000Z', '2024-03-01T11:00:00.000Z']);
  });

  it('lists, ranges and weekdays: 5,35 past 14h MON-FRI', () => {
    // 2024-03-01 is a Friday
    expect(firings('5,35 14 ? * MON-FRI *', '2024-03-01T14:10:00Z', 3)).toEqual([
      '2024-03-01T14:35:00.000Z',
      '2024-03-04T14:05:00.000Z',
      '2024-03-04T14:35:00.000Z',
    ]);
  });

  it('day-of-week numbers: 1 is Sunday, 7 is Saturday; names are case-insensitive', () => {
    expect(firings('0 0 ? * 1 *', '2024-03-01T00:00:00Z', 1)).toEqual(['2024-03-03T00:00:00.000Z']);
    expect(firings('0 0 ? * 7 *', '2024-03-01T00:00:00Z', 1)).toEqual(['2024-03-02T00:00:00.000Z']);
    expect(firings('0 0 ? * sat *', '2024-03-01T00:00:00Z', 1)).toEqual(['2024-03-02T00:00:00.000Z']);
  });

  it('a range that wraps: FRI-MON, hours 22-1', () => {
    expect(firings('0 0 ? * FRI-MON *', '2024-03-01T00:00:00Z', 4)).toEqual([
      '2024-03-02T00:00:00.000Z',
      '2024-03-03T00:00:00.000Z',
      '2024-03-04T00:00:00.000Z',
      '2024-03-08T00:00:00.000Z',
    ]);
    expect(firings('0 22-1 * * ? *', '2024-03-01T12:00:00Z', 4)).toEqual([
      '2024-03-01T22:00:00.000Z',
      '2024-03-01T23:00:00.000Z',
      '2024-03-02T00:00:00.000Z',
      '2024-03-02T01:00:00.000Z',
    ]);
  });

  it('L: the last day of the month (leap February too)', () => {
    expect(firings('0 12 L * ? *', '2024-01-15T00:00:00Z', 3)).toEqual(['2024-01-31T12:00:00.000Z', '2024-02-29T12:00:00.000Z', '2024-03-31T12:00:00.000Z']);
  });

  it('LW: the last weekday of the month', () => {
    // 2024-03-31 is a Sunday -> Friday 29th; 2024-08-31 a Saturday -> Friday 30th; 2024-04-30 a Tuesday
    expect(firings('0 0 LW * ? 2024', '2024-03-01T00:00:00Z', 2)).toEqual(['2024-03-29T00:00:00.000Z', '2024-04-30T00:00:00.000Z']);
    expect(firings('0 0 LW 8 ? 2024', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-08-30T00:00:00.000Z']);
  });

  it('nW: the weekday nearest the day, not leaving the month', () => {
    // 2024-06-15 is a Saturday -> Friday 14th; 2024-09-15 a Sunday -> Monday 16th;
    // 2024-06-01 is a Saturday -> Monday 3rd (not May 31st)
    expect(firings('0 0 15W 6 ? 2024', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-06-14T00:00:00.000Z']);
    expect(firings('0 0 15W 9 ? 2024', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-09-16T00:00:00.000Z']);
    expect(firings('0 0 1W 6 ? 2024', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-06-03T00:00:00.000Z']);
  });

  it('6L: the last Friday of the month; SAT#3: the third Saturday', () => {
    expect(firings('15 10 ? * 6L 2024', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-26T10:15:00.000Z', '2024-02-23T10:15:00.000Z', '2024-03-29T10:15:00.000Z']);
    expect(firings('0 2 ? * SAT#3 *', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-20T02:00:00.000Z', '2024-02-17T02:00:00.000Z']);
  });

  it('months by name and years: JAN 1-5 2022 every 5 minutes at 05h; nothing after the last year', () => {
    const f = firings('0/5 5 ? JAN 1-5 2022', '2021-06-01T00:00:00Z', 2);
    expect(f).toEqual(['2022-01-02T05:00:00.000Z', '2022-01-02T05:05:00.000Z']); // 2022-01-02 is the first Sunday
    expect(iso(nextCronTime(parseCron('0 0 1 1 ? 2022'), at('2022-01-01T00:00:00Z')))).toBeUndefined();
    expect(firings('0 0 29 2 ? *', '2025-01-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
  });

  it('ends after 2199', () => {
    expect(nextCronTime(parseCron('0 0 1 1 ? *'), at('2199-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('rate()', () => {
  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)'])('accepts %s', (e) => {
    expect(parseSchedule(e)).toBeDefined();
  });

  it.each(['rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)', 'rate(-1 minutes)', 'rate(5 seconds)', 'rate(5  minutes)', 'rate(5minutes)', 'rate()', 'rate(1.5 hours)', 'every 5 minutes', 'cron()'])(
    'refuses %s',
    (e) => {
      expect(parseSchedule(e)).toBeUndefined();
    },
  );

  it('fires one period after the start, then every period', () => {
    const s = parseSchedule('rate(5 minutes)')!;
    const start = at('2024-03-01T10:00:30Z');
    expect(iso(s.next(start, start))).toBe('2024-03-01T10:05:30.000Z');
    expect(iso(s.next(at('2024-03-01T10:05:30Z'), start))).toBe('2024-03-01T10:10:30.000Z');
    expect(iso(s.next(at('2024-03-01T10:07:00Z'), start))).toBe('2024-03-01T10:10:30.000Z');
    expect(iso(parseSchedule('rate(1 day)')!.next(start, start))).toBe('2024-03-02T10:00:30.000Z');
  });
});
