/**
 * The CloudFront record and its parts: headers as lists under lower-case names, bodies exposed
 * with IncludeBody (base64, truncated at 40 KB / 1 MB), the origin object, and the origin request
 * CloudFront builds from the viewer's (forwarding.ts).
 */
import type { DefaultCacheBehavior, Origin } from '@aws-sdk/client-cloudfront';
import { edgeEvent, exposedBody, originObject } from '../../../src/cloud/frontdoors/cloudfront/event';
import { originRequestParts } from '../../../src/cloud/frontdoors/cloudfront/forwarding';
import { canonicalKey, cfHeadersFromLines, isDisallowed, linesFromCf, rawLines } from '../../../src/cloud/frontdoors/cloudfront/headers';
import { newEdgeRequestId } from '../../../src/cloud/frontdoors/cloudfront/pages';

describe('headers in the event form', () => {
  it('groups header lines under lower-case names, keeping each line and its casing; disallowed ones are not exposed', () => {
    const h = cfHeadersFromLines([
      ['Host', 'd.cloudfront.localhost'],
      ['Accept', '*/*'],
      ['X-Multi', 'one'],
      ['x-multi', 'two'],
      ['Connection', 'keep-alive'],
      ['X-Edge-Secret', 'hidden'],
      ['X-Amz-Cf-Id', 'abc'],
    ]);
    expect(h).toEqual({
      host: [{ key: 'Host', value: 'd.cloudfront.localhost' }],
      accept: [{ key: 'Accept', value: '*/*' }],
      'x-multi': [{ key: 'X-Multi', value: 'one' }, { key: 'x-multi', value: 'two' }],
    });
  });

  it('writes lines back with one casing per name, inserting the canonical key where none is given', () => {
    expect(linesFromCf({ 'content-type': [{ value: 'text/html' }], 'x-a': [{ key: 'X-A', value: '1' }, { key: 'x-a', value: '2' }] })).toEqual([
      ['Content-Type', 'text/html'],
      ['X-A', '1'],
      ['X-A', '2'],
    ]);
    expect(canonicalKey('x-custom-HEADER')).toBe('X-Custom-Header');
  });

  it('knows the disallowed headers, including the X-Amz-Cf-* and X-Edge-* families', () => {
    for (const name of ['connection', 'x-cache', 'x-edge-location', 'x-amz-cf-pop', 'x-real-ip', 'x-forwarded-proto', 'upgrade']) expect(isDisallowed(name)).toBe(true);
    for (const name of ['host', 'x-amzn-trace-id', 'cloudfront-viewer-country', 'x-forwarded-for']) expect(isDisallowed(name)).toBe(false);
  });

  it('reads raw header lines, leaving out HTTP/2 pseudo-headers', () => {
    expect(rawLines([':authority', 'x', 'Host', 'h', 'X-A', '1'], {})).toEqual([['Host', 'h'], ['X-A', '1']]);
    expect(rawLines(undefined, { host: 'h' })).toEqual([['host', 'h']]);
  });
});

describe('the record', () => {
  it('puts config, request and response under Records[0].cf', () => {
    const config = { distributionDomainName: 'e1.cloudfront.localhost', distributionId: 'E1', eventType: 'viewer-response' as const, requestId: 'r==' };
    const request = { clientIp: '127.0.0.1', headers: {}, method: 'GET', querystring: '', uri: '/' };
    const response = { status: '200', statusDescription: 'OK', headers: {} };
    expect(edgeEvent(config, request, response)).toEqual({ Records: [{ cf: { config, request, response } }] });
    expect(edgeEvent(config, request).Records[0].cf).not.toHaveProperty('response');
  });

  it('exposes a body base64-encoded, truncated at 40 KB for viewer requests and 1 MB for origin requests', () => {
    expect(exposedBody(Buffer.from('hello'), 'viewer-request')).toEqual({ inputTruncated: false, action: 'read-only', encoding: 'base64', data: 'aGVsbG8=' });
    const big = Buffer.alloc(40 * 1024 + 1, 'a');
    const viewer = exposedBody(big, 'viewer-request');
    expect(viewer.inputTruncated).toBe(true);
    expect(Buffer.from(viewer.data, 'base64').length).toBe(40 * 1024);
    expect(exposedBody(big, 'origin-request').inputTruncated).toBe(false);
  });

  it('describes a custom origin with its port, protocol, timeouts and custom headers', () => {
    const origin: Origin = {
      Id: 'o',
      DomainName: 'origin.localhost',
      OriginPath: '/base',
      CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'X-Origin-Secret', HeaderValue: 's' }] },
      CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 8443, OriginProtocolPolicy: 'match-viewer', OriginReadTimeout: 10, OriginKeepaliveTimeout: 2 },
    };
    expect(originObject(origin, 'http')).toEqual({
      custom: {
        customHeaders: { 'x-origin-secret': [{ key: 'X-Origin-Secret', value: 's' }] },
        domainName: 'origin.localhost',
        keepaliveTimeout: 2,
        path: '/base',
        port: 8080,
        protocol: 'http',
        readTimeout: 10,
        sslProtocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
      },
    });
    expect(originObject({ ...origin, CustomOriginConfig: { ...origin.CustomOriginConfig!, OriginProtocolPolicy: 'https-only' } }, 'http')).toMatchObject({ custom: { protocol: 'https', port: 8443 } });
    expect(originObject({ Id: 's3', DomainName: 'b.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }, 'http')).toMatchObject({ s3: { domainName: 'b.s3.amazonaws.com', authMethod: 'none' } });
  });

  it('request ids look like CloudFront\'s: 56 characters of base64url ending in ==', () => {
    expect(newEdgeRequestId()).toMatch(/^[A-Za-z0-9_-]{54}==$/);
  });
});

