/**
 * What Invoke checks of its input and hands back: the client context and the log tail. (Payload JSON
 * problems are described by protocols/jackson.ts.)
 */
import { AwsError } from '../errors';

const LOG_TAIL_BYTES = 4096;

export function decodeClientContext(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > 3583) {
    throw new AwsError('InvalidRequestContentException', 'Client context must be less than or equal to 3583 bytes.', 400);
  }
  const text = bytes.toString('utf8');
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  } catch {
    throw new AwsError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', 400);
  }
  return text;
}

/** Base64 of the last 4 KB of a log. */
export function tail(log: string): string {
  const buf = Buffer.from(log, 'utf8');
  return (buf.length > LOG_TAIL_BYTES ? buf.subarray(buf.length - LOG_TAIL_BYTES) : buf).toString('base64');
}
