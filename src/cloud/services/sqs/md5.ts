/**
 * The digests SQS returns so that clients can check what it stored (SDK v3 checks MD5OfMessageBody
 * on send and MD5OfBody on receive, and refuses a mismatch):
 *
 *   MD5OfMessageBody / MD5OfBody      hex MD5 of the UTF-8 body
 *   MD5OfMessageAttributes            hex MD5 over the attributes, names sorted ascending, each as
 *                                     [len name][len DataType][1 byte: 1 string, 2 binary][len value]
 *                                     (len = 4-byte big-endian length of the UTF-8 bytes that follow)
 *   MD5OfMessageSystemAttributes      the same scheme over the system attributes (AWSTraceHeader)
 *
 * Vectors checked against AWS-recorded answers are in test/unit/sqs-md5.test.ts.
 */
import * as crypto from 'node:crypto';
import type { MessageAttributeValue } from './types';

/**
 * Hex digest of `data` (a string counts as its UTF-8 bytes): Node's one-shot crypto.hash where
 * there is one (20.12 and later; a third of createHash's cost for small inputs), else createHash.
 */
export const hexDigest: (algorithm: 'md5' | 'sha256', data: string | Buffer) => string =
  typeof crypto.hash === 'function'
    ? (algorithm, data) => crypto.hash(algorithm, data, 'hex')
    : (algorithm, data) => crypto.createHash(algorithm).update(data).digest('hex');

export function md5OfBody(body: string): string {
  return hexDigest('md5', body);
}

/** MD5OfMessageAttributes (and MD5OfMessageSystemAttributes); undefined when there are none. */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  names.sort();
  const parts: Buffer[] = [];
  const field = (bytes: Buffer) => {
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(bytes.length, 0);
    parts.push(len, bytes);
  };
  for (const name of names) {
    const a = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined && a.StringValue === undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return hexDigest('md5', Buffer.concat(parts));
}
