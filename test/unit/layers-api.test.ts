/**
 * The layer API against the embedded cloud with the AWS SDK: shapes, texts and order of checks as
 * the AWS recordings show them (LocalStack's TestLambdaLayer snapshots).
 */
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  ListLayersCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

jest.setTimeout(60000);

const ROLE = 'arn:aws:iam::000000000000:role/r';
const LAYER_ZIP = zipFiles({ 'python/util.py': 'X = 1\n' });
const FN_ZIP = zipFiles({ 'index.js': 'exports.handler = async () => 1;' });

let cloud: RunningCloud;
let lambda: LambdaClient;
let other: LambdaClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  const cfg = { endpoint: cloud.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 };
  lambda = new LambdaClient({ ...cfg, region: 'us-east-1' });
  other = new LambdaClient({ ...cfg, region: 'eu-west-1' });
});
afterAll(async () => {
  lambda.destroy();
  other.destroy();
  await cloud.stop();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected a failure');
}

const publish = (name: string, extra: Record<string, unknown> = {}) =>
  lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: LAYER_ZIP }, ...extra }));

describe('layer versions', () => {
  test('publish, get, get by ARN, list (newest first), delete; numbers keep counting', async () => {
    const p1 = await publish('life', { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['x86_64'], Description: 'd', LicenseInfo: 'MIT' });
    expect(p1.$metadata.httpStatusCode).toBe(201);
    expect(p1).toEqual(
      expect.objectContaining({
        LayerArn: 'arn:aws:lambda:us-east-1:000000000000:layer:life',
        LayerVersionArn: 'arn:aws:lambda:us-east-1:000000000000:layer:life:1',
        Version: 1,
        Description: 'd',
        LicenseInfo: 'MIT',
        CompatibleRuntimes: ['python3.12'],
        CompatibleArchitectures: ['x86_64'],
        CreatedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
      }),
    );
    expect(p1.Content).toEqual({ Location: expect.stringContaining('/_testbed/layers/us-east-1/life/1.zip'), CodeSha256: expect.any(String), CodeSize: LAYER_ZIP.length });
    const p2 = await publish('life', { CompatibleRuntimes: ['python3.12'] });
    expect(p2.Version).toBe(2);
    expect(p2.Content!.CodeSha256).toBe(p1.Content!.CodeSha256);

    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'life', VersionNumber: 1 }));
    expect(got.LayerVersionArn).toBe(p1.LayerVersionArn);
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: p1.LayerVersionArn }));
    expect(byArn.Version).toBe(1);
    const byName = await lambda.send(new GetLayerVersionCommand({ LayerName: p1.LayerArn, VersionNumber: 2 }));
    expect(byName.Version).toBe(2);

    const list = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'life' }));
    expect(list.LayerVersions!.map((v) => v.Version)).toEqual([2, 1]);
    expect(Object.keys(list.LayerVersions![1]).sort()).toEqual(
      ['CompatibleArchitectures', 'CompatibleRuntimes', 'CreatedDate', 'Description', 'LayerVersionArn', 'LicenseInfo', 'Version'].sort(),
    );

    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'life', VersionNumber: 1 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'life', VersionNumber: 2 }));
    expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'life' }))).LayerVersions).toEqual([]);
    expect((await publish('life')).Version).toBe(3);
  });

  test('a version published without runtimes or architectures leaves both members out', async () => {
    const p = await publish('bare');
    expect(p.CompatibleRuntimes).toBeUndefined();
    expect(p.CompatibleArchitectures).toBeUndefined();
    expect(p.LicenseInfo).toBeUndefined();
    expect(p.Description).toBe('');
    const empty = await publish('bare', { CompatibleRuntimes: [], CompatibleArchitectures: [] });
    expect(empty.CompatibleRuntimes).toEqual([]);
    expect(empty.CompatibleArchitectures).toEqual([]);
  });

  test('ListLayers: latest matching version per layer, filters by runtime and architecture', async () => {
    await publish('filter-a', { CompatibleRuntimes: ['nodejs20.x'], CompatibleArchitectures: ['arm64'] });
    await publish('filter-a', { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['x86_64'] });
    const all = await lambda.send(new ListLayersCommand({}));
    const a = all.Layers!.find((l) => l.LayerName === 'filter-a')!;
    expect(a.LayerArn).toBe('arn:aws:lambda:us-east-1:000000000000:layer:filter-a');
    expect(a.LatestMatchingVersion!.Version).toBe(2);
    const node = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }));
    expect(node.Layers!.find((l) => l.LayerName === 'filter-a')!.LatestMatchingVersion!.Version).toBe(1);
    const arm = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'filter-a', CompatibleArchitecture: 'arm64' }));
    expect(arm.LayerVersions!.map((v) => v.Version)).toEqual([1]);
    const none = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'java21' }));
    expect(none.Layers!.find((l) => l.LayerName === 'filter-a')).toBeUndefined();
  });

  test('bad input: AWS texts and status codes', async () => {
    await publish('errs');
    expect(await failure(lambda.send(new ListLayersCommand({ CompatibleRuntime: 'runtimedoesnotexist' as never })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: expect.stringMatching(/^1 validation error detected: Value 'runtimedoesnotexist' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: \[ruby3\.5, ruby2\.6, /),
    });
    expect((await failure(lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'archdoesnotexist' as never })))).message).toBe(
      "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]",
    );
    expect(await failure(lambda.send(new GetLayerVersionCommand({ LayerName: 'nope', VersionNumber: 1 })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'The resource you requested does not exist.',
    });
    for (const v of [0, -1]) {
      expect(await failure(lambda.send(new GetLayerVersionCommand({ LayerName: 'errs', VersionNumber: v })))).toEqual({
        name: 'InvalidParameterValueException',
        status: 400,
        message: 'Layer Version Cannot be less than 1',
      });
    }
    expect((await failure(lambda.send(new GetLayerVersionCommand({ LayerName: 'errs', VersionNumber: 2 })))).name).toBe('ResourceNotFoundException');
    expect((await failure(lambda.send(new GetLayerVersionByArnCommand({ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:errs' })))).message).toBe(
      "1 validation error detected: Value 'arn:aws:lambda:us-east-1:000000000000:layer:errs' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)",
    );
    expect((await failure(lambda.send(new GetLayerVersionByArnCommand({ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:errs:2' })))).status).toBe(404);
    // Deleting what does not exist succeeds.
    expect((await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'nope', VersionNumber: 1 }))).$metadata.httpStatusCode).toBe(204);
    expect((await failure(lambda.send(new DeleteLayerVersionCommand({ LayerName: 'errs', VersionNumber: -1 })))).message).toBe('Layer Version Cannot be less than 1');
    expect((await failure(publish('errs-2', { CompatibleRuntimes: ['invalidruntime', 'nodejs20.x'], CompatibleArchitectures: ['invalidarch', 'x86_64'] }))).message).toBe(
      "2 validation errors detected: Value '[invalidruntime, nodejs20.x]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2]; Value '[invalidarch, x86_64]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    );
    expect(await failure(lambda.send(new PublishLayerVersionCommand({ LayerName: 'errs-3', Content: { ZipFile: Buffer.from('not a zip') } })))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
    });
    // Deprecated runtimes are fine as layer metadata.
    expect((await publish('errs-4', { CompatibleRuntimes: ['python3.7', 'go1.x'] })).CompatibleRuntimes).toEqual(['python3.7', 'go1.x']);
  });
});

describe('layer version permissions', () => {
  test('add, get (policy document), remove, with RevisionId checks and AWS texts', async () => {
    const p = await publish('perm');
    expect(await failure(lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'perm', VersionNumber: 1 })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'No policy is associated with the given resource.',
    });
    const add = await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    expect(add.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(add.Statement!)).toEqual({ Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: p.LayerVersionArn });
    const got = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'perm', VersionNumber: 1 }));
    expect(got.RevisionId).toBe(add.RevisionId);
    expect(JSON.parse(got.Policy!)).toEqual({ Version: '2012-10-17', Id: 'default', Statement: [JSON.parse(add.Statement!)] });

    const acct = await lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's2', Action: 'lambda:GetLayerVersion', Principal: '123456789012', RevisionId: add.RevisionId }),
    );
    expect(JSON.parse(acct.Statement!).Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });

    expect((await failure(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's3', Action: '*', Principal: '*' })))).message).toBe(
      "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion",
    );
    expect(await failure(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' })))).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: 'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    const wrong = await failure(
      lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's4', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: 'wrong' })),
    );
    expect(wrong).toEqual({
      name: 'PreconditionFailedException',
      status: 412,
      message: 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    });
    expect(await failure(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'perm-nope', VersionNumber: 1, StatementId: 'x', Action: 'lambda:GetLayerVersion', Principal: '*' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'Layer version arn:aws:lambda:us-east-1:000000000000:layer:perm-nope:1 does not exist.',
    });
    expect((await failure(lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'perm', VersionNumber: 2 })))).message).toBe(
      'Layer version arn:aws:lambda:us-east-1:000000000000:layer:perm:2 does not exist.',
    );
    expect((await failure(lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 'nope' })))).message).toBe(
      'Statement nope is not found in resource policy.',
    );
    expect((await failure(lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's1', RevisionId: 'wrong' })))).status).toBe(412);
    const removed = await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'perm', VersionNumber: 1, StatementId: 's2' }));
    expect(removed.$metadata.httpStatusCode).toBe(204);
    const after = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'perm', VersionNumber: 1 }));
    expect(JSON.parse(after.Policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['s1']);
    expect(after.RevisionId).not.toBe(acct.RevisionId);
  });
});

