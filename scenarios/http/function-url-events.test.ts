/**
 * The payload format 2.0 event a Function URL sends its function, request by request over plain
 * HTTP (AWS docs "Lambda function URL invocation payloads"; AWS-recorded details noted [rec]).
 */
import { httpRequest } from '../../src/testbed/http';
import { getTestbed } from '../_support/testbed';
import { allowPublicAccess, eventOf, freshUrl } from './_function-url-helpers';

const tb = getTestbed();
let url: string;

beforeAll(async () => {
  const { functions } = await tb.deploy({ name: 'http-furl-events', functions: { app: { code: 'function-url-control' } } });
  url = await freshUrl({ FunctionName: functions.app.name, AuthType: 'NONE' });
  await allowPublicAccess(functions.app.name);
});

describe('the function URL event (payload format 2.0)', () => {
  it('carries the path and query as sent, and the HTTP details in requestContext', async () => {
    const ev = eventOf(await httpRequest(`${url}custom_path/extend?test_param=test_value&multi=a&multi=%2Fb`, { headers: { 'User-Agent': 'scenario/1' } }));
    expect(ev).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/custom_path/extend',
      rawQueryString: 'test_param=test_value&multi=a&multi=%2Fb',
      // Repeated parameters are joined with a comma, and decoded.
      queryStringParameters: { test_param: 'test_value', multi: 'a,/b' },
      isBase64Encoded: false,
    });
    expect(ev.body).toBeUndefined();
    const host = new URL(url).hostname;
    expect(ev.requestContext).toMatchObject({
      apiId: host.split('.')[0],
      domainName: host,
      domainPrefix: host.split('.')[0],
      routeKey: '$default',
      stage: '$default',
      http: { method: 'GET', path: '/custom_path/extend', protocol: 'HTTP/1.1', userAgent: 'scenario/1' },
    });
    expect(ev.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(typeof ev.requestContext.timeEpoch).toBe('number');
  });

  it('lower-cases header names and keeps their values', async () => {
    const ev = eventOf(await httpRequest(url, { headers: { 'ExTrA-HeadErs': 'With WeiRd CapS' } }));
    expect(ev.headers['extra-headers']).toBe('With WeiRd CapS');
    expect(Object.keys(ev.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('passes a text body as it is', async () => {
    const ev = eventOf(await httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'text' }));
    expect(ev).toMatchObject({ body: 'text', isBase64Encoded: false });
    expect(ev.requestContext.http.method).toBe('POST');
  });

  it('passes a JSON body as text', async () => {
    const ev = eventOf(await httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"foo":"bar"}' }));
    expect(ev).toMatchObject({ body: '{"foo":"bar"}', isBase64Encoded: false });
  });

  it('base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
    const ev = eventOf(await httpRequest(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes }));
    expect(ev.isBase64Encoded).toBe(true);
    expect(Buffer.from(ev.body, 'base64').equals(bytes)).toBe(true);
  });

  it('base64-encodes a multipart form body [rec]', async () => {
    const body = Buffer.from('\r\n--b0\r\nContent-Disposition: form-data; name="f"\r\n\r\nnot a file, just a field\r\n--b0--\r\n');
    const ev = eventOf(await httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=b0' }, body }));
    expect(ev.isBase64Encoded).toBe(true);
    expect(Buffer.from(ev.body, 'base64').equals(body)).toBe(true);
  });

  tb.describeIf('functionUrlFidelity')('details the free LocalStack edition leaves out', () => {
    it('joins repeated headers with a comma', async () => {
      const ev = eventOf(await httpRequest(url, { headers: [['X-Multi', 'one'], ['X-Multi', 'two']] }));
      expect(ev.headers['x-multi']).toBe('one,two');
    });

    it('gives the cookies as an array, without a cookie header', async () => {
      const ev = eventOf(await httpRequest(url, { headers: [['Cookie', 'a=1; b=2'], ['Cookie', 'c=3']] }));
      expect(ev.cookies).toEqual(['a=1', 'b=2', 'c=3']);
      expect(ev.headers.cookie).toBeUndefined();
    });

    it('names the caller "anonymous", the invocation by the response\'s x-amzn-RequestId, and adds forwarding headers', async () => {
      const r = await httpRequest(url);
      const ev = eventOf(r);
      expect(ev.requestContext.accountId).toBe('anonymous');
      expect(ev.requestContext.requestId).toBe(r.headers['x-amzn-requestid']);
      expect(ev.requestContext.http.sourceIp).toBe('127.0.0.1');
      expect(ev.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': new URL(url).port });
      expect(ev.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(ev.headers.connection).toBeUndefined();
    });

    it('treats a form-urlencoded body as binary', async () => {
      const ev = eventOf(await httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' }));
      expect(ev).toMatchObject({ isBase64Encoded: true, body: Buffer.from('a=1&b=2').toString('base64') });
    });
  });
});
