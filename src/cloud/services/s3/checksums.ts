/**
 * What S3 computes over bodies: the ETag (MD5; "<md5 of the parts' md5s>-<n>" for multipart [doc]),
 * the Content-MD5 check (InvalidDigest / BadDigest [rec]) and the flexible checksums the SDKs send
 * (x-amz-checksum-crc32 / crc32c / crc64nvme / sha1 / sha256, as a header or an aws-chunked trailer;
 * S3 keeps the one sent, or its default CRC64NVME [rec]). COMPOSITE multipart checksums are the
 * checksum of the parts' checksums, "-<n>" appended [rec].
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { badChecksum, badDigest, invalidChecksumHeader, invalidDigest, invalidRequest } from './errors';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from './types';

export const CHECKSUM_LENGTH: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export const checksumHeader = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

export function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

/** The ETag of a multipart object [doc]: MD5 of the concatenated binary MD5s of its parts, "-<parts>". */
export function multipartEtag(partMd5s: Buffer[]): string {
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
}

/** Content-MD5: base64 of 16 bytes, else InvalidDigest; a mismatch is BadDigest [rec]. */
export function checkContentMd5(header: string | undefined, digest: Buffer): void {
  if (header === undefined) return;
  const decoded = strictBase64(header);
  if (!decoded || decoded.length !== 16) throw invalidDigest(header);
  if (!decoded.equals(digest)) throw badDigest(decoded.toString('hex'), digest.toString('base64'));
}

/** The bytes of canonical base64, or undefined. */
export function strictBase64(value: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

interface Hasher {
  update(data: Buffer): void;
  digest(): Promise<Buffer>;
}

function hasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32': {
      let crc = 0;
      return {
        update: (d) => (crc = zlib.crc32(d, crc)),
        digest: async () => {
          const b = Buffer.alloc(4);
          b.writeUInt32BE(crc >>> 0);
          return b;
        },
      };
    }
    case 'CRC32C':
    case 'CRC64NVME': {
      const h = algorithm === 'CRC32C' ? new Crc32c() : new Crc64Nvme();
      return { update: (d) => h.update(d), digest: async () => Buffer.from(await h.digest()) };
    }
    case 'SHA1':
    case 'SHA256': {
      const h = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (d) => h.update(d), digest: async () => h.digest() };
    }
  }
}

/** The base64 checksum of bytes (one buffer, or a body's chunks in order). */
export async function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer | AsyncIterable<Buffer>): Promise<string> {
  const h = hasher(algorithm);
  if (Buffer.isBuffer(data)) h.update(data);
  else for await (const d of data) h.update(d);
  return (await h.digest()).toString('base64');
}

/** A COMPOSITE checksum: the checksum of the parts' binary checksums, "-<parts>" [rec]. */
export async function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): Promise<string> {
  const joined = Buffer.concat(partChecksums.map((c) => Buffer.from(c, 'base64')));
  return `${await computeChecksum(algorithm, joined)}-${partChecksums.length}`;
}

/** An algorithm name as the headers and XML write it (case-insensitive), or undefined. */
export function parseAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (!value) return undefined;
  const up = value.toUpperCase();
  return (CHECKSUM_ALGORITHMS as string[]).includes(up) ? (up as ChecksumAlgorithm) : undefined;
}

/**
 * The checksum a request sends for its body (header, or aws-chunked trailer), checked for form:
 * one algorithm only, canonical base64 of the algorithm's length [rec].
 */
export function sentChecksum(headers: Record<string, string>, trailers: Record<string, string> = {}): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const found: { algorithm: ChecksumAlgorithm; value: string }[] = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const value = trailers[name] ?? headers[name];
    if (value !== undefined) found.push({ algorithm, value: value.trim() });
  }
  if (found.length === 0) return undefined;
  if (found.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.'); // [obs]
  const [c] = found;
  const bytes = strictBase64(c.value);
  if (!bytes || bytes.length !== CHECKSUM_LENGTH[c.algorithm]) throw invalidChecksumHeader(checksumHeader(c.algorithm));
  return c;
}

/** BadDigest when the body's checksum is not the one sent [rec]. */
export async function verifyChecksum(sent: { algorithm: ChecksumAlgorithm; value: string }, data: Buffer): Promise<void> {
  const actual = await computeChecksum(sent.algorithm, data);
  if (actual !== sent.value) throw badChecksum(sent.algorithm);
}
