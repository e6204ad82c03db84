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
  runtime: string; // nodejs*.x | python3.* | provided.al2 | provided.al2023
  memorySize: number; // MB
  timeout: number; // seconds
  environment: Record<string, string>;
  role: string;
  logGroupName: string; // /aws/lambda/<name>
  /**
   * The function's layers in order (runtime/opt.ts unpacks them over each other into the folder that
   * stands in for /opt). Absent or empty: no layers.
   */
  layers?: { arn: string; zipPath: string }[];
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
  /**
   * A streaming invocation (InvokeWithResponseStream, RESPONSE_STREAM Function URLs): the response
   * goes here as the runtime produces it, and the result's payload is then empty on success.
   */
  sink?: ResponseSink;
}

/** Where a streaming invocation's response goes, in order, as the function writes it. */
export interface ResponseSink {
  /**
   * The runtime began its response (the Runtime API received the POST .../response head): the
   * Content-Type it declared, and whether it streams (Lambda-Runtime-Function-Response-Mode).
   */
  start(contentType: string, streaming: boolean): void;
  /** Response bytes; a returned promise holds the runtime back until it settles (a slow reader). */
  write(data: Buffer): void | Promise<void>;
}

/** Streaming limits AWS applies to a streamed response (overridable for tests). */
export interface StreamLimits {
  /** Largest streamed response: 200 MB [doc]. */
  maxBytes: number;
  /** The first 6 MB go at full speed [doc]: a token bucket of 6 MiB [rapid]. */
  burstBytes: number;
  /** Then 2 MB/s [doc]: 2 MiB/s, refilled every 125 ms [rapid]. */
  bytesPerSecond: number;
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
