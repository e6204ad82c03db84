/**
 * EventBridge cron expressions: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC
 * [doc: "Cron expressions reference", EventBridge user guide]:
 *
 *   Minutes       0-59            , - * /
 *   Hours         0-23            , - * /
 *   Day-of-month  1-31            , - * ? / L W     (L last day; LW last weekday; 15W weekday nearest the 15th)
 *   Month         1-12 or JAN-DEC , - * /
 *   Day-of-week   1-7 or SUN-SAT  , - * ? L #       (6L last Friday; SAT#3 third Saturday; 1 = SUN)
 *   Year          1970-2199       , - * /
 *
 * One of Day-of-month and Day-of-week must be `?` (and not both): `cron(0 1 * * * *)` is refused
 * [rec]. Every refusal is AWS's one text, "Parameter ScheduleExpression is not valid." [rec], so
 * CronError carries a reason only for debugging. Ranges may wrap (FRI-MON, 22-2); steps are
 * `*`/n, a/n or a-b/n. L, LW, nW, nL and n#k stand alone in their field.
 */

export class CronError extends Error {}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: Field = { name: 'minutes', min: 0, max: 59 };
const HOURS: Field = { name: 'hours', min: 0, max: 23 };
const DOM: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTHS: Field = { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
const DOW: Field = { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEARS: Field = { name: 'year', min: 1970, max: 2199 };

export type DaySpec =
  | { kind: 'any' } // `?` in this field: the other one decides
  | { kind: 'set'; days: boolean[] }
  | { kind: 'last' } // dom L
  | { kind: 'lastWeekday' } // dom LW
  | { kind: 'nearestWeekday'; day: number } // dom 15W
  | { kind: 'lastOfWeekday'; dow: number } // dow 6L / L
  | { kind: 'nthWeekday'; dow: number; nth: number }; // dow 6#3

export interface CronSpec {
  minutes: boolean[];
  hours: boolean[];
  dom: DaySpec;
  months: boolean[];
  dow: DaySpec;
  /** Index = year - 1970. */
  years: boolean[];
}

function fail(reason: string): never {
  throw new CronError(reason);
}

function value(field: Field, text: string): number {
  const upper = text.toUpperCase();
  if (field.names) {
    const i = field.names.indexOf(upper);
    if (i >= 0) return i + field.min;
  }
  if (!/^\d+$/.test(text)) fail(`${field.name}: "${text}" is not a value`);
  const n = Number(text);
  if (n < field.min || n > field.max) fail(`${field.name}: ${n} is out of ${field.min}-${field.max}`);
  return n;
}

/** A field of plain items (`,` `-` `*` `/`) as a membership array indexed by value - field.min. */
function parseSet(field: Field, text: string, wrap: boolean): boolean[] {
  const span = field.max - field.min + 1;
  const out = new Array<boolean>(span).fill(false);
  if (text === '') fail(`${field.name}: empty`);
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) fail(`${field.name}: bad item "${item}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1 || (m[2] !== undefined && field !== YEARS && step > span)) fail(`${field.name}: bad step ${m[2]}`);
    let from: number;
    let to: number;
    if (m[1] === '*') {
      from = field.min;
      to = field.max;
    } else {
      const dash = m[1].split('-');
      if (dash.length > 2 || dash.some((s) => s === '')) fail(`${field.name}: bad range "${m[1]}"`);
      from = value(field, dash[0]);
      // `a/n` runs from a to the end of the field; a plain `a` is one value
      to = dash.length === 2 ? value(field, dash[1]) : m[2] !== undefined ? field.max : from;
    }
    if (to < from && !wrap) fail(`${field.name}: range ${from}-${to} runs backwards`);
    const count = to >= from ? to - from + 1 : span - from + to + 1;
    for (let k = 0; k < count; k += step) out[(from - field.min + k) % span] = true;
  }
  return out;
}

function parseDom(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const w = /^(\d+)W$/.exec(text);
  if (w) return { kind: 'nearestWeekday', day: value(DOM, w[1]) };
  if (/[LW]/i.test(text)) fail(`day-of-month: "${text}" mixes L/W with other values`);
  return { kind: 'set', days: parseSet(DOM, text, true) };
}

function parseDow(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'lastOfWeekday', dow: 7 };
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last) return { kind: 'lastOfWeekday', dow: value(DOW, last[1]) };
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
  if (nth) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) fail(`day-of-week: #${k} is out of 1-5`);
    return { kind: 'nthWeekday', dow: value(DOW, nth[1]), nth: k };
  }
  if (/[L#]/i.test(text)) fail(`day-of-week: "${text}" mixes L/# with other values`);
  return { kind: 'set', days: parseSet(DOW, text, true) };
}

/** Parse the six fields inside `cron(...)`. Throws CronError. */
export function parseCron(body: string): CronSpec {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) fail(`expected 6 fields, got ${parts.length}`);
  const [min, hour, dom, month, dow, year] = parts;
  if (/\?/.test(min + hour + month + year)) fail('? is only allowed in day-of-month or day-of-week');
  const spec: CronSpec = {
    minutes: parseSet(MINUTES, min, true),
    hours: parseSet(HOURS, hour, true),
    dom: parseDom(dom),
    months: parseSet(MONTHS, month, true),
    dow: parseDow(dow),
    years: parseSet(YEARS, year, false),
  };
  if ((spec.dom.kind === 'any') === (spec.dow.kind === 'any')) fail('exactly one of day-of-month and day-of-week must be ?');
  return spec;
}

// ------------------------------------------------------------------ next firing

const MINUTE = 60_000;
const DAY = 86_400_000;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based: day 0 of the next month
}

/** 0 = Sunday ... 6 = Saturday. */
function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function nearestWeekday(y: number, m: number, day: number): number | undefined {
  const last = daysInMonth(y, m);
  if (day > last) return undefined;
  const wd = weekday(y, m, day);
  if (wd === 6) return day === 1 ? 3 : day - 1; // Saturday: Friday before, or Monday the 3rd
  if (wd === 0) return day === last ? day - 2 : day + 1; // Sunday: Monday after, or Friday before
  return day;
}

function dayMatches(spec: CronSpec, y: number, m: number, d: number): boolean {
  const dom = spec.dom;
  switch (dom.kind) {
    case 'set':
      return dom.days[d - 1];
    case 'last':
      return d === daysInMonth(y, m);
    case 'lastWeekday': {
      const last = daysInMonth(y, m);
      const wd = weekday(y, m, last);
      return d === (wd === 6 ? last - 1 : wd === 0 ? last - 2 : last);
    }
    case 'nearestWeekday':
      return d === nearestWeekday(y, m, dom.day);
    default:
      break;
  }
  const dow = spec.dow;
  const wd = weekday(y, m, d) + 1; // 1 = SUN
  switch (dow.kind) {
    case 'set':
      return dow.days[wd - 1];
    case 'lastOfWeekday':
      return wd === dow.dow && d + 7 > daysInMonth(y, m);
    case 'nthWeekday':
      return wd === dow.dow && Math.ceil(d / 7) === dow.nth;
    default:
      return false;
  }
}

/** The first firing strictly after `afterMs` (whole minutes, UTC), or undefined when there is none (past 2199). */
export function nextCronTime(spec: CronSpec, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  for (;;) {
    const date = new Date(t);
    const y = date.getUTCFullYear();
    if (y > YEARS.max) return undefined;
    if (y < YEARS.min || !spec.years[y - YEARS.min]) {
      t = Date.UTC(y + 1, 0, 1);
      continue;
    }
    const m = date.getUTCMonth() + 1;
    if (!spec.months[m - 1]) {
      t = Date.UTC(y, m, 1); // the 1st of the next month (month index m is the next one)
      continue;
    }
    const d = date.getUTCDate();
    const dayStart = Date.UTC(y, m - 1, d);
    if (dayMatches(spec, y, m, d)) {
      const h0 = date.getUTCHours();
      for (let h = h0; h < 24; h++) {
        if (!spec.hours[h]) continue;
        for (let min = h === h0 ? date.getUTCMinutes() : 0; min < 60; min++) {
          if (spec.minutes[min]) return dayStart + h * 3_600_000 + min * MINUTE;
        }
      }
    }
    t = dayStart + DAY;
  }
}
