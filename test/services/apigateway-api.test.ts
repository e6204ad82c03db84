/**
 * API Gateway REST APIs' control plane through @aws-sdk/client-api-gateway on a started cloud:
 * rest APIs, resources, methods, integrations, deployments, stages, authorizers, API keys, usage
 * plans, tags; shapes and errors as AWS recorded them ([rec] = LocalStack's
 * tests/aws/services/apigateway/*.snapshot.json).
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiKeyCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { httpRequest } from '../../src/testbed/http';
import { credentials, failure } from './helpers';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn`;
const LAMBDA_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${FN}/invocations`;

let cloud: RunningCloud;
let apigw: APIGatewayClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  apigw = new APIGatewayClient({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  apigw.destroy();
  await cloud.stop();
});

async function newApi(name = 'api'): Promise<{ id: string; root: string }> {
  const out = await apigw.send(new CreateRestApiCommand({ name }));
  return { id: out.id!, root: out.rootResourceId! };
}

async function mockMethod(restApiId: string, resourceId: string, httpMethod = 'GET'): Promise<void> {
  await apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }));
  await apigw.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
}

describe('rest APIs', () => {
  it('creates an API with AWS defaults and a root resource [rec]', async () => {
    const out = await apigw.send(new CreateRestApiCommand({ name: 'defaults', description: 'this is my api' }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.id).toMatch(/^[a-z0-9]{10}$/);
    expect(out).toMatchObject({
      name: 'defaults',
      description: 'this is my api',
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: false,
      endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' },
    });
    expect(out.createdDate).toBeInstanceOf(Date);
    expect(out.tags).toBeUndefined();
    const got = await apigw.send(new GetRestApiCommand({ restApiId: out.id }));
    expect(got.tags).toEqual({});
    const resources = await apigw.send(new GetResourcesCommand({ restApiId: out.id }));
    expect(resources.items).toEqual([{ id: out.rootResourceId, path: '/' }]);
  });

  it('lists, updates and deletes APIs', async () => {
    const a = await newApi('list-a');
    await apigw.send(new CreateRestApiCommand({ name: 'list-b', tags: { MY_TAG1: 'MY_VALUE1' }, binaryMediaTypes: ['image/png'] }));
    const listed = await apigw.send(new GetRestApisCommand({}));
    expect(listed.items!.map((i) => i.name)).toEqual(expect.arrayContaining(['list-a', 'list-b']));
    expect(listed.items!.find((i) => i.name === 'list-b')).toMatchObject({ tags: { MY_TAG1: 'MY_VALUE1' }, binaryMediaTypes: ['image/png'] });
    const updated = await apigw.send(
      new UpdateRestApiCommand({
        restApiId: a.id,
        patchOperations: [
          { op: 'add', path: '/binaryMediaTypes/image~1png' },
          { op: 'add', path: '/binaryMediaTypes/image~1jpeg' },
          { op: 'replace', path: '/minimumCompressionSize', value: '10' },
        ],
      }),
    );
    expect(updated).toMatchObject({ binaryMediaTypes: ['image/png', 'image/jpeg'], minimumCompressionSize: 10, tags: {} });
    const del = await apigw.send(new DeleteRestApiCommand({ restApiId: a.id }));
    expect(del.$metadata.httpStatusCode).toBe(202);
    expect(await failure(apigw.send(new GetRestApiCommand({ restApiId: a.id })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Invalid API identifier specified ${ACCOUNT}:${a.id}`,
    });
  });

  it('answers bad input with AWS codes and texts [rec]', async () => {
    expect(await failure(apigw.send(new CreateRestApiCommand({ name: 'x', description: '' })))).toMatchObject({
      name: 'BadRequestException',
      status: 400,
      message: 'Description cannot be an empty string',
    });
    expect(await failure(apigw.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['wrong' as never] } })))).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]",
    });
    expect(await failure(apigw.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } })))).toMatchObject({
      message: 'Cannot create an api with multiple Endpoint Types.',
    });
    expect(await failure(apigw.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } })))).toMatchObject({
      message: 'Only dualstack ipAddressType is supported for Private APIs.',
    });
    const { id } = await newApi();
    expect(await failure(apigw.send(new UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '-1' }] })))).toMatchObject({
      message: 'Invalid minimum compression size, must be between 0 and 10485760',
    });
    expect(
      await failure(
        apigw.send(
          new UpdateRestApiCommand({
            restApiId: id,
            patchOperations: [
              { op: 'wrong' as never, path: '/name', value: 'a' },
              { op: 'wrong' as never, path: '/name', value: 'b' },
            ],
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    });
  });

  it('sends an error body with a lower-case message and x-amzn-ErrorType', async () => {
    const r = await httpRequest(`${cloud.endpoint}/restapis/nope`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/apigateway/aws4_request' } });
    expect(r.status).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('NotFoundException');
    expect(r.json()).toEqual({ message: `Invalid API identifier specified ${ACCOUNT}:nope` });
  });
});

describe('resources', () => {
  it('creates nested, variable and greedy resources with their paths [rec]', async () => {
    const { id, root } = await newApi();
    const pets = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' }));
    expect(pets.$metadata.httpStatusCode).toBe(201);
    expect(pets).toMatchObject({ parentId: root, path: '/pets', pathPart: 'pets' });
    const petId = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: pets.id, pathPart: '{petId}' }));
    expect(petId.path).toBe('/pets/{petId}');
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{proxy+}' }));
    expect(proxy.path).toBe('/{proxy+}');
    const all = await apigw.send(new GetResourcesCommand({ restApiId: id }));
    expect(all.items!.map((r) => r.path)).toEqual(['/', '/pets', '/pets/{petId}', '/{proxy+}']);
  });

  it('refuses siblings, children of greedy resources and bad path parts [rec]', async () => {
    const { id, root } = await newApi();
    await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{proxy+}' }));
    const proxy = (await apigw.send(new GetResourcesCommand({ restApiId: id }))).items!.find((r) => r.path === '/{proxy+}')!;
    expect(await failure(apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{id}' })))).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed',
    });
    expect(await failure(apigw.send(new CreateResourceCommand({ restApiId: id, parentId: proxy.id, pathPart: 'child' })))).toMatchObject({
      message: 'Cannot create a child of a resource with a greedy path variable: {proxy+}',
    });
    await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' }));
    expect(await failure(apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' })))).toEqual({
      name: 'ConflictException',
      status: 409,
      message: 'Another resource with the same parent already has this name: pets',
    });
    expect(await failure(apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a b' })))).toMatchObject({ name: 'BadRequestException' });
    expect(await failure(apigw.send(new CreateResourceCommand({ restApiId: id, parentId: 'nope', pathPart: 'x' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Resource identifier specified',
    });
  });

  it('moves and renames a resource, refusing cycles and the root [rec]', async () => {
    const { id, root } = await newApi();
    const pets = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' }));
    const sub = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: pets.id, pathPart: 'subpets' }));
    expect(await failure(apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/parentId', value: sub.id }] })))).toMatchObject({
      message: 'Resources cannot be cyclical.',
    });
    expect(await failure(apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: root, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'x' }] })))).toMatchObject({
      message: 'Root resource cannot update its pathPart.',
    });
    expect(await failure(apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/invalid', value: 'x' }] })))).toMatchObject({
      message: "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
    });
    const moved = await apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: sub.id, patchOperations: [{ op: 'replace', path: '/parentId', value: root }] }));
    expect(moved).toMatchObject({ path: '/subpets', parentId: root });
    await apigw.send(new DeleteResourceCommand({ restApiId: id, resourceId: pets.id }));
    expect((await apigw.send(new GetResourcesCommand({ restApiId: id }))).items!.map((r) => r.path)).toEqual(['/', '/subpets']);
  });
});

describe('methods and integrations', () => {
  it('puts, gets, updates and deletes a method [rec]', async () => {
    const { id, root } = await newApi();
    const put = await apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY', authorizationType: 'NONE' }));
    expect(put.$metadata.httpStatusCode).toBe(201);
    expect(put).toMatchObject({ httpMethod: 'ANY', authorizationType: 'NONE', apiKeyRequired: false });
    const updated = await apigw.send(
      new UpdateMethodCommand({
        restApiId: id,
        resourceId: root,
        httpMethod: 'ANY',
        patchOperations: [
          { op: 'replace', path: '/apiKeyRequired', value: 'true' },
          { op: 'add', path: '/requestParameters/method.request.querystring.optional', value: 'false' },
        ],
      }),
    );
    expect(updated).toMatchObject({ apiKeyRequired: true, requestParameters: { 'method.request.querystring.optional': false } });
    expect(await failure(apigw.send(new UpdateMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY', patchOperations: [{ op: 'add', path: '/apiKeyRequired', value: 'true' }] })))).toMatchObject({
      message: 'Invalid patch operation specified. Must be one of: [replace]',
    });
    expect(await failure(apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'WRONG', authorizationType: 'NONE' })))).toMatchObject({
      message: 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
    });
    expect(await failure(apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'CUSTOM' })))).toMatchObject({
      message: 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    });
    await apigw.send(new DeleteMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY' }));
    expect(await failure(apigw.send(new GetMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Method identifier specified',
    });
  });

  it('keeps MOCK integrations with their responses, as GetMethod shows them [rec]', async () => {
    const { id, root } = await newApi();
    await mockMethod(id, root);
    const mr = await apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
    expect(mr.statusCode).toBe('200');
    const ir = await apigw.send(
      new PutIntegrationResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } }),
    );
    expect(ir.$metadata.httpStatusCode).toBe(201);
    expect(ir).toMatchObject({ statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } });
    const method = await apigw.send(new GetMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET' }));
    expect(method.methodIntegration).toEqual({
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: root,
      cacheKeyParameters: [],
      integrationResponses: { '200': { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } } },
    });
    expect(method.methodResponses).toEqual({ '200': { statusCode: '200' } });
    expect(await failure(apigw.send(new GetIntegrationResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: 'wrong' })))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
    });
    expect(await failure(apigw.send(new DeleteIntegrationResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'POST', statusCode: '200' })))).toMatchObject({
      message: 'Invalid Integration identifier specified',
    });
    expect(await failure(apigw.send(new GetIntegrationResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: '400' })))).toMatchObject({
      message: 'Invalid Response status code specified',
    });
  });

  it('updates method responses with add and remove [rec]', async () => {
    const { id, root } = await newApi();
    await mockMethod(id, root);
    await apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
    const out = await apigw.send(
      new UpdateMethodResponseCommand({
        restApiId: id,
        resourceId: root,
        httpMethod: 'GET',
        statusCode: '200',
        patchOperations: [
          { op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true' },
          { op: 'add', path: '/responseModels/application~1json', value: 'Empty' },
        ],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({ responseParameters: { 'method.response.header.my-header': true }, responseModels: { 'application/json': 'Empty' } });
    expect(
      await failure(
        apigw.send(
          new UpdateMethodResponseCommand({
            restApiId: id,
            resourceId: root,
            httpMethod: 'GET',
            statusCode: '200',
            patchOperations: [{ op: 'remove', path: '/responseModels/text~1html' }],
          }),
        ),
      ),
    ).toEqual({ name: 'NotFoundException', status: 404, message: 'Content-Type specified was not found' });
  });

  it('checks integration URIs and types as AWS does [rec]', async () => {
    const { id, root } = await newApi();
    await apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY', authorizationType: 'NONE' }));
    const put = (type: string, uri: string, method: string | null = 'POST') =>
      apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'ANY', type: type as never, uri, integrationHttpMethod: method ?? undefined }));
    expect(await failure(put('AWS_PROXY', FN))).toMatchObject({ message: 'AWS ARN for integration must contain path or action' });
    expect(await failure(put('AWS_PROXY', `bad-arn:lambda:path/2015-03-31/functions/${FN}/invocations`))).toMatchObject({ message: 'Invalid ARN specified in the request' });
    expect(await failure(put('AWS_PROXY', `arn:aws:apigateway:${REGION}:s3:path/b/k`))).toMatchObject({
      message: "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    });
    expect(await failure(put('HTTP', 'non-valid-http'))).toMatchObject({ message: 'Invalid HTTP endpoint specified for URI' });
    expect(await failure(put('HTTP', 'http://example.com', null))).toMatchObject({ message: 'Enumeration value for HttpMethod must be non-empty' });
    expect(await failure(put('HTTPS_PROXY', 'http://example.com'))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
    });
    const ok = await put('AWS_PROXY', LAMBDA_URI);
    expect(ok).toMatchObject({ type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, timeoutInMillis: 29000, passthroughBehavior: 'WHEN_NO_MATCH' });
    const stageUri = LAMBDA_URI.replace(':function:fn', ':function:${stageVariables.fn}');
    expect((await put('AWS_PROXY', stageUri)).uri).toBe(stageUri);
    const mock = await put('MOCK', 'http://example.com', null);
    expect(mock.uri).toBeUndefined();
    expect(await failure(apigw.send(new GetIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET' })))).toMatchObject({ message: 'Invalid Method identifier specified' });
  });
});

describe('deployments and stages', () => {
  it('deploys, serves stages with variables, and refuses to delete a deployment in use [rec]', async () => {
    const { id, root } = await newApi();
    expect(await failure(apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 's1' })))).toMatchObject({
      message: "The REST API doesn't contain any methods",
    });
    await mockMethod(id, root);
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 's1', variables: { var1: 'test' } }));
    expect(d1.$metadata.httpStatusCode).toBe(201);
    expect(d1.id).toMatch(/^[a-z0-9]{6}$/);
    const stage = await apigw.send(new GetStageCommand({ restApiId: id, stageName: 's1' }));
    expect(stage).toMatchObject({
      deploymentId: d1.id,
      stageName: 's1',
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      tracingEnabled: false,
      variables: { var1: 'test' },
    });
    expect(await failure(apigw.send(new DeleteDeploymentCommand({ restApiId: id, deploymentId: d1.id })))).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Active stages pointing to this deployment must be moved or deleted',
    });
    const d2 = await apigw.send(new CreateDeploymentCommand({ restApiId: id }));
    await apigw.send(new CreateStageCommand({ restApiId: id, stageName: 's2', deploymentId: d2.id }));
    expect((await apigw.send(new GetStagesCommand({ restApiId: id, deploymentId: d2.id }))).item!.map((s) => s.stageName)).toEqual(['s2']);
    const updated = await apigw.send(
      new UpdateStageCommand({
        restApiId: id,
        stageName: 's1',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: d2.id },
          { op: 'replace', path: '/variables/var2', value: 'test2' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '123' },
        ],
      }),
    );
    expect(updated.variables).toEqual({ var1: 'test', var2: 'test2' });
    expect(updated.methodSettings!['*/*']).toMatchObject({ throttlingBurstLimit: 123, throttlingRateLimit: 10000, cacheTtlInSeconds: 300, requireAuthorizationForCacheControl: true });
    expect(await failure(apigw.send(new UpdateStageCommand({ restApiId: id, stageName: 's1', patchOperations: [{ op: 'replace', path: '/documentation_version', value: 'x' }] })))).toMatchObject({
      message: expect.stringMatching(/^Invalid method setting path: \/documentation_version\. Must be one of: \[\/deploymentId, /),
    });
    const deleted = await apigw.send(new DeleteDeploymentCommand({ restApiId: id, deploymentId: d1.id }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect((await apigw.send(new GetDeploymentsCommand({ restApiId: id }))).items!.map((d) => d.id)).toEqual([d2.id]);
  });
});

