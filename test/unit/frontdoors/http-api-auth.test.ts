/**
 * HTTP API authorizers' pure parts: Lambda authorizer answers and policies
 * (src/cloud/frontdoors/http-api/lambda-authorizer.ts) and JWT validation (jwt.ts) with keys made
 * here [doc "Working with AWS Lambda authorizers for HTTP APIs", "Controlling access to HTTP APIs
 * with JWT authorizers"].
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { checkJwt, claimText } from '../../../src/cloud/frontdoors/http-api/jwt';
import { identityValue, parseAuthorizerAnswer, policyAllows, type AuthorizerRequest } from '../../../src/cloud/frontdoors/http-api/lambda-authorizer';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc/$default/GET/items/1';
const answer = (v: unknown, simple: boolean) => parseAuthorizerAnswer(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), simple);

describe('Lambda authorizer answers [doc]', () => {
  it('simple responses: isAuthorized and an optional context', () => {
    expect(answer({ isAuthorized: true, context: { user: 'a', n: 1, list: [1], map: { k: 'v' } } }, true)).toEqual({
      kind: 'simple',
      authorized: true,
      context: { user: 'a', n: 1, list: [1], map: { k: 'v' } },
    });
    expect(answer({ isAuthorized: false }, true)).toEqual({ kind: 'simple', authorized: false, context: {} });
  });

  it.each([
    ['not JSON', 'nope', true],
    ['a string', '"yes"', true],
    ['isAuthorized not a boolean', { isAuthorized: 'true' }, true],
    ['a context that is not an object', { isAuthorized: true, context: 'x' }, true],
    ['a policy answer without policyDocument', { principalId: 'p' }, false],
    ['a statement without Effect', { policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Resource: ARN }] } }, false],
    ['a statement with a numeric Resource', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 3 }] } }, false],
    ['a simple answer where a policy is expected', { isAuthorized: true }, false],
  ])('%s is malformed (500)', (_what, v, simple) => {
    expect(answer(v, simple)).toBeUndefined();
  });

  const policy = (...statements: Record<string, unknown>[]) => {
    const p = answer({ principalId: 'user', policyDocument: { Version: '2012-10-17', Statement: statements } }, false);
    if (!p || p.kind !== 'policy') throw new Error('not a policy');
    return p.statements;
  };

  it('an IAM policy allows the route ARN with wildcards; an explicit Deny wins; nothing is a denial', () => {
    expect(policyAllows(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN)).toBe(true);
    expect(policyAllows(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc/*' }), ARN)).toBe(true);
    expect(policyAllows(policy({ Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:*:*:abc/*/GET/items/?'] }), ARN)).toBe(true);
    expect(policyAllows(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc/*/POST/*' }), ARN)).toBe(false);
    expect(
      policyAllows(policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc/*/GET/items/*' }), ARN),
    ).toBe(false);
    expect(policyAllows(policy({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN }), ARN)).toBe(false);
    expect(policyAllows([], ARN)).toBe(false);
  });

  it('a single Statement object is read as a list of one', () => {
    expect(answer({ policyDocument: { Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN } } }, false)).toMatchObject({ kind: 'policy' });
  });

  it('reads identity sources: headers (any case, repeats comma-joined), query, stage variables, context', () => {
    const r = {
      headers: { authorization: ['a', 'b'] },
      query: { token: ['t'] },
      stageVariables: { env: 'dev' },
      context: { routeKey: 'GET /x' },
    } as unknown as AuthorizerRequest;
    expect(identityValue('$request.header.Authorization', r)).toBe('a,b');
    expect(identityValue('$request.querystring.token', r)).toBe('t');
    expect(identityValue('$request.querystring.Token', r)).toBeUndefined();
    expect(identityValue('$stageVariables.env', r)).toBe('dev');
    expect(identityValue('$context.routeKey', r)).toBe('GET /x');
    expect(identityValue('$request.header.missing', r)).toBeUndefined();
  });
});

describe('JWT validation [doc]', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ISSUER = 'https://issuer.example';
  const NOW = 1_700_000_000_000;
  const keys = { key: async (issuer: string, kid: string): Promise<KeyObject | undefined> => (issuer === ISSUER && kid === 'k1' ? publicKey : undefined) };

  function token(claims: Record<string, unknown>, o: { kid?: string; alg?: string; key?: KeyObject } = {}): string {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const head = enc({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'k1', typ: 'JWT' });
    const body = enc(claims);
    const sig = o.alg === 'none' ? '' : sign('sha256', Buffer.from(`${head}.${body}`), o.key ?? privateKey).toString('base64url');
    return `${head}.${body}.${sig}`;
  }
  const good = { iss: ISSUER, aud: 'my-app', sub: 'user-1', exp: NOW / 1000 + 60, iat: NOW / 1000 - 10, scope: 'read write', email_verified: true, groups: ['a', 'b'] };
  const check = (t: string, extra: Partial<Parameters<typeof checkJwt>[0]> = {}) => checkJwt({ token: t, issuer: ISSUER, audience: ['my-app'], routeScopes: [], nowMs: NOW, keys, ...extra });

  it('accepts a valid token (with or without Bearer) and passes its claims on as strings', async () => {
    const out = await check(`Bearer ${token(good)}`);
    expect(out).toEqual({
      ok: true,
      claims: { iss: ISSUER, aud: 'my-app', sub: 'user-1', exp: String(good.exp), iat: String(good.iat), scope: 'read write', email_verified: 'true', groups: '[a b]' },
      scopes: null,
    });
    expect((await check(token(good))).ok).toBe(true);
  });

  it.each([
    ['the token does not have a valid audience', { ...good, aud: 'other' }],
    ['the token does not have a valid issuer', { ...good, iss: 'https://evil.example' }],
    ['the token has expired', { ...good, exp: NOW / 1000 - 1 }],
    ['the token has expired', { ...good, exp: undefined }],
    ['the token is not valid yet', { ...good, nbf: NOW / 1000 + 60 }],
  ])('refuses with 401 and www-authenticate: %s', async (description, claims) => {
    expect(await check(token(claims))).toEqual({ ok: false, status: 401, wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"` });
  });

  it('takes client_id as the audience', async () => {
    expect((await check(token({ ...good, aud: undefined, client_id: 'my-app' }))).ok).toBe(true);
  });

  it('refuses a bad signature, an unknown kid, another algorithm and garbage', async () => {
    expect(await check(token(good, { key: other.privateKey }))).toMatchObject({ ok: false, status: 401 });
    expect(await check(token(good, { kid: 'nope' }))).toMatchObject({ ok: false, status: 401 });
    expect(await check(token(good, { alg: 'none' }))).toMatchObject({ ok: false, status: 401, wwwAuthenticate: expect.stringContaining('signing method none is invalid') });
    expect(await check('not.a.jwt')).toMatchObject({ ok: false, status: 401 });
    expect(await check('nope')).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses a token without one of the route's scopes with 403; passes the scopes on otherwise", async () => {
    expect(await check(token(good), { routeScopes: ['admin'] })).toMatchObject({ ok: false, status: 403 });
    expect(await check(token(good), { routeScopes: ['admin', 'write'] })).toMatchObject({ ok: true, scopes: ['read', 'write'] });
    expect(await check(token({ ...good, scope: undefined, scp: ['admin'] }), { routeScopes: ['admin'] })).toMatchObject({ ok: true });
  });

  it('an issuer whose keys cannot be fetched refuses the token', async () => {
    const failing = { key: async () => Promise.reject(new Error('down')) };
    expect(await check(token(good), { keys: failing })).toMatchObject({ ok: false, status: 401 });
  });

  it('claims are strings as HTTP APIs pass them', () => {
    expect([claimText('s'), claimText(1), claimText(false), claimText(['x', 2]), claimText({ a: 1 })]).toEqual(['s', '1', 'false', '[x 2]', '{"a":1}']);
  });
});
