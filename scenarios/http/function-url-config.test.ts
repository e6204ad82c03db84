/**
 * Function URL configs: CreateFunctionUrlConfig, Get, Update, List and Delete, with the errors AWS
 * gives for bad input (recorded against AWS: LocalStack's test_lambda_api.snapshot.json).
 */
import {
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
  CreateAliasCommand,
} from '@aws-sdk/client-lambda';
import { eventually, getTestbed, rejection } from '../_support/testbed';
import { freshUrl } from './_function-url-helpers';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'http-furl-config',
    functions: { app: { code: 'function-url-control', publish: true, aliases: { live: { version: '1' } } } },
  });

const URL_RE = /^https?:\/\/[a-z0-9]{32}\.lambda-url\.[a-z0-9-]+\.[^/]+\/$/;

describe('function URL configuration', () => {
  it('creates a URL with 201, then gets, updates and deletes it', async () => {
    const { functions } = await stack();
    const app = functions.app;
    await tb.clients.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: app.name })).catch(() => undefined);
    const created = await tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: app.name, AuthType: 'NONE' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(URL_RE);
    expect(created).toMatchObject({ FunctionArn: app.arn, AuthType: 'NONE' });
    expect(created.CreationTime).toBeDefined();

    const dup = await rejection(tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: app.name, AuthType: 'NONE' })));
    expect(dup.name).toBe('ResourceConflictException');
    expect(dup.$metadata.httpStatusCode).toBe(409);
    expect(dup.message).toBe(`Failed to create function url config for [functionArn = ${app.arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`);

    const got = await tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: app.name }));
    expect(got).toMatchObject({ FunctionUrl: created.FunctionUrl, FunctionArn: app.arn, AuthType: 'NONE', InvokeMode: 'BUFFERED' });
    expect(got.LastModifiedTime).toBeDefined();

    const updated = await tb.clients.lambda.send(
      new UpdateFunctionUrlConfigCommand({ FunctionName: app.name, AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['https://example.com'], MaxAge: 300 } }),
    );
    expect(updated).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['https://example.com'], MaxAge: 300 } });

    const deleted = await tb.clients.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: app.name }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await rejection(tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: app.name })));
    expect([gone.name, gone.message, gone.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 'The resource you requested does not exist.', 404]);
  });

  it('gives an alias its own URL, lists both, and removes the alias URL with the alias', async () => {
    const { functions } = await stack();
    const app = functions.app;
    const plain = await freshUrl({ FunctionName: app.name, AuthType: 'NONE' });
    const aliased = await freshUrl({ FunctionName: app.name, Qualifier: 'live', AuthType: 'NONE', InvokeMode: 'BUFFERED' });
    expect(aliased).not.toBe(plain);
    expect((await tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: app.name, Qualifier: 'live' }))).FunctionArn).toBe(`${app.arn}:live`);

    const list = await tb.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: app.name }));
    expect(list.FunctionUrlConfigs?.map((c) => c.FunctionUrl).sort()).toEqual([plain, aliased].sort());
    const first = await tb.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: app.name, MaxItems: 1 }));
    const second = await tb.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: app.name, MaxItems: 1, Marker: first.NextMarker }));
    expect(first.FunctionUrlConfigs).toHaveLength(1);
    expect(second.FunctionUrlConfigs?.[0].FunctionUrl).not.toBe(first.FunctionUrlConfigs?.[0].FunctionUrl);

    // Deleting the function's URL leaves the alias URL [rec].
    await tb.clients.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: app.name }));
    expect((await tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: app.name, Qualifier: 'live' }))).FunctionUrl).toBe(aliased);

    // Deleting the alias deletes its URL (AWS does it shortly after) [rec].
    await tb.clients.lambda.send(new DeleteAliasCommand({ FunctionName: app.name, Name: 'live' }));
    await eventually(
      () => tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: app.name, Qualifier: 'live' })).then(() => 'present', (e) => e.name as string),
      (v) => v === 'ResourceNotFoundException',
    );
    await tb.clients.lambda.send(new CreateAliasCommand({ FunctionName: app.name, Name: 'live', FunctionVersion: '1' }));
  });

  describe('bad input', () => {
    const qualifierProblem = (q: string) =>
      `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`;

    it('refuses a version or $LATEST as the qualifier: only an alias may have its own URL', async () => {
      const { functions } = await stack();
      for (const q of ['1', '$LATEST']) {
        const e = await rejection(tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: functions.app.name, Qualifier: q, AuthType: 'NONE' })));
        expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['ValidationException', qualifierProblem(q), 400]);
      }
    });

    it('answers a missing function or alias with 404', async () => {
      const { functions } = await stack();
      const cases: [() => Promise<unknown>, string][] = [
        [() => tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'http-furl-none', AuthType: 'NONE' })), 'Function does not exist'],
        [() => tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: functions.app.name, Qualifier: 'nosuch', AuthType: 'NONE' })), 'Function does not exist'],
        [() => tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'http-furl-none' })), 'The resource you requested does not exist.'],
        [() => tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: functions.app.name, Qualifier: 'nosuch' })), 'The resource you requested does not exist.'],
        [() => tb.clients.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: functions.app.name, Qualifier: 'nosuch', AuthType: 'NONE' })), 'Function does not exist'],
        [() => tb.clients.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'http-furl-none' })), 'The resource you requested does not exist.'],
        [() => tb.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'http-furl-none' })), 'Function does not exist'],
      ];
      for (const [call, message] of cases) {
        const e = await rejection(call());
        expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', message, 404]);
      }
    });

    it('refuses a name whose qualifier disagrees with Qualifier', async () => {
      const { functions } = await stack();
      const e = await rejection(tb.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: `${functions.app.name}:live-x`, Qualifier: 'live' })));
      expect([e.name, e.message]).toEqual(['InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.']);
    });

    it('refuses an unknown InvokeMode', async () => {
      const { functions } = await stack();
      const e = await rejection(tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: functions.app.name, AuthType: 'NONE', InvokeMode: 'UNKNOWN' as never })));
      expect([e.name, e.message]).toEqual([
        'ValidationException',
        "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
      ]);
    });
  });
});
