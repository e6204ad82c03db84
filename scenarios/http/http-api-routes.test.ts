/**
 * HTTP APIs route requests to Lambda functions: quick create, routes with path parameters and
 * `$default`, the `$default` stage and named stages with stage variables, the payload format 2.0
 * event, and OpenAPI import (AWS docs "Working with routes for HTTP APIs", "Working with stages for
 * HTTP APIs", "Working with AWS Lambda proxy integrations for HTTP APIs"). LocalStack's free edition
 * has no HTTP APIs: the suite runs where the target has them.
 */
import { CreateApiCommand, CreateStageCommand, GetRoutesCommand, ImportApiCommand, UpdateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { httpRequest } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';
import { buildApi, eventOf, functions, get } from './_http-api-helpers';

const tb = getTestbed();
const NOT_FOUND = { message: 'Not Found' };

tb.describeIf('httpApis')('HTTP API routing', () => {
  let appArn: string;
  beforeAll(async () => {
    appArn = (await functions()).app.arn;
  });

  it('quick create: CreateApi with a Target serves every request through $default at the ApiEndpoint', async () => {
    const api = await tb.clients.apigatewayv2.send(new CreateApiCommand({ Name: unique('quick'), ProtocolType: 'HTTP', Target: appArn }));
    expect(api.ApiEndpoint).toMatch(/^http:\/\/[a-z0-9]+\.execute-api\.localhost:\d+$/);
    const r = await get(`${api.ApiEndpoint}/any/path?x=1&x=2`, { headers: [['x-multi', 'a'], ['x-multi', 'b'], ['cookie', 'c1=1; c2=2']] });
    expect(r.status).toBe(200);
    expect(r.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const e = eventOf(r);
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/any/path',
      rawQueryString: 'x=1&x=2',
      cookies: ['c1=1', 'c2=2'],
      queryStringParameters: { x: '1,2' },
      isBase64Encoded: false,
    });
    expect(e.headers['x-multi']).toBe('a,b');
    expect(e.headers['x-forwarded-proto']).toBeDefined();
    expect(e.requestContext).toMatchObject({
      accountId: expect.stringMatching(/^\d{12}$/),
      apiId: api.ApiId,
      domainName: `${api.ApiId}.execute-api.localhost`,
      domainPrefix: api.ApiId,
      http: { method: 'GET', path: '/any/path', protocol: 'HTTP/1.1', sourceIp: expect.any(String) },
      requestId: r.headers['apigw-requestid'],
      routeKey: '$default',
      stage: '$default',
      time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      timeEpoch: expect.any(Number),
    });
    expect(e.pathParameters).toBeUndefined();
    expect(e.stageVariables).toBeUndefined();
  });

  describe('routes and a named stage', () => {
    let base: string;
    let endpoint: string;
    let apiId: string;
    beforeAll(async () => {
      ({ base, endpoint, apiId } = await buildApi({
        integration: { uri: appArn },
        routes: [{ RouteKey: 'GET /items/{id}' }, { RouteKey: 'GET /items/special' }, { RouteKey: 'ANY /files/{path+}' }],
        stage: { name: 'dev', variables: { env: 'development' } },
      }));
    });

    it('passes the route key, path parameters and stage variables; the stage is part of rawPath', async () => {
      const e = eventOf(await get(`${base}/items/a%20b`));
      expect(e).toMatchObject({ routeKey: 'GET /items/{id}', rawPath: '/dev/items/a%20b', pathParameters: { id: 'a b' }, stageVariables: { env: 'development' } });
      expect(e.requestContext).toMatchObject({ routeKey: 'GET /items/{id}', stage: 'dev', http: { path: '/dev/items/a%20b' } });
    });

    it('a static route wins over a parameter; a greedy variable takes the rest of the path', async () => {
      expect(eventOf(await get(`${base}/items/special`)).routeKey).toBe('GET /items/special');
      const e = eventOf(await httpRequest(`${base}/files/a/b/c.txt`, { method: 'DELETE' }));
      expect(e).toMatchObject({ routeKey: 'ANY /files/{path+}', pathParameters: { path: 'a/b/c.txt' } });
    });

    it('answers 404 {"message":"Not Found"} when no route, method or stage matches', async () => {
      for (const r of [await get(`${base}/nothing`), await httpRequest(`${base}/items/1`, { method: 'POST' }), await get(`${endpoint}/items/1`), await get(`${endpoint}/prod/items/1`)]) {
        expect([r.status, r.json(), r.headers['content-type']]).toEqual([404, NOT_FOUND, 'application/json']);
        expect(r.headers['apigw-requestid']).toBeDefined();
      }
    });

    it("serves LocalStack's path form /_aws/execute-api/<api-id>/<stage>/<path>", async () => {
      const e = eventOf(await get(`${tb.target.endpoint}/_aws/execute-api/${apiId}/dev/items/7`));
      expect(e).toMatchObject({ routeKey: 'GET /items/{id}', pathParameters: { id: '7' }, rawPath: '/dev/items/7' });
    });

    it('auto-deploys a changed route', async () => {
      const routes = await tb.clients.apigatewayv2.send(new GetRoutesCommand({ ApiId: apiId }));
      const special = routes.Items!.find((r) => r.RouteKey === 'GET /items/special')!;
      await tb.clients.apigatewayv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: special.RouteId, RouteKey: 'GET /other' }));
      expect(eventOf(await get(`${base}/other`)).routeKey).toBe('GET /other');
      expect(eventOf(await get(`${base}/items/special`)).routeKey).toBe('GET /items/{id}');
    });
  });

  it('an API id nobody has answers 404 {"message":"Not Found"}', async () => {
    const port = new URL(tb.target.endpoint).port;
    const r = await get(`http://zzzzzzzzzz.execute-api.localhost:${port}/`);
    expect([r.status, r.json()]).toEqual([404, NOT_FOUND]);
  });

  it('ImportApi builds a working API from an OpenAPI 3 definition', async () => {
    const body = {
      openapi: '3.0.1',
      info: { title: unique('imported'), version: '1' },
      paths: {
        '/hello/{name}': {
          get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: appArn, payloadFormatVersion: '2.0' } },
        },
      },
    };
    const api = await tb.clients.apigatewayv2.send(new ImportApiCommand({ Body: JSON.stringify(body) }));
    // An imported API has no stage until one is made.
    expect((await get(`${api.ApiEndpoint}/hello/you`)).status).toBe(404);
    await tb.clients.apigatewayv2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    expect(eventOf(await get(`${api.ApiEndpoint}/hello/you`))).toMatchObject({ routeKey: 'GET /hello/{name}', pathParameters: { name: 'you' } });
  });
});