describe('Layers on functions', () => {
  test('Create and Update set Layers [{Arn, CodeSize}]; deleting the layer version leaves the function as it is', async () => {
    const l = await publish('fn-layer');
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'with-layer', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: FN_ZIP }, Layers: [l.LayerVersionArn!] }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 }, { FunctionName: 'with-layer' });
    let cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-layer' }));
    expect(cfg.Layers).toEqual([{ Arn: l.LayerVersionArn, CodeSize: LAYER_ZIP.length }]);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'fn-layer', VersionNumber: 1 }));
    cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-layer' }));
    expect(cfg.Layers).toEqual([{ Arn: l.LayerVersionArn, CodeSize: LAYER_ZIP.length }]);
    const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-layer', Layers: [] }));
    expect(updated.Layers).toBeUndefined();
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 }, { FunctionName: 'with-layer' });
  });

  test('bad Layers: model pattern first, then more than 5, region, two versions of one layer, missing versions', async () => {
    const one = await publish('multi');
    const two = await publish('multi');
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'layer-errs', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: FN_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 }, { FunctionName: 'layer-errs' });
    const update = (Layers: string[]) => failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layer-errs', Layers })));
    expect(await update([one.LayerArn!])).toEqual({
      name: 'ValidationException',
      status: 400,
      message: expect.stringMatching(/^1 validation error detected: Value '\[arn:aws:lambda:us-east-1:000000000000:layer:multi\]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: \[Member must have length less than or equal to 2048, /),
    });
    expect(await update([one.LayerVersionArn!, two.LayerVersionArn!])).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `Two different versions of the same layer are not allowed to be referenced in the same function. ${one.LayerVersionArn} and ${two.LayerVersionArn} are versions of the same layer.`,
    });
    expect((await update([`${one.LayerArn}:9`])).message).toBe(`Layer version ${one.LayerArn}:9 does not exist.`);
    expect((await update(['arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1'])).message).toBe(
      'Layer version arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1 does not exist.',
    );
    const remote = await other.send(new PublishLayerVersionCommand({ LayerName: 'multi', Content: { ZipFile: LAYER_ZIP } }));
    expect(await update([remote.LayerVersionArn!])).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.',
    });
    const six = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => publish(`six-${n}`)));
    expect(
      await failure(
        lambda.send(new CreateFunctionCommand({ FunctionName: 'six', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: FN_ZIP }, Layers: six.map((s) => s.LayerVersionArn!) })),
      ),
    ).toEqual({ name: 'InvalidParameterValueException', status: 400, message: 'Cannot reference more than 5 layers.' });
  });
});
