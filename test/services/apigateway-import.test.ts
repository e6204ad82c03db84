/**
 * ImportRestApi and PutRestApi from OpenAPI 3 / Swagger 2 (JSON and YAML) with API Gateway's
 * extensions, then served through the door; bad documents answer as AWS does ([rec] =
 * LocalStack's AWS-recorded test_apigateway_import.snapshot.json).
 */
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { failure } from './helpers';
import { createFunction, type DoorEnv, lambdaUri, startDoorEnv, stopDoorEnv, allowApiGateway } from './apigateway-helpers';

let env: DoorEnv;
let fn: string;

beforeAll(async () => {
  env = await startDoorEnv();
  fn = await createFunction(env, 'import-proxy');
}, 60_000);
afterAll(async () => stopDoorEnv(env));

const doc = (o: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify(o));

function oas3(fnArn: string) {
  return {
    openapi: '3.0.1',
    info: { title: 'Imported', version: '1.0', description: 'from a document' },
    'x-amazon-apigateway-binary-media-types': ['image/png'],
    paths: {
      '/pets/{petId}': {
        get: {
          operationId: 'GetPet',
          parameters: [{ name: 'verbose', in: 'query', required: false }],
          responses: { '200': { description: 'ok', headers: { 'X-Thing': { schema: { type: 'string' } } } } },
          security: [{ Tok: [] }],
          'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: lambdaUri(fnArn) },
        },
      },
      '/echo/{data}': {
        'x-amazon-apigateway-any-method': {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            passthroughBehavior: 'when_no_templates',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"echo": "$input.params(\'data\')", "response": "mocked"}' } } },
          },
        },
      },
      '/keyed': {
        get: {
          responses: { '200': { description: 'ok' } },
          security: [{ api_key: [] }],
          'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } },
        },
      },
    },
    components: {
      securitySchemes: {
        Tok: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: lambdaUri(fnArn), authorizerResultTtlInSeconds: 60 },
        },
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    },
  };
}

