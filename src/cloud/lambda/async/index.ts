/**
 * Lambda's asynchronous model in one place: the event invoke configs, the recursion configs, the
 * internal queue, and the way other services (SNS, EventBridge, destinations) hand Lambda an event.
 *
 *   config.ts      Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s)
 *   queue.ts       the internal queue: attempts, retries, backoff, event age, destinations, DLQ
 *   records.ts     the invocation record, the DLQ message attributes, the EventBridge record event
 *   recursion.ts   the trace header's Lineage and PutFunctionRecursionConfig's values
 *   permission.ts  the resource-policy check for service principals
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../protocols/types';
import type { DeliveryContext, DeliveryOutcome, LambdaAsyncInvoker } from '../../deliver/types';
import { failure } from '../../deliver';
import type { LambdaFunction } from '../model';
import { EventInvokeConfigs, type ConfigHost } from './config';
import { functionAllowsService, notAuthorizedToInvoke } from './permission';
import { AsyncQueue, type QueueHost } from './queue';
import { parseRecursiveLoop, type RecursiveLoop } from './recursion';

/** An Event invoke's payload limit [doc]: 256 KB (1 MB since 2025 for the Invoke API; services stay at 256 KB). */
export const ASYNC_SERVICE_PAYLOAD_LIMIT = 262_144;

export interface AsyncHost extends ConfigHost, Omit<QueueHost, 'eventInvokeConfigs' | 'recursiveLoop'> {}

export class AsyncInvocation implements LambdaAsyncInvoker {
  readonly configs: EventInvokeConfigs;
  readonly queue: AsyncQueue;
  private readonly recursion = new WeakMap<LambdaFunction, RecursiveLoop>();

  constructor(private readonly host: AsyncHost) {
    this.configs = new EventInvokeConfigs(host);
    const recursion = this.recursion;
    this.queue = new AsyncQueue({
      get clock() {
        return host.clock;
      },
      get invocations() {
        return host.invocations;
      },
      get deliverer() {
        return host.deliverer;
      },
      eventInvokeConfigs: this.configs,
      resolveVersion: (fn, q) => host.resolveVersion(fn, q),
      isCurrent: (fn) => host.isCurrent(fn),
      recursiveLoop: (fn) => recursion.get(fn) ?? 'Terminate',
      run: (...args) => host.run(...args),
    });
  }

  // ------------------------------------------------------------ recursion config (2024-08-31)

  recursiveLoop(fn: LambdaFunction): RecursiveLoop {
    return this.recursion.get(fn) ?? 'Terminate';
  }

  putRecursionConfig(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    const value = parseRecursiveLoop(input.RecursiveLoop);
    const { fn } = this.host.ref(ctx, name);
    this.recursion.set(fn, value);
    return { RecursiveLoop: value };
  }

  getRecursionConfig(ctx: RequestContext, name: unknown) {
    const { fn } = this.host.ref(ctx, name);
    return { RecursiveLoop: this.recursiveLoop(fn) };
  }

  // ------------------------------------------------------------ events from other services

  /**
   * An asynchronous invoke by another service of this cloud (SNS, EventBridge, a destination):
   * the function must exist and, for a service principal, its resource policy must allow the caller.
   */
  invokeAsyncInternal(
    dctx: DeliveryContext,
    functionArn: string,
    payload: Buffer,
    opts: { trigger: string; principal?: string; sourceArn?: string },
  ): DeliveryOutcome {
    const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(functionArn);
    if (!m) return failure('not-found', 'ResourceNotFoundException', `Function not found: ${functionArn}`);
    const [, region, account, , qualifier] = m;
    if (region !== dctx.region || account !== dctx.accountId) {
      return failure('permission', 'AccessDeniedException', `Functions from '${region}' are not reachable in this region ('${dctx.region}')`);
    }
    const fn = this.host.functionByArn(dctx, functionArn);
    if (!fn) return failure('not-found', 'ResourceNotFoundException', `Function not found: ${functionArn}`);
    let version;
    try {
      version = this.host.resolveVersion(fn, qualifier).version;
    } catch (e) {
      return failure('not-found', 'ResourceNotFoundException', e instanceof Error ? e.message : String(e));
    }
    if (opts.principal) {
      if (!functionAllowsService(fn, qualifier, { principal: opts.principal, sourceArn: opts.sourceArn, sourceAccount: dctx.accountId })) {
        return failure('permission', 'AccessDeniedException', notAuthorizedToInvoke(opts.principal, functionArn));
      }
    }
    if (payload.length > ASYNC_SERVICE_PAYLOAD_LIMIT) {
      return failure('invalid', 'RequestEntityTooLargeException', `${payload.length} byte payload is too large for the Event invocation type (limit ${ASYNC_SERVICE_PAYLOAD_LIMIT} bytes)`);
    }
    if (version.state === 'Failed') return failure('invalid', 'ResourceConflictException', 'The function is in the Failed state');
    const requestId = randomUUID();
    this.queue.enqueue({
      fn,
      qualifier,
      payload,
      requestId,
      enqueuedAt: this.host.clock.now(),
      attempts: 0,
      throttles: 0,
      trigger: opts.trigger,
      traceHeader: dctx.traceHeader,
    });
    return { ok: true, id: requestId };
  }
}

export { EventInvokeConfigs } from './config';
export { isRecursive, nextTraceHeader, recursionError } from './recursion';
export { freshTraceHeader } from './queue';
