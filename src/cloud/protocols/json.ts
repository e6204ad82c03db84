/**
 * AWS JSON 1.0 / 1.1 protocol (X-Amz-Target dispatch, JSON in, JSON out).
 *
 * The server has already matched `X-Amz-Target: <targetPrefix>.<operation>` to a JsonServiceDef.
 * Here: parse the body, call the operation, serialize its output (Dates as epoch seconds, Buffers
 * as base64) or its error (`{"__type": ..., "message": ...}` plus the x-amzn-ErrorType header and,
 * for query-compatible services, x-amzn-query-error).
 */
import { AwsError, isAwsError } from '../errors';
import type { JsonServiceDef, RawRequest, RawResponse, RequestContext } from './types';

/** Frontend rejection as AWS sends it: `{"__type":"UnknownOperationException"}` and no message. */
export function unknownOperation(): AwsError {
  return new AwsError('UnknownOperationException', '', 400);
}

/** Body that is not a JSON object. Real AWS omits the message for unparseable bodies. */
function serializationError(message = ''): AwsError {
  return new AwsError('SerializationException', message, 400, { messageKey: 'Message' });
}

export async function handleJson(def: JsonServiceDef, operation: string, req: RawRequest, ctx: RequestContext): Promise<RawResponse> {
  const op = Object.prototype.hasOwnProperty.call(def.operations, operation) ? def.operations[operation] : undefined;
  if (!op) return jsonError(def, unknownOperation(), ctx);

  let input: unknown;
  const text = req.body.toString('utf8');
  if (text.trim() === '') {
    input = {};
  } else {
    try {
      input = JSON.parse(text);
    } catch {
      return jsonError(def, serializationError(), ctx);
    }
  }
  if (Array.isArray(input)) return jsonError(def, serializationError('Start of list found where not expected'), ctx);
  if (input === null || typeof input !== 'object') return jsonError(def, serializationError(), ctx);

  try {
    const output = await op(input, ctx);
    return jsonResponse(def, output ?? {}, ctx);
  } catch (e) {
    return jsonError(def, toAwsError(e), ctx);
  }
}

/** Turn any thrown value into an AwsError; non-AwsErrors become a 500 InternalFailure. */
export function toAwsError(e: unknown): AwsError {
  if (isAwsError(e)) return e;
  if (process.env.TESTBED_DEBUG) console.error('internal error in service operation:', e);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

export function jsonContentType(def: JsonServiceDef | undefined): string {
  return `application/x-amz-json-${def?.jsonVersion ?? '1.1'}`;
}

export function jsonResponse(def: JsonServiceDef, output: unknown, ctx: RequestContext): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': jsonContentType(def), 'x-amzn-requestid': ctx.requestId },
    body: wireJson(output),
  };
}

export function jsonError(def: JsonServiceDef | undefined, err: AwsError, ctx: RequestContext): RawResponse {
  const type = `${def?.errorTypePrefix ?? ''}${err.code}`;
  const body: Record<string, unknown> = { __type: type };
  if (err.message !== '') body[err.options.messageKey ?? 'message'] = err.message;
  if (err.options.fields) Object.assign(body, err.options.fields);
  const headers: Record<string, string> = {
    'content-type': jsonContentType(def),
    'x-amzn-requestid': ctx.requestId,
    'x-amzn-errortype': err.code,
    ...(err.options.headers ?? {}),
  };
  if (def?.awsQueryCompatible) headers['x-amzn-query-error'] = `${err.options.queryCode ?? err.code};${err.sender ? 'Sender' : 'Receiver'}`;
  return { status: err.status, headers, body: wireJson(body) };
}

/**
 * AWS JSON wire encoding in one pass, without copying the value first: Date -> epoch seconds
 * (number), Buffer/Uint8Array -> base64; undefined members are left out (as JSON.stringify does).
 * The replacer looks at `this[key]`, the value before its own toJSON (Date's and Buffer's) ran.
 */
export function wireJson(value: unknown): string {
  return JSON.stringify(value, wireReplacer) ?? '{}';
}

function wireReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return original.getTime() / 1000;
  if (original instanceof Uint8Array) return Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64');
  return value;
}
