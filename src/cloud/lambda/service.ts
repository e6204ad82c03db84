/**
 * The Lambda service: control plane (functions, versions, aliases, concurrency, policies, tags)
 * and the invoke paths. No HTTP here: routes.ts maps the REST-JSON API onto these methods.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import { AsyncQueue } from './async-queue';
import { codeLabel, decodeZipFile, privateCodeDir, storeCode } from './code';
import { InvocationLog, type InvocationRecord } from './invocations';
import { jsonProblem } from '../protocols/jackson';
import { decodeClientContext, tail } from './payload';
import { type Alias, type FunctionVersion, KNOWN_RUNTIMES, type LambdaFunction, SUPPORTED_RUNTIMES, type VersionConfig, toConfiguration } from './model';
import { type FunctionRef, functionArn, parseFunctionName, validateAliasName, validateQualifier } from './names';
import type { EnvironmentManager } from './runtime/manager';
import type { InvokeResult, VersionSpec } from './runtime/types';
import { ROLE_PATTERN, ROLE_RE, fail, javaDoubleMap, javaList, maxItems, optBool, optInt, optObject, optString, optStringMap, typeError, validateEnvironment } from './validate';

export const ACCOUNT_CONCURRENCY = 1000;
export const MIN_UNRESERVED = 100;
export const SYNC_PAYLOAD_LIMIT = 6_291_456;
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;
/** Tags per function. */
const MAX_TAGS = 50;

export interface LambdaOptions {
  clock: Clock;
  dataDir: string;
  environments: EnvironmentManager;
  /** How long a new or updated function stays Pending / InProgress (virtual ms). */
  stateTransitionMs?: number;
  /** Concurrent executions limit of the account (default 1000). */
  accountConcurrency?: number;
}

export interface InvokeInput {
  functionName: string;
  qualifier?: string | null;
  invocationType?: string | null;
  logType?: string | null;
  clientContext?: string | null;
  payload: Buffer;
  /** What fired this invoke: "invoke" (API), "event" (async queue), later "sqs", "sns", ... */
  trigger?: string;
}

export interface InvokeOutput {
  status: number;
  payload?: Buffer;
  headers: Record<string, string>;
}

interface Counter {
  inFlight: number;
  /** Per region: invocations of functions without reserved concurrency (they share the unreserved pool). */
  unreservedInFlight: number;
}

export class LambdaService {
  readonly invocations = new InvocationLog();
  private readonly functions = new Map<string, LambdaFunction>(); // key: account/region/name
  private readonly perFunction = new Map<string, Counter>(); // key: unqualified arn
  private readonly perRegion = new Map<string, Counter>(); // key: account/region
  private readonly reservedCache = new Map<string, number>(); // key: account/region
  private readonly asyncQueue: AsyncQueue;
  stateTransitionMs: number;
  /** The account's concurrent executions limit per region (AWS default 1000; new accounts get 10). */
  accountConcurrency: number;
  /** Per function name: how long that function stays Pending / InProgress (admin knob for tests). */
  readonly stateTransitionOverrides = new Map<string, number>();

  constructor(private readonly opts: LambdaOptions) {
    this.stateTransitionMs = opts.stateTransitionMs ?? 0;
    this.accountConcurrency = opts.accountConcurrency ?? ACCOUNT_CONCURRENCY;
    this.asyncQueue = new AsyncQueue(this, opts.clock);
  }

  get clock(): Clock {
    return this.opts.clock;
  }

  // ---------------------------------------------------------------- lookups

