/**
 * The writer side of the portable probe: one log line per invocation, readable on every target
 * (embedded cloud, LocalStack, real AWS) through CloudWatch Logs FilterLogEvents, with no extra
 * resources. The reader lives in src/testbed/probe.ts.
 *
 * Line format: `TESTBED_PROBE {"v":1,...}` written with console.log, so the Node.js runtime prefixes
 * it with `<ISO ts>\t<requestId>\tINFO\t`.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { InvocationInfo } from './instance';
import { PROBE_MARKER, type ProbeLine } from '../../src/testbed/probe-record';

export { PROBE_MARKER, type ProbeLine } from '../../src/testbed/probe-record';

/** First 16 hex characters of the sha256 of JSON.stringify(event) (undefined counts as "null"). */
export function eventDigest(event: unknown): string {
  const json = JSON.stringify(event) ?? 'null';
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function probeTag(event: unknown): string | null {
  if (event !== null && typeof event === 'object' && 'probeTag' in event) {
    const tag = (event as { probeTag?: unknown }).probeTag;
    if (typeof tag === 'string') return tag;
  }
  return null;
}

/** Writes one probe line for this invocation and returns what it wrote. */
export function recordProbe(event: unknown, context: Context, info: InvocationInfo): ProbeLine {
  const line: ProbeLine = {
    v: 1,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    instanceId: info.instanceId,
    coldStart: info.coldStart,
    invocationCount: info.invocationCount,
    time: new Date().toISOString(),
    eventDigest: eventDigest(event),
    tag: probeTag(event),
  };
  console.log(`${PROBE_MARKER} ${JSON.stringify(line)}`);
  return line;
}
