/**
 * The Invoke operation (and InvokeAsync, which routes.ts maps onto an Event invoke): invocation and
 * log types, payload limits and JSON check, the version's state, then DryRun, Event (the async
 * queue) or RequestResponse (LambdaService.run, which holds the concurrency slot).
 */
import { AwsError } from '../errors';
import { jsonProblem } from '../protocols/jackson';
import type { RequestContext } from '../protocols/types';
import { freshTraceHeader, isRecursive, nextTraceHeader, recursionError } from './async';
import { decodeClientContext, tail } from './payload';
import type { FunctionVersion, LambdaFunction } from './model';
import type { LambdaService } from './service';
import { fail } from './validate';

export const SYNC_PAYLOAD_LIMIT = 6_291_456;
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;

export interface InvokeInput {
  functionName: string;
  qualifier?: string | null;
  invocationType?: string | null;
  logType?: string | null;
  clientContext?: string | null;
  payload: Buffer;
  /** What fired this invoke: "invoke" (API), "event" (async queue), later "sqs", "sns", ... */
  trigger?: string;
  /** Another log group for the invocation (Lambda@Edge replicas); see RunRequest.logGroupName. */
  logGroupName?: string;
}

export interface InvokeOutput {
  status: number;
  payload?: Buffer;
  headers: Record<string, string>;
}

/** What every invoke path checks before running anything, and what it found. */
export interface CheckedInvoke {
  fn: LambdaFunction;
  qualifier: string | undefined;
  version: FunctionVersion;
  type: string;
  logType: string;
  /** The payload ('{}' when empty), known to be JSON. */
  payload: Buffer;
  clientContext: string | undefined;
}

/**
 * The checks Invoke and InvokeWithResponseStream share, in AWS's order: the invocation and log
 * types (`types`: the operation's enum), the function, the payload limits and JSON, the client
 * context, the version's state. Throws the API's errors.
 */
export function checkInvoke(lambda: LambdaService, ctx: RequestContext, input: InvokeInput, types: readonly string[]): CheckedInvoke {
  const type = input.invocationType ?? 'RequestResponse';
  if (!types.includes(type)) fail('invocationType', type, `Member must satisfy enum value set: [${types.join(', ')}]`);
  const logType = input.logType ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') fail('logType', logType, 'Member must satisfy enum value set: [Tail, None]');
  // Invoke names the version it looked for: an unqualified name means $LATEST.
  const { fn, qualifier } = lambda.ref(ctx, input.functionName, input.qualifier, (arn, q) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}:${q ?? '$LATEST'}`, 404));
  // Any request over 6 MB is refused up front; an Event invoke also has its own, smaller limit.
  if (input.payload.length > SYNC_PAYLOAD_LIMIT) {
    throw new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`, 413);
  }
  if (type === 'Event' && input.payload.length > ASYNC_PAYLOAD_LIMIT) {
    throw new AwsError(
      'RequestEntityTooLargeException',
      `${input.payload.length} byte payload is too large for the Event invocation type (limit ${ASYNC_PAYLOAD_LIMIT} bytes)`,
      413,
    );
  }
  const payload = input.payload.length === 0 ? Buffer.from('{}') : input.payload;
  const problem = jsonProblem(payload);
  if (problem) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${problem}`, 400);
  }
  const clientContext = decodeClientContext(input.clientContext);
  const { version } = lambda.resolveVersion(fn, qualifier);
  if (version.state !== 'Active') {
    throw new AwsError(
      'ResourceConflictException',
      `The operation cannot be performed at this time. The function is currently in the following state: ${version.state}`,
      409,
    );
  }
  return { fn, qualifier, version, type, logType, payload, clientContext };
}

const INVOKE_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;

export async function invoke(lambda: LambdaService, ctx: RequestContext, input: InvokeInput): Promise<InvokeOutput> {
  const { fn, qualifier, version, type, logType, payload, clientContext } = checkInvoke(lambda, ctx, input, INVOKE_TYPES);
  const executedVersion = version.version;
  if (type === 'DryRun') return { status: 204, headers: { 'x-amz-executed-version': executedVersion } };
  if (type === 'Event') {
    const requestId = ctx.requestId;
    lambda.async.queue.enqueue({
      fn,
      qualifier,
      payload,
      requestId,
      enqueuedAt: lambda.clock.now(),
      attempts: 0,
      throttles: 0,
      trigger: input.trigger ?? 'event',
      traceHeader: ctx.traceHeader,
    });
    return { status: 202, headers: { 'x-amzn-requestid': requestId } };
  }
  // A function that invokes itself (directly or through other services) carries the chain's count
  // in the trace header its SDK sends: past the limit, the synchronous caller is refused.
  if (lambda.async.recursiveLoop(fn) === 'Terminate' && isRecursive(ctx.traceHeader, fn.arn)) throw recursionError();
  const traceId = nextTraceHeader(ctx.traceHeader, fn.arn, () => freshTraceHeader(lambda.clock.now()));
  const result = await lambda.run(fn, version, { qualifier, requestId: ctx.requestId, payload, clientContext, trigger: input.trigger ?? 'invoke', traceId, logGroupName: input.logGroupName });
  const headers: Record<string, string> = { 'x-amz-executed-version': executedVersion, 'content-type': 'application/json' };
  if (result.functionError) headers['x-amz-function-error'] = result.functionError;
  if (logType === 'Tail') headers['x-amz-log-result'] = tail(result.log);
  return { status: 200, payload: result.payload, headers };
}
