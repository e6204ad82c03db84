/**
 * Payload format 2.0 (frontdoors/payloads/v2.ts): the event a Function URL / HTTP API sends and how
 * a function's result becomes the HTTP response. Expected values from AWS's docs and recordings.
 */
import type { RawRequest } from '../../../src/cloud/protocols/types';
import { buildV2Event, formatRequestTime, isTextContentType, mapV2Response } from '../../../src/cloud/frontdoors/payloads/v2';

function request(o: { method?: string; path?: string; query?: string; headers?: [string, string][]; body?: Buffer | string }): RawRequest {
  const lines = o.headers ?? [];
  const headers: Record<string, string> = {};
  for (const [k, v] of lines) headers[k.toLowerCase()] = headers[k.toLowerCase()] === undefined ? v : `${headers[k.toLowerCase()]},${v}`;
  return {
    method: o.method ?? 'GET',
    path: o.path ?? '/',
    query: new URLSearchParams(o.query ?? ''),
    headers,
    body: Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body ?? ''),
    rawHeaders: lines.flat(),
    rawQuery: o.query ?? '',
    sourceIp: '10.1.2.3',
    protocol: 'HTTP/1.1',
  };
}

const base = {
  domainName: 'abc.lambda-url.us-east-1.localhost',
  domainPrefix: 'abc',
  apiId: 'abc',
  accountId: 'anonymous',
  requestId: 'req-1',
  timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
  routeKey: '$default',
  stage: '$default',
};

describe('payload format 2.0 request event', () => {
  test('keys come in the documented order and empty parts are left out', () => {
    const ev = buildV2Event({ ...base, req: request({ headers: [['Host', 'abc'], ['User-Agent', 'agent/1']] }), rawPath: '/' });
    expect(Object.keys(ev)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'isBase64Encoded']);
    expect(ev).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/', rawQueryString: '', isBase64Encoded: false });
    const rc = ev.requestContext as Record<string, unknown>;
    expect(Object.keys(rc)).toEqual(['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch']);
    expect(rc.http).toEqual({ method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '10.1.2.3', userAgent: 'agent/1' });
    expect(rc.time).toBe('12/Mar/2020:19:03:58 +0000');
    expect(rc.timeEpoch).toBe(base.timeEpoch);
  });

  test('headers are lower-cased and repeats are joined with a comma', () => {
    const ev = buildV2Event({ ...base, req: request({ headers: [['X-Multi', 'a'], ['x-multi', 'b'], ['ExTrA-HeadErs', 'With WeiRd CapS']] }), rawPath: '/' });
    expect(ev.headers).toEqual({ 'x-multi': 'a,b', 'extra-headers': 'With WeiRd CapS' });
  });

  test('cookies become an array and the cookie header is not passed on', () => {
    const ev = buildV2Event({ ...base, req: request({ headers: [['Cookie', 'a=1; b=2'], ['Cookie', 'c=3']] }), rawPath: '/' });
    expect(ev.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(ev.headers).toEqual({});
    expect(Object.keys(ev).indexOf('cookies')).toBe(Object.keys(ev).indexOf('headers') - 1);
  });

  test('the query string is kept raw and its parameters decoded, repeats comma-joined', () => {
    const ev = buildV2Event({ ...base, req: request({ query: 'q=query&multiQuery=foo&multiQuery=%2Fbar&empty' }), rawPath: '/p' });
    expect(ev.rawQueryString).toBe('q=query&multiQuery=foo&multiQuery=%2Fbar&empty');
    expect(ev.queryStringParameters).toEqual({ q: 'query', multiQuery: 'foo,/bar', empty: '' });
  });

  test('rawPath and http.path keep the percent-encoding as sent', () => {
    const ev = buildV2Event({ ...base, req: request({ path: '/pa2%Fth/1' }), rawPath: '/pa2%Fth/1' });
    expect(ev.rawPath).toBe('/pa2%Fth/1');
    expect((ev.requestContext as { http: { path: string } }).http.path).toBe('/pa2%Fth/1');
  });

  test.each([
    ['text/plain', false],
    ['application/json; charset=utf-8', false],
    ['application/xml', false],
    ['application/javascript', false],
    ['text/html', false],
    ['application/octet-stream', true],
    ['application/x-www-form-urlencoded', true],
    ['multipart/form-data; boundary=x', true],
    ['image/png', true],
    [undefined, true],
  ])('a body sent as %s is base64: %s', (type, b64) => {
    const headers: [string, string][] = type ? [['Content-Type', type]] : [];
    const ev = buildV2Event({ ...base, req: request({ method: 'POST', headers, body: 'héllo' }), rawPath: '/' });
    expect(ev.isBase64Encoded).toBe(b64);
    expect(ev.body).toBe(b64 ? Buffer.from('héllo').toString('base64') : 'héllo');
    expect(isTextContentType(type)).toBe(!b64);
  });

  test('no body: no body key, isBase64Encoded false', () => {
    const ev = buildV2Event({ ...base, req: request({ method: 'POST', headers: [['Content-Type', 'image/png']] }), rawPath: '/' });
    expect('body' in ev).toBe(false);
    expect(ev.isBase64Encoded).toBe(false);
  });

  test('authorizer, path parameters and stage variables appear when given', () => {
    const ev = buildV2Event({
      ...base,
      req: request({}),
      rawPath: '/pets/7',
      routeKey: 'GET /pets/{id}',
      pathParameters: { id: '7' },
      stageVariables: { s: 'v' },
      authorizer: { iam: { accountId: '1' } },
    });
    expect(Object.keys(ev)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'pathParameters', 'isBase64Encoded', 'stageVariables']);
    expect((ev.requestContext as Record<string, unknown>).authorizer).toEqual({ iam: { accountId: '1' } });
  });

  test('extra headers are added and dropped headers left out', () => {
    const ev = buildV2Event({
      ...base,
      req: request({ headers: [['Connection', 'keep-alive'], ['Host', 'h']] }),
      rawPath: '/',
      dropHeaders: ['connection'],
      extraHeaders: [['x-forwarded-proto', 'http']],
    });
    expect(ev.headers).toEqual({ host: 'h', 'x-forwarded-proto': 'http' });
  });

  test('formatRequestTime pads every field', () => {
    expect(formatRequestTime(Date.UTC(2021, 8, 7, 2, 5, 9))).toBe('07/Sep/2021:02:05:09 +0000');
  });
});

