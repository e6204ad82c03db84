/**
 * Who may call a Function URL, and the CORS answers it gives (AWS docs "Control access to Lambda
 * function URLs" and "Cross-origin resource sharing (CORS)"); Lambda's refusals passed on. The free
 * LocalStack edition serves URLs without these checks: the suite runs where the target has them.
 */
import { AddPermissionCommand, PutFunctionConcurrencyCommand, DeleteFunctionConcurrencyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { httpRequest } from '../../src/testbed/http';
import { getTestbed } from '../_support/testbed';
import { allowPublicAccess, eventOf, freshUrl, returning, Sha256 } from './_function-url-helpers';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'http-furl-access',
    functions: { open: { code: 'function-url-control' }, iam: { code: 'function-url-control' }, cors: { code: 'function-url-control' } },
  });
const FORBIDDEN = { Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' };

tb.describeIf('functionUrlFidelity')('function URL access and CORS', () => {
  describe('AuthType NONE', () => {
    let url: string;
    let name: string;
    beforeAll(async () => {
      name = (await stack()).functions.open.name;
      for (const sid of ['FunctionURLAllowPublicAccess', 'FunctionURLInvokeAllowPublicAccess']) {
        await tb.clients.lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: sid })).catch(() => undefined);
      }
      url = await freshUrl({ FunctionName: name, AuthType: 'NONE' });
    });

    it('is refused with 403 until the resource policy allows lambda:InvokeFunctionUrl and lambda:InvokeFunction', async () => {
      const none = await httpRequest(url);
      expect([none.status, none.headers['x-amzn-errortype'], none.json()]).toEqual([403, 'AccessDeniedException', FORBIDDEN]);

      await tb.clients.lambda.send(
        new AddPermissionCommand({ FunctionName: name, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
      );
      const urlOnly = await httpRequest(url);
      expect([urlOnly.status, urlOnly.json()]).toEqual([403, FORBIDDEN]); // since October 2025

      await allowPublicAccess(name);
      const ok = await httpRequest(url);
      expect(ok.status).toBe(200);
    });

    it('passes a throttle on as 429: reserved concurrency 0 turns the URL off', async () => {
      await allowPublicAccess(name);
      await tb.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
      try {
        const r = await httpRequest(url);
        expect([r.status, r.headers['x-amzn-errortype']]).toEqual([429, 'TooManyRequestsException']);
      } finally {
        await tb.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
      }
      expect((await httpRequest(url)).status).toBe(200);
    });

    it('refuses a request over the 6 MB invocation payload limit with 413', async () => {
      await allowPublicAccess(name);
      const r = await httpRequest(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(6_300_000) });
      expect([r.status, r.headers['x-amzn-errortype']]).toEqual([413, 'RequestEntityTooLargeException']);
      expect((await httpRequest(url)).status).toBe(200);
    });
  });

  describe('AuthType AWS_IAM', () => {
    let url: string;
    beforeAll(async () => {
      url = await freshUrl({ FunctionName: (await stack()).functions.iam.name, AuthType: 'AWS_IAM' });
    });

    it('refuses an unsigned request with 403', async () => {
      const r = await httpRequest(url);
      expect([r.status, r.headers['x-amzn-errortype'], r.json()]).toEqual([403, 'AccessDeniedException', { Message: 'Forbidden' }]);
    });

    it('accepts a SigV4-signed request and tells the function who signed it', async () => {
      const credentials = await tb.clients.lambda.config.credentials();
      const u = new URL(`${url}signed?x=1`);
      const signer = new SignatureV4({ credentials, region: tb.target.region, service: 'lambda', sha256: Sha256 });
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: u.pathname, query: { x: '1' }, headers: { host: u.host } });
      const ev = eventOf(await httpRequest(u.toString(), { headers: signed.headers as Record<string, string> }));
      expect(ev.requestContext.authorizer.iam).toMatchObject({ accessKey: credentials.accessKeyId, cognitoIdentity: null, principalOrgId: null });
      expect(ev.requestContext.accountId).toBe(ev.requestContext.authorizer.iam.accountId);
      expect(ev.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    });
  });

  describe('CORS', () => {
    let url: string;
    let name: string;
    beforeAll(async () => {
      name = (await stack()).functions.cors.name;
      url = await freshUrl({
        FunctionName: name,
        AuthType: 'NONE',
        Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-result'], MaxAge: 600, AllowCredentials: true },
      });
      await allowPublicAccess(name);
    });

    it('answers a preflight itself, without invoking the function', async () => {
      const invocations = async () => (tb.has('invocations') ? (await tb.invocations({ functionName: name })).length : 0);
      const before = await invocations();
      const r = await httpRequest(url, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-custom' } });
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
      expect(r.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'x-custom',
        'access-control-allow-credentials': 'true',
        'access-control-max-age': '600',
      });
      expect(await invocations()).toBe(before);
    });

    it('gives an origin it does not allow no CORS headers', async () => {
      const r = await httpRequest(url, { method: 'OPTIONS', headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' } });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('adds its CORS headers to the function\'s response, over the function\'s own', async () => {
      const r = await httpRequest(url, {
        method: 'POST',
        headers: { Origin: 'https://app.example', 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'return', noProbe: true, value: { statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*', 'x-result': '1' }, body: 'ok' } }),
      });
      expect(r.status).toBe(200);
      expect(r.headerLines.filter(([k]) => k === 'access-control-allow-origin').map(([, v]) => v)).toEqual(['https://app.example']);
      expect(r.headers).toMatchObject({ 'access-control-expose-headers': 'x-result', 'access-control-allow-credentials': 'true', 'x-result': '1' });
    });

    it('passes an OPTIONS request that is not a preflight to the function', async () => {
      const ev = eventOf(await httpRequest(url, { method: 'OPTIONS' }));
      expect(ev.requestContext.http.method).toBe('OPTIONS');
      expect((await returning(url, 'still here')).text).toBe('still here');
    });
  });
});