describe('ImportRestApi', () => {
  it('builds resources, methods, integrations and authorizers from an OpenAPI 3 document', async () => {
    const out = await env.apigw.send(new ImportRestApiCommand({ body: doc(oas3(fn)), failOnWarnings: true }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({ name: 'Imported', version: '1.0', description: 'from a document', binaryMediaTypes: ['image/png'], apiKeySource: 'HEADER' });
    const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: out.id }))).items!;
    expect(resources.map((r) => [r.path, Object.keys(r.resourceMethods ?? {})])).toEqual([
      ['/', []],
      ['/echo', []],
      ['/echo/{data}', ['ANY']],
      ['/keyed', ['GET']],
      ['/pets', []],
      ['/pets/{petId}', ['GET']],
    ]);
    const authorizers = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: out.id }))).items!;
    expect(authorizers).toEqual([
      { id: expect.any(String), name: 'Tok', type: 'TOKEN', authType: 'custom', authorizerUri: lambdaUri(fn), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 60 },
    ]);
    const pet = resources.find((r) => r.path === '/pets/{petId}')!;
    const method = await env.apigw.send(new GetMethodCommand({ restApiId: out.id, resourceId: pet.id, httpMethod: 'GET' }));
    expect(method).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: authorizers[0].id,
      operationName: 'GetPet',
      requestParameters: { 'method.request.querystring.verbose': false, 'method.request.path.petId': true },
      methodResponses: { '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Thing': false } } },
    });
    expect(method.methodIntegration).toMatchObject({ type: 'AWS_PROXY', httpMethod: 'POST', uri: lambdaUri(fn), passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000 });
    const keyed = resources.find((r) => r.path === '/keyed')!;
    expect((await env.apigw.send(new GetMethodCommand({ restApiId: out.id, resourceId: keyed.id, httpMethod: 'GET' }))).apiKeyRequired).toBe(true);
  });

  it('serves an imported MOCK after a deployment', async () => {
    const out = await env.apigw.send(new ImportRestApiCommand({ body: doc(oas3(fn)) }));
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: out.id, stageName: 'v1' }));
    const r = await httpRequest(`http://${out.id}.execute-api.localhost:${env.cloud.port}/v1/echo/hello`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ echo: 'hello', response: 'mocked' });
  });

  it('reads Swagger 2 in YAML', async () => {
    const yaml = [
      "swagger: '2.0'",
      'info:',
      '  title: FromYaml',
      '  version: "2"',
      'paths:',
      '  /items/{proxy+}:',
      '    x-amazon-apigateway-any-method:',
      '      x-amazon-apigateway-integration:',
      '        type: aws_proxy',
      '        httpMethod: POST',
      `        uri: ${lambdaUri(fn)}`,
      '',
    ].join('\n');
    const out = await env.apigw.send(new ImportRestApiCommand({ body: new TextEncoder().encode(yaml) }));
    expect(out).toMatchObject({ name: 'FromYaml', version: '2' });
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: out.id, stageName: 'y' }));
    await allowApiGateway(env, fn, out.id!);
    const e = (await httpRequest(`http://${out.id}.execute-api.localhost:${env.cloud.port}/y/items/a/b`)).json<Record<string, any>>();
    expect(e).toMatchObject({ resource: '/items/{proxy+}', pathParameters: { proxy: 'a/b' } });
  });

  it('refuses documents it cannot read with "Invalid OpenAPI input." [rec]', async () => {
    const badYaml = 'test:\n    value:\n        - "value ... \\"escaped\\": $var, \\"dt\\": $(var +"%a")}\\"\n        ';
    const badJson = "{'key:value}";
    for (const body of [badYaml, badJson, '{"info": {"title": "x"}}', '[]']) {
      expect(await failure(env.apigw.send(new ImportRestApiCommand({ body: new TextEncoder().encode(body) })))).toEqual({
        name: 'BadRequestException',
        status: 400,
        message: 'Invalid OpenAPI input.',
      });
      expect(await failure(env.apigw.send(new PutRestApiCommand({ restApiId: 'nope', body: new TextEncoder().encode(body) })))).toMatchObject({ message: 'Invalid OpenAPI input.' });
    }
  });

  it('fails the whole import on an integration PutIntegration would refuse', async () => {
    const bad = oas3(fn);
    (bad.paths['/pets/{petId}'].get['x-amazon-apigateway-integration'] as Record<string, string>).uri = 'not-an-arn';
    const err = await failure(env.apigw.send(new ImportRestApiCommand({ body: doc(bad) })));
    expect(err).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(err.message).toBe("Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/pets/{petId}': Invalid ARN specified in the request");
  });

  it('fails on warnings only when asked to', async () => {
    const noIntegration = { openapi: '3.0.1', info: { title: 'warn', version: '1' }, paths: { '/a': { get: { responses: {} } } } };
    const err = await failure(env.apigw.send(new ImportRestApiCommand({ body: doc(noIntegration), failOnWarnings: true })));
    expect(err.message).toMatch(/^Warnings found during import:/);
    const ok = await env.apigw.send(new ImportRestApiCommand({ body: doc(noIntegration) }));
    expect(ok.warnings).toEqual(['Integration not found for method GET of resource /a']);
  });
});

describe('PutRestApi', () => {
  const putDoc = { swagger: '2.0', info: { title: 'put-api', version: '1.0.0' }, 'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'], paths: {} };

  it.each([
    ['merge', ['image/heif', 'image/png', 'image/jpg']],
    ['overwrite', ['image/png', 'image/jpg']],
  ])('%s: binary media types and info [rec]', async (mode, expected) => {
    const api = await env.apigw.send(new CreateRestApiCommand({ name: 'before', binaryMediaTypes: ['image/heif'] }));
    const out = await env.apigw.send(new PutRestApiCommand({ restApiId: api.id, mode: mode as 'merge' | 'overwrite', body: doc(putDoc) }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out).toMatchObject({ id: api.id, name: 'put-api', version: '1.0.0', binaryMediaTypes: expected, rootResourceId: api.rootResourceId, tags: {} });
  });

  it('merges methods into the existing API or replaces them all', async () => {
    const api = await env.apigw.send(new ImportRestApiCommand({ body: doc(oas3(fn)) }));
    const extra = { openapi: '3.0.1', info: { title: 'Imported' }, paths: { '/more': { post: { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } } } } } };
    await env.apigw.send(new PutRestApiCommand({ restApiId: api.id, mode: 'merge', body: doc(extra) }));
    const merged = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items!.map((r) => r.path);
    expect(merged).toEqual(expect.arrayContaining(['/pets/{petId}', '/more']));
    await env.apigw.send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: doc(extra) }));
    const replaced = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
    expect(replaced.map((r) => r.path)).toEqual(['/', '/more']);
    expect(replaced[0].id).toBe(api.rootResourceId);
    const more = replaced[1];
    expect((await env.apigw.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: more.id, httpMethod: 'POST' }))).type).toBe('MOCK');
    expect((await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items).toEqual([]);
  });
});
