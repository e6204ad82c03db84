/**
 * The contract between the HTTP server, the protocol layer and the services.
 *
 * Services never see HTTP: they get a parsed `input` object and a `RequestContext`, and return an
 * output object (or throw an AwsError). Protocols turn raw requests into inputs and outputs/errors
 * into raw responses. No state lives in the protocol layer.
 */
import type { Clock } from '../clock';
import type { AwsError } from '../errors';

export const ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface RequestContext {
  requestId: string;
  region: string;
  accountId: string;
  accessKeyId?: string;
  /** Base URL through which the caller reached the cloud, e.g. http://127.0.0.1:4566 */
  endpoint: string;
  /** The request's path (still percent-encoded), e.g. /000000000000/my-queue for SQS query posts to a queue URL. */
  path: string;
  /** The X-Amzn-Trace-Id request header, when sent (SQS keeps it as the messages' AWSTraceHeader). */
  traceHeader?: string;
  clock: Clock;
}

/** A raw HTTP request, already fully read. Header names are lower-case. */
export interface RawRequest {
  method: string;
  path: string; // decoded? no: raw path without the query string, still percent-encoded
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /**
   * The header lines as sent, alternating name (original casing) and value, repeats kept: HTTP
   * front doors need them (API Gateway's multiValueHeaders, ALB's multi-value mode).
   */
  rawHeaders?: string[];
  /** The query string as sent, without the '?' ('' when none): Function URLs' rawQueryString. */
  rawQuery?: string;
  /** The peer's address (requestContext.identity.sourceIp / http.sourceIp). */
  sourceIp?: string;
  /** "HTTP/1.1" or "HTTP/2.0". */
  protocol?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** Extra header lines sent after `headers`, repeats allowed (several set-cookie lines). */
  multiHeaders?: [string, string][];
  /**
   * A body streamed to the client as it is produced (chunked on HTTP/1.1); `body` is then ignored.
   * The head is sent before the first chunk. If the iterator throws, the connection is cut.
   */
  stream?: AsyncIterable<Buffer | string>;
  /** The reason phrase on the status line (ALB's statusDescription); Node's default otherwise. */
  statusMessage?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;

/** JSON 1.0 / 1.1 protocol: POST /, X-Amz-Target: <targetPrefix>.<Operation>. */
export interface JsonServiceDef {
  protocol: 'json';
  /** SigV4 credential-scope service name, e.g. "logs", "sqs", "kinesis", "events". */
  signingName: string;
  /** X-Amz-Target prefix, e.g. "Logs_20140328", "AmazonSQS", "Kinesis_20131202", "AWSEvents". */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** Query-compatible services (SQS) send the legacy code in the x-amzn-query-error header. */
  awsQueryCompatible?: boolean;
  /** Prefix for `__type` in error bodies, e.g. "com.amazonaws.sqs#". Empty = bare code. */
  errorTypePrefix?: string;
  operations: Record<string, Operation>;
}

/** Query protocol: form-encoded POST (or GET) with Action and Version; XML responses. */
export interface QueryServiceDef {
  protocol: 'query';
  signingName: string;
  version: string;
  xmlNamespace: string;
  operations: Record<string, Operation>;
  /**
   * Optional per-operation hints for XML output. By default a `<Op>Result` element wraps the
   * returned object; arrays are serialized as repeated <member> elements.
   */
  noResultWrapper?: string[];
  /** A request without a Version parameter is served (SQS); by default it is InvalidAction. */
  versionOptional?: boolean;
  /** The error for an Action the service does not have; by default InvalidAction "Could not find operation ...". */
  unknownAction?: (action: string) => AwsError;
  /**
   * Paths that belong to this service even without an Action (SQS queue URLs): a request there that
   * no other route takes is answered `<UnknownOperationException/>` with 404, as AWS does.
   */
  ownsPath?: (path: string) => boolean;
}

/** REST-JSON: routes by method + path template; see protocols/rest-json.ts. */
export interface RestJsonServiceDef {
  protocol: 'rest-json';
  signingName: string;
  routes: RestRoute[];
  /** Casing of the message member in error bodies, per error code (default "Message"). */
  messageKeys?: Record<string, 'message' | 'Message'>;
}

export interface RestRequest {
  params: Record<string, string>; // decoded path labels
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON when the route asks for it (`json: true`); {} when empty. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RestResult {
  status?: number; // default 200
  headers?: Record<string, string>;
  /** A JS value serialized as JSON, or raw bytes passed through (Invoke). Undefined = empty body. */
  body?: unknown;
  raw?: Buffer;
  /** A body streamed as it is produced (InvokeWithResponseStream's event stream). */
  stream?: AsyncIterable<Buffer>;
}

export interface RestRoute {
  method: string;
  /** Path template such as /2015-03-31/functions/{FunctionName}/invocations */
  path: string;
  operation: string;
  /** Parse the body as JSON (default true); a body that is not JSON gives a 400 for this service. */
  json?: boolean;
  handler: (req: RestRequest, ctx: RequestContext) => RestResult | Promise<RestResult>;
}

export type ServiceDef = JsonServiceDef | QueryServiceDef | RestJsonServiceDef;
