/**
 * Who may call an HTTP API route: Lambda authorizers (simple responses and IAM policies, payload
 * formats 2.0 and 1.0, identity sources, caching by TTL) and JWT authorizers checked against an
 * issuer's keys (AWS docs "Working with AWS Lambda authorizers for HTTP APIs", "Controlling access
 * to HTTP APIs with JWT authorizers"). The issuer is a small OpenID server on loopback, made here.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateAuthorizerCommand, GetRoutesCommand, UpdateRouteCommand, type CreateAuthorizerCommandInput } from '@aws-sdk/client-apigatewayv2';
import { httpRequest } from '../../src/testbed/http';
import { getTestbed } from '../_support/testbed';
import { buildApi, eventOf, functions } from './_http-api-helpers';

const tb = getTestbed();
const UNAUTHORIZED = { message: 'Unauthorized' };
const FORBIDDEN = { message: 'Forbidden' };
const INTERNAL = { message: 'Internal Server Error' };

/** An API whose `GET /secure` route uses the authorizer made from `auth`; `GET /open` is public. */
async function securedApi(integrationArn: string, auth: Omit<CreateAuthorizerCommandInput, 'ApiId' | 'Name'>, scopes?: string[], payloadFormatVersion: '1.0' | '2.0' = '2.0') {
  const api = await buildApi({ integration: { uri: integrationArn, payloadFormatVersion }, routes: [{ RouteKey: 'GET /secure' }, { RouteKey: 'GET /open' }] });
  const c = tb.clients.apigatewayv2;
  const authorizer = await c.send(new CreateAuthorizerCommand({ ApiId: api.apiId, Name: 'auth', ...auth }));
  const route = (await c.send(new GetRoutesCommand({ ApiId: api.apiId }))).Items!.find((r) => r.RouteKey === 'GET /secure')!;
  await c.send(
    new UpdateRouteCommand({ ApiId: api.apiId, RouteId: route.RouteId, AuthorizationType: auth.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM', AuthorizerId: authorizer.AuthorizerId, AuthorizationScopes: scopes }),
  );
  return api.endpoint;
}

tb.describeIf('httpApis')('HTTP API authorization', () => {
  let fns: Awaited<ReturnType<typeof functions>>;
  let authUri: string;
  beforeAll(async () => {
    fns = await functions();
    authUri = `arn:aws:apigateway:${tb.target.region}:lambda:path/2015-03-31/functions/${fns.auth.arn}/invocations`;
  });

  describe('Lambda authorizer with simple responses (payload 2.0)', () => {
    let endpoint: string;
    beforeAll(async () => {
      endpoint = await securedApi(fns.app.arn, {
        AuthorizerType: 'REQUEST',
        AuthorizerUri: authUri,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.x-token'],
      });
    });

    it('passes an authorized request on with the context in requestContext.authorizer.lambda', async () => {
      const e = eventOf(await httpRequest(`${endpoint}/secure`, { headers: { 'x-token': 'allow' } }));
      expect(e.requestContext.authorizer).toEqual({ lambda: expect.objectContaining({ identity: 'allow', version: '2.0', list: ['a', 'b'], invocation: expect.any(Number) }) });
    });

    it('answers 403 Forbidden when isAuthorized is false', async () => {
      const r = await httpRequest(`${endpoint}/secure`, { headers: { 'x-token': 'deny' } });
      expect([r.status, r.json()]).toEqual([403, FORBIDDEN]);
    });

    it('answers 401 Unauthorized without invoking it when the identity source is missing', async () => {
      const r = await httpRequest(`${endpoint}/secure`);
      expect([r.status, r.json()]).toEqual([401, UNAUTHORIZED]);
      expect((await httpRequest(`${endpoint}/open`)).status).toBe(200);
    });

    it('answers 500 for an answer in another shape or an authorizer that fails, and keeps serving', async () => {
      for (const token of ['garbage', 'throw', 'policy-allow']) {
        const r = await httpRequest(`${endpoint}/secure`, { headers: { 'x-token': token } });
        expect([token, r.status, r.json()]).toEqual([token, 500, INTERNAL]);
      }
      expect((await httpRequest(`${endpoint}/secure`, { headers: { 'x-token': 'allow' } })).status).toBe(200);
    });
  });

  describe('Lambda authorizer with IAM policies (payload 1.0) and caching', () => {
    let endpoint: string;
    beforeAll(async () => {
      endpoint = await securedApi(
        fns.echo.arn,
        { AuthorizerType: 'REQUEST', AuthorizerUri: authUri, AuthorizerPayloadFormatVersion: '1.0', IdentitySource: ['$request.querystring.token'], AuthorizerResultTtlInSeconds: 60 },
        undefined,
        '1.0',
      );
    });

    it('an Allow for the route passes the request with the context and principalId (format 1.0: flat)', async () => {
      const e = eventOf(await httpRequest(`${endpoint}/secure?token=policy-allow`));
      expect(e.requestContext.authorizer).toMatchObject({ identity: 'policy-allow', version: '1.0', principalId: 'scenario-user' });
    });

    it('a Deny, or an Allow for another resource only, is 403', async () => {
      for (const token of ['policy-deny', 'policy-other']) {
        const r = await httpRequest(`${endpoint}/secure?token=${token}`);
        expect([token, r.status, r.json()]).toEqual([token, 403, FORBIDDEN]);
      }
    });

    it('answers from its cache for AuthorizerResultTtlInSeconds, then asks again', async () => {
      const first = eventOf(await httpRequest(`${endpoint}/secure?token=policy-allow&n=1`)).requestContext.authorizer.invocation;
      const cached = eventOf(await httpRequest(`${endpoint}/secure?token=policy-allow&n=2`)).requestContext.authorizer.invocation;
      expect(cached).toBe(first);
      await tb.advance(61_000);
      const fresh = eventOf(await httpRequest(`${endpoint}/secure?token=policy-allow&n=3`)).requestContext.authorizer.invocation;
      expect(fresh).not.toBe(first);
    });
  });

  describe('JWT authorizer', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let issuer: string;
    let server: http.Server;
    let endpoint: string;

    const jwt = (claims: Record<string, unknown>, key = privateKey) => {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const head = `${enc({ alg: 'RS256', kid: 'scenario-key', typ: 'JWT' })}.${enc(claims)}`;
      return `${head}.${sign('sha256', Buffer.from(head), key).toString('base64url')}`;
    };
    const claims = async (extra: Record<string, unknown> = {}) => {
      const now = Math.floor((await tb.now()) / 1000);
      return { iss: issuer, aud: 'scenario-app', sub: 'user-1', iat: now - 5, exp: now + 300, scope: 'items.read', ...extra };
    };

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
        else if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'scenario-key', use: 'sig', alg: 'RS256' }] }));
        else res.writeHead(404).end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      endpoint = await securedApi(
        fns.app.arn,
        { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['scenario-app'] } },
        ['items.read'],
      );
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('passes a valid token on with its claims in requestContext.authorizer.jwt', async () => {
      const token = jwt(await claims({ email_verified: true }));
      const e = eventOf(await httpRequest(`${endpoint}/secure`, { headers: { authorization: `Bearer ${token}` } }));
      expect(e.requestContext.authorizer.jwt).toEqual({
        claims: expect.objectContaining({ iss: issuer, aud: 'scenario-app', sub: 'user-1', email_verified: 'true', exp: expect.stringMatching(/^\d+$/) }),
        scopes: ['items.read'],
      });
    });

    it('answers 401 with www-authenticate for a wrong audience, an expired token or a foreign signature', async () => {
      const wrongAudience = await httpRequest(`${endpoint}/secure`, { headers: { authorization: jwt(await claims({ aud: 'other' })) } });
      expect([wrongAudience.status, wrongAudience.json()]).toEqual([401, UNAUTHORIZED]);
      expect(wrongAudience.headers['www-authenticate']).toBe('Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');
      const now = Math.floor((await tb.now()) / 1000);
      for (const token of [jwt(await claims({ exp: now - 10 })), jwt(await claims(), stranger.privateKey), 'not-a-jwt']) {
        const r = await httpRequest(`${endpoint}/secure`, { headers: { authorization: token } });
        expect([r.status, r.json()]).toEqual([401, UNAUTHORIZED]);
      }
      const missing = await httpRequest(`${endpoint}/secure`);
      expect([missing.status, missing.json()]).toEqual([401, UNAUTHORIZED]);
    });

    it("answers 403 for a token without the route's scope", async () => {
      const r = await httpRequest(`${endpoint}/secure`, { headers: { authorization: jwt(await claims({ scope: 'other.scope' })) } });
      expect([r.status, r.json()]).toEqual([403, FORBIDDEN]);
    });
  });

  it('an AWS_IAM route refuses an unsigned request with 403', async () => {
    const api = await buildApi({ integration: { uri: fns.app.arn }, routes: [{ RouteKey: 'GET /iam', AuthorizationType: 'AWS_IAM' }] });
    const r = await httpRequest(`${api.endpoint}/iam`);
    expect([r.status, r.json()]).toEqual([403, FORBIDDEN]);
  });
});
