/**
 * REST API door pieces without a cloud: the URL forms (target.ts), resource routing (router.ts),
 * policy evaluation and identity sources (authorizer.ts), quota periods (api-keys.ts), and the
 * door declining requests that are not its own.
 */
import { Clock } from '../../../src/cloud/clock';
import { restApiDoor } from '../../../src/cloud/frontdoors/rest-api';
import { periodStart } from '../../../src/cloud/frontdoors/rest-api/api-keys';
import { evaluatePolicy, identityValues, readPolicy } from '../../../src/cloud/frontdoors/rest-api/authorizer';
import { traceHeader } from '../../../src/cloud/frontdoors/rest-api/context';
import { matchRoute, routingPath } from '../../../src/cloud/frontdoors/rest-api/router';
import { parseTarget } from '../../../src/cloud/frontdoors/rest-api/target';
import { renderStageVariables } from '../../../src/cloud/frontdoors/rest-api/uri';
import type { LambdaService } from '../../../src/cloud/lambda/service';
import { ApiGatewayStore } from '../../../src/cloud/services/apigateway/store';
import type { DeployedApi, Method } from '../../../src/cloud/services/apigateway/types';

const method = (httpMethod: string): Method => ({ httpMethod, authorizationType: 'NONE', apiKeyRequired: false, methodResponses: {} });

function api(resources: [string, string[]][]): DeployedApi {
  return {
    id: 'abc',
    region: 'us-east-1',
    accountId: '000000000000',
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    authorizers: {},
    resources: resources.map(([path, methods], i) => ({
      id: `r${i}`,
      path,
      pathPart: path.split('/').pop() || undefined,
      methods: Object.fromEntries(methods.map((m) => [m, method(m)])),
    })),
  };
}