describe('authorizers', () => {
  it('creates TOKEN and REQUEST authorizers, and refuses bad ones', async () => {
    const { id } = await newApi();
    const token = await apigw.send(
      new CreateAuthorizerCommand({ restApiId: id, name: 'tok', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Auth', authType: 'custom' }),
    );
    expect(token.$metadata.httpStatusCode).toBe(201);
    expect(token).toMatchObject({ name: 'tok', type: 'TOKEN', identitySource: 'method.request.header.Auth', authType: 'custom' });
    expect(token.authorizerResultTtlInSeconds).toBeUndefined();
    await apigw.send(
      new CreateAuthorizerCommand({ restApiId: id, name: 'req', type: 'REQUEST', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Auth, method.request.querystring.q', authorizerResultTtlInSeconds: 0 }),
    );
    expect((await apigw.send(new GetAuthorizersCommand({ restApiId: id }))).items!.map((a) => a.name)).toEqual(['tok', 'req']);
    expect(await failure(apigw.send(new CreateAuthorizerCommand({ restApiId: 'nope', name: 'x', type: 'TOKEN' })))).toEqual({
      name: 'ConflictException',
      status: 409,
      message: 'Unable to complete operation due to concurrent modification. Please try again later.',
    });
    expect(await failure(apigw.send(new CreateAuthorizerCommand({ restApiId: id, name: 'x', type: 'TOKEN', authorizerUri: LAMBDA_URI })))).toMatchObject({ name: 'BadRequestException' });
    expect(await failure(apigw.send(new GetAuthorizersCommand({ restApiId: 'nope' })))).toMatchObject({ message: `Invalid API identifier specified ${ACCOUNT}:nope` });
  });
});

describe('API keys and usage plans', () => {
  it('creates keys disabled unless asked, hides values in lists, and checks lengths [rec]', async () => {
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'key-a' }));
    expect(key.$metadata.httpStatusCode).toBe(201);
    expect(key).toMatchObject({ name: 'key-a', enabled: false, stageKeys: [] });
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    const listed = await apigw.send(new GetApiKeysCommand({ nameQuery: 'key-' }));
    expect(listed.items!.find((k) => k.id === key.id)!.value).toBeUndefined();
    expect((await apigw.send(new GetApiKeysCommand({ nameQuery: 'KEY-' }))).items!.some((k) => k.id === key.id)).toBe(false);
    expect((await apigw.send(new GetApiKeyCommand({ apiKey: key.id, includeValue: true }))).value).toBe(key.value);
    expect(await failure(apigw.send(new CreateApiKeyCommand({ value: 'short' })))).toMatchObject({ message: 'API Key value should be at least 20 characters' });
    expect(await failure(apigw.send(new CreateApiKeyCommand({ value: 'x'.repeat(129) })))).toMatchObject({ message: 'API Key value exceeds maximum size of 128 characters' });
    expect(await failure(apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })))).toMatchObject({
      message: "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]",
    });
    const enabled = await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
    expect(enabled).toMatchObject({ enabled: true, tags: {} });
  });

  it('ties keys to API stages through usage plans [rec]', async () => {
    const { id, root } = await newApi();
    await mockMethod(id, root);
    await apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const plan = await apigw.send(
      new CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: id, stage: 'dev' }], quota: { limit: 10, period: 'DAY' }, throttle: { burstLimit: 1, rateLimit: 2 } }),
    );
    expect(plan).toMatchObject({ apiStages: [{ apiId: id, stage: 'dev' }], quota: { limit: 10, offset: 0, period: 'DAY' }, throttle: { burstLimit: 1, rateLimit: 2 } });
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
    const upk = await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect(upk).toMatchObject({ id: key.id, type: 'API_KEY', value: key.value, name: 'k' });
    expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items!.map((k) => k.id)).toEqual([key.id]);
    expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: 'nope' }))).items).toEqual([]);
    expect(await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'add', path: '/apiStages', value: `${id}:fakestagename` }] })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Invalid API Stage {api: ${id}, stage: fakestagename} specified for usageplan ${plan.id}`,
    });
    expect(await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'add', path: '/apiStages', value: 'nocolon' }] })))).toMatchObject({
      message: 'Invalid API Stage specified',
    });
    const updated = await apigw.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: 'replace', path: '/quota/limit', value: '5000' },
          { op: 'replace', path: '/quota/period', value: 'MONTH' },
        ],
      }),
    );
    expect(updated).toMatchObject({ quota: { limit: 5000, offset: 0, period: 'MONTH' }, tags: {} });
    expect(await failure(apigw.send(new GetUsagePlanCommand({ usagePlanId: 'nope' })))).toMatchObject({ message: 'Invalid Usage Plan ID specified' });
  });
});

describe('tags', () => {
  it('tags, lists and untags an API by ARN', async () => {
    const { id } = await newApi();
    const arn = `arn:aws:apigateway:${REGION}::/restapis/${id}`;
    await apigw.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }));
    await apigw.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await apigw.send(new GetTagsCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });
    expect((await apigw.send(new GetRestApiCommand({ restApiId: id }))).tags).toEqual({ b: '2' });
  });
});
