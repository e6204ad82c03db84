/**
 * Range and conditional requests, as S3 answers them [rec: test_get_object_range,
 * test_s3_get_object_preconditions, test_s3_preconditions, TestS3ObjectWritePrecondition]:
 *   - one `bytes=` range; a malformed, reversed or multiple range is ignored (200, whole object);
 *     a start past the end, or `bytes=-0`, is InvalidRange (416); an end past the end is clamped;
 *   - reads: If-Match (412) and If-Unmodified-Since (412, ignored when If-Match holds), then
 *     If-None-Match (304) and If-Modified-Since (304, ignored when If-None-Match is present, or in the future);
 *   - copy sources: the same four as x-amz-copy-source-if-*, every failure a 412;
 *   - writes: If-None-Match "*" and If-Match "<etag>" only (others NotImplemented), one at a time.
 */
import { invalidRange, noSuchKey, notImplemented, notModified, preconditionFailed } from './errors';
import { httpDate } from './names';
import type { ObjectVersion } from './types';

export interface ByteRange {
  start: number;
  end: number;
}

/** The range to answer, undefined for the whole object (no Range, or one S3 ignores). */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) throw invalidRange(size, header);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) throw invalidRange(size, header);
  return { start, end: b === '' ? size - 1 : Math.min(Number(b), size - 1) };
}

function etags(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
}

function etagMatches(header: string, etag: string): boolean {
  const list = etags(header);
  return list.includes('*') || list.includes(etag);
}

/** An HTTP date header in ms, or undefined when it does not parse (S3 then ignores it). */
function dateOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : t;
}

/** GetObject / HeadObject preconditions. */
export function checkReadConditions(headers: Record<string, string>, obj: ObjectVersion, now: number): void {
  const ifMatch = headers['if-match'];
  const ifUnmodified = dateOf(headers['if-unmodified-since']);
  const ifNoneMatch = headers['if-none-match'];
  const ifModified = dateOf(headers['if-modified-since']);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, obj.etag)) throw preconditionFailed('If-Match');
  } else if (ifUnmodified !== undefined && obj.lastModified > ifUnmodified) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  const notModifiedHeaders = { etag: `"${obj.etag}"`, 'last-modified': httpDate(obj.lastModified) };
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, obj.etag)) throw notModified(notModifiedHeaders);
  } else if (ifModified !== undefined && ifModified <= now && obj.lastModified <= ifModified) {
    throw notModified(notModifiedHeaders);
  }
}

/** CopyObject / UploadPartCopy: x-amz-copy-source-if-* on the source (all failures 412). */
export function checkCopySourceConditions(headers: Record<string, string>, src: ObjectVersion, now: number): void {
  const p = 'x-amz-copy-source-if-';
  const ifMatch = headers[`${p}match`];
  const ifUnmodified = dateOf(headers[`${p}unmodified-since`]);
  const ifNoneMatch = headers[`${p}none-match`];
  const ifModified = dateOf(headers[`${p}modified-since`]);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, src.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (ifUnmodified !== undefined && src.lastModified > ifUnmodified) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, src.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (ifModified !== undefined && ifModified <= now && src.lastModified <= ifModified) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

export interface WriteCondition {
  kind: 'none-match' | 'match';
  etag?: string;
}

/** The conditional write a PutObject / CompleteMultipartUpload / CopyObject asks for (checked for form). */
export function parseWriteCondition(headers: Record<string, string>): WriteCondition | undefined {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  if (ifMatch !== undefined && ifNoneMatch !== undefined) throw notImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
    return { kind: 'none-match' };
  }
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === '*') throw notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
    return { kind: 'match', etag: etags(ifMatch)[0] };
  }
  return undefined;
}

/** Whether the write may go ahead over the key's current version (undefined: none, or a delete marker). */
export function checkWriteCondition(cond: WriteCondition | undefined, key: string, current: ObjectVersion | undefined): void {
  if (!cond) return;
  if (cond.kind === 'none-match') {
    if (current) throw preconditionFailed('If-None-Match');
    return;
  }
  if (!current) throw noSuchKey(key);
  if (current.etag !== cond.etag) throw preconditionFailed('If-Match');
}
