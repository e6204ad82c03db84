/**
 * Function operations: CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
 * DeleteFunction, UpdateFunctionCode, UpdateFunctionConfiguration.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import { codeFromS3, codeLabel, decodeZipFile, privateCodeDir, removeDir, storeCode } from './code';
import { checkFunctionModel } from './constraints';
import { checkCombinedSize, functionUnzippedSize, resolveLayers } from './layers/attach';
import { type FunctionVersion, type LambdaFunction, type VersionConfig, toConfiguration } from './model';
import { checkRuntime } from './runtimes';
import { unzippedSize } from './zip';
import { checkRegion, functionArn, parseFunctionName } from './names';
import { type LambdaService, notFoundQualifier, requireUpdatable } from './service';
import { MAX_TAGS } from './tags';
import {
  ROLE_PATTERN,
  ROLE_RE,
  checkRevision,
  fail,
  javaList,
  maxItems,
  optBool,
  optInt,
  optObject,
  optString,
  optStringMap,
  compareKeys,
  paginateAfter,
  typeError,
  validateEnvironment,
} from './validate';
import { publish } from './versions';

export function createFunction(lambda: LambdaService, input: Record<string, unknown>, ctx: RequestContext) {
  // The model's constraints first, all of them at once, before any business rule [rec].
  checkFunctionModel(input, 'create');
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
  checkRuntime(runtime);
  const timeout = optInt(input, 'Timeout', 'timeout', 1, 900) ?? 3;
  const memorySize = optInt(input, 'MemorySize', 'memorySize', 128, 10240) ?? 128;
  const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
  const env = optObject(input, 'Environment');
  const variables = env ? (optStringMap(env, 'Variables') ?? {}) : undefined;
  validateEnvironment(variables);
  const publishNow = optBool(input, 'Publish') ?? false;
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
  const deadLetterArn = deadLetterTarget(input);
  const code = optObject(input, 'Code');
  if (!code) fail('code', null, 'Member must not be null');
  const zip = codeFrom(lambda, ctx, code);
  const layers = resolveLayers(lambda.layers, ctx, input.Layers);
  checkCombinedSize(unzippedSize(zip), layers);

  const region = ctx.region;
  const key = lambda.key({ accountId: ctx.accountId, region }, ref.name);
  if (lambda.functions.has(key)) {
    throw new AwsError('ResourceConflictException', `Function already exist: ${ref.name}`, 409);
  }
  const stored = storeCode(lambda.dataDir, zip);
  const codeRoot = path.join(lambda.dataDir, 'functions', ctx.accountId, region, `${ref.name}-${randomUUID().slice(0, 8)}`);
  const now = lambda.clock.now();
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
  if (deadLetterArn) config.deadLetterArn = deadLetterArn;
  if (layers?.length) config.layers = layers;
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
  lambda.functions.set(key, fn);
  const response = toConfiguration(fn, latest);
  if (publishNow) {
    // AWS answers Publish=true with the $LATEST configuration (unqualified ARN, Pending) that
    // names the new version in Version.
    const { version } = publish(lambda, fn, '', true);
    response.Version = version.version;
  }
  lambda.settle(fn, latest, 'create');
  return { status: 201, body: response };
}

function codeFrom(lambda: LambdaService, ctx: RequestContext, code: Record<string, unknown>): Buffer {
  if (code.ZipFile !== undefined && code.ZipFile !== null) return decodeZipFile(code.ZipFile);
  if (code.S3Bucket || code.S3Key) return codeFromS3(lambda.codeSource, ctx, code);
  throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.');
}

export function getFunction(lambda: LambdaService, ctx: RequestContext, name: unknown, qualifier: string | null) {
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier);
  const v = versionForRead(fn, q);
  const out: Record<string, unknown> = {
    Configuration: toConfiguration(fn, v, { qualifier: q }),
    Code: { RepositoryType: 'S3', Location: `${ctx.endpoint}/_testbed/code/${fn.region}/${encodeURIComponent(fn.name)}/${encodeURIComponent(v.version)}.zip` },
  };
  if (Object.keys(fn.tags).length) out.Tags = { ...fn.tags };
  if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return out;
}

/** For read APIs a qualifier may be a version or an alias (resolved without routing). */
function versionForRead(fn: LambdaFunction, q: string | undefined): FunctionVersion {
  if (!q || q === '$LATEST') return fn.latest;
  const v = fn.versions.get(q);
  if (v) return v;
  const alias = fn.aliases.get(q);
  if (alias) {
    const target = alias.functionVersion === '$LATEST' ? fn.latest : fn.versions.get(alias.functionVersion);
    if (target) return target;
  }
  throw notFoundQualifier(fn, q);
}

export function getFunctionConfiguration(lambda: LambdaService, ctx: RequestContext, name: unknown, qualifier: string | null) {
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier);
  return toConfiguration(fn, versionForRead(fn, q), { qualifier: q });
}

