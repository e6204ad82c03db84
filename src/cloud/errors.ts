/**
 * An error that the protocol layer turns into an AWS-shaped error response.
 * `code` is the AWS error code (e.g. ResourceNotFoundException); `status` the HTTP status.
 * `fields` are extra members serialized into JSON error bodies (e.g. Reason, Type).
 * `headers` are extra response headers (e.g. Retry-After).
 * `queryCode` is the legacy code used by query-compatible JSON services (x-amzn-query-error).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly options: {
      fields?: Record<string, unknown>;
      headers?: Record<string, string>;
      sender?: boolean; // true = client fault (default for 4xx)
      queryCode?: string;
      /** Message key casing in JSON bodies: AWS varies between "message" and "Message". */
      messageKey?: 'message' | 'Message';
    } = {},
  ) {
    super(message);
    this.name = code;
  }

  get sender(): boolean {
    return this.options.sender ?? this.status < 500;
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** Common AWS validation error: "1 validation error detected: Value 'x' at 'y' failed to satisfy constraint: ..." */
export function validationMessage(problems: string[]): string {
  return `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}
