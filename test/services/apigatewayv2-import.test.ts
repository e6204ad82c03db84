/**
 * ImportApi / ReimportApi through the wire: OpenAPI 3 definitions (JSON and YAML) with
 * x-amazon-apigateway-integration, -any-method (isDefaultRoute), -authorizer and -cors, and the
 * malformed documents AWS refuses.
 */
import { ApiGatewayV2Client, GetAuthorizersCommand, GetIntegrationsCommand, GetRoutesCommand, ImportApiCommand, ReimportApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, expectError } from './helpers';

const REGION = 'us-east-1';
const FN = `arn:aws:lambda:${REGION}:000000000000:function:hello`;
const FN_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${FN}/invocations`;

let cloud: RunningCloud;
let v2: ApiGatewayV2Client;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  v2 = new ApiGatewayV2Client({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  v2.destroy();
  await cloud.stop();
});

const definition = {
  openapi: '3.0.1',
  info: { title: 'Imported', version: 'v1.0' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'GetItem',
        security: [{ jwt: ['read'] }],
        'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: FN_URI, payloadFormatVersion: 2.0, timeoutInMillis: 1000 },
      },
      post: { 'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/shared' } },
    },
    '/$default': {
      'x-amazon-apigateway-any-method': {
        isDefaultRoute: true,
        security: [{ lambda: [] }],
        'x-amazon-apigateway-integration': { type: 'AWS_PROXY', uri: FN, payloadFormatVersion: '1.0' },
      },
    },
  },
  components: {
    securitySchemes: {
      jwt: { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: 'https://issuer.example', audience: ['aud'] } } },
      lambda: {
        type: 'apiKey',
        name: 'x-token',
        in: 'header',
        'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: FN_URI, authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.x-token', authorizerResultTtlInSeconds: 60 },
      },
    },
    'x-amazon-apigateway-integrations': { shared: { type: 'AWS_PROXY', uri: FN, payloadFormatVersion: '2.0' } },
  },
  'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example'], allowMethods: ['GET', 'POST'], maxAge: 300 },
};

describe('ImportApi', () => {
  it('makes routes, integrations, authorizers and CORS from a JSON definition', async () => {
    const api = await v2.send(new ImportApiCommand({ Body: JSON.stringify(definition) }));
    expect(api.$metadata.httpStatusCode).toBe(201);
    expect(api).toMatchObject({ Name: 'Imported', Version: 'v1.0', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.method $request.path' });
    expect(api.CorsConfiguration).toEqual({ AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], MaxAge: 300 });
    const routes = (await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['$default', 'GET /items/{id}', 'POST /items/{id}']);
    const get = routes.find((r) => r.RouteKey === 'GET /items/{id}')!;
    expect(get).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['read'], OperationName: 'GetItem' });
    expect(routes.find((r) => r.RouteKey === '$default')).toMatchObject({ AuthorizationType: 'CUSTOM' });
    const integrations = (await v2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    expect(integrations).toHaveLength(3);
    expect(integrations.find((i) => `integrations/${i.IntegrationId}` === get.Target)).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', TimeoutInMillis: 1000, IntegrationUri: FN_URI });
    const authorizers = (await v2.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items!;
    expect(authorizers.find((a) => a.Name === 'lambda')).toMatchObject({ AuthorizerType: 'REQUEST', EnableSimpleResponses: true, IdentitySource: ['$request.header.x-token'], AuthorizerResultTtlInSeconds: 60 });
    expect(authorizers.find((a) => a.Name === 'jwt')).toMatchObject({ AuthorizerType: 'JWT', JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['aud'] } });
  });

  it('reads YAML, with the version written as a number', async () => {
    const yaml = [
      'openapi: 3.0.1',
      'info:',
      '  title: My Lambda API',
      '  version: v1.0',
      'paths:',
      '  /hello:',
      '    x-amazon-apigateway-any-method:',
      '      x-amazon-apigateway-integration:',
      '        payloadFormatVersion: 2.0',
      '        type: aws_proxy',
      '        httpMethod: POST',
      `        uri: ${FN_URI}`,
      '        connectionType: INTERNET',
    ].join('\n');
    const api = await v2.send(new ImportApiCommand({ Body: yaml }));
    expect(api.Name).toBe('My Lambda API');
    const routes = (await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    expect(routes.map((r) => r.RouteKey)).toEqual(['ANY /hello']);
    const [integration] = (await v2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    expect(integration).toMatchObject({ PayloadFormatVersion: '2.0', ConnectionType: 'INTERNET' });
  });

  it('refuses malformed documents with AWS texts and makes nothing', async () => {
    const count = async () => (await v2.send(new GetApisCommand({}))).Items!.length;
    const before = await count();
    await expectError(v2.send(new ImportApiCommand({ Body: '{"openapi": ' })), 'BadRequestException', 'Invalid OpenAPI input.');
    await expectError(v2.send(new ImportApiCommand({ Body: 'just words' })), 'BadRequestException', 'Invalid OpenAPI input.');
    await expectError(v2.send(new ImportApiCommand({ Body: JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }) })), 'BadRequestException', 'Only OpenAPI 3.x.x are currently supported');
    await expectError(v2.send(new ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', paths: {} }) })), 'BadRequestException', /Errors found during import:\n\tattribute info.title is missing/);
    await expectError(
      v2.send(new ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/a b': { get: {} } } }) })),
      'BadRequestException',
      /^Errors found during import:\n\tUnable to create route GET \/a b: One or more path parts appear to be invalid/,
    );
    await expectError(
      v2.send(
        new ImportApiCommand({
          Body: JSON.stringify({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/a': { get: { security: [{ x: [] }, { y: [] }] } } } }),
        }),
      ),
      'BadRequestException',
      /more than one security requirement/,
    );
    expect(await count()).toBe(before);
  });

  it('an unsupported integration is a warning: ignored by default, fatal with failOnWarnings', async () => {
    const body = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'warn', version: '1' },
      paths: { '/': { get: { 'x-amazon-apigateway-integration': { type: 'AWS', httpMethod: 'POST', uri: FN_URI, payloadFormatVersion: '1.0' } } } },
    });
    await expectError(v2.send(new ImportApiCommand({ Body: body, FailOnWarnings: true })), 'BadRequestException', /^Warnings found during import:\n\tUnable to create integration for route GET \/: /);
    const api = await v2.send(new ImportApiCommand({ Body: body }));
    expect(api.Warnings).toEqual([expect.stringMatching(/^Unable to create integration for route GET \/: Integration type AWS is not supported/)]);
    const routes = (await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    expect(routes).toEqual([expect.objectContaining({ RouteKey: 'GET /' })]);
    expect(routes[0].Target).toBeUndefined();
  });
});

describe('ReimportApi', () => {
  it('replaces the definition and keeps the API id', async () => {
    const api = await v2.send(new ImportApiCommand({ Body: JSON.stringify(definition) }));
    const next = { openapi: '3.0.1', info: { title: 'Second', version: '2' }, paths: { '/only': { get: { 'x-amazon-apigateway-integration': { type: 'AWS_PROXY', uri: FN, payloadFormatVersion: '2.0' } } } } };
    const out = await v2.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: JSON.stringify(next) }));
    expect(out).toMatchObject({ ApiId: api.ApiId, Name: 'Second', Version: '2' });
    expect(out.CorsConfiguration).toBeUndefined();
    expect((await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!.map((r) => r.RouteKey)).toEqual(['GET /only']);
    expect((await v2.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items).toEqual([]);
    await expectError(v2.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: 'nope: [' })), 'BadRequestException', 'Invalid OpenAPI input.');
    expect((await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!.map((r) => r.RouteKey)).toEqual(['GET /only']);
    await expectError(v2.send(new ReimportApiCommand({ ApiId: 'nope', Body: JSON.stringify(next) })), 'NotFoundException', /Invalid API identifier/, 404);
  });
});
