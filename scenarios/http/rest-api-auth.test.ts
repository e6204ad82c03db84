/**
 * Access control on REST APIs: Lambda authorizers (TOKEN and REQUEST: the policy they return, the
 * context they pass to the integration, their cache, and what API Gateway answers when they deny,
 * say "Unauthorized" or break), and API keys with usage plans (AWS docs "Use API Gateway Lambda
 * authorizers", "Usage plans and API keys for REST APIs").
 */
import { CreateApiKeyCommand, CreateAuthorizerCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, UpdateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { httpRequest } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';
import { eventOf, functions, lambdaUri, proxyApi, type ProxyApi } from './_rest-api-helpers';

const tb = getTestbed();
const c = () => tb.clients.apigateway;

/** An API whose methods are guarded by a Lambda authorizer of `type`. */
async function guarded(type: 'TOKEN' | 'REQUEST', identitySource: string, ttl: number, extra: { validation?: string } = {}): Promise<ProxyApi> {
  const fns = await functions();
  // The authorizer exists before the methods that use it.
  const holder = await c().send(new CreateRestApiCommand({ name: unique('rest-auth') }));
  const authorizer = await c().send(
    new CreateAuthorizerCommand({
      restApiId: holder.id,
      name: 'scenario',
      type,
      authorizerUri: lambdaUri(fns.auth.arn),
      identitySource,
      authorizerResultTtlInSeconds: ttl,
      identityValidationExpression: extra.validation,
    }),
  );
  return proxyApi(fns.app.arn, { method: { authorizationType: 'CUSTOM', authorizerId: authorizer.id }, into: holder });
}

tb.describeIf('restApiFidelity')('Lambda authorizers', () => {
  describe('TOKEN', () => {
    let api: ProxyApi;
    beforeAll(async () => {
      api = await guarded('TOKEN', 'method.request.header.Authorization', 0);
    });

    it('an Allow lets the request through; principalId and the context reach the integration (as strings)', async () => {
      const r = await httpRequest(`${api.base}/pets`, { headers: { authorization: 'allow' } });
      expect(r.status).toBe(200);
      expect(eventOf(r).requestContext.authorizer).toMatchObject({ principalId: 'user-allow', number: '7', flag: 'true', type: 'TOKEN' });
    });

    it('an explicit Deny is 403 "... with an explicit deny"; a policy for other resources is 403', async () => {
      const deny = await httpRequest(`${api.base}/pets`, { headers: { authorization: 'deny' } });
      expect([deny.status, deny.json()]).toEqual([403, { Message: 'User is not authorized to access this resource with an explicit deny' }]);
      const other = await httpRequest(`${api.base}/pets`, { headers: { authorization: 'other' } });
      expect([other.status, other.json()]).toEqual([403, { Message: 'User is not authorized to access this resource' }]);
    });

    it('"Unauthorized" from the function, or no token at all, is 401', async () => {
      for (const headers of [{ authorization: 'unauthorized' }, {}] as Record<string, string>[]) {
        const r = await httpRequest(`${api.base}/pets`, { headers });
        expect([r.status, r.json()]).toEqual([401, { message: 'Unauthorized' }]);
      }
    });

    it.each(['throw', 'garbage', 'nested'])('a broken authorizer (%s) is 500 {"message":null}', async (token) => {
      const r = await httpRequest(`${api.base}/pets`, { headers: { authorization: token } });
      expect([r.status, r.text]).toEqual([500, '{"message":null}']);
    });

    it('a token that does not match identityValidationExpression is 401 without calling the function', async () => {
      const strict = await guarded('TOKEN', 'method.request.header.Authorization', 0, { validation: 'allow' });
      expect((await httpRequest(`${strict.base}/x`, { headers: { authorization: 'allow' } })).status).toBe(200);
      expect((await httpRequest(`${strict.base}/x`, { headers: { authorization: 'allowed' } })).status).toBe(401);
    });
  });

  describe('caching', () => {
    it('keeps an answer for authorizerResultTtlInSeconds per token, then asks again', async () => {
      const api = await guarded('TOKEN', 'method.request.header.Authorization', 300);
      const invocation = async () => eventOf(await httpRequest(`${api.base}/c`, { headers: { authorization: 'allow' } })).requestContext.authorizer.invocation;
      const first = await invocation();
      expect(await invocation()).toBe(first);
      await tb.advance(301_000);
      expect(await invocation()).not.toBe(first);
    });
  });

  describe('REQUEST', () => {
    it('gets the request and needs every identity source', async () => {
      const api = await guarded('REQUEST', 'method.request.header.auth, method.request.querystring.user', 0);
      const ok = await httpRequest(`${api.base}/r?user=u1`, { headers: { auth: 'allow' } });
      expect(ok.status).toBe(200);
      expect(eventOf(ok).requestContext.authorizer).toMatchObject({ principalId: 'user-allow', type: 'REQUEST' });
      expect((await httpRequest(`${api.base}/r`, { headers: { auth: 'allow' } })).status).toBe(401);
    });
  });
});

describe('API keys', () => {
  async function keyed(quota?: number): Promise<{ api: ProxyApi; planId: string }> {
    const fns = await functions();
    const api = await proxyApi(fns.app.arn, { method: { apiKeyRequired: true } });
    const plan = await c().send(
      new CreateUsagePlanCommand({ name: unique('plan'), apiStages: [{ apiId: api.id, stage: 'test' }], ...(quota ? { quota: { limit: quota, period: 'DAY' as const } } : {}) }),
    );
    return { api, planId: plan.id! };
  }

  it('a method that requires a key answers 403 {"message":"Forbidden"} without one, and serves a key of a usage plan', async () => {
    const { api, planId } = await keyed();
    const none = await httpRequest(`${api.base}/k`);
    expect([none.status, none.json()]).toEqual([403, { message: 'Forbidden' }]);
    const key = await c().send(new CreateApiKeyCommand({ name: unique('key'), enabled: true }));
    await c().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
    const ok = await httpRequest(`${api.base}/k`, { headers: { 'x-api-key': key.value! } });
    expect(ok.status).toBe(200);
    expect(eventOf(ok).requestContext.identity).toMatchObject({ apiKey: key.value, apiKeyId: key.id });
    expect((await httpRequest(`${api.base}/k`, { headers: { 'x-api-key': 'not-a-key-of-this-plan-000' } })).status).toBe(403);
  });

  it('a disabled key is refused', async () => {
    const { api, planId } = await keyed();
    const key = await c().send(new CreateApiKeyCommand({ name: unique('key'), enabled: true }));
    await c().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
    await c().send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    expect((await httpRequest(`${api.base}/k`, { headers: { 'x-api-key': key.value! } })).status).toBe(403);
  });

  tb.itIf('restApiFidelity')('a usage plan quota stops the key with 429 {"message":"Limit Exceeded"}', async () => {
    const { api, planId } = await keyed(2);
    const key = await c().send(new CreateApiKeyCommand({ name: unique('key'), enabled: true }));
    await c().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
    const call = () => httpRequest(`${api.base}/q`, { headers: { 'x-api-key': key.value! } });
    expect([(await call()).status, (await call()).status]).toEqual([200, 200]);
    const over = await call();
    expect([over.status, over.json()]).toEqual([429, { message: 'Limit Exceeded' }]);
  });
});
