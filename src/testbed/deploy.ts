/**
 * Deploy: a declared stack applied through the AWS SDK v3 clients. The same calls for every target,
 * and idempotent: applying a stack that is already in place reads state and changes nothing.
 *
 * Functions now; queues, topics, streams, rules and event source mappings later (each a section of
 * StackSpec and a step in deployStack, in dependency order).
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type Runtime,
  type UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { buildFunctions, type BuiltFunction } from './build';
import { makeLambdaClient, type TargetConnection } from './clients';

export type NodeRuntime = 'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x';
/** Every runtime a stack may name: Node.js, Python (functions/<name>/handler.py) and OS-only (functions/<name>/bootstrap). */
export type FunctionRuntime = NodeRuntime | 'nodejs24.x' | `python3.${number}` | 'provided.al2' | 'provided.al2023';

export interface AliasSpec {
  /** "1", "2", ... or "$LATEST". */
  version: string;
}

export interface FunctionSpec {
  /** Folder under functions/. */
  code: string;
  /** Default index.handler. */
  handler?: string;
  /** Default nodejs20.x. Python and custom-runtime folders name theirs (with handler, e.g. handler.handler). */
  runtime?: FunctionRuntime;
  /** Seconds, default 3 (as AWS). */
  timeout?: number;
  /** MB, default 128 (as AWS). */
  memorySize?: number;
  environment?: Record<string, string>;
  description?: string;
  /** A number reserves concurrency; null or absent means no reservation. */
  reservedConcurrency?: number | null;
  /** Publish a version of the deployed code and configuration (reused when nothing changed). */
  publish?: boolean;
  aliases?: Record<string, AliasSpec>;
}

export interface StackSpec {
  /** Prefix for resource names: functions are `${name}-${logicalId}`. */
  name: string;
  functions: Record<string, FunctionSpec>;
}

export interface DeployedFunction {
  name: string;
  arn: string;
  /** The published version, when the spec asked for publish. */
  version?: string;
  aliases: Record<string, { arn: string; version: string }>;
}

export interface DeployedStack {
  name: string;
  functions: Record<string, DeployedFunction>;
  roleArn: string;
  /** What this deploy changed, one line per change ("create-function x", "update-code x", ...); empty when nothing did. */
  changes: string[];
  /** Deletes the stack's functions and role. */
  destroy(): Promise<void>;
}

export interface DeployClients {
  lambda: LambdaClient;
  iam: IAMClient;
}

export interface DeployOptions {
  /** Prebuilt zips by code folder name; otherwise buildFunctions builds what the stack needs. */
  built?: Record<string, BuiltFunction>;
  functionsDir?: string;
  outDir?: string;
  /** Progress messages (one per change); default silent. */
  log?: (message: string) => void;
  /** Upper bound for each wait on a function's state, seconds. Default 120. */
  maxWaitSeconds?: number;
}

export const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const FUNCTION_DEFAULTS = {
  handler: 'index.handler',
  runtime: 'nodejs20.x' as NodeRuntime,
  timeout: 3,
  memorySize: 128,
  description: '',
};

// ---------------------------------------------------------------- names

const MAX_FUNCTION_NAME = 64;
const MAX_ROLE_NAME = 64;
const NAME_RE = /^[A-Za-z0-9_-]+$/;

export function functionName(stackName: string, logicalId: string): string {
  const name = `${stackName}-${logicalId}`;
  if (!NAME_RE.test(name)) throw new Error(`Invalid function name ${JSON.stringify(name)}: use letters, digits, - and _`);
  if (name.length > MAX_FUNCTION_NAME) {
    throw new Error(`Function name ${JSON.stringify(name)} is ${name.length} characters; Lambda allows ${MAX_FUNCTION_NAME}`);
  }
  return name;
}

export function roleName(stackName: string): string {
  return `${stackName}-lambda-role`.slice(0, MAX_ROLE_NAME);
}

// ---------------------------------------------------------------- pure diffing

/** The spec with every default filled in, in the shape Lambda reports it. */
export interface DesiredConfiguration {
  Handler: string;
  Runtime: FunctionRuntime;
  Timeout: number;
  MemorySize: number;
  Description: string;
  Environment: Record<string, string>;
  Role: string;
}

