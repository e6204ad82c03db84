/** One invocation to run on a function's version (LambdaService.run). */
export interface RunRequest {
  /** The qualifier the caller named (an alias, a version, $LATEST), if any. */
  qualifier: string | undefined;
  requestId: string;
  payload: Buffer;
  /** The decoded client context JSON text, if any. */
  clientContext?: string;
  /** What fired it: "invoke", "event", "sns", "events", "destination", ... */
  trigger: string;
  /** The X-Ray trace header the function gets (with the chain's Lineage). */
  traceId?: string;
  /** Asynchronous invocations: which attempt of the event this is. */
  attempt?: number;
  /**
   * Another log group for this invocation's environment (Lambda@Edge replicas log to
   * `/aws/lambda/us-east-1.<name>`); such invocations get environments of their own, as replicas do.
   */
  logGroupName?: string;
}

/** What the cloud saw of each invocation: the data behind GET /_testbed/invocations. */
export interface InvocationRecord {
  requestId: string;
  functionName: string;
  functionArn: string;
  qualifier: string | null;
  executedVersion: string;
  trigger: string;
  coldStart: boolean | null;
  environmentId: string | null;
  start: number;
  end: number | null;
  /** 'dropped': an async event that never ran (errorType holds the condition, e.g. ZeroReservedConcurrency). */
  outcome: 'running' | 'success' | 'error' | 'dropped';
  errorType: string | null;
  /** Asynchronous invocations: which attempt of the event this was (1, 2, 3). */
  attempt?: number;
}

export class InvocationLog {
  private records: InvocationRecord[] = [];
  constructor(private readonly max = 20_000) {}

  add(r: InvocationRecord): void {
    this.records.push(r);
    if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
  }

  list(filter: { functionName?: string; trigger?: string; since?: number } = {}): InvocationRecord[] {
    return this.records.filter(
      (r) =>
        (filter.functionName === undefined || r.functionName === filter.functionName) &&
        (filter.trigger === undefined || r.trigger === filter.trigger) &&
        (filter.since === undefined || r.start >= filter.since),
    );
  }

  clear(): void {
    this.records = [];
  }
}
