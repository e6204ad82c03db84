/**
 * Members of a query-protocol input as protocols/query.ts decodes them (strings stay strings, lists
 * arrive as arrays, `Name=` as ""), read the way ELBv2 reads them, and the Marker/PageSize paging
 * of the Describe operations.
 */
import { queryBool, queryInt } from '../../protocols/validation';
import { validationError, validator } from './errors';

export type In = Record<string, unknown>;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string member (a structure or list where a string belongs counts as absent). */
export function str(input: In, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

/** A required string member: `Value null at '<member>' ... Member must not be null` when missing [model]. */
export function required(input: In, key: string, member = lowerFirst(key)): string {
  const v = str(input, key);
  if (v === undefined) {
    validator().fail(null, member, 'Member must not be null').check();
  }
  return v as string;
}

export function list(input: In, key: string): unknown[] | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === '') return [];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function strings(input: In, key: string): string[] | undefined {
  return list(input, key)?.map((v) => (typeof v === 'string' ? v : ''));
}

export function records(input: In, key: string): In[] | undefined {
  return list(input, key)?.map((v) => (isRecord(v) ? v : {}));
}

export function record(input: In, key: string): In | undefined {
  const v = input[key];
  return isRecord(v) ? v : undefined;
}

export const int = (input: In, key: string, member = lowerFirst(key)) => queryInt(input[key], member);
export const bool = (input: In, key: string, member = lowerFirst(key)) => queryBool(input[key], member);

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * One page of a Describe answer: PageSize 1-400 [model], Marker an opaque token (base64 of the
 * position) from the page before; NextMarker only when more remain.
 */
export function page<T>(items: T[], input: In): { items: T[]; next?: string } {
  const size = int(input, 'PageSize');
  validator().range(size, 'pageSize', 1, 400).check();
  const marker = str(input, 'Marker');
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0 || Buffer.from(String(n), 'utf8').toString('base64') !== marker) throw validationError('Invalid marker'); // unconfirmed text
    start = n;
  }
  const end = size === undefined ? items.length : start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64') : undefined };
}
