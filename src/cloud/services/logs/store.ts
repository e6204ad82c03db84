/**
 * CloudWatch Logs state: per account and region, log groups holding log streams holding events
 * (kept in timestamp order, as GetLogEvents returns them).
 *
 * Also the LogSink the Lambda execution environments write to.
 */
import type { Clock } from '../../clock';
import type { LogSink } from '../../lambda/runtime/types';

export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface LogStream {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  events: StoredEvent[];
  storedBytes: number;
  sequence: number;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  streams: Map<string, LogStream>;
}

/** Bytes CloudWatch Logs counts per event: UTF-8 message plus 26 bytes of overhead. */
export const EVENT_OVERHEAD = 26;

export class LogsStore implements LogSink {
  private readonly regions = new Map<string, Map<string, LogGroup>>();
  private eventSeq = 0;

  constructor(readonly clock: Clock) {}

  /** The log groups of one account and region (created empty on first use). */
  groups(accountId: string, region: string): Map<string, LogGroup> {
    const key = `${accountId}/${region}`;
    let m = this.regions.get(key);
    if (!m) {
      m = new Map();
      this.regions.set(key, m);
    }
    return m;
  }

  getGroup(accountId: string, region: string, name: string): LogGroup | undefined {
    return this.groups(accountId, region).get(name);
  }

  createGroup(accountId: string, region: string, name: string, opts: Partial<Pick<LogGroup, 'kmsKeyId' | 'logGroupClass' | 'tags'>> = {}): LogGroup {
    const g: LogGroup = {
      name,
      creationTime: this.clock.now(),
      kmsKeyId: opts.kmsKeyId,
      logGroupClass: opts.logGroupClass ?? 'STANDARD',
      tags: { ...(opts.tags ?? {}) },
      streams: new Map(),
    };
    this.groups(accountId, region).set(name, g);
    return g;
  }

  createStream(group: LogGroup, name: string): LogStream {
    const s: LogStream = { name, creationTime: this.clock.now(), events: [], storedBytes: 0, sequence: 0 };
    group.streams.set(name, s);
    return s;
  }

  /** Append events (any order) to a stream, keeping it sorted by timestamp; returns ingestion time. */
  append(stream: LogStream, events: { timestamp: number; message: string }[]): number {
    const ingestionTime = this.clock.now();
    for (const e of events) {
      const stored: StoredEvent = { timestamp: e.timestamp, message: e.message, ingestionTime, eventId: this.nextEventId(e.timestamp) };
      const evs = stream.events;
      if (evs.length === 0 || evs[evs.length - 1].timestamp <= e.timestamp) evs.push(stored);
      else {
        // upper bound: after every event with the same or an earlier timestamp
        let lo = 0;
        let hi = evs.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (evs[mid].timestamp <= e.timestamp) lo = mid + 1;
          else hi = mid;
        }
        evs.splice(lo, 0, stored);
      }
      stream.storedBytes += Buffer.byteLength(e.message, 'utf8');
      if (stream.firstEventTimestamp === undefined || e.timestamp < stream.firstEventTimestamp) stream.firstEventTimestamp = e.timestamp;
      if (stream.lastEventTimestamp === undefined || e.timestamp > stream.lastEventTimestamp) stream.lastEventTimestamp = e.timestamp;
    }
    if (events.length) stream.lastIngestionTime = ingestionTime;
    stream.sequence++;
    return ingestionTime;
  }

  /** LogSink: append, creating the group and the stream as needed. */
  put(region: string, accountId: string, group: string, stream: string, events: { timestamp: number; message: string }[]): void {
    const g = this.getGroup(accountId, region, group) ?? this.createGroup(accountId, region, group);
    const s = g.streams.get(stream) ?? this.createStream(g, stream);
    this.append(s, events);
  }

  /** Drop all state. */
  reset(): void {
    this.regions.clear();
  }

  private nextEventId(timestamp: number): string {
    // AWS event ids are 56-digit decimal strings, ordered by time.
    return `${String(Math.max(0, timestamp)).padStart(20, '0')}${String(++this.eventSeq).padStart(36, '0')}`;
  }
}

export function groupStoredBytes(g: LogGroup): number {
  let n = 0;
  for (const s of g.streams.values()) n += s.storedBytes;
  return n;
}

export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export function logStreamArn(region: string, accountId: string, group: string, stream: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${group}:log-stream:${stream}`;
}
