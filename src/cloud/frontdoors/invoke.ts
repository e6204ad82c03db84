/**
 * A front door's synchronous invocation of a function: the same path as the Invoke API
 * (lambda/invoke.ts: payload limits, the version's state, concurrency, recursion), with the
 * service-principal permission check AWS makes for API Gateway and the load balancer, and the
 * integration timeout (API Gateway's 29 s) on the virtual clock. The door maps the outcome to HTTP.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors';
import { functionAllowsService, notAuthorizedToInvoke } from '../lambda/async/permission';
import { invoke } from '../lambda/invoke';
import type { LambdaService } from '../lambda/service';
import type { RequestContext } from '../protocols/types';

export interface DoorInvocation {
  /** The function as the integration names it: an ARN (qualified or not) or a name. */
  functionArn: string;
  region: string;
  accountId: string;
  /** The event; serialized as JSON (a Buffer is sent as it is). */
  event: unknown;
  /** What fired it, as /_testbed/invocations shows: "function-url", "apigateway", "apigatewayv2", "alb". */
  trigger: string;
  /** The cloud's endpoint (for the invocation's context). */
  endpoint: string;
  /** The X-Amzn-Trace-Id the door passes on (the door adds one when the client sent none). */
  traceHeader?: string;
  /** The invocation's request id (default: a new one). */
  requestId?: string;
  /** Another log group for the invocation (Lambda@Edge: `/aws/lambda/us-east-1.<name>`). */
  logGroupName?: string;
  /** Virtual ms after which the door gives up waiting (the function keeps running, as on AWS). */
  timeoutMs?: number;
  /**
   * The service principal whose permission the function's resource policy must grant
   * (`apigateway.amazonaws.com`, `elasticloadbalancing.amazonaws.com`), with the calling resource.
   */
  caller?: { principal: string; sourceArn?: string };
}

export type DoorOutcome =
  /** The function returned: its payload (JSON text). */
  | { kind: 'response'; payload: Buffer; executedVersion?: string; requestId: string }
  /** The function failed (error, timeout, crash): the error JSON, and its errorType. */
  | { kind: 'function-error'; payload: Buffer; errorType?: string; requestId: string }
  /** The door's integration timeout passed first. */
  | { kind: 'timeout'; requestId: string }
  /** Lambda refused the invocation (not found, throttled, not active, too large, no permission...). */
  | { kind: 'refused'; error: AwsError; requestId: string };

export async function invokeForDoor(lambda: LambdaService, o: DoorInvocation): Promise<DoorOutcome> {
  const requestId = o.requestId ?? randomUUID();
  const ctx = doorContext(lambda, o, requestId);
  try {
    if (o.caller) checkPermission(lambda, ctx, o.functionArn, o.caller);
    const payload = Buffer.isBuffer(o.event) ? o.event : Buffer.from(JSON.stringify(o.event));
    const running = invoke(lambda, ctx, { functionName: o.functionArn, payload, trigger: o.trigger, logGroupName: o.logGroupName });
    let timer: { cancel(): void } | undefined;
    const timedOut =
      o.timeoutMs === undefined
        ? undefined
        : new Promise<'timeout'>((resolve) => {
            timer = lambda.clock.setTimeout(() => resolve('timeout'), o.timeoutMs!);
          });
    const out = timedOut ? await Promise.race([running, timedOut]) : await running;
    timer?.cancel();
    if (out === 'timeout') {
      running.catch(() => undefined);
      return { kind: 'timeout', requestId };
    }
    const body = out.payload ?? Buffer.alloc(0);
    if (out.headers['x-amz-function-error']) {
      let errorType: string | undefined;
      try {
        errorType = (JSON.parse(body.toString('utf8')) as { errorType?: string }).errorType;
      } catch {
        errorType = undefined;
      }
      return { kind: 'function-error', payload: body, errorType, requestId };
    }
    return { kind: 'response', payload: body, executedVersion: out.headers['x-amz-executed-version'], requestId };
  } catch (e) {
    if (e instanceof AwsError) return { kind: 'refused', error: e, requestId };
    throw e;
  }
}

/** The request context a door's invocation runs under: the function's account and region. */
export function doorContext(lambda: LambdaService, o: Pick<DoorInvocation, 'region' | 'accountId' | 'endpoint' | 'traceHeader'>, requestId: string): RequestContext {
  return { requestId, region: o.region, accountId: o.accountId, endpoint: o.endpoint, path: '', traceHeader: o.traceHeader, clock: lambda.clock };
}

/** The resource-policy check for a service principal, as lambda/async makes it for SNS and EventBridge. */
function checkPermission(lambda: LambdaService, ctx: RequestContext, functionArn: string, caller: { principal: string; sourceArn?: string }): void {
  const { fn, qualifier } = lambda.ref(ctx, functionArn);
  if (!functionAllowsService(fn, qualifier, { principal: caller.principal, sourceArn: caller.sourceArn, sourceAccount: ctx.accountId })) {
    throw new AwsError('AccessDeniedException', notAuthorizedToInvoke(caller.principal, functionArn), 403);
  }
}
