import { compileRoutes, matchRoute } from '../../src/cloud/protocols/rest-json';
import { parseCredentialScope } from '../../src/cloud/protocols/sigv4';
import type { RestRoute } from '../../src/cloud/protocols/types';

const h: RestRoute['handler'] = () => ({});
const routes = compileRoutes([
  { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', handler: h },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}', operation: 'GetFunction', handler: h },
  { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations', operation: 'Invoke', handler: h },
  { method: 'GET', path: '/2017-03-31/tags/{Resource}', operation: 'ListTags', handler: h },
]);

describe('REST route matching', () => {
  it('matches templates, with or without a trailing slash', () => {
    expect(matchRoute(routes, 'GET', '/2015-03-31/functions/').match?.route.operation).toBe('ListFunctions');
    expect(matchRoute(routes, 'GET', '/2015-03-31/functions/abc').match).toEqual(
      expect.objectContaining({ params: { FunctionName: 'abc' } }),
    );
    expect(matchRoute(routes, 'POST', '/2015-03-31/functions/abc/invocations').match?.route.operation).toBe('Invoke');
  });

  it('decodes percent-encoded labels such as ARNs', () => {
    const m = matchRoute(routes, 'GET', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af');
    expect(m.match?.params.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:f');
  });

  it('tells a wrong method from an unknown path', () => {
    expect(matchRoute(routes, 'DELETE', '/2015-03-31/functions/abc/invocations')).toEqual({ pathMatched: true });
    expect(matchRoute(routes, 'GET', '/nope')).toEqual({ pathMatched: false });
  });
});

describe('SigV4 credential scope', () => {
  it('reads key, region and service from the Authorization header', () => {
    const auth =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-central-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(parseCredentialScope(auth)).toEqual({ accessKeyId: 'AKIDEXAMPLE', date: '20240101', region: 'eu-central-1', service: 'lambda' });
  });

  it('reads a presigned X-Amz-Credential and ignores garbage', () => {
    const q = new URLSearchParams('X-Amz-Credential=AK%2F20240101%2Fus-west-2%2Fsqs%2Faws4_request');
    expect(parseCredentialScope(undefined, q)?.service).toBe('sqs');
    expect(parseCredentialScope('Bearer xyz')).toBeUndefined();
    expect(parseCredentialScope(undefined, new URLSearchParams())).toBeUndefined();
  });
});
