/**
 * Response shapes and error wording that real AWS recorded (LocalStack's AWS-validated snapshots):
 * which fields each operation shows, how FunctionArn echoes the qualifier, and the exact messages.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { zipFiles } from '../../src/testbed/build';
import { getTestbed, payload, unique, rejection } from '../_support/testbed';

const tb = getTestbed();
const stack = () => tb.deploy({ name: 'sync-fidelity', functions: { echo: { code: 'echo' } } });
const code = (n: number) => zipFiles({ 'index.js': `exports.handler = async () => ${n};` });

async function create(extra: Record<string, unknown> = {}, name = unique('fid')) {
  const { roleArn } = await stack();
  const out = await tb.clients.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: code(1) }, ...extra }),
  );
  await waitUntilFunctionActiveV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
  return { name, created: out };
}

/** Every configuration entry of the account, following NextMarker. */
async function listAll(functionVersion?: 'ALL'): Promise<FunctionConfiguration[]> {
  const all: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await tb.clients.lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50, FunctionVersion: functionVersion }));
    all.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return all;
}

describe('configuration shapes', () => {
  it('leaves Environment out until variables are set, and answers Publish=true with $LATEST naming the new version', async () => {
    const { name, created } = await create({ Publish: true });
    expect(created).not.toHaveProperty('Environment');
    expect(created).toEqual(expect.objectContaining({ Version: '1', State: 'Pending', StateReasonCode: 'Creating' }));
    expect(created.FunctionArn).toMatch(new RegExp(`:function:${name}$`));
    const config = await tb.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config.Environment).toBeUndefined();
  });

  it('echoes the qualifier the caller named in FunctionArn', async () => {
    const { name, created } = await create();
    const arn = created.FunctionArn!;
    const lambda = tb.clients.lambda;
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.FunctionArn).toBe(arn);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '$LATEST' }))).FunctionArn).toBe(`${arn}:$LATEST`);
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: v1.Version }));
    const viaAlias = await lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: 'live' }));
    expect(viaAlias.Configuration).toEqual(expect.objectContaining({ FunctionArn: `${arn}:live`, Version: v1.Version }));
  });

  it('lists versions and functions without State, LastUpdateStatus or RuntimeVersionConfig', async () => {
    const { name, created } = await create();
    const arn = created.FunctionArn!;
    await tb.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const versions = (await tb.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions ?? [];
    expect(versions.map((v) => v.FunctionArn)).toEqual([`${arn}:$LATEST`, `${arn}:1`]);
    const listed = (await listAll()).find((f) => f.FunctionName === name);
    const listedAll = (await listAll('ALL')).filter((f) => f.FunctionName === name);
    expect(listed?.FunctionArn).toBe(arn);
    expect(listedAll.map((f) => f.FunctionArn)).toEqual([`${arn}:$LATEST`, `${arn}:1`]);
    for (const entry of [...versions, listed!, ...listedAll]) {
      for (const key of ['State', 'StateReason', 'LastUpdateStatus', 'RuntimeVersionConfig']) expect(entry).not.toHaveProperty(key);
    }
  });

  it('gives $LATEST a new RevisionId when a version is published, and publishes code updates as Pending versions', async () => {
    const { name, created } = await create();
    const lambda = tb.clients.lambda;
    const before = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).RevisionId;
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const after = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).RevisionId;
    expect(v1.RevisionId).not.toBe(before);
    expect(after).not.toBe(before);

    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: code(2), Publish: true }));
    expect(updated.$metadata.httpStatusCode).toBe(200);
    expect(updated).toEqual(expect.objectContaining({ Version: '2', FunctionArn: `${created.FunctionArn}:2`, State: 'Pending', StateReasonCode: 'Creating' }));
    expect(updated).not.toHaveProperty('LastUpdateStatus');
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name, Qualifier: '2' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '2', Payload: payload({}) }));
    expect(out.ExecutedVersion).toBe('2');
  });
});

