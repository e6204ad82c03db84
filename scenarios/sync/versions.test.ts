/**
 * Versions and aliases: which code runs, and what X-Amz-Executed-Version says.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { decode, getTestbed, payload } from '../_support/testbed';

const tb = getTestbed();

describe('versions and aliases', () => {
  it('runs the published version a qualifier names, and $LATEST otherwise', async () => {
    const { functions } = await tb.deploy({ name: 'sync-versions', functions: { fn: { code: 'echo', environment: { STAGE: 'one' } } } });
    const name = functions.fn.name;
    const lambda = tb.clients.lambda;

    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'first' }));
    expect(v1.Version).toMatch(/^\d+$/);
    expect(v1.FunctionArn).toBe(`${functions.fn.arn}:${v1.Version}`);
    // Publishing again without a change returns the same version.
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(again.Version).toBe(v1.Version);

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(Number(v2.Version)).toBe(Number(v1.Version) + 1);

    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    const listed = versions.Versions?.map((v) => v.Version) ?? [];
    expect(listed[0]).toBe('$LATEST');
    expect(listed.slice(-2)).toEqual([v1.Version, v2.Version]);

    const env = async (qualifier?: string) => {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: payload({ envKeys: ['STAGE'] }) }));
      return { executed: out.ExecutedVersion, stage: decode(out.Payload).env.STAGE, version: decode(out.Payload).context.functionVersion };
    };
    expect(await env(v1.Version)).toEqual({ executed: v1.Version, stage: 'one', version: v1.Version });
    expect(await env(v2.Version)).toEqual({ executed: v2.Version, stage: 'two', version: v2.Version });
    expect(await env()).toEqual({ executed: '$LATEST', stage: 'two', version: '$LATEST' });

    // An alias resolves to its version; the executed version is the number, the invoked ARN keeps the alias.
    const live = `live-${Date.now().toString(36)}`; // unique, so reruns on a long-lived target work
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: live, FunctionVersion: v1.Version }));
    const viaAlias = await lambda.send(new InvokeCommand({ FunctionName: `${name}:${live}`, Payload: payload({}) }));
    expect(viaAlias.ExecutedVersion).toBe(v1.Version);
    expect(decode(viaAlias.Payload).context.invokedFunctionArn).toBe(`${functions.fn.arn}:${live}`);

    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: live, FunctionVersion: v2.Version }));
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: live }));
    expect(alias).toEqual(expect.objectContaining({ Name: live, FunctionVersion: v2.Version, AliasArn: `${functions.fn.arn}:${live}` }));
    const moved = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: live, Payload: payload({}) }));
    expect(moved.ExecutedVersion).toBe(v2.Version);

    // Weighted routing with weight 1.0 sends every invoke to the additional version.
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: name, Name: live, FunctionVersion: v2.Version, RoutingConfig: { AdditionalVersionWeights: { [v1.Version!]: 1 } } }),
    );
    const routed = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: live, Payload: payload({}) }));
    expect(routed.ExecutedVersion).toBe(v1.Version);
  });

  it('answers an unknown version or alias with 404 ResourceNotFoundException', async () => {
    const { functions } = await tb.deploy({ name: 'sync-versions', functions: { fn: { code: 'echo', environment: { STAGE: 'one' } } } });
    const err = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.fn.name, Qualifier: 'nope', Payload: payload({}) })).catch((e) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.message).toBe(`Function not found: ${functions.fn.arn}:nope`);
  });
});
