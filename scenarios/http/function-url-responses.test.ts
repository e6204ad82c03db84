/**
 * How a Function URL turns the function's result into the HTTP response (payload format 2.0), and
 * what it answers when the function fails. Results and answers recorded against AWS are marked [rec]
 * (LocalStack's test_lambda.snapshot.json, TestLambdaURL::*).
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { httpRequest } from '../../src/testbed/http';
import { eventually, getTestbed, unique } from '../_support/testbed';
import { allowPublicAccess, control, freshUrl, returning, unknownUrl } from './_function-url-helpers';

const tb = getTestbed();
let url: string;
let functionName: string;

beforeAll(async () => {
  const { functions } = await tb.deploy({ name: 'http-furl-responses', functions: { app: { code: 'function-url-control', timeout: 2 } } });
  functionName = functions.app.name;
  url = await freshUrl({ FunctionName: functionName, AuthType: 'NONE' });
  await allowPublicAccess(functionName);
});

describe('function URL responses', () => {
  describe('a result without statusCode is a 200 application/json with the result as the body [rec]', () => {
    it.each([
      ['an object', { hello: 'world' }, '{"hello":"world"}'],
      ['an array', ['hello', 3, true], '["hello",3,true]'],
      ['a string (its text)', 'hello', 'hello'],
      ['a number', 3.1, '3.1'],
      ['a boolean', true, 'true'],
    ])('%s', async (_what, value, body) => {
      const r = await returning(url, value);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.text).toBe(body);
    });
  });

  it('uses statusCode, headers and body as the function gives them', async () => {
    const r = await returning(url, {
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'My-Custom-Header': 'Custom Value' },
      body: JSON.stringify({ message: 'hello-world' }),
      isBase64Encoded: false,
    });
    expect(r.status).toBe(201);
    expect(r.headers['my-custom-header']).toBe('Custom Value');
    expect(r.json()).toEqual({ message: 'hello-world' });
  });

  it('accepts statusCode as a string, and answers application/json when no content type is given [rec]', async () => {
    const r = await returning(url, { statusCode: '418', body: "i'm a teapot" });
    expect([r.status, r.text, r.headers['content-type']]).toEqual([418, "i'm a teapot", 'application/json']);
  });

  it('decodes a base64 body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const r = await returning(url, { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true });
    expect(r.body.equals(bytes)).toBe(true);
  });

  it('answers an unknown URL with 403 {"Message":null} [rec]', async () => {
    const r = await httpRequest(unknownUrl(url));
    expect(r.status).toBe(403);
    expect(r.text).toBe('{"Message":null}');
    expect(r.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  describe('when the function fails', () => {
    it('answers 502 "Internal Server Error" for an unhandled error, which is in the function\'s log [rec]', async () => {
      const message = unique('url-boom');
      const r = await control(url, { action: 'throw', message });
      expect([r.status, r.text]).toEqual([502, 'Internal Server Error']);
      const logged = await eventually(
        () => tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"${message}"` })).then((o) => o.events ?? [], () => []),
        (events) => events.length > 0,
      );
      expect(logged[0].message).toContain(message);
    });

    it('answers 502 when the function times out, and the URL keeps serving', async () => {
      const r = await control(url, { action: 'hang', noProbe: true });
      expect([r.status, r.text]).toEqual([502, 'Internal Server Error']);
      expect((await returning(url, 'again')).text).toBe('again');
    });

    it('answers 502 when the function process exits', async () => {
      const r = await control(url, { action: 'exit', code: 2, noProbe: true });
      expect(r.status).toBe(502);
      expect((await returning(url, 'alive')).status).toBe(200);
    });
  });

  tb.describeIf('functionUrlFidelity')('details the free LocalStack edition leaves out', () => {
    it('sends each of the result\'s cookies as its own set-cookie line', async () => {
      const r = await returning(url, { statusCode: 200, cookies: ['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000'], body: 'ok' });
      expect(r.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000']);
    });

    it.each([
      ['a statusCode outside 100-599', { statusCode: 600 }],
      ['a body that is an object', { statusCode: 200, body: { a: 1 } }],
      ['headers that are a list', { statusCode: 200, headers: ['x'] }],
      ['a header value that is an object', { statusCode: 200, headers: { 'x-a': { b: 1 } } }],
    ])('answers 502 for a malformed response: %s', async (_what, value) => {
      const r = await returning(url, value);
      expect([r.status, r.text]).toEqual([502, 'Internal Server Error']);
    });
  });
});
