/**
 * Lambda authorizers (TOKEN, REQUEST) and API keys at the REST API door over plain HTTP: the
 * authorizer's event, its policy (Allow, explicit and implicit Deny), "Unauthorized", broken
 * authorizers, the context passed to the integration, the result cache on the cloud's clock, and
 * usage plans with their quota.
 */
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateResourceCommand,
  CreateUsagePlanKeyCommand,
  FlushStageAuthorizersCacheCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { ACCOUNT, allowApiGateway, createFunction, type DoorEnv, lambdaUri, type ProxyApi, REGION, startDoorEnv, stopDoorEnv } from './apigateway-helpers';

/**
 * The token (or the `auth` header / `token` query parameter for REQUEST) decides: "allow",
 * "deny", "narrow" (Allow on another path only), "unauthorized" (throws "Unauthorized"),
 * "fail" (throws), "garbage" (not a policy), "nested" (an object in context). The context
 * counts the authorizer's calls.
 */
const AUTHORIZER = `let calls = 0;
exports.handler = async (e) => {
  calls++;
  const token = e.type === 'TOKEN' ? e.authorizationToken : (e.headers && (e.headers.auth || e.headers.Auth)) || (e.queryStringParameters && e.queryStringParameters.token);
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'fail') throw new Error('boom');
  if (token === 'garbage') return 'garbage';
  const base = e.methodArn.split('/').slice(0, 2).join('/');
  const resource = token === 'narrow' ? base + '/GET/elsewhere' : base + '/*';
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: token === 'nested' ? { o: { a: 1 } } : { calls, flag: true, n: 7, type: e.type, methodArn: e.methodArn, key: token === 'keyed' ? 'k'.repeat(30) : undefined },
    usageIdentifierKey: token === 'keyed' ? 'usage-identifier-key-000000000001' : undefined,
  };
};`;

let env: DoorEnv;
let fn: string;
let authFn: string;

beforeAll(async () => {
  env = await startDoorEnv();
  fn = await createFunction(env, 'auth-proxy');
  authFn = await createFunction(env, 'auth-authorizer', AUTHORIZER);
}, 60_000);
afterAll(async () => stopDoorEnv(env));

async function withAuthorizer(type: 'TOKEN' | 'REQUEST', o: { identitySource: string; ttl?: number; validation?: string; permit?: boolean }): Promise<ProxyApi> {
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'authz' }));
  const authorizer = await env.apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'a',
      type,
      authorizerUri: lambdaUri(authFn),
      identitySource: o.identitySource,
      authorizerResultTtlInSeconds: o.ttl,
      identityValidationExpression: o.validation,
    }),
  );
  if (o.permit !== false) await allowApiGateway(env, authFn, api.id!, `authz-${api.id}`);
  return proxyOn(api.id!, api.rootResourceId!, { authorizationType: 'CUSTOM', authorizerId: authorizer.id });
}

async function proxyOn(restApiId: string, root: string, method: { authorizationType: string; authorizerId?: string; apiKeyRequired?: boolean }): Promise<ProxyApi> {
  const proxy = (await env.apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: '{proxy+}' }))).id!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: proxy, httpMethod: 'ANY', ...method }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: proxy, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn) }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await allowApiGateway(env, fn, restApiId);
  return { id: restApiId, root, proxy, base: `http://${restApiId}.execute-api.localhost:${env.cloud.port}/test` };
}

const authorizerCalls = () => env.cloud.cloud.lambda.invocations.list({ functionName: 'auth-authorizer' }).length;

