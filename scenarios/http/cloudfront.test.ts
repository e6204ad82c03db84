/**
 * CloudFront with Lambda@Edge, as the CloudFront Developer Guide describes it: a distribution in
 * front of a custom origin, plain HTTP requests to its DomainName, and a function at each of the
 * four events that sees CloudFront's record, rewrites the request, generates a response or changes
 * the origin's.
 */
import { UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { getTestbed } from '../_support/testbed';
import {
  associations,
  directing,
  distribution,
  echoedEvent,
  edgeStack,
  get,
  received,
  startOrigin,
  versionArn,
  type Distribution,
  type OriginRecord,
  type OriginServer,
} from './_cloudfront-helpers';

const tb = getTestbed();
const ALL_EVENTS = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const;

tb.describeIf('cloudfront')('A distribution in front of a custom origin', () => {
  let origin: OriginServer;
  let plain: Distribution;
  beforeAll(async () => {
    origin = await startOrigin();
    plain = await distribution({ originPort: origin.port });
  });
  afterAll(() => origin.close());

  it('forwards the request to the origin with the headers CloudFront sets, and answers with its own', async () => {
    const r = await get(`${plain.url}/items/1?color=red`, { headers: { 'User-Agent': 'curl/8.0', 'X-Custom': 'kept', Accept: 'text/html' } });
    expect(r.status).toBe(200);
    const seen = r.json<OriginRecord>();
    expect(seen.url).toBe('/items/1?color=red');
    expect(received(seen, 'host')).toEqual(['origin.localhost']);
    expect(received(seen, 'user-agent')).toEqual(['Amazon CloudFront']);
    expect(received(seen, 'x-custom')).toEqual(['kept']);
    expect(received(seen, 'accept')).toEqual([]);
    expect(received(seen, 'x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(received(seen, 'via')[0]).toMatch(/^2\.0 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(received(seen, 'x-amz-cf-id')).toEqual([r.headers['x-amz-cf-id']]);
    expect(r.headers['x-cache']).toBe('Miss from cloudfront');
    expect(r.headers.via).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(r.headers['x-amz-cf-pop']).toMatch(/^[A-Z]{3}\d+-[A-Z]\d$/);
    expect(r.headers['x-amz-cf-id']).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(r.headers['x-origin']).toBe('origin');
  });

  it('passes the origin error statuses through as Error from cloudfront', async () => {
    const r = await get(`${plain.url}/status/404`);
    expect([r.status, r.headers['x-cache']]).toEqual([404, 'Error from cloudfront']);
  });

  it('redirects HTTP to HTTPS where the cache behavior says so, and answers HEAD without a body', async () => {
    const d = await distribution({
      originPort: origin.port,
      cacheBehaviors: [
        { PathPattern: '/secure/*', TargetOriginId: 'origin', ViewerProtocolPolicy: 'redirect-to-https', ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } } },
      ],
    });
    const r = await get(`${d.url}/secure/page?x=1`);
    expect([r.status, r.headers.location, r.headers['x-cache']]).toEqual([301, `https://${new URL(d.url).host}/secure/page?x=1`, 'Redirect from cloudfront']);
    const head = await get(`${d.url}/x`, { method: 'HEAD' });
    expect([head.status, head.body.length, head.headers['x-cache']]).toEqual([200, 0, 'Miss from cloudfront']);
  });

  it('refuses methods the cache behavior does not allow with 403', async () => {
    const r = await get(`${plain.url}/`, { method: 'POST', body: 'x' });
    expect(r.status).toBe(403);
    expect(r.text).toContain('This distribution is not configured to allow the HTTP request method that was used for this request.');
  });
});

tb.describeIf('cloudfront')('Lambda@Edge at the four events', () => {
  let origin: OriginServer;
  let dist: Distribution;
  let fnArn: string;
  beforeAll(async () => {
    const { functions } = await edgeStack();
    fnArn = versionArn(functions.edge);
    origin = await startOrigin();
    dist = await distribution({ originPort: origin.port, associations: associations(fnArn, [...ALL_EVENTS], true), allMethods: true });
  });
  afterAll(() => origin.close());

  it('runs the function at every event: each marks the request or response it hands back', async () => {
    const r = await get(`${dist.url}/marked`);
    const seen = r.json<OriginRecord>();
    expect(received(seen, 'x-viewer-request')).toEqual(['seen']);
    expect(received(seen, 'x-origin-request')).toEqual(['seen']);
    expect([r.headers['x-origin-response'], r.headers['x-viewer-response']]).toEqual(['seen', 'seen']);
    expect(r.headerLines.find(([k]) => k === 'x-viewer-response')).toBeDefined();
  });

  it('a viewer-request function receives the viewer request in CloudFront\'s record format', async () => {
    const r = await directing(`${dist.url}/path/to?a=1&b=2`, { 'viewer-request': 'echo-event' }, { headers: { 'X-Multi': 'one' } });
    const cf = echoedEvent(r).Records[0].cf;
    expect(cf.config).toEqual({ distributionDomainName: dist.domainName, distributionId: dist.id, eventType: 'viewer-request', requestId: r.headers['x-amz-cf-id'] });
    expect(cf.request).toMatchObject({ clientIp: '127.0.0.1', method: 'GET', querystring: 'a=1&b=2', uri: '/path/to' });
    expect(cf.request.headers.host).toEqual([{ key: 'Host', value: new URL(dist.url).host }]);
    expect(cf.request.headers['x-multi']).toEqual([{ key: 'X-Multi', value: 'one' }]);
    expect(cf.request.body).toEqual({ inputTruncated: false, action: 'read-only', encoding: 'base64', data: '' });
    expect(cf.request.origin).toBeUndefined();
    expect(cf.response).toBeUndefined();
    expect([r.status, r.headers['x-cache']]).toEqual([200, 'LambdaGeneratedResponse from cloudfront']);
  });

  it('with IncludeBody the request body arrives base64-encoded', async () => {
    const r = await directing(`${dist.url}/form`, { 'viewer-request': 'echo-event' }, { method: 'POST', body: 'name=edge&x=1' });
    expect(echoedEvent(r).Records[0].cf.request.body).toEqual({ inputTruncated: false, action: 'read-only', encoding: 'base64', data: Buffer.from('name=edge&x=1').toString('base64') });
  });

  it('a viewer-request function rewrites the URI and query string the origin receives', async () => {
    const r = await directing(`${dist.url}/page?x=1`, { 'viewer-request': 'rewrite' });
    expect(r.json<OriginRecord>().url).toBe('/rewritten/page?x=1&rewritten=1');
  });

  it('a viewer-request function replaces the body sent to the origin', async () => {
    const r = await directing(`${dist.url}/upload`, { 'viewer-request': 'replace-body' }, { method: 'PUT', body: 'original' });
    const seen = r.json<OriginRecord>();
    expect(seen.body).toBe('replaced by viewer-request');
    expect(received(seen, 'content-length')).toEqual([String('replaced by viewer-request'.length)]);
  });

  it('a response generated at viewer request goes back without the origin or the viewer-response function', async () => {
    const before = origin.requests.length;
    const r = await directing(`${dist.url}/gen`, { 'viewer-request': 'generate' });
    expect([r.status, r.text, r.headers['content-type'], r.headers['x-cache']]).toEqual([200, 'generated by viewer-request', 'text/plain', 'LambdaGeneratedResponse from cloudfront']);
    expect(r.headers['x-viewer-response']).toBeUndefined();
    expect(origin.requests.length).toBe(before);
    const b64 = await directing(`${dist.url}/gen`, { 'viewer-request': 'generate-base64' });
    expect(b64.text).toBe('generated by viewer-request');
  });

  it('an origin-request function sees the request CloudFront forwards, with the origin', async () => {
    const r = await directing(`${dist.url}/o?k=v`, { 'origin-request': 'echo-event' });
    const cf = echoedEvent(r).Records[0].cf;
    expect(cf.config.eventType).toBe('origin-request');
    expect(cf.request.origin).toEqual({
      custom: { customHeaders: {}, domainName: 'origin.localhost', keepaliveTimeout: 5, path: '', port: origin.port, protocol: 'http', readTimeout: 30, sslProtocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'] },
    });
    expect(cf.request.headers.host).toEqual([{ key: 'Host', value: 'origin.localhost' }]);
    expect(cf.request.headers['user-agent']).toEqual([{ key: 'User-Agent', value: 'Amazon CloudFront' }]);
    expect(cf.request.headers['x-viewer-request']).toEqual([{ key: 'X-Viewer-Request', value: 'seen' }]);
    expect(cf.request.querystring).toBe('k=v');
  });

  it('a response generated at origin request skips the origin and origin-response, not viewer-response', async () => {
    const before = origin.requests.length;
    const r = await directing(`${dist.url}/gen`, { 'origin-request': 'generate' });
    expect([r.status, r.text, r.headers['x-cache']]).toEqual([200, 'generated by origin-request', 'LambdaGeneratedResponse from cloudfront']);
    expect(r.headers['x-origin-response']).toBeUndefined();
    expect(r.headers['x-viewer-response']).toBe('seen');
    expect(origin.requests.length).toBe(before);
  });

  it('an origin-request function sends the request to another origin', async () => {
    const other = await startOrigin('other');
    try {
      const r = await directing(`${dist.url}/elsewhere`, { 'origin-request': `origin-port-${other.port}` });
      expect(r.headers['x-origin']).toBe('other');
      expect(received(r.json<OriginRecord>(), 'host')).toEqual(['other-origin.localhost']);
    } finally {
      await other.close();
    }
  });

  it('an origin-response function sees the origin response and may change its status and body', async () => {
    const echoed = await directing(`${dist.url}/o`, { 'origin-response': 'echo-event' });
    const cf = echoedEvent(echoed).Records[0].cf;
    expect(cf.config.eventType).toBe('origin-response');
    expect(cf.response).toMatchObject({ status: '200', statusDescription: 'OK' });
    expect(cf.response.headers['x-origin']).toEqual([{ key: 'x-origin', value: 'origin' }]);
    expect(cf.request.origin.custom.domainName).toBe('origin.localhost');
    const created = await directing(`${dist.url}/o`, { 'origin-response': 'status-201' });
    expect([created.status, created.statusMessage]).toEqual([201, 'Changed']);
    const replaced = await directing(`${dist.url}/o`, { 'origin-response': 'replace-body' });
    expect(replaced.text).toBe('replaced by origin-response');
  });

  it('an origin-response function runs for origin errors too; the viewer-response function does not', async () => {
    const r = await get(`${dist.url}/status/404`);
    expect(r.status).toBe(404);
    expect(r.headers['x-origin-response']).toBe('seen');
    expect(r.headers['x-viewer-response']).toBeUndefined();
  });

  it('a viewer-response function changes headers and body but not the status', async () => {
    const r = await directing(`${dist.url}/v`, { 'viewer-response': 'status-299' });
    expect(r.status).toBe(200);
    expect(r.headers['x-viewer-response']).toBeUndefined();
    const replaced = await directing(`${dist.url}/v`, { 'viewer-response': 'replace-body' });
    expect([replaced.status, replaced.text]).toEqual([200, 'replaced by viewer-response']);
    const echoed = await directing(`${dist.url}/v`, { 'viewer-response': 'echo-event' });
    const cf = echoedEvent(echoed).Records[0].cf;
    expect(cf.config.eventType).toBe('viewer-response');
    expect(cf.request.headers.host[0].value).toBe(new URL(dist.url).host);
    expect(cf.response.headers['x-origin-response']).toEqual([{ key: 'X-Origin-Response', value: 'seen' }]);
  });
});

tb.describeIf('cloudfront')('Cache behaviors chosen by path pattern', () => {
  let origin: OriginServer;
  let dist: Distribution;
  beforeAll(async () => {
    const { functions } = await edgeStack();
    origin = await startOrigin();
    const fnArn = versionArn(functions.edge);
    dist = await distribution({
      originPort: origin.port,
      cacheBehaviors: [
        {
          PathPattern: '/api/*',
          TargetOriginId: 'origin',
          ViewerProtocolPolicy: 'allow-all',
          ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
          LambdaFunctionAssociations: associations(fnArn, ['viewer-request']),
        },
        { PathPattern: '*.jpg', TargetOriginId: 'origin', ViewerProtocolPolicy: 'allow-all', ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } } },
      ],
    });
  });
  afterAll(() => origin.close());

  it('the first matching ordered behavior serves the request, the default one the rest', async () => {
    const api = await directing(`${dist.url}/api/users?q=1`, { 'viewer-request': 'mark' });
    const apiSeen = api.json<OriginRecord>();
    expect(received(apiSeen, 'x-viewer-request')).toEqual(['seen']);
    expect(apiSeen.url).toBe('/api/users'); // that behavior does not forward query strings
    const image = await get(`${dist.url}/img/cat.jpg?size=2`);
    expect(received(image.json<OriginRecord>(), 'x-viewer-request')).toEqual([]);
    expect(image.json<OriginRecord>().url).toBe('/img/cat.jpg?size=2');
    const other = await get(`${dist.url}/apiary`);
    expect(received(other.json<OriginRecord>(), 'x-viewer-request')).toEqual([]);
  });
});

