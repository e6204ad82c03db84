/**
 * ReportBatchItemFailures: how Lambda reads a function's answer when the mapping has
 * FunctionResponseTypes ["ReportBatchItemFailures"] [doc][rec]:
 *   - complete success: an empty or null answer, `""`, `[]`, `{}`, `{"batchItemFailures": []}`,
 *     `{"batchItemFailures": null}` (other top-level members are ignored);
 *   - the listed items fail: `{"batchItemFailures": [{"itemIdentifier": "<id>"}, ...]}`;
 *   - complete failure: an answer that is not JSON, a non-empty list or any other value instead of an
 *     object, `batchItemFailures` that is not a list, an item that is not an object, an item without
 *     `itemIdentifier` (a wrong key name), an empty or null identifier, an identifier that names no
 *     record of the batch.
 * A function error (thrown, timeout, crash) is always a complete failure; the caller handles that.
 * SQS identifies records by messageId, Kinesis by sequenceNumber; numbers are read as their text.
 */

export type BatchVerdict =
  | { kind: 'success' }
  | { kind: 'partial'; failed: Set<string> }
  | { kind: 'failure'; reason: string };

export function readBatchItemFailures(payload: Buffer | string, ids: ReadonlySet<string>): BatchVerdict {
  const text = (typeof payload === 'string' ? payload : payload.toString('utf8')).trim();
  if (text === '') return { kind: 'success' };
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return { kind: 'failure', reason: 'the answer is not JSON' };
  }
  if (answer === null || answer === '') return { kind: 'success' };
  if (Array.isArray(answer)) return answer.length === 0 ? { kind: 'success' } : { kind: 'failure', reason: 'a list instead of an object' };
  if (typeof answer !== 'object') return { kind: 'failure', reason: 'the answer is not an object' };
  const list = (answer as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'success' };
  const failed = new Set<string>();
  for (const item of list) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return { kind: 'failure', reason: 'an item is not an object' };
    const id = (item as Record<string, unknown>).itemIdentifier;
    if (id === undefined || id === null) return { kind: 'failure', reason: 'an item has no itemIdentifier' };
    if (typeof id !== 'string' && typeof id !== 'number') return { kind: 'failure', reason: 'an itemIdentifier is not a string' };
    const key = String(id);
    if (key === '') return { kind: 'failure', reason: 'an itemIdentifier is empty' };
    if (!ids.has(key)) return { kind: 'failure', reason: `itemIdentifier ${key} is not in the batch` };
    failed.add(key);
  }
  return { kind: 'partial', failed };
}
