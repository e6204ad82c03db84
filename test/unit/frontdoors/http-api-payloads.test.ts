/**
 * HTTP API payload format 1.0 (src/cloud/frontdoors/http-api/v1.ts) against AWS's documented
 * event and response [doc "Working with AWS Lambda proxy integrations for HTTP APIs"], and the CORS
 * answers (cors.ts) [doc "Configuring CORS for an HTTP API"].
 */
import { allowedOrigin, isPreflight, preflightHeaders, withCorsHeaders } from '../../../src/cloud/frontdoors/http-api/cors';
import { sendableHeaders, withStageVariables } from '../../../src/cloud/frontdoors/http-api/integration';
import { buildV1Event, mapV1Response } from '../../../src/cloud/frontdoors/http-api/v1';
import type { RawRequest } from '../../../src/cloud/protocols/types';

function request(o: { method?: string; path?: string; query?: string; headers?: [string, string][]; body?: string }): RawRequest {
  const lines = o.headers ?? [];
  const headers: Record<string, string> = {};
  for (const [k, v] of lines) headers[k.toLowerCase()] = headers[k.toLowerCase()] ? `${headers[k.toLowerCase()]}, ${v}` : v;
  return {
    method: o.method ?? 'GET',
    path: o.path ?? '/',
    query: new URLSearchParams(o.query ?? ''),
    rawQuery: o.query ?? '',
    headers,
    rawHeaders: lines.flat(),
    body: Buffer.from(o.body ?? ''),
    sourceIp: '192.0.2.1',
    protocol: 'HTTP/1.1',
  };
}

const base = { domainName: 'abc.execute-api.localhost', domainPrefix: 'abc', apiId: 'abc', accountId: '000000000000', requestId: 'id=', timeEpoch: Date.UTC(2020, 2, 4, 19, 15, 17, 135) };

