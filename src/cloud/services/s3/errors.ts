/**
 * S3's errors: code, HTTP status, message and the extra elements AWS puts in the XML body
 * (<BucketName>, <Key>, <ArgumentName>...), in AWS's words [rec] unless marked. The body is
 *   <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>
 *   <BucketName>b</BucketName><RequestId>..</RequestId><HostId>..</HostId></Error>
 * (xml.ts renders it; HEAD answers carry no body).
 */
import { AwsError } from '../../errors';

export function s3Error(code: string, message: string, status = 400, fields: Record<string, string | number | undefined> = {}, headers?: Record<string, string>): AwsError {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) kept[k] = String(v);
  return new AwsError(code, message, status, { fields: kept, headers });
}

export const noSuchBucket = (bucket: string) => s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string, headers?: Record<string, string>) => s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers);
export const noSuchVersion = (key: string, versionId: string) =>
  s3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
export const invalidVersionId = (versionId: string) =>
  s3Error('InvalidArgument', 'Invalid version id specified', 400, { ArgumentName: 'versionId', ArgumentValue: versionId });
export const noSuchUpload = (uploadId: string) =>
  s3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });
export const invalidBucketName = (bucket: string) => s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
export const bucketNotEmpty = (bucket: string, versioned: boolean) =>
  s3Error('BucketNotEmpty', versioned ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.' : 'The bucket you tried to delete is not empty', 409, {
    BucketName: bucket,
  });
export const malformedXML = () => s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
/** [obs] AWS's answer to an XML operation sent without a body. */
export const missingRequestBody = () => s3Error('MissingRequestBodyError', 'Request Body is empty');
export const invalidArgument = (message: string, name?: string, value?: string) => s3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
export const invalidRequest = (message: string) => s3Error('InvalidRequest', message);
export const invalidLocationConstraint = (constraint: string) =>
  s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
export const illegalLocationConstraint = (constraint: string | undefined) =>
  s3Error('IllegalLocationConstraintException', `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);

export const invalidDigest = (contentMd5: string) => s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
export const badDigest = (expectedHex: string, calculatedB64: string) =>
  s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: expectedHex, CalculatedDigest: calculatedB64 });
export const badChecksum = (algorithm: string) => s3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
export const invalidChecksumHeader = (header: string) => s3Error('InvalidRequest', `Value for ${header} header is invalid.`);
export const contentSha256Mismatch = (client: string, computed: string) =>
  s3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    ClientComputedContentSHA256: client,
    S3ComputedContentSHA256: computed,
  });
/** [obs] An aws-chunked body that ends before its chunks do. */
export const incompleteBody = () => s3Error('IncompleteBody', 'The request body terminated unexpectedly');
export const missingContentLength = () => s3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
export const keyTooLong = (size: number) => s3Error('KeyTooLongError', 'Your key is too long', 400, { MaxSizeAllowed: 1024, Size: size });
export const metadataTooLarge = (size: number) =>
  s3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, { Size: size, MaxSizeAllowed: 2048 });

export const preconditionFailed = (condition: string) =>
  s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
/** 304: no body (HEAD/GET), as AWS answers If-None-Match / If-Modified-Since. */
export const notModified = (headers: Record<string, string>) => s3Error('304', 'Not Modified', 304, {}, headers);
export const invalidRange = (size: number, range: string) =>
  s3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: size }, { 'content-range': `bytes */${size}` });
export const methodNotAllowed = (method: string, resourceType: string, headers?: Record<string, string>) =>
  s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }, headers);
export const notImplemented = (header?: string, additional?: string) =>
  s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: header, additionalMessage: additional });
export const conditionalConflict = (condition: string, key: string) =>
  s3Error('ConditionalRequestConflict', 'The conditional request cannot succeed due to a conflicting operation against this resource.', 409, { Condition: condition, Key: key });

export const entityTooSmall = (etag: string, partNumber: number, size: number) =>
  s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
    ProposedSize: size,
    MinSizeAllowed: 5242880,
    PartNumber: partNumber,
    ETag: etag,
  });
export const invalidPart = (uploadId: string, partNumber: number, etag: string) =>
  s3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
  );
export const invalidPartOrder = (uploadId: string) =>
  s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: uploadId });
export const invalidPartNumber = (value: string) =>
  invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', value);

export const noSuchTagSet = (bucket: string) => s3Error('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket });
export const invalidTag = (message: string, key?: string, value?: string) => s3Error('InvalidTag', message, 400, { TagKey: key, TagValue: value });
export const noSuchBucketPolicy = (bucket: string) => s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket });
export const malformedPolicy = (message: string) => s3Error('MalformedPolicy', message);
export const accessDenied = (message = 'Access Denied') => s3Error('AccessDenied', message, 403);
export const internalError = () => s3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
