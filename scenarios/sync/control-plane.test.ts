/**
 * The Lambda control plane as the SDK sees it: states, revisions, CodeSha256, paging, tags, policies, settings.
 */
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { buildFunction, zipFiles } from '../../src/testbed/build';
import { decode, getTestbed, unique } from '../_support/testbed';

const tb = getTestbed();
const stack = () => tb.deploy({ name: 'sync-control', functions: { echo: { code: 'echo' } } });

describe('function lifecycle', () => {
  it('creates Pending, becomes Active, updates InProgress then Successful, and deletes', async () => {
    const { roleArn } = await stack();
    const name = unique('lifecycle');
    const echo = await buildFunction('echo');
    const lambda = tb.clients.lambda;
    const created = await lambda.send(
      new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: echo.zip }, Tags: { team: 'core' } }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toEqual(
      expect.objectContaining({
        FunctionName: name,
        FunctionArn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${tb.target.region}:\\d{12}:function:${name}$`)),
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Timeout: 3,
        MemorySize: 128,
        Version: '$LATEST',
        State: 'Pending',
        StateReasonCode: 'Creating',
        CodeSha256: echo.codeSha256,
        CodeSize: echo.size,
        PackageType: 'Zip',
        Architectures: ['x86_64'],
        TracingConfig: { Mode: 'PassThrough' },
        EphemeralStorage: { Size: 512 },
      }),
    );
    expect(created.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);

    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(got.Configuration).toEqual(expect.objectContaining({ State: 'Active', LastUpdateStatus: 'Successful' }));
    expect(got.Tags).toEqual(expect.objectContaining({ team: 'core' }));
    expect(got.Code?.RepositoryType).toBe('S3');

    const control = await buildFunction('control');
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: control.zip }));
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(updated.CodeSha256).toBe(control.codeSha256);
    expect(updated.RevisionId).not.toBe(got.Configuration?.RevisionId);
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(after.LastUpdateStatus).toBe('Successful');
    // The new code runs.
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"action":"return","value":"new code"}') }));
    expect(decode(out.Payload)).toBe('new code');

    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await lambda.send(new GetFunctionCommand({ FunctionName: name })).catch((e) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toMatch(new RegExp(`^Function not found: arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:${name}$`));
  });

  tb.itIf('config')('refuses to invoke a function that is still Pending with 409', async () => {
    const { roleArn } = await stack();
    const name = unique('pending');
    // Only this function stays Pending: other suites run in parallel against the same cloud.
    const setTransition = (ms: number | null) =>
      fetch(`${tb.target.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify({ functionStateTransitionMs: { [name]: ms } }) }).then((r) => r.json());
    await setTransition(60_000);
    try {
      await tb.clients.lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler=async()=>1' }) } }),
      );
      const err = await tb.clients.lambdaNoRetry.send(new InvokeCommand({ FunctionName: name })).catch((e) => e);
      expect(err).toBeInstanceOf(ResourceConflictException);
      expect(err.$metadata.httpStatusCode).toBe(409);
      expect(err.message).toBe('The operation cannot be performed at this time. The function is currently in the following state: Pending');
    } finally {
      await setTransition(null);
    }
  });
});

describe('listing, tags, policies and settings', () => {
  it('pages ListFunctions with MaxItems and Marker', async () => {
    await stack();
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await tb.clients.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      expect((page.Functions ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
      marker = page.NextMarker;
      pages++;
    } while (marker && pages < 1000);
    const { functions } = await stack();
    expect(seen).toContain(functions.echo.name);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('tags and untags a function by ARN', async () => {
    const { functions } = await stack();
    const arn = functions.echo.arn;
    await tb.clients.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { env: 'test', owner: 'me' } }));
    expect((await tb.clients.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual(expect.objectContaining({ env: 'test', owner: 'me' }));
    await tb.clients.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['owner'] }));
    const tags = (await tb.clients.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags ?? {};
    expect(tags.owner).toBeUndefined();
    expect(tags.env).toBe('test');
  });

  it('stores resource policy statements', async () => {
    const { functions } = await stack();
    const sid = unique('sid').replace(/-/g, '');
    const added = await tb.clients.lambda.send(
      new AddPermissionCommand({ FunctionName: functions.echo.name, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:us-east-1:000000000000:topic' }),
    );
    expect(JSON.parse(added.Statement!)).toEqual(
      expect.objectContaining({ Sid: sid, Effect: 'Allow', Action: 'lambda:InvokeFunction', Principal: { Service: 'sns.amazonaws.com' }, Resource: functions.echo.arn }),
    );
    const dup = await tb.clients.lambda
      .send(new AddPermissionCommand({ FunctionName: functions.echo.name, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }))
      .catch((e) => e);
    expect(dup).toBeInstanceOf(ResourceConflictException);
    const policy = JSON.parse((await tb.clients.lambda.send(new GetPolicyCommand({ FunctionName: functions.echo.name }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toContain(sid);
    await tb.clients.lambda.send(new RemovePermissionCommand({ FunctionName: functions.echo.name, StatementId: sid }));
    const missing = await tb.clients.lambda.send(new RemovePermissionCommand({ FunctionName: functions.echo.name, StatementId: sid })).catch((e) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports account settings with the 1000 concurrency limit', async () => {
    const settings = await tb.clients.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.ConcurrentExecutions).toBe(1000);
    expect(settings.AccountLimit?.UnreservedConcurrentExecutions).toBeLessThanOrEqual(1000);
    expect(settings.AccountUsage?.FunctionCount).toBeGreaterThanOrEqual(1);
  });
});
