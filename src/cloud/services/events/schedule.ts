/**
 * ScheduleExpression: `rate(value unit)` or `cron(fields)` [doc]. A rate rule first fires one
 * period after it was put (or enabled) and every period after that; a cron rule fires at each
 * matching whole minute, UTC. The times are virtual (the cloud's clock).
 */
import { CronError, nextCronTime, parseCron, type CronSpec } from './cron';

export interface Schedule {
  readonly expression: string;
  /** The first firing strictly after `afterMs`, for a schedule that started at `startMs`; undefined = never again. */
  next(afterMs: number, startMs: number): number | undefined;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parse a ScheduleExpression; undefined when AWS would refuse it (every refusal has the one text
 * "Parameter ScheduleExpression is not valid." [rec]).
 */
export function parseSchedule(expression: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const plural = rate[2].endsWith('s');
    // [doc] a value of 1 takes the singular unit, larger values the plural
    if (n < 1 || (n === 1) === plural) return undefined;
    const period = n * UNIT_MS[rate[2].replace(/s$/, '')];
    return {
      expression,
      next: (afterMs, startMs) => startMs + (Math.floor(Math.max(0, afterMs - startMs) / period) + 1) * period,
    };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    let spec: CronSpec;
    try {
      spec = parseCron(cron[1]);
    } catch (e) {
      if (e instanceof CronError) return undefined;
      throw e;
    }
    return { expression, next: (afterMs) => nextCronTime(spec, afterMs) };
  }
  return undefined;
}