tb.describeIf('cloudfront')('A front door of this cloud as the origin', () => {
  let origin: OriginServer;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  it('a distribution can sit in front of another distribution (its DomainName on the cloud\'s port)', async () => {
    const inner = await distribution({ originPort: origin.port });
    const port = Number(new URL(tb.target.endpoint).port);
    const outer = await distribution({ originPort: port, originDomain: inner.domainName });
    const r = await get(`${outer.url}/chained?x=1`);
    expect([r.status, r.headers['x-origin']]).toEqual([200, 'origin']);
    const seen = r.json<OriginRecord>();
    expect(seen.url).toBe('/chained?x=1');
    expect(received(seen, 'via')[0].split(', ')).toHaveLength(2);
  });

  it('a distribution whose origin is itself answers 502 instead of looping', async () => {
    const port = Number(new URL(tb.target.endpoint).port);
    const self = await distribution({ originPort: port });
    const config = { ...self.config, Origins: { Quantity: 1, Items: [{ ...self.config.Origins!.Items![0], DomainName: self.domainName }] } };
    await tb.clients.cloudfront.send(new UpdateDistributionCommand({ Id: self.id, IfMatch: self.etag, DistributionConfig: config }));
    const r = await get(`${self.url}/loop`);
    expect([r.status, r.headers['x-cache']]).toEqual([502, 'Error from cloudfront']);
  });
});
