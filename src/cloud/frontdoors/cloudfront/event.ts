/**
 * The CloudFront record a Lambda@Edge function receives [doc: "Lambda@Edge event structure"]:
 *   { Records: [{ cf: { config: {distributionDomainName, distributionId, eventType, requestId},
 *                       request: {clientIp, headers, method, querystring, uri, body?, origin?},
 *                       response?: {status, statusDescription, headers} } }] }
 * `body` only with IncludeBody (request events): base64, truncated at 40 KB (viewer request) or
 * 1 MB (origin request) with `inputTruncated`; `origin` only in origin events.
 */
import type { Origin } from '@aws-sdk/client-cloudfront';
import type { EdgeEventType } from '../../services/cloudfront/types';
import { canonicalKey, type CfHeaders } from './headers';

export interface CfBody {
  inputTruncated: boolean;
  action: 'read-only' | 'replace';
  encoding: 'base64' | 'text';
  data: string;
}

export interface CfCustomOrigin {
  customHeaders: CfHeaders;
  domainName: string;
  keepaliveTimeout: number;
  path: string;
  port: number;
  protocol: 'http' | 'https';
  readTimeout: number;
  sslProtocols: string[];
}

export interface CfS3Origin {
  authMethod: 'origin-access-identity' | 'none';
  customHeaders: CfHeaders;
  domainName: string;
  path: string;
  region: string;
}

export type CfOrigin = { custom: CfCustomOrigin } | { s3: CfS3Origin };

export interface CfRequest {
  clientIp: string;
  headers: CfHeaders;
  method: string;
  querystring: string;
  uri: string;
  body?: CfBody;
  origin?: CfOrigin;
}

export interface CfResponse {
  status: string;
  statusDescription: string;
  headers: CfHeaders;
}

export interface CfConfig {
  distributionDomainName: string;
  distributionId: string;
  eventType: EdgeEventType;
  requestId: string;
}

export interface EdgeEvent {
  Records: [{ cf: { config: CfConfig; request: CfRequest; response?: CfResponse } }];
}

/** [doc] How much of a request body a function sees with IncludeBody. */
export const BODY_EXPOSED_LIMIT: Record<'viewer-request' | 'origin-request', number> = {
  'viewer-request': 40 * 1024,
  'origin-request': 1024 * 1024,
};

export function edgeEvent(config: CfConfig, request: CfRequest, response?: CfResponse): EdgeEvent {
  return { Records: [{ cf: { config, request, ...(response ? { response } : {}) } }] };
}

/** The body as a request event exposes it (base64, truncated when large). */
export function exposedBody(body: Buffer, event: 'viewer-request' | 'origin-request'): CfBody {
  const limit = BODY_EXPOSED_LIMIT[event];
  const truncated = body.length > limit;
  return { inputTruncated: truncated, action: 'read-only', encoding: 'base64', data: (truncated ? body.subarray(0, limit) : body).toString('base64') };
}

/** The event's `origin`: the cache behavior's target as CloudFront describes it to origin events. */
export function originObject(origin: Origin, viewerProtocol: 'http' | 'https'): CfOrigin {
  const customHeaders: CfHeaders = {};
  for (const h of origin.CustomHeaders?.Items ?? []) {
    const name = (h.HeaderName ?? '').toLowerCase();
    (customHeaders[name] ??= []).push({ key: h.HeaderName ?? canonicalKey(name), value: h.HeaderValue ?? '' });
  }
  const c = origin.CustomOriginConfig;
  if (!c) {
    return { s3: { authMethod: origin.S3OriginConfig?.OriginAccessIdentity ? 'origin-access-identity' : 'none', customHeaders, domainName: origin.DomainName ?? '', path: origin.OriginPath ?? '', region: 'us-east-1' } };
  }
  const protocol = c.OriginProtocolPolicy === 'https-only' ? 'https' : c.OriginProtocolPolicy === 'match-viewer' ? viewerProtocol : 'http';
  return {
    custom: {
      customHeaders,
      domainName: origin.DomainName ?? '',
      keepaliveTimeout: c.OriginKeepaliveTimeout ?? 5,
      path: origin.OriginPath ?? '',
      port: protocol === 'https' ? (c.HTTPSPort ?? 443) : (c.HTTPPort ?? 80),
      protocol,
      readTimeout: c.OriginReadTimeout ?? 30,
      sslProtocols: c.OriginSslProtocols?.Items ?? ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
    },
  };
}
