/**
 * HTTP APIs' stage and route selection (src/cloud/frontdoors/http-api/routing.ts) against the
 * examples of AWS's "Routing API requests" [doc], and the door's host and path forms.
 */
import { doorTarget } from '../../../src/cloud/frontdoors/http-api';
import { pathSegments, selectRoute, selectStage } from '../../../src/cloud/frontdoors/http-api/routing';

const routes = (...keys: string[]) => keys.map((routeKey) => ({ routeKey }));
const pick = (keys: string[], method: string, path: string) => {
  const m = selectRoute(routes(...keys), method, path);
  return m && { key: m.route.routeKey, params: m.pathParameters };
};

describe('route selection [doc "Routing API requests"]', () => {
  const docRoutes = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'];

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
    ['GET', '/', '$default', {}],
  ])('%s %s selects %s', (method, path, key, params) => {
    expect(pick(docRoutes, method, path)).toEqual({ key, params });
  });

  it('prefers the exact method over ANY on the same path', () => {
    expect(pick(['ANY /items', 'POST /items'], 'POST', '/items')?.key).toBe('POST /items');
    expect(pick(['ANY /items', 'POST /items'], 'DELETE', '/items')?.key).toBe('ANY /items');
  });

  it('prefers a static segment over a parameter at the first difference', () => {
    expect(pick(['GET /{a}/b', 'GET /a/{b}'], 'GET', '/a/b')?.key).toBe('GET /a/{b}');
  });

  it('prefers a full match over a greedy one, and the longest greedy prefix', () => {
    expect(pick(['GET /{proxy+}', 'GET /items/{id}'], 'GET', '/items/1')?.key).toBe('GET /items/{id}');
    expect(pick(['ANY /{proxy+}', 'ANY /api/{proxy+}'], 'GET', '/api/x/y')).toEqual({ key: 'ANY /api/{proxy+}', params: { proxy: 'x/y' } });
  });

  it('a greedy variable needs at least one segment; a parameter a non-empty one', () => {
    expect(pick(['GET /pets/{proxy+}'], 'GET', '/pets')).toBeUndefined();
    expect(pick(['GET /pets/{id}'], 'GET', '/pets/')).toBeUndefined();
    expect(pick(['GET /pets/{id}', '$default'], 'GET', '/pets//x')?.key).toBe('$default');
  });

  it('decodes path parameters; matches case-sensitively; ignores a trailing slash', () => {
    expect(pick(['GET /items/{id}'], 'GET', '/items/a%20b%2Fc')?.params).toEqual({ id: 'a b/c' });
    expect(pick(['GET /Items'], 'GET', '/items')).toBeUndefined();
    expect(pick(['GET /items'], 'GET', '/items/')?.key).toBe('GET /items');
  });

  it('no route and no $default: nothing', () => {
    expect(pick(['GET /a'], 'POST', '/a')).toBeUndefined();
    expect(pick([], 'GET', '/')).toBeUndefined();
  });

  it('a GET route does not take HEAD or OPTIONS; ANY does', () => {
    expect(pick(['GET /a'], 'HEAD', '/a')).toBeUndefined();
    expect(pick(['ANY /a'], 'OPTIONS', '/a')?.key).toBe('ANY /a');
  });

  it('splits paths into decoded segments', () => {
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/a/b%2Fc/')).toEqual(['a', 'b/c']);
  });
});

describe('stage selection', () => {
  it('a named stage is the first segment; anything else goes to $default', () => {
    const both = new Set(['$default', 'dev']);
    expect(selectStage(both, '/dev/items')).toEqual({ stage: 'dev', path: '/items' });
    expect(selectStage(both, '/dev')).toEqual({ stage: 'dev', path: '/' });
    expect(selectStage(both, '/items')).toEqual({ stage: '$default', path: '/items' });
    expect(selectStage(both, '/')).toEqual({ stage: '$default', path: '/' });
    expect(selectStage(both, '/%24default/x')).toEqual({ stage: '$default', path: '/%24default/x' });
  });

  it('without a $default stage only named stages are served [doc: {"message":"Not Found"}]', () => {
    const dev = new Set(['dev']);
    expect(selectStage(dev, '/items')).toBeUndefined();
    expect(selectStage(dev, '/dev/items')).toEqual({ stage: 'dev', path: '/items' });
  });
});

describe('door target', () => {
  it('takes <api-id>.execute-api.localhost and /_aws/execute-api/<api-id>/<path>', () => {
    expect(doorTarget('abc123.execute-api.localhost', '/dev/x')).toEqual({ apiId: 'abc123', path: '/dev/x', pathForm: false });
    expect(doorTarget('127.0.0.1', '/_aws/execute-api/abc123/dev/x')).toEqual({ apiId: 'abc123', path: '/dev/x', pathForm: true });
    expect(doorTarget('127.0.0.1', '/_aws/execute-api/abc123')).toEqual({ apiId: 'abc123', path: '/', pathForm: true });
    expect(doorTarget('abc.lambda-url.us-east-1.localhost', '/')).toBeUndefined();
    expect(doorTarget('127.0.0.1', '/restapis/abc/dev/_user_request_/x')).toBeUndefined();
  });
});
