/**
 * The Lambda service core: the function store and its lookups (by name, ARN and qualifier), state
 * transitions, concurrency accounting, running one invocation on an execution environment, reset.
 * No HTTP and no API operations here: those live one file per API area and import this core:
 *
 *   functions.ts    Create/Get/List/Delete Function, Get/UpdateFunctionConfiguration, UpdateFunctionCode
 *   versions.ts     PublishVersion, ListVersionsByFunction
 *   aliases.ts      Create/Get/Update/Delete Alias, ListAliases
 *   concurrency.ts  Put/Get/DeleteFunctionConcurrency, GetAccountSettings
 *   policy.ts       AddPermission, GetPolicy, RemovePermission
 *   tags.ts         TagResource, UntagResource, ListTags
 *   invoke.ts       Invoke, InvokeAsync (payload checks, RequestResponse / Event / DryRun)
 *   invoke-stream.ts InvokeWithResponseStream (the response as an event stream, as the function writes it)
 *   async/          the asynchronous model: event invoke config, the internal queue (retries, event
 *                   age, destinations, DLQ), recursion config and loop detection
 *   pollers/        event source mappings: the mapping API, the SQS poller, the Kinesis poller
 *   routes.ts       the REST-JSON route table over those operations
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { Deliverer } from '../deliver/types';
import { AsyncInvocation } from './async';
import { removeDir, type CodeSource } from './code';
import { InvocationLog, type InvocationRecord, type RunRequest } from './invocations';
import { LayerStore } from './layers/store';
import { EventSourceMappings, type QueueSource, type StreamSource } from './pollers';
import type { Alias, FunctionVersion, LambdaFunction } from './model';
import { type FunctionRef, checkRegion, functionArn, parseFunctionName, validateQualifier } from './names';
import type { EnvironmentManager } from './runtime/manager';
import type { InvokeResult, ResponseSink, VersionSpec } from './runtime/types';

export const ACCOUNT_CONCURRENCY = 1000;
export const MIN_UNRESERVED = 100;

export interface LambdaOptions {
  clock: Clock;
  dataDir: string;
  environments: EnvironmentManager;
  /** How long a new or updated function stays Pending / InProgress (virtual ms). */
  stateTransitionMs?: number;
  /** Concurrent executions limit of the account (default 1000). */
  accountConcurrency?: number;
  /** Where destinations and dead-letter queues are delivered (the cloud's deliverer). */
  deliverer?: Deliverer;
  /** The queues SQS event source mappings read (the cloud's SqsStore). */
  sqs?: QueueSource;
  /** The streams Kinesis event source mappings read (the cloud's KinesisStore). */
  kinesis?: StreamSource;
  /** Where Code.S3Bucket / S3Key are read (the cloud's S3). */
  code?: CodeSource;
}

interface Counter {
  inFlight: number;
  /** Per region: invocations of functions without reserved concurrency (they share the unreserved pool). */
  unreservedInFlight: number;
}

export class LambdaService {
  readonly invocations = new InvocationLog();
  /** Layers and their versions (layers/). */
  readonly layers = new LayerStore();
  /** Every function, keyed by key(): account/region/name. The operation files read and change it. */
  readonly functions = new Map<string, LambdaFunction>();
  private readonly perFunction = new Map<string, Counter>(); // key: unqualified arn
  private readonly perRegion = new Map<string, Counter>(); // key: account/region
  private readonly reservedCache = new Map<string, number>(); // key: account/region
  /** The asynchronous model: event invoke configs, recursion configs, the internal queue (invoke.ts enqueues). */
  readonly async: AsyncInvocation;
  /** Event source mappings (the poll-based model): the API, their states, one poller per enabled mapping. */
  readonly mappings: EventSourceMappings;
  stateTransitionMs: number;
  /** The account's concurrent executions limit per region (AWS default 1000; new accounts get 10). */
  accountConcurrency: number;
  /** Per function name: how long that function stays Pending / InProgress (admin knob for tests). */
  readonly stateTransitionOverrides = new Map<string, number>();

  constructor(private readonly opts: LambdaOptions) {
    this.stateTransitionMs = opts.stateTransitionMs ?? 0;
    this.accountConcurrency = opts.accountConcurrency ?? ACCOUNT_CONCURRENCY;
    this.async = new AsyncInvocation(this);
    this.mappings = new EventSourceMappings(this);
  }

  get clock(): Clock {
    return this.opts.clock;
  }

  get deliverer(): Deliverer | undefined {
    return this.opts.deliverer;
  }

  get sqs(): QueueSource | undefined {
    return this.opts.sqs;
  }

  get kinesis(): StreamSource | undefined {
    return this.opts.kinesis;
  }

  get codeSource(): CodeSource | undefined {
    return this.opts.code;
  }

  /** Where code is stored (see code.ts). */
  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** The execution environments: invocations run there; changed or deleted versions drop theirs. */
  get environments(): EnvironmentManager {
    return this.opts.environments;
  }

  // ---------------------------------------------------------------- lookups

  key(ctx: { accountId: string; region: string }, name: string): string {
    return `${ctx.accountId}/${ctx.region}/${name}`;
  }

