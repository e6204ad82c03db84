/**
 * FilterCriteria as the pollers apply them [doc]: a record passes when any filter matches the view
 * of it the source defines (SQS: the record with `body`; Kinesis: the `kinesis` members with `data`),
 * with the payload parsed when it is JSON. A filter that reads fields of the payload needs JSON, one
 * that matches the payload itself needs plain text: a record in the other format is dropped by it.
 */
import { parseEventJson } from '../../patterns';
import type { CompiledFilter } from './types';

/** The payload parsed when it is a JSON object or array, else the text. */
export function parsePayload(text: string): { json: boolean; value: unknown } {
  try {
    const parsed = parseEventJson(text);
    if (parsed !== null && typeof parsed === 'object') return { json: true, value: parsed };
  } catch {
    // not JSON: filters see the text
  }
  return { json: false, value: text };
}

/** Whether any filter lets the record through; `key` names the payload member of `view`. */
export function passesFilters(filters: CompiledFilter[], key: string, view: Record<string, unknown>, json: boolean): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => {
    const format = f.dataFormat(key);
    if (format === 'json' && !json) return false;
    if (format === 'plain' && json) return false;
    return f.matches(view);
  });
}
