/**
 * The execute-api door of REST APIs over plain HTTP on a started cloud: routing, the proxy event
 * v1.0, response mapping and its failures, MOCK integrations, stage variables, deployments as
 * frozen copies, and LocalStack's path forms ([rec] = LocalStack's AWS-recorded
 * test_apigateway_lambda / test_apigateway_common snapshots).
 */
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  UpdateIntegrationCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { ACCOUNT, allowApiGateway, createFunction, type DoorEnv, lambdaUri, proxyApi, type ProxyApi, startDoorEnv, stopDoorEnv } from './apigateway-helpers';

let env: DoorEnv;
let fn: string;
let api: ProxyApi;

beforeAll(async () => {
  env = await startDoorEnv();
  fn = await createFunction(env, 'door-proxy');
  api = await proxyApi(env, fn);
}, 60_000);
afterAll(async () => stopDoorEnv(env));

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the proxy event v1.0', () => {
  it('carries the request as AWS shapes it [rec]', async () => {
    const r = await httpRequest(`${api.base}/pets/1/?a=1&a=2&b=x%20y`, {
      headers: [
        ['User-Agent', 'tester/1.0'],
        ['X-Multi', 'one'],
        ['X-Multi', 'two'],
      ],
    });
    expect(r.status).toBe(200);
    const e = r.json<Record<string, any>>();
    expect(e).toMatchObject({
      resource: '/{proxy+}',
      path: '/pets/1/',
      httpMethod: 'GET',
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      pathParameters: { proxy: 'pets/1' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(e.headers).toMatchObject({ 'User-Agent': 'tester/1.0', 'X-Multi': 'two', 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Port': String(env.cloud.port) });
    expect(e.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
    expect(e.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(e.requestContext).toMatchObject({
      accountId: ACCOUNT,
      apiId: api.id,
      domainName: `${api.id}.execute-api.localhost`,
      domainPrefix: api.id,
      httpMethod: 'GET',
      path: '/test/pets/1/',
      protocol: 'HTTP/1.1',
      resourceId: api.proxy,
      resourcePath: '/{proxy+}',
      stage: 'test',
      identity: { sourceIp: '127.0.0.1', userAgent: 'tester/1.0', accessKey: null, caller: null, user: null, userArn: null, cognitoIdentityId: null },
    });
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.requestContext.extendedRequestId).toMatch(/^[A-Za-z0-9]{15}=$/);
    expect(e.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(typeof e.requestContext.requestTimeEpoch).toBe('number');
    expect(e.requestContext.deploymentId).toMatch(/^[a-z0-9]{6}$/);
    // The answer's own headers [rec]
    expect(r.headers['x-amzn-requestid']).toBe(e.requestContext.requestId);
    expect(r.headers['x-amz-apigw-id']).toBe(e.requestContext.extendedRequestId);
    expect(r.headers['x-amzn-trace-id']).toMatch(/^Root=1-/);
  });

  it('keeps encoded path parameters and collapses a leading double slash only in path [rec]', async () => {
    const e = (await httpRequest(`${api.base}//a/test%2Balias@x.com//b`)).json<Record<string, any>>();
    expect(e.path).toBe('/a/test%2Balias@x.com//b');
    expect(e.pathParameters).toEqual({ proxy: 'a/test%2Balias@x.com//b' });
    expect(e.requestContext.path).toBe('/test//a/test%2Balias@x.com//b');
  });

  it('routes the root to / with null pathParameters and queryStringParameters', async () => {
    const e = (await httpRequest(`${api.base}/`)).json<Record<string, any>>();
    expect(e).toMatchObject({ resource: '/', path: '/', pathParameters: null, queryStringParameters: null, multiValueQueryStringParameters: null });
  });

  it('passes a text body as it is and a binary media type base64-encoded', async () => {
    const text = await post(`${api.base}/echo`, { hello: 'world' });
    expect(text.json<Record<string, any>>()).toMatchObject({ body: '{"hello":"world"}', isBase64Encoded: false, httpMethod: 'POST' });
    const binApi = await env.apigw.send(new CreateRestApiCommand({ name: 'bin', binaryMediaTypes: ['application/octet-stream'] }));
    await env.apigw.send(new PutMethodCommand({ restApiId: binApi.id, resourceId: binApi.rootResourceId, httpMethod: 'POST', authorizationType: 'NONE' }));
    await env.apigw.send(
      new PutIntegrationCommand({ restApiId: binApi.id, resourceId: binApi.rootResourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn) }),
    );
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: binApi.id, stageName: 'b' }));
    await allowApiGateway(env, fn, binApi.id!);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const r = await httpRequest(`http://${binApi.id}.execute-api.localhost:${env.cloud.port}/b`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(r.json<Record<string, any>>()).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });
});

describe('response mapping', () => {
  it('sends statusCode, merged headers and the body [rec]', async () => {
    const r = await post(`${api.base}/x`, {
      value: { statusCode: '201', headers: { 'test-multi': 'value-solo', 'header-bool': true }, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, body: 'made' },
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('made');
    expect(r.headerLines.filter(([k]) => k === 'test-multi').map(([, v]) => v)).toEqual(['value-multi', 'value-solo']);
    expect(r.headers['header-bool']).toBe('true');
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('answers 200 with an empty body for a result without statusCode or body [rec]', async () => {
    const r = await post(`${api.base}/x`, { value: { headers: { 'test-header': 'value' } } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(r.headers['test-header']).toBe('value');
  });

  it('sends a base64 body as text unless the API has binary media types the client accepts [rec]', async () => {
    const encoded = Buffer.from('test-data').toString('base64');
    const r = await post(`${api.base}/x`, { value: { statusCode: 200, body: encoded, isBase64Encoded: true } });
    expect(r.text).toBe(encoded);
    await env.apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'add', path: '/binaryMediaTypes/image~1png' }] }));
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }));
    const decoded = await post(`${api.base}/x`, { value: { statusCode: 200, body: encoded, isBase64Encoded: true } }, { accept: 'image/png' });
    expect(decoded.text).toBe('test-data');
  });

  it.each([
    ['an unknown member', { statusCode: 200, wrongValue: 'value' }],
    ['a string', 'justAString'],
    ['an invalid statusCode', { statusCode: 'test' }],
    ['multiValueHeaders that are not lists', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
  ])('answers 502 Internal server error for %s [rec]', async (_, value) => {
    const r = await post(`${api.base}/x`, { value });
    expect(r.status).toBe(502);
    expect(r.text).toBe('{"message": "Internal server error"}');
    expect(r.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 502 when the function throws, and keeps serving', async () => {
    const r = await post(`${api.base}/x`, { throw: 'boom' });
    expect(r.status).toBe(502);
    expect(r.json()).toEqual({ message: 'Internal server error' });
    expect((await httpRequest(`${api.base}/still`)).status).toBe(200);
  });
});

describe('failures of the door itself', () => {
  it('answers 403 Missing Authentication Token for an unknown route or method [rec]', async () => {
    const only = await env.apigw.send(new CreateRestApiCommand({ name: 'only-get' }));
    const res = await env.apigw.send(new CreateResourceCommand({ restApiId: only.id, parentId: only.rootResourceId, pathPart: 'exists' }));
    await env.apigw.send(new PutMethodCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await env.apigw.send(new PutIntegrationCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(
      new PutIntegrationResponseCommand({ restApiId: only.id, resourceId: res.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"message": "exists"}' } }),
    );
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: only.id, stageName: 'dev' }));
    const base = `http://${only.id}.execute-api.localhost:${env.cloud.port}/dev`;
    expect((await httpRequest(`${base}/exists`)).json()).toEqual({ message: 'exists' });
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/exists'],
    ]) {
      const r = await httpRequest(`${base}${path}`, { method });
      expect(r.status).toBe(403);
      expect(r.text).toBe('{"message":"Missing Authentication Token"}');
      expect(r.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    }
    const stage = await httpRequest(`http://${only.id}.execute-api.localhost:${env.cloud.port}/nostage/exists`);
    expect(stage.status).toBe(403);
    expect(stage.json()).toEqual({ message: 'Forbidden' });
  });

  it('answers 413 Request Too Long past the 10 MB payload quota', async () => {
    const r = await httpRequest(`${api.base}/big`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    expect(r.status).toBe(413);
    expect(r.json()).toEqual({ message: 'Request Too Long' });
    expect((await httpRequest(`${api.base}/after`)).status).toBe(200);
  });

  it('answers 500 when the function does not let API Gateway invoke it', async () => {
    const locked = await createFunction(env, 'door-locked');
    const lockedApi = await proxyApi(env, locked, { permit: false });
    const r = await httpRequest(`${lockedApi.base}/x`);
    expect(r.status).toBe(500);
    expect(r.text).toBe('{"message": "Internal server error"}');
  });

  it('answers 504 Endpoint request timed out after the integration timeout', async () => {
    const slow = await proxyApi(env, fn, { timeoutInMillis: 300 });
    const r = await post(`${slow.base}/x`, { sleep: 2000, value: { statusCode: 200 } });
    expect(r.status).toBe(504);
    expect(r.text).toBe('{"message": "Endpoint request timed out"}');
  });

  it('times out after 29 s by default, on the cloud clock', async () => {
    const slowFn = await createFunction(env, 'door-hang', 'exports.handler = () => new Promise(() => setInterval(() => {}, 60000));', 60);
    const hang = await proxyApi(env, slowFn);
    const pending = httpRequest(`${hang.base}/x`);
    const clock = env.cloud.cloud.clock;
    for (let i = 0; i < 200 && !env.cloud.cloud.lambda.invocations.list({ functionName: 'door-hang' }).length; i++) await new Promise((r) => setTimeout(r, 25));
    clock.advance(28_000);
    clock.advance(1_500);
    const r = await pending;
    expect(r.status).toBe(504);
  });

  it('answers 500 for an AWS_PROXY integration whose httpMethod is not POST [rec]', async () => {
    const get = await proxyApi(env, fn);
    await env.apigw.send(
      new UpdateIntegrationCommand({ restApiId: get.id, resourceId: get.proxy, httpMethod: 'ANY', patchOperations: [{ op: 'replace', path: '/httpMethod', value: 'GET' }] }),
    );
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: get.id, stageName: 'test' }));
    const r = await httpRequest(`${get.base}/x`);
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ message: 'Internal server error' });
  });
});

