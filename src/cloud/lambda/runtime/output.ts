/**
 * A function's output on its way to CloudWatch Logs: stdout and stderr split into lines (a V8
 * out-of-memory dump cut off), each line an event of the invocation running at the time (or kept
 * for the next START when none is), handed to the log sink; and the point where an invocation's
 * output has fully arrived, so that it can finish.
 */
import type { Clock } from '../../clock';
import type { Environment, Invocation, LogEvent } from './environment';
import { isHeapOomText, lineToMessage } from './format';
import type { LogSink } from './types';

/** How much of an invocation's log text InvokeResult.log keeps (the tail); CloudWatch gets all of it. */
const MAX_RESULT_LOG_CHARS = 1024 * 1024;
/** Events buffered per invocation before they are handed to the sink early. */
const EVENT_FLUSH_THRESHOLD = 2000;

export class OutputRouter {
  constructor(
    private readonly clock: Clock,
    private readonly sink: LogSink,
    /** Called once an invocation has its outcome and all of its output. */
    private readonly finish: (inv: Invocation) => void,
  ) {}

  onOutput(env: Environment, which: 1 | 2, buf: Buffer): void {
    let text: string;
    if (which === 1) {
      env.outRead += buf.length;
      text = env.outPartial + env.outDec.write(buf);
    } else {
      env.errRead += buf.length;
      if (env.oom) {
        this.checkLogsComplete(env);
        return; // V8's OOM dump: not function output
      }
      text = env.errPartial + env.errDec.write(buf);
      if (isHeapOomText(text)) {
        env.oom = true;
        const cut = text.indexOf('<--- Last few GCs --->');
        const fatal = text.indexOf('FATAL ERROR');
        const at = [cut, fatal].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), text.length);
        text = text.slice(0, at);
        const nl = text.lastIndexOf('\n');
        text = nl >= 0 ? text.slice(0, nl + 1) : '';
      }
    }
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0) {
      const ts = this.clock.now();
      while (nl >= 0) {
        this.route(env, { timestamp: ts, message: lineToMessage(text.slice(start, nl)) });
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
    }
    const rest = start === 0 ? text : text.slice(start);
    if (which === 1) env.outPartial = rest;
    else env.errPartial = rest;
    this.checkLogsComplete(env);
  }

  flushPartial(env: Environment, which: 1 | 2): void {
    const rest = which === 1 ? env.outPartial + env.outDec.end() : env.oom ? '' : env.errPartial + env.errDec.end();
    if (which === 1) env.outPartial = '';
    else env.errPartial = '';
    if (rest.length > 0) this.route(env, { timestamp: this.clock.now(), message: lineToMessage(rest) });
  }

  private route(env: Environment, ev: LogEvent): void {
    const inv = env.current;
    if (inv && inv.delivered && !inv.finished) {
      inv.events.push(ev);
      if (inv.events.length >= EVENT_FLUSH_THRESHOLD) this.flushEarly(inv);
    } else {
      env.preEvents.push(ev);
    }
  }

  private flushEarly(inv: Invocation): void {
    const env = inv.env!;
    this.put(env, inv.events);
    inv.flushedText = appendTail(inv.flushedText, inv.events);
    inv.events = [];
  }

  put(env: Environment, events: LogEvent[]): void {
    if (events.length === 0) return;
    try {
      this.sink.put(env.spec.region, env.spec.accountId, env.spec.logGroupName, env.stream, events);
    } catch {
      /* a failing sink must not break invocations */
    }
  }

  checkLogsComplete(env: Environment): void {
    const inv = env.current;
    if (inv && inv.outcome && !inv.finished && env.outRead >= inv.wantOut && env.errRead >= inv.wantErr) this.finish(inv);
  }
}

/** The log text of an invocation so far (prefix + events), cut to its last MAX_RESULT_LOG_CHARS. */
export function appendTail(prefix: string, events: LogEvent[]): string {
  let s = prefix;
  for (const e of events) s += e.message;
  return s.length > MAX_RESULT_LOG_CHARS ? s.slice(s.length - MAX_RESULT_LOG_CHARS) : s;
}
