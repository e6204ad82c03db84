/**
 * The aws-chunked content encoding [doc] that SDK v3 and the CLI use for streaming uploads:
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
 * with `x-amz-content-sha256: STREAMING-...` and `x-amz-decoded-content-length`; the trailers carry
 * the flexible checksum (`x-amz-trailer: x-amz-checksum-crc32`). Signatures are not verified (the
 * cloud accepts any credentials).
 */
import { incompleteBody } from './errors';

export interface Decoded {
  data: Buffer;
  /** Trailing headers, names lower-case (x-amz-checksum-*). */
  trailers: Record<string, string>;
}

/** Whether a request's body is aws-chunked. */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const sha = headers['x-amz-content-sha256'] ?? '';
  if (sha.startsWith('STREAMING-')) return true;
  return (headers['content-encoding'] ?? '').split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}

/** The Content-Encoding to keep with the object: the request's, without aws-chunked. */
export function storedContentEncoding(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const rest = header
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

function lineEnd(body: Buffer, from: number): number {
  const i = body.indexOf('\r\n', from, 'latin1');
  return i;
}

/** Decode an aws-chunked body; IncompleteBody when it is cut short or its sizes are not hex. */
export function decodeAwsChunked(body: Buffer, decodedLength?: number): Decoded {
  const parts: Buffer[] = [];
  let pos = 0;
  let total = 0;
  for (;;) {
    const end = lineEnd(body, pos);
    if (end < 0) throw incompleteBody();
    const header = body.toString('latin1', pos, end);
    const sizeText = header.split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw incompleteBody();
    const size = parseInt(sizeText, 16);
    pos = end + 2;
    if (size === 0) break;
    if (pos + size > body.length) throw incompleteBody();
    parts.push(body.subarray(pos, pos + size));
    total += size;
    pos += size;
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') throw incompleteBody();
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  while (pos < body.length) {
    let end = lineEnd(body, pos);
    if (end < 0) end = body.length;
    const line = body.toString('utf8', pos, end);
    pos = end + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw incompleteBody();
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'x-amz-trailer-signature') trailers[name] = line.slice(colon + 1).trim();
  }
  if (decodedLength !== undefined && Number.isFinite(decodedLength) && decodedLength !== total) throw incompleteBody();
  return { data: parts.length === 1 ? parts[0] : Buffer.concat(parts, total), trailers };
}
