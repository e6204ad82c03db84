/**
 * Members of a query-protocol input as protocols/query.ts decodes them: strings stay strings, lists
 * arrive as arrays (an empty list as `Name=` = ""), maps as objects (an empty one may be "").
 */
import { AwsError } from '../../errors';

export type In = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string member (a structure or list where a string belongs counts as absent). */
export function str(input: In, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(input: In, key: string): unknown[] | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === '') return [];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

/** A string-to-string map (Attributes). */
export function stringMap(input: In, key: string): Record<string, string> | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = typeof val === 'string' ? val : '';
  return out;
}

/** A map of structures (MessageAttributes). */
export function structMap(input: In, key: string): Record<string, Record<string, unknown>> | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (!isRecord(v)) return {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, val] of Object.entries(v)) out[k] = isRecord(val) ? val : {};
  return out;
}

export function record(v: unknown): In {
  return isRecord(v) ? v : {};
}

/** A boolean member: true/false in any case. */
export function bool(input: In, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === '') return undefined;
  const s = String(v).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new AwsError('ValidationError', `1 validation error detected: Value '${String(v)}' at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must be a boolean`, 400);
}