describe('stages and deployments', () => {
  it('picks the function from a stage variable and passes stageVariables', async () => {
    const other = await createFunction(env, 'door-other', `exports.handler = async (e) => ({ statusCode: 200, body: 'other:' + JSON.stringify(e.stageVariables) });`);
    const uri = lambdaUri(fn).replace(':function:door-proxy', ':function:${stageVariables.fn}');
    const staged = await proxyApi(env, fn, { uri, variables: { fn: 'door-other' } });
    await allowApiGateway(env, other, staged.id);
    const r = await httpRequest(`${staged.base}/x`);
    expect(r.text).toBe('other:{"fn":"door-other"}');
  });

  it('serves the deployment a stage points to until the next deployment', async () => {
    const frozen = await env.apigw.send(new CreateRestApiCommand({ name: 'frozen' }));
    const mock = (text: string) =>
      env.apigw.send(
        new PutIntegrationResponseCommand({ restApiId: frozen.id, resourceId: frozen.rootResourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': text } }),
      );
    await env.apigw.send(new PutMethodCommand({ restApiId: frozen.id, resourceId: frozen.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await env.apigw.send(
      new PutIntegrationCommand({ restApiId: frozen.id, resourceId: frozen.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }),
    );
    await mock('one');
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: frozen.id, stageName: 's' }));
    await mock('two');
    const url = `http://${frozen.id}.execute-api.localhost:${env.cloud.port}/s`;
    expect((await httpRequest(url)).text).toBe('one');
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: frozen.id, stageName: 's' }));
    expect((await httpRequest(url)).text).toBe('two');
  });
});