describe('payload format 1.0 event [doc]', () => {
  it('has the documented members, repeated values in multiValue*, the last in the single-valued ones', () => {
    const req = request({
      method: 'GET',
      path: '/dev/my/path',
      query: 'parameter1=value1&parameter1=value2&parameter2=value',
      headers: [
        ['Header1', 'value1'],
        ['header2', 'value1'],
        ['header2', 'value2'],
        ['User-Agent', 'agent'],
      ],
    });
    const e = buildV1Event({ ...base, req, resource: '/my/{rest}', path: '/dev/my/path', stage: 'dev', pathParameters: { rest: 'path' } });
    expect(e).toEqual({
      version: '1.0',
      resource: '/my/{rest}',
      path: '/dev/my/path',
      httpMethod: 'GET',
      headers: { header1: 'value1', header2: 'value2', 'user-agent': 'agent' },
      multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'], 'user-agent': ['agent'] },
      queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
      multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc',
        authorizer: { claims: null, scopes: null },
        domainName: 'abc.execute-api.localhost',
        domainPrefix: 'abc',
        extendedRequestId: 'id=',
        httpMethod: 'GET',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '192.0.2.1',
          user: null,
          userAgent: 'agent',
          userArn: null,
        },
        path: '/dev/my/path',
        protocol: 'HTTP/1.1',
        requestId: 'id=',
        requestTime: '04/Mar/2020:19:15:17 +0000',
        requestTimeEpoch: base.timeEpoch,
        resourceId: null,
        resourcePath: '/my/{rest}',
        stage: 'dev',
      },
      pathParameters: { rest: 'path' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('null query and path parameters when there are none; text bodies as text, others base64', () => {
    const text = buildV1Event({ ...base, req: request({ method: 'POST', headers: [['content-type', 'application/json']], body: '{"a":1}' }), resource: '/', path: '/', stage: '$default' });
    expect([text.queryStringParameters, text.multiValueQueryStringParameters, text.pathParameters, text.body, text.isBase64Encoded]).toEqual([null, null, null, '{"a":1}', false]);
    const binary = buildV1Event({ ...base, req: request({ method: 'POST', headers: [['content-type', 'application/octet-stream']], body: 'hi' }), resource: '/', path: '/', stage: '$default' });
    expect([binary.body, binary.isBase64Encoded]).toEqual([Buffer.from('hi').toString('base64'), true]);
  });

  it('carries stage variables and the authorizer given', () => {
    const e = buildV1Event({ ...base, req: request({}), resource: '/', path: '/', stage: '$default', stageVariables: { v: '1' }, authorizer: { claims: { sub: 'x' }, scopes: null } });
    expect(e.stageVariables).toEqual({ v: '1' });
    expect((e.requestContext as Record<string, unknown>).authorizer).toEqual({ claims: { sub: 'x' }, scopes: null });
  });
});

describe('payload format 1.0 response [doc]', () => {
  const map = (v: unknown) => mapV1Response(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));

  it('uses statusCode, headers, multiValueHeaders and body', () => {
    const r = map({ statusCode: 201, headers: { 'X-One': 'a', 'content-type': 'text/plain' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'hi' });
    expect(r).toEqual({ status: 201, headers: { 'X-One': 'a', 'content-type': 'text/plain' }, multiHeaders: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']], body: Buffer.from('hi') });
  });

  it('multiValueHeaders win over headers of the same name', () => {
    const r = map({ statusCode: 200, headers: { 'x-a': 'single' }, multiValueHeaders: { 'X-A': ['m1'] } });
    expect(r).toMatchObject({ headers: { 'X-A': 'm1' } });
  });

  it('decodes a base64 body; answers application/json without a content type', () => {
    expect(map({ statusCode: 200, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      multiHeaders: [],
      body: Buffer.from([1, 2, 3]),
    });
  });

  it.each([
    ['not JSON', 'oops'],
    ['no statusCode', { body: 'x' }],
    ['a string result', '"hello"'],
    ['a status out of range', { statusCode: 99 }],
    ['headers not an object', { statusCode: 200, headers: ['x'] }],
    ['a header that is an object', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['multiValueHeaders not lists', { statusCode: 200, multiValueHeaders: { a: 'x' } }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
  ])('is malformed with %s', (_what, v) => {
    expect(map(v)).toHaveProperty('malformed');
  });
});

describe('integration helpers', () => {
  it('fills ${stageVariables.x} in an integration URI', () => {
    expect(withStageVariables('arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}', { fn: 'prod-fn' })).toBe('arn:aws:lambda:us-east-1:000000000000:function:prod-fn');
  });

  it('drops hop-by-hop headers and refuses header lines that cannot be sent', () => {
    const ok = sendableHeaders({ status: 200, headers: { 'Content-Length': '99', 'x-a': '1' }, multiHeaders: [['Transfer-Encoding', 'chunked']], body: Buffer.alloc(0) });
    expect(ok).toMatchObject({ headers: { 'x-a': '1' }, multiHeaders: [] });
    expect(sendableHeaders({ status: 200, headers: { 'x-a': 'a\r\nb: c' }, multiHeaders: [], body: Buffer.alloc(0) })).toBeUndefined();
    expect(sendableHeaders({ status: 200, headers: { 'bad name': 'x' }, multiHeaders: [], body: Buffer.alloc(0) })).toBeUndefined();
  });
});

describe('CORS [doc]', () => {
  const cors = { allowOrigins: ['https://app.example'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-id'], maxAge: 300, allowCredentials: true };

  it('a preflight is OPTIONS with origin and access-control-request-method', () => {
    expect(isPreflight(request({ method: 'OPTIONS', headers: [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'POST']] }))).toBe(true);
    expect(isPreflight(request({ method: 'OPTIONS', headers: [['Origin', 'https://app.example']] }))).toBe(false);
    expect(isPreflight(request({ method: 'GET', headers: [['Origin', 'x'], ['Access-Control-Request-Method', 'GET']] }))).toBe(false);
  });

  it('answers a preflight from an allowed origin with the configured headers', () => {
    const req = request({ method: 'OPTIONS', headers: [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'POST']] });
    expect(preflightHeaders(cors, req)).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '300',
    });
    expect(preflightHeaders(cors, request({ method: 'OPTIONS', headers: [['Origin', 'https://evil.example'], ['Access-Control-Request-Method', 'POST']] }))).toEqual({});
  });

  it('replaces the backend CORS headers on a response, only for a request with an allowed origin', () => {
    const backend = { 'access-control-allow-origin': '*', 'Access-Control-Max-Age': '1', 'x-a': '1' };
    expect(withCorsHeaders(cors, request({ headers: [['Origin', 'https://app.example']] }), backend)).toEqual({
      'x-a': '1',
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-id',
    });
    expect(withCorsHeaders(cors, request({}), backend)).toEqual({ 'x-a': '1' });
  });

  it('a * origin answers *', () => {
    expect(allowedOrigin({ allowOrigins: ['*'] }, 'https://any.example')).toBe('*');
    expect(allowedOrigin({ allowOrigins: ['*'] }, undefined)).toBeUndefined();
  });
});
