/** What the load balancer answers (frontdoors/alb/response.ts): Lambda responses, pages, fixed responses, redirects. */
import {
  albPage,
  fixedResponse,
  mapLambdaResponse,
  pageBody,
  reasonPhrase,
  redirectLocation,
} from '../../../src/cloud/frontdoors/alb/response';
import type { RedirectConfig } from '../../../src/cloud/services/elbv2/types';

const map = (v: unknown, multi = false) => mapLambdaResponse(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), multi);

describe("the load balancer's own pages", () => {
  test('match AWS byte for byte: 502 is 122 bytes, 503 is 162 (CRLF line ends)', () => {
    expect(Buffer.byteLength(pageBody(502))).toBe(122);
    expect(Buffer.byteLength(pageBody(503))).toBe(162);
    expect(pageBody(502)).toBe('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n');
    const p = albPage(503);
    expect(p).toMatchObject({ status: 503, statusMessage: 'Service Temporarily Unavailable', headers: { server: 'awselb/2.0', 'content-type': 'text/html' } });
  });
});

describe('a Lambda response', () => {
  test('status, reason phrase from statusDescription, headers, body', () => {
    const r = map({ statusCode: 201, statusDescription: '201 Made', headers: { 'Content-Type': 'text/plain', 'X-N': 5 }, body: 'hi', isBase64Encoded: false })!;
    expect(r.status).toBe(201);
    expect(r.statusMessage).toBe('Made');
    expect(r.multiHeaders).toEqual([
      ['server', 'awselb/2.0'],
      ['Content-Type', 'text/plain'],
      ['X-N', '5'],
    ]);
    expect(r.body.toString()).toBe('hi');
  });

  test('without statusDescription the standard phrase; a body may be left out', () => {
    const r = map({ statusCode: 404 })!;
    expect(r.statusMessage).toBe('Not Found');
    expect(r.body.toString()).toBe('');
    expect(reasonPhrase('Teapot', 418)).toBe('Teapot');
    expect(reasonPhrase('200 bad\r\nline', 200)).toBe('OK');
  });

  test('a base64 body is decoded', () => {
    expect(map({ statusCode: 200, body: Buffer.from([0, 255]).toString('base64'), isBase64Encoded: true })!.body).toEqual(Buffer.from([0, 255]));
  });

  test('the headers member of the mode counts; the other is ignored', () => {
    const both = { statusCode: 200, headers: { 'x-single': 'a' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } };
    expect(map(both)!.multiHeaders).toEqual([
      ['server', 'awselb/2.0'],
      ['x-single', 'a'],
    ]);
    expect(map(both, true)!.multiHeaders).toEqual([
      ['server', 'awselb/2.0'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
  });

  test('hop-by-hop headers and Content-Length are dropped; a Server header of its own is kept', () => {
    const r = map({ statusCode: 200, headers: { Connection: 'close', 'Transfer-Encoding': 'chunked', 'Content-Length': '99', Server: 'mine' } })!;
    expect(r.multiHeaders).toEqual([['Server', 'mine']]);
  });

  test('malformed responses are refused (the door answers 502)', () => {
    for (const bad of [
      'not json',
      '"a string"',
      '[1,2]',
      'null',
      { body: 'no status' },
      { statusCode: 'abc' },
      { statusCode: 99 },
      { statusCode: 100 },
      { statusCode: 600 },
      { statusCode: 200, body: { an: 'object' } },
      { statusCode: 200, headers: ['x'] },
      { statusCode: 200, headers: { x: { nested: 1 } } },
      { statusCode: 200, headers: { 'bad name': 'x' } },
      { statusCode: 200, headers: { x: 'line\r\nbreak' } },
      { statusCode: 200, multiValueHeaders: { x: [{}] } },
    ]) {
      expect([bad, map(bad, typeof bad === 'object' && bad !== null && 'multiValueHeaders' in bad)]).toEqual([bad, undefined]);
    }
  });

  test('response JSON over 1 MB is refused', () => {
    expect(map({ statusCode: 200, body: 'x'.repeat(1024 * 1024) })).toBeUndefined();
    expect(map({ statusCode: 200, body: 'x'.repeat(1024 * 1024 - 100) })).toBeDefined();
  });
});

describe('fixed responses and redirects', () => {
  test('a fixed response has its status, content type (charset added) and body', () => {
    expect(fixedResponse({ StatusCode: '403', ContentType: 'application/json', MessageBody: '{"no":1}' })).toMatchObject({
      status: 403,
      statusMessage: 'Forbidden',
      headers: { server: 'awselb/2.0', 'content-type': 'application/json; charset=utf-8' },
      body: '{"no":1}',
    });
  });

  const cfg = (over: Partial<RedirectConfig>): RedirectConfig => ({ Protocol: '#{protocol}', Port: '#{port}', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301', ...over });
  const src = { protocol: 'http', host: 'lb.elb.localhost', port: '4566', path: '/old/x', query: 'a=1' };

  test('the Location keeps what the configuration does not change, with the port written', () => {
    expect(redirectLocation(cfg({ Protocol: 'HTTPS', Port: '443' }), src)).toBe('https://lb.elb.localhost:443/old/x?a=1');
    expect(redirectLocation(cfg({ Path: '/new/#{path}' }), src)).toBe('http://lb.elb.localhost:4566/new/old/x?a=1');
    expect(redirectLocation(cfg({ Host: 'example.com', Query: '' }), src)).toBe('http://example.com:4566/old/x');
    expect(redirectLocation(cfg({ Host: 'example.com', Query: 'from=#{host}&#{query}' }), src)).toBe('http://example.com:4566/old/x?from=lb.elb.localhost&a=1');
  });
});
