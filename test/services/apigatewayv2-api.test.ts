/**
 * API Gateway v2 (HTTP APIs) control plane through the wire: @aws-sdk/client-apigatewayv2
 * (REST-JSON, camelCase members) against a started embedded cloud. Shapes as AWS answers them
 * ([doc] = the AWS CLI reference's outputs), and each bad input's code, status and text.
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteAuthorizerCommand,
  DeleteCorsConfigurationCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateAuthorizerCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
  ResetAuthorizersCacheCommand,
} from '@aws-sdk/client-apigatewayv2';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials, expectError, failure } from './helpers';

const REGION = 'us-east-1';
const FN = `arn:aws:lambda:${REGION}:000000000000:function:hello`;
const FN_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${FN}/invocations`;

let cloud: RunningCloud;
let v2: ApiGatewayV2Client;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  v2 = new ApiGatewayV2Client({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  v2.destroy();
  await cloud.stop();
});

async function newApi(extra: Record<string, unknown> = {}) {
  return v2.send(new CreateApiCommand({ Name: 'api', ProtocolType: 'HTTP', ...extra }));
}

describe('APIs', () => {
  it('CreateApi answers 201 with the API, its endpoint on the cloud and AWS defaults', async () => {
    const out = await newApi({ Description: 'd', Tags: { team: 'a' } });
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(out.ApiEndpoint).toBe(`http://${out.ApiId}.execute-api.localhost:${cloud.port}`);
    expect(out).toMatchObject({
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: '$request.method $request.path',
      ProtocolType: 'HTTP',
      Name: 'api',
      Description: 'd',
      DisableExecuteApiEndpoint: false,
      Tags: { team: 'a' },
    });
    expect(out.CreatedDate).toBeInstanceOf(Date);
    const got = await v2.send(new GetApiCommand({ ApiId: out.ApiId }));
    expect(got.ApiEndpoint).toBe(out.ApiEndpoint);
  });

  it('quick create makes a managed integration, $default route and auto-deployed $default stage', async () => {
    const api = await newApi({ Target: FN });
    const routes = await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items).toHaveLength(1);
    const route = routes.Items![0];
    expect(route).toMatchObject({ ApiGatewayManaged: true, ApiKeyRequired: false, AuthorizationType: 'NONE', RouteKey: '$default' });
    const integrationId = route.Target!.replace('integrations/', '');
    const integration = await v2.send(new GetIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integrationId }));
    expect(integration).toMatchObject({
      ApiGatewayManaged: true,
      ConnectionType: 'INTERNET',
      IntegrationMethod: 'POST',
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: FN,
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 30000,
    });
    const stages = await v2.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items).toHaveLength(1);
    const stage = stages.Items![0];
    expect(stage).toMatchObject({ ApiGatewayManaged: true, AutoDeploy: true, StageName: '$default', DefaultRouteSettings: { DetailedMetricsEnabled: false }, RouteSettings: {}, StageVariables: {}, Tags: {} });
    expect(stage.LastDeploymentStatusMessage).toBe(`Successfully deployed stage with deployment ID '${stage.DeploymentId}'`);
    const deployments = await v2.send(new GetDeploymentsCommand({ ApiId: api.ApiId }));
    expect(deployments.Items).toEqual([
      expect.objectContaining({ AutoDeployed: true, DeploymentId: stage.DeploymentId, DeploymentStatus: 'DEPLOYED', Description: 'Automatic deployment triggered by changes to the Api configuration' }),
    ]);
  });

  it('quick create takes a RouteKey and an HTTP URL target', async () => {
    const api = await newApi({ Target: 'https://example.com/backend', RouteKey: 'GET /pets' });
    const [route] = (await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    expect(route.RouteKey).toBe('GET /pets');
    const [integration] = (await v2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    expect(integration).toMatchObject({ IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0' });
  });

  it('refuses a bad protocol, a bad target and quick-create members without a target', async () => {
    await expectError(v2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'SOAP' as 'HTTP' })), 'BadRequestException', 'Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]');
    await expectError(newApi({ Target: 'not-a-target' }), 'BadRequestException', /Invalid target specified/);
    await expectError(newApi({ RouteKey: 'GET /x' }), 'BadRequestException', /require a Target/);
    await expectError(newApi({ CorsConfiguration: { MaxAge: 90000 } }), 'BadRequestException', /maxAge/);
    await expectError(newApi({ RouteSelectionExpression: '$request.body.action' }), 'BadRequestException', /route selection expression/);
  });

  it('an unknown API is NotFoundException 404 with AWS text and resourceType', async () => {
    const res = await fetch(`${cloud.endpoint}/v2/apis/nope123456`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/apigateway/aws4_request' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(await res.json()).toEqual({ message: 'Invalid API identifier specified 000000000000:nope123456', resourceType: 'Api' });
    await expectError(v2.send(new GetApiCommand({ ApiId: 'nope123456' })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nope123456', 404);
    await expectError(v2.send(new DeleteApiCommand({ ApiId: 'nope123456' })), 'NotFoundException', /Invalid API identifier/, 404);
  });

  it('a body that is not JSON is BadRequestException', async () => {
    const res = await fetch(`${cloud.endpoint}/v2/apis`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(((await res.json()) as { message: string }).message).toMatch(/not valid JSON/);
  });

  it('GetApis pages with MaxResults and NextToken; DeleteApi removes', async () => {
    const other = new ApiGatewayV2Client({ endpoint: cloud.endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });
    try {
      for (let i = 0; i < 3; i++) await other.send(new CreateApiCommand({ Name: `p${i}`, ProtocolType: 'HTTP' }));
      const first = await other.send(new GetApisCommand({ MaxResults: '2' }));
      expect(first.Items).toHaveLength(2);
      expect(first.NextToken).toBeDefined();
      const rest = await other.send(new GetApisCommand({ NextToken: first.NextToken }));
      expect(rest.Items!.map((a) => a.Name)).toEqual(['p2']);
      expect(rest.NextToken).toBeUndefined();
      // APIs of another region are not listed there
      const here = await v2.send(new GetApisCommand({}));
      expect(here.Items!.some((a) => a.Name === 'p0')).toBe(false);
      await other.send(new DeleteApiCommand({ ApiId: first.Items![0].ApiId }));
      await expectError(other.send(new GetApiCommand({ ApiId: first.Items![0].ApiId })), 'NotFoundException', /Invalid API identifier/, 404);
    } finally {
      other.destroy();
    }
  });

  it('UpdateApi sets CORS; DeleteCorsConfiguration removes it', async () => {
    const api = await newApi();
    const updated = await v2.send(new UpdateApiCommand({ ApiId: api.ApiId, Name: 'renamed', CorsConfiguration: { AllowOrigins: ['https://www.example.com'], AllowMethods: ['GET'] } }));
    expect(updated).toMatchObject({ Name: 'renamed', CorsConfiguration: { AllowOrigins: ['https://www.example.com'], AllowMethods: ['GET'] } });
    await v2.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    expect((await v2.send(new GetApiCommand({ ApiId: api.ApiId }))).CorsConfiguration).toBeUndefined();
  });
});

describe('routes and integrations', () => {
  it('CreateIntegration answers AWS defaults; TimeoutInMillis, type and payload version are checked', async () => {
    const api = await newApi();
    const i = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0' }));
    expect(i.$metadata.httpStatusCode).toBe(201);
    expect(i).toMatchObject({ ConnectionType: 'INTERNET', IntegrationMethod: 'POST', IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0', TimeoutInMillis: 30000 });
    expect(i.IntegrationId).toMatch(/^[a-z0-9]{7}$/);
    const base = { ApiId: api.ApiId, IntegrationType: 'AWS_PROXY' as const, IntegrationUri: FN_URI, PayloadFormatVersion: '1.0' };
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, TimeoutInMillis: 10 })), 'BadRequestException', 'Timeout should be between 50 ms and 30000 ms');
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, TimeoutInMillis: 30001 })), 'BadRequestException', 'Timeout should be between 50 ms and 30000 ms');
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, PayloadFormatVersion: undefined })), 'BadRequestException', /PayloadFormatVersion/);
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, PayloadFormatVersion: '3.0' })), 'BadRequestException', /payload format version/);
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, IntegrationType: 'MOCK' })), 'BadRequestException', /not supported for HTTP APIs/);
    await expectError(v2.send(new CreateIntegrationCommand({ ...base, IntegrationUri: 'arn:aws:s3:::bucket' })), 'BadRequestException', /Invalid integration URI/);
    const wrapped = await v2.send(new CreateIntegrationCommand({ ...base, TimeoutInMillis: 50 }));
    expect(wrapped).toMatchObject({ IntegrationUri: FN_URI, PayloadFormatVersion: '1.0', TimeoutInMillis: 50 });
    const updated = await v2.send(new UpdateIntegrationCommand({ ApiId: api.ApiId, IntegrationId: wrapped.IntegrationId, TimeoutInMillis: 5000 }));
    expect(updated.TimeoutInMillis).toBe(5000);
    await expectError(v2.send(new GetIntegrationCommand({ ApiId: api.ApiId, IntegrationId: 'nope' })), 'NotFoundException', /Invalid Integration identifier/, 404);
  });

  it('CreateRoute checks the route key, target and duplicates', async () => {
    const api = await newApi();
    const i = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0' }));
    const r = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${i.IntegrationId}` }));
    expect(r.$metadata.httpStatusCode).toBe(201);
    expect(r).toMatchObject({ ApiKeyRequired: false, AuthorizationType: 'NONE', RouteKey: 'GET /items/{id}', Target: `integrations/${i.IntegrationId}` });
    expect(r.RouteId).toMatch(/^[a-z0-9]{7}$/);
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}' })), 'ConflictException', /already exists/, 409);
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'FETCH /x' })), 'BadRequestException', /Invalid route key/);
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET x' })), 'BadRequestException', /Invalid route key/);
    await expectError(
      v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a b' })),
      'BadRequestException',
      'One or more path parts appear to be invalid. Parts are validated against this regular expression: ^(\\{[\\w.:-]+\\+?\\}|[a-zA-Z0-9.:_-]+)$',
    );
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /{proxy+}/x' })), 'BadRequestException', /greedy/);
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /z', Target: 'integrations/nope' })), 'BadRequestException', /Invalid target/);
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /z', AuthorizationType: 'JWT' })), 'BadRequestException', /authorizerId is required/);
    await expectError(v2.send(new DeleteIntegrationCommand({ ApiId: api.ApiId, IntegrationId: i.IntegrationId })), 'BadRequestException', /target of route/);
    const moved = await v2.send(new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: r.RouteId, RouteKey: 'ANY /{proxy+}' }));
    expect(moved.RouteKey).toBe('ANY /{proxy+}');
    expect((await v2.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: r.RouteId }))).RouteKey).toBe('ANY /{proxy+}');
    await v2.send(new DeleteRouteCommand({ ApiId: api.ApiId, RouteId: r.RouteId }));
    await expectError(v2.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: r.RouteId })), 'NotFoundException', /Invalid Route identifier/, 404);
  });
});

describe('authorizers', () => {
  it('creates REQUEST and JWT authorizers with the members AWS shows, and refuses bad ones', async () => {
    const api = await newApi();
    const lambdaAuth = await v2.send(
      new CreateAuthorizerCommand({
        ApiId: api.ApiId,
        Name: 'lambda',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: FN_URI,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    expect(lambdaAuth.$metadata.httpStatusCode).toBe(201);
    expect(lambdaAuth).toMatchObject({ AuthorizerType: 'REQUEST', AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 300, IdentitySource: ['$request.header.Authorization'] });
    const jwt = await v2.send(
      new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Audience: ['aud'], Issuer: 'https://issuer.example' } }),
    );
    expect(jwt).toEqual(
      expect.objectContaining({ AuthorizerId: jwt.AuthorizerId, AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Audience: ['aud'], Issuer: 'https://issuer.example' }, Name: 'jwt' }),
    );
    const base = { ApiId: api.ApiId, Name: 'bad', AuthorizerType: 'REQUEST' as const, AuthorizerUri: FN_URI, IdentitySource: ['$request.header.x'] };
    await expectError(v2.send(new CreateAuthorizerCommand(base)), 'BadRequestException', 'AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer');
    await expectError(v2.send(new CreateAuthorizerCommand({ ...base, AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true })), 'BadRequestException', /EnableSimpleResponses/);
    await expectError(v2.send(new CreateAuthorizerCommand({ ...base, AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 3601 })), 'BadRequestException', /authorizerResultTtlInSeconds/);
    await expectError(
      v2.send(new CreateAuthorizerCommand({ ...base, AuthorizerPayloadFormatVersion: '2.0', IdentitySource: [], AuthorizerResultTtlInSeconds: 60 })),
      'BadRequestException',
      /Identity source is required when authorizer caching is enabled/,
    );
    await expectError(v2.send(new CreateAuthorizerCommand({ ...base, AuthorizerPayloadFormatVersion: '2.0', IdentitySource: ['header.x'] })), 'BadRequestException', /Invalid identity source/);
    await expectError(v2.send(new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'j', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] })), 'BadRequestException', /Issuer/);
    const listed = await v2.send(new GetAuthorizersCommand({ ApiId: api.ApiId }));
    expect(listed.Items!.map((a) => a.Name).sort()).toEqual(['jwt', 'lambda']);
    const changed = await v2.send(new UpdateAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: lambdaAuth.AuthorizerId, AuthorizerResultTtlInSeconds: 0 }));
    expect(changed.AuthorizerResultTtlInSeconds).toBe(0);
  });

  it('routes take CUSTOM and JWT authorizers of the matching kind; scopes only with JWT; in-use authorizers stay', async () => {
    const api = await newApi();
    const lambdaAuth = await v2.send(new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'l', AuthorizerType: 'REQUEST', AuthorizerUri: FN, AuthorizerPayloadFormatVersion: '1.0', IdentitySource: [] }));
    const jwt = await v2.send(new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'j', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://i' } }));
    const r = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', AuthorizationType: 'CUSTOM', AuthorizerId: lambdaAuth.AuthorizerId }));
    expect(r).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: lambdaAuth.AuthorizerId });
    await expectError(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /y', AuthorizationType: 'JWT', AuthorizerId: lambdaAuth.AuthorizerId })), 'BadRequestException', /does not match/);
    await expectError(
      v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /y', AuthorizationType: 'CUSTOM', AuthorizerId: lambdaAuth.AuthorizerId, AuthorizationScopes: ['a'] })),
      'BadRequestException',
      /scopes are supported only for JWT/,
    );
    const j = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /z', AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['read'] }));
    expect(j).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['read'] });
    await expectError(v2.send(new DeleteAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: lambdaAuth.AuthorizerId })), 'BadRequestException', /used by route/);
    await v2.send(new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: r.RouteId, AuthorizationType: 'NONE' }));
    await v2.send(new DeleteAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: lambdaAuth.AuthorizerId }));
  });
});

describe('stages and deployments', () => {
  it('named stages with variables; deployments point stages; AutoDeploy deploys each change', async () => {
    const api = await newApi();
    const stage = await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', StageVariables: { fn: 'hello' } }));
    expect(stage.$metadata.httpStatusCode).toBe(201);
    expect(stage).toMatchObject({ StageName: 'dev', StageVariables: { fn: 'hello' }, DefaultRouteSettings: { DetailedMetricsEnabled: false }, RouteSettings: {}, Tags: {} });
    expect(stage.AutoDeploy).toBeUndefined();
    expect(stage.DeploymentId).toBeUndefined();
    await expectError(v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' })), 'ConflictException', /already exists/, 409);
    await expectError(v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'bad name' })), 'BadRequestException', /Stage name/);
    await expectError(v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 's2', StageVariables: { 'bad-name': 'x' } })), 'BadRequestException', /Stage variable name/);
    await expectError(v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'nope' })), 'NotFoundException', /Invalid stage identifier/, 404);

    const d = await v2.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'dev', Description: 'first' }));
    expect(d).toMatchObject({ AutoDeployed: false, DeploymentStatus: 'DEPLOYED', Description: 'first' });
    expect((await v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))).DeploymentId).toBe(d.DeploymentId);
    await expectError(v2.send(new DeleteDeploymentCommand({ ApiId: api.ApiId, DeploymentId: d.DeploymentId })), 'BadRequestException', 'Active stages pointing to this deployment must be moved or deleted');
    await expectError(v2.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'nope' })), 'NotFoundException', /Invalid stage identifier/, 404);

    const auto = await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    expect(auto.AutoDeploy).toBe(true);
    expect(auto.DeploymentId).toBeDefined();
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /new' }));
    const after = await v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    expect(after.DeploymentId).not.toBe(auto.DeploymentId);
    // the manual stage keeps its deployment
    expect((await v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))).DeploymentId).toBe(d.DeploymentId);

    const updated = await v2.send(new UpdateStageCommand({ ApiId: api.ApiId, StageName: 'dev', StageVariables: { fn: 'other' } }));
    expect(updated.StageVariables).toEqual({ fn: 'other' });
    await v2.send(new ResetAuthorizersCacheCommand({ ApiId: api.ApiId, StageName: 'dev' }));
    await v2.send(new DeleteStageCommand({ ApiId: api.ApiId, StageName: 'dev' }));
    await v2.send(new DeleteDeploymentCommand({ ApiId: api.ApiId, DeploymentId: d.DeploymentId }));
    expect((await v2.send(new GetStagesCommand({ ApiId: api.ApiId }))).Items!.map((s) => s.StageName)).toEqual(['$default']);
  });
});

describe('tags', () => {
  it('TagResource, GetTags and UntagResource on an API and a stage', async () => {
    const api = await newApi({ Tags: { a: '1' } });
    const arn = `arn:aws:apigateway:${REGION}::/apis/${api.ApiId}`;
    const tagged = await v2.send(new TagResourceCommand({ ResourceArn: arn, Tags: { b: '2' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(201);
    expect((await v2.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ a: '1', b: '2' });
    await v2.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    expect((await v2.send(new GetApiCommand({ ApiId: api.ApiId }))).Tags).toEqual({ b: '2' });
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    await v2.send(new TagResourceCommand({ ResourceArn: `${arn}/stages/prod`, Tags: { s: 'x' } }));
    expect((await v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'prod' }))).Tags).toEqual({ s: 'x' });
    const err = await failure(v2.send(new GetTagsCommand({ ResourceArn: `arn:aws:apigateway:${REGION}::/apis/nope` })));
    expect(err).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});
