/**
 * Contract between the Lambda service (control plane + invoke paths) and the execution
 * environments (real `node` processes speaking the Runtime API 2018-06-01).
 */

/** Everything an execution environment needs to know about one function version. */
export interface VersionSpec {
  /** Unique key of this exact code+configuration (environments are reused only for the same key). */
  key: string;
  functionName: string;
  /** "$LATEST" or "1", "2", ... */
  version: string;
  /** Unqualified function ARN. */
  functionArn: string;
  region: string;
  accountId: string;
  /** Folder holding the unpacked code (becomes LAMBDA_TASK_ROOT and the cwd). */
  codeDir: string;
  handler: string;
  runtime: string; // nodejs18.x | nodejs20.x | nodejs22.x
  memorySize: number; // MB
  timeout: number; // seconds
  environment: Record<string, string>;
  role: string;
  logGroupName: string; // /aws/lambda/<name>
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  /** ARN as invoked (with qualifier when one was given) -> Lambda-Runtime-Invoked-Function-Arn. */
  invokedFunctionArn: string;
  /** The decoded client context JSON text (from X-Amz-Client-Context), if any. */
  clientContext?: string;
  cognitoIdentity?: string;
  traceId?: string;
}

export interface InvokeResult {
  requestId: string;
  /** Response bytes on success, the error JSON bytes on failure. */
  payload: Buffer;
  /** Set when the invocation failed (thrown/returned error, timeout, crash, OOM, oversize response). */
  functionError?: 'Unhandled';
  /** errorType of a failed invocation, e.g. "Error", "Sandbox.Timedout", "Runtime.ExitError". */
  errorType?: string;
  /** The invocation's log text (START ... REPORT lines) as CloudWatch shows it. */
  log: string;
  environmentId: string;
  coldStart: boolean;
  initDurationMs?: number;
  durationMs: number;
  /** Virtual clock ms. */
  start: number;
  end: number;
}

export interface LogSink {
  /** Append events to a log stream, creating group and stream as needed. */
  put(region: string, accountId: string, group: string, stream: string, events: { timestamp: number; message: string }[]): void;
}
