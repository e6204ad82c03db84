/**
 * What the console's execution result shows of a log: the REPORT line's numbers (duration, billed
 * duration, memory size, max memory used, init duration, status) as the AWS console's Test tab
 * reads them, and one invocation's lines out of the function's CloudWatch log group (for
 * asynchronous invocations, whose answer carries no log tail).
 */
import type { LogsStore } from '../../services/logs/store';

export interface ReportSummary {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Cold starts only. */
  initDurationMs?: number;
  /** "timeout", or "error" with errorType, for platform failures. */
  status?: string;
  errorType?: string;
}

const NUMBER = '(\\d+(?:\\.\\d+)?)';

/** The last REPORT line of a log text, parsed; undefined when there is none. */
export function parseReport(log: string): ReportSummary | undefined {
  const lines = log.split('\n').filter((l) => l.startsWith('REPORT RequestId: '));
  const line = lines[lines.length - 1];
  if (!line) return undefined;
  const field = (name: string) => {
    const m = new RegExp(`${name}: ${NUMBER}`).exec(line);
    return m ? Number(m[1]) : undefined;
  };
  const requestId = /^REPORT RequestId: (\S+)/.exec(line)?.[1] ?? '';
  const out: ReportSummary = {
    requestId,
    durationMs: field('Duration') ?? 0,
    billedDurationMs: field('Billed Duration') ?? 0,
    memorySizeMB: field('Memory Size') ?? 0,
    maxMemoryUsedMB: field('Max Memory Used') ?? 0,
  };
  const init = field('Init Duration');
  if (init !== undefined) out.initDurationMs = init;
  const status = /Status: (\w+)/.exec(line)?.[1];
  if (status) out.status = status;
  const errorType = /Error Type: (\S+)/.exec(line)?.[1];
  if (errorType) out.errorType = errorType;
  return out;
}

/** The lines of one request (every attempt) in a log group, oldest first, as one text. */
export function requestLog(logs: LogsStore, where: { accountId: string; region: string; group: string }, requestId: string): string {
  const group = logs.getGroup(where.accountId, where.region, where.group);
  if (!group) return '';
  const events: { timestamp: number; message: string }[] = [];
  for (const stream of group.streams.values()) {
    let inside = false;
    for (const e of stream.events) {
      // START ... REPORT of this request, and the function's lines carrying its id
      if (e.message.startsWith(`START RequestId: ${requestId}`)) inside = true;
      if (inside || e.message.includes(requestId)) events.push(e);
      if (e.message.startsWith(`REPORT RequestId: ${requestId}`)) inside = false;
    }
  }
  events.sort((a, b) => a.timestamp - b.timestamp);
  return events.map((e) => (e.message.endsWith('\n') ? e.message : `${e.message}\n`)).join('');
}