describe('the origin request', () => {
  const viewer = {
    clientIp: '10.0.0.9',
    method: 'GET',
    querystring: 'a=1',
    headers: cfHeadersFromLines([
      ['Host', 'e1.cloudfront.localhost:4566'],
      ['User-Agent', 'curl/8'],
      ['Accept', 'text/html'],
      ['Accept-Encoding', 'deflate, gzip;q=1.0, br'],
      ['Authorization', 'Bearer t'],
      ['Cookie', 'a=1; b=2'],
      ['X-Forwarded-For', '1.2.3.4'],
      ['X-Custom', 'c'],
    ]),
  };
  const legacy = (over: Partial<DefaultCacheBehavior['ForwardedValues']> = {}): DefaultCacheBehavior => ({
    TargetOriginId: 'o',
    ViewerProtocolPolicy: 'allow-all',
    ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' }, ...over },
  });

  it('without forwarding settings: Host is the origin, User-Agent CloudFront, some headers dropped, the rest forwarded', () => {
    const parts = originRequestParts(viewer, legacy(), 'origin.localhost', '2.0 x.cloudfront.net (CloudFront)');
    expect(parts.querystring).toBe('');
    expect(linesFromCf(parts.headers)).toEqual([
      ['Accept-Encoding', 'br,gzip'],
      ['X-Custom', 'c'],
      ['Host', 'origin.localhost'],
      ['User-Agent', 'Amazon CloudFront'],
      ['X-Forwarded-For', '1.2.3.4, 10.0.0.9'],
      ['Via', '2.0 x.cloudfront.net (CloudFront)'],
    ]);
  });

  it('a whitelist forwards the named headers as sent; cookies and query strings as configured', () => {
    const parts = originRequestParts(
      viewer,
      legacy({ QueryString: true, Headers: { Quantity: 2, Items: ['Host', 'Accept'] }, Cookies: { Forward: 'whitelist', WhitelistedNames: { Quantity: 1, Items: ['b'] } } }),
      'origin.localhost',
      'via',
    );
    expect(parts.querystring).toBe('a=1');
    expect(parts.headers.host).toEqual([{ key: 'Host', value: 'e1.cloudfront.localhost:4566' }]);
    expect(parts.headers.accept).toEqual([{ key: 'Accept', value: 'text/html' }]);
    expect(parts.headers.cookie).toEqual([{ key: 'Cookie', value: 'b=2' }]);
  });

  it('the AllViewerExceptHostHeader policy forwards everything but Host; Authorization goes along for POST', () => {
    const behavior: DefaultCacheBehavior = {
      TargetOriginId: 'o',
      ViewerProtocolPolicy: 'allow-all',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    };
    const parts = originRequestParts({ ...viewer, method: 'POST' }, behavior, 'origin.localhost', 'via');
    expect(parts.querystring).toBe('a=1');
    expect(parts.headers.host).toEqual([{ key: 'Host', value: 'origin.localhost' }]);
    expect(parts.headers['user-agent']).toEqual([{ key: 'User-Agent', value: 'curl/8' }]);
    expect(parts.headers.authorization).toEqual([{ key: 'Authorization', value: 'Bearer t' }]);
    expect(parts.headers.cookie).toEqual([{ key: 'Cookie', value: 'a=1; b=2' }]);
  });
});