const map = (v: string) => mapV2Response(Buffer.from(v));
const ok = (v: string) => {
  const r = map(v);
  if ('malformed' in r) throw new Error(`malformed: ${r.malformed}`);
  return r;
};

describe('payload format 2.0 response mapping', () => {
  // [rec] TestLambdaURL::test_lambda_url_invocation[*]: status, content type and body AWS returned.
  test.each([
    ['{"hello": "world"}', '{"hello":"world"}'],
    ['["hello", 3, true]', '["hello",3,true]'],
    ['"hello"', 'hello'],
    ['3', '3'],
    ['3.1', '3.1'],
    ['true', 'true'],
  ])('valid JSON without statusCode (%s) is a 200 application/json with body %s', (payload, body) => {
    const r = ok(payload);
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({ 'content-type': 'application/json' });
    expect(r.body.toString()).toBe(body);
  });

  test('an object with statusCode and no headers is application/json [rec]', () => {
    const r = ok('{"statusCode": 200, "body": "body123"}');
    expect(r).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, multiHeaders: [], body: Buffer.from('body123') });
  });

  test('status, headers and body as the function gave them; a string statusCode works [rec]', () => {
    const r = ok(JSON.stringify({ statusCode: '418', headers: { 'Content-Type': 'text/plain', 'My-Custom-Header': 'Custom Value', 'X-N': 5 }, body: "i'm a teapot" }));
    expect(r.status).toBe(418);
    expect(r.headers).toEqual({ 'Content-Type': 'text/plain', 'My-Custom-Header': 'Custom Value', 'X-N': '5' });
    expect(r.body.toString()).toBe("i'm a teapot");
  });

  test('cookies become one set-cookie line each [doc]', () => {
    const r = ok(JSON.stringify({ statusCode: 201, cookies: ['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000'] }));
    expect(r.multiHeaders).toEqual([
      ['set-cookie', 'Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT'],
      ['set-cookie', 'Cookie_2=Value2; Max-Age=78000'],
    ]);
    expect(r.body.length).toBe(0);
  });

  test('a base64 body is decoded', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const r = ok(JSON.stringify({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(r.body.equals(bytes)).toBe(true);
    expect(r.headers).toEqual({ 'content-type': 'image/png' });
  });

  test('framing headers from the function are left to the door', () => {
    const r = ok(JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '999', 'Transfer-Encoding': 'chunked' }, body: 'x' }));
    expect(r.headers).toEqual({ 'content-type': 'application/json' });
  });

  test('the default content type can be changed or removed', () => {
    expect((mapV2Response(Buffer.from('{"statusCode":204}'), { defaultContentType: null }) as { headers: unknown }).headers).toEqual({});
    expect((mapV2Response(Buffer.from('"x"'), { defaultContentType: 'text/plain' }) as { headers: unknown }).headers).toEqual({ 'content-type': 'text/plain' });
  });

  test.each([
    ['not json', 'not valid JSON'],
    ['{"statusCode": 99}', 'statusCode'],
    ['{"statusCode": 600}', 'statusCode'],
    ['{"statusCode": "abc"}', 'statusCode'],
    ['{"statusCode": 200.5}', 'statusCode'],
    ['{"statusCode": null}', 'statusCode'],
    ['{"statusCode": 200, "headers": ["a"]}', 'headers'],
    ['{"statusCode": 200, "headers": {"a": {"b": 1}}}', 'header a'],
    ['{"statusCode": 200, "headers": {"bad name": "v"}}', 'header bad name'],
    ['{"statusCode": 200, "headers": {"a": "x\\r\\ny: z"}}', 'header a'],
    ['{"statusCode": 200, "cookies": "a=1"}', 'cookies'],
    ['{"statusCode": 200, "cookies": [1]}', 'cookies'],
    ['{"statusCode": 200, "body": {"a": 1}}', 'body'],
  ])('%s is malformed', (payload, why) => {
    const r = map(payload);
    expect('malformed' in r && r.malformed).toContain(why);
  });
});