export function listFunctions(lambda: LambdaService, ctx: RequestContext, query: URLSearchParams) {
  const max = maxItems(query, 10000) ?? 50;
  const all = query.get('FunctionVersion');
  if (all !== null && all !== 'ALL') fail('functionVersion', all, 'Member must satisfy enum value set: [ALL]');
  // Sorted by name, then $LATEST before the numbered versions; the marker names the last entry given.
  const list: { key: string; config: Record<string, unknown> }[] = [];
  const prefix = `${ctx.accountId}/${ctx.region}/`;
  const fns = [...lambda.functions.entries()].filter(([k]) => k.startsWith(prefix)).map(([, f]) => f).sort((a, b) => compareKeys(a.name, b.name));
  for (const fn of fns) {
    // With FunctionVersion=ALL the $LATEST entry carries the qualified ARN (name:$LATEST).
    list.push({ key: `${fn.name}\u0000`, config: toConfiguration(fn, fn.latest, { list: true, qualifier: all === 'ALL' ? '$LATEST' : undefined }) });
    if (all === 'ALL') for (const v of fn.versions.values()) list.push({ key: `${fn.name}\u0000${v.version.padStart(12, '0')}`, config: toConfiguration(fn, v, { list: true }) });
  }
  const page = paginateAfter(list, (e) => e.key, query.get('Marker'), max, 'Functions');
  page.Functions = (page.Functions as typeof list).map((e) => e.config);
  return page;
}

export function deleteFunction(lambda: LambdaService, ctx: RequestContext, name: unknown, qualifier: string | null) {
  // A missing function is named without the qualifier here.
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier, (arn) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404));
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
    void lambda.environments.dropVersion(v.envKey).then(() => removeDir(v.config.codeDir));
    return { status: 204 };
  }
  lambda.functions.delete(lambda.key(fn, fn.name));
  lambda.reservedChanged();
  void lambda.environments.dropFunction(fn.arn).then(() => removeDir(fn.codeRoot));
  return { status: 204 };
}

/** Mark $LATEST as changed: new revision, InProgress, new environments. */
function touch(lambda: LambdaService, fn: LambdaFunction, change: Partial<VersionConfig>): void {
  const v = fn.latest;
  const oldKey = v.envKey;
  v.config = { ...v.config, ...change };
  v.lastModified = lambda.clock.now();
  v.revisionId = randomUUID();
  v.lastUpdateStatus = 'InProgress';
  v.lastUpdateStatusReason = 'The function is being created.';
  v.lastUpdateStatusReasonCode = 'Creating';
  v.envKey = randomUUID();
  void lambda.environments.dropVersion(oldKey);
  lambda.settle(fn, v, 'update');
}

export function updateFunctionCode(lambda: LambdaService, ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
  const { fn, qualifier } = lambda.ref(ctx, name);
  if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for UpdateFunctionCode.');
  const zipRaw = input.ZipFile;
  const zip = zipRaw !== undefined && zipRaw !== null ? decodeZipFile(zipRaw) : codeFrom(lambda, ctx, input);
  const publishNow = optBool(input, 'Publish') ?? false;
  optBool(input, 'DryRun');
  requireUpdatable(fn);
  checkRevision(input, fn.latest.revisionId);
  checkCombinedSize(unzippedSize(zip), fn.latest.config.layers);
  const stored = storeCode(lambda.dataDir, zip);
  touch(lambda, fn, {
    codeSha256: stored.codeSha256,
    codeSize: stored.codeSize,
    codeDir: privateCodeDir(stored, fn.codeRoot, `latest-${codeLabel(stored)}`),
    zipPath: stored.zipPath,
  });
  if (publishNow) {
    // AWS answers with the new version (name:N), still Pending while $LATEST is InProgress.
    return toConfiguration(fn, publish(lambda, fn, '', true).version);
  }
  return toConfiguration(fn, fn.latest);
}

export function updateFunctionConfiguration(lambda: LambdaService, ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
  checkFunctionModel(input, 'update');
  const { fn, qualifier } = lambda.ref(ctx, name);
  if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for UpdateFunctionConfiguration.');
  const change: Partial<VersionConfig> = {};
  const role = optString(input, 'Role', 'role', { pattern: ROLE_RE, patternText: ROLE_PATTERN });
  if (role !== undefined) change.role = role;
  const runtime = optString(input, 'Runtime', 'runtime');
  if (runtime !== undefined) {
    checkRuntime(runtime);
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
  const deadLetterArn = deadLetterTarget(input);
  if (deadLetterArn !== undefined) change.deadLetterArn = deadLetterArn || undefined;
  const ephemeral = optObject(input, 'EphemeralStorage');
  if (ephemeral) change.ephemeralStorage = optInt(ephemeral, 'Size', 'ephemeralStorage.size', 512, 10240) ?? 512;
  const layers = resolveLayers(lambda.layers, fn, input.Layers);
  if (layers !== undefined) {
    checkCombinedSize(functionUnzippedSize(fn.latest.config.zipPath), layers);
    change.layers = layers.length > 0 ? layers : undefined;
  }
  requireUpdatable(fn);
  checkRevision(input, fn.latest.revisionId);
  touch(lambda, fn, change);
  return toConfiguration(fn, fn.latest);
}

const DLQ_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()';

/**
 * DeadLetterConfig.TargetArn: an SQS queue or SNS topic ARN [model]; "" removes it (UpdateFunctionConfiguration).
 * Undefined when the input has no DeadLetterConfig.
 */
function deadLetterTarget(input: Record<string, unknown>): string | undefined {
  const dlc = optObject(input, 'DeadLetterConfig');
  if (!dlc) return undefined;
  const arn = optString(dlc, 'TargetArn', 'deadLetterConfig.targetArn', { max: 10000, pattern: /^((arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|())$/, patternText: DLQ_ARN_PATTERN }) ?? '';
  if (arn !== '' && !/^arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\d{12}:[^:]+$/.test(arn)) {
    // [obs] the wording of this refusal is not confirmed against AWS
    throw new AwsError('InvalidParameterValueException', `The target ARN ${arn} is invalid. It must be an Amazon SQS queue or Amazon SNS topic ARN.`);
  }
  return arn;
}
