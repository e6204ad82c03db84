/**
 * Function URL configs through the SDK on a started cloud, with the exact shapes and errors AWS
 * recorded (LocalStack's test_lambda_api.snapshot.json, TestLambdaUrl::*), and the door's guards
 * (resource policy, SigV4, CORS) over plain HTTP.
 */
import { Sha256 } from '../../src/testbed/sha256';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionUrlConfigCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';
import { httpRequest } from '../../src/testbed/http';

let cloud: RunningCloud;
let lambda: LambdaClient;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const code = zipFiles({
  'index.js': `exports.handler = async (e) => {
    const b = e.body ? JSON.parse(e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString() : e.body) : {};
    if (b.throw) throw new Error(b.throw);
    if (b.sleep) await new Promise((r) => setTimeout(r, b.sleep));
    if ('value' in b) return b.value;
    return { event: e };
  };`,
});

async function createFunction(name: string): Promise<string> {
  const out = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: code }, Timeout: 10 }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
  return out.FunctionArn!;
}

async function allowPublic(name: string, qualifier?: string, both = true): Promise<void> {
  await lambda.send(
    new AddPermissionCommand({ FunctionName: name, Qualifier: qualifier, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
  );
  if (both) {
    await lambda.send(new AddPermissionCommand({ FunctionName: name, Qualifier: qualifier, StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
  }
}

const err = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await cloud.stop();
});

describe('function URL configs', () => {
  it('creates, gets, updates, lists and deletes a config with the fields AWS shows', async () => {
    const arn = await createFunction('cfg');
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'cfg', AuthType: 'NONE' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${cloud.port}/$`));
    expect(created).toMatchObject({ FunctionArn: arn, AuthType: 'NONE' });
    expect(created.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(created.InvokeMode).toBeUndefined();
    expect(created.Cors).toBeUndefined();

    const dup = await err(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'cfg', AuthType: 'NONE' })));
    expect(dup).toMatchObject({
      name: 'ResourceConflictException',
      message: `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    });

    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'cfg' }));
    expect(got).toMatchObject({ FunctionUrl: created.FunctionUrl, InvokeMode: 'BUFFERED', CreationTime: created.CreationTime });
    expect(got.LastModifiedTime).toBeDefined();

    const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'cfg', AuthType: 'AWS_IAM' }));
    expect(updated).toMatchObject({ AuthType: 'AWS_IAM', FunctionUrl: created.FunctionUrl });
    expect(updated.InvokeMode).toBeUndefined(); // [rec] never set: Update leaves it out
    const streamed = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'cfg', InvokeMode: 'RESPONSE_STREAM', Cors: { AllowOrigins: ['*'] } }));
    expect(streamed).toMatchObject({ InvokeMode: 'RESPONSE_STREAM', AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['*'] } });
    expect((await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'cfg' }))).InvokeMode).toBe('RESPONSE_STREAM');

    const del = await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'cfg' }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const gone = await err(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'cfg' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' });
  });

  it('keeps an alias URL apart from the function URL, lists both and pages them', async () => {
    const arn = await createFunction('aliased');
    const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: v.Version }));
    expect((await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'aliased' }))).FunctionUrlConfigs).toEqual([]);
    const plain = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'aliased', AuthType: 'NONE' }));
    const alias = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'aliased:live', Qualifier: 'live', AuthType: 'NONE' }));
    expect(alias.FunctionArn).toBe(`${arn}:live`);
    expect(alias.FunctionUrl).not.toBe(plain.FunctionUrl);

    const all = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'aliased' }));
    expect(all.FunctionUrlConfigs?.map((c) => c.FunctionArn).sort()).toEqual([arn, `${arn}:live`]);
    expect(all.FunctionUrlConfigs?.every((c) => c.InvokeMode === 'BUFFERED' && c.LastModifiedTime)).toBe(true);
    const page1 = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'aliased', MaxItems: 1 }));
    const page2 = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'aliased', MaxItems: 1, Marker: page1.NextMarker }));
    expect([...page1.FunctionUrlConfigs!, ...page2.FunctionUrlConfigs!].map((c) => c.FunctionUrl).sort()).toEqual([plain.FunctionUrl, alias.FunctionUrl].sort());
    expect(page2.NextMarker).toBeUndefined();

    // [rec] Deleting without a qualifier leaves the alias URL alone.
    await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'aliased' }));
    expect((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'aliased', Qualifier: 'live' }))).FunctionUrl).toBe(alias.FunctionUrl);

    // Deleting the alias deletes its URL; a new alias of the same name has none.
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'aliased', Name: 'live' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: v.Version }));
    expect(await err(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'aliased', Qualifier: 'live' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    const r = await httpRequest(alias.FunctionUrl!);
    expect(r.status).toBe(403);
    expect(r.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('answers bad names, qualifiers and values as AWS does', async () => {
    await createFunction('bad');
    const qualifierError = (q: string) =>
      `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`;
    const cases: [string, () => Promise<unknown>, string, string, number][] = [
      ['create, no function', () => lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'nope', AuthType: 'NONE' })), 'ResourceNotFoundException', 'Function does not exist', 404],
      ['get, no function', () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      ['delete, no function', () => lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      ['update, no function', () => lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'nope', AuthType: 'AWS_IAM' })), 'ResourceNotFoundException', 'Function does not exist', 404],
      ['list, no function', () => lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 'Function does not exist', 404],
      ['a version qualifier', () => lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'bad', Qualifier: '1', AuthType: 'NONE' })), 'ValidationException', qualifierError('1'), 400],
      ['$LATEST', () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'bad', Qualifier: '$LATEST' })), 'ValidationException', qualifierError('$LATEST'), 400],
      ['no such alias (create)', () => lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'bad', Qualifier: 'v1', AuthType: 'NONE' })), 'ResourceNotFoundException', 'Function does not exist', 404],
      ['no such alias (get)', () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'bad', Qualifier: 'v1' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      [
        'qualifiers that disagree',
        () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'bad:other', Qualifier: 'v1' })),
        'InvalidParameterValueException',
        'The derived qualifier from the function name does not match the specified qualifier.',
        400,
      ],
      [
        'an unknown InvokeMode',
        () => lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'bad', AuthType: 'NONE', InvokeMode: 'UNKNOWN' as never })),
        'ValidationException',
        "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
        400,
      ],
      [
        'a MaxAge over a day',
        () => lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'bad', AuthType: 'NONE', Cors: { MaxAge: 86401 } })),
        'ValidationException',
        "1 validation error detected: Value '86401' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400",
        400,
      ],
      ['no config yet', () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'bad' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
    ];
    for (const [what, p, name, message, status] of cases) {
      const e = await err(p());
      expect({ what, name: e?.name, message: e?.message, status: e?.$metadata.httpStatusCode }).toEqual({ what, name, message, status });
    }
  });

  it('writes the permissions a public URL needs as AWS stores them', async () => {
    await createFunction('policy');
    await allowPublic('policy');
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'policy' }))).Policy!);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Sid: 'url', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }),
      expect.objectContaining({ Sid: 'invoke', Principal: '*', Action: 'lambda:InvokeFunction', Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } }),
    ]);
  });
});

