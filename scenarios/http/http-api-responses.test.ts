/**
 * How an HTTP API turns a function's result into the HTTP response, for payload formats 2.0 and
 * 1.0, and what it answers when the function fails, is too slow or may not be invoked (AWS docs
 * "Working with AWS Lambda proxy integrations for HTTP APIs", "Troubleshooting issues with HTTP API
 * Lambda integrations"). The function's own error is in its log group, and the API keeps serving.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { httpRequest } from '../../src/testbed/http';
import { eventually, getTestbed } from '../_support/testbed';
import { buildApi, control, eventOf, functions, returning, stack } from './_http-api-helpers';

const tb = getTestbed();
const INTERNAL = { message: 'Internal Server Error' };

tb.describeIf('httpApis')('HTTP API responses', () => {
  describe('payload format 2.0', () => {
    let url: string;
    let appName: string;
    beforeAll(async () => {
      const fns = await functions();
      appName = fns.app.name;
      url = `${(await buildApi({ integration: { uri: fns.app.arn, payloadFormatVersion: '2.0' }, routes: [{ RouteKey: 'ANY /r' }] })).endpoint}/r`;
    });

    it.each([
      ['an object', { message: 'Hello from Lambda!' }, '{"message":"Hello from Lambda!"}'],
      ['a string (its text)', 'Hello from Lambda!', 'Hello from Lambda!'],
      ['a number', 42, '42'],
    ])('a result without statusCode is 200 application/json with the result as the body: %s', async (_what, value, body) => {
      const r = await returning(url, value);
      expect([r.status, r.headers['content-type'], r.text]).toEqual([200, 'application/json', body]);
    });

    it('uses statusCode, headers and body; each cookie becomes a set-cookie line', async () => {
      const r = await returning(url, { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-custom': 'v' }, cookies: ['a=1; Path=/', 'b=2'], body: 'created' });
      expect([r.status, r.headers['content-type'], r.headers['x-custom'], r.text]).toEqual([201, 'text/plain', 'v', 'created']);
      expect(r.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['a=1; Path=/', 'b=2']);
    });

    it('decodes a base64 body', async () => {
      const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
      const r = await returning(url, { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true });
      expect(r.body.equals(bytes)).toBe(true);
    });

    it('a binary request body reaches the function base64-encoded', async () => {
      const r = await httpRequest(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2, 3]) });
      expect(eventOf(r)).toMatchObject({ body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });
    });

    it('a function error is 500 {"message":"Internal Server Error"}, and the error is in the function\'s logs', async () => {
      const r = await control(url, { action: 'throw', message: 'http-api scenario failure', errorName: 'ScenarioError' });
      expect([r.status, r.json()]).toEqual([500, INTERNAL]);
      const logs = await eventually(
        () => tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${appName}`, filterPattern: '"http-api scenario failure"' })),
        (out) => (out.events ?? []).length > 0,
      );
      expect(logs.events![0].message).toContain('ScenarioError');
    });

    it.each([
      ['a status code out of range', { statusCode: 1000 }],
      ['headers that are not an object', { statusCode: 200, headers: 'x' }],
      ['a header value with a line break', { statusCode: 200, headers: { 'x-bad': 'a\r\nb' } }],
      ['an object body', { statusCode: 200, body: { not: 'a string' } }],
    ])('a malformed result is 500: %s', async (_what, value) => {
      const r = await returning(url, value);
      expect([r.status, r.json()]).toEqual([500, INTERNAL]);
    });

    it('keeps serving after garbage', async () => {
      await returning(url, { statusCode: 'nope' });
      expect((await returning(url, { statusCode: 204 })).status).toBe(204);
    });
  });

  describe('payload format 1.0', () => {
    let url: string;
    let echoUrl: string;
    beforeAll(async () => {
      const fns = await functions();
      url = `${(await buildApi({ integration: { uri: fns.app.arn, payloadFormatVersion: '1.0' }, routes: [{ RouteKey: 'ANY /v1/{id}' }] })).endpoint}/v1/7`;
      echoUrl = `${(await buildApi({ integration: { uri: fns.echo.arn, payloadFormatVersion: '1.0' }, routes: [{ RouteKey: 'ANY /v1/{id}' }] })).endpoint}/v1/7`;
    });

    it('sends the 1.0 event with multiValueHeaders and HTTP API requestContext', async () => {
      const r = await httpRequest(`${echoUrl}?a=1&a=2`, { headers: [['x-multi', 'a'], ['x-multi', 'b']] });
      const e = eventOf(r);
      expect(e).toMatchObject({
        version: '1.0',
        resource: '/v1/{id}',
        path: '/v1/7',
        httpMethod: 'GET',
        multiValueHeaders: expect.objectContaining({ 'x-multi': ['a', 'b'] }),
        queryStringParameters: { a: '2' },
        multiValueQueryStringParameters: { a: ['1', '2'] },
        pathParameters: { id: '7' },
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
      });
      expect(e.requestContext).toMatchObject({ authorizer: { claims: null, scopes: null }, resourcePath: '/v1/{id}', stage: '$default', requestId: r.headers['apigw-requestid'], resourceId: null });
    });

    it('maps statusCode, headers and multiValueHeaders', async () => {
      const r = await returning(url, { statusCode: 202, headers: { 'x-one': '1' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] }, body: 'ok' });
      expect([r.status, r.headers['x-one'], r.text]).toEqual([202, '1', 'ok']);
      expect(r.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2']);
    });

    it('a result without statusCode is malformed in format 1.0: 500', async () => {
      const r = await returning(url, { message: 'no status' });
      expect([r.status, r.json()]).toEqual([500, INTERNAL]);
    });
  });

  it('an integration slower than TimeoutInMillis is 503 {"message":"Service Unavailable"}', async () => {
    const fns = await functions();
    const { endpoint } = await buildApi({ integration: { uri: fns.app.arn, timeoutInMillis: 300 }, routes: [{ RouteKey: 'POST /slow' }] });
    const r = await control(`${endpoint}/slow`, { action: 'return', sleepMs: 1500, value: 'late' });
    expect([r.status, r.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  });

  it('without permission for apigateway.amazonaws.com the API answers 500', async () => {
    const bare = (await stack()).functions.bare;
    const { endpoint } = await buildApi({ integration: { uri: bare.arn }, routes: [{ RouteKey: 'GET /x' }] });
    const r = await httpRequest(`${endpoint}/x`);
    expect([r.status, r.json()]).toEqual([500, INTERNAL]);
  });

  it("a permission scoped to the route's execute-api ARN lets API Gateway invoke the function", async () => {
    const bare = (await stack()).functions.bare;
    const { apiId, endpoint } = await buildApi({ integration: { uri: bare.arn }, routes: [{ RouteKey: 'GET /scoped/{id}' }] });
    const [, , , region, account] = bare.arn.split(':');
    await tb.clients.lambda.send(
      new AddPermissionCommand({
        FunctionName: bare.name,
        StatementId: `apigw-${apiId}`,
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:${region}:${account}:${apiId}/*/GET/scoped/{id}`,
      }),
    );
    expect(eventOf(await httpRequest(`${endpoint}/scoped/1`)).routeKey).toBe('GET /scoped/{id}');
  });

  it('a request body over 10 MB is refused with 413', async () => {
    const fns = await functions();
    const { endpoint } = await buildApi({ integration: { uri: fns.app.arn }, routes: [{ RouteKey: 'POST /big' }] });
    const r = await httpRequest(`${endpoint}/big`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 120) });
    expect([r.status, r.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
  });

  it('a stage variable names the function', async () => {
    const fns = await functions();
    const uri = fns.app.arn.replace(/function:.+$/, 'function:${stageVariables.fn}');
    const { base } = await buildApi({ integration: { uri }, routes: [{ RouteKey: 'GET /sv' }], stage: { name: 'live', variables: { fn: fns.app.name } } });
    expect(eventOf(await httpRequest(`${base}/sv`)).stageVariables).toEqual({ fn: fns.app.name });
  });
});