describe('error wording', () => {
  it('refuses bad alias routing the way AWS words it', async () => {
    const { name, created } = await create();
    const lambda = tb.clients.lambdaNoRetry;
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: code(2) }));
    await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 30 }, { FunctionName: name });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const alias = (weights: Record<string, number>, version = '1') =>
      rejection(lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } })));
    const tooHigh = await alias({ 2: 2 });
    expect(tooHigh.name).toBe('ValidationException');
    expect(tooHigh.message).toBe(
      "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
    );
    const latestKey = await alias({ $LATEST: 0.5 });
    expect(latestKey.name).toBe('ValidationException');
    expect(latestKey.message).toMatch(/^1 validation error detected: Value '\{\$LATEST=0\.5\}' at 'routingConfig\.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint/);
    const latestPrimary = await alias({ 2: 0.5 }, '$LATEST');
    expect(latestPrimary.name).toBe('InvalidParameterValueException');
    expect(latestPrimary.message).toBe('$LATEST is not supported for an alias pointing to more than 1 version');
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' }));
    const dup = await rejection(lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' })));
    expect(dup.message).toBe(`Alias already exists: ${created.FunctionArn}:a`);
  });

  it('keeps policy revisions on the resource and words permission errors as AWS does', async () => {
    const { name, created } = await create();
    const lambda = tb.clients.lambdaNoRetry;
    const arn = created.FunctionArn!;
    const noPolicy = await rejection(lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 's3' })));
    expect(noPolicy.name).toBe('ResourceNotFoundException');
    expect(noPolicy.message).toBe('No policy is associated with the given resource.');
    const missingFn = await rejection(lambda.send(new RemovePermissionCommand({ FunctionName: `${name}-gone`, StatementId: 's3' })));
    expect(missingFn.message).toBe(`No policy found for: ${arn}-gone`);
    const onLatest = await rejection(
      lambda.send(new AddPermissionCommand({ FunctionName: name, Qualifier: '$LATEST', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' })),
    );
    expect(onLatest.message).toBe('We currently do not support adding policies for $LATEST.');
    const dotted = await rejection(lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'example.com', Action: 'lambda:InvokeFunction', Principal: '*' })));
    expect(dotted.message).toBe(
      "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
    );

    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'url',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        SourceArn: 'arn:aws:s3:::bucket',
        SourceAccount: '111111111111',
        PrincipalOrgID: 'o-1234567890',
        FunctionUrlAuthType: 'NONE',
      }),
    );
    expect(added.Statement).toBe(
      JSON.stringify({
        Sid: 'url',
        Effect: 'Allow',
        Principal: '*',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: arn,
        Condition: {
          StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE', 'aws:PrincipalOrgID': 'o-1234567890', 'AWS:SourceAccount': '111111111111' },
          ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket' },
        },
      }),
    );
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(policy.RevisionId).toBe(fn.RevisionId);
    const dup = await rejection(lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url', Action: 'lambda:InvokeFunction', Principal: '*' })));
    expect(dup.message).toBe('The statement id (url) provided already exists. Please provide a new statement id, or remove the existing statement.');
    const unknownSid = await rejection(lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'nope' })));
    expect(unknownSid.message).toBe('Statement nope is not found in resource policy.');
    const unknownVersion = await rejection(lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: '42' })));
    expect(unknownVersion.message).toBe('The resource you requested does not exist.');
  });

  it('words concurrency and tag refusals as AWS does', async () => {
    const { name, created } = await create();
    const lambda = tb.clients.lambdaNoRetry;
    const qualified = await rejection(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: `${name}:$LATEST`, ReservedConcurrentExecutions: 1 })));
    expect(qualified.name).toBe('InvalidParameterValueException');
    expect(qualified.message).toBe(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
    const missing = await rejection(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: `${name}-gone`, ReservedConcurrentExecutions: 1 })));
    expect(missing.message).toBe(`Function not found: ${created.FunctionArn}-gone:$LATEST`);

    const onVersion = await rejection(lambda.send(new TagResourceCommand({ Resource: `${created.FunctionArn}:1`, Tags: { a: 'b' } })));
    expect(onVersion.name).toBe('InvalidParameterValueException');
    expect(onVersion.message).toBe('Tags on function aliases and versions are not supported. Please specify a function ARN.');
    const empty = await rejection(lambda.send(new TagResourceCommand({ Resource: created.FunctionArn, Tags: {} })));
    expect(empty.message).toBe('An error occurred and the request cannot be processed.');
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect((await rejection(lambda.send(new TagResourceCommand({ Resource: created.FunctionArn, Tags: tooMany })))).message).toBe('Number of tags exceeds resource tag limit.');
    const noKeys = await rejection(lambda.send(new UntagResourceCommand({ Resource: created.FunctionArn, TagKeys: [] })));
    expect(noKeys.name).toBe('ValidationException');
    expect(noKeys.message).toBe("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  });

  it('words CreateFunction refusals as AWS does', async () => {
    const { roleArn } = await stack();
    const send = (extra: Record<string, unknown>) =>
      rejection(tb.clients.lambdaNoRetry.send(new CreateFunctionCommand({ FunctionName: unique('fidbad'), Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: code(1) }, ...extra })));
    const long = await send({ FunctionName: 'a'.repeat(65) });
    expect(long.name).toBe('InvalidParameterValueException');
    expect(long.message).toBe(`1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    const two = await send({ Architectures: ['x86_64', 'arm64'] });
    expect(two.message).toBe("1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1");
    const upper = await send({ Architectures: ['X86_64'] });
    expect(upper.message).toBe(
      "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    );
  });

  it('words Invoke refusals as AWS does', async () => {
    const { functions } = await stack();
    const lambda = tb.clients.lambdaNoRetry;
    const notJson = await rejection(lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, Payload: Buffer.from('not json') })));
    expect(notJson.message.startsWith(
      "Could not parse request body into json: Could not parse payload into json: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: ",
    )).toBe(true);
    const big = Buffer.from(JSON.stringify({ blob: 'x'.repeat(1_100_000) }));
    const tooBig = await rejection(lambda.send(new InvokeCommand({ FunctionName: functions.echo.name, InvocationType: 'Event', Payload: big })));
    expect(tooBig.$metadata.httpStatusCode).toBe(413);
    expect(tooBig.message).toBe(`${big.length} byte payload is too large for the Event invocation type (limit 1048576 bytes)`);
    const region = tb.target.region === 'eu-west-3' ? 'eu-central-1' : 'eu-west-3';
    const otherRegion = functions.echo.arn.replace(`:${tb.target.region}:`, `:${region}:`);
    const elsewhere = await rejection(lambda.send(new InvokeCommand({ FunctionName: otherRegion, Payload: payload({}) })));
    expect(elsewhere.name).toBe('ResourceNotFoundException');
    expect(elsewhere.message).toBe(`Functions from '${region}' are not reachable in this region ('${tb.target.region}')`);
  });
});
