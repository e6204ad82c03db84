/**
 * API Gateway REST APIs with a Lambda proxy integration (AWS docs "Set up Lambda proxy
 * integrations in API Gateway": input format 1.0, output format): what the function receives, how
 * its result becomes the HTTP response, and what API Gateway answers when the function fails, is
 * too slow or may not be invoked. The function's own error is in its log group, and the API keeps
 * serving.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { eventually, getTestbed, unique } from '../_support/testbed';
import { control, eventOf, functions, invokeUrl, lambdaUri, proxyApi, type ProxyApi, returning, stack } from './_rest-api-helpers';

const tb = getTestbed();
const INTERNAL = '{"message": "Internal server error"}';

describe('REST API Lambda proxy integration', () => {
  let api: ProxyApi;
  let appName: string;
  let appArn: string;
  beforeAll(async () => {
    const fns = await functions();
    appName = fns.app.name;
    appArn = fns.app.arn;
    api = await proxyApi(appArn);
  });

  describe('the event (payload format 1.0)', () => {
    it('carries method, path, {proxy+}, query string, headers and the request context', async () => {
      const r = await httpRequest(`${api.base}/pets/1?a=1&a=2&b=x%20y`, { headers: [['x-multi', 'one'], ['x-multi', 'two'], ['user-agent', 'scenario/1.0']] });
      expect(r.status).toBe(200);
      const e = eventOf(r);
      expect(e).toMatchObject({
        resource: '/{proxy+}',
        path: '/pets/1',
        httpMethod: 'GET',
        queryStringParameters: { a: '2', b: 'x y' },
        multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
        pathParameters: { proxy: 'pets/1' },
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
      });
      const multi = Object.entries(e.multiValueHeaders as Record<string, string[]>).find(([k]) => k.toLowerCase() === 'x-multi')?.[1];
      expect(multi).toEqual(['one', 'two']);
      expect(e.requestContext).toMatchObject({ apiId: api.id, stage: 'test', httpMethod: 'GET', resourcePath: '/{proxy+}', resourceId: api.proxy, path: '/test/pets/1' });
      expect(e.requestContext.requestId).toEqual(expect.any(String));
      expect(e.requestContext.identity).toMatchObject({ sourceIp: expect.any(String), userAgent: 'scenario/1.0' });
    });

    it('routes the root path to the root resource, without path parameters', async () => {
      const e = eventOf(await httpRequest(`${api.base}/`));
      expect(e).toMatchObject({ resource: '/', path: '/', pathParameters: null, queryStringParameters: null, multiValueQueryStringParameters: null });
    });

    it('passes a JSON body as text', async () => {
      const e = eventOf(await httpRequest(`${api.base}/items`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"n":1}' }));
      expect(e).toMatchObject({ httpMethod: 'PUT', body: '{"n":1}', isBase64Encoded: false });
    });

    it('passes stage variables, which can also name the function in the integration URI', async () => {
      const uri = lambdaUri(appArn).replace(`:function:${appName}`, ':function:${stageVariables.fn}');
      const staged = await proxyApi(appArn, { uri, variables: { fn: appName, color: 'blue' } });
      const e = eventOf(await httpRequest(`${staged.base}/x`));
      expect(e.stageVariables).toEqual({ fn: appName, color: 'blue' });
    });
  });

  describe('the response', () => {
    it('uses statusCode, headers, multiValueHeaders and body', async () => {
      const r = await returning(`${api.base}/r`, { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-one': 'a' }, multiValueHeaders: { 'x-many': ['1', '2'] }, body: 'created' });
      expect([r.status, r.headers['content-type'], r.headers['x-one'], r.text]).toEqual([201, 'text/plain', 'a', 'created']);
      expect(r.headerLines.filter(([k]) => k === 'x-many').map(([, v]) => v)).toEqual(['1', '2']);
    });

    it('defaults to 200 application/json with an empty body', async () => {
      const r = await returning(`${api.base}/r`, {});
      expect([r.status, r.headers['content-type'], r.text]).toEqual([200, 'application/json', '']);
    });

    it('takes a statusCode given as a string', async () => {
      expect((await returning(`${api.base}/r`, { statusCode: '202' })).status).toBe(202);
    });

    it('sends a base64 body as it is when the API has no binary media types', async () => {
      const encoded = Buffer.from('test-data').toString('base64');
      const r = await returning(`${api.base}/r`, { statusCode: 200, body: encoded, isBase64Encoded: true });
      expect(r.text).toBe(encoded);
    });

    it('decodes a base64 body when the client accepts one of the binary media types', async () => {
      const bin = await proxyApi(appArn, { binaryMediaTypes: ['image/png'] });
      const bytes = Buffer.from([137, 80, 78, 71, 0, 255]);
      const r = await httpRequest(`${bin.base}/img`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'image/png' },
        body: JSON.stringify({ noProbe: true, action: 'return', value: { statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true } }),
      });
      expect(r.body.equals(bytes)).toBe(true);
    });
  });

  describe('failures', () => {
    it('a function error is 502 {"message": "Internal server error"}, and the error is in the function\'s logs', async () => {
      const r = await control(`${api.base}/boom`, { action: 'throw', message: 'rest-api scenario failure', errorName: 'ScenarioError' });
      expect([r.status, r.text]).toEqual([502, INTERNAL]);
      const logs = await eventually(
        () => tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${appName}`, filterPattern: '"rest-api scenario failure"' })),
        (out) => (out.events ?? []).length > 0,
      );
      expect(logs.events![0].message).toContain('ScenarioError');
    });

    it.each([
      ['a member API Gateway does not know', { statusCode: 200, wrongValue: 'value' }],
      ['a plain string', 'justAString'],
      ['a statusCode that is not a number', { statusCode: 'test' }],
      ['multiValueHeaders that are not lists', { statusCode: 200, multiValueHeaders: { 'x-a': 'b' } }],
    ])('a malformed result is 502: %s', async (_what, value) => {
      const r = await returning(`${api.base}/bad`, value);
      expect([r.status, r.text]).toEqual([502, INTERNAL]);
    });

    it('keeps serving after garbage', async () => {
      await returning(`${api.base}/bad`, { statusCode: 'nope' });
      expect((await returning(`${api.base}/ok`, { statusCode: 204 })).status).toBe(204);
    });

    it('a path or method without a resource is 403 {"message":"Missing Authentication Token"}', async () => {
      const c = tb.clients.apigateway;
      const only = await c.send(new CreateRestApiCommand({ name: unique('rest-routes') }));
      const res = await c.send(new CreateResourceCommand({ restApiId: only.id, parentId: only.rootResourceId, pathPart: 'exists' }));
      await c.send(new PutMethodCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
      await c.send(new PutIntegrationCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await c.send(new PutIntegrationResponseCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"message": "exists"}' } }));
      await c.send(new CreateDeploymentCommand({ restApiId: only.id, stageName: 'dev' }));
      expect((await httpRequest(invokeUrl(only.id!, 'dev', '/exists'))).json()).toEqual({ message: 'exists' });
      for (const [method, path] of [
        ['GET', '/nope'],
        ['DELETE', '/exists'],
      ]) {
        const r = await httpRequest(invokeUrl(only.id!, 'dev', path), { method });
        expect([r.status, r.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
      }
    });

    tb.itIf('restApiFidelity')('an unknown stage is 403 {"message":"Forbidden"}', async () => {
      const r = await httpRequest(invokeUrl(api.id, 'nostage', '/x'));
      expect([r.status, r.json()]).toEqual([403, { message: 'Forbidden' }]);
    });

    tb.itIf('restApiFidelity')('a function that does not let API Gateway invoke it is 500', async () => {
      const { functions: fns } = await stack();
      const locked = await proxyApi(fns.bare.arn);
      const r = await httpRequest(`${locked.base}/x`);
      expect([r.status, r.text]).toEqual([500, INTERNAL]);
    });

    tb.itIf('restApiFidelity')('a function slower than the integration timeout is 504 {"message": "Endpoint request timed out"}', async () => {
      const slow = await proxyApi(appArn, { timeoutInMillis: 500 });
      const r = await control(`${slow.base}/slow`, { action: 'return', sleepMs: 2000, value: { statusCode: 200 } });
      expect([r.status, r.text]).toEqual([504, '{"message": "Endpoint request timed out"}']);
    });
  });
});
