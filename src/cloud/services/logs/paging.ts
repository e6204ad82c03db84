/**
 * Paging tokens of CloudWatch Logs.
 *
 * Describe* and FilterLogEvents: an opaque nextToken present only while more results remain.
 * GetLogEvents: `f/<56 digits>/s` and `b/<56 digits>/s` positions in the stream; at the end of the
 * stream the same forward token comes back (that is how clients know to stop).
 */
import { AwsError } from '../../errors';

const invalidToken = () => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.', 400);

export function encodeOffsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64');
}

export function decodeOffsetToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: number; o?: unknown };
    if (parsed.v === 1 && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw invalidToken();
}

export type Direction = 'f' | 'b';

export function eventToken(direction: Direction, index: number): string {
  return `${direction}/${String(index).padStart(56, '0')}/s`;
}

export function parseEventToken(token: string): { direction: Direction; index: number } {
  const m = /^([fb])\/(\d{1,56})(?:\/s)?$/.exec(token);
  if (!m) throw invalidToken();
  return { direction: m[1] as Direction, index: Number(m[2]) };
}

/**
 * The window [from, to) of events a GetLogEvents page returns: forward from `index`, or backward
 * ending just before `index`; at most `limit` events and `maxBytes` bytes (at least one event).
 */
export function eventWindow(sizes: number[], limit: number, maxBytes: number, at: { direction: Direction; index: number }): { from: number; to: number } {
  const n = sizes.length;
  const index = Math.min(Math.max(0, at.index), n);
  let bytes = 0;
  if (at.direction === 'f') {
    let to = index;
    while (to < n && to - index < limit && (to === index || bytes + sizes[to] <= maxBytes)) bytes += sizes[to++];
    return { from: index, to };
  }
  let from = index;
  while (from > 0 && index - from < limit && (from === index || bytes + sizes[from - 1] <= maxBytes)) bytes += sizes[--from];
  return { from, to: index };
}