  /**
   * Resolve a FunctionName parameter (and optional separate Qualifier) to a function.
   * `notFound` builds the operation's own error for a missing function (given the ARN with any qualifier).
   */
  ref(
    ctx: RequestContext,
    functionName: unknown,
    qualifier?: string | null,
    notFound?: (unqualifiedArn: string, qualifier: string | undefined) => AwsError,
  ): { fn: LambdaFunction; qualifier?: string; ref: FunctionRef } {
    const ref = parseFunctionName(functionName);
    const q = validateQualifier(qualifier ?? undefined);
    if (ref.qualifier && q && ref.qualifier !== q) {
      throw new AwsError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    checkRegion(ctx, ref);
    const region = ctx.region;
    if (ref.accountId && ref.accountId !== ctx.accountId) {
      throw new AwsError('AccessDeniedException', `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: lambda:GetFunction on resource: ${functionArn(region, ref.accountId, ref.name)}`, 403);
    }
    const fn = this.functions.get(this.key({ accountId: ctx.accountId, region }, ref.name));
    const qual = ref.qualifier ?? q;
    if (!fn) {
      const arn = functionArn(region, ctx.accountId, ref.name);
      if (notFound) throw notFound(arn, qual);
      throw new AwsError('ResourceNotFoundException', `Function not found: ${qual ? `${arn}:${qual}` : arn}`, 404);
    }
    return { fn, qualifier: qual, ref };
  }

  /** The version a qualifier names (a version number, $LATEST or an alias). */
  resolveVersion(fn: LambdaFunction, qualifier: string | undefined): { version: FunctionVersion; alias?: Alias } {
    if (!qualifier || qualifier === '$LATEST') return { version: fn.latest };
    const v = fn.versions.get(qualifier);
    if (v) return { version: v };
    const alias = fn.aliases.get(qualifier);
    if (alias) {
      let target = alias.functionVersion;
      if (alias.routingWeights) {
        const [extra, weight] = Object.entries(alias.routingWeights)[0] ?? [];
        if (extra !== undefined && Math.random() < (weight ?? 0)) target = extra;
      }
      const version = target === '$LATEST' ? fn.latest : fn.versions.get(target);
      if (version) return { version, alias };
    }
    throw new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier}`, 404);
  }

  /** The function an ARN (qualified or not) names in this account and region, if any. */
  functionByArn(ctx: { accountId: string; region: string }, arn: string): LambdaFunction | undefined {
    const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(arn);
    if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) return undefined;
    return this.functions.get(this.key(ctx, m[3]));
  }

  /** Whether this function object is still the one stored under its name (not deleted or replaced). */
  isCurrent(fn: LambdaFunction): boolean {
    return this.functions.get(this.key(fn, fn.name)) === fn;
  }

  /** Zip of a version, for GetFunction's Code.Location. */
  codeZipPath(ctx: { accountId: string; region: string }, name: string, version: string): string | undefined {
    const fn = this.functions.get(this.key(ctx, name));
    if (!fn) return undefined;
    const v = version === '$LATEST' ? fn.latest : fn.versions.get(version);
    return v?.config.zipPath;
  }

  // ---------------------------------------------------------------- state transitions

  /** Pending -> Active (create) or InProgress -> Successful (update), after stateTransitionMs. */
  settle(fn: LambdaFunction, v: FunctionVersion, kind: 'create' | 'update'): void {
    const done = () => {
      if (kind === 'create') {
        if (v.state !== 'Pending') return;
        v.state = 'Active';
        v.stateReason = undefined;
        v.stateReasonCode = undefined;
        v.lastUpdateStatus = 'Successful';
      } else {
        if (v.lastUpdateStatus !== 'InProgress') return;
        v.lastUpdateStatus = 'Successful';
        v.lastUpdateStatusReason = undefined;
        v.lastUpdateStatusReasonCode = undefined;
      }
      v.revisionId = randomUUID();
    };
    const ms = this.stateTransitionOverrides.get(fn.name) ?? this.stateTransitionMs;
    if (ms <= 0) queueMicrotask(done);
    else this.clock.setTimeout(done, ms);
  }

  // ---------------------------------------------------------------- concurrency accounting

  private counter(map: Map<string, Counter>, key: string): Counter {
    let c = map.get(key);
    if (!c) map.set(key, (c = { inFlight: 0, unreservedInFlight: 0 }));
    return c;
  }

  /** Claim a concurrency slot or throw the 429 AWS gives. Returns the release function. */
  private acquire(fn: LambdaFunction): () => void {
    const f = this.counter(this.perFunction, fn.arn);
    const r = this.counter(this.perRegion, `${fn.accountId}/${fn.region}`);
    const unreserved = fn.reservedConcurrency === undefined;
    if (!unreserved) {
      if (f.inFlight >= fn.reservedConcurrency!) throw throttle('ReservedFunctionConcurrentInvocationLimitExceeded');
    } else if (r.unreservedInFlight >= this.accountConcurrency - this.reservedTotal(fn)) {
      throw throttle('ConcurrentInvocationLimitExceeded');
    }
    f.inFlight++;
    r.inFlight++;
    if (unreserved) r.unreservedInFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      f.inFlight--;
      r.inFlight--;
      if (unreserved) r.unreservedInFlight--;
    };
  }

  /** The unreserved pool may not shrink below this: 100, or the whole limit on smaller accounts. */
  minUnreserved(): number {
    return Math.min(MIN_UNRESERVED, this.accountConcurrency);
  }

  /** Reserved concurrency of a region's functions, summed (leaving out `except`). */
  reservedSum(ctx: { accountId: string; region: string }, except?: LambdaFunction): number {
    let sum = 0;
    const prefix = `${ctx.accountId}/${ctx.region}/`;
    for (const [k, f] of this.functions) if (k.startsWith(prefix) && f !== except && f.reservedConcurrency !== undefined) sum += f.reservedConcurrency;
    return sum;
  }

  /** Reserved concurrency of a region's functions, summed (cached: invokes need it, changes are rare). */
  private reservedTotal(where: { accountId: string; region: string }): number {
    const key = `${where.accountId}/${where.region}`;
    let total = this.reservedCache.get(key);
    if (total === undefined) {
      total = this.reservedSum(where);
      this.reservedCache.set(key, total);
    }
    return total;
  }

  /** A function's reserved concurrency was set or removed, or a function deleted: recount. */
  reservedChanged(): void {
    this.reservedCache.clear();
  }

  // ---------------------------------------------------------------- running

  /**
   * Run one invocation on an execution environment, holding a concurrency slot. Throws 429 when none
   * is free. With a `sink` the response streams there as the function writes it (InvokeWithResponseStream,
   * RESPONSE_STREAM Function URLs) and the result's payload is empty on success.
   */
  async run(fn: LambdaFunction, version: FunctionVersion, req: RunRequest, sink?: ResponseSink): Promise<InvokeResult> {
    const { qualifier, requestId, trigger } = req;
    const release = this.acquire(fn);
    const record: InvocationRecord = {
      requestId,
      functionName: fn.name,
      functionArn: fn.arn,
      qualifier: qualifier ?? null,
      executedVersion: version.version,
      trigger,
      coldStart: null,
      environmentId: null,
      start: this.clock.now(),
      end: null,
      outcome: 'running',
      errorType: null,
    };
    if (req.attempt !== undefined) record.attempt = req.attempt;
    this.invocations.add(record);
    try {
      const result = await this.opts.environments.invoke(this.spec(fn, version, req.logGroupName), {
        requestId,
        payload: req.payload,
        invokedFunctionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn,
        clientContext: req.clientContext,
        traceId: req.traceId,
        sink,
      });
      record.coldStart = result.coldStart;
      record.environmentId = result.environmentId;
      record.start = result.start;
      record.end = result.end;
      record.outcome = result.functionError ? 'error' : 'success';
      record.errorType = result.errorType ?? null;
      return result;
    } catch (e) {
      record.end = this.clock.now();
      record.outcome = 'error';
      record.errorType = 'ServiceException';
      throw e;
    } finally {
      release();
    }
  }

  spec(fn: LambdaFunction, v: FunctionVersion, logGroupName?: string): VersionSpec {
    const c = v.config;
    return {
      key: logGroupName ? `${v.envKey}|${logGroupName}` : v.envKey,
      functionName: fn.name,
      version: v.version,
      functionArn: fn.arn,
      region: fn.region,
      accountId: fn.accountId,
      codeDir: c.codeDir,
      handler: c.handler,
      runtime: c.runtime,
      memorySize: c.memorySize,
      timeout: c.timeout,
      environment: c.environment ?? {},
      role: c.role,
      logGroupName: logGroupName ?? c.logGroup,
      layers: c.layers,
    };
  }

  /** Forget every function (admin reset). */
  async reset(): Promise<void> {
    const fns = [...this.functions.values()];
    this.functions.clear();
    this.reservedCache.clear();
    this.perFunction.clear();
    this.perRegion.clear();
    this.mappings.clear();
    this.async.queue.clear();
    this.invocations.clear();
    this.layers.clear();
    await Promise.all(fns.map((f) => this.opts.environments.dropFunction(f.arn).then(() => removeDir(f.codeRoot))));
  }

  /** Settle once the async queue is empty and idle (used by tests through the admin API). */
  asyncIdle(): boolean {
    return this.async.queue.idle();
  }
}

// -------------------------------------------------------------------- helpers shared by the operations

/** A qualifier (version or alias) the function does not have. */
export function notFoundQualifier(fn: LambdaFunction, qualifier: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier}`, 404);
}

/** Changes to $LATEST wait until it is Active and no other update is in progress. */
export function requireUpdatable(fn: LambdaFunction): void {
  if (fn.latest.lastUpdateStatus === 'InProgress') {
    throw new AwsError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`, 409);
  }
  if (fn.latest.state === 'Pending') {
    throw new AwsError('ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: Pending`, 409);
  }
}

function throttle(reason: string): AwsError {
  return new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429, { fields: { Reason: reason }, messageKey: 'message' });
}
