/** The Function URL door's pure rules: who may call (access.ts) and CORS (cors.ts). */
import { allowsPublicUrl, checkAccess, isSigned } from '../../../src/cloud/frontdoors/function-url/access';
import { allowedOrigin, isPreflight, overlay, preflightHeaders, responseHeaders } from '../../../src/cloud/frontdoors/function-url/cors';
import type { PolicyStatement } from '../../../src/cloud/lambda/model';
import type { RawRequest } from '../../../src/cloud/protocols/types';

const urlStatement: PolicyStatement = {
  Sid: 'url',
  Effect: 'Allow',
  Principal: '*',
  Action: 'lambda:InvokeFunctionUrl',
  Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
};
const invokeStatement: PolicyStatement = {
  Sid: 'invoke',
  Effect: 'Allow',
  Principal: '*',
  Action: 'lambda:InvokeFunction',
  Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
};

function req(headers: Record<string, string> = {}, query = ''): RawRequest {
  return { method: 'GET', path: '/', query: new URLSearchParams(query), headers, body: Buffer.alloc(0) };
}

describe('who may call a function URL', () => {
  test('AuthType NONE needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction (Oct 2025)', () => {
    expect(allowsPublicUrl(undefined)).toBe(false);
    expect(allowsPublicUrl([urlStatement])).toBe(false);
    expect(allowsPublicUrl([invokeStatement])).toBe(false);
    expect(allowsPublicUrl([urlStatement, invokeStatement])).toBe(true);
    // An unconditioned public InvokeFunction works too; lambda:* covers both actions.
    expect(allowsPublicUrl([urlStatement, { ...invokeStatement, Condition: undefined }])).toBe(true);
    expect(allowsPublicUrl([{ ...urlStatement, Action: 'lambda:*', Condition: undefined }])).toBe(true);
  });

  test('a statement for AWS_IAM URLs, another principal or a service condition does not open a NONE URL', () => {
    const iamOnly = { ...urlStatement, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } };
    expect(allowsPublicUrl([iamOnly, invokeStatement])).toBe(false);
    expect(allowsPublicUrl([urlStatement, { ...invokeStatement, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }])).toBe(false);
    expect(allowsPublicUrl([urlStatement, { ...invokeStatement, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:*' } } }])).toBe(false);
    expect(allowsPublicUrl([{ ...urlStatement, Principal: { AWS: '*' } }, invokeStatement])).toBe(true);
  });

  test('NONE callers are "anonymous"; an AWS_IAM caller must sign', () => {
    expect(checkAccess('NONE', [urlStatement, invokeStatement], req(), '000000000000')).toEqual({ ok: true, accountId: 'anonymous' });
    expect(checkAccess('NONE', [urlStatement], req(), '000000000000')).toMatchObject({ ok: false, message: expect.stringMatching(/^Forbidden\. For troubleshooting/) });
    expect(checkAccess('AWS_IAM', [], req(), '000000000000')).toEqual({ ok: false, message: 'Forbidden' });
    const signed = req({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc' });
    expect(checkAccess('AWS_IAM', [], signed, '000000000000')).toMatchObject({
      ok: true,
      accountId: '000000000000',
      authorizer: { iam: { accessKey: 'AKID', accountId: '000000000000', cognitoIdentity: null, principalOrgId: null, userArn: 'arn:aws:iam::000000000000:root' } },
    });
  });

  test('a signature is a SigV4 Authorization header or a presigned query', () => {
    expect(isSigned(req({ authorization: 'Bearer x' }))).toBe(false);
    expect(isSigned(req({ authorization: 'AWS4-HMAC-SHA256 Signature=abc' }))).toBe(false);
    expect(isSigned(req({}, 'X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Signature=abc'))).toBe(true);
  });
});

describe('a function URL answering CORS', () => {
  const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-a', 'x-b'], ExposeHeaders: ['x-out'], MaxAge: 60 };

  test('origins match exactly (case-insensitive) or by *', () => {
    expect(allowedOrigin(cors, 'https://app.example')).toBe('https://app.example');
    expect(allowedOrigin(cors, 'HTTPS://APP.EXAMPLE')).toBe('HTTPS://APP.EXAMPLE');
    expect(allowedOrigin(cors, 'https://other.example')).toBeUndefined();
    expect(allowedOrigin(cors, undefined)).toBeUndefined();
    expect(allowedOrigin({ AllowOrigins: ['*'] }, 'https://x')).toBe('*');
    expect(allowedOrigin({ AllowOrigins: ['*'], AllowCredentials: true }, 'https://x')).toBe('https://x');
  });

  test('a preflight is OPTIONS with Origin and Access-Control-Request-Method', () => {
    expect(isPreflight('OPTIONS', { origin: 'o', 'access-control-request-method': 'GET' })).toBe(true);
    expect(isPreflight('OPTIONS', { origin: 'o' })).toBe(false);
    expect(isPreflight('GET', { origin: 'o', 'access-control-request-method': 'GET' })).toBe(false);
  });

  test('the preflight answer carries the configuration for an allowed origin and method only', () => {
    expect(preflightHeaders(cors, { origin: 'https://app.example', 'access-control-request-method': 'post' })).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'x-a,x-b',
      'access-control-max-age': '60',
    });
    expect(preflightHeaders(cors, { origin: 'https://app.example', 'access-control-request-method': 'DELETE' })).toEqual({});
    expect(preflightHeaders(cors, { origin: 'https://evil.example', 'access-control-request-method': 'GET' })).toEqual({});
    expect(preflightHeaders({ AllowOrigins: ['*'], AllowMethods: ['*'] }, { origin: 'https://x', 'access-control-request-method': 'PATCH' })).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
    });
  });

  test('responses get allow-origin, credentials and expose-headers, overriding the function’s own', () => {
    const added = responseHeaders({ ...cors, AllowCredentials: true }, { origin: 'https://app.example' });
    expect(added).toEqual({ 'access-control-allow-origin': 'https://app.example', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-out' });
    expect(overlay({ 'Access-Control-Allow-Origin': '*', 'X-Mine': '1' }, added)).toEqual({ 'X-Mine': '1', ...added });
    expect(overlay({ 'Access-Control-Allow-Origin': '*' }, {})).toEqual({ 'Access-Control-Allow-Origin': '*' });
    expect(responseHeaders(cors, {})).toEqual({});
  });
});
