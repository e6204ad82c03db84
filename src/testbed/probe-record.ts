/**
 * The portable probe's record: what a sample function writes (functions/_shared/probe.ts) and the
 * harness reads back (src/testbed/probe.ts). No runtime dependencies: functions bundle it.
 */
export const PROBE_MARKER = 'TESTBED_PROBE';

/** One invocation as the function recorded it. */
export interface ProbeLine {
  v: 1;
  requestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** Random id per execution environment (module load). */
  instanceId: string;
  coldStart: boolean;
  /** 1-based count of invocations this environment has handled. */
  invocationCount: number;
  /** ISO 8601 time the function wrote the probe (function's clock). */
  time: string;
  /** First 16 hex chars of sha256(JSON.stringify(event)). */
  eventDigest: string;
  /** `event.probeTag` when it is a string, else null. */
  tag: string | null;
}
