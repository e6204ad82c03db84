/**
 * Per-process (per execution environment) identity and counters, shared by the sample functions.
 *
 * Module state lives as long as the execution environment: a cold start loads this module once,
 * warm invokes reuse it. That makes `instanceId`, `coldStart` and `invocationCount` a portable way
 * to tell environments apart and to prove warm reuse on every target.
 */
import { randomBytes } from 'node:crypto';

/** Random id chosen when this module loads, i.e. once per execution environment. */
export const instanceId: string = randomBytes(8).toString('hex');

let invocations = 0;

export interface InvocationInfo {
  instanceId: string;
  /** True on the first invoke this process handles. */
  coldStart: boolean;
  /** 1 on the first invoke of this process, then 2, 3, ... */
  invocationCount: number;
}

/** Counts one invocation; call it exactly once at the start of each handler run. */
export function beginInvocation(): InvocationInfo {
  invocations += 1;
  return { instanceId, coldStart: invocations === 1, invocationCount: invocations };
}
