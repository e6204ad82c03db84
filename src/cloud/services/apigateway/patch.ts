/**
 * PATCH operations (`patchOperations: [{op, path, value}]`) as API Gateway takes them: the model's
 * enum check first (ValidationException naming each bad op by its 1-based position [rec]), then
 * each operation applied in order by the caller. Paths are JSON pointers: `~1` stands for `/`
 * and `~0` for `~` (`/binaryMediaTypes/image~1png`, `/requestTemplates/application~1json`).
 */
import { AwsError } from '../../errors';
import { Validator } from '../../protocols/validation';
import { badRequest } from './errors';
import type { PatchOperation } from './types';

export const PATCH_OPS = ['add', 'remove', 'move', 'test', 'replace', 'copy'] as const;

/**
 * The patch operations of an Update call, checked against the model. `input` is the operation's
 * input name as AWS words it ("updateRestApiInput"); `extra` lets the caller add its own
 * problems (a bad statusCode) to the same ValidationException, as AWS concatenates them [rec].
 */
export function patchOperations(body: Record<string, unknown>, input: string, extra?: (v: Validator) => void): PatchOperation[] {
  const raw = body.patchOperations;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected', 400);
  }
  const ops = (raw ?? []) as PatchOperation[];
  const v = new Validator();
  ops.forEach((o, i) => {
    if (o === null || typeof o !== 'object') throw new AwsError('SerializationException', 'Unexpected value in patchOperations', 400);
    v.oneOf(o.op, `${input}.patchOperations.${i + 1}.member.op`, PATCH_OPS);
  });
  extra?.(v);
  v.check();
  return ops;
}

/** A JSON pointer segment decoded (`application~1json` -> `application/json`). */
export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `/a/b~1c` -> ['a', 'b/c']. */
export function pointerParts(path: string | undefined): string[] {
  if (!path || !path.startsWith('/')) return [];
  return path.slice(1).split('/').map(unescapePointer);
}

/** The value as a boolean the way AWS reads "true"/"false" strings (anything else is false). */
export function patchBool(value: string | undefined): boolean {
  return String(value).toLowerCase() === 'true';
}

/** "Invalid patch operation specified. Must be one of: [replace]" [rec]. */
export function onlyReplace(op: string | undefined): void {
  if (op !== 'replace') throw badRequest('Invalid patch operation specified. Must be one of: [replace]');
}

/** Applies add/replace/remove of one key in a string map member (requestTemplates/application~1json). */
export function patchMapEntry<T>(
  map: Record<string, T> | undefined,
  key: string,
  op: string | undefined,
  value: T | undefined,
  onMissing: () => AwsError,
): Record<string, T> | undefined {
  const out = { ...(map ?? {}) };
  if (op === 'remove') {
    if (!(key in out)) throw onMissing();
    delete out[key];
  } else if (op === 'add' || op === 'replace') {
    out[key] = value as T;
  } else {
    throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
  }
  return Object.keys(out).length ? out : undefined;
}