describe('TOKEN authorizers', () => {
  let api: ProxyApi;
  beforeAll(async () => {
    api = await withAuthorizer('TOKEN', { identitySource: 'method.request.header.Auth', ttl: 0 });
  });

  it('passes principalId and the context (as strings) to the integration', async () => {
    const r = await httpRequest(`${api.base}/pets/1`, { headers: { Auth: 'allow' } });
    expect(r.status).toBe(200);
    const authorizer = r.json<Record<string, any>>().requestContext.authorizer;
    expect(authorizer).toMatchObject({ principalId: 'user-allow', flag: 'true', n: '7', type: 'TOKEN' });
    expect(typeof authorizer.integrationLatency).toBe('number');
    expect(authorizer.methodArn).toBe(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/test/GET/pets/1`);
  });

  it('answers 403 on an explicit deny and on a policy that does not cover the method', async () => {
    const deny = await httpRequest(`${api.base}/x`, { headers: { Auth: 'deny' } });
    expect(deny.status).toBe(403);
    expect(deny.text).toBe('{"Message":"User is not authorized to access this resource with an explicit deny"}');
    expect(deny.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    const narrow = await httpRequest(`${api.base}/x`, { headers: { Auth: 'narrow' } });
    expect(narrow.status).toBe(403);
    expect(narrow.json()).toEqual({ Message: 'User is not authorized to access this resource' });
  });

  it('answers 401 when the function says "Unauthorized", and when the token is missing without calling it', async () => {
    const r = await httpRequest(`${api.base}/x`, { headers: { Auth: 'unauthorized' } });
    expect(r.status).toBe(401);
    expect(r.text).toBe('{"message":"Unauthorized"}');
    const before = authorizerCalls();
    const missing = await httpRequest(`${api.base}/x`);
    expect(missing.status).toBe(401);
    expect(authorizerCalls()).toBe(before);
  });

  it.each(['fail', 'garbage', 'nested'])('answers 500 {"message":null} for a broken authorizer (%s)', async (token) => {
    const r = await httpRequest(`${api.base}/x`, { headers: { Auth: token } });
    expect(r.status).toBe(500);
    expect(r.text).toBe('{"message":null}');
    expect(r.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
  });

  it('checks the token against identityValidationExpression before calling', async () => {
    const validated = await withAuthorizer('TOKEN', { identitySource: 'method.request.header.Auth', ttl: 0, validation: 'allow|deny' });
    expect((await httpRequest(`${validated.base}/x`, { headers: { Auth: 'allow' } })).status).toBe(200);
    const before = authorizerCalls();
    expect((await httpRequest(`${validated.base}/x`, { headers: { Auth: 'allowed' } })).status).toBe(401);
    expect(authorizerCalls()).toBe(before);
  });

  it('answers 500 when the authorizer function does not let API Gateway invoke it', async () => {
    const locked = await withAuthorizer('TOKEN', { identitySource: 'method.request.header.Auth', ttl: 0, permit: false });
    const other = await httpRequest(`${locked.base}/x`, { headers: { Auth: 'allow' } });
    // The permission added by another test covers only that API: this one is refused.
    expect(other.status).toBe(500);
    expect(other.json()).toEqual({ message: null });
  });
});

describe('the authorizer cache', () => {
  it('keeps an answer for authorizerResultTtlInSeconds on the cloud clock, per token', async () => {
    const api = await withAuthorizer('TOKEN', { identitySource: 'method.request.header.Auth', ttl: 60 });
    const calls = async (token: string) => (await httpRequest(`${api.base}/x`, { headers: { Auth: token } })).json<Record<string, any>>().requestContext.authorizer.calls;
    const first = await calls('allow');
    expect(await calls('allow')).toBe(first);
    const cachedLatency = (await httpRequest(`${api.base}/x`, { headers: { Auth: 'allow' } })).json<Record<string, any>>().requestContext.authorizer.integrationLatency;
    expect(cachedLatency).toBe(0);
    expect(await calls('keyed')).not.toBe(first);
    env.cloud.cloud.clock.advance(61_000);
    expect(await calls('allow')).not.toBe(first);
  });

  it('evaluates a cached policy against each request and empties on FlushStageAuthorizersCache', async () => {
    const api = await withAuthorizer('TOKEN', { identitySource: 'method.request.header.Auth' });
    expect((await httpRequest(`${api.base}/x`, { headers: { Auth: 'narrow' } })).status).toBe(403);
    const before = authorizerCalls();
    expect((await httpRequest(`${api.base}/y`, { headers: { Auth: 'narrow' } })).status).toBe(403);
    expect(authorizerCalls()).toBe(before);
    await env.apigw.send(new FlushStageAuthorizersCacheCommand({ restApiId: api.id, stageName: 'test' }));
    await httpRequest(`${api.base}/y`, { headers: { Auth: 'narrow' } });
    expect(authorizerCalls()).toBe(before + 1);
  });
});

describe('REQUEST authorizers', () => {
  it('sends the request to the authorizer and needs every identity source', async () => {
    const api = await withAuthorizer('REQUEST', { identitySource: 'method.request.header.auth, method.request.querystring.token', ttl: 0 });
    const r = await httpRequest(`${api.base}/x?token=t1`, { headers: { auth: 'allow' } });
    expect(r.status).toBe(200);
    expect(r.json<Record<string, any>>().requestContext.authorizer).toMatchObject({ principalId: 'user-allow', type: 'REQUEST' });
    expect((await httpRequest(`${api.base}/x`, { headers: { auth: 'allow' } })).status).toBe(401);
    expect((await httpRequest(`${api.base}/x?token=`, { headers: { auth: 'allow' } })).status).toBe(401);
  });
});

describe('API keys', () => {
  async function keyedApi(): Promise<{ api: ProxyApi; planId: string }> {
    const created = await env.apigw.send(new CreateRestApiCommand({ name: 'keys' }));
    const api = await proxyOn(created.id!, created.rootResourceId!, { authorizationType: 'NONE', apiKeyRequired: true });
    const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: api.id, stage: 'test' }], quota: { limit: 3, period: 'DAY' } }));
    return { api, planId: plan.id! };
  }

  it('answers 403 Forbidden without a key, with an unknown key, and with a key outside the plan', async () => {
    const { api } = await keyedApi();
    const none = await httpRequest(`${api.base}/x`);
    expect(none.status).toBe(403);
    expect(none.text).toBe('{"message":"Forbidden"}');
    expect(none.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': 'nope-nope-nope-nope-nope' } })).status).toBe(403);
    const outside = await env.apigw.send(new CreateApiKeyCommand({ name: 'outside', enabled: true }));
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': outside.value! } })).status).toBe(403);
  });

  it('lets a key of the plan in, shows it in identity, and stops it at the quota', async () => {
    const { api, planId } = await keyedApi();
    const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'in-plan', enabled: true }));
    await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
    const r = await httpRequest(`${api.base}/x`, { headers: { 'X-API-Key': key.value! } });
    expect(r.status).toBe(200);
    expect(r.json<Record<string, any>>().requestContext.identity).toMatchObject({ apiKey: key.value, apiKeyId: key.id });
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': key.value! } })).status).toBe(200);
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': key.value! } })).status).toBe(200);
    const over = await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': key.value! } });
    expect(over.status).toBe(429);
    expect(over.json()).toEqual({ message: 'Limit Exceeded' });
    env.cloud.cloud.clock.advance(24 * 3600 * 1000);
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': key.value! } })).status).toBe(200);
    await env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    expect((await httpRequest(`${api.base}/x`, { headers: { 'x-api-key': key.value! } })).status).toBe(403);
  });

  it('takes the key from the authorizer when apiKeySource is AUTHORIZER', async () => {
    const created = await env.apigw.send(new CreateRestApiCommand({ name: 'authz-keys', apiKeySource: 'AUTHORIZER' }));
    const authorizer = await env.apigw.send(
      new CreateAuthorizerCommand({ restApiId: created.id, name: 'a', type: 'TOKEN', authorizerUri: lambdaUri(authFn), identitySource: 'method.request.header.Auth', authorizerResultTtlInSeconds: 0 }),
    );
    await allowApiGateway(env, authFn, created.id!, `authz-${created.id}`);
    const api = await proxyOn(created.id!, created.rootResourceId!, { authorizationType: 'CUSTOM', authorizerId: authorizer.id, apiKeyRequired: true });
    const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'test' }] }));
    const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'from-authorizer', enabled: true, value: 'usage-identifier-key-000000000001' }));
    await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect((await httpRequest(`${api.base}/x`, { headers: { Auth: 'allow' } })).status).toBe(403);
    const r = await httpRequest(`${api.base}/x`, { headers: { Auth: 'keyed' } });
    expect(r.status).toBe(200);
    expect(r.json<Record<string, any>>().requestContext.identity.apiKeyId).toBe(key.id);
  });
});
