import { GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { makeClients, type Clients } from '../../src/testbed/clients';
import {
  codeChanged,
  deployStack,
  desiredConfiguration,
  diffConcurrency,
  diffFunctionConfiguration,
  functionName,
  roleName,
  validateStack,
  versionMatches,
  type StackSpec,
} from '../../src/testbed/deploy';
import { startEmbeddedTarget, type StartedTarget } from '../../src/testbed/targets';

const ROLE = 'arn:aws:iam::000000000000:role/s-lambda-role';

/** What GetFunctionConfiguration reports for a function deployed from `{ code: 'echo' }`. */
function deployedDefaults(over: Partial<FunctionConfiguration> = {}): FunctionConfiguration {
  return {
    FunctionName: 's-echo',
    Handler: 'index.handler',
    Runtime: 'nodejs20.x',
    Timeout: 3,
    MemorySize: 128,
    Description: '',
    Role: ROLE,
    CodeSha256: 'abc=',
    ...over,
  };
}

describe('deploy: configuration diffing', () => {
  it('fills in AWS defaults', () => {
    expect(desiredConfiguration({ code: 'echo' }, ROLE)).toEqual({
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      Timeout: 3,
      MemorySize: 128,
      Description: '',
      Environment: {},
      Role: ROLE,
    });
  });

  it('finds nothing to change when the function matches the spec', () => {
    expect(diffFunctionConfiguration(deployedDefaults(), desiredConfiguration({ code: 'echo' }, ROLE))).toBeNull();
    // Absent Environment and Description are AWS's way of saying "none".
    const bare = deployedDefaults({ Description: undefined, Environment: undefined });
    expect(diffFunctionConfiguration(bare, desiredConfiguration({ code: 'echo' }, ROLE))).toBeNull();
    const withEnv = deployedDefaults({ Environment: { Variables: { A: '1', B: '2' } } });
    expect(diffFunctionConfiguration(withEnv, desiredConfiguration({ code: 'echo', environment: { B: '2', A: '1' } }, ROLE))).toBeNull();
  });

  it('patches exactly the fields that differ', () => {
    const desired = desiredConfiguration(
      { code: 'echo', timeout: 10, memorySize: 256, handler: 'main.run', runtime: 'nodejs22.x', description: 'd' },
      ROLE,
    );
    expect(diffFunctionConfiguration(deployedDefaults(), desired)).toEqual({
      Timeout: 10,
      MemorySize: 256,
      Handler: 'main.run',
      Runtime: 'nodejs22.x',
      Description: 'd',
    });
    expect(diffFunctionConfiguration(deployedDefaults({ Role: 'arn:aws:iam::000000000000:role/other' }), desiredConfiguration({ code: 'echo' }, ROLE))).toEqual({
      Role: ROLE,
    });
  });

  it('replaces the whole environment when any variable differs, including removals', () => {
    const current = deployedDefaults({ Environment: { Variables: { A: '1', B: '2' } } });
    expect(diffFunctionConfiguration(current, desiredConfiguration({ code: 'echo', environment: { A: '1' } }, ROLE))).toEqual({
      Environment: { Variables: { A: '1' } },
    });
    expect(diffFunctionConfiguration(current, desiredConfiguration({ code: 'echo' }, ROLE))).toEqual({
      Environment: { Variables: {} },
    });
    expect(diffFunctionConfiguration(current, desiredConfiguration({ code: 'echo', environment: { A: '1', B: '3' } }, ROLE))).toEqual({
      Environment: { Variables: { A: '1', B: '3' } },
    });
  });

  it('uploads code only when CodeSha256 differs', () => {
    expect(codeChanged(deployedDefaults({ CodeSha256: 'x' }), { codeSha256: 'x' })).toBe(false);
    expect(codeChanged(deployedDefaults({ CodeSha256: 'x' }), { codeSha256: 'y' })).toBe(true);
  });

  it('diffs reserved concurrency (null and absent mean none)', () => {
    expect(diffConcurrency(undefined, undefined)).toBeNull();
    expect(diffConcurrency(undefined, null)).toBeNull();
    expect(diffConcurrency(5, 5)).toBeNull();
    expect(diffConcurrency(undefined, 0)).toEqual({ action: 'put', value: 0 });
    expect(diffConcurrency(5, 2)).toEqual({ action: 'put', value: 2 });
    expect(diffConcurrency(5, null)).toEqual({ action: 'delete' });
    expect(diffConcurrency(0, undefined)).toEqual({ action: 'delete' });
  });

  it('reuses a published version only when code and configuration both match $LATEST', () => {
    const latest = deployedDefaults({ Version: '$LATEST', Environment: { Variables: { A: '1' } } });
    expect(versionMatches({ ...latest, Version: '3' }, latest)).toBe(true);
    expect(versionMatches({ ...latest, Version: '3', CodeSha256: 'other=' }, latest)).toBe(false);
    expect(versionMatches({ ...latest, Version: '3', Timeout: 9 }, latest)).toBe(false);
    expect(versionMatches({ ...latest, Version: '3', Environment: undefined }, latest)).toBe(false);
  });
});

describe('deploy: names and validation', () => {
  it('names functions <stack>-<logicalId> within 64 characters', () => {
    expect(functionName('sync', 'echo')).toBe('sync-echo');
    expect(() => functionName('s'.repeat(60), 'control')).toThrow(/64/);
    expect(() => functionName('my stack', 'echo')).toThrow(/Invalid function name/);
    expect(roleName('x'.repeat(80)).length).toBeLessThanOrEqual(64);
  });

  it('rejects alias versions that are neither a number nor $LATEST', () => {
    const spec: StackSpec = { name: 's', functions: { f: { code: 'echo', aliases: { live: { version: 'latest' } } } } };
    expect(() => validateStack(spec)).toThrow(/alias live/);
    expect(() => validateStack({ name: 's', functions: { f: { code: 'echo', aliases: { live: { version: '$LATEST' } } } } })).not.toThrow();
  });
});

describe('deploy: applied to the embedded cloud', () => {
  let target: StartedTarget;
  let clients: Clients;

  beforeAll(async () => {
    target = await startEmbeddedTarget();
    clients = makeClients(target);
  }, 30_000);
  afterAll(async () => {
    clients?.destroy();
    await target?.stop();
  });

  const spec: StackSpec = {
    name: 'deploytest',
    functions: {
      echo: {
        code: 'echo',
        environment: { GREETING: 'hi' },
        reservedConcurrency: 3,
        publish: true,
        aliases: { live: { version: '1' }, head: { version: '$LATEST' } },
      },
    },
  };

  it('creates everything, then a second apply changes nothing, then applies only what changed', async () => {
    const first = await deployStack(clients, spec);
    expect(first.changes).toEqual([
      'create-role deploytest-lambda-role',
      'create-function deploytest-echo',
      'put-concurrency deploytest-echo 3',
      'publish-version deploytest-echo 1',
      'create-alias deploytest-echo:live -> 1',
      'create-alias deploytest-echo:head -> $LATEST',
    ]);
    expect(first.functions.echo).toMatchObject({
      name: 'deploytest-echo',
      arn: expect.stringMatching(/^arn:aws:lambda:us-east-1:000000000000:function:deploytest-echo$/),
      version: '1',
      aliases: { live: { version: '1', arn: expect.stringMatching(/:deploytest-echo:live$/) } },
    });
    expect(first.roleArn).toMatch(/:role\/deploytest-lambda-role$/);

    const second = await deployStack(clients, spec);
    expect(second.changes).toEqual([]);
    expect(second.functions).toEqual(first.functions);

    const third = await deployStack(clients, {
      ...spec,
      functions: { echo: { ...spec.functions.echo, timeout: 7, reservedConcurrency: null } },
    });
    expect(third.changes).toEqual([
      'update-configuration deploytest-echo (Timeout)',
      'delete-concurrency deploytest-echo',
      'publish-version deploytest-echo 2',
    ]);
    const cfg = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'deploytest-echo' }));
    expect(cfg).toMatchObject({ Timeout: 7, Environment: { Variables: { GREETING: 'hi' } }, State: 'Active' });
    const conc = await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'deploytest-echo' }));
    expect(conc.ReservedConcurrentExecutions).toBeUndefined();
    const versions = await clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'deploytest-echo' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);

    const out = await clients.lambda.send(new InvokeCommand({ FunctionName: 'deploytest-echo', Qualifier: 'live', Payload: '{"a":1}' }));
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('1');

    await third.destroy();
    await expect(clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'deploytest-echo' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  }, 60_000);
});