export function desiredConfiguration(spec: FunctionSpec, roleArn: string): DesiredConfiguration {
  return {
    Handler: spec.handler ?? FUNCTION_DEFAULTS.handler,
    Runtime: spec.runtime ?? FUNCTION_DEFAULTS.runtime,
    Timeout: spec.timeout ?? FUNCTION_DEFAULTS.timeout,
    MemorySize: spec.memorySize ?? FUNCTION_DEFAULTS.memorySize,
    Description: spec.description ?? FUNCTION_DEFAULTS.description,
    Environment: { ...(spec.environment ?? {}) },
    Role: roleArn,
  };
}

/**
 * The UpdateFunctionConfiguration fields needed to turn `current` into `desired`, or null when they
 * already agree. Absent fields in `current` count as AWS's defaults (no environment = {}, no
 * description = "").
 */
export function diffFunctionConfiguration(
  current: FunctionConfiguration,
  desired: DesiredConfiguration,
): Omit<UpdateFunctionConfigurationRequest, 'FunctionName'> | null {
  const patch: Omit<UpdateFunctionConfigurationRequest, 'FunctionName'> = {};
  if (current.Handler !== desired.Handler) patch.Handler = desired.Handler;
  if (current.Runtime !== desired.Runtime) patch.Runtime = desired.Runtime as Runtime;
  if ((current.Timeout ?? FUNCTION_DEFAULTS.timeout) !== desired.Timeout) patch.Timeout = desired.Timeout;
  if ((current.MemorySize ?? FUNCTION_DEFAULTS.memorySize) !== desired.MemorySize) patch.MemorySize = desired.MemorySize;
  if ((current.Description ?? '') !== desired.Description) patch.Description = desired.Description;
  if (!sameStringMap(current.Environment?.Variables ?? {}, desired.Environment)) {
    patch.Environment = { Variables: { ...desired.Environment } };
  }
  if (current.Role !== desired.Role) patch.Role = desired.Role;
  return Object.keys(patch).length === 0 ? null : patch;
}

/** True when the code needs uploading: the deployed CodeSha256 differs from the built zip's. */
export function codeChanged(current: FunctionConfiguration, built: Pick<BuiltFunction, 'codeSha256'>): boolean {
  return current.CodeSha256 !== built.codeSha256;
}

/** Reserved concurrency change: 'put' with the value, 'delete', or null for none. */
export function diffConcurrency(
  current: number | undefined,
  desired: number | null | undefined,
): { action: 'put'; value: number } | { action: 'delete' } | null {
  const want = desired ?? undefined;
  if (want === current) return null;
  if (want === undefined) return { action: 'delete' };
  return { action: 'put', value: want };
}

/**
 * Whether a published version already captures `latest` ($LATEST after deploy): same code and the
 * same configuration. PublishVersion on AWS returns the existing version in that case; this makes
 * deploy idempotent on targets that would publish a duplicate.
 */
export function versionMatches(version: FunctionConfiguration, latest: FunctionConfiguration): boolean {
  if (version.CodeSha256 !== latest.CodeSha256) return false;
  const asDesired: DesiredConfiguration = {
    Handler: latest.Handler ?? '',
    Runtime: (latest.Runtime ?? '') as FunctionRuntime,
    Timeout: latest.Timeout ?? FUNCTION_DEFAULTS.timeout,
    MemorySize: latest.MemorySize ?? FUNCTION_DEFAULTS.memorySize,
    Description: latest.Description ?? '',
    Environment: latest.Environment?.Variables ?? {},
    Role: latest.Role ?? '',
  };
  return diffFunctionConfiguration(version, asDesired) === null;
}

function sameStringMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k]);
}

// ---------------------------------------------------------------- apply

export function validateStack(spec: StackSpec): void {
  if (!spec.name) throw new Error('StackSpec.name is required');
  for (const [id, fn] of Object.entries(spec.functions)) {
    functionName(spec.name, id);
    if (!fn.code) throw new Error(`Function ${id}: code (a folder under functions/) is required`);
    for (const [alias, a] of Object.entries(fn.aliases ?? {})) {
      if (a.version !== '$LATEST' && !/^[1-9][0-9]*$/.test(a.version)) {
        throw new Error(`Function ${id}, alias ${alias}: version must be "$LATEST" or a number, got ${JSON.stringify(a.version)}`);
      }
    }
  }
}

