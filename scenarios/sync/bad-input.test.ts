/**
 * Bad input gets an AWS-shaped 4xx with AWS's message, the endpoint keeps serving and nothing else is affected.
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { zipFiles } from '../../src/testbed/build';
import { decode, getTestbed, payload, unique, rejection } from '../_support/testbed';

const tb = getTestbed();
const stack = () => tb.deploy({ name: 'sync-bad', functions: { echo: { code: 'echo' } } });

async function createRaw(name: string, zip: Uint8Array, extra: Record<string, unknown> = {}) {
  const { roleArn } = await stack();
  return tb.clients.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: zip }, ...extra }),
  );
}

describe('bad input to Invoke', () => {
  it('rejects a payload that is not JSON with InvalidRequestContentException', async () => {
    const { functions } = await stack();
    const err = await rejection(tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, Payload: Buffer.from('not json') })));
    expect(err).toBeInstanceOf(InvalidRequestContentException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^Could not parse request body into json/);
  });

  it('answers an unknown function with 404 and the function ARN', async () => {
    const err = await rejection(tb.clients.lambda.send(new InvokeCommand({ FunctionName: 'no-such-function-anywhere', Payload: payload({}) })));
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.message).toMatch(/^Function not found: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:no-such-function-anywhere/);
  });

  it('rejects a malformed function ARN with a ValidationException', async () => {
    const err = await rejection(
      tb.clients.lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:not-a-function', Payload: payload({}) })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('rejects a request over 6 MB with 413', async () => {
    const { functions } = await stack();
    const big = Buffer.from(JSON.stringify({ blob: 'x'.repeat(6 * 1024 * 1024) }));
    const err = await rejection(tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, Payload: big })));
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toMatch(/RequestEntityTooLargeException|RequestTooLargeException/);
  });

  it('rejects an unknown invocation type', async () => {
    const { functions } = await stack();
    const res = await fetch(`${tb.target.endpoint}/2015-03-31/functions/${functions.echo.name}/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'Sometimes', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/ValidationException|InvalidParameterValueException/);
  });
});

describe('bad input to CreateFunction', () => {
  it('rejects a file that is not a zip', async () => {
    const err = await rejection(createRaw(unique('notzip'), Buffer.from('this is not a zip file')));
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect(err.message).toBe('Could not unzip uploaded file. Please check your file, then try to upload again.');
  });

  it.each([
    ['Timeout', 0, 'timeout', 'Member must have value greater than or equal to 1'],
    ['Timeout', 901, 'timeout', 'Member must have value less than or equal to 900'],
    ['MemorySize', 64, 'memorySize', 'Member must have value greater than or equal to 128'],
    ['MemorySize', 10241, 'memorySize', 'Member must have value less than or equal to 10240'],
  ])('rejects %s %d', async (key, value, field, constraint) => {
    const zip = zipFiles({ 'index.js': 'exports.handler = async () => 1;' });
    const err = await rejection(createRaw(unique('range'), zip, { [key]: value }));
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
  });

  it('rejects an unknown runtime', async () => {
    const zip = zipFiles({ 'index.js': 'exports.handler = async () => 1;' });
    const err = await rejection(createRaw(unique('runtime'), zip, { Runtime: 'nodejs99.x' }));
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^Value nodejs99\.x at 'runtime' failed to satisfy constraint: Member must satisfy enum value set/);
  });

  it('refuses to create a function twice', async () => {
    const { functions, roleArn } = await stack();
    const zip = zipFiles({ 'index.js': 'exports.handler = async () => 1;' });
    const err = await rejection(
      tb.clients.lambda.send(new CreateFunctionCommand({ FunctionName: functions.echo.name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: zip } })),
    );
    expect(err).toBeInstanceOf(ResourceConflictException);
    expect(err.$metadata.httpStatusCode).toBe(409);
    expect(err.message).toBe(`Function already exist: ${functions.echo.name}`);
  });

  it('rejects a body that is not JSON and members of the wrong type', async () => {
    const post = (body: string) =>
      fetch(`${tb.target.endpoint}/2015-03-31/functions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"FunctionName": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBeTruthy();
    const wrongType = await post(JSON.stringify({ FunctionName: unique('types'), Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Timeout: 'three', Code: { ZipFile: '' } }));
    expect(wrongType.status).toBe(400);
  });

  it('answers an unknown path with an AWS-shaped 4xx', async () => {
    const res = await fetch(`${tb.target.endpoint}/2015-03-31/no-such-thing`, { method: 'GET' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('code that cannot run', () => {
  /** Create a function from these files, wait until it is Active and invoke it once. */
  async function invokeNew(prefix: string, files: Record<string, string>) {
    const name = unique(prefix);
    await createRaw(name, zipFiles(files));
    await waitUntilFunctionActiveV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
    return tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({}) }));
  }

  it('fails invokes of a zip without the handler module with Runtime.ImportModuleError', async () => {
    const out = await invokeNew('nohandler', { 'other.js': 'exports.x = 1;' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('Runtime.ImportModuleError');
    expect(err.errorMessage).toMatch(/Cannot find module 'index'/);
  });

  it('fails invokes of a module without the handler export with Runtime.HandlerNotFound', async () => {
    const out = await invokeNew('noexport', { 'index.js': 'exports.other = async () => 1;' });
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorType).toBe('Runtime.HandlerNotFound');
    expect(err.errorMessage).toBe('index.handler is undefined or not exported');
  });

  it('fails invokes of a module that throws while loading with the error it threw', async () => {
    const out = await invokeNew('initerror', { 'index.js': 'throw new TypeError("bad config at load");' });
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload);
    expect(err.errorMessage).toContain('bad config at load');
  });
});

describe('after bad input', () => {
  it('keeps serving: a good invoke and a control-plane call still work', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, Payload: payload({ still: 'alive' }) }));
    expect(decode(out.Payload).event).toEqual({ still: 'alive' });
    const fn = await tb.clients.lambda.send(new GetFunctionCommand({ FunctionName: functions.echo.name }));
    expect(fn.Configuration?.State).toBe('Active');
  });
});