describe('URL forms', () => {
  it('reads the host form and both LocalStack path forms', () => {
    expect(parseTarget('abc123.execute-api.localhost', '/dev/pets/1')).toEqual({ apiId: 'abc123', stage: 'dev', path: '/pets/1', form: 'host' });
    expect(parseTarget('abc123.execute-api.localhost', '/dev')).toEqual({ apiId: 'abc123', stage: 'dev', path: '/', form: 'host' });
    expect(parseTarget('abc123.execute-api.localhost', '/')).toEqual({ apiId: 'abc123', path: '/', form: 'host' });
    expect(parseTarget('127.0.0.1', '/restapis/ABC/dev/_user_request_/x')).toEqual({ apiId: 'abc', stage: 'dev', path: '/x', form: 'user-request' });
    expect(parseTarget('127.0.0.1', '/restapis/abc/dev/_user_request_')).toMatchObject({ path: '/' });
    expect(parseTarget('localhost', '/_aws/execute-api/abc/dev/x/y')).toEqual({ apiId: 'abc', stage: 'dev', path: '/x/y', form: 'execute-api' });
    expect(parseTarget('127.0.0.1', '/restapis/abc/resources')).toBeUndefined();
    expect(parseTarget('abc.lambda-url.us-east-1.localhost', '/')).toBeUndefined();
  });

  it('leaves ids it does not know to the next door', () => {
    const door = restApiDoor(new ApiGatewayStore(new Clock()), {} as LambdaService);
    const req = { method: 'GET', path: '/dev/x', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
    expect(door.handle({ req, host: 'unknown1.execute-api.localhost', endpoint: 'http://127.0.0.1:1', port: '1' })).toBeUndefined();
    expect(door.handle({ req: { ...req, path: '/_aws/execute-api/unknown1/dev' }, host: '127.0.0.1', endpoint: 'http://127.0.0.1:1', port: '1' })).toBeUndefined();
  });
});

describe('routing', () => {
  const a = api([
    ['/', ['GET']],
    ['/pets', ['GET']],
    ['/pets/{id}', ['GET', 'DELETE']],
    ['/pets/mine', ['ANY']],
    ['/{proxy+}', ['ANY']],
    ['/files/{key+}', ['GET']],
  ]);
  const route = (m: string, p: string) => {
    const r = matchRoute(a, m, p);
    return r && [r.resource.path, r.method.httpMethod, r.pathParameters];
  };

  it('prefers static parts over variables over greedy ones', () => {
    expect(route('GET', '/pets/mine')).toEqual(['/pets/mine', 'ANY', {}]);
    expect(route('GET', '/pets/7')).toEqual(['/pets/{id}', 'GET', { id: '7' }]);
    expect(route('GET', '/pets')).toEqual(['/pets', 'GET', {}]);
    expect(route('GET', '/')).toEqual(['/', 'GET', {}]);
  });

  it('falls back to a resource that has the method, {proxy+} taking several segments', () => {
    expect(route('POST', '/pets/7')).toEqual(['/{proxy+}', 'ANY', { proxy: 'pets/7' }]);
    expect(route('GET', '/files/a/b/c.txt')).toEqual(['/files/{key+}', 'GET', { key: 'a/b/c.txt' }]);
    expect(route('POST', '/files/a')).toEqual(['/{proxy+}', 'ANY', { proxy: 'files/a' }]);
  });

  it('ignores a trailing slash and keeps inner empty segments for greedy parts [rec]', () => {
    expect(route('GET', '/pets/7/')).toEqual(['/pets/{id}', 'GET', { id: '7' }]);
    expect(route('GET', '/x//y')).toEqual(['/{proxy+}', 'ANY', { proxy: 'x//y' }]);
    expect(routingPath('//a/')).toBe('/a');
  });

  it('finds nothing for a method no candidate has', () => {
    const b = api([['/pets', ['GET']]]);
    expect(matchRoute(b, 'POST', '/pets')).toBeUndefined();
    expect(matchRoute(b, 'GET', '/')).toBeUndefined();
    expect(matchRoute(b, 'GET', '/pets/1')).toBeUndefined();
    // ANY does not cover CONNECT or TRACE
    expect(matchRoute(api([['/', ['ANY']]]), 'TRACE', '/')).toBeUndefined();
  });
});

describe('authorizer policies', () => {
  const arn = 'arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/pets/1';
  const policy = (statements: unknown) => readPolicy(Buffer.from(JSON.stringify({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: statements } })));

  it('allows with wildcards, and an explicit Deny wins', () => {
    const allow = policy([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/*' }]);
    expect(typeof allow).toBe('object');
    expect(evaluatePolicy(allow as Exclude<typeof allow, string>, arn)).toBe('allow');
    const both = policy([
      { Effect: 'Allow', Action: ['execute-api:*'], Resource: ['*'] },
      { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/pets/?' },
    ]);
    expect(evaluatePolicy(both as Exclude<typeof both, string>, arn)).toBe('explicit-deny');
    const other = policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/*' });
    expect(evaluatePolicy(other as Exclude<typeof other, string>, arn)).toBe('implicit-deny');
  });

  it('refuses answers that are not policies', () => {
    expect(typeof readPolicy(Buffer.from('"x"'))).toBe('string');
    expect(typeof readPolicy(Buffer.from(JSON.stringify({ principalId: 'u' })))).toBe('string');
    expect(typeof readPolicy(Buffer.from(JSON.stringify({ policyDocument: { Statement: [] }, context: { a: [1] } })))).toBe('string');
    expect(readPolicy(Buffer.from(JSON.stringify({ policyDocument: { Statement: [] }, context: { n: 1, b: false, s: 'x' } })))).toMatchObject({ context: { n: '1', b: 'false', s: 'x' } });
  });

  it('reads identity sources from headers, query strings, stage variables and context', () => {
    const a = { id: 'x', name: 'n', type: 'REQUEST', identitySource: 'method.request.header.Auth, method.request.querystring.q, stageVariables.s, context.stage' };
    const r = { headers: [['auth', 'h']] as [string, string][], query: [['q', '1'], ['q', '2']] as [string, string][], stageVariables: { s: 'sv' }, requestContext: { stage: 'dev' } };
    expect(identityValues(a, r)).toEqual(['h', '2', 'sv', 'dev']);
    expect(identityValues(a, { ...r, stageVariables: {} })).toBeUndefined();
    expect(identityValues({ ...a, identitySource: undefined }, r)).toEqual([]);
  });
});

describe('small pieces', () => {
  it('starts quota periods at the UTC day, the Monday of the week, and the month', () => {
    const t = Date.UTC(2024, 4, 16, 13, 5); // Thursday 16 May 2024
    expect(new Date(periodStart('DAY', t)).toISOString()).toBe('2024-05-16T00:00:00.000Z');
    expect(new Date(periodStart('WEEK', t)).toISOString()).toBe('2024-05-13T00:00:00.000Z');
    expect(new Date(periodStart('MONTH', t)).toISOString()).toBe('2024-05-01T00:00:00.000Z');
  });

  it('keeps the caller trace Root and makes one otherwise', () => {
    expect(traceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1', 0)).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/);
    expect(traceHeader(undefined, 1_700_000_000_000)).toMatch(/^Root=1-6553f100-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  it('puts stage variables into URIs', () => {
    expect(renderStageVariables('arn:...:function:${stageVariables.fn}:${stageVariables.alias}/invocations', { fn: 'f', alias: 'live' })).toBe('arn:...:function:f:live/invocations');
    expect(renderStageVariables('${stageVariables.missing}x', {})).toBe('x');
  });
});