function isDeployClients(x: TargetConnection | DeployClients): x is DeployClients {
  return typeof (x as DeployClients).lambda === 'object' && typeof (x as DeployClients).iam === 'object';
}

function errorName(err: unknown): string {
  return (err as { name?: string } | null)?.name ?? '';
}

export async function deployStack(
  targetOrClients: TargetConnection | DeployClients,
  spec: StackSpec,
  opts: DeployOptions = {},
): Promise<DeployedStack> {
  validateStack(spec);
  let clients: DeployClients;
  if (isDeployClients(targetOrClients)) {
    clients = targetOrClients;
  } else {
    // Clients made for this stack; destroy() uses them later.
    clients = {
      lambda: makeLambdaClient(targetOrClients),
      iam: new IAMClient({
        endpoint: targetOrClients.endpoint,
        region: targetOrClients.region,
        credentials: { ...targetOrClients.credentials },
      }),
    };
  }
  const changes: string[] = [];
  const log = (message: string): void => {
    changes.push(message);
    opts.log?.(message);
  };
  const maxWaitTime = opts.maxWaitSeconds ?? 120;
  const waiter = { client: clients.lambda, maxWaitTime, minDelay: 0.05, maxDelay: 2 };

  const roleArn = await ensureRole(clients.iam, roleName(spec.name), log);

  const codeNames = [...new Set(Object.values(spec.functions).map((f) => f.code))];
  const missing = codeNames.filter((n) => !opts.built?.[n]);
  const built: Record<string, BuiltFunction> = { ...(opts.built ?? {}) };
  if (missing.length > 0) {
    Object.assign(
      built,
      await buildFunctions({ functionsDir: opts.functionsDir, outDir: opts.outDir, names: missing }),
    );
  }

  const functions: Record<string, DeployedFunction> = {};
  // Functions are independent of each other: apply them concurrently.
  await Promise.all(
    Object.entries(spec.functions).map(async ([logicalId, fnSpec]) => {
      const zip = built[fnSpec.code];
      if (!zip) throw new Error(`Function ${logicalId}: no build output for functions/${fnSpec.code}`);
      functions[logicalId] = await applyFunction(
        clients.lambda,
        functionName(spec.name, logicalId),
        fnSpec,
        zip,
        roleArn,
        waiter,
        log,
      );
    }),
  );

  const lambda = clients.lambda;
  const iam = clients.iam;
  return {
    name: spec.name,
    functions,
    roleArn,
    changes,
    destroy: async () => {
      for (const fn of Object.values(functions)) {
        try {
          await lambda.send(new DeleteFunctionCommand({ FunctionName: fn.name }));
        } catch (err) {
          if (errorName(err) !== 'ResourceNotFoundException') throw err;
        }
      }
      try {
        await iam.send(new DeleteRoleCommand({ RoleName: roleName(spec.name) }));
      } catch (err) {
        if (errorName(err) !== 'NoSuchEntityException' && errorName(err) !== 'NoSuchEntity') throw err;
      }
    },
  };
}

async function ensureRole(iam: IAMClient, name: string, log: (m: string) => void): Promise<string> {
  try {
    const out = await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY, Path: '/' }),
    );
    log(`create-role ${name}`);
    if (out.Role?.Arn) return out.Role.Arn;
  } catch (err) {
    const n = errorName(err);
    if (n !== 'EntityAlreadyExistsException' && n !== 'EntityAlreadyExists') throw err;
  }
  const got = await iam.send(new GetRoleCommand({ RoleName: name }));
  if (!got.Role?.Arn) throw new Error(`IAM GetRole ${name} returned no Arn`);
  return got.Role.Arn;
}

type Waiter = { client: LambdaClient; maxWaitTime: number; minDelay: number; maxDelay: number };

