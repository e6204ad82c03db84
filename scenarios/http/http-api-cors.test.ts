/**
 * CORS answered by an HTTP API with a CorsConfiguration (AWS docs "Configuring CORS for an HTTP
 * API"): preflight requests are answered by API Gateway even without an OPTIONS route, the
 * configured headers replace the integration's on responses, and a `$default` route receives the
 * OPTIONS requests itself.
 */
import { httpRequest } from '../../src/testbed/http';
import { getTestbed } from '../_support/testbed';
import { buildApi, eventOf, functions, returning } from './_http-api-helpers';

const tb = getTestbed();
const CORS = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-token'], ExposeHeaders: ['x-id'], MaxAge: 300 };

tb.describeIf('httpApis')('HTTP API CORS', () => {
  let endpoint: string;
  let appArn: string;
  beforeAll(async () => {
    appArn = (await functions()).app.arn;
    ({ endpoint } = await buildApi({ integration: { uri: appArn }, routes: [{ RouteKey: 'GET /items' }, { RouteKey: 'POST /items' }], cors: CORS }));
  });

  const preflight = (url: string, origin = 'https://app.example') =>
    httpRequest(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('answers a preflight itself, without an OPTIONS route', async () => {
    const r = await preflight(`${endpoint}/items`);
    expect(r.status).toBe(204);
    expect(r.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,x-token',
      'access-control-max-age': '300',
    });
    expect(r.text).toBe('');
  });

  it('gives an origin it does not allow no CORS headers', async () => {
    const r = await preflight(`${endpoint}/items`, 'https://evil.example');
    expect(r.status).toBe(204);
    expect(Object.keys(r.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });

  it("replaces the function's CORS headers with the configured ones on a response", async () => {
    const r = await returning(`${endpoint}/items`, { statusCode: 200, headers: { 'access-control-allow-origin': '*', 'x-id': '1' }, body: 'ok' });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const withOrigin = await httpRequest(`${endpoint}/items`, { headers: { origin: 'https://app.example' } });
    expect(withOrigin.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-expose-headers': 'x-id' });
  });

  it('an OPTIONS request that is not a preflight, and no route, is 404', async () => {
    const r = await httpRequest(`${endpoint}/items`, { method: 'OPTIONS' });
    expect([r.status, r.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it('a $default route receives OPTIONS requests, preflights included', async () => {
    const api = await buildApi({ integration: { uri: appArn }, routes: [{ RouteKey: '$default' }], cors: CORS });
    const r = await preflight(`${api.endpoint}/anything`);
    expect(eventOf(r)).toMatchObject({ routeKey: '$default', requestContext: { http: { method: 'OPTIONS' } } });
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example');
  });
});
