/**
 * Names and ids: bucket name rules, request ids (x-amz-request-id, x-amz-id-2), version ids, upload
 * ids, the owner's canonical id, and the URL-encoding S3 applies to keys in event records and in
 * `encoding-type=url` listings.
 */
import { createHash, randomBytes } from 'node:crypto';

/**
 * General purpose bucket names [doc]: 3-63 characters of a-z 0-9 . -, starting and ending with a
 * letter or digit, no two adjacent periods, not an IP address, none of the reserved prefixes and
 * suffixes.
 */
export function validBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => name.startsWith(p))) return false;
  if (['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((s) => name.endsWith(s))) return false;
  return true;
}

/** The AWS regions a LocationConstraint may name [doc] ("EU" is the legacy name of eu-west-1). */
export const REGIONS = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
  'me-central-1', 'mx-central-1', 'sa-east-1', 'EU',
]);

/** x-amz-request-id: 16 upper-case hex digits. */
export function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** x-amz-id-2: an opaque base64 token. */
export function hostId(): string {
  return randomBytes(48).toString('base64');
}

const VERSION_ALPHABET = /^[A-Za-z0-9._]{32}$/;

function versionCheck(body: string): string {
  return createHash('sha1').update(body).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 2).padEnd(2, 'A');
}

/**
 * A version id: 32 characters of letters, digits, '.' and '_' [rec: test_object_version_id_format].
 * The last two characters check the rest, so an id S3 never issued is told from one that is gone
 * ("Invalid version id specified" vs NoSuchVersion [rec]).
 */
export function newVersionId(): string {
  const body = randomBytes(24).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').slice(0, 30);
  return body + versionCheck(body);
}

export function wellFormedVersionId(id: string): boolean {
  if (id === 'null') return true;
  return VERSION_ALPHABET.test(id) && versionCheck(id.slice(0, 30)) === id.slice(30);
}

/** An upload id: an opaque URL-safe token. */
export function newUploadId(): string {
  return randomBytes(48).toString('base64url');
}

/** The account's canonical user id (64 hex digits), fixed per account. */
export function canonicalId(accountId: string): string {
  return createHash('sha256').update(`s3-owner:${accountId}`).digest('hex');
}

/** The principal id S3 shows for the bucket owner and requester in event records [obs]. */
export function principalId(seed: string): string {
  return `A${createHash('sha256').update(seed).digest('hex').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 13)}`;
}

/**
 * A key as S3 URL-encodes it in event records [rec: "a@b" -> "a%40b", '/' kept] and with
 * encoding-type=url: UTF-8 percent-encoding of everything but letters, digits, '.', '-', '_', '*'
 * and '/', and a space as '+' [doc].
 */
export function encodeKey(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-_*/]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 7231 date (Last-Modified, Expires): "Wed, 12 Oct 2009 17:50:00 GMT". */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
