/**
 * Defining REST APIs: MOCK integrations with mapping templates, deployments as snapshots served
 * by stages, and whole APIs from OpenAPI documents (ImportRestApi, PutRestApi) with the
 * x-amazon-apigateway-integration extension. Bad definitions get API Gateway's errors.
 */
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';
import { eventOf, functions, invokeUrl, lambdaUri } from './_rest-api-helpers';

const tb = getTestbed();
const c = () => tb.clients.apigateway;
const encode = (text: string) => new TextEncoder().encode(text);

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

describe('MOCK integrations', () => {
  it('answer from the integration response the request template selects', async () => {
    const api = await c().send(new CreateRestApiCommand({ name: unique('rest-mock') }));
    const res = await c().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{id}' }));
    await c().send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c().send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }),
    );
    await c().send(
      new PutIntegrationResponseCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': '{"statusCode": 200, "id": $input.params().path.id}' },
      }),
    );
    await c().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }));
    const r = await httpRequest(invokeUrl(api.id!, 'test', '/42'), { headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ statusCode: 200, id: 42 });
  });

  it('a stage serves the deployment it points to until the next deployment', async () => {
    const api = await c().send(new CreateRestApiCommand({ name: unique('rest-snapshot') }));
    const respond = (text: string) =>
      c().send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': text } }));
    await c().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await c().send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }),
    );
    await respond('{"version": 1}');
    await c().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'live' }));
    await respond('{"version": 2}');
    const url = invokeUrl(api.id!, 'live', '/');
    expect((await httpRequest(url)).json()).toEqual({ version: 1 });
    await c().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'live' }));
    expect((await httpRequest(url)).json()).toEqual({ version: 2 });
  });
});

describe('OpenAPI documents', () => {
  it('ImportRestApi builds an API from OpenAPI 3 (JSON) with Lambda proxy and MOCK integrations', async () => {
    const fns = await functions();
    const doc = {
      openapi: '3.0.1',
      info: { title: unique('imported'), version: '1.0' },
      paths: {
        '/pets/{petId}': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: lambdaUri(fns.app.arn) } } },
        '/health': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } } },
            },
          },
        },
      },
    };
    const api = await c().send(new ImportRestApiCommand({ body: encode(JSON.stringify(doc)) }));
    expect(api.name).toBe(doc.info.title);
    const paths = (await c().send(new GetResourcesCommand({ restApiId: api.id }))).items!.map((r) => r.path).sort();
    expect(paths).toEqual(['/', '/health', '/pets', '/pets/{petId}']);
    await c().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'v1' }));
    expect((await httpRequest(invokeUrl(api.id!, 'v1', '/health'))).json()).toEqual({ ok: true });
    const e = eventOf(await httpRequest(invokeUrl(api.id!, 'v1', '/pets/7')));
    expect(e).toMatchObject({ resource: '/pets/{petId}', pathParameters: { petId: '7' } });
  });

  it('PutRestApi in overwrite mode replaces the API with a Swagger 2 (YAML) document', async () => {
    const api = await c().send(new CreateRestApiCommand({ name: unique('put') }));
    const yaml = [
      "swagger: '2.0'",
      'info:',
      '  title: replaced',
      '  version: "2"',
      'paths:',
      '  /hello:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '        requestTemplates:',
      "          application/json: '{\"statusCode\": 200}'",
      '        responses:',
      '          default:',
      "            statusCode: '200'",
      '            responseTemplates:',
      "              application/json: '{\"hello\": \"world\"}'",
      '',
    ].join('\n');
    const out = await c().send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: encode(yaml) }));
    expect(out).toMatchObject({ id: api.id, name: 'replaced' });
    await c().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'v2' }));
    expect((await httpRequest(invokeUrl(api.id!, 'v2', '/hello'))).json()).toEqual({ hello: 'world' });
  });

  it('a document that is not OpenAPI is BadRequestException "Invalid OpenAPI input."', async () => {
    for (const body of ["{'key:value}", 'test:\n  - "unterminated']) {
      expect(await errorOf(c().send(new ImportRestApiCommand({ body: encode(body) })))).toMatchObject({ name: 'BadRequestException', status: 400, message: 'Invalid OpenAPI input.' });
    }
  });
});

describe('bad definitions', () => {
  it('get API Gateway\'s errors: unknown API, resource conflicts, integration URIs', async () => {
    expect(await errorOf(c().send(new GetResourcesCommand({ restApiId: 'nope123456' })))).toMatchObject({ name: 'NotFoundException', status: 404 });
    const api = await c().send(new CreateRestApiCommand({ name: unique('bad') }));
    await c().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    expect(await errorOf(c().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' })))).toMatchObject({
      name: 'ConflictException',
      status: 409,
      message: 'Another resource with the same parent already has this name: pets',
    });
    await c().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    expect(
      await errorOf(
        c().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'not-an-arn' })),
      ),
    ).toMatchObject({ name: 'BadRequestException', message: 'Invalid ARN specified in the request' });
  });
});