async function getFunctionOrUndefined(lambda: LambdaClient, name: string): Promise<FunctionConfiguration | undefined> {
  try {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return out.Configuration;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

async function applyFunction(
  lambda: LambdaClient,
  name: string,
  spec: FunctionSpec,
  built: BuiltFunction,
  roleArn: string,
  waiter: Waiter,
  log: (m: string) => void,
): Promise<DeployedFunction> {
  const desired = desiredConfiguration(spec, roleArn);
  let current = await getFunctionOrUndefined(lambda, name);

  if (!current) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: desired.Runtime as Runtime,
        Role: desired.Role,
        Handler: desired.Handler,
        Code: { ZipFile: built.zip },
        Timeout: desired.Timeout,
        MemorySize: desired.MemorySize,
        Description: desired.Description,
        Environment: { Variables: desired.Environment },
        Publish: false,
      }),
    );
    log(`create-function ${name}`);
    await waitUntilFunctionActiveV2(waiter, { FunctionName: name });
  } else {
    if (current.State !== 'Active') await waitUntilFunctionActiveV2(waiter, { FunctionName: name });
    if (current.LastUpdateStatus === 'InProgress') await waitUntilFunctionUpdatedV2(waiter, { FunctionName: name });
    if (codeChanged(current, built)) {
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: built.zip }));
      log(`update-code ${name}`);
      await waitUntilFunctionUpdatedV2(waiter, { FunctionName: name });
    }
    const patch = diffFunctionConfiguration(current, desired);
    if (patch) {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...patch }));
      log(`update-configuration ${name} (${Object.keys(patch).join(', ')})`);
      await waitUntilFunctionUpdatedV2(waiter, { FunctionName: name });
    }
  }
  current = await getFunctionOrUndefined(lambda, name);
  if (!current?.FunctionArn) throw new Error(`Function ${name} vanished during deploy`);
  const arn = unqualified(current.FunctionArn);

  // Reserved concurrency.
  const conc = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
  const change = diffConcurrency(conc.ReservedConcurrentExecutions, spec.reservedConcurrency);
  if (change?.action === 'put') {
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: change.value }),
    );
    log(`put-concurrency ${name} ${change.value}`);
  } else if (change?.action === 'delete') {
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    log(`delete-concurrency ${name}`);
  }

  // Version.
  let version: string | undefined;
  if (spec.publish) {
    const existing = await latestMatchingVersion(lambda, name, current);
    if (existing) {
      version = existing;
    } else {
      const out = await lambda.send(
        new PublishVersionCommand({ FunctionName: name, CodeSha256: current.CodeSha256 }),
      );
      if (!out.Version) throw new Error(`PublishVersion ${name} returned no Version`);
      version = out.Version;
      log(`publish-version ${name} ${version}`);
      if (out.State && out.State !== 'Active') {
        await waitUntilFunctionActiveV2(waiter, { FunctionName: name, Qualifier: version });
      }
    }
  }

  // Aliases.
  const aliases: DeployedFunction['aliases'] = {};
  for (const [alias, a] of Object.entries(spec.aliases ?? {})) {
    let existing: { FunctionVersion?: string; AliasArn?: string } | undefined;
    try {
      existing = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException') throw err;
    }
    let aliasArn = existing?.AliasArn;
    if (!existing) {
      const out = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: a.version }));
      aliasArn = out.AliasArn;
      log(`create-alias ${name}:${alias} -> ${a.version}`);
    } else if (existing.FunctionVersion !== a.version) {
      const out = await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: a.version }));
      aliasArn = out.AliasArn;
      log(`update-alias ${name}:${alias} -> ${a.version}`);
    }
    aliases[alias] = { arn: aliasArn ?? `${arn}:${alias}`, version: a.version };
  }

  return { name, arn, ...(version !== undefined ? { version } : {}), aliases };
}

/** The newest published version whose code and configuration equal $LATEST's, if any. */
async function latestMatchingVersion(
  lambda: LambdaClient,
  name: string,
  latest: FunctionConfiguration,
): Promise<string | undefined> {
  const versions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
    versions.push(...(out.Versions ?? []));
    marker = out.NextMarker;
  } while (marker);
  const published = versions
    .filter((v) => v.Version && v.Version !== '$LATEST')
    .sort((a, b) => Number(b.Version) - Number(a.Version));
  const newest = published[0];
  return newest && versionMatches(newest, latest) ? newest.Version : undefined;
}

function unqualified(arn: string): string {
  // arn:aws:lambda:region:account:function:name[:qualifier]
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}
