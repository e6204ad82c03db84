/** Lambda's state: functions, versions, aliases, policies, per account and region. */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { lambdaTimestamp } from '../clock';

export interface VersionConfig {
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string> | undefined;
  codeSha256: string;
  codeSize: number;
  codeDir: string;
  zipPath: string;
  tracingMode: 'Active' | 'PassThrough';
  architectures: string[];
  ephemeralStorage: number;
  logGroup: string;
  /** DeadLetterConfig.TargetArn: an SQS queue or SNS topic for failed asynchronous events. */
  deadLetterArn?: string;
  /** The function's layers, in order (layers/attach.ts); absent when it has none. */
  layers?: LayerRef[];
}

/** A function's reference to a layer version, as its configuration keeps it. */
export interface LayerRef {
  /** The versioned layer ARN, as given. */
  arn: string;
  /** The layer version's zip size (GetFunctionConfiguration's Layers[].CodeSize). */
  codeSize: number;
  unzippedSize: number;
  /** The layer version's zip (content-addressed; it outlives DeleteLayerVersion). */
  zipPath: string;
}

export interface FunctionVersion {
  version: string; // "$LATEST" | "1" | ...
  config: VersionConfig;
  lastModified: number;
  revisionId: string;
  state: 'Pending' | 'Active' | 'Failed';
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus?: 'InProgress' | 'Successful' | 'Failed';
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
  /** Environments are keyed by this; it changes whenever code or configuration changes. */
  envKey: string;
}

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  routingWeights?: Record<string, number>;
  revisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** A function URL config (lambda/urls.ts), kept per qualifier: '' (the function) or an alias name. */
export interface FunctionUrlState {
  /** 32 lower-case alphanumerics: the host's first label. */
  urlId: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: Record<string, unknown>;
  /** As last set; undefined = never set (Get and List show BUFFERED, Create and Update leave it out). */
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
  creationTime: number;
  lastModifiedTime: number;
  /** The alias object it belongs to: once that alias is deleted (or re-created), the URL is gone. */
  alias?: Alias;
}

export interface LambdaFunction {
  name: string;
  region: string;
  accountId: string;
  arn: string; // unqualified
  latest: FunctionVersion;
  versions: Map<string, FunctionVersion>;
  nextVersion: number;
  aliases: Map<string, Alias>;
  reservedConcurrency?: number;
  /**
   * Resource policy statements per qualifier ("" = unqualified). A policy has no revision of its own:
   * AWS reports (and checks) the RevisionId of the function, version or alias it belongs to.
   */
  policies: Map<string, PolicyStatement[]>;
  tags: Record<string, string>;
  /** Function URL configs (lambda/urls.ts); absent until the first one is created. */
  urls?: Map<string, FunctionUrlState>;
  /** Private folder holding this function's unpacked code, one subfolder per version. */
  codeRoot: string;
}

export interface ConfigurationView {
  /**
   * The qualifier the caller named: AWS echoes it in FunctionArn (`name:$LATEST`, `name:alias`).
   * Without one, $LATEST shows the unqualified ARN and a version `name:N`.
   */
  qualifier?: string;
  /**
   * ListFunctions and ListVersionsByFunction entries: AWS leaves out State, StateReason(Code),
   * LastUpdateStatus(Reason/Code) and RuntimeVersionConfig there.
   */
  list?: boolean;
}

export function toConfiguration(fn: LambdaFunction, v: FunctionVersion, view: ConfigurationView = {}): FunctionConfiguration & Record<string, unknown> {
  const c = v.config;
  const arnQualifier = view.qualifier ?? (v.version === '$LATEST' ? undefined : v.version);
  const out: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: arnQualifier ? `${fn.arn}:${arnQualifier}` : fn.arn,
    Runtime: c.runtime,
    Role: c.role,
    Handler: c.handler,
    CodeSize: c.codeSize,
    Description: c.description,
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    LastModified: lambdaTimestamp(v.lastModified),
    CodeSha256: c.codeSha256,
    Version: v.version,
    TracingConfig: { Mode: c.tracingMode },
    RevisionId: v.revisionId,
    PackageType: 'Zip',
    Architectures: [...c.architectures],
    EphemeralStorage: { Size: c.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${fn.region}::runtime:${runtimeVersionId(c.runtime)}` },
    LoggingConfig: { LogFormat: 'Text', LogGroup: c.logGroup },
  };
  if (c.deadLetterArn) out.DeadLetterConfig = { TargetArn: c.deadLetterArn };
  // [rec] Layers: [{Arn, CodeSize}] once the function has layers.
  if (c.layers?.length) out.Layers = c.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  // AWS shows Environment only once variables were configured (an empty map included).
  if (c.environment !== undefined) out.Environment = { Variables: { ...c.environment } };
  if (view.list) {
    delete out.RuntimeVersionConfig;
    return out as FunctionConfiguration & Record<string, unknown>;
  }
  out.State = v.state;
  if (v.stateReason) out.StateReason = v.stateReason;
  if (v.stateReasonCode) out.StateReasonCode = v.stateReasonCode;
  if (v.lastUpdateStatus) out.LastUpdateStatus = v.lastUpdateStatus;
  if (v.lastUpdateStatusReason) out.LastUpdateStatusReason = v.lastUpdateStatusReason;
  if (v.lastUpdateStatusReasonCode) out.LastUpdateStatusReasonCode = v.lastUpdateStatusReasonCode;
  return out as FunctionConfiguration & Record<string, unknown>;
}

function runtimeVersionId(runtime: string): string {
  // A stable, runtime-specific 64-hex id in the shape AWS prints.
  let h = 0x811c9dc5;
  for (const ch of runtime) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}