describe('the function URL door', () => {
  let url: string;
  beforeAll(async () => {
    await createFunction('door');
    url = (await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'door', AuthType: 'NONE' }))).FunctionUrl!;
  });

  it('refuses a public URL until the policy allows both InvokeFunctionUrl and InvokeFunction', async () => {
    const denied = await httpRequest(url);
    expect(denied.status).toBe(403);
    expect(denied.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(denied.json()).toEqual({ Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' });
    await allowPublic('door', undefined, false);
    expect((await httpRequest(url)).status).toBe(403);
    await lambda.send(new AddPermissionCommand({ FunctionName: 'door', StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
    const ok = await httpRequest(`${url}a/b?x=1`, { headers: [['Cookie', 'a=1; b=2']] });
    expect(ok.status).toBe(200);
    const ev = ok.json<{ event: Record<string, unknown> }>().event;
    expect(ev).toMatchObject({ rawPath: '/a/b', rawQueryString: 'x=1', cookies: ['a=1', 'b=2'], queryStringParameters: { x: '1' } });
    expect(ev.requestContext).toMatchObject({ accountId: 'anonymous', apiId: new URL(url).hostname.split('.')[0], requestId: ok.headers['x-amzn-requestid'] });
  });

  it('answers an unknown url id with 403 {"Message":null}', async () => {
    const r = await httpRequest(url.replace(/\/\/[a-z0-9]+\./, '//0123456789abcdefghijklmnopqrstuv.'));
    expect(r.status).toBe(403);
    expect(r.text).toBe('{"Message":null}');
    expect(r.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('gives 502 Internal Server Error for a function error and a malformed response', async () => {
    const thrown = await httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ throw: 'kaput' }) });
    expect([thrown.status, thrown.text]).toEqual([502, 'Internal Server Error']);
    const bad = await httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: { statusCode: 1000 } }) });
    expect([bad.status, bad.text]).toEqual([502, 'Internal Server Error']);
  });

  it('passes a throttle on as 429', async () => {
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'door', ReservedConcurrentExecutions: 0 }));
    const r = await httpRequest(url);
    expect(r.status).toBe(429);
    expect(r.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'door', ReservedConcurrentExecutions: 5 }));
  });

  it('answers a CORS preflight itself and adds the configured headers to responses', async () => {
    await lambda.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: 'door',
        Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-out'], MaxAge: 300, AllowCredentials: true },
      }),
    );
    const pre = await httpRequest(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'x-custom',
      'access-control-max-age': '300',
      'access-control-allow-credentials': 'true',
    });
    const other = await httpRequest(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const get = await httpRequest(url, { headers: { origin: 'https://app.example' } });
    expect(get.status).toBe(200);
    expect(get.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-expose-headers': 'x-out' });
  });

  it('requires a SigV4 signature for AWS_IAM and accepts a signed request', async () => {
    await createFunction('iam');
    const iamUrl = (await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'iam', AuthType: 'AWS_IAM' }))).FunctionUrl!;
    const unsigned = await httpRequest(iamUrl);
    expect(unsigned.status).toBe(403);
    expect(unsigned.json()).toEqual({ Message: 'Forbidden' });
    const u = new URL(iamUrl);
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'lambda', sha256: Sha256 });
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers: { host: u.host }, query: {} });
    const r = await httpRequest(iamUrl, { headers: signed.headers as Record<string, string> });
    expect(r.status).toBe(200);
    expect(r.json<{ event: { requestContext: Record<string, unknown> } }>().event.requestContext).toMatchObject({
      accountId: '000000000000',
      authorizer: { iam: expect.objectContaining({ accessKey: 'AKIDEXAMPLE', accountId: '000000000000' }) },
    });
  });

  it('is gone once its function is deleted', async () => {
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'iam' }));
    const list = await err(lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'iam' })));
    expect(list?.name).toBe('ResourceNotFoundException');
  });
});
