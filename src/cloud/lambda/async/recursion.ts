/**
 * Recursive loop detection [doc]: Lambda counts, in the X-Ray trace header's `Lineage` field
 * (`Lineage=a87bd80c:1|68fd508a:5`, one `<function hash>:<count>` per function), how often one
 * chain of events has invoked each function. The function's runtime gets the header as
 * `_X_AMZN_TRACE_ID`, the AWS SDKs send it on with every call (X-Amzn-Trace-Id), SNS and SQS keep
 * it with the message, and the next invoke reads it back. Past 16 invocations of one function in
 * one chain, Lambda stops the chain: an asynchronous event goes to failure handling (DLQ, OnFailure),
 * a synchronous caller gets RecursiveInvocationException. PutFunctionRecursionConfig `Allow` turns it off.
 */
import { createHash } from 'node:crypto';
import { AwsError, validationMessage } from '../../errors';

/** Invocations of one function one chain may make; the next one is stopped [doc]. */
export const RECURSION_LIMIT = 16;

export type RecursiveLoop = 'Allow' | 'Terminate';

export function functionHash(unqualifiedArn: string): string {
  return createHash('sha256').update(unqualifiedArn).digest('hex').slice(0, 8);
}

function lineageOf(header: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const m = header ? /(?:^|;)\s*Lineage=([^;]*)/.exec(header) : null;
  if (!m) return out;
  for (const part of m[1].split('|')) {
    const [hash, count] = part.split(':');
    const n = Number(count);
    if (hash && Number.isInteger(n) && n >= 0) out.set(hash, n);
  }
  return out;
}

/** How often this chain has invoked the function so far. */
export function chainCount(header: string | undefined, unqualifiedArn: string): number {
  return lineageOf(header).get(functionHash(unqualifiedArn)) ?? 0;
}

/** The trace header for the next invocation of the function: its count raised by one, the rest kept. */
export function nextTraceHeader(header: string | undefined, unqualifiedArn: string, fresh: () => string): string {
  const base = header && /(?:^|;)\s*Root=/.test(header) ? header : fresh();
  const lineage = lineageOf(base);
  const hash = functionHash(unqualifiedArn);
  lineage.set(hash, (lineage.get(hash) ?? 0) + 1);
  const text = [...lineage].map(([h, n]) => `${h}:${n}`).join('|');
  const without = base.split(';').filter((p) => p.trim() !== '' && !/^\s*Lineage=/.test(p));
  return [...without, `Lineage=${text}`].join(';');
}

/** Whether this invocation would be one too many for the chain. */
export function isRecursive(header: string | undefined, unqualifiedArn: string): boolean {
  return chainCount(header, unqualifiedArn) >= RECURSION_LIMIT;
}

export function recursionError(): AwsError {
  // [model] RecursiveInvocationException (400); the message is Lambda's API documentation text.
  return new AwsError(
    'RecursiveInvocationException',
    "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.",
    400,
    { fields: { Type: 'User' } },
  );
}

export function parseRecursiveLoop(value: unknown): RecursiveLoop {
  if (value !== 'Allow' && value !== 'Terminate') {
    // [rec]
    throw new AwsError(
      'ValidationException',
      validationMessage([`Value '${String(value ?? 'null')}' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]`]),
    );
  }
  return value;
}
