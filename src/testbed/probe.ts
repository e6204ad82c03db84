/**
 * Reader side of the portable probe (writer: functions/_shared/probe.ts).
 *
 * Each sample-function invocation writes one `TESTBED_PROBE {json}` line to its log group; this module
 * finds them through CloudWatch Logs FilterLogEvents, which every target (embedded, LocalStack, AWS)
 * serves, so scenarios can assert on what the function saw without any extra resources.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  FilterLogEventsCommand,
  type CloudWatchLogsClient,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { PROBE_MARKER, type ProbeLine } from './probe-record';

export { PROBE_MARKER } from './probe-record';

/** One invocation as the function recorded it, and where it was found. */
export interface ProbeRecord extends ProbeLine {
  /** The log stream the line was found in (one per execution environment), when known. */
  logStreamName?: string;
}

export interface ReadProbesOptions {
  /** Only log events at or after this epoch-ms time. */
  startTime?: number;
  /** Only records whose tag equals this. */
  tag?: string;
}

export interface WaitForProbesOptions extends ReadProbesOptions {
  /** Give up after this long (default 30 000 ms). */
  timeoutMs?: number;
}

/** `/aws/lambda/<name>` for a function name, `name:qualifier` or function ARN. */
export function logGroupNameFor(functionName: string): string {
  let name = functionName;
  if (name.startsWith('arn:')) name = name.split(':')[6] ?? name;
  else if (name.includes(':')) name = name.slice(0, name.indexOf(':'));
  return `/aws/lambda/${name}`;
}

function isProbeRecord(value: unknown): value is ProbeRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    r.v === 1 &&
    typeof r.requestId === 'string' &&
    typeof r.functionName === 'string' &&
    typeof r.functionVersion === 'string' &&
    typeof r.invokedFunctionArn === 'string' &&
    typeof r.instanceId === 'string' &&
    typeof r.coldStart === 'boolean' &&
    typeof r.invocationCount === 'number' &&
    typeof r.time === 'string' &&
    typeof r.eventDigest === 'string' &&
    (r.tag === null || typeof r.tag === 'string')
  );
}

/**
 * Parses one log message into a probe record, or null when it holds none. Accepts the bare line
 * (`TESTBED_PROBE {...}`), the Node.js runtime's text format (`<ISO ts>\t<requestId>\tINFO\tTESTBED_PROBE {...}`)
 * and its JSON log format (`{"timestamp":...,"level":"INFO","message":"TESTBED_PROBE {...}"}`).
 */
export function parseProbeMessage(message: string): ProbeRecord | null {
  const text = message.trim();
  const at = text.indexOf(`${PROBE_MARKER} `);
  if (at < 0) return null;
  if (at > 0 && text.startsWith('{')) {
    // AWS_LAMBDA_LOG_FORMAT=JSON: the probe line is the "message" field of a JSON record.
    try {
      const outer: unknown = JSON.parse(text);
      if (outer !== null && typeof outer === 'object' && typeof (outer as { message?: unknown }).message === 'string') {
        return parseProbeMessage((outer as { message: string }).message);
      }
    } catch {
      // not JSON after all; fall through
    }
  }
  if (at > 0 && !/\s/.test(text[at - 1] ?? '')) return null;
  try {
    const parsed: unknown = JSON.parse(text.slice(at + PROBE_MARKER.length + 1));
    return isProbeRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isMissingLogGroup(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/**
 * All probe records in the function's log group, oldest first. A log group that does not exist
 * (the function never ran) yields [].
 */
export async function readProbes(
  logs: CloudWatchLogsClient,
  functionName: string,
  opts: ReadProbesOptions = {},
): Promise<ProbeRecord[]> {
  const logGroupName = logGroupNameFor(functionName);
  const found: { record: ProbeRecord; timestamp: number; index: number }[] = [];
  const seenEvents = new Set<string>();
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  do {
    let page: FilterLogEventsCommandOutput;
    try {
      page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName,
          filterPattern: `"${PROBE_MARKER}"`,
          startTime: opts.startTime,
          nextToken,
        }),
      );
    } catch (error) {
      if (isMissingLogGroup(error)) return [];
      throw error;
    }
    for (const event of page.events ?? []) {
      if (event.eventId !== undefined) {
        if (seenEvents.has(event.eventId)) continue;
        seenEvents.add(event.eventId);
      }
      const record = parseProbeMessage(event.message ?? '');
      if (!record) continue;
      if (opts.tag !== undefined && record.tag !== opts.tag) continue;
      if (event.logStreamName !== undefined) record.logStreamName = event.logStreamName;
      found.push({ record, timestamp: event.timestamp ?? 0, index: found.length });
    }
    nextToken = page.nextToken || undefined;
    if (nextToken !== undefined) {
      if (seenTokens.has(nextToken)) break; // a server repeating its token would loop forever
      seenTokens.add(nextToken);
    }
  } while (nextToken !== undefined);

  const timeOf = (r: ProbeRecord) => {
    const t = Date.parse(r.time);
    return Number.isNaN(t) ? 0 : t;
  };
  found.sort((a, b) => timeOf(a.record) - timeOf(b.record) || a.timestamp - b.timestamp || a.index - b.index);
  return found.map((f) => f.record);
}

function describe(records: ProbeRecord[]): string {
  if (records.length === 0) return 'none';
  const shown = records
    .slice(-10)
    .map((r) => `${r.time} ${r.requestId} instance=${r.instanceId} cold=${r.coldStart} tag=${r.tag ?? '-'}`);
  return `${records.length}${records.length > shown.length ? ' (last 10 shown)' : ''}:\n  ${shown.join('\n  ')}`;
}

/**
 * Polls readProbes until `predicate(records)` holds and returns those records. Throws a descriptive
 * error after `timeoutMs` (default 30 s). Polls back off from 50 ms to 1 s.
 */
export async function waitForProbes(
  logs: CloudWatchLogsClient,
  functionName: string,
  predicate: (records: ProbeRecord[]) => boolean,
  opts: WaitForProbesOptions = {},
): Promise<ProbeRecord[]> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const readOpts: ReadProbesOptions = { startTime: opts.startTime, tag: opts.tag };
  let pause = 50;
  let polls = 0;
  for (;;) {
    const records = await readProbes(logs, functionName, readOpts);
    polls += 1;
    if (predicate(records)) return records;
    const left = deadline - Date.now();
    if (left <= 0) {
      const tag = opts.tag !== undefined ? ` with tag ${JSON.stringify(opts.tag)}` : '';
      throw new Error(
        `waitForProbes: timed out after ${timeoutMs} ms (${polls} polls) waiting for probe records of ` +
          `function ${JSON.stringify(functionName)}${tag} in ${logGroupNameFor(functionName)} to satisfy ` +
          `the predicate; last read ${describe(records)}`,
      );
    }
    await delay(Math.min(pause, left));
    pause = Math.min(pause * 2, 1000);
  }
}
