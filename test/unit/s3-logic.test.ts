/**
 * S3's pure logic: ETags and checksums, the aws-chunked decoding, key encoding, ranges and
 * conditions, notification filters and overlaps, key order, ids and names.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { s3FailureKey } from '../../src/cloud/deliver/types';
import { AwsError } from '../../src/cloud/errors';
import { checkContentMd5, compositeChecksum, computeChecksum, multipartEtag, sentChecksum } from '../../src/cloud/services/s3/checksums';
import { decodeAwsChunked, isAwsChunked, storedContentEncoding } from '../../src/cloud/services/s3/chunked';
import { checkReadConditions, checkWriteCondition, parseRange, parseWriteCondition } from '../../src/cloud/services/s3/conditions';
import { encodeKey, newVersionId, validBucketName, wellFormedVersionId } from '../../src/cloud/services/s3/names';
import { checkOverlap, eventMatches } from '../../src/cloud/services/s3/notification-config';
import { eventBridgeEvent, eventRecord, filterMatches } from '../../src/cloud/services/s3/notify';
import { s3Address } from '../../src/cloud/services/s3';
import { compareKeys } from '../../src/cloud/services/s3/store';
import type { Bucket, NotificationRule, ObjectVersion } from '../../src/cloud/services/s3/types';

function thrown(f: () => unknown): AwsError {
  try {
    f();
  } catch (e) {
    return e as AwsError;
  }
  throw new Error('expected a throw');
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();

describe('ETags and checksums', () => {
  it('multipart ETag: MD5 of the concatenated binary MD5s, "-<parts>"', () => {
    const parts = [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')].map(md5);
    expect(multipartEtag(parts)).toBe(`${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-3`);
    expect(multipartEtag(parts)).not.toBe(`${md5('abc').toString('hex')}-3`);
  });

  it('Content-MD5: InvalidDigest for anything but base64 of 16 bytes; BadDigest with both digests [rec]', () => {
    const digest = md5('hello');
    expect(() => checkContentMd5(digest.toString('base64'), digest)).not.toThrow();
    for (const bad of ['__invalid__', '000', 'not base64 encoded checksum', 'MTIz', 'dGVzdC1zdHJpbmc=']) {
      const e = thrown(() => checkContentMd5(bad, digest));
      expect([e.code, e.message, e.options.fields]).toEqual(['InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': bad }]);
    }
    const other = md5('other');
    const e = thrown(() => checkContentMd5(other.toString('base64'), digest));
    expect(e.code).toBe('BadDigest');
    expect(e.options.fields).toEqual({ ExpectedDigest: other.toString('hex'), CalculatedDigest: digest.toString('base64') });
  });

  it('x-amz-checksum-*: one algorithm, the right length, or InvalidRequest [rec]', () => {
    expect(sentChecksum({ 'x-amz-checksum-crc32': 'cZWHwQ==' })).toEqual({ algorithm: 'CRC32', value: 'cZWHwQ==' });
    expect(sentChecksum({}, { 'x-amz-checksum-sha256': Buffer.alloc(32).toString('base64') })?.algorithm).toBe('SHA256');
    expect(thrown(() => sentChecksum({ 'x-amz-checksum-crc32': 'AAAA' })).message).toBe('Value for x-amz-checksum-crc32 header is invalid.');
    expect(thrown(() => sentChecksum({ 'x-amz-checksum-sha1': 'cZWHwQ==' })).message).toBe('Value for x-amz-checksum-sha1 header is invalid.');
    expect(thrown(() => sentChecksum({ 'x-amz-checksum-crc32': 'cZWHwQ==', 'x-amz-checksum-crc32c': 'cZWHwQ==' })).code).toBe('InvalidRequest');
  });

  it('computes each algorithm as AWS does (CRC32 of "hello world" [rec])', async () => {
    expect(await computeChecksum('CRC32', Buffer.from('hello world'))).toBe('DUoRhQ==');
    expect(await computeChecksum('SHA256', Buffer.from('x'))).toBe(createHash('sha256').update('x').digest('base64'));
    const b64 = await computeChecksum('CRC64NVME', Buffer.from('hello'));
    expect(Buffer.from(b64, 'base64')).toHaveLength(8);
    async function* chunks() {
      yield Buffer.from('hel');
      yield Buffer.from('lo');
    }
    expect(await computeChecksum('CRC64NVME', chunks())).toBe(b64);
  });

  it('COMPOSITE: the checksum of the parts’ checksums, "-<parts>"', async () => {
    const parts = [Buffer.from('one'), Buffer.from('two')];
    const sums = await Promise.all(parts.map((p) => computeChecksum('CRC32', p)));
    const joined = Buffer.concat(sums.map((s) => Buffer.from(s, 'base64')));
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(joined) >>> 0);
    expect(await compositeChecksum('CRC32', sums)).toBe(`${crc.toString('base64')}-2`);
  });
});

describe('aws-chunked', () => {
  it('decodes unsigned chunks with a trailing checksum', () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    const d = decodeAwsChunked(body, 11);
    expect(d.data.toString()).toBe('hello world');
    expect(d.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
  });

  it('decodes signed chunks (chunk-signature extensions, a trailer signature)', () => {
    const sig = 'a'.repeat(64);
    const body = Buffer.from(`3;chunk-signature=${sig}\r\nabc\r\n0;chunk-signature=${sig}\r\nx-amz-checksum-sha256:x\r\nx-amz-trailer-signature:${sig}\r\n\r\n`);
    expect(decodeAwsChunked(body)).toEqual({ data: Buffer.from('abc'), trailers: { 'x-amz-checksum-sha256': 'x' } });
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked,gzip' })).toBe(true);
    expect(storedContentEncoding('aws-chunked,gzip')).toBe('gzip');
    expect(storedContentEncoding('aws-chunked')).toBeUndefined();
  });

  it('IncompleteBody when cut short, when a size is not hex, or the decoded length differs', () => {
    expect(thrown(() => decodeAwsChunked(Buffer.from('a\r\nshort'))).code).toBe('IncompleteBody');
    expect(thrown(() => decodeAwsChunked(Buffer.from('zz\r\nabc\r\n0\r\n\r\n'))).code).toBe('IncompleteBody');
    expect(thrown(() => decodeAwsChunked(Buffer.from('3\r\nabc\r\n0\r\n\r\n'), 4)).code).toBe('IncompleteBody');
  });
});

describe('keys and names', () => {
  it('event keys are URL-encoded with spaces as "+" and "/" kept [rec: "a@b" -> "a%40b"]', () => {
    expect(encodeKey('a@b')).toBe('a%40b');
    expect(encodeKey('dir/my file (1).jpg')).toBe('dir/my+file+%281%29.jpg');
    expect(encodeKey('é+€')).toBe('%C3%A9%2B%E2%82%AC');
    expect(encodeKey('a-b_c.d*e')).toBe('a-b_c.d*e');
  });

  it('keys sort in UTF-8 byte order (a character past U+FFFF after U+E000-U+FFFF)', () => {
    const keys = ['b', 'a/2', '\uFF21', '\u{1F600}', 'a/10', 'A', 'é'];
    const utf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(utf8);
  });

  it('bucket name rules [doc]', () => {
    for (const ok of ['abc', 'my.bucket.name', 'a-1', 'x'.repeat(63)]) expect(validBucketName(ok)).toBe(true);
    for (const bad of ['ab', 'x'.repeat(64), 'Abc', 'a_b', '-ab', 'ab-', 'a..b', 'a.-b', '10.0.0.1', 'xn--ab', 'sthree-x', 'ab-s3alias', 'ab--ol-s3']) {
      expect(validBucketName(bad)).toBe(false);
    }
  });

  it('version ids: 32 characters of [A-Za-z0-9._]; made-up ids are told apart', () => {
    const id = newVersionId();
    expect(id).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(wellFormedVersionId(id)).toBe(true);
    expect(wellFormedVersionId('null')).toBe(true);
    expect(wellFormedVersionId('HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD')).toBe(false);
  });

  it('OnFailure object keys as Lambda names them [doc]', () => {
    const t = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    expect(s3FailureKey('async/my-fn', t, 'u-u-i-d')).toBe('aws/lambda/async/my-fn/2025/01/02/2025-01-02T03.04.05-u-u-i-d');
    expect(s3FailureKey('esm-uuid/shardId-000000000000', t, 'x')).toBe('aws/lambda/esm-uuid/shardId-000000000000/2025/01/02/2025-01-02T03.04.05-x');
  });

  it('addresses: virtual-hosted, path-style by host, path-style by SigV4 scope, not S3 otherwise', () => {
    const q = new URLSearchParams();
    const sig = 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x';
    expect(s3Address('my-b.s3.localhost', '/dir/a%20b', undefined, q)).toEqual({ bucket: 'my-b', key: 'dir/a b', virtualHost: true });
    expect(s3Address('my-b.s3.localhost', '/', undefined, q)).toEqual({ bucket: 'my-b', key: undefined, virtualHost: true });
    expect(s3Address('s3.localhost', '/b/k//x', undefined, q)).toEqual({ bucket: 'b', key: 'k//x', virtualHost: false });
    expect(s3Address('127.0.0.1', '/b/', sig, q)).toEqual({ bucket: 'b', key: undefined, virtualHost: false });
    expect(s3Address('127.0.0.1', '/', sig, q)).toEqual({ virtualHost: false });
    expect(s3Address('127.0.0.1', '/b/k', sig.replace('/s3/', '/sqs/'), q)).toBeUndefined();
    expect(s3Address('127.0.0.1', '/b/k', undefined, new URLSearchParams({ 'X-Amz-Credential': 'AKID/20250101/us-east-1/s3/aws4_request' }))).toEqual({ bucket: 'b', key: 'k', virtualHost: false });
  });
});

describe('ranges and conditions [rec: test_get_object_range, test_s3_get_object_preconditions]', () => {
  it('answers, ignores or refuses ranges as S3 does', () => {
    const r = (h: string) => parseRange(h, 10);
    expect(r('bytes=0-8')).toEqual({ start: 0, end: 8 });
    expect(r('bytes=1-')).toEqual({ start: 1, end: 9 });
    expect(r('bytes=-2')).toEqual({ start: 8, end: 9 });
    expect(r('bytes=-15')).toEqual({ start: 0, end: 9 });
    expect(r('bytes=0-100')).toEqual({ start: 0, end: 9 });
    for (const ignored of ['bytes=1-0', 'bytes=-1-', 'bytes=0--1', 'bytes=0-1,3-4', 'bytes=-', 'chars=0-1']) expect(r(ignored)).toBeUndefined();
    for (const bad of ['bytes=-0', 'bytes=100-200', 'bytes=10-']) {
      const e = thrown(() => r(bad));
      expect([e.code, e.status, e.options.fields]).toEqual(['InvalidRange', 416, { RangeRequested: bad, ActualObjectSize: '10' }]);
    }
  });

  it('reads: If-Match / If-Unmodified-Since 412, If-None-Match / If-Modified-Since 304', () => {
    const obj = { etag: 'abc', lastModified: Date.UTC(2025, 0, 1) } as ObjectVersion;
    const now = Date.UTC(2025, 5, 1);
    expect(thrown(() => checkReadConditions({ 'if-match': '"x"' }, obj, now)).options.fields).toEqual({ Condition: 'If-Match' });
    expect(() => checkReadConditions({ 'if-match': '"abc"', 'if-unmodified-since': 'Tue, 01 Jan 2019 00:00:00 GMT' }, obj, now)).not.toThrow();
    expect(thrown(() => checkReadConditions({ 'if-unmodified-since': 'Tue, 01 Jan 2019 00:00:00 GMT' }, obj, now)).code).toBe('PreconditionFailed');
    expect(thrown(() => checkReadConditions({ 'if-none-match': 'abc' }, obj, now)).status).toBe(304);
    expect(thrown(() => checkReadConditions({ 'if-modified-since': 'Sun, 01 Feb 2025 00:00:00 GMT' }, obj, now)).status).toBe(304);
    // A date in the future is ignored.
    expect(() => checkReadConditions({ 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' }, obj, now)).not.toThrow();
  });

  it('writes: If-None-Match * and If-Match <etag> only, one of them [rec]', () => {
    expect(thrown(() => parseWriteCondition({ 'if-none-match': '"abc"' })).status).toBe(501);
    expect(thrown(() => parseWriteCondition({ 'if-match': '*' })).status).toBe(501);
    expect(thrown(() => parseWriteCondition({ 'if-match': '"a"', 'if-none-match': '*' })).options.fields).toEqual({
      Header: 'If-Match,If-None-Match',
      additionalMessage: 'Multiple conditional request headers present in the request',
    });
    const obj = { etag: 'abc' } as ObjectVersion;
    expect(thrown(() => checkWriteCondition(parseWriteCondition({ 'if-none-match': '*' }), 'k', obj)).code).toBe('PreconditionFailed');
    expect(thrown(() => checkWriteCondition(parseWriteCondition({ 'if-match': '"abc"' }), 'k', undefined)).code).toBe('NoSuchKey');
    expect(() => checkWriteCondition(parseWriteCondition({ 'if-match': '"abc"' }), 'k', obj)).not.toThrow();
  });
});

describe('notifications', () => {
  const rule = (events: string[], prefix?: string, suffix?: string): NotificationRule => {
    const filterRules: NotificationRule['filterRules'] = [];
    if (prefix !== undefined) filterRules.push({ name: 'Prefix', value: prefix });
    if (suffix !== undefined) filterRules.push({ name: 'Suffix', value: suffix });
    return { kind: 'queue', id: 'x', arn: 'arn', events, filterRules: filterRules.length ? filterRules : undefined };
  };

  it('event types: a wildcard covers its family only', () => {
    expect(eventMatches('s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload')).toBe(true);
    expect(eventMatches('s3:ObjectCreated:Put', 'ObjectCreated:Copy')).toBe(false);
    expect(eventMatches('s3:ObjectRemoved:*', 'ObjectRemoved:DeleteMarkerCreated')).toBe(true);
    expect(eventMatches('s3:ObjectRemoved:*', 'ObjectCreated:Put')).toBe(false);
  });

  it('prefix and suffix filters are case-sensitive and both must hold', () => {
    expect(filterMatches(rule([], 'in/', '.csv'), 'in/a.csv')).toBe(true);
    expect(filterMatches(rule([], 'in/', '.csv'), 'in/a.CSV')).toBe(false);
    expect(filterMatches(rule([], 'in/'), 'out/in/a')).toBe(false);
    expect(filterMatches(rule([]), 'anything')).toBe(true);
  });

  it('overlapping configurations are refused; disjoint prefixes or suffixes are not [obs]', () => {
    expect(thrown(() => checkOverlap([rule(['s3:ObjectCreated:*']), rule(['s3:ObjectCreated:Put'])])).message).toMatch(/^Configurations overlap/);
    expect(thrown(() => checkOverlap([rule(['s3:ObjectCreated:*'], 'a/'), rule(['s3:ObjectCreated:*'], 'a/b/')])).message).toMatch(/^Configuration is ambiguously defined/);
    expect(() => checkOverlap([rule(['s3:ObjectCreated:*'], 'a/'), rule(['s3:ObjectCreated:*'], 'b/')])).not.toThrow();
    expect(() => checkOverlap([rule(['s3:ObjectCreated:*'], undefined, '.jpg'), rule(['s3:ObjectCreated:*'], undefined, '.png')])).not.toThrow();
    expect(() => checkOverlap([rule(['s3:ObjectCreated:*']), rule(['s3:ObjectRemoved:*'])])).not.toThrow();
  });

  const bucket = { name: 'bkt', region: 'eu-west-1', accountId: '000000000000', arn: 'arn:aws:s3:::bkt', versioning: 'Enabled' } as Bucket;
  const version = { key: 'a b', versionId: 'v1', etag: 'e', size: 3 } as ObjectVersion;
  const base = { bucket, key: 'a b', version, requestId: 'RID', hostId: 'HID', sourceIp: '10.0.0.1', requester: '000000000000' };

  it('records: created objects carry size, eTag, versionId and a sequencer; tagging events are 2.3 without a sequencer [rec]', () => {
    const created = eventRecord({ ...base, name: 'ObjectCreated:Put' }, 'cfg', '00AB', 0);
    expect(created.eventVersion).toBe('2.1');
    expect(created.awsRegion).toBe('eu-west-1');
    expect(created.eventTime).toBe('1970-01-01T00:00:00.000Z');
    expect((created.s3 as any).object).toEqual({ key: 'a+b', size: 3, eTag: 'e', versionId: 'v1', sequencer: '00AB' });
    const tagged = eventRecord({ ...base, name: 'ObjectTagging:Put' }, 'cfg', '00AB', 0);
    expect(tagged.eventVersion).toBe('2.3');
    expect((tagged.s3 as any).object).toEqual({ key: 'a+b', eTag: 'e', versionId: 'v1' });
    const removed = eventRecord({ ...base, name: 'ObjectRemoved:Delete', version: undefined, versionId: 'v1' }, 'cfg', '00AC', 0);
    expect((removed.s3 as any).object).toEqual({ key: 'a+b', versionId: 'v1', sequencer: '00AC' });
  });

  it('EventBridge: "Object Created" with the reason; the key not encoded [rec]', () => {
    const ev = eventBridgeEvent({ ...base, name: 'ObjectCreated:Copy' }, '00AB', 0)!;
    expect(ev.source).toBe('aws.s3');
    expect(ev.detailType).toBe('Object Created');
    expect(ev.resources).toEqual(['arn:aws:s3:::bkt']);
    expect(JSON.parse(ev.detail)).toEqual({
      version: '0',
      bucket: { name: 'bkt' },
      object: { key: 'a b', size: 3, etag: 'e', 'version-id': 'v1', sequencer: '00AB' },
      'request-id': 'RID',
      requester: '000000000000',
      'source-ip-address': '10.0.0.1',
      reason: 'CopyObject',
    });
    expect(JSON.parse(eventBridgeEvent({ ...base, name: 'ObjectRemoved:DeleteMarkerCreated' }, '1', 0)!.detail)['deletion-type']).toBe('Delete Marker Created');
    expect(eventBridgeEvent({ ...base, name: 'ObjectRestore:Post' }, '1', 0)).toBeUndefined();
  });
});