  private key(ctx: { accountId: string; region: string }, name: string): string {
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

  private notFoundQualifier(fn: LambdaFunction, qualifier: string): AwsError {
    return new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier}`, 404);
  }

  // ---------------------------------------------------------------- functions

  createFunction(input: Record<string, unknown>, ctx: RequestContext) {
    const nameRaw = input.FunctionName;
    if (nameRaw === undefined || nameRaw === null) fail('functionName', null, 'Member must not be null');
    const ref = parseFunctionName(nameRaw, 'functionName', 140, 'create');
    checkRegion(ctx, ref);
    if (ref.qualifier) {
      throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for CreateFunction.');
    }
    const packageType = optString(input, 'PackageType', 'packageType');
    if (packageType !== undefined && packageType !== 'Zip' && packageType !== 'Image') {
      fail('packageType', packageType, 'Member must satisfy enum value set: [Image, Zip]');
    }
    if (packageType === 'Image') {
      throw new AwsError('InvalidParameterValueException', 'Container image functions are not supported by this testbed; use PackageType Zip.');
    }
    const role = optString(input, 'Role', 'role', { pattern: ROLE_RE, patternText: ROLE_PATTERN });
    if (role === undefined) fail('role', null, 'Member must not be null');
    const runtime = optString(input, 'Runtime', 'runtime');
    const handler = optString(input, 'Handler', 'handler', { max: 128, pattern: /^[^\s]+$/, patternText: '[^\\s]+' });
    if (runtime === undefined) throw new AwsError('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with Zip packages.');
    if (handler === undefined) throw new AwsError('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with Zip packages.');
    this.checkRuntime(runtime);
    const timeout = optInt(input, 'Timeout', 'timeout', 1, 900) ?? 3;
    const memorySize = optInt(input, 'MemorySize', 'memorySize', 128, 10240) ?? 128;
    const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
    const env = optObject(input, 'Environment');
    const variables = env ? (optStringMap(env, 'Variables') ?? {}) : undefined;
    validateEnvironment(variables);
    const publish = optBool(input, 'Publish') ?? false;
    const tags = optStringMap(input, 'Tags') ?? {};
    if (Object.keys(tags).length > MAX_TAGS) throw new AwsError('InvalidParameterValueException', 'Number of tags exceeds resource tag limit.');
    const tracing = optObject(input, 'TracingConfig');
    const tracingMode = tracing ? (optString(tracing, 'Mode', 'tracingConfig.mode') ?? 'PassThrough') : 'PassThrough';
    if (tracingMode !== 'Active' && tracingMode !== 'PassThrough') fail('tracingConfig.mode', tracingMode, 'Member must satisfy enum value set: [Active, PassThrough]');
    const architectures = (input.Architectures as string[] | undefined) ?? ['x86_64'];
    if (!Array.isArray(architectures)) typeError('Architectures', 'a list');
    if (architectures.length < 1) fail('architectures', javaList(architectures), 'Member must have length greater than or equal to 1');
    if (architectures.length > 1) fail('architectures', javaList(architectures), 'Member must have length less than or equal to 1');
    if (!['x86_64', 'arm64'].includes(architectures[0])) {
      fail('architectures', javaList(architectures), 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]');
    }
    const ephemeral = optObject(input, 'EphemeralStorage');
    const ephemeralStorage = ephemeral ? (optInt(ephemeral, 'Size', 'ephemeralStorage.size', 512, 10240) ?? 512) : 512;
    const code = optObject(input, 'Code');
    if (!code) fail('code', null, 'Member must not be null');
    const zip = this.codeFrom(code);

    const region = ctx.region;
    const key = this.key({ accountId: ctx.accountId, region }, ref.name);
    if (this.functions.has(key)) {
      throw new AwsError('ResourceConflictException', `Function already exist: ${ref.name}`, 409);
    }
    const stored = storeCode(this.opts.dataDir, zip);
    const codeRoot = path.join(this.opts.dataDir, 'functions', ctx.accountId, region, `${ref.name}-${randomUUID().slice(0, 8)}`);
    const now = this.clock.now();
    const config: VersionConfig = {
      runtime,
      handler,
      role,
      description,
      timeout,
      memorySize,
      environment: variables,
      codeSha256: stored.codeSha256,
      codeSize: stored.codeSize,
      codeDir: privateCodeDir(stored, codeRoot, `latest-${codeLabel(stored)}`),
      zipPath: stored.zipPath,
      tracingMode,
      architectures,
      ephemeralStorage,
      logGroup: `/aws/lambda/${ref.name}`,
    };
    const arn = functionArn(region, ctx.accountId, ref.name);
    const latest: FunctionVersion = {
      version: '$LATEST',
      config,
      lastModified: now,
      revisionId: randomUUID(),
      state: 'Pending',
      stateReason: 'The function is being created.',
      stateReasonCode: 'Creating',
      envKey: randomUUID(),
    };
    const fn: LambdaFunction = {
      name: ref.name,
      region,
      accountId: ctx.accountId,
      arn,
      latest,
      versions: new Map(),
      nextVersion: 1,
      aliases: new Map(),
      policies: new Map(),
      tags: { ...tags },
      codeRoot,
    };
    this.functions.set(key, fn);
    const response = toConfiguration(fn, latest);
    if (publish) {
      // AWS answers Publish=true with the $LATEST configuration (unqualified ARN, Pending) that
      // names the new version in Version.
      const { version } = this.publish(fn, '', true);
      response.Version = version.version;
    }
    this.settle(fn, latest, 'create');
    return { status: 201, body: response };
  }

  private checkRuntime(runtime: string): void {
    if (!KNOWN_RUNTIMES.includes(runtime)) {
      throw new AwsError(
        'InvalidParameterValueException',
        `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${KNOWN_RUNTIMES.join(', ')}] or be a valid ARN`,
      );
    }
    if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) {
      throw new AwsError(
        'InvalidParameterValueException',
        `The runtime parameter of ${runtime} is not supported by lambda-testbed. Supported runtimes: ${SUPPORTED_RUNTIMES.join(', ')}.`,
      );
    }
  }

  private codeFrom(code: Record<string, unknown>): Buffer {
    if (code.ZipFile !== undefined && code.ZipFile !== null) return decodeZipFile(code.ZipFile);
    if (code.S3Bucket || code.S3Key) {
      throw new AwsError('InvalidParameterValueException', `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist`);
    }
    throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.');
  }

  /** Pending -> Active (create) or InProgress -> Successful (update), after stateTransitionMs. */
  private settle(fn: LambdaFunction, v: FunctionVersion, kind: 'create' | 'update'): void {
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

  getFunction(ctx: RequestContext, name: unknown, qualifier: string | null) {
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier);
    const v = this.versionForRead(fn, q);
    const out: Record<string, unknown> = {
      Configuration: toConfiguration(fn, v, { qualifier: q }),
      Code: { RepositoryType: 'S3', Location: `${ctx.endpoint}/_testbed/code/${fn.region}/${encodeURIComponent(fn.name)}/${encodeURIComponent(v.version)}.zip` },
    };
    if (Object.keys(fn.tags).length) out.Tags = { ...fn.tags };
    if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
    return out;
  }

  /** For read APIs a qualifier may be a version or an alias (resolved without routing). */
  private versionForRead(fn: LambdaFunction, q: string | undefined): FunctionVersion {
    if (!q || q === '$LATEST') return fn.latest;
    const v = fn.versions.get(q);
    if (v) return v;
    const alias = fn.aliases.get(q);
    if (alias) {
      const target = alias.functionVersion === '$LATEST' ? fn.latest : fn.versions.get(alias.functionVersion);
      if (target) return target;
    }
    throw this.notFoundQualifier(fn, q);
  }

  getFunctionConfiguration(ctx: RequestContext, name: unknown, qualifier: string | null) {
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier);
    return toConfiguration(fn, this.versionForRead(fn, q), { qualifier: q });
  }

  /** Zip of a version, for GetFunction's Code.Location. */
  codeZipPath(ctx: { accountId: string; region: string }, name: string, version: string): string | undefined {
    const fn = this.functions.get(this.key(ctx, name));
    if (!fn) return undefined;
    const v = version === '$LATEST' ? fn.latest : fn.versions.get(version);
    return v?.config.zipPath;
  }

  listFunctions(ctx: RequestContext, query: URLSearchParams) {
    const max = maxItems(query, 10000) ?? 50;
    const all = query.get('FunctionVersion');
    if (all !== null && all !== 'ALL') fail('functionVersion', all, 'Member must satisfy enum value set: [ALL]');
    const list: Record<string, unknown>[] = [];
    const prefix = `${ctx.accountId}/${ctx.region}/`;
    const fns = [...this.functions.entries()].filter(([k]) => k.startsWith(prefix)).map(([, f]) => f).sort((a, b) => a.name.localeCompare(b.name));
    for (const fn of fns) {
      // With FunctionVersion=ALL the $LATEST entry carries the qualified ARN (name:$LATEST).
      list.push(toConfiguration(fn, fn.latest, { list: true, qualifier: all === 'ALL' ? '$LATEST' : undefined }));
      if (all === 'ALL') for (const v of fn.versions.values()) list.push(toConfiguration(fn, v, { list: true }));
    }
    return paginate(list, query.get('Marker'), max, 'Functions');
  }

  deleteFunction(ctx: RequestContext, name: unknown, qualifier: string | null) {
    // A missing function is named without the qualifier here.
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier, (arn) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404));
    if (q === '$LATEST') {
      throw new AwsError('InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.');
    }
    if (q) {
      const v = fn.versions.get(q);
      if (!v) {
        if (fn.aliases.has(q)) throw new AwsError('InvalidParameterValueException', 'Deletion of aliases is not currently supported.');
        // Deleting a version that does not exist succeeds silently on AWS.
        return { status: 204 };
      }
      const users = [...fn.aliases.values()].filter((a) => a.functionVersion === q || (a.routingWeights && q in a.routingWeights)).map((a) => a.name);
      if (users.length) {
        throw new AwsError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`, 409);
      }
      fn.versions.delete(q);
      void this.opts.environments.dropVersion(v.envKey).then(() => removeDir(v.config.codeDir));
      return { status: 204 };
    }
    this.functions.delete(this.key(fn, fn.name));
    this.reservedCache.clear();
    void this.opts.environments.dropFunction(fn.arn).then(() => removeDir(fn.codeRoot));
    return { status: 204 };
  }

  private requireUpdatable(fn: LambdaFunction): void {
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      throw new AwsError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`, 409);
    }
    if (fn.latest.state === 'Pending') {
      throw new AwsError('ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: Pending`, 409);
    }
  }

  private checkRevision(input: Record<string, unknown>, current: string): void {
    const rev = optString(input, 'RevisionId', 'revisionId');
    if (rev !== undefined && rev !== current) {
      throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
    }
  }

  /** Mark $LATEST as changed: new revision, InProgress, new environments. */
  private touch(fn: LambdaFunction, change: Partial<VersionConfig>): void {
    const v = fn.latest;
    const oldKey = v.envKey;
    v.config = { ...v.config, ...change };
    v.lastModified = this.clock.now();
    v.revisionId = randomUUID();
    v.lastUpdateStatus = 'InProgress';
    v.lastUpdateStatusReason = 'The function is being created.';
    v.lastUpdateStatusReasonCode = 'Creating';
    v.envKey = randomUUID();
    void this.opts.environments.dropVersion(oldKey);
    this.settle(fn, v, 'update');
  }

  updateFunctionCode(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    const { fn, qualifier } = this.ref(ctx, name);
    if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for UpdateFunctionCode.');
    const zipRaw = input.ZipFile;
    const zip = zipRaw !== undefined && zipRaw !== null ? decodeZipFile(zipRaw) : this.codeFrom(input);
    const publish = optBool(input, 'Publish') ?? false;
    optBool(input, 'DryRun');
    this.requireUpdatable(fn);
    this.checkRevision(input, fn.latest.revisionId);
    const stored = storeCode(this.opts.dataDir, zip);
    this.touch(fn, {
      codeSha256: stored.codeSha256,
      codeSize: stored.codeSize,
      codeDir: privateCodeDir(stored, fn.codeRoot, `latest-${codeLabel(stored)}`),
      zipPath: stored.zipPath,
    });
    if (publish) {
      // AWS answers with the new version (name:N), still Pending while $LATEST is InProgress.
      return toConfiguration(fn, this.publish(fn, '', true).version);
    }
    return toConfiguration(fn, fn.latest);
  }

  updateFunctionConfiguration(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    const { fn, qualifier } = this.ref(ctx, name);
    if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for UpdateFunctionConfiguration.');
    const change: Partial<VersionConfig> = {};
    const role = optString(input, 'Role', 'role', { pattern: ROLE_RE, patternText: ROLE_PATTERN });
    if (role !== undefined) change.role = role;
    const runtime = optString(input, 'Runtime', 'runtime');
    if (runtime !== undefined) {
      this.checkRuntime(runtime);
      change.runtime = runtime;
    }
    const handler = optString(input, 'Handler', 'handler', { max: 128, pattern: /^[^\s]+$/, patternText: '[^\\s]+' });
    if (handler !== undefined) change.handler = handler;
    const timeout = optInt(input, 'Timeout', 'timeout', 1, 900);
    if (timeout !== undefined) change.timeout = timeout;
    const memorySize = optInt(input, 'MemorySize', 'memorySize', 128, 10240);
    if (memorySize !== undefined) change.memorySize = memorySize;
    const description = optString(input, 'Description', 'description', { max: 256 });
    if (description !== undefined) change.description = description;
    const env = optObject(input, 'Environment');
    if (env) {
      const variables = optStringMap(env, 'Variables') ?? {};
      validateEnvironment(variables);
      change.environment = variables;
    }
    const tracing = optObject(input, 'TracingConfig');
    if (tracing) {
      const mode = optString(tracing, 'Mode', 'tracingConfig.mode') ?? 'PassThrough';
      if (mode !== 'Active' && mode !== 'PassThrough') fail('tracingConfig.mode', mode, 'Member must satisfy enum value set: [Active, PassThrough]');
      change.tracingMode = mode;
    }
    const ephemeral = optObject(input, 'EphemeralStorage');
    if (ephemeral) change.ephemeralStorage = optInt(ephemeral, 'Size', 'ephemeralStorage.size', 512, 10240) ?? 512;
    this.requireUpdatable(fn);
    this.checkRevision(input, fn.latest.revisionId);
    this.touch(fn, change);
    return toConfiguration(fn, fn.latest);
  }

  // ---------------------------------------------------------------- versions

  /**
   * Publish $LATEST as a new version, or return the last version when nothing changed since.
   * `pending`: the version is published together with a create or code update (Publish=true); it
   * starts Pending, like $LATEST, and becomes Active with it.
   */
  private publish(fn: LambdaFunction, description: string, pending = false): { version: FunctionVersion; created: boolean } {
    const latest = fn.latest;
    const last = [...fn.versions.values()].at(-1);
    if (last && sameConfig(last.config, latest.config)) return { version: last, created: false };
    const version = String(fn.nextVersion++);
    const v: FunctionVersion = {
      version,
      config: {
        ...latest.config,
        description: description || latest.config.description,
        environment: latest.config.environment && { ...latest.config.environment },
        codeDir: privateCodeDir({ dir: latest.config.codeDir }, fn.codeRoot, `version-${version}`),
      },
      lastModified: this.clock.now(),
      revisionId: randomUUID(),
      state: 'Active',
      lastUpdateStatus: 'Successful',
      envKey: randomUUID(),
    };
    if (pending) {
      v.state = 'Pending';
      v.stateReason = 'The function is being created.';
      v.stateReasonCode = 'Creating';
      v.lastUpdateStatus = undefined;
      this.settle(fn, v, 'create');
    }
    fn.versions.set(version, v);
    return { version: v, created: true };
  }

  publishVersion(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    const { fn, qualifier } = this.ref(ctx, name);
    if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for PublishVersion.');
    const sha = optString(input, 'CodeSha256', 'codeSha256');
    const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
    this.requireUpdatable(fn);
    if (sha !== undefined && sha !== fn.latest.config.codeSha256) {
      throw new AwsError(
        'InvalidParameterValueException',
        `CodeSHA256 (${sha}) is different from current CodeSHA256 in $LATEST (${fn.latest.config.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    this.checkRevision(input, fn.latest.revisionId);
    const { version, created } = this.publish(fn, description);
    // Publishing a new version gives $LATEST a new RevisionId too (as AWS shows).
    if (created) fn.latest.revisionId = randomUUID();
    return { status: 201, body: toConfiguration(fn, version) };
  }

  listVersions(ctx: RequestContext, name: unknown, query: URLSearchParams) {
    const { fn, qualifier } = this.ref(ctx, name);
    if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for ListVersionsByFunction.');
    const max = maxItems(query, 10000) ?? 50;
    const list = [toConfiguration(fn, fn.latest, { list: true, qualifier: '$LATEST' }), ...[...fn.versions.values()].map((v) => toConfiguration(fn, v, { list: true }))];
    return paginate(list, query.get('Marker'), max, 'Versions');
  }

  // ---------------------------------------------------------------- aliases

  private aliasOut(fn: LambdaFunction, a: Alias) {
    const out: Record<string, unknown> = {
      AliasArn: `${fn.arn}:${a.name}`,
      Name: a.name,
      FunctionVersion: a.functionVersion,
      Description: a.description,
      RevisionId: a.revisionId,
    };
    if (a.routingWeights) out.RoutingConfig = { AdditionalVersionWeights: { ...a.routingWeights } };
    return out;
  }

  private aliasTarget(fn: LambdaFunction, version: unknown): string {
    if (typeof version !== 'string' || version.length === 0) fail('functionVersion', version, 'Member must not be null');
    if (!/^(\$LATEST|[0-9]+)$/.test(version)) fail('functionVersion', version, 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
    if (version !== '$LATEST' && !fn.versions.has(version)) {
      throw new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${version}`, 404);
    }
    return version;
  }

  private routing(fn: LambdaFunction, primary: string, input: Record<string, unknown>): Record<string, number> | undefined {
    const rc = optObject(input, 'RoutingConfig');
    if (!rc) return undefined;
    const weights = optObject(rc, 'AdditionalVersionWeights');
    if (!weights || Object.keys(weights).length === 0) return undefined;
    const entries = Object.entries(weights);
    const field = 'routingConfig.additionalVersionWeights';
    for (const [k, w] of entries) {
      if (!/^[0-9]+$/.test(k) || k.length > 1024) {
        fail(field, javaDoubleMap(weights), 'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]');
      }
      if (typeof w !== 'number' || w < 0 || w > 1) {
        fail(field, javaDoubleMap(weights), 'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
      }
    }
    if (entries.length > 1) throw new AwsError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');
    const [ver, w] = entries[0] as [string, number];
    if (primary === '$LATEST') {
      throw new AwsError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version');
    }
    if (!fn.versions.has(ver)) throw new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${ver}`, 404);
    if (ver === primary) throw new AwsError('InvalidParameterValueException', `Invalid function version ${ver}. Function version ${ver} is already included in routing configuration.`);
    return { [ver]: w };
  }

  createAlias(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    // For a missing function AWS names the version the alias was to point at.
    const target = typeof input.FunctionVersion === 'string' ? input.FunctionVersion : undefined;
    const { fn, qualifier } = this.ref(ctx, name, undefined, (arn, q) => {
      const named = q ?? target;
      return new AwsError('ResourceNotFoundException', `Function not found: ${named ? `${arn}:${named}` : arn}`, 404);
    });
    if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for CreateAlias.');
    const aliasName = validateAliasName(input.Name);
    const version = this.aliasTarget(fn, input.FunctionVersion);
    const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
    const weights = this.routing(fn, version, input);
    if (fn.aliases.has(aliasName)) {
      throw new AwsError('ResourceConflictException', `Alias already exists: ${fn.arn}:${aliasName}`, 409);
    }
    const alias: Alias = { name: aliasName, functionVersion: version, description, routingWeights: weights, revisionId: randomUUID() };
    fn.aliases.set(aliasName, alias);
    return { status: 201, body: this.aliasOut(fn, alias) };
  }

  private alias(fn: LambdaFunction, aliasName: string): Alias {
    const a = fn.aliases.get(aliasName);
    if (!a) throw new AwsError('ResourceNotFoundException', `Cannot find alias arn: ${fn.arn}:${aliasName}`, 404);
    return a;
  }

  getAlias(ctx: RequestContext, name: unknown, aliasName: string) {
    const { fn } = this.ref(ctx, name);
    validateAliasName(aliasName);
    return this.aliasOut(fn, this.alias(fn, aliasName));
  }

  updateAlias(ctx: RequestContext, name: unknown, aliasName: string, input: Record<string, unknown>) {
    const { fn } = this.ref(ctx, name);
    validateAliasName(aliasName);
    const a = this.alias(fn, aliasName);
    this.checkRevision(input, a.revisionId);
    const version = input.FunctionVersion !== undefined ? this.aliasTarget(fn, input.FunctionVersion) : a.functionVersion;
    const description = optString(input, 'Description', 'description', { max: 256 });
    const weights = input.RoutingConfig !== undefined ? this.routing(fn, version, input) : a.routingWeights;
    a.functionVersion = version;
    if (description !== undefined) a.description = description;
    a.routingWeights = weights;
    a.revisionId = randomUUID();
    return this.aliasOut(fn, a);
  }

  deleteAlias(ctx: RequestContext, name: unknown, aliasName: string) {
    const { fn } = this.ref(ctx, name);
    validateAliasName(aliasName);
    fn.aliases.delete(aliasName);
    return { status: 204 };
  }

  listAliases(ctx: RequestContext, name: unknown, query: URLSearchParams) {
    const { fn } = this.ref(ctx, name);
    const max = maxItems(query, 10000) ?? 50;
    const fv = query.get('FunctionVersion');
    const list = [...fn.aliases.values()]
      .filter((a) => fv === null || a.functionVersion === fv)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => this.aliasOut(fn, a));
    return paginate(list, query.get('Marker'), max, 'Aliases');
  }

  // ---------------------------------------------------------------- concurrency

  private reservedSum(ctx: { accountId: string; region: string }, except?: LambdaFunction): number {
    let sum = 0;
    const prefix = `${ctx.accountId}/${ctx.region}/`;
    for (const [k, f] of this.functions) if (k.startsWith(prefix) && f !== except && f.reservedConcurrency !== undefined) sum += f.reservedConcurrency;
    return sum;
  }

  putFunctionConcurrency(ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
    // A missing function is reported as its $LATEST here.
    const { fn, qualifier } = this.ref(ctx, name, undefined, (arn, q) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}:${q ?? '$LATEST'}`, 404));
    if (qualifier) {
      throw new AwsError(
        'InvalidParameterValueException',
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
      );
    }
    const n = optInt(input, 'ReservedConcurrentExecutions', 'reservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER);
    if (n === undefined) fail('reservedConcurrentExecutions', null, 'Member must not be null');
    if (this.accountConcurrency - this.reservedSum(fn, fn) - n < this.minUnreserved()) {
      throw new AwsError(
        'InvalidParameterValueException',
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.minUnreserved()}].`,
      );
    }
    fn.reservedConcurrency = n;
    this.reservedCache.clear();
    return { ReservedConcurrentExecutions: n };
  }

  getFunctionConcurrency(ctx: RequestContext, name: unknown) {
    const { fn } = this.ref(ctx, name);
    return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
  }

  deleteFunctionConcurrency(ctx: RequestContext, name: unknown) {
    const { fn } = this.ref(ctx, name);
    fn.reservedConcurrency = undefined;
    this.reservedCache.clear();
    return { status: 204 };
  }

  getAccountSettings(ctx: RequestContext) {
    const prefix = `${ctx.accountId}/${ctx.region}/`;
    let totalCodeSize = 0;
    let count = 0;
    for (const [k, f] of this.functions) {
      if (!k.startsWith(prefix)) continue;
      count++;
      totalCodeSize += f.latest.config.codeSize;
      for (const v of f.versions.values()) totalCodeSize += v.config.codeSize;
    }
    return {
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: this.accountConcurrency,
        UnreservedConcurrentExecutions: this.accountConcurrency - this.reservedSum(ctx),
      },
      AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: count },
    };
  }

  // ---------------------------------------------------------------- policies and tags

  /**
   * The resource a policy belongs to: $LATEST (unqualified), a version or an alias. Its RevisionId is
   * the policy's RevisionId, and adding or removing a statement gives it a new one.
   */
  private policyTarget(fn: LambdaFunction, q: string | undefined): { revisionId: string } {
    if (!q) return fn.latest;
    const v = fn.versions.get(q);
    if (v) return v;
    const alias = fn.aliases.get(q);
    if (alias) return alias;
    // An alias-shaped qualifier is looked up as an alias; anything else as a version.
    if (/^(?!^[0-9]+$)[a-zA-Z0-9-_]+$/.test(q)) throw new AwsError('ResourceNotFoundException', `Cannot find alias arn: ${fn.arn}:${q}`, 404);
    throw this.notFoundQualifier(fn, q);
  }

  addPermission(ctx: RequestContext, name: unknown, qualifier: string | null, input: Record<string, unknown>) {
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier);
    if (q === '$LATEST') throw new AwsError('InvalidParameterValueException', 'We currently do not support adding policies for $LATEST.');
    const sid = optString(input, 'StatementId', 'statementId', { min: 1, max: 100, pattern: /^([a-zA-Z0-9-_]+)$/, patternText: '([a-zA-Z0-9-_]+)' });
    if (sid === undefined) fail('statementId', null, 'Member must not be null');
    const action = optString(input, 'Action', 'action', { pattern: /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/, patternText: '(lambda:[*]|lambda:[a-zA-Z]+|[*])' });
    if (action === undefined) fail('action', null, 'Member must not be null');
    const principal = optString(input, 'Principal', 'principal', { pattern: /^[^\s]+$/, patternText: '[^\\s]+' });
    if (principal === undefined) fail('principal', null, 'Member must not be null');
    const sourceArn = optString(input, 'SourceArn', 'sourceArn');
    const sourceAccount = optString(input, 'SourceAccount', 'sourceAccount');
    const orgId = optString(input, 'PrincipalOrgID', 'principalOrgID');
    const urlAuth = optString(input, 'FunctionUrlAuthType', 'functionUrlAuthType');
    const eventSourceToken = optString(input, 'EventSourceToken', 'eventSourceToken');
    const target = this.policyTarget(fn, q);
    this.checkRevision(input, target.revisionId);
    const statements = fn.policies.get(q ?? '') ?? [];
    if (statements.some((st) => st.Sid === sid)) {
      throw new AwsError('ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
    }
    // Condition keys in the order AWS writes them.
    const equals: Record<string, string> = {};
    if (urlAuth) equals['lambda:FunctionUrlAuthType'] = urlAuth;
    if (orgId) equals['aws:PrincipalOrgID'] = orgId;
    if (sourceAccount) equals['AWS:SourceAccount'] = sourceAccount;
    if (eventSourceToken) equals['lambda:EventSourceToken'] = eventSourceToken;
    const condition: Record<string, Record<string, string>> = {};
    if (Object.keys(equals).length) condition.StringEquals = equals;
    if (sourceArn) condition.ArnLike = { 'AWS:SourceArn': sourceArn };
    const principalOut =
      principal === '*' ? '*' : /^\d{12}$/.test(principal) ? { AWS: `arn:aws:iam::${principal}:root` } : principal.startsWith('arn:') ? { AWS: principal } : { Service: principal };
    const statement = {
      Sid: sid,
      Effect: 'Allow' as const,
      Principal: principalOut,
      Action: action,
      Resource: q ? `${fn.arn}:${q}` : fn.arn,
      ...(Object.keys(condition).length ? { Condition: condition } : {}),
    };
    statements.push(statement);
    fn.policies.set(q ?? '', statements);
    target.revisionId = randomUUID();
    return { status: 201, body: { Statement: JSON.stringify(statement) } };
  }

  getPolicy(ctx: RequestContext, name: unknown, qualifier: string | null) {
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier);
    const noPolicy = () => new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
    let target: { revisionId: string };
    try {
      target = q === '$LATEST' ? fn.latest : this.policyTarget(fn, q);
    } catch {
      throw noPolicy(); // an unknown version or alias has no policy either
    }
    const statements = fn.policies.get(q === '$LATEST' ? '' : (q ?? ''));
    if (!statements || statements.length === 0) throw noPolicy();
    return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }), RevisionId: target.revisionId };
  }

  removePermission(ctx: RequestContext, name: unknown, sid: string, qualifier: string | null, revisionId: string | null) {
    const { fn, qualifier: q } = this.ref(ctx, name, qualifier, (arn) => new AwsError('ResourceNotFoundException', `No policy found for: ${arn}`, 404));
    const target = this.policyTarget(fn, q === '$LATEST' ? undefined : q);
    const statements = fn.policies.get(q === '$LATEST' ? '' : (q ?? ''));
    if (!statements || statements.length === 0) throw new AwsError('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
    if (revisionId !== null) this.checkRevision({ RevisionId: revisionId }, target.revisionId);
    const idx = statements.findIndex((st) => st.Sid === sid);
    if (idx < 0) throw new AwsError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404);
    statements.splice(idx, 1);
    target.revisionId = randomUUID();
    return { status: 204 };
  }

  private byArn(arn: string): LambdaFunction {
    const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(arn);
    if (!m) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`);
    }
    if (m[4]) throw new AwsError('InvalidParameterValueException', 'Tags on function aliases and versions are not supported. Please specify a function ARN.');
    const fn = this.functions.get(`${m[2]}/${m[1]}/${m[3]}`);
    if (!fn) throw new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
    return fn;
  }

  tagResource(ctx: RequestContext, arn: string, input: Record<string, unknown>) {
    const fn = this.byArn(arn);
    const tags = optStringMap(input, 'Tags');
    if (!tags) fail('tags', null, 'Member must not be null');
    if (Object.keys(tags).length === 0) throw new AwsError('InvalidParameterValueException', 'An error occurred and the request cannot be processed.');
    if (Object.keys({ ...fn.tags, ...tags }).length > MAX_TAGS) throw new AwsError('InvalidParameterValueException', 'Number of tags exceeds resource tag limit.');
    Object.assign(fn.tags, tags);
    return { status: 204 };
  }

  untagResource(ctx: RequestContext, arn: string, keys: string[]) {
    const fn = this.byArn(arn);
    if (keys.length === 0) fail('tagKeys', null, 'Member must not be null');
    for (const k of keys) delete fn.tags[k];
    return { status: 204 };
  }

  listTags(ctx: RequestContext, arn: string) {
    return { Tags: { ...this.byArn(arn).tags } };
  }

  // ---------------------------------------------------------------- invoke

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
  private minUnreserved(): number {
    return Math.min(MIN_UNRESERVED, this.accountConcurrency);
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

  async invoke(ctx: RequestContext, input: InvokeInput): Promise<InvokeOutput> {
    const type = input.invocationType ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      fail('invocationType', type, 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
    }
    const logType = input.logType ?? 'None';
    if (logType !== 'None' && logType !== 'Tail') fail('logType', logType, 'Member must satisfy enum value set: [Tail, None]');
    // Invoke names the version it looked for: an unqualified name means $LATEST.
    const { fn, qualifier } = this.ref(ctx, input.functionName, input.qualifier, (arn, q) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}:${q ?? '$LATEST'}`, 404));
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
    const { version } = this.resolveVersion(fn, qualifier);
    if (version.state !== 'Active') {
      throw new AwsError(
        'ResourceConflictException',
        `The operation cannot be performed at this time. The function is currently in the following state: ${version.state}`,
        409,
      );
    }
    const executedVersion = version.version;
    if (type === 'DryRun') return { status: 204, headers: { 'x-amz-executed-version': executedVersion } };
    if (type === 'Event') {
      const requestId = ctx.requestId;
      this.asyncQueue.enqueue({ ctx, fn, qualifier, payload, requestId, enqueuedAt: this.clock.now(), attempts: 0 });
      return { status: 202, headers: { 'x-amzn-requestid': requestId } };
    }
    const result = await this.run(fn, version, qualifier, ctx.requestId, payload, clientContext, input.trigger ?? 'invoke');
    const headers: Record<string, string> = { 'x-amz-executed-version': executedVersion, 'content-type': 'application/json' };
    if (result.functionError) headers['x-amz-function-error'] = result.functionError;
    if (logType === 'Tail') headers['x-amz-log-result'] = tail(result.log);
    return { status: 200, payload: result.payload, headers };
  }

  /** Run one invocation on an execution environment, holding a concurrency slot. Throws 429 when none is free. */
  async run(
    fn: LambdaFunction,
    version: FunctionVersion,
    qualifier: string | undefined,
    requestId: string,
    payload: Buffer,
    clientContext: string | undefined,
    trigger: string,
  ): Promise<InvokeResult> {
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
    this.invocations.add(record);
    try {
      const result = await this.opts.environments.invoke(this.spec(fn, version), {
        requestId,
        payload,
        invokedFunctionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn,
        clientContext,
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

  spec(fn: LambdaFunction, v: FunctionVersion): VersionSpec {
    const c = v.config;
    return {
      key: v.envKey,
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
      logGroupName: c.logGroup,
    };
  }

  /** Forget every function (admin reset). */
  async reset(): Promise<void> {
    const fns = [...this.functions.values()];
    this.functions.clear();
    this.reservedCache.clear();
    this.perFunction.clear();
    this.perRegion.clear();
    this.asyncQueue.clear();
    this.invocations.clear();
    await Promise.all(fns.map((f) => this.opts.environments.dropFunction(f.arn).then(() => removeDir(f.codeRoot))));
  }

  /** Settle once the async queue is empty and idle (used by tests through the admin API). */
  asyncIdle(): boolean {
    return this.asyncQueue.idle();
  }
}

// -------------------------------------------------------------------- helpers

/** A function ARN from another region names nothing here: AWS answers 404 with this message. */
function checkRegion(ctx: { region: string }, ref: FunctionRef): void {
  if (ref.region && ref.region !== ctx.region) {
    throw new AwsError('ResourceNotFoundException', `Functions from '${ref.region}' are not reachable in this region ('${ctx.region}')`, 404);
  }
}

function removeDir(dir: string): void {
  fs.rm(dir, { recursive: true, force: true }, () => undefined);
}

function throttle(reason: string): AwsError {
  return new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429, { fields: { Reason: reason }, messageKey: 'message' });
}

function paginate<T>(list: T[], marker: string | null, max: number, key: string): Record<string, unknown> {
  let start = 0;
  if (marker) {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0 || n > list.length) throw new AwsError('InvalidParameterValueException', 'Invalid marker');
    start = n;
  }
  const page = list.slice(start, start + max);
  const out: Record<string, unknown> = { [key]: page };
  if (start + max < list.length) out.NextMarker = Buffer.from(String(start + max)).toString('base64');
  return out;
}

function sameConfig(a: VersionConfig, b: VersionConfig): boolean {
  // Code is compared by CodeSha256; each version has its own private copy (codeDir).
  return JSON.stringify({ ...a, description: '', codeDir: '' }) === JSON.stringify({ ...b, description: '', codeDir: '' });
}