describe('MOCK integrations', () => {
  it('selects the response by the template status code and renders its template [rec]', async () => {
    const m = await env.apigw.send(new CreateRestApiCommand({ name: 'mock' }));
    const res = await env.apigw.send(new CreateResourceCommand({ restApiId: m.id, parentId: m.rootResourceId, pathPart: '{id}' }));
    await env.apigw.send(new PutMethodCommand({ restApiId: m.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await env.apigw.send(
      new PutIntegrationCommand({
        restApiId: m.id,
        resourceId: res.id,
        httpMethod: 'GET',
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": $input.params(\'code\')}' },
      }),
    );
    await env.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: m.id,
        resourceId: res.id,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': '{"statusCode": 200, "id": $input.params().path.id, "stage": "$context.stage"}' },
        responseParameters: { 'method.response.header.X-Mock': "'yes'" },
      }),
    );
    await env.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: m.id,
        resourceId: res.id,
        httpMethod: 'GET',
        statusCode: '404',
        selectionPattern: '4\\d{2}',
        responseTemplates: { 'application/json': '#set($context.responseOverride.status = 418)\n{"missing": "$input.params(\'id\')"}' },
      }),
    );
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: m.id, stageName: 'test' }));
    const base = `http://${m.id}.execute-api.localhost:${env.cloud.port}/test`;
    const ok = await httpRequest(`${base}/42?code=200`, { headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ statusCode: 200, id: 42, stage: 'test' });
    expect(ok.headers['x-mock']).toBe('yes');
    const missing = await httpRequest(`${base}/7?code=404`);
    expect(missing.status).toBe(418);
    expect(missing.json()).toEqual({ missing: '7' });
  });
});

describe("LocalStack's path forms", () => {
  it('serves /restapis/<id>/<stage>/_user_request_/ and /_aws/execute-api/<id>/<stage>/', async () => {
    for (const url of [`${env.cloud.endpoint}/restapis/${api.id}/test/_user_request_/p/q`, `${env.cloud.endpoint}/_aws/execute-api/${api.id}/test/p/q`]) {
      const e = (await httpRequest(url)).json<Record<string, any>>();
      expect(e).toMatchObject({ path: '/p/q', pathParameters: { proxy: 'p/q' }, requestContext: { stage: 'test', path: '/test/p/q' } });
    }
  });
});
