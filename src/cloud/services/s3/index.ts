/**
 * S3 (REST-XML, API version 2006-03-01) as a front door of the cloud's one port. A request is S3's
 * when its host is `s3.localhost` (path-style) or `<bucket>.s3.localhost` (virtual-hosted), or when
 * its SigV4 credential scope names the service `s3` (the SDKs with forcePathStyle or an IP endpoint,
 * the AWS CLI, presigned URLs with X-Amz-Credential; S3's SigV2 forms too). Signatures are not verified: the cloud accepts
 * any credentials, as for its other services. See types.ts for the file map.
 */
import { AwsError } from '../../errors';
import type { DoorRequest, FrontDoor } from '../../frontdoors';
import { parseCredentialScope } from '../../protocols/sigv4';
import { ACCOUNT_ID, DEFAULT_REGION, type RawResponse } from '../../protocols/types';
import { accessDenied, internalError } from './errors';
import { hostId, requestId } from './names';
import { route } from './router';
import type { S3Store } from './store';
import type { S3Context, S3Request } from './types';
import { errorAnswer } from './xml';
import { safeDecode } from '../../protocols/url';

export { S3Store } from './store';

const VHOST_SUFFIX = '.s3.localhost';

export interface S3Address {
  bucket?: string;
  key?: string;
  virtualHost: boolean;
}

/**
 * Whether a request is signed for S3: SigV4 with the scope service `s3` (header or presigned query),
 * or S3's SigV2 (`Authorization: AWS <key>:<signature>`, or a URL presigned with ?AWSAccessKeyId=
 * &Signature=&Expires=, as the AWS CLI v1's `s3 presign` makes).
 */
function signedForS3(authorization: string | undefined, query: URLSearchParams): boolean {
  if (authorization?.startsWith('AWS ')) return true;
  if (query.has('AWSAccessKeyId') && query.has('Signature')) return true;
  return parseCredentialScope(authorization, query)?.service === 's3';
}

/** The bucket and key a request addresses, or undefined when the request is not S3's. */
export function s3Address(host: string, path: string, authorization: string | undefined, query: URLSearchParams): S3Address | undefined {
  if (host.endsWith(VHOST_SUFFIX)) {
    const bucket = host.slice(0, -VHOST_SUFFIX.length);
    const key = path.length > 1 ? safeDecode(path.slice(1)) : undefined;
    return { bucket, key, virtualHost: true };
  }
  if (host !== 's3.localhost' && !signedForS3(authorization, query)) return undefined;
  const p = path.slice(1);
  if (p === '') return { virtualHost: false };
  const slash = p.indexOf('/');
  const bucket = safeDecode(slash < 0 ? p : p.slice(0, slash));
  const rest = slash < 0 ? '' : p.slice(slash + 1);
  return { bucket, key: rest === '' ? undefined : safeDecode(rest), virtualHost: false };
}

export function s3Door(store: S3Store): FrontDoor {
  return {
    name: 's3',
    handle: (d) => {
      const addr = s3Address(d.host, d.req.path, d.req.headers.authorization, d.req.query);
      return addr ? serve(store, d, addr) : undefined;
    },
  };
}

async function serve(store: S3Store, d: DoorRequest, addr: S3Address): Promise<RawResponse> {
  const req = d.req;
  const scope = parseCredentialScope(req.headers.authorization, req.query);
  const ctx: S3Context = {
    requestId: requestId(),
    hostId: hostId(),
    region: scope?.region ?? DEFAULT_REGION,
    accountId: ACCOUNT_ID,
    accessKeyId: scope?.accessKeyId,
    endpoint: d.endpoint,
    port: d.port,
    sourceIp: req.sourceIp ?? '127.0.0.1',
    traceHeader: req.headers['x-amzn-trace-id'],
    clock: store.clock,
  };
  const r: S3Request = { method: req.method, bucket: addr.bucket, key: addr.key, query: req.query, headers: req.headers, body: req.body, raw: req, ctx, virtualHost: addr.virtualHost };
  try {
    const owner = req.headers['x-amz-expected-bucket-owner'];
    if (owner !== undefined && owner !== ctx.accountId) throw accessDenied();
    return await route(r).handler(store, r);
  } catch (e) {
    if (e instanceof AwsError) return errorAnswer(ctx, e, req.method);
    console.error('[testbed] S3 request failed:', e);
    return errorAnswer(ctx, internalError(), req.method);
  }
}
